//! The secret, the session token, signatures and `Authorization` headers never appear in
//! `Debug`/`Display` of configurations, clients, requests or errors, nor in the logs.

mod support;

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::{Client, Config, Credentials, SdkError};
use support::*;

fn credentials() -> Credentials {
    Credentials::new(AK, SK).with_security_token(TOKEN)
}

fn assert_clean(shown: &str, forbidden: &[String]) {
    assert!(!shown.contains(SK), "the secret leaked: {shown}");
    assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
    for value in forbidden {
        assert!(!shown.contains(value.as_str()), "`{value}` leaked: {shown}");
    }
}

/// Signatures and `Authorization` values the transport saw.
fn signatures(transport: &Scripted) -> Vec<String> {
    let mut found = Vec::new();
    for request in transport.requests() {
        if let Some(authorization) = request.header("Authorization") {
            found.push(authorization.to_owned());
            let signature = authorization.rsplit(['=', '/']).next().unwrap_or_default();
            found.push(signature.to_owned());
        }
        for (name, value) in request.query_pairs() {
            if name == "Signature" {
                found.push(value);
            }
        }
    }
    found
}

#[tokio::test]
async fn nothing_secret_is_shown_or_logged() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut shown = String::new();
    let mut forbidden = Vec::new();

    for signature in [AlibabaSignature::V3, AlibabaSignature::V1] {
        let transport = Scripted::new([
            alibaba_error(503, "ServiceUnavailable"),
            alibaba_error(404, "InvalidImageId.NotFound"),
            timeout(),
            timeout(),
            respond(200, "<html>oops</html>"),
            respond(200, r#"{"RequestId":"ok"}"#),
        ]);
        let config = Config::new(credentials())
            .with_region("cn-hangzhou")
            .with_retry(fast_retry(2))
            .with_alibaba_signature(signature)
            .with_transport(transport.clone());
        shown.push_str(&format!("{config:?} {config:#?}"));
        let client = Client::new(&SWAS, config).unwrap();
        shown.push_str(&format!("{client:?} {client:#?}"));

        let service_error = client
            .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
            .await
            .unwrap_err();
        assert!(matches!(service_error, SdkError::Service(_)));
        let transport_error = client
            .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
            .await
            .unwrap_err();
        assert!(matches!(transport_error, SdkError::Transport { .. }));
        let response_error = client
            .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
            .await
            .unwrap_err();
        assert!(matches!(response_error, SdkError::Response { .. }));
        client
            .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
            .await
            .unwrap();
        let validation_error = client
            .invoke::<SwasDelete>(SwasDeleteInput::new(&[]))
            .await
            .unwrap_err();
        for error in [
            &service_error,
            &transport_error,
            &response_error,
            &validation_error,
        ] {
            shown.push_str(&format!("{error} {error:?} {error:#?}"));
        }
        for request in transport.requests() {
            shown.push_str(&format!("{request:?} {request:#?}"));
        }
        forbidden.extend(signatures(&transport));
    }

    let no_endpoint = Client::new(&SWAS, Config::new(credentials())).unwrap();
    let error = no_endpoint
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    shown.push_str(&format!("{error} {error:?}"));
    let bad_endpoint =
        Client::new(&SWAS, Config::new(credentials()).with_endpoint("ftp://x")).unwrap_err();
    shown.push_str(&format!("{bad_endpoint} {bad_endpoint:?}"));

    assert!(
        forbidden.len() >= 8,
        "signatures were collected: {forbidden:?}"
    );
    assert_clean(&shown, &forbidden);
    let logs = capture.text();
    assert!(
        logs.contains("cloudspec_call") && logs.contains("DeleteCustomImages"),
        "{logs}"
    );
    assert!(logs.contains("attempt=2"), "one event per attempt: {logs}");
    assert!(
        !logs.to_ascii_lowercase().contains("authorization"),
        "{logs}"
    );
    assert_clean(&logs, &forbidden);
    assert!(
        shown.contains(AK),
        "the access key id is not secret and helps debugging"
    );
}

#[tokio::test]
async fn tencent_and_baidu_tokens_stay_hidden() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let transport = Scripted::new([
        tencent_error("AuthFailure.SignatureFailure"),
        respond(403, r#"{"code":"AccessDenied","message":"no"}"#),
    ]);
    let config = Config::new(credentials()).with_transport(transport.clone());
    let cvm = Client::new(&CVM, config.clone()).unwrap();
    let bcc = Client::new(&BCC, config.with_region("bj")).unwrap();
    let input = CvmDeleteInput {
        image_ids: vec!["img-1".into()],
        dry_run: None,
        region: None,
    };
    let cvm_error = cvm.invoke::<CvmDelete>(input).await.unwrap_err();
    let bcc_error = bcc.invoke::<BccDelete>("m-1".to_owned()).await.unwrap_err();
    let requests = transport.requests();
    assert_eq!(requests[0].header("X-TC-Token"), Some(TOKEN));
    assert_eq!(requests[1].header("x-bce-security-token"), Some(TOKEN));
    let mut shown = format!("{cvm:?} {bcc:?} {cvm_error} {cvm_error:?} {bcc_error} {bcc_error:?}");
    for request in &requests {
        shown.push_str(&format!("{request:?}"));
    }
    let forbidden = signatures(&transport);
    assert_clean(&shown, &forbidden);
    assert_clean(&capture.text(), &forbidden);
}
