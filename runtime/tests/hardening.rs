//! Hostile servers: redirects, session tokens in transport errors, endless bodies.
//! Every server binds 127.0.0.1 and serves a bounded number of connections.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::{Client, Config, Credentials, SdkError, TransportError};
use support::*;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

fn credentials() -> Credentials {
    Credentials::new(AK, SK).with_security_token(TOKEN)
}

/// Serves `connections` connections with `response` (written after the request head),
/// counting the connections accepted.
async fn serve_raw(
    response: Vec<u8>,
    connections: usize,
) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let handle = tokio::spawn(async move {
        for _ in 0..connections {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut head = Vec::new();
            let mut chunk = [0u8; 4096];
            while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 1 << 20 {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&chunk[..read]),
                }
            }
            let _ = socket.write_all(&response).await;
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://{address}"), accepted, handle)
}

fn ok_response() -> Vec<u8> {
    let body = r#"{"RequestId":"evil","Response":{"RequestId":"evil"}}"#;
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn redirects_to_another_origin_are_errors_and_are_not_followed() {
    for status in [302, 307] {
        let (evil, evil_hits, evil_server) = serve_raw(ok_response(), 3).await;
        let redirect = format!(
            "HTTP/1.1 {status} Moved\r\nLocation: {evil}/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let (endpoint, hits, server) = serve_raw(redirect.into_bytes(), 3).await;
        let config = || {
            Config::new(credentials())
                .with_endpoint(endpoint.clone())
                .with_region("bj")
                .with_retry(fast_retry(1))
        };
        let errors = [
            Client::new(&SWAS, config())
                .unwrap()
                .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
                .await
                .map(drop)
                .unwrap_err()
                .to_string(),
            Client::new(&CVM, config())
                .unwrap()
                .invoke::<CvmDelete>(CvmDeleteInput {
                    image_ids: vec!["img-1".into()],
                    dry_run: None,
                    region: None,
                })
                .await
                .map(drop)
                .unwrap_err()
                .to_string(),
            Client::new(&BCC, config())
                .unwrap()
                .invoke::<BccDelete>("m-1".to_owned())
                .await
                .map(drop)
                .unwrap_err()
                .to_string(),
        ];
        for error in &errors {
            assert!(
                error.contains(&format!("redirect (HTTP {status})")),
                "{error}"
            );
        }
        assert_eq!(
            hits.load(Ordering::SeqCst),
            3,
            "each call reached the service"
        );
        assert_eq!(
            evil_hits.load(Ordering::SeqCst),
            0,
            "no request (and no session token) reached the redirect target"
        );
        server.abort();
        evil_server.abort();
    }
}

#[tokio::test]
async fn a_custom_client_that_follows_redirects_is_caught() {
    let (evil, evil_hits, _evil_server) = serve_raw(ok_response(), 1).await;
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {evil}/steal?SecurityToken=echoed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let (endpoint, _, _server) = serve_raw(redirect.into_bytes(), 1).await;
    let follower = reqwest::Client::builder().build().unwrap();
    let config = Config::new(credentials())
        .with_endpoint(endpoint)
        .with_retry(fast_retry(3))
        .with_http_client(follower);
    let error = Client::new(&BCC, config)
        .unwrap()
        .invoke::<BccDelete>("m-1".to_owned())
        .await
        .unwrap_err();
    let SdkError::Transport {
        source: TransportError::Redirected { to },
        attempts,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 1, "a redirect is not retried");
    assert!(to.contains("/steal") && !to.contains("echoed"), "{to}");
    assert_eq!(evil_hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn signature_v1_tokens_never_reach_transport_errors_or_logs() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // A port nothing listens on: bind, note it, close it.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let config = Config::new(credentials())
        .with_endpoint(format!("http://{address}"))
        .with_retry(fast_retry(2))
        .with_alibaba_signature(AlibabaSignature::V1);
    let error = Client::new(&SWAS, config)
        .unwrap()
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Transport { .. }), "{error:?}");
    let mut shown = format!("{error} {error:?} {error:#?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    let logs = capture.text();
    for text in [&shown, &logs] {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
        assert!(!text.contains(SK), "the secret leaked: {text}");
        assert!(
            !text.contains("Signature=") || text.contains("Signature=%3Credacted%3E"),
            "the signature leaked: {text}"
        );
    }
    assert!(
        shown.contains("SecurityToken=%3Credacted%3E"),
        "the URL is still there, redacted: {shown}"
    );
}

#[tokio::test]
async fn response_bodies_are_capped_and_not_read_again() {
    let big = "x".repeat(4096);
    let with_length = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{big}",
        big.len()
    );
    let mut chunked =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..8 {
        chunked.extend_from_slice(format!("200\r\n{}\r\n", "y".repeat(512)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    for response in [with_length.into_bytes(), chunked] {
        let (endpoint, hits, server) = serve_raw(response, 3).await;
        let config = Config::new(credentials())
            .with_endpoint(endpoint)
            .with_retry(fast_retry(3))
            .with_max_response_body(1024);
        assert_eq!(config.max_response_body(), 1024);
        let error = Client::new(&BCC, config)
            .unwrap()
            .invoke::<BccDelete>("m-1".to_owned())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                SdkError::Transport {
                    source: TransportError::BodyTooLarge { limit: 1024 },
                    attempts: 1
                }
            ),
            "{error:?}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1, "not retried");
        server.abort();
    }
}

#[tokio::test]
async fn custom_transports_are_capped_too_and_the_default_is_ten_mebibytes() {
    assert_eq!(Config::default().max_response_body(), 10 * 1024 * 1024);
    let transport = Scripted::new([respond(200, &"z".repeat(100))]);
    let config = Config::new(credentials())
        .with_transport(transport)
        .with_region("bj")
        .with_max_response_body(99);
    let error = Client::new(&BCC, config)
        .unwrap()
        .invoke::<BccDelete>("m-1".to_owned())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SdkError::Transport {
                source: TransportError::BodyTooLarge { limit: 99 },
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn huge_timeouts_and_backoffs_do_not_overflow_the_clock() {
    let transport = Scripted::new([
        alibaba_error(503, "ServiceUnavailable"),
        respond(200, r#"{"RequestId":"ok"}"#),
    ]);
    let config = Config::new(credentials())
        .with_transport(transport.clone())
        .with_region("bj")
        .with_timeouts(cloudspec_runtime::Timeouts {
            connect: std::time::Duration::MAX,
            attempt: std::time::Duration::MAX,
            total: std::time::Duration::MAX,
        })
        .with_retry(cloudspec_runtime::RetryConfig {
            max_attempts: 2,
            initial_backoff: std::time::Duration::ZERO,
            max_backoff: std::time::Duration::ZERO,
        });
    Client::new(&BCC, config)
        .unwrap()
        .invoke::<BccDelete>("m-1".to_owned())
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);
}
