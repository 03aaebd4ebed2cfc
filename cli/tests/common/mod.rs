//! Helpers shared by the command's integration tests.
#![allow(dead_code)]

use std::process::{Command, Output};

use cloudspec_emulator::{Emulator, RunningEmulator, State};

/// The built `cloudspec`, with nothing from the caller's cloud environment: no provider
/// variables, and a home folder with no profile files of the providers' tools.
pub fn clean_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cloudspec"));
    for (name, _) in std::env::vars() {
        if [
            "ALIBABA",
            "ALICLOUD",
            "TENCENTCLOUD",
            "BAIDUBCE",
            "BCE_",
            "TCCLI_",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name);
        }
    }
    command.env(
        "HOME",
        std::env::temp_dir().join("cloudspec-cli-tests-home-without-profiles"),
    );
    command
}

/// Reads a request head (up to the blank line, at most 64 KiB) from `stream`.
pub fn read_head(stream: &mut impl std::io::Read) -> Vec<u8> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    head
}

/// Access keys of every provider and a few resources of each service, for the emulator.
pub const STATE: &str = r#"{
  "access_keys": [
    { "provider": "alibaba", "id": "cli-alibaba-key", "secret": "cli-alibaba-secret", "account": "1000000000000001" },
    { "provider": "tencent", "id": "cli-tencent-key", "secret": "cli-tencent-secret", "account": "100000000001" },
    { "provider": "baidu", "id": "cli-baidu-key", "secret": "cli-baidu-secret", "account": "baidu-account-1" }
  ],
  "resources": [
    { "id": "m-free", "service": "ecs", "account": "1000000000000001", "region": "cn-hangzhou" },
    { "id": "m-used", "service": "ecs", "account": "1000000000000001", "region": "cn-hangzhou", "used_by": ["i-1"] },
    { "id": "m-s1", "service": "swas", "account": "1000000000000001", "region": "cn-hangzhou" },
    { "id": "m-s2", "service": "swas", "account": "1000000000000001", "region": "cn-hangzhou" },
    { "service": "cvm", "id": "img-aaaa0001", "account": "100000000001", "region": "ap-guangzhou" },
    { "service": "cvm", "id": "img-shared01", "account": "100000000001", "region": "ap-guangzhou", "shared_with": ["100000000002"] },
    { "service": "bcc", "id": "m-nky7qeom", "account": "baidu-account-1", "region": "bj" }
  ]
}"#;

/// The in-process emulator on 127.0.0.1 with [`STATE`].
pub async fn emulator() -> RunningEmulator {
    let state = State::from_json_str(STATE).expect("test state");
    Emulator::builder()
        .state(state)
        .start()
        .await
        .expect("emulator on 127.0.0.1")
}

/// Runs the built `cloudspec` with `args` and the credentials of every provider in the
/// environment (and nothing else from the caller's cloud environment).
pub fn cloudspec(args: &[&str]) -> Output {
    clean_command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "cli-alibaba-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "cli-alibaba-secret")
        .env("TENCENTCLOUD_SECRET_ID", "cli-tencent-key")
        .env("TENCENTCLOUD_SECRET_KEY", "cli-tencent-secret")
        .env("BAIDUBCE_ACCESS_KEY_ID", "cli-baidu-key")
        .env("BAIDUBCE_SECRET_ACCESS_KEY", "cli-baidu-secret")
        .args(args)
        .output()
        .expect("cloudspec runs")
}

/// Standard output as JSON (or a panic that shows both streams).
pub fn stdout_json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The registry's service named `name` (its short name or command).
pub fn svc(name: &str) -> cloudspec_emulator::Service {
    cloudspec_emulator::Service::named(name).expect("a service of the registry")
}

/// A server on 127.0.0.1 in a thread: answers up to `connections` connections with
/// `response` once their request head has arrived (or stays silent when `response` is
/// empty), counting what it accepted.
pub fn raw_server(
    response: Vec<u8>,
    connections: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::Write as _;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            read_head(&mut stream);
            if !response.is_empty() {
                let _ = stream.write_all(&response);
            }
            // Kept open: a silent server must stay silent until the client gives up.
            open.push(stream);
        }
    });
    (format!("http://{address}"), accepted)
}

/// An HTTP/1.1 answer with `Content-Length` and `Connection: close`.
pub fn http_response(status_line: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status_line}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
