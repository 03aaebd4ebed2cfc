//! The `cloudspec` command as a daily tool: `--output` and `--filter`, shell completions,
//! `--show-request`, messages for the command line, hints for tccli's and the aliyun CLI's
//! habits, and the exit codes README states. The built binary runs against the in-process
//! emulator, or against a listener on 127.0.0.1 that must see no connection.

mod common;

use std::net::TcpListener;
use std::process::Output;

use common::{cloudspec, emulator, stderr};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A listener on 127.0.0.1 that accepts nothing: after a command has run,
/// [`connected`] says whether it tried to reach it.
fn silent_listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("address");
    (listener, format!("http://{address}"))
}

/// Whether a connection is waiting on `listener` (the command under test has exited, so
/// any it made is queued by now).
fn connected(listener: &TcpListener) -> bool {
    listener.set_nonblocking(true).expect("non-blocking");
    listener.accept().is_ok()
}

/// The common start of a DescribeImages call on the emulator.
fn describe_images(endpoint: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "tencent-cvm",
        "describe-images",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        endpoint,
    ];
    args.extend_from_slice(extra);
    cloudspec(&args)
}

// --- --output and --filter ---------------------------------------------------------------------

/// CVM DescribeImages answers its documented example (one image, `img-9qabwvbn`):
/// `--output table` shows `TotalCount` as a key/value row and `ImageSet` as a titled table
/// with a header row; the default stays JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_table_shows_the_image_set_as_columns() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let table = describe_images(&endpoint, &["--output", "table"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("| TotalCount") && line.contains("| 1")),
        "{text}"
    );
    let title = lines
        .iter()
        .position(|line| *line == "ImageSet")
        .unwrap_or_else(|| panic!("an ImageSet section: {text}"));
    let header = lines[title + 2];
    assert!(
        header.contains("| ImageId ") && header.contains("| ImageName "),
        "{text}"
    );
    assert!(lines[title + 4].contains("| img-9qabwvbn "), "{text}");
    // The borders above and below the rows are one width: the columns line up.
    assert_eq!(lines[title + 1], lines[title + 5], "{text}");
    assert!(lines[title + 1].starts_with("+---"), "{text}");

    let json = describe_images(&endpoint, &[]);
    let explicit = describe_images(&endpoint, &["--output", "json"]);
    let parse = |output: &Output| -> serde_json::Value {
        let mut value = common::stdout_json(output);
        value["RequestId"] = serde_json::Value::Null;
        value
    };
    assert_eq!(parse(&json), parse(&explicit));
    assert!(
        stdout(&json).starts_with("{\n  \""),
        "pretty JSON as before"
    );
}

/// `--filter` takes JMESPath, applied before `--output`: `--output text` gives one line per
/// record with tab-separated fields; a scalar is printed alone; a multi-select hash is JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_then_text_output() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let pairs = describe_images(
        &endpoint,
        &[
            "--filter",
            "ImageSet[*].[ImageId, ImageType]",
            "--output",
            "text",
        ],
    );
    assert_eq!(pairs.status.code(), Some(0), "{}", stderr(&pairs));
    let text = stdout(&pairs);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(fields.len(), 2, "{text}");
    assert_eq!(fields[0], "img-9qabwvbn");

    let count = describe_images(&endpoint, &["--filter", "TotalCount"]);
    assert_eq!(stdout(&count), "1\n", "{}", stderr(&count));

    let hash = describe_images(
        &endpoint,
        &[
            "--filter",
            "ImageSet[0].{id: ImageId, first_tag: Tags[0].Key}",
        ],
    );
    assert_eq!(
        common::stdout_json(&hash),
        serde_json::json!({ "id": "img-9qabwvbn", "first_tag": "myKey" })
    );
}

/// An invalid filter is a usage error (exit 2) that names `--filter` and the position,
/// and nothing is sent; a filter that fails on the answer is exit 2 too, saying the call
/// succeeded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_filter_is_a_usage_error() {
    let (listener, endpoint) = silent_listener();
    let output = describe_images(&endpoint, &["--filter", "ImageSet[?"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("--filter"), "{text}");
    assert!(text.contains("column"), "{text}");
    assert!(!connected(&listener), "nothing was sent");

    let emulator = emulator().await;
    let failed = describe_images(&emulator.endpoint(), &["--filter", "length(TotalCount)"]);
    let text = stderr(&failed);
    assert_eq!(failed.status.code(), Some(2), "{text}");
    assert!(text.contains("the call itself succeeded"), "{text}");

    let bad_format = describe_images(&emulator.endpoint(), &["--output", "yaml"]);
    assert_eq!(bad_format.status.code(), Some(2));
    assert!(
        stderr(&bad_format).contains("json, table, text"),
        "{}",
        stderr(&bad_format)
    );
}

// --- completions -------------------------------------------------------------------------------

/// `cloudspec completions bash` prints a script that completes the generated subcommands
/// and their flags; the other shells print theirs; an unknown shell is a usage error.
#[test]
fn completions_print_a_script_with_subcommands_and_flags() {
    let bash = cloudspec(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0), "{}", stderr(&bash));
    let script = stdout(&bash);
    assert!(script.contains("complete -F"), "a bash completion script");
    assert!(script.contains("tencent-cvm"), "a service subcommand");
    assert!(script.contains("delete-images"), "an operation subcommand");
    assert!(script.contains("--image-ids"), "an operation flag");
    assert!(script.contains("--show-request"), "a common flag");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let output = cloudspec(&["completions", shell]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).contains("tencent-cvm"), "{shell}");
    }
    let unknown = cloudspec(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

// --- --show-request ----------------------------------------------------------------------------

/// `--show-request` prints the TC3-signed DeleteImages request (method, URL, the X-TC
/// headers, the JSON body) with the signature and the session token masked, exits 0, and
/// connects to nothing.
#[test]
fn show_request_prints_the_signed_tencent_request_and_sends_nothing() {
    let (listener, endpoint) = silent_listener();
    let output = common::clean_command()
        .env("TENCENTCLOUD_SECRET_ID", "cli-tencent-key")
        .env("TENCENTCLOUD_SECRET_KEY", "cli-tencent-secret")
        .env("TENCENTCLOUD_SESSION_TOKEN", "cli-session-token")
        .args([
            "tencent-cvm",
            "delete-images",
            "--image-ids",
            "img-1",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &endpoint,
            "--show-request",
        ])
        .output()
        .expect("cloudspec runs");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!connected(&listener), "nothing was sent");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("POST {endpoint}/"));
    assert!(lines.contains(&"X-TC-Action: DeleteImages"), "{text}");
    assert!(lines.contains(&"X-TC-Region: ap-guangzhou"), "{text}");
    let authorization = lines
        .iter()
        .find(|line| line.starts_with("Authorization: TC3-HMAC-SHA256 Credential=cli-tencent-key/"))
        .unwrap_or_else(|| panic!("an Authorization line: {text}"));
    assert!(
        authorization.ends_with("Signature=<masked>"),
        "{authorization}"
    );
    assert!(lines.contains(&"X-TC-Token: <masked>"), "{text}");
    assert!(text.contains(r#""ImageIds":["img-1"]"#), "the body: {text}");
    assert!(!text.contains("cli-tencent-secret"), "{text}");
    assert!(!text.contains("cli-session-token"), "{text}");
}

/// Without `--endpoint` the printed URL is the host the region picks
/// (`cvm.ap-guangzhou.tencentcloudapi.com`); nothing leaves the machine either way.
#[test]
fn show_request_names_the_regional_host() {
    let output = cloudspec(&[
        "tencent-cvm",
        "delete-images",
        "--image-ids",
        "img-1",
        "--region",
        "ap-guangzhou",
        "--show-request",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("POST https://cvm.ap-guangzhou.tencentcloudapi.com/\n"),
        "{text}"
    );
    assert!(
        text.contains("\nHost: cvm.ap-guangzhou.tencentcloudapi.com\n"),
        "{text}"
    );
}

/// README: "an Alibaba operation's own `RegionId` picks the regional host". SWAS has no
/// global host; without `--region` its request goes to `swas.cn-hangzhou.aliyuncs.com`,
/// signed with ACS3-HMAC-SHA256 (signature and security token masked).
#[test]
fn swas_region_id_picks_the_host_without_region() {
    let output = common::clean_command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "cli-alibaba-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "cli-alibaba-secret")
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "cli-alibaba-token")
        .args([
            "alibaba-swas",
            "delete-custom-images",
            "--region-id",
            "cn-hangzhou",
            "--image-ids",
            "m-s1",
            "--show-request",
        ])
        .output()
        .expect("cloudspec runs");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("GET https://swas.cn-hangzhou.aliyuncs.com/?"),
        "{text}"
    );
    assert!(first.contains("RegionId=cn-hangzhou"), "{text}");
    assert!(
        text.contains("\nx-acs-action: DeleteCustomImages"),
        "{text}"
    );
    assert!(
        text.contains("Credential=cli-alibaba-key,") && text.contains("Signature=<masked>"),
        "{text}"
    );
    assert!(text.contains("\nx-acs-security-token: <masked>"), "{text}");
    assert!(!text.contains("cli-alibaba-secret"), "{text}");
    assert!(!text.contains("cli-alibaba-token"), "{text}");
}

/// BCC: `DELETE /v2/image/{imageId}` on `bcc.<region>.baidubce.com`, bce-auth-v1 with its
/// signature (the last part) masked; `--show-request` checks the input as a call does.
#[test]
fn show_request_of_baidu_and_input_checks() {
    let output = cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "m-nky7qeom",
        "--region",
        "bj",
        "--show-request",
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        text.starts_with("DELETE https://bcc.bj.baidubce.com/v2/image/m-nky7qeom"),
        "{text}"
    );
    let authorization = text
        .lines()
        .find(|line| line.starts_with("Authorization: bce-auth-v1/cli-baidu-key/"))
        .unwrap_or_else(|| panic!("an Authorization line: {text}"));
    assert!(authorization.ends_with("/<masked>"), "{authorization}");
    assert!(!text.contains("cli-baidu-secret"), "{text}");

    let token = "x".repeat(65);
    let invalid = cloudspec(&[
        "alibaba-swas",
        "delete-custom-images",
        "--region-id",
        "cn-hangzhou",
        "--image-ids",
        "m-s1",
        "--client-token",
        &token,
        "--show-request",
    ]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(
        stderr(&invalid).contains("`ClientToken` must have at most 64 characters"),
        "{}",
        stderr(&invalid)
    );
    assert!(stdout(&invalid).is_empty());
}

// --- messages and exit codes -------------------------------------------------------------------

/// A regional-only service without `--region` is a usage error phrased for the command
/// line, naming the flag and the spec's regions, not the library's `Config::with_region`.
#[test]
fn no_region_names_the_flag_and_the_known_regions() {
    let output = cloudspec(&["baidu-bcc", "delete-image", "--image-id", "m-1"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.starts_with("error: no region: ") && text.contains("pass --region REGION"),
        "{text}"
    );
    assert!(text.contains("known regions: bj, gz, su, hkg"), "{text}");
    assert!(!text.contains("Config::"), "{text}");
}

/// Without credentials a call exits 4 and says which variables or flags to give.
#[test]
fn no_credentials_exits_4_naming_the_variables_and_flags() {
    let (listener, endpoint) = silent_listener();
    let output = common::clean_command()
        .args([
            "tencent-cvm",
            "delete-images",
            "--image-ids",
            "img-1",
            "--endpoint",
            &endpoint,
        ])
        .output()
        .expect("cloudspec runs");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(
        text.contains("no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY"),
        "{text}"
    );
    assert!(
        text.contains("--access-key-id and --access-key-secret"),
        "{text}"
    );
    assert!(!connected(&listener));
}

/// An answer the protocol does not allow (BCC's 200 with a body that is not JSON) is
/// "anything else": exit 4, with the status and an excerpt of the body.
#[test]
fn an_unreadable_answer_exits_4() {
    let (endpoint, accepted) = common::raw_server(
        common::http_response("200 OK", "Content-Type: application/json\r\n", "<html>oops"),
        1,
    );
    let output = cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "m-1",
        "--max-attempts",
        "1",
        "--endpoint",
        &endpoint,
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(text.contains("<html>oops"), "{text}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// `--region cn-hangzhou` on Tencent CVM (whose spec lists no regions) does not connect to
/// `cvm.cn-hangzhou.tencentcloudapi.com`: Alibaba's naming is a usage error with a hint; on
/// Baidu BCC (whose spec lists its regions) any other region is refused with the list.
#[test]
fn a_region_of_another_provider_is_refused_with_a_hint() {
    let tencent = cloudspec(&[
        "tencent-cvm",
        "delete-images",
        "--image-ids",
        "img-1",
        "--region",
        "cn-hangzhou",
        "--show-request",
    ]);
    let text = stderr(&tencent);
    assert_eq!(tencent.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "error: `cn-hangzhou` is a region name of Alibaba Cloud, not of Tencent Cloud"
        ),
        "{text}"
    );
    assert!(
        text.contains("hint: Tencent Cloud names regions like `ap-guangzhou`"),
        "{text}"
    );
    assert!(stdout(&tencent).is_empty(), "nothing printed as sent");

    let baidu = cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "m-1",
        "--region",
        "cn-hangzhou",
    ]);
    let text = stderr(&baidu);
    assert_eq!(baidu.status.code(), Some(2), "{text}");
    assert!(
        text.contains("unknown region `cn-hangzhou`")
            && text.contains("known regions are bj, gz, su, hkg, fwh, bd, sin, fsh"),
        "{text}"
    );
}

// --- hints for the providers' CLI habits -------------------------------------------------------

/// tccli's form (service short name, PascalCase action and flags, a JSON list) is a usage
/// error whose hint is the same call in cloudspec's form.
#[test]
fn tccli_form_gets_the_cloudspec_form_as_a_hint() {
    let output = cloudspec(&["cvm", "DeleteImages", "--ImageIds", r#"["img-1"]"#]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.starts_with("error: "), "{text}");
    assert!(
        text.contains("\nhint: cloudspec tencent-cvm delete-images --image-ids img-1\n"),
        "{text}"
    );
    assert!(text.contains("`cvm` is `tencent-cvm`"), "{text}");
}

/// The aliyun CLI's form, `RegionId` included.
#[test]
fn aliyun_form_gets_the_cloudspec_form_as_a_hint() {
    let output = cloudspec(&[
        "ecs",
        "DeleteImage",
        "--ImageId",
        "m-1",
        "--RegionId",
        "cn-hangzhou",
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "hint: cloudspec alibaba-ecs delete-image --image-id m-1 --region-id cn-hangzhou"
        ),
        "{text}"
    );
}

/// A value after a boolean flag, and an identifier list written as one value (with commas,
/// which the command does not split, or as JSON), are usage errors with the right form as
/// the hint; nothing is sent.
#[test]
fn boolean_values_and_comma_lists_get_hints() {
    let (listener, endpoint) = silent_listener();
    let base = [
        "tencent-cvm",
        "delete-images",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        endpoint.as_str(),
    ];
    let boolean = cloudspec(&[&base[..], &["--image-ids", "img-1", "--dry-run", "true"]].concat());
    let text = stderr(&boolean);
    assert_eq!(boolean.status.code(), Some(2), "{text}");
    assert!(text.contains("--image-ids img-1 --dry-run\n"), "{text}");
    assert!(
        text.contains("boolean flags take no value: `--dry-run` is true, `--dry-run=false` false"),
        "{text}"
    );

    let commas = cloudspec(&[&base[..], &["--image-ids", "img-1,img-2"]].concat());
    let text = stderr(&commas);
    assert_eq!(commas.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "error: --image-ids takes one identifier per flag, and `img-1,img-2` is a list"
        ),
        "{text}"
    );
    assert!(
        text.contains("--image-ids img-1 --image-ids img-2"),
        "{text}"
    );

    // tccli's JSON list, even of one item.
    let json = cloudspec(&[&base[..], &["--image-ids", r#"["img-1"]"#]].concat());
    let text = stderr(&json);
    assert_eq!(json.status.code(), Some(2), "{text}");
    assert!(
        text.lines().any(|line| line
            .starts_with("hint: cloudspec tencent-cvm delete-images --region ap-guangzhou")
            && line.ends_with("--image-ids img-1")),
        "{text}"
    );
    assert!(!connected(&listener), "nothing was sent");
}

/// A word that names no service gets clap's own error, with no hint.
#[test]
fn an_unknown_word_gets_clap_error_and_no_hint() {
    let output = cloudspec(&["nosuchservice", "DeleteImages", "--ImageIds", "x"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("unrecognized subcommand 'nosuchservice'"),
        "{text}"
    );
    assert!(!text.contains("hint: cloudspec"), "{text}");
}

/// `--profile NAME` reads tccli's profile files (`~/.tccli/NAME.credential`, as tccli
/// 3.1.189.1 writes them), and the signed call is accepted by the emulator, which knows the
/// keys; a profile no file holds is a usage error naming the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_reads_the_tccli_profile_files() {
    let emulator = common::emulator().await;
    let home = std::env::temp_dir().join(format!("cloudspec-cli-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join(".tccli")).expect("home");
    std::fs::write(
        home.join(".tccli/ci.credential"),
        r#"{"secretId": "cli-tencent-key", "secretKey": "cli-tencent-secret"}"#,
    )
    .expect("credential file");
    std::fs::write(
        home.join(".tccli/ci.configure"),
        r#"{"_sys_param": {"region": "ap-guangzhou", "output": "json"}}"#,
    )
    .expect("configure file");
    let run = |profile: &str| {
        common::clean_command()
            .env("HOME", &home)
            .args([
                "tencent-cvm",
                "delete-images",
                "--image-ids",
                "img-aaaa0001",
                "--profile",
                profile,
                "--endpoint",
                &emulator.endpoint(),
            ])
            .output()
            .expect("cloudspec runs")
    };
    let output = run("ci");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        emulator
            .resource(common::svc("cvm"), "img-aaaa0001")
            .is_none(),
        "deleted with the profile's keys"
    );
    let output = run("absent");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("no profile `absent`"), "{text}");
    assert!(text.contains("~/.tccli/absent.credential"), "{text}");
    let _ = std::fs::remove_dir_all(&home);
}

/// An operation sent unsigned (`auth: anonymous` in specs/tencent-sts.yaml) needs no
/// credentials: with none in the environment or any profile, `--show-request` prints the
/// request with `Authorization: SKIP` and no token, where a signed operation would stop at
/// "no credentials".
#[test]
fn an_unsigned_operation_runs_without_credentials() {
    let (listener, endpoint) = silent_listener();
    let output = common::clean_command()
        .args([
            "tencent-sts",
            "assume-role-with-web-identity",
            "--provider-id",
            "OIDC",
            "--web-identity-token",
            "eyJ.token.sig",
            "--role-arn",
            "qcs::cam::uin/100000000001:roleName/tke",
            "--role-session-name",
            "pod-1",
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &endpoint,
            "--show-request",
        ])
        .output()
        .expect("cloudspec runs");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!connected(&listener), "nothing was sent");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"Authorization: SKIP"), "{text}");
    assert!(
        lines.contains(&"X-TC-Action: AssumeRoleWithWebIdentity"),
        "{text}"
    );
    assert!(!text.contains("X-TC-Token"), "{text}");

    let signed = common::clean_command()
        .args([
            "tencent-sts",
            "assume-role",
            "--role-arn",
            "qcs::cam::uin/100000000001:roleName/dev",
            "--role-session-name",
            "s",
            "--endpoint",
            &endpoint,
            "--show-request",
        ])
        .output()
        .expect("cloudspec runs");
    assert_ne!(signed.status.code(), Some(0));
    assert!(
        stderr(&signed).contains("no credentials"),
        "{}",
        stderr(&signed)
    );
}
