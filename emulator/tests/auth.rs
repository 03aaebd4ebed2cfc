//! Authentication of every provider: unknown keys, wrong signatures, stale timestamps and
//! malformed signatures, each answered in the provider's envelope (docs/protocols.md
//! for the signing schemes; the codes are the providers' common errors, listed in
//! the emulator's README). A refused request changes nothing.

mod common;

use cloudspec_emulator::{Resource, RunningEmulator, State};
use cloudspec_runtime::sign::{SigningCredentials, SigningRequest, alibaba_v3, tencent_tc3};
use common::*;

fn state() -> State {
    keys()
        .with_resource(Resource::new(svc("ecs"), "m-ecs", ALI_ACCOUNT).in_region("cn-hangzhou"))
        .with_resource(Resource::new(svc("cvm"), "img-aaaa0001", TC_ACCOUNT))
        .with_resource(Resource::new(svc("bcc"), "m-bcc", BD_ACCOUNT))
}

const ECS: [(&str, &str); 4] = [
    ("Action", "DeleteImage"),
    ("Version", "2014-05-26"),
    ("ImageId", "m-ecs"),
    ("RegionId", "cn-hangzhou"),
];

fn ago(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() - seconds).unwrap()
}

fn assert_alibaba_error(resp: &Resp, status: u16, code: &str) {
    assert_eq!(
        (resp.status, resp.code().as_str()),
        (status, code),
        "{}",
        resp.body
    );
    let body = resp.json();
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(body[key].is_string(), "{key} missing in {body}");
    }
}

async fn assert_unchanged(emulator: &RunningEmulator) {
    assert_eq!(emulator.resources().len(), 3);
}

/// Alibaba signature V1: unknown AccessKeyId → 404 `InvalidAccessKeyId.NotFound`; wrong
/// secret → 400 `SignatureDoesNotMatch`; Timestamp older than 15 minutes → 400
/// `InvalidTimeStamp.Expired`; no Signature → 400 `IncompleteSignature`.
#[tokio::test]
async fn alibaba_v1_failures() {
    let emulator = start(state()).await;
    let resp = alibaba_v1(&emulator, "no-such-key", ALI_SECRET, &ECS).await;
    assert_alibaba_error(&resp, 404, "InvalidAccessKeyId.NotFound");
    let resp = alibaba_v1(&emulator, ALI_KEY, "wrong-secret", &ECS).await;
    assert_alibaba_error(&resp, 400, "SignatureDoesNotMatch");
    assert!(
        resp.json()["Message"]
            .as_str()
            .unwrap()
            .contains("string to sign")
    );
    let resp = alibaba_v1_at(&emulator, ALI_KEY, ALI_SECRET, &ECS, ago(16 * 60)).await;
    assert_alibaba_error(&resp, 400, "InvalidTimeStamp.Expired");
    let resp = alibaba_v1_at(&emulator, ALI_KEY, ALI_SECRET, &ECS, ago(-16 * 60)).await;
    assert_alibaba_error(&resp, 400, "InvalidTimeStamp.Expired");
    // Within the window: accepted.
    let resp = alibaba_v1_at(&emulator, ALI_KEY, ALI_SECRET, &ECS, ago(14 * 60)).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let resp = raw(
        &emulator,
        "GET",
        "/?Action=DeleteImage&Version=2014-05-26&ImageId=m-ecs&RegionId=cn-hangzhou&AccessKeyId=emulator-alibaba-key",
        &[],
        "",
    )
    .await;
    assert_alibaba_error(&resp, 400, "IncompleteSignature");
    // A Tencent key is not an Alibaba key.
    let resp = alibaba_v1(&emulator, TC_KEY, TC_SECRET, &ECS).await;
    assert_alibaba_error(&resp, 404, "InvalidAccessKeyId.NotFound");
}

/// Alibaba signature V3: the same four failures through the `Authorization` header, and a
/// request signed for another Host (the emulator verifies against the Host it received).
#[tokio::test]
async fn alibaba_v3_failures() {
    let emulator = start(state()).await;
    let params = [("ImageId", "m-ecs"), ("RegionId", "cn-hangzhou")];
    let v3 = |key: &'static str, secret: &'static str, at| {
        alibaba_v3_at(
            &emulator,
            key,
            secret,
            "DeleteImage",
            "2014-05-26",
            &params,
            at,
        )
    };
    assert_alibaba_error(
        &v3("no-such-key", ALI_SECRET, ago(0)).await,
        404,
        "InvalidAccessKeyId.NotFound",
    );
    assert_alibaba_error(
        &v3(ALI_KEY, "wrong", ago(0)).await,
        400,
        "SignatureDoesNotMatch",
    );
    assert_alibaba_error(
        &v3(ALI_KEY, ALI_SECRET, ago(20 * 60)).await,
        400,
        "InvalidTimeStamp.Expired",
    );
    let resp = raw(
        &emulator,
        "POST",
        "/?ImageId=m-ecs&RegionId=cn-hangzhou",
        &[
            ("x-acs-action", "DeleteImage"),
            ("x-acs-version", "2014-05-26"),
            ("authorization", "ACS3-HMAC-SHA256 garbage"),
        ],
        "",
    )
    .await;
    assert_alibaba_error(&resp, 400, "IncompleteSignature");

    let mut req = SigningRequest::new("POST", "ecs.aliyuncs.com", "/");
    req.query = vec![
        ("ImageId".into(), "m-ecs".into()),
        ("RegionId".into(), "cn-hangzhou".into()),
    ];
    req.set_header("x-acs-action", "DeleteImage");
    req.set_header("x-acs-version", "2014-05-26");
    alibaba_v3::sign(
        &mut req,
        &SigningCredentials::new(ALI_KEY, ALI_SECRET),
        jiff::Timestamp::now(),
        "nonce-1",
    )
    .unwrap();
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let resp = raw(
        &emulator,
        "POST",
        "/?ImageId=m-ecs&RegionId=cn-hangzhou",
        &headers,
        "",
    )
    .await;
    assert_alibaba_error(&resp, 400, "SignatureDoesNotMatch");
    assert_unchanged(&emulator).await;
}

/// The generated client with a wrong secret gets the common error as `Unhandled`, with
/// code, message, status and request id kept.
#[tokio::test]
async fn generated_client_sees_the_common_error() {
    let emulator = start(state()).await;
    let client = cloudspec_alibaba_ecs::Client::new(config(&emulator, ALI_KEY, "wrong")).unwrap();
    let error = service_error(
        client
            .delete_image(
                cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
                    "m-ecs",
                    "cn-hangzhou",
                ),
            )
            .await,
    );
    assert!(matches!(
        error,
        cloudspec_alibaba_ecs::operation::delete_image::DeleteImageError::Unhandled(_)
    ));
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(error.status(), 400);
    assert!(error.request_id().is_some());
    let client =
        cloudspec_tencent_cvm::Client::new(config(&emulator, "nobody", TC_SECRET)).unwrap();
    let error = service_error(
        client
            .delete_images(
                cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput::new([
                    "img-aaaa0001",
                ]),
            )
            .await,
    );
    assert_eq!(error.code(), Some("AuthFailure.SecretIdNotFound"));
    let client = cloudspec_baidu_bcc::Client::new(config(&emulator, BD_KEY, "wrong")).unwrap();
    let error = service_error(
        client
            .delete_image(
                cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput::new("m-bcc"),
            )
            .await,
    );
    assert_eq!(
        (error.code(), error.status()),
        (Some("SignatureDoesNotMatch"), 403)
    );
    assert_unchanged(&emulator).await;
}

/// Alibaba routing: a `Version` no product has → `InvalidVersion`; an action the product's
/// document does not describe → `InvalidAction.NotFound`.
#[tokio::test]
async fn alibaba_routing_errors() {
    let emulator = start(state()).await;
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteImage"),
            ("Version", "1999-01-01"),
            ("ImageId", "m-ecs"),
        ],
    )
    .await;
    assert_alibaba_error(&resp, 400, "InvalidVersion");
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[("Action", "DescribeImages"), ("Version", "2014-05-26")],
    )
    .await;
    assert_alibaba_error(&resp, 404, "InvalidAction.NotFound");
}

fn tc_error(resp: &Resp) -> String {
    assert_eq!(resp.status, 200, "Tencent errors arrive with HTTP 200");
    let json = resp.json();
    assert!(json["Response"]["RequestId"].is_string(), "{json}");
    assert!(json["Response"]["Error"]["Message"].is_string(), "{json}");
    resp.tc_code().unwrap_or_default()
}

/// TC3: unknown SecretId → `AuthFailure.SecretIdNotFound`; wrong secret →
/// `AuthFailure.SignatureFailure`; a timestamp more than 300 s away →
/// `AuthFailure.SignatureExpire`; a malformed Authorization → `AuthFailure.InvalidAuthorization`.
/// All with HTTP 200 and `{"Response":{"Error":{..},"RequestId"}}`.
#[tokio::test]
async fn tencent_failures() {
    let emulator = start(state()).await;
    let body = r#"{"ImageIds":["img-aaaa0001"]}"#;
    let now = jiff::Timestamp::now().as_second();
    let resp = tencent_post(&emulator, "no-such-id", TC_SECRET, body, None).await;
    assert_eq!(tc_error(&resp), "AuthFailure.SecretIdNotFound");
    let resp = tencent_post(&emulator, TC_KEY, "wrong", body, None).await;
    assert_eq!(tc_error(&resp), "AuthFailure.SignatureFailure");
    let resp = tencent_post_at(&emulator, TC_KEY, TC_SECRET, body, None, now - 301).await;
    assert_eq!(tc_error(&resp), "AuthFailure.SignatureExpire");
    let resp = tencent_post_at(&emulator, TC_KEY, TC_SECRET, body, None, now + 301).await;
    assert_eq!(tc_error(&resp), "AuthFailure.SignatureExpire");
    let resp = raw(
        &emulator,
        "POST",
        "/",
        &[
            ("content-type", "application/json"),
            ("x-tc-action", "DeleteImages"),
            ("x-tc-version", "2017-03-12"),
            ("x-tc-timestamp", &now.to_string()),
            ("authorization", "TC3-HMAC-SHA256 nonsense"),
        ],
        body,
    )
    .await;
    assert_eq!(tc_error(&resp), "AuthFailure.InvalidAuthorization");
    let resp = tencent_post(&emulator, BD_KEY, BD_SECRET, body, None).await;
    assert_eq!(tc_error(&resp), "AuthFailure.SecretIdNotFound");
    assert_unchanged(&emulator).await;
}

/// bce-auth-v1: unknown AK → 403 `InvalidAccessKeyId`; wrong SK → 403
/// `SignatureDoesNotMatch`; signed longer ago than its expiry (at most 7 days honoured) or
/// more than 15 minutes ahead → 400 `RequestExpired`; all
/// as `{"requestId","code","message"}` with `x-bce-request-id`.
#[tokio::test]
async fn baidu_failures() {
    let emulator = start(state()).await;
    let check = |resp: &Resp, status: u16, code: &str| {
        assert_eq!(resp.status, status, "{}", resp.body);
        let json = resp.json();
        assert_eq!(json["code"], code, "{json}");
        assert!(json["message"].is_string());
        assert_eq!(json["requestId"].as_str(), resp.header("x-bce-request-id"));
    };
    check(
        &baidu_delete(&emulator, "no-such-ak", BD_SECRET, "m-bcc").await,
        403,
        "InvalidAccessKeyId",
    );
    check(
        &baidu_delete(&emulator, BD_KEY, "wrong", "m-bcc").await,
        403,
        "SignatureDoesNotMatch",
    );
    let resp = baidu_at(
        &emulator,
        (BD_KEY, BD_SECRET),
        "DELETE",
        "/v2/image/m-bcc",
        &[],
        ago(3600),
        1800,
    )
    .await;
    check(&resp, 400, "RequestExpired");
    // Hardening: absurd dates are bounded (README "Authentication"): ten years ahead, or
    // from 2000 with an expiry of 4294967295 seconds.
    let ten_years_ahead =
        jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() + 10 * 365 * 24 * 3600)
            .unwrap();
    let from_2000: jiff::Timestamp = "2000-01-01T00:00:00Z".parse().unwrap();
    for (at, expires) in [(ten_years_ahead, 1800), (from_2000, u32::MAX)] {
        let resp = baidu_at(
            &emulator,
            (BD_KEY, BD_SECRET),
            "DELETE",
            "/v2/image/m-bcc",
            &[],
            at,
            expires,
        )
        .await;
        check(&resp, 400, "RequestExpired");
    }
    let resp = raw(
        &emulator,
        "DELETE",
        "/v2/image/m-bcc",
        &[("authorization", "bce-auth-v1/garbage")],
        "",
    )
    .await;
    check(&resp, 400, "InvalidHTTPAuthHeader");
    assert_unchanged(&emulator).await;
}

/// Tencent routing: a version other than the document's `2017-03-12` → `NoSuchVersion`; an
/// action the spec does not have → `InvalidAction`; nothing changes.
#[tokio::test]
async fn tencent_routing_errors() {
    let emulator = start(state()).await;
    let body = r#"{"ImageIds":["img-aaaa0001"]}"#;
    let now = jiff::Timestamp::now().as_second();
    let resp = tencent_call(
        &emulator,
        (TC_KEY, TC_SECRET),
        ("DeleteImages", "2099-01-01"),
        body,
        None,
        now,
    )
    .await;
    assert_eq!(tc_error(&resp), "NoSuchVersion");
    let resp = tencent_call(
        &emulator,
        (TC_KEY, TC_SECRET),
        ("DescribeNothingAtAll", "2017-03-12"),
        body,
        None,
        now,
    )
    .await;
    assert_eq!(tc_error(&resp), "InvalidAction");
    assert_unchanged(&emulator).await;
}

/// A TC3 request signed over `signed_host` and sent to the emulator, whose Host header is
/// `127.0.0.1:PORT`.
async fn tencent_signed_over(
    emulator: &RunningEmulator,
    signed_host: &str,
    secret: &str,
    timestamp: &str,
) -> Resp {
    let body = r#"{"ImageIds":["img-aaaa0001"]}"#;
    let mut req = SigningRequest::new("POST", signed_host, "/");
    req.set_header("Content-Type", "application/json");
    req.set_header("X-TC-Action", "DeleteImages");
    req.set_header("X-TC-Version", "2017-03-12");
    req.body = body.as_bytes().to_vec();
    tencent_tc3::sign(
        &mut req,
        &SigningCredentials::new(TC_KEY, secret),
        "cvm",
        jiff::Timestamp::now().as_second(),
        None,
    )
    .expect("signs");
    req.set_header("X-TC-Timestamp", timestamp);
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    raw(emulator, "POST", "/", &headers, body).await
}

/// The emulator's choice (README "Authentication"): a TC3 signature over the host without
/// its port is accepted, as some official clients sign the URL's host name; a wrong secret
/// over either form is still refused.
#[tokio::test]
async fn tc3_over_the_host_without_its_port_is_accepted() {
    let emulator = start(state()).await;
    let now = jiff::Timestamp::now().as_second().to_string();
    let wrong = tencent_signed_over(&emulator, "127.0.0.1", "not-the-secret", &now).await;
    assert_eq!(
        wrong.tc_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    let other_host = tencent_signed_over(&emulator, "127.0.0.2", TC_SECRET, &now).await;
    assert_eq!(
        other_host.tc_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
    let portless = tencent_signed_over(&emulator, "127.0.0.1", TC_SECRET, &now).await;
    assert_eq!(portless.tc_code(), None, "{}", portless.body);
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_none());
}

/// Hardening: an `X-TC-Timestamp` of `i64::MIN` once overflowed the skew computation and
/// panicked the connection's task; it is a stale signature.
#[tokio::test]
async fn extreme_tc3_timestamps_are_stale_not_a_panic() {
    let emulator = start(state()).await;
    for timestamp in ["-9223372036854775808", "9223372036854775807"] {
        let addr = emulator.addr().to_string();
        let resp = tencent_signed_over(&emulator, &addr, TC_SECRET, timestamp).await;
        assert_eq!(
            resp.tc_code().as_deref(),
            Some("AuthFailure.SignatureExpire"),
            "{timestamp}: {}",
            resp.body
        );
    }
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
}
