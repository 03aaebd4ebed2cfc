//! Replays the hostile-input corpus in `hostile/` (issue 10): every input listed in
//! `hostile/cases.json` is fed to the part of cloudspec it attacks, and what must happen is
//! checked: specs generate or are refused with positions, state files are refused, raw
//! requests get their status (or a closed connection) and leave the emulator healthy,
//! server answers and command lines give the documented exit code, text and no panic.
//! Servers bind 127.0.0.1; every read is bounded.

mod common;

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use cloudspec_emulator::{ConnectionTimeouts, Emulator, RunningEmulator, State};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hostile")
}

fn text(case: &Value, key: &str) -> Option<String> {
    case.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The input bytes of a case: its `file`, or `head` + `repeat` × `times` + `tail`.
fn input(case: &Value) -> Vec<u8> {
    if let Some(file) = text(case, "file") {
        return std::fs::read(corpus().join(&file))
            .unwrap_or_else(|error| panic!("{file}: {error}"));
    }
    let times = case.get("times").and_then(Value::as_u64).unwrap_or(0) as usize;
    let mut bytes = text(case, "head").unwrap_or_default().into_bytes();
    bytes.extend(
        text(case, "repeat")
            .unwrap_or_default()
            .repeat(times)
            .into_bytes(),
    );
    bytes.extend(text(case, "tail").unwrap_or_default().into_bytes());
    bytes
}

fn spec_case(name: &str, case: &Value) {
    let path = Path::new("specs/alibaba-demo.yaml");
    let source = String::from_utf8_lossy(&input(case)).into_owned();
    let result = cloudspec_codegen::spec::load_str(path, &source)
        .map_err(cloudspec_codegen::GenerateError::from)
        .and_then(|spec| cloudspec_codegen::generate(&[spec]));
    match (text(case, "expect").as_deref(), result) {
        (Some("generates"), Ok(files)) => assert!(!files.is_empty(), "{name}"),
        (Some("refused"), Err(cloudspec_codegen::GenerateError::Spec(diagnostics))) => {
            let shown = diagnostics.to_string();
            assert!(
                shown.contains(": error: "),
                "{name}: positioned diagnostics: {shown}"
            );
            for expected in strings(case, "contains") {
                assert!(
                    shown.contains(&expected),
                    "{name}: says {expected:?}:\n{shown}"
                );
            }
        }
        (expect, other) => panic!("{name}: expected {expect:?}, got {other:?}"),
    }
}

fn state_case(name: &str, case: &Value) {
    let source = String::from_utf8_lossy(&input(case)).into_owned();
    let parsed = State::from_yaml_str(&source)
        .and_then(State::validated)
        .or_else(|_| State::from_json_str(&source).and_then(State::validated));
    match text(case, "expect").as_deref() {
        Some("refused") => assert!(parsed.is_err(), "{name}: refused"),
        _ => assert!(parsed.is_ok(), "{name}: loads"),
    }
}

/// Sends raw bytes to the emulator; the status line's code, or `None` when the connection
/// closed without an answer.
fn send_raw(emulator: &RunningEmulator, bytes: &[u8], keep_open: bool) -> Option<u16> {
    let mut stream = TcpStream::connect(emulator.addr()).expect("connect to the emulator");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("read timeout");
    let _ = stream.write_all(bytes);
    // Half-closing would let hyper (without half_close) drop its answer; a kept-open
    // connection ends with the answer's `Connection: close` or the header-read timeout.
    if !keep_open {
        let _ = stream.flush();
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

fn healthy(emulator: &RunningEmulator) -> bool {
    send_raw(
        emulator,
        b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        // Not half-closed: hyper (without half_close) may drop the answer to a client that
        // closed its side; `Connection: close` ends the exchange.
        true,
    ) == Some(200)
}

fn cloudspec(args: &[String], env: &[(String, String)]) -> Output {
    common::clean_command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "emulator-alibaba-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "emulator-alibaba-secret")
        .env("BAIDUBCE_ACCESS_KEY_ID", "emulator-baidu-key")
        .env("BAIDUBCE_SECRET_ACCESS_KEY", "emulator-baidu-secret")
        .envs(env.iter().map(|(name, value)| (name, value)))
        .args(args)
        .output()
        .expect("cloudspec runs")
}

/// Serves `response` once on 127.0.0.1, in a thread.
fn serve_once(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            common::read_head(&mut stream);
            let _ = stream.write_all(&response);
        }
    });
    format!("http://{address}")
}

fn check_output(name: &str, case: &Value, output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    if let Some(exit) = case.get("exit").and_then(Value::as_i64) {
        assert_eq!(output.status.code(), Some(exit as i32), "{name}: {stderr}");
    }
    for expected in strings(case, "stderr_contains") {
        assert!(
            stderr.contains(&expected),
            "{name}: says {expected:?}: {stderr}"
        );
    }
    for forbidden in strings(case, "stderr_not") {
        assert!(
            !stderr.contains(&forbidden),
            "{name}: does not say {forbidden:?}: {stderr}"
        );
    }
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{name}: no raw control characters: {stderr:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_input_is_handled() {
    let cases: Vec<Value> = serde_json::from_slice(
        &std::fs::read(corpus().join("cases.json")).expect("hostile/cases.json"),
    )
    .expect("cases.json is JSON");
    assert!(cases.len() >= 30, "the corpus is all there");
    let state = State::from_yaml_file(corpus().join("../examples/state.yaml")).expect("state");
    let emulator = Emulator::builder()
        .state(state)
        .timeouts(ConnectionTimeouts {
            header_read: Duration::from_millis(500),
            body: Duration::from_secs(2),
        })
        .start()
        .await
        .expect("emulator on 127.0.0.1");
    let mut skipped = Vec::new();
    for case in &cases {
        let name = text(case, "name").unwrap_or_default();
        if let Some(reason) = text(case, "skip") {
            skipped.push(format!("{name}: {reason}"));
            continue;
        }
        match text(case, "kind").as_deref() {
            Some("spec") => spec_case(&name, case),
            Some("state") => state_case(&name, case),
            Some("request") => {
                let keep_open = case
                    .get("keep_open")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let expected = case
                    .get("status")
                    .and_then(Value::as_u64)
                    .map(|code| code as u16);
                let bytes = input(case);
                let got = tokio::task::block_in_place(|| send_raw(&emulator, &bytes, keep_open));
                assert_eq!(got, expected, "{name}");
                assert!(
                    tokio::task::block_in_place(|| healthy(&emulator)),
                    "{name}: still healthy"
                );
            }
            Some("response") => {
                let endpoint = serve_once(input(case));
                let args: Vec<String> = [
                    "baidu-bcc",
                    "delete-image",
                    "--image-id",
                    "m-1",
                    "--max-attempts",
                    "1",
                    "--endpoint",
                    &endpoint,
                ]
                .map(str::to_owned)
                .to_vec();
                let output = tokio::task::block_in_place(|| cloudspec(&args, &[]));
                check_output(&name, case, &output);
            }
            Some("cli") => {
                let args: Vec<String> = strings(case, "args")
                    .into_iter()
                    .map(|arg| arg.replace("{emulator}", &emulator.endpoint()))
                    .collect();
                let env: Vec<(String, String)> = case
                    .get("env")
                    .and_then(Value::as_object)
                    .map(|env| {
                        env.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                            .collect()
                    })
                    .unwrap_or_default();
                let output = tokio::task::block_in_place(|| cloudspec(&args, &env));
                check_output(&name, case, &output);
            }
            other => panic!("{name}: unknown kind {other:?}"),
        }
    }
    assert!(
        skipped.is_empty(),
        "no hostile input may be skipped: {skipped:?}"
    );
}
