//! The emulator does not wait forever: a connection that sends nothing, an idle keep-alive
//! connection and a request whose body never ends are all closed. Short timeouts are
//! configured so the tests are quick; each wait is bounded by a generous guard, and no
//! test asserts how long anything took.

use std::time::Duration;

use cloudspec_emulator::{ConnectionTimeouts, Emulator, RunningEmulator, State};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// How long a test waits for the emulator to act before failing.
const GUARD: Duration = Duration::from_secs(20);

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .state(State::default())
        .timeouts(ConnectionTimeouts {
            header_read: Duration::from_millis(300),
            body: Duration::from_millis(300),
        })
        .start()
        .await
        .expect("emulator on 127.0.0.1")
}

/// Reads until the emulator closes the connection; what it sent, or a failure when the
/// guard runs out first (the connection was left open).
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(GUARD, stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return received,
            Ok(Ok(read)) => received.extend_from_slice(&chunk[..read]),
            Err(_) => panic!(
                "the emulator left the connection open; received so far: {}",
                String::from_utf8_lossy(&received)
            ),
        }
    }
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let emulator = emulator().await;
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    assert!(read_until_closed(&mut stream).await.is_empty());
}

#[tokio::test]
async fn a_half_sent_head_is_closed() {
    let emulator = emulator().await;
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    stream
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let received = read_until_closed(&mut stream).await;
    assert!(
        !String::from_utf8_lossy(&received).contains("\"ok\""),
        "an incomplete head is never answered as a request"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_answer() {
    let emulator = emulator().await;
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    stream
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let received = String::from_utf8_lossy(&read_until_closed(&mut stream).await).into_owned();
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(received.contains("\"ok\""), "{received}");
}

#[tokio::test]
async fn a_body_that_never_ends_gets_408() {
    let emulator = emulator().await;
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    stream
        .write_all(
            b"POST /_emulator/faults HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"faults\":",
        )
        .await
        .unwrap();
    let received = String::from_utf8_lossy(&read_until_closed(&mut stream).await).into_owned();
    assert!(received.starts_with("HTTP/1.1 408"), "{received}");
}

#[tokio::test]
async fn the_defaults_are_documented_values() {
    assert_eq!(
        ConnectionTimeouts::default(),
        ConnectionTimeouts {
            header_read: Duration::from_secs(10),
            body: Duration::from_secs(30),
        }
    );
}
