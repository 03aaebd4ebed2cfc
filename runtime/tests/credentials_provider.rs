//! A client configured with a credentials provider asks it per attempt: a retry signs with
//! what the provider gives then, and a provider's error fails the call with nothing sent.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use cloudspec_runtime::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use cloudspec_runtime::{Client, Config, Credentials, SdkError};
use support::*;

/// Gives `key-1`, `key-2`, … (with a token), one per call, or fails from call `fail_from`.
#[derive(Debug, Default)]
struct Rotating {
    calls: AtomicU32,
    fail_from: Option<u32>,
}

impl ProvideCredentials for Rotating {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail_from.is_some_and(|from| n >= from) {
                return Err(CredentialsError::NotLoaded {
                    provider: "rotating",
                    reason: "told to stop".to_owned(),
                });
            }
            Ok(Credentials::new(format!("key-{n}"), format!("secret-{n}"))
                .with_security_token(format!("token-{n}")))
        })
    }
}

fn v3_key_id(request: &cloudspec_runtime::protocol::HttpRequest) -> String {
    let authorization = request.header("authorization").expect("signed");
    let credential = authorization
        .split("Credential=")
        .nth(1)
        .expect("a Credential part");
    credential.split(',').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_attempt_asks_the_provider_and_signs_with_its_answer() {
    let transport = Scripted::new([
        alibaba_error(503, "ServiceUnavailable"),
        respond(200, r#"{"RequestId":"ok-1"}"#),
    ]);
    let provider = Arc::new(Rotating::default());
    let config = Config::from_credentials_provider(provider.clone())
        .with_region("cn-hangzhou")
        .with_retry(fast_retry(3))
        .with_transport(transport.clone());
    let client = Client::new(&SWAS, config).unwrap();
    client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(v3_key_id(&requests[0]), "key-1");
    assert_eq!(v3_key_id(&requests[1]), "key-2");
    assert_eq!(
        requests[1].header("x-acs-security-token"),
        Some("token-2"),
        "the token of the second answer travels with the second attempt"
    );
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_provider_error_fails_the_call_with_its_source_and_sends_nothing() {
    let transport = Scripted::new([respond(200, r#"{"RequestId":"never"}"#)]);
    let provider = Rotating {
        fail_from: Some(1),
        ..Rotating::default()
    };
    let config = Config::from_credentials_provider(provider)
        .with_region("cn-hangzhou")
        .with_transport(transport.clone());
    assert!(config.has_credentials());
    let client = Client::new(&SWAS, config).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Credentials(_)), "{error:?}");
    let source = std::error::Error::source(&error).expect("the provider's error is the source");
    assert!(source.to_string().contains("told to stop"), "{source}");
    assert!(transport.requests().is_empty());
}

#[test]
fn debug_of_a_config_with_a_provider_hides_secrets() {
    let config = Config::from_credentials_provider(
        Credentials::new("AKID-visible", "secret-hidden-1").with_security_token("tok-hidden-2"),
    );
    let shown = format!("{config:?}");
    assert!(shown.contains("AKID-visible"), "{shown}");
    assert!(!shown.contains("secret-hidden-1") && !shown.contains("tok-hidden-2"));
}
