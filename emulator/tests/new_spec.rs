//! "A new API is a YAML file for the emulator too" (issue: the emulator grows with the
//! specs). A spec with operations none of the five documents has
//! (`tests/fixtures/alibaba-ebs.yaml`: a snapshot deletion with its own error table and one
//! refusal rule, and an operation with no behaviour) is added to a temporary copy of the
//! workspace, which is regenerated (the generator `cargo xtask regen` runs) and built with no
//! Rust change. Its `cloudspec emulate` then serves the new operations, proven through the
//! new `cloudspec alibaba-ebs` subcommands and raw signed requests: authentication, a
//! missing-parameter error, the rule's documented error, a success that changes the state,
//! a sample answer for the operation without rules, and one action in two API versions.
//!
//! The copy is built in its own target folder (`target/new-spec`), so the first run compiles
//! the dependencies once (a few minutes on two cores); later runs reuse them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const KEY: &str = "new-spec-key";
const SECRET: &str = "new-spec-secret";
const ACCOUNT: &str = "1000000000000009";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the emulator lives in the workspace")
        .to_owned()
}

/// Copies the workspace's sources (not its build output, history or virtualenvs) to `to`.
fn copy_workspace(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("readable entry");
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if [
            "target",
            ".git",
            ".venv-oracles",
            "node_modules",
            "corpus",
            "artifacts",
        ]
        .contains(&name.as_ref())
        {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type().expect("file type");
        if file_type.is_dir() {
            std::fs::create_dir_all(to.join(&*name)).expect("create folder");
            copy_workspace(&path, &to.join(&*name));
        } else if file_type.is_file() {
            std::fs::copy(&path, to.join(&*name)).expect("copy file");
        }
    }
}

/// A running `cloudspec emulate` of the copy, killed when dropped.
struct Served {
    child: Child,
    endpoint: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cloudspec(binary: &Path) -> Command {
    let mut command = Command::new(binary);
    for (name, _) in std::env::vars() {
        if ["ALIBABA", "ALICLOUD", "TENCENTCLOUD", "BAIDUBCE", "BCE_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name);
        }
    }
    command
}

fn serve(binary: &Path, state: &Path) -> Served {
    let mut child = cloudspec(binary)
        .args(["emulate", "--quiet", "--listen", "127.0.0.1:0", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cloudspec emulate starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listening line");
    let endpoint = line
        .trim()
        .rsplit(' ')
        .next()
        .filter(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("expected `... listening on http://ADDR`, got {line:?}"))
        .to_owned();
    Served { child, endpoint }
}

/// Runs the copy's `cloudspec` against `endpoint` with `secret`: exit code and output.
fn call(binary: &Path, endpoint: &str, secret: &str, args: &[&str]) -> (i32, String) {
    let output = cloudspec(binary)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
        .args(args)
        .args(["--endpoint", endpoint])
        .output()
        .expect("cloudspec runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// A signature V1 request to `endpoint` with `params`, signed with the emulator's key.
fn signed_v1(endpoint: &str, params: &[(&str, &str)]) -> (u16, serde_json::Value) {
    use cloudspec_sign::{SigningCredentials, SigningRequest, alibaba_v1};
    let host = endpoint.trim_start_matches("http://");
    let mut req = SigningRequest::new("GET", host, "/");
    req.query = params
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .chain([("Format".to_owned(), "JSON".to_owned())])
        .collect();
    alibaba_v1::sign(
        &mut req,
        &SigningCredentials::new(KEY, SECRET),
        jiff::Timestamp::now(),
        &uuid::Uuid::new_v4().to_string(),
    )
    .expect("signs");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(format!("{endpoint}/"))
            .query(&req.query)
            .send()
            .await
            .expect("the emulator answers");
        let status = response.status().as_u16();
        let body = response.text().await.expect("a body");
        (status, serde_json::from_str(&body).expect("a JSON body"))
    })
}

fn state_ids(endpoint: &str) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let state: serde_json::Value = runtime.block_on(async {
        let body = reqwest::get(format!("{endpoint}/_emulator/state"))
            .await
            .expect("the state")
            .text()
            .await
            .expect("a body");
        serde_json::from_str(&body).expect("JSON")
    });
    state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|resource| resource["service"] == "ebs")
        .filter_map(|resource| resource["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_new_spec_is_served_with_no_rust_change() {
    let root = workspace_root();
    let copy = std::env::temp_dir().join(format!("cloudspec-new-spec-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).expect("temporary folder");
    copy_workspace(&root, &copy);
    std::fs::copy(
        root.join("emulator/tests/fixtures/alibaba-ebs.yaml"),
        copy.join("specs/alibaba-ebs.yaml"),
    )
    .expect("the new spec");

    // Regenerate, as `cargo xtask regen` does: the generator over the copy's specs.
    let files = cloudspec_codegen::generate_dir(&copy.join("specs"))
        .unwrap_or_else(|error| panic!("the new spec generates: {error}"));
    for file in &files {
        let path = copy.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
        std::fs::write(&path, &file.contents).expect("write generated file");
    }
    assert!(copy.join("generated/alibaba-ebs/src/lib.rs").is_file());

    // Build the copy's CLI (which holds the emulator), no Rust changed. Plain HTTP is all the
    // emulator on 127.0.0.1 needs, so the copy skips the TLS stack's long build.
    let target = root.join("target/new-spec");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "build",
            "--offline",
            "--quiet",
            "-p",
            "cloudspec",
            "--bin",
            "cloudspec",
            "--no-default-features",
        ])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the copy with the new spec builds");
    let binary = target.join("debug/cloudspec");

    let state = copy.join("new-spec-state.yaml");
    std::fs::write(
        &state,
        format!(
            "access_keys:\n  - {{ provider: alibaba, id: {KEY}, secret: {SECRET}, account: \"{ACCOUNT}\" }}\n\
             resources:\n\
             \x20 - {{ service: ebs, id: s-done, account: \"{ACCOUNT}\", region: cn-hangzhou }}\n\
             \x20 - {{ service: ebs, id: s-busy, account: \"{ACCOUNT}\", region: cn-hangzhou, state: progressing }}\n"
        ),
    )
    .expect("state file");
    let served = serve(&binary, &state);
    let endpoint = served.endpoint.as_str();
    assert_eq!(state_ids(endpoint), ["s-busy", "s-done"]);

    // Authentication: a wrong secret is refused with Alibaba's code.
    let delete = [
        "alibaba-ebs",
        "delete-snapshot",
        "--snapshot-id",
        "s-done",
        "--region-id",
        "cn-hangzhou",
    ];
    let (code, text) = call(&binary, endpoint, "not-the-secret", &delete);
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");

    // A missing parameter, sent raw (the CLI would refuse to send it).
    let (status, body) = signed_v1(
        endpoint,
        &[
            ("Action", "DeleteSnapshot"),
            ("Version", "2021-07-30"),
            ("RegionId", "cn-hangzhou"),
        ],
    );
    assert_eq!(
        (status, &body["Code"]),
        (400, &"MissingParameter".into()),
        "{body}"
    );

    // The rule's documented error: its code, status and message.
    let (code, text) = call(
        &binary,
        endpoint,
        SECRET,
        &[
            "alibaba-ebs",
            "delete-snapshot",
            "--snapshot-id",
            "s-busy",
            "--region-id",
            "cn-hangzhou",
        ],
    );
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("IncorrectSnapshotStatus"), "{text}");
    assert!(
        text.contains("The snapshot is still being created."),
        "{text}"
    );
    assert_eq!(
        state_ids(endpoint),
        ["s-busy", "s-done"],
        "a refusal changes nothing"
    );

    // A success changes the state; the same call again is the table's not-found row.
    let (code, text) = call(&binary, endpoint, SECRET, &delete);
    assert_eq!(code, 0, "{text}");
    assert_eq!(state_ids(endpoint), ["s-busy"]);
    let (code, text) = call(&binary, endpoint, SECRET, &delete);
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("InvalidSnapshotId.NotFound"), "{text}");

    // An operation with no behaviour is answered from its sample response.
    let (code, text) = call(
        &binary,
        endpoint,
        SECRET,
        &[
            "alibaba-ebs",
            "describe-snapshot-quota",
            "--region-id",
            "cn-hangzhou",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("64"), "the sample's Quota: {text}");

    // Two API versions of one service: the same action answers per version, through the
    // CLI (the client sends the operation's version) and raw; an unknown version is refused.
    let (code, text) = call(
        &binary,
        endpoint,
        SECRET,
        &[
            "alibaba-ebs",
            "describe-snapshot-quota-v2",
            "--region-id",
            "cn-hangzhou",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("128"),
        "the 2024-01-01 sample's Quota: {text}"
    );
    for (version, quota) in [("2021-07-30", 64), ("2024-01-01", 128)] {
        let (status, body) = signed_v1(
            endpoint,
            &[
                ("Action", "DescribeSnapshotQuota"),
                ("Version", version),
                ("RegionId", "cn-hangzhou"),
            ],
        );
        assert_eq!((status, &body["Quota"]), (200, &quota.into()), "{body}");
    }
    let (status, body) = signed_v1(
        endpoint,
        &[
            ("Action", "DescribeSnapshotQuota"),
            ("Version", "1999-01-01"),
            ("RegionId", "cn-hangzhou"),
        ],
    );
    assert_eq!(
        (status, &body["Code"]),
        (400, &"InvalidVersion".into()),
        "{body}"
    );

    drop(served);
    let _ = std::fs::remove_dir_all(&copy);
}
