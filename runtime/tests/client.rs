//! `Client::invoke` with a scripted transport: retries, idempotency tokens, timeouts,
//! rate limiting, validation and construction errors.

mod support;

use std::time::Duration;

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::{
    Client, Config, ConfigError, Credentials, SdkError, Timeouts, TransportError, ValidationMode,
};
use support::*;

fn config(transport: &std::sync::Arc<Scripted>) -> Config {
    Config::new(Credentials::new(AK, SK))
        .with_region("cn-hangzhou")
        .with_retry(fast_retry(3))
        .with_transport(transport.clone())
}

fn query_value(request: &cloudspec_runtime::protocol::HttpRequest, name: &str) -> Option<String> {
    request
        .query_pairs()
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

#[tokio::test]
async fn retries_server_errors_with_a_fresh_signature_and_the_same_token() {
    let transport = Scripted::new([
        alibaba_error(503, "ServiceUnavailable"),
        alibaba_error(500, "InternalError"),
        respond(200, r#"{"RequestId":"ok-1"}"#),
    ]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let output = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1", "m-2"]))
        .await
        .unwrap();
    assert_eq!(output.request_id.as_deref(), Some("ok-1"));
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    let tokens: Vec<_> = requests
        .iter()
        .map(|request| query_value(request, "ClientToken"))
        .collect();
    assert!(
        tokens[0]
            .as_deref()
            .is_some_and(|token| uuid::Uuid::parse_str(token).is_ok()),
        "{tokens:?}"
    );
    assert!(
        tokens.iter().all(|token| token == &tokens[0]),
        "the idempotency token stays the same: {tokens:?}"
    );
    let nonces: Vec<_> = requests
        .iter()
        .map(|request| request.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    assert!(
        nonces[0] != nonces[1] && nonces[1] != nonces[2] && nonces[0] != nonces[2],
        "a fresh nonce per attempt: {nonces:?}"
    );
    let signatures: Vec<_> = requests
        .iter()
        .map(|request| request.header("Authorization").unwrap().to_owned())
        .collect();
    assert!(
        signatures[0] != signatures[1],
        "each attempt is signed afresh"
    );
    assert_eq!(
        query_value(&requests[0], "ImageIds").as_deref(),
        Some(r#"["m-1","m-2"]"#)
    );
}

#[tokio::test]
async fn a_caller_token_is_kept() {
    let transport = Scripted::new([
        alibaba_error(503, "ServiceUnavailable"),
        respond(200, r#"{"RequestId":"ok"}"#),
    ]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let input = SwasDeleteInput {
        client_token: Some("my-token".into()),
        ..SwasDeleteInput::new(&["m-1"])
    };
    client.invoke::<SwasDelete>(input).await.unwrap();
    for request in transport.requests() {
        assert_eq!(
            query_value(&request, "ClientToken").as_deref(),
            Some("my-token")
        );
    }
}

#[tokio::test]
async fn v1_nonces_change_per_attempt_too() {
    let transport = Scripted::new([
        alibaba_error(400, "Throttling.User"),
        respond(200, r#"{"RequestId":"ok"}"#),
    ]);
    let client = Client::new(
        &SWAS,
        config(&transport).with_alibaba_signature(AlibabaSignature::V1),
    )
    .unwrap();
    client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 2, "throttling is retried");
    assert_ne!(
        query_value(&requests[0], "SignatureNonce"),
        query_value(&requests[1], "SignatureNonce")
    );
    assert_eq!(
        query_value(&requests[0], "ClientToken"),
        query_value(&requests[1], "ClientToken")
    );
    for request in &requests {
        assert!(cloudspec_runtime::sign::alibaba_v1::verify(
            "GET",
            &request.query_pairs(),
            SK
        ));
    }
}

#[tokio::test]
async fn gives_up_after_max_attempts_and_records_them() {
    let transport = Scripted::new([
        alibaba_error(500, "InternalError"),
        alibaba_error(500, "InternalError"),
        alibaba_error(500, "InternalError"),
        respond(200, r#"{"RequestId":"never"}"#),
    ]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    let SdkError::Service(TestError(service)) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(service.code.as_deref(), Some("InternalError"));
    assert_eq!(service.attempts, 3);
    assert_eq!(transport.requests().len(), 3);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for step in [
        alibaba_error(404, "InvalidImageId.NotFound"),
        alibaba_error(400, "CustomImageInShare"),
        alibaba_error(403, "Forbidden.RAM"),
        respond(404, ""),
    ] {
        let transport = Scripted::new([step, respond(200, r#"{"RequestId":"never"}"#)]);
        let client = Client::new(&SWAS, config(&transport)).unwrap();
        let error = client
            .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
            .await
            .unwrap_err();
        let SdkError::Service(TestError(service)) = error else {
            panic!("{error:?}")
        };
        assert_eq!(service.attempts, 1);
        assert_eq!(transport.requests().len(), 1);
    }
}

#[tokio::test]
async fn not_found_after_a_retry_says_so() {
    let transport = Scripted::new([
        tencent_error("RequestLimitExceeded"),
        tencent_error("InvalidImageId.NotFound"),
    ]);
    let client = Client::new(&CVM, config(&transport)).unwrap();
    let input = CvmDeleteInput {
        image_ids: vec!["img-1".into()],
        dry_run: None,
        region: None,
    };
    let error = client.invoke::<CvmDelete>(input).await.unwrap_err();
    let SdkError::Service(TestError(service)) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(service.code.as_deref(), Some("InvalidImageId.NotFound"));
    assert_eq!((service.status, service.attempts), (200, 2));
    assert_eq!(
        service.request_id.as_deref(),
        Some("req-InvalidImageId.NotFound")
    );
    let shown = error.to_string();
    assert!(
        shown.contains("InvalidImageId.NotFound") && shown.contains("after 2 attempts"),
        "{shown}"
    );
}

#[tokio::test]
async fn transport_failures_are_retried_up_to_max_attempts() {
    let transport = Scripted::new([
        timeout(),
        timeout(),
        timeout(),
        respond(200, r#"{"RequestId":"never"}"#),
    ]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SdkError::Transport {
                attempts: 3,
                source: TransportError::Timeout(_)
            }
        ),
        "{error:?}"
    );
    assert_eq!(transport.requests().len(), 3);

    let transport = Scripted::new([timeout(), respond(200, r#"{"RequestId":"second"}"#)]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let output = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap();
    assert_eq!(output.request_id.as_deref(), Some("second"));
}

#[tokio::test]
async fn connection_refused_is_a_retried_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let config = Config::new(Credentials::new(AK, SK))
        .with_endpoint(format!("http://{address}"))
        .with_retry(fast_retry(2));
    let client = Client::new(&SWAS, config).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SdkError::Transport {
                attempts: 2,
                source: TransportError::Http(_)
            }
        ),
        "{error:?}"
    );
    assert!(
        std::error::Error::source(&error).is_some(),
        "the transport error is the source"
    );
}

#[tokio::test(start_paused = true)]
async fn each_attempt_has_its_own_timeout() {
    let transport = Scripted::new([Step::Hang, respond(200, r#"{"RequestId":"after-hang"}"#)]);
    let timeouts = Timeouts {
        attempt: Duration::from_millis(50),
        ..Timeouts::default()
    };
    let client = Client::new(&SWAS, config(&transport).with_timeouts(timeouts)).unwrap();
    let output = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap();
    assert_eq!(output.request_id.as_deref(), Some("after-hang"));
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_whole_call_is_bounded() {
    let transport = Scripted::new([Step::Hang]);
    let timeouts = Timeouts {
        attempt: Duration::from_secs(60),
        total: Duration::from_millis(100),
        ..Timeouts::default()
    };
    let client = Client::new(&SWAS, config(&transport).with_timeouts(timeouts)).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    match error {
        SdkError::Transport {
            source: TransportError::Timeout(after),
            attempts: 1,
        } => assert_eq!(after, Duration::from_millis(100)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn client_rate_limit_spaces_calls_of_an_operation() {
    let ok = || respond(200, r#"{"Response":{"RequestId":"ok"}}"#);
    let transport = Scripted::new([ok(), ok(), ok()]);
    let client = Client::new(&CVM, config(&transport).with_client_rate_limit(true)).unwrap();
    let input = CvmDeleteInput {
        image_ids: vec!["img-1".into()],
        dry_run: None,
        region: None,
    };
    let calls = (0..3).map(|_| client.invoke::<CvmDelete>(input.clone()));
    for result in futures_join_all(calls).await {
        result.unwrap();
    }
    let times = transport.send_times();
    assert_eq!(times.len(), 3);
    let mut sorted = times.clone();
    sorted.sort();
    for pair in sorted.windows(2) {
        // Virtual (paused) time: the limiter holds DeleteImages to 10 per second.
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(100),
            "{:?}",
            pair[1] - pair[0]
        );
    }

    let transport = Scripted::new([ok(), ok()]);
    let client = Client::new(&CVM, config(&transport)).unwrap();
    client.invoke::<CvmDelete>(input.clone()).await.unwrap();
    client.invoke::<CvmDelete>(input).await.unwrap();
    let times = transport.send_times();
    assert!(
        times[1] - times[0] < Duration::from_millis(100),
        "no limit unless asked for"
    );
}

/// Joins futures without a futures-crate dependency: spawn-free, polled together.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|output| output.expect("every future finished"))
        .collect()
}

#[tokio::test]
async fn tencent_region_comes_from_the_input_or_the_config() {
    let ok = || respond(200, r#"{"Response":{"RequestId":"ok"}}"#);
    let transport = Scripted::new([ok(), ok()]);
    let client = Client::new(&CVM, config(&transport).with_region("ap-shanghai")).unwrap();
    let input = CvmDeleteInput {
        image_ids: vec!["img-1".into()],
        dry_run: Some(true),
        region: None,
    };
    client.invoke::<CvmDelete>(input.clone()).await.unwrap();
    client
        .invoke::<CvmDelete>(CvmDeleteInput {
            region: Some("ap-guangzhou".into()),
            ..input
        })
        .await
        .unwrap();
    let requests = transport.requests();
    assert_eq!(
        requests[0].url,
        "https://cvm.ap-shanghai.tencentcloudapi.com/"
    );
    assert_eq!(requests[0].header("X-TC-Region"), Some("ap-shanghai"));
    assert_eq!(requests[1].header("X-TC-Region"), Some("ap-guangzhou"));
    assert_eq!(requests[0].body, br#"{"ImageIds":["img-1"],"DryRun":true}"#);
}

#[tokio::test]
async fn validation_refuses_before_sending_unless_off() {
    let ids: Vec<String> = (0..16).map(|index| format!("m-{index}")).collect();
    let input = SwasDeleteInput {
        image_ids: ids,
        ..SwasDeleteInput::new(&[])
    };
    let transport = Scripted::new([respond(200, r#"{"RequestId":"ok"}"#)]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let error = client
        .invoke::<SwasDelete>(input.clone())
        .await
        .unwrap_err();
    let SdkError::Validation(errors) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        errors
            .for_parameter("ImageIds")
            .map(|violation| violation.limit.as_str()),
        Some("at most 15 items")
    );
    assert!(transport.requests().is_empty());

    let client = Client::new(
        &SWAS,
        config(&transport).with_validation(ValidationMode::Off),
    )
    .unwrap();
    client.invoke::<SwasDelete>(input).await.unwrap();
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn missing_credentials_name_the_environment_variables() {
    let transport = Scripted::new([]);
    let config = Config::default()
        .with_region("cn-hangzhou")
        .with_transport(transport.clone());
    let client = Client::new(&SWAS, config).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    let SdkError::Construction(message) = &error else {
        panic!("{error:?}")
    };
    assert!(
        message.contains("ALIBABA_CLOUD_ACCESS_KEY_ID")
            && message.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{message}"
    );
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn a_regional_only_service_needs_a_region() {
    let transport = Scripted::new([]);
    let config = Config::new(Credentials::new(AK, SK)).with_transport(transport.clone());
    let client = Client::new(&SWAS, config).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Construction(message) if message.contains("with_region")),
        "{error:?}"
    );
}

#[tokio::test]
async fn endpoint_override_picks_scheme_and_host() {
    let transport = Scripted::new([respond(200, "")]);
    let config = Config::new(Credentials::new(AK, SK))
        .with_endpoint("http://127.0.0.1:1234")
        .with_transport(transport.clone());
    let client = Client::new(&BCC, config).unwrap();
    let output = client.invoke::<BccDelete>("m-1".to_owned()).await.unwrap();
    assert_eq!(output.request_id, None);
    let request = &transport.requests()[0];
    assert_eq!(request.url, "http://127.0.0.1:1234/v2/image/m-1");
    assert_eq!(request.header("Host"), Some("127.0.0.1:1234"));

    for bad in ["127.0.0.1:1234", "ftp://x", "http://h/path"] {
        let error = Client::new(
            &BCC,
            Config::new(Credentials::new(AK, SK)).with_endpoint(bad),
        )
        .unwrap_err();
        assert!(
            matches!(error, ConfigError::InvalidEndpoint { .. }),
            "{bad}: {error}"
        );
    }
}

#[tokio::test]
async fn response_headers_reach_the_output() {
    let transport = Scripted::new([Step::Respond(
        cloudspec_runtime::protocol::HttpResponse::new(200, "")
            .with_header("x-bce-request-id", "1214cca7-4ad5-451d-9215-71cb844c0a50"),
    )]);
    let client = Client::new(
        &BCC,
        Config::new(Credentials::new(AK, SK))
            .with_region("bj")
            .with_transport(transport.clone()),
    )
    .unwrap();
    let output = client
        .invoke::<BccDelete>("m-nky7qeom".to_owned())
        .await
        .unwrap();
    assert_eq!(
        output.request_id.as_deref(),
        Some("1214cca7-4ad5-451d-9215-71cb844c0a50")
    );
    assert_eq!(
        transport.requests()[0].url,
        "https://bcc.bj.baidubce.com/v2/image/m-nky7qeom"
    );
}

#[tokio::test]
async fn unreadable_answers_are_response_errors_and_not_retried() {
    let transport = Scripted::new([
        respond(200, "<html>maintenance</html>"),
        respond(200, r#"{"RequestId":"never"}"#),
    ]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    match &error {
        SdkError::Response {
            status: 200,
            body_excerpt,
            ..
        } => assert!(body_excerpt.contains("maintenance")),
        other => panic!("{other:?}"),
    }
    assert_eq!(transport.requests().len(), 1);

    let transport = Scripted::new([respond(200, r#"{"RequestId":42}"#)]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let error = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Response { reason, .. } if reason.contains("output type")),
        "{error:?}"
    );
}

#[test]
fn invoke_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let transport = Scripted::new([]);
    let client = Client::new(&SWAS, config(&transport)).unwrap();
    let future = client.invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]));
    assert_send(&future);
}
