//! `cloudspec emulate --state-out`: the built binary keeps its state in a file when it is
//! stopped with SIGTERM (as with Ctrl-C), and refuses a file it cannot write.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use cloudspec_emulator::State;

/// `examples/state.yaml`, with the keys of its Tencent account.
fn example_state_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/state.yaml")
}

/// A fresh, empty folder under Cargo's scratch folder for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-emulate")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Kills the child when a test fails before it has stopped it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts `cloudspec emulate` on a free port of 127.0.0.1 and returns it with its address.
fn start(args: &[&std::ffi::OsStr]) -> (Running, String) {
    let mut child = common::clean_command()
        .args(["emulate", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads the first line");
    let running = Running(child);
    let address = line
        .trim()
        .strip_prefix("cloudspec emulator listening on http://")
        .unwrap_or_else(|| panic!("the first line names the address: {line:?}"))
        .to_owned();
    (running, address)
}

/// Sends `signal` (`TERM`, `INT`) to the child with `kill`.
fn send_signal(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{signal}");
}

/// One HTTP/1.1 request on a fresh connection; the status code and the body.
fn http(address: &str, method: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer: {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The example state served, one image deleted through `cloudspec`, SIGTERM: the process
/// exits 0 and the `--state-out` file reads back as a state without that image (and with
/// the others). Before that, `POST /_emulator/state/save` writes the same file on demand.
#[test]
fn sigterm_writes_the_state_out_file() {
    let out = scratch("sigterm").join("kept.yaml");
    let state_arg = example_state_file();
    let (mut running, address) = start(&[
        "--state".as_ref(),
        state_arg.as_os_str(),
        "--state-out".as_ref(),
        out.as_os_str(),
    ]);
    let before = State::from_yaml_file(example_state_file()).expect("example state");
    assert!(
        before
            .resources
            .iter()
            .any(|image| image.service == common::svc("cvm") && image.id == "img-aaaa0002")
    );

    let deleted = common::clean_command()
        .env("TENCENTCLOUD_SECRET_ID", "emulator-tencent-key")
        .env("TENCENTCLOUD_SECRET_KEY", "emulator-tencent-secret")
        .args([
            "tencent-cvm",
            "delete-images",
            "--image-ids",
            "img-aaaa0002",
        ])
        .args(["--region", "ap-guangzhou", "--endpoint"])
        .arg(format!("http://{address}"))
        .output()
        .expect("cloudspec runs");
    assert!(
        deleted.status.success(),
        "delete: {}",
        String::from_utf8_lossy(&deleted.stderr)
    );

    // The admin call writes the file now, and names it.
    let (status, body) = http(&address, "POST", "/_emulator/state/save");
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["saved"], out.display().to_string());
    let saved = State::from_yaml_file(&out).expect("the saved file reads back");
    assert!(
        saved
            .resources
            .iter()
            .all(|image| image.id != "img-aaaa0002")
    );
    std::fs::remove_file(&out).expect("removed, to see the exit write it again");

    send_signal(&running.0, "TERM");
    let status = running.0.wait().expect("exits");
    assert_eq!(status.code(), Some(0), "SIGTERM stops it cleanly");
    let mut stderr = String::new();
    if let Some(mut pipe) = running.0.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr");
    }
    assert!(stderr.contains("SIGTERM"), "{stderr}");
    assert!(stderr.contains("state written to"), "{stderr}");
    // One line per request served: method, service, action, outcome and latency.
    assert!(
        stderr.lines().any(
            |line| line.starts_with("POST tencent-cvm DeleteImages -> 200 in ")
                && line.ends_with(" ms")
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("warning: the emulator has no access keys"),
        "{stderr}"
    );

    let kept = State::from_yaml_file(&out).expect("the state-out file reads back");
    assert!(
        !kept
            .resources
            .iter()
            .any(|image| image.service == common::svc("cvm") && image.id == "img-aaaa0002"),
        "the deleted image is gone from the kept state"
    );
    assert_eq!(kept.resources.len(), before.resources.len() - 1);
    assert_eq!(kept.access_keys, before.access_keys);
    // What was kept is a state `--state` accepts.
    let (mut again, address) = start(&["--state".as_ref(), out.as_os_str()]);
    let (status, body) = http(&address, "GET", "/_emulator/state");
    assert_eq!(status, 200);
    assert_eq!(
        State::from_json_str(&body).expect("the served state"),
        kept,
        "served as kept"
    );
    send_signal(&again.0, "INT");
    assert_eq!(again.0.wait().expect("exits").code(), Some(0));
}

/// Without `--state-out`, the admin call is a 400 that says how to give a file.
#[test]
fn admin_save_without_state_out_is_refused() {
    let (mut running, address) = start(&[]);
    let (status, body) = http(&address, "POST", "/_emulator/state/save");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("--state-out"), "{body}");
    send_signal(&running.0, "TERM");
    assert_eq!(running.0.wait().expect("exits").code(), Some(0));
}

/// A `--state-out` file in a folder that does not exist is a usage error (exit 2) naming
/// the path, before anything is served; never a panic.
#[test]
fn unwritable_state_out_is_a_clear_error() {
    let out = scratch("unwritable")
        .join("no-such-folder")
        .join("kept.yaml");
    let output = common::clean_command()
        .args(["emulate", "--listen", "127.0.0.1:0", "--state-out"])
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    assert!(stderr.contains("cannot be written"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing was served");
}

/// With no keys every signed call would be refused, so the emulator says so when it starts;
/// `--quiet` prints no request lines.
#[test]
fn no_keys_warns_and_quiet_logs_no_requests() {
    let (mut running, address) = start(&["--quiet".as_ref()]);
    let (status, _) = http(&address, "GET", "/_emulator/health");
    assert_eq!(status, 200);
    send_signal(&running.0, "TERM");
    assert_eq!(running.0.wait().expect("exits").code(), Some(0));
    let mut stderr = String::new();
    if let Some(mut pipe) = running.0.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr");
    }
    assert!(
        stderr.contains("warning: the emulator has no access keys")
            && stderr.contains("--state examples/state.yaml"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("/_emulator/health ->"),
        "--quiet: {stderr}"
    );
}

/// `--manual-clock` starts a clock that only `POST /_emulator/clock` moves; `--web-identity`
/// takes `PROVIDER:ACCOUNT:TOKEN` and refuses anything else as a usage error.
#[test]
fn manual_clock_moves_only_when_told_and_web_identity_is_checked() {
    let (mut running, address) = start(&[
        "--quiet".as_ref(),
        "--manual-clock".as_ref(),
        "--web-identity".as_ref(),
        "alibaba:1000000000000001:eyJ.token.sig".as_ref(),
    ]);
    let now = |body: &str| -> i64 {
        let value: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(value["manual"], serde_json::json!(true), "{body}");
        let text = value["now"].as_str().expect("now");
        text.parse::<jiff::Timestamp>()
            .expect("RFC 3339")
            .as_second()
    };
    let (status, body) = http(&address, "GET", "/_emulator/clock");
    assert_eq!(status, 200, "{body}");
    let before = now(&body);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_, body) = http(&address, "GET", "/_emulator/clock");
    assert_eq!(now(&body), before, "a manual clock stands still");
    let mut stream = TcpStream::connect(&address).expect("connects");
    let move_by = r#"{"advance_seconds": 3600}"#;
    write!(
        stream,
        "POST /_emulator/clock HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{move_by}",
        move_by.len()
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    assert_eq!(now(body), before + 3600, "{answer}");
    send_signal(&running.0, "TERM");
    assert_eq!(running.0.wait().expect("exits").code(), Some(0));

    let output = common::clean_command()
        .args([
            "emulate",
            "--listen",
            "127.0.0.1:0",
            "--web-identity",
            "baidu:1:token",
        ])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("alibaba or tencent"), "{stderr}");
}

/// `--instance-role PROVIDER:ACCOUNT:ROLE` makes the emulator play an instance with that
/// role: `cloudspec tencent-metadata` (specs/tencent-metadata.yaml, never signed) reads its
/// name and its credentials without any credentials of its own.
#[test]
fn an_instance_role_is_read_through_the_metadata_commands() {
    let (mut running, address) = start(&[
        "--quiet".as_ref(),
        "--instance-role".as_ref(),
        "tencent:1000000000000001:cvm-role".as_ref(),
    ]);
    let endpoint = format!("http://{address}");
    let read = |args: &[&str]| {
        common::clean_command()
            .arg("tencent-metadata")
            .args(args)
            .args(["--endpoint", &endpoint, "--output", "json"])
            .output()
            .expect("cloudspec runs")
    };
    let name = read(&["get-cam-role-name"]);
    let text = String::from_utf8_lossy(&name.stdout);
    assert_eq!(
        name.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&name.stderr)
    );
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["RoleName"], "cvm-role", "{text}");
    let credentials = read(&["get-cam-role-credentials", "--role-name", "cvm-role"]);
    let text = String::from_utf8_lossy(&credentials.stdout);
    assert_eq!(credentials.status.code(), Some(0), "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["Code"], "Success", "{text}");
    assert!(
        value["TmpSecretId"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{text}"
    );
    let missing = read(&["get-cam-role-credentials", "--role-name", "other-role"]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_ne!(missing.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("NoRole") || stderr.contains("404"),
        "{stderr}"
    );
    send_signal(&running.0, "TERM");
    assert_eq!(running.0.wait().expect("exits").code(), Some(0));
}
