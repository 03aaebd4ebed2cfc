//! Each generated client sends its documented example correctly signed, with the example's
//! values in the places the document puts them, to an HTTP listener on 127.0.0.1; and the
//! documented sample response decodes into the typed output.

use cloudspec_conformance::capture::{CaptureServer, Captured};
use cloudspec_runtime::sign::{self, constant_time_eq};
use cloudspec_runtime::{Config, Credentials, RetryConfig};

const KEY_ID: &str = "conformance-key-id";
const SECRET: &str = "conformance-secret";

fn config(endpoint: &str) -> Config {
    Config::new(Credentials::new(KEY_ID, SECRET))
        .with_endpoint(endpoint)
        .with_retry(RetryConfig::disabled())
}

fn example_response_body(service: &str, operation: &str, example: &str) -> String {
    let example = cloudspec_conformance::example(service, operation, example);
    example
        .responses
        .iter()
        .find(|response| response.format == cloudspec_codegen::spec::model::BodyFormat::Json)
        .map(|response| response.body.clone())
        .unwrap_or_default()
}

fn assert_alibaba_v3_signed(captured: &Captured) {
    let authorization = captured
        .header("authorization")
        .expect("Authorization header");
    let parsed = sign::alibaba_v3::parse_authorization(authorization)
        .expect("ACS3-HMAC-SHA256 authorization");
    assert_eq!(parsed.access_key_id, KEY_ID);
    let expected = sign::alibaba_v3::expected_signature(&captured.request, &parsed, SECRET)
        .expect("recomputable");
    assert!(
        constant_time_eq(parsed.signature, &expected),
        "signature must verify for {captured:?}"
    );
}

fn example_input<T: serde::de::DeserializeOwned>(
    service: &str,
    operation: &str,
    example: &str,
) -> T {
    let example = cloudspec_conformance::example(service, operation, example);
    serde_json::from_value(cloudspec_conformance::example_input(example))
        .expect("the example builds a typed input")
}

/// ECS "Sample requests" (`Action=DeleteImage&ImageId=m-bp67acfmxazb4p****&RegionId=cn-hangzhou&Force=false`)
/// and "Sample success responses" (JSON format).
#[tokio::test]
async fn ecs_sample_request_is_signed_and_sample_response_decodes() {
    let body = example_response_body("alibaba-ecs", "DeleteImage", "delete-image");
    let server = CaptureServer::start(
        200,
        vec![("content-type".into(), "application/json".into())],
        body,
    )
    .await
    .expect("listener");
    let client = cloudspec_alibaba_ecs::Client::new(config(&server.endpoint)).expect("client");
    let input: cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput =
        example_input("alibaba-ecs", "DeleteImage", "delete-image");
    let output = client
        .delete_image(input)
        .await
        .expect("sample success response decodes");
    assert_eq!(
        output.request_id.as_deref(),
        Some("CEF72CEB-54B6-4AE8-B225-F876FF7BA984")
    );
    let captured = &server.received()[0];
    assert_eq!(captured.request.method, "GET");
    assert_eq!(captured.header("x-acs-action"), Some("DeleteImage"));
    assert_eq!(captured.header("x-acs-version"), Some("2014-05-26"));
    assert_eq!(captured.query("ImageId"), Some("m-bp67acfmxazb4p****"));
    assert_eq!(captured.query("RegionId"), Some("cn-hangzhou"));
    assert_eq!(captured.query("Force"), Some("false"));
    assert_alibaba_v3_signed(captured);
}

/// ECS with signature V1: the same sample, signed in the query (HMAC-SHA1).
#[tokio::test]
async fn ecs_sample_request_with_signature_v1() {
    let server = CaptureServer::start(200, vec![], r#"{"RequestId":"r"}"#.to_owned())
        .await
        .expect("listener");
    let config = config(&server.endpoint)
        .with_alibaba_signature(cloudspec_runtime::config::AlibabaSignature::V1);
    let client = cloudspec_alibaba_ecs::Client::new(config).expect("client");
    let input: cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput =
        example_input("alibaba-ecs", "DeleteImage", "delete-image");
    client.delete_image(input).await.expect("success");
    let captured = &server.received()[0];
    assert_eq!(captured.query("Action"), Some("DeleteImage"));
    assert_eq!(captured.query("Version"), Some("2014-05-26"));
    assert_eq!(captured.query("SignatureMethod"), Some("HMAC-SHA1"));
    assert!(
        sign::alibaba_v1::verify(&captured.request.method, &captured.request.query, SECRET),
        "V1 signature verifies: {captured:?}"
    );
}

/// ENS "Success response" (`{"Code": 0, ...}`): integer `Code` 0 is success, decoded into the output.
#[tokio::test]
async fn ens_success_response_with_code_zero() {
    let body = example_response_body("alibaba-ens", "DeleteImage", "success-response");
    let server = CaptureServer::start(200, vec![], body)
        .await
        .expect("listener");
    let client = cloudspec_alibaba_ens::Client::new(config(&server.endpoint)).expect("client");
    let output = client
        .delete_image(
            cloudspec_alibaba_ens::operation::delete_image::DeleteImageInput::new(
                "m-5taesrgwpo9zqj9cjqu792****",
            ),
        )
        .await
        .expect("Code 0 is success");
    assert_eq!(output.code, Some(0));
    assert_eq!(
        output.request_id.as_deref(),
        Some("0D94920B-0349-5097-A57F-31876405F2E5")
    );
    let captured = &server.received()[0];
    assert_eq!(captured.header("x-acs-version"), Some("2017-11-10"));
    assert_eq!(
        captured.query("ImageId"),
        Some("m-5taesrgwpo9zqj9cjqu792****")
    );
    assert_alibaba_v3_signed(captured);
}

/// SWAS `ImageIds` row: "The value can be a JSON array" — the IDs travel as one JSON array
/// string; `ClientToken` is sent as given.
#[tokio::test]
async fn swas_image_ids_travel_as_a_json_array_string() {
    let body = example_response_body("alibaba-swas", "DeleteCustomImages", "delete-custom-images");
    let server = CaptureServer::start(200, vec![], body)
        .await
        .expect("listener");
    let client = cloudspec_alibaba_swas::Client::new(config(&server.endpoint)).expect("client");
    let input: cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput =
        example_input("alibaba-swas", "DeleteCustomImages", "delete-custom-images");
    client.delete_custom_images(input).await.expect("success");
    let captured = &server.received()[0];
    assert_eq!(
        captured.query("ImageIds"),
        Some(r#"["m-2zehv38jjmwva1ee****","m-bp1hj0zhmheyq2kz****"]"#)
    );
    assert_eq!(
        captured.query("ClientToken"),
        Some("123e4567-e89b-12d3-a456-426655440000")
    );
    assert_eq!(captured.header("x-acs-action"), Some("DeleteCustomImages"));
    assert_alibaba_v3_signed(captured);
}

/// SWAS idempotency rule: when the caller gives no `ClientToken`, the client makes one.
#[tokio::test]
async fn swas_client_token_is_filled_when_absent() {
    cloudspec_conformance::rule("alibaba-swas", "DeleteCustomImages", "idempotency");
    let server = CaptureServer::start(200, vec![], r#"{"RequestId":"r"}"#.to_owned())
        .await
        .expect("listener");
    let client = cloudspec_alibaba_swas::Client::new(config(&server.endpoint)).expect("client");
    client
        .delete_custom_images(
            cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(
                "cn-hangzhou",
                ["m-1"],
            ),
        )
        .await
        .expect("success");
    let token = server.received()[0]
        .query("ClientToken")
        .map(str::to_owned)
        .expect("a token was filled in");
    assert!(
        !token.is_empty() && token.is_ascii() && token.chars().count() <= 64,
        "{token}"
    );
}

/// CVM Example2 "Checking whether the specified image can be deleted": a JSON body with
/// `ImageIds`, `DryRun` and `DeleteBindedSnap`, `X-TC-Action: DeleteImages`, TC3-signed.
#[tokio::test]
async fn cvm_example2_is_a_signed_json_body() {
    let body = example_response_body(
        "tencent-cvm",
        "DeleteImages",
        "checking-whether-image-can-be-deleted",
    );
    let server = CaptureServer::start(200, vec![], body)
        .await
        .expect("listener");
    let client =
        cloudspec_tencent_cvm::Client::new(config(&server.endpoint).with_region("ap-guangzhou"))
            .expect("client");
    let input: cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput = example_input(
        "tencent-cvm",
        "DeleteImages",
        "checking-whether-image-can-be-deleted",
    );
    let output = client.delete_images(input).await.expect("success");
    assert_eq!(
        output.request_id.as_deref(),
        Some("f24aca43-5135-4c9b-81fb-734969ce4c78")
    );
    let captured = &server.received()[0];
    assert_eq!(captured.request.method, "POST");
    assert_eq!(captured.header("X-TC-Action"), Some("DeleteImages"));
    assert_eq!(captured.header("X-TC-Version"), Some("2017-03-12"));
    assert_eq!(captured.header("X-TC-Region"), Some("ap-guangzhou"));
    let body: serde_json::Value =
        serde_json::from_slice(&captured.request.body).expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({"ImageIds": ["img-mfih409y"], "DeleteBindedSnap": true, "DryRun": true})
    );
    let authorization = captured.header("authorization").expect("Authorization");
    let parsed = sign::tencent_tc3::parse_authorization(authorization).expect("TC3 authorization");
    assert_eq!(parsed.service, "cvm");
    let expected = sign::tencent_tc3::expected_signature(&captured.request, &parsed, SECRET)
        .expect("recomputable");
    assert!(constant_time_eq(parsed.signature, &expected));
}

/// BCC "Request Instance" (`DELETE /v2/image/m-nky7qeom`) and "Return Instance" (200, empty
/// body, `x-bce-request-id`), bce-auth-v1-signed.
#[tokio::test]
async fn bcc_request_instance_and_return_instance() {
    let example = cloudspec_conformance::example("baidu-bcc", "DeleteImage", "delete-image");
    let request_id = example.responses[0]
        .headers
        .get("x-bce-request-id")
        .cloned()
        .expect("documented header");
    let server = CaptureServer::start(
        200,
        vec![("x-bce-request-id".into(), request_id.clone())],
        String::new(),
    )
    .await
    .expect("listener");
    let client = cloudspec_baidu_bcc::Client::new(config(&server.endpoint)).expect("client");
    let input: cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput =
        example_input("baidu-bcc", "DeleteImage", "delete-image");
    let output = client.delete_image(input).await.expect("success");
    assert_eq!(output.request_id.as_deref(), Some(request_id.as_str()));
    let captured = &server.received()[0];
    assert_eq!(captured.request.method, "DELETE");
    assert_eq!(captured.target, "/v2/image/m-nky7qeom");
    let authorization = captured.header("authorization").expect("Authorization");
    let parsed = sign::baidu::parse_authorization(authorization).expect("bce-auth-v1");
    let expected =
        sign::baidu::expected_signature(&captured.request, &parsed, SECRET).expect("recomputable");
    assert!(constant_time_eq(parsed.signature, &expected));
}

/// docs/protocols.md "Validation": a client can turn validation off; then an input over the
/// documented limit (SWAS: 16 `ImageIds`, "up to 15") is sent as is and the service decides.
#[tokio::test]
async fn validation_off_sends_an_over_limit_input() {
    let server = CaptureServer::start(200, vec![], r#"{"RequestId":"r"}"#.to_owned())
        .await
        .expect("listener");
    let ids: Vec<String> = (0..16).map(|i| format!("m-{i:04}")).collect();
    let input =
        cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(
            "cn-hangzhou",
            ids.clone(),
        );
    let enforcing = cloudspec_alibaba_swas::Client::new(config(&server.endpoint)).expect("client");
    match enforcing.delete_custom_images(input.clone()).await {
        Err(cloudspec_runtime::SdkError::Validation(errors)) => {
            assert!(errors.for_parameter("ImageIds").is_some())
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(
        server.received().is_empty(),
        "nothing is sent when validation refuses"
    );
    let relaxed = config(&server.endpoint).with_validation(cloudspec_runtime::ValidationMode::Off);
    let client = cloudspec_alibaba_swas::Client::new(relaxed).expect("client");
    client
        .delete_custom_images(input)
        .await
        .expect("sent unchecked");
    let sent: Vec<String> =
        serde_json::from_str(server.received()[0].query("ImageIds").expect("ImageIds"))
            .expect("JSON array");
    assert_eq!(sent, ids);
}
