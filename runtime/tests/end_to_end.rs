//! The default reqwest transport against a one-shot HTTP listener on 127.0.0.1: the
//! request that arrives is correctly signed (recomputed with the sign module from the bytes
//! received), and the canned answer decodes.

mod support;

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::sign::{alibaba_v1, alibaba_v3, baidu, constant_time_eq, tencent_tc3};
use cloudspec_runtime::{Client, Config, Credentials, SdkError};
use support::*;

fn local(endpoint: &str) -> Config {
    Config::new(Credentials::new(AK, SK))
        .with_endpoint(endpoint)
        .with_retry(fast_retry(1))
}

#[tokio::test]
async fn alibaba_v3_request_arrives_signed() {
    let (endpoint, server) = serve_once(
        200,
        &[("Content-Type", "application/json")],
        r#"{"RequestId":"30637AD6-D977-4833-A54C-CC89483E****"}"#,
    )
    .await;
    let client = Client::new(&SWAS, local(&endpoint)).unwrap();
    let output = client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&[
            "m-2zehv38jjmwva1ee****",
            "m-bp1hj0zhmheyq2kz****",
        ]))
        .await
        .unwrap();
    assert_eq!(
        output.request_id.as_deref(),
        Some("30637AD6-D977-4833-A54C-CC89483E****")
    );

    let received = server.await.unwrap();
    assert_eq!(received.method, "GET");
    assert_eq!(
        received.header("host"),
        Some(endpoint.trim_start_matches("http://"))
    );
    assert_eq!(received.header("x-acs-action"), Some("DeleteCustomImages"));
    assert_eq!(received.header("x-acs-version"), Some("2020-06-01"));
    assert_eq!(
        received.header("user-agent"),
        Some(
            format!(
                "cloudspec-alibaba-swas/0.1.0 cloudspec-runtime/{}",
                env!("CARGO_PKG_VERSION")
            )
            .as_str()
        )
    );
    let request = received.signing_request();
    assert!(request.query.contains(&(
        "ImageIds".to_owned(),
        r#"["m-2zehv38jjmwva1ee****","m-bp1hj0zhmheyq2kz****"]"#.to_owned()
    )));
    assert!(
        request
            .query
            .contains(&("RegionId".to_owned(), "cn-hangzhou".to_owned()))
    );
    let authorization =
        alibaba_v3::parse_authorization(received.header("authorization").unwrap()).unwrap();
    assert_eq!(authorization.access_key_id, AK);
    let expected = alibaba_v3::expected_signature(&request, &authorization, SK).unwrap();
    assert!(
        constant_time_eq(authorization.signature, &expected),
        "signature mismatch"
    );
}

#[tokio::test]
async fn alibaba_v1_request_arrives_signed() {
    let (endpoint, server) = serve_once(200, &[], r#"{"RequestId":"r-v1"}"#).await;
    let client = Client::new(
        &SWAS,
        local(&endpoint).with_alibaba_signature(AlibabaSignature::V1),
    )
    .unwrap();
    client
        .invoke::<SwasDelete>(SwasDeleteInput::new(&["m-1"]))
        .await
        .unwrap();
    let received = server.await.unwrap();
    let request = received.signing_request();
    assert!(
        request
            .query
            .contains(&("Action".to_owned(), "DeleteCustomImages".to_owned()))
    );
    assert!(
        request
            .query
            .contains(&("Format".to_owned(), "JSON".to_owned()))
    );
    assert!(
        alibaba_v1::verify("GET", &request.query, SK),
        "signature mismatch: {}",
        received.target
    );
}

#[tokio::test]
async fn tencent_request_arrives_signed() {
    let (endpoint, server) = serve_once(
        200,
        &[],
        r#"{"Response":{"RequestId":"71e69b56-32be-4412-ab45-49eded6a87be"}}"#,
    )
    .await;
    let client = Client::new(&CVM, local(&endpoint).with_region("ap-guangzhou")).unwrap();
    let input = CvmDeleteInput {
        image_ids: vec!["img-34vaef8fe".into()],
        dry_run: Some(true),
        region: None,
    };
    let output = client.invoke::<CvmDelete>(input).await.unwrap();
    assert_eq!(
        output.request_id.as_deref(),
        Some("71e69b56-32be-4412-ab45-49eded6a87be")
    );
    let received = server.await.unwrap();
    assert_eq!(
        (received.method.as_str(), received.target.as_str()),
        ("POST", "/")
    );
    assert_eq!(
        received.body,
        br#"{"ImageIds":["img-34vaef8fe"],"DryRun":true}"#
    );
    assert_eq!(received.header("x-tc-action"), Some("DeleteImages"));
    assert_eq!(received.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(
        received.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let authorization =
        tencent_tc3::parse_authorization(received.header("authorization").unwrap()).unwrap();
    assert_eq!(authorization.service, "cvm");
    let expected =
        tencent_tc3::expected_signature(&received.signing_request(), &authorization, SK).unwrap();
    assert!(
        constant_time_eq(authorization.signature, &expected),
        "signature mismatch"
    );
}

#[tokio::test]
async fn baidu_request_arrives_signed_and_the_header_request_id_is_read() {
    let (endpoint, server) = serve_once(
        200,
        &[("x-bce-request-id", "1214cca7-4ad5-451d-9215-71cb844c0a50")],
        "",
    )
    .await;
    let client = Client::new(&BCC, local(&endpoint)).unwrap();
    let output = client
        .invoke::<BccDelete>("m-nky7qeom".to_owned())
        .await
        .unwrap();
    assert_eq!(
        output.request_id.as_deref(),
        Some("1214cca7-4ad5-451d-9215-71cb844c0a50")
    );
    let received = server.await.unwrap();
    assert_eq!(
        (received.method.as_str(), received.target.as_str()),
        ("DELETE", "/v2/image/m-nky7qeom")
    );
    let authorization =
        baidu::parse_authorization(received.header("authorization").unwrap()).unwrap();
    assert_eq!(authorization.expires_in_seconds, 1800);
    let expected =
        baidu::expected_signature(&received.signing_request(), &authorization, SK).unwrap();
    assert!(
        constant_time_eq(authorization.signature, &expected),
        "signature mismatch"
    );
}

#[tokio::test]
async fn a_documented_404_arrives_as_a_service_error() {
    let (endpoint, server) = serve_once(404, &[("x-bce-request-id", "req-404")], "").await;
    let client = Client::new(&BCC, local(&endpoint)).unwrap();
    let error = client
        .invoke::<BccDelete>("m-missing".to_owned())
        .await
        .unwrap_err();
    let SdkError::Service(TestError(service)) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (
            service.code.as_deref(),
            service.status,
            service.request_id.as_deref(),
            service.attempts
        ),
        (None, 404, Some("req-404"), 1)
    );
    server.await.unwrap();
}
