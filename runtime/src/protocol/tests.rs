//! Protocol tests as data: the exact wire form for given parameters, and the exact
//! decoded value for given bytes.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::meta::{Endpoints, ServiceMeta};
use crate::sign::{alibaba_v1, alibaba_v3, baidu as baidu_sign, constant_time_eq, tencent_tc3};

const AK: &str = "LTAI-test-id";
const SK: &str = "test-secret-value";

static ECS: ServiceMeta = ServiceMeta {
    provider: Provider::Alibaba,
    name: "ecs",
    product_code: "ecs",
    title: "Elastic Compute Service",
    api_version: "2014-05-26",
    protocol: Protocol::AlibabaRpc,
    endpoints: Endpoints {
        global: Some("ecs.aliyuncs.com"),
        regional: Some("ecs.{region}.aliyuncs.com"),
        regions: &[],
        vpc: None,
    },
    crate_name: "cloudspec-alibaba-ecs",
    crate_version: "0.1.0",
};

static ECS_DELETE_IMAGE: OperationMeta = OperationMeta {
    service: &ECS,
    name: "DeleteImage",
    action: Some("DeleteImage"),
    api_version: ECS.api_version,
    method: "GET",
    path: "/",
    response_headers: &[],
    text_body: None,
    idempotency_token: None,
    rate_limit_per_second: None,
    auth: crate::Auth::Signed,
};

static SWAS: ServiceMeta = ServiceMeta {
    provider: Provider::Alibaba,
    name: "swas",
    product_code: "swas-open",
    title: "Simple Application Server",
    api_version: "2020-06-01",
    protocol: Protocol::AlibabaRpc,
    endpoints: Endpoints {
        global: None,
        regional: Some("swas.{region}.aliyuncs.com"),
        regions: &[],
        vpc: None,
    },
    crate_name: "cloudspec-alibaba-swas",
    crate_version: "0.1.0",
};

static SWAS_DELETE: OperationMeta = OperationMeta {
    service: &SWAS,
    name: "DeleteCustomImages",
    action: Some("DeleteCustomImages"),
    api_version: SWAS.api_version,
    method: "GET",
    path: "/",
    response_headers: &[],
    text_body: None,
    idempotency_token: Some("ClientToken"),
    rate_limit_per_second: None,
    auth: crate::Auth::Signed,
};

static CVM: ServiceMeta = ServiceMeta {
    provider: Provider::Tencent,
    name: "cvm",
    product_code: "cvm",
    title: "Cloud Virtual Machine",
    api_version: "2017-03-12",
    protocol: Protocol::TencentApi3,
    endpoints: Endpoints {
        global: Some("cvm.tencentcloudapi.com"),
        regional: Some("cvm.{region}.tencentcloudapi.com"),
        regions: &[],
        vpc: None,
    },
    crate_name: "cloudspec-tencent-cvm",
    crate_version: "0.1.0",
};

static CVM_DELETE: OperationMeta = OperationMeta {
    service: &CVM,
    name: "DeleteImages",
    action: Some("DeleteImages"),
    api_version: CVM.api_version,
    method: "POST",
    path: "/",
    response_headers: &[],
    text_body: None,
    idempotency_token: None,
    rate_limit_per_second: Some(10),
    auth: crate::Auth::Signed,
};

static CVM_DELETE_GET: OperationMeta = OperationMeta {
    method: "GET",
    ..CVM_DELETE
};

static BCC: ServiceMeta = ServiceMeta {
    provider: Provider::Baidu,
    name: "bcc",
    product_code: "bcc",
    title: "Cloud Compute Service",
    api_version: "v2",
    protocol: Protocol::BaiduRest,
    endpoints: Endpoints {
        global: None,
        regional: Some("bcc.{region}.baidubce.com"),
        regions: &["bj", "gz"],
        vpc: None,
    },
    crate_name: "cloudspec-baidu-bcc",
    crate_version: "0.1.0",
};

static BCC_DELETE: OperationMeta = OperationMeta {
    service: &BCC,
    name: "DeleteImage",
    action: None,
    api_version: BCC.api_version,
    method: "DELETE",
    path: "/v{version}/image/{imageId}",
    response_headers: &["x-bce-request-id"],
    text_body: None,
    idempotency_token: None,
    rate_limit_per_second: None,
    auth: crate::Auth::Signed,
};

static BCC_POST: OperationMeta = OperationMeta {
    name: "Demo",
    method: "POST",
    path: "/v2/demo",
    response_headers: &[],
    text_body: None,
    ..BCC_DELETE
};

fn credentials() -> Credentials {
    Credentials::new(AK, SK)
}

fn timestamp() -> jiff::Timestamp {
    "2023-10-26T10:22:32Z".parse().unwrap()
}

fn context<'a>(
    meta: &'static OperationMeta,
    params: &'a [WireParam],
    host: &'a str,
    creds: &'a Credentials,
) -> RequestContext<'a> {
    RequestContext {
        meta,
        params,
        scheme: "https",
        host,
        region: None,
        credentials: Some(creds),
        timestamp: timestamp(),
        nonce: "nonce-1",
        alibaba_signature: AlibabaSignature::V3,
    }
}

fn string(name: &'static str, location: ParamLocation, value: &str) -> WireParam {
    WireParam::new(name, location, WireValue::String(value.to_owned()))
}

fn list(
    name: &'static str,
    location: ParamLocation,
    items: &[&str],
    style: ListStyle,
) -> WireParam {
    WireParam::new(
        name,
        location,
        WireValue::List(items.iter().map(|item| (*item).to_owned()).collect(), style),
    )
}

fn header_names(request: &HttpRequest) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    names.sort();
    names
}

// --- Alibaba RPC -------------------------------------------------------------------------

#[test]
fn swas_v3_sends_json_in_string_list_and_signs_headers() {
    let creds = credentials();
    let params = [
        string("RegionId", ParamLocation::Query, "cn-hangzhou"),
        list(
            "ImageIds",
            ParamLocation::Query,
            &["m-1", "m-2"],
            ListStyle::JsonInString,
        ),
        string("ClientToken", ParamLocation::Query, "token-1"),
    ];
    let request = build_request(&context(
        &SWAS_DELETE,
        &params,
        "swas.cn-hangzhou.aliyuncs.com",
        &creds,
    ))
    .unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.url,
        "https://swas.cn-hangzhou.aliyuncs.com/?ClientToken=token-1&ImageIds=%5B%22m-1%22%2C%22m-2%22%5D&RegionId=cn-hangzhou"
    );
    assert_eq!(
        request.query_pairs(),
        [
            ("ClientToken".to_owned(), "token-1".to_owned()),
            ("ImageIds".to_owned(), r#"["m-1","m-2"]"#.to_owned()),
            ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
        ]
    );
    assert!(request.body.is_empty());
    assert_eq!(
        request.headers[0],
        (
            "Host".to_owned(),
            "swas.cn-hangzhou.aliyuncs.com".to_owned()
        )
    );
    assert_eq!(request.header("x-acs-action"), Some("DeleteCustomImages"));
    assert_eq!(request.header("x-acs-version"), Some("2020-06-01"));
    assert_eq!(request.header("x-acs-date"), Some("2023-10-26T10:22:32Z"));
    assert_eq!(request.header("x-acs-signature-nonce"), Some("nonce-1"));
    assert_eq!(
        header_names(&request),
        [
            "authorization",
            "host",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version"
        ]
    );
    let authorization = request.header("Authorization").unwrap();
    let parsed = alibaba_v3::parse_authorization(authorization).unwrap();
    assert_eq!(parsed.access_key_id, AK);
    assert_eq!(
        parsed.signed_headers,
        [
            "host",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version"
        ]
    );
    let expected = alibaba_v3::expected_signature(&request.signing_request(), &parsed, SK).unwrap();
    assert!(constant_time_eq(parsed.signature, &expected));
}

#[test]
fn ecs_v1_puts_everything_in_the_query() {
    let creds = credentials();
    let params = [
        string("ImageId", ParamLocation::Query, "m-bp67acfmxazb4p****"),
        string("RegionId", ParamLocation::Query, "cn-hangzhou"),
        WireParam::new("Force", ParamLocation::Query, WireValue::Bool(false)),
        WireParam::new("DryRun", ParamLocation::Query, WireValue::Bool(true)),
        WireParam::new("Count", ParamLocation::Query, WireValue::Integer(3)),
        list(
            "InstanceId.N",
            ParamLocation::Query,
            &["i-1", "i 2"],
            ListStyle::Flattened,
        ),
    ];
    let mut ctx = context(&ECS_DELETE_IMAGE, &params, "ecs.aliyuncs.com", &creds);
    ctx.alibaba_signature = AlibabaSignature::V1;
    let request = build_request(&ctx).unwrap();
    let query = request.query_pairs();
    let value = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(value("Action"), Some("DeleteImage"));
    assert_eq!(value("Version"), Some("2014-05-26"));
    assert_eq!(value("Format"), Some("JSON"));
    assert_eq!(value("ImageId"), Some("m-bp67acfmxazb4p****"));
    assert_eq!(value("Force"), Some("false"));
    assert_eq!(value("DryRun"), Some("true"));
    assert_eq!(value("Count"), Some("3"));
    assert_eq!(value("InstanceId.1"), Some("i-1"));
    assert_eq!(value("InstanceId.2"), Some("i 2"));
    assert_eq!(value("InstanceId.N"), None);
    assert_eq!(value("AccessKeyId"), Some(AK));
    assert_eq!(value("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(value("SignatureNonce"), Some("nonce-1"));
    assert_eq!(value("Timestamp"), Some("2023-10-26T10:22:32Z"));
    assert!(
        request
            .url
            .contains("&ImageId=m-bp67acfmxazb4p%2A%2A%2A%2A&"),
        "{}",
        request.url
    );
    assert!(
        request.url.contains("&InstanceId.2=i%202&"),
        "{}",
        request.url
    );
    assert!(request.header("Authorization").is_none());
    assert!(request.header("x-acs-action").is_none());
    assert!(alibaba_v1::verify("GET", &query, SK));
    assert!(!alibaba_v1::verify("GET", &query, "other-secret"));
}

#[test]
fn v3_sends_no_action_or_version_in_the_query() {
    let creds = credentials();
    let params = [string("ImageId", ParamLocation::Query, "m-1")];
    let request = build_request(&context(
        &ECS_DELETE_IMAGE,
        &params,
        "ecs.aliyuncs.com",
        &creds,
    ))
    .unwrap();
    assert_eq!(
        request.query_pairs(),
        [("ImageId".to_owned(), "m-1".to_owned())]
    );
}

#[test]
fn security_tokens_travel_and_debug_hides_them() {
    let creds = Credentials::new(AK, SK).with_security_token("sts-token-xyz");
    let params = [string("ImageId", ParamLocation::Query, "m-1")];
    let mut ctx = context(&ECS_DELETE_IMAGE, &params, "ecs.aliyuncs.com", &creds);
    ctx.alibaba_signature = AlibabaSignature::V1;
    let v1 = build_request(&ctx).unwrap();
    assert!(
        v1.query_pairs()
            .contains(&("SecurityToken".to_owned(), "sts-token-xyz".to_owned()))
    );
    let signature = v1
        .query_pairs()
        .into_iter()
        .find(|(name, _)| name == "Signature")
        .unwrap()
        .1;
    ctx.alibaba_signature = AlibabaSignature::V3;
    let v3 = build_request(&ctx).unwrap();
    assert_eq!(v3.header("x-acs-security-token"), Some("sts-token-xyz"));
    let authorization = v3.header("Authorization").unwrap().to_owned();
    for request in [&v1, &v3] {
        let shown = format!("{request:?}");
        assert!(!shown.contains("sts-token-xyz"), "{shown}");
        assert!(!shown.contains(&rfc3986(&signature)), "{shown}");
        assert!(!shown.contains(&authorization), "{shown}");
        assert!(!shown.contains(SK), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

// --- Tencent API 3.0 ---------------------------------------------------------------------

#[test]
fn cvm_post_sends_a_json_body_and_tc3_headers() {
    let creds = credentials();
    let params = [
        string("Region", ParamLocation::Common, "ap-guangzhou"),
        list(
            "ImageIds",
            ParamLocation::Body,
            &["img-1", "img-2"],
            ListStyle::JsonArray,
        ),
        WireParam::new(
            "DeleteBindedSnap",
            ParamLocation::Body,
            WireValue::Bool(true),
        ),
        WireParam::new("DryRun", ParamLocation::Body, WireValue::Bool(false)),
    ];
    let mut ctx = context(&CVM_DELETE, &params, "cvm.tencentcloudapi.com", &creds);
    ctx.region = Some("ap-shanghai");
    let request = build_request(&ctx).unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://cvm.tencentcloudapi.com/");
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        r#"{"ImageIds":["img-1","img-2"],"DeleteBindedSnap":true,"DryRun":false}"#
    );
    assert_eq!(
        request.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(request.header("X-TC-Action"), Some("DeleteImages"));
    assert_eq!(request.header("X-TC-Version"), Some("2017-03-12"));
    assert_eq!(
        request.header("X-TC-Region"),
        Some("ap-guangzhou"),
        "the input's Region wins over the configured one"
    );
    assert_eq!(request.header("X-TC-Timestamp"), Some("1698315752"));
    assert_eq!(
        header_names(&request),
        [
            "authorization",
            "content-type",
            "host",
            "x-tc-action",
            "x-tc-region",
            "x-tc-timestamp",
            "x-tc-version"
        ]
    );
    let authorization = request.header("Authorization").unwrap();
    assert!(
        authorization.starts_with(&format!("TC3-HMAC-SHA256 Credential={AK}/2023-10-26/cvm/tc3_request, SignedHeaders=content-type;host, Signature=")),
        "{authorization}"
    );
    let parsed = tencent_tc3::parse_authorization(authorization).unwrap();
    let expected =
        tencent_tc3::expected_signature(&request.signing_request(), &parsed, SK).unwrap();
    assert!(constant_time_eq(parsed.signature, &expected));
}

#[test]
fn cvm_region_falls_back_to_the_configuration_or_is_omitted() {
    let creds = credentials();
    let params = [list(
        "ImageIds",
        ParamLocation::Body,
        &["img-1"],
        ListStyle::JsonArray,
    )];
    let mut ctx = context(&CVM_DELETE, &params, "cvm.tencentcloudapi.com", &creds);
    assert_eq!(build_request(&ctx).unwrap().header("X-TC-Region"), None);
    ctx.region = Some("ap-shanghai");
    assert_eq!(
        build_request(&ctx).unwrap().header("X-TC-Region"),
        Some("ap-shanghai")
    );
    let with_language = [string("Language", ParamLocation::Common, "en-US")];
    let ctx = context(
        &CVM_DELETE,
        &with_language,
        "cvm.tencentcloudapi.com",
        &creds,
    );
    let request = build_request(&ctx).unwrap();
    assert_eq!(request.header("X-TC-Language"), Some("en-US"));
    assert_eq!(request.body, b"{}");
}

#[test]
fn cvm_get_flattens_lists_from_zero() {
    let creds = credentials();
    let params = [
        list(
            "ImageIds.N",
            ParamLocation::Body,
            &["img-1", "img-2"],
            ListStyle::JsonArray,
        ),
        WireParam::new("DryRun", ParamLocation::Body, WireValue::Bool(true)),
    ];
    let request = build_request(&context(
        &CVM_DELETE_GET,
        &params,
        "cvm.tencentcloudapi.com",
        &creds,
    ))
    .unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.url,
        "https://cvm.tencentcloudapi.com/?DryRun=true&ImageIds.0=img-1&ImageIds.1=img-2"
    );
    assert!(request.body.is_empty());
    assert_eq!(
        request.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    let parsed =
        tencent_tc3::parse_authorization(request.header("Authorization").unwrap()).unwrap();
    let expected =
        tencent_tc3::expected_signature(&request.signing_request(), &parsed, SK).unwrap();
    assert!(constant_time_eq(parsed.signature, &expected));
}

// --- Baidu REST ----------------------------------------------------------------------------

#[test]
fn bcc_delete_fills_the_path_and_signs_bce_auth_v1() {
    let creds = credentials();
    let params = [
        string("version", ParamLocation::Path, "2"),
        string("imageId", ParamLocation::Path, "m-nky7qeom"),
    ];
    let request = build_request(&context(
        &BCC_DELETE,
        &params,
        "bcc.bj.baidubce.com",
        &creds,
    ))
    .unwrap();
    assert_eq!(request.method, "DELETE");
    assert_eq!(
        request.url,
        "https://bcc.bj.baidubce.com/v2/image/m-nky7qeom"
    );
    assert!(request.body.is_empty());
    assert_eq!(
        header_names(&request),
        ["authorization", "host", "x-bce-date"]
    );
    assert_eq!(request.header("x-bce-date"), Some("2023-10-26T10:22:32Z"));
    let authorization = request.header("Authorization").unwrap();
    assert!(
        authorization.starts_with(&format!(
            "bce-auth-v1/{AK}/2023-10-26T10:22:32Z/1800/host;x-bce-date/"
        )),
        "{authorization}"
    );
    let parsed = baidu_sign::parse_authorization(authorization).unwrap();
    let expected = baidu_sign::expected_signature(&request.signing_request(), &parsed, SK).unwrap();
    assert!(constant_time_eq(parsed.signature, &expected));
}

#[test]
fn bcc_path_values_are_rfc3986_encoded() {
    let creds = credentials();
    let params = [
        string("version", ParamLocation::Path, "2"),
        string("imageId", ParamLocation::Path, "m 1*é"),
    ];
    let request = build_request(&context(&BCC_DELETE, &params, "127.0.0.1:8080", &creds)).unwrap();
    assert_eq!(
        request.url,
        "https://127.0.0.1:8080/v2/image/m%201%2A%C3%A9"
    );
    assert_eq!(request.header("Host"), Some("127.0.0.1:8080"));
    let parsed = baidu_sign::parse_authorization(request.header("Authorization").unwrap()).unwrap();
    let expected = baidu_sign::expected_signature(&request.signing_request(), &parsed, SK).unwrap();
    assert!(constant_time_eq(parsed.signature, &expected));
}

#[test]
fn bcc_path_labels_encode_slashes_and_refuse_dot_segments() {
    let creds = credentials();
    let params = [
        string("version", ParamLocation::Path, "2"),
        string("imageId", ParamLocation::Path, "../../_emulator/reset"),
    ];
    let request = build_request(&context(&BCC_DELETE, &params, "127.0.0.1:8080", &creds)).unwrap();
    assert_eq!(
        request.url,
        "https://127.0.0.1:8080/v2/image/..%2F..%2F_emulator%2Freset"
    );
    let parsed = reqwest::Url::parse(&request.url).unwrap();
    assert_eq!(parsed.path(), "/v2/image/..%2F..%2F_emulator%2Freset");
    let authorization =
        baidu_sign::parse_authorization(request.header("Authorization").unwrap()).unwrap();
    let expected =
        baidu_sign::expected_signature(&request.signing_request(), &authorization, SK).unwrap();
    assert!(constant_time_eq(authorization.signature, &expected));
    for dots in [".", ".."] {
        let params = [
            string("version", ParamLocation::Path, "2"),
            string("imageId", ParamLocation::Path, dots),
        ];
        let error =
            build_request(&context(&BCC_DELETE, &params, "127.0.0.1:8080", &creds)).unwrap_err();
        assert!(error.0.contains("would name another path"), "{error}");
    }
}

#[test]
fn redirects_decode_as_malformed_with_the_location_redacted() {
    for status in [301, 302, 307, 308] {
        let response = HttpResponse::new(status, "")
            .with_header("Location", "http://elsewhere.test/x?SecurityToken=tok&a=b");
        for meta in [&BCC_DELETE, &BCC_POST] {
            match decode_response(meta, &response) {
                Decoded::Malformed { reason, .. } => {
                    assert!(reason.contains("redirect"), "{reason}");
                    assert!(reason.contains("elsewhere.test"), "{reason}");
                    assert!(!reason.contains("tok&"), "{reason}");
                }
                other => panic!("HTTP {status}: {other:?}"),
            }
        }
    }
}

#[test]
fn bcc_body_and_query_parameters() {
    let creds = credentials();
    let params = [
        string("clientToken", ParamLocation::Query, "tok"),
        string("name", ParamLocation::Body, "demo"),
        list(
            "ids",
            ParamLocation::Body,
            &["a", "b"],
            ListStyle::JsonArray,
        ),
        WireParam::new("force", ParamLocation::Body, WireValue::Bool(true)),
    ];
    let mut ctx = context(&BCC_POST, &params, "bcc.bj.baidubce.com", &creds);
    ctx.scheme = "http";
    let request = build_request(&ctx).unwrap();
    assert_eq!(
        request.url,
        "http://bcc.bj.baidubce.com/v2/demo?clientToken=tok"
    );
    assert_eq!(
        request.body,
        br#"{"name":"demo","ids":["a","b"],"force":true}"#
    );
    assert_eq!(
        request.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let parsed = baidu_sign::parse_authorization(request.header("Authorization").unwrap()).unwrap();
    assert_eq!(
        parsed.signed_headers,
        ["content-type", "host", "x-bce-date"]
    );
    let expected = baidu_sign::expected_signature(&request.signing_request(), &parsed, SK).unwrap();
    assert!(constant_time_eq(parsed.signature, &expected));
}

// --- Refusals --------------------------------------------------------------------------------

#[test]
fn unbuildable_requests_are_refused() {
    let creds = credentials();
    let missing_path = [string("version", ParamLocation::Path, "2")];
    let error = build_request(&context(
        &BCC_DELETE,
        &missing_path,
        "bcc.bj.baidubce.com",
        &creds,
    ))
    .unwrap_err();
    assert!(error.0.contains("imageId"), "{error}");
    let bad_header = [string("X-Bad", ParamLocation::Header, "a\r\nInjected: 1")];
    assert!(
        build_request(&context(
            &ECS_DELETE_IMAGE,
            &bad_header,
            "ecs.aliyuncs.com",
            &creds
        ))
        .is_err()
    );
    for host in ["", "a b", "evil.com/path", "user@host"] {
        assert!(
            build_request(&context(&ECS_DELETE_IMAGE, &[], host, &creds)).is_err(),
            "{host}"
        );
    }
    let mut ctx = context(&ECS_DELETE_IMAGE, &[], "ecs.aliyuncs.com", &creds);
    ctx.scheme = "ftp";
    assert!(build_request(&ctx).is_err());
    let bad_key = Credentials::new("", SK);
    let error = build_request(&context(
        &ECS_DELETE_IMAGE,
        &[],
        "ecs.aliyuncs.com",
        &bad_key,
    ))
    .unwrap_err();
    assert!(!error.0.contains(SK));
}

#[test]
fn header_params_travel_as_headers() {
    let creds = credentials();
    let params = [string(
        "x-acs-resourcegroupid",
        ParamLocation::Header,
        "rg-1",
    )];
    let request = build_request(&context(
        &ECS_DELETE_IMAGE,
        &params,
        "ecs.aliyuncs.com",
        &creds,
    ))
    .unwrap();
    assert_eq!(request.header("x-acs-resourcegroupid"), Some("rg-1"));
    let parsed = alibaba_v3::parse_authorization(request.header("Authorization").unwrap()).unwrap();
    assert!(parsed.signed_headers.contains(&"x-acs-resourcegroupid"));
}

// --- Decoding: Alibaba ---------------------------------------------------------------------

fn failure(decoded: Decoded) -> ServiceError {
    match decoded {
        Decoded::Failure(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn alibaba_json_error() {
    let body = r#"{"RequestId":"r-1","HostId":"ecs.aliyuncs.com","Code":"InvalidImageId.NotFound","Message":"The image does not exist.","Recommend":"https://api.aliyun.com/troubleshoot?q=x"}"#;
    let error = failure(decode_response(
        &ECS_DELETE_IMAGE,
        &HttpResponse::new(404, body),
    ));
    assert_eq!(
        error,
        ServiceError {
            code: Some("InvalidImageId.NotFound".into()),
            message: Some("The image does not exist.".into()),
            status: 404,
            request_id: Some("r-1".into()),
            attempts: 0,
        }
    );
}

#[test]
fn alibaba_camel_case_error() {
    let body = r#"{"requestId":"r-2","code":"Forbidden.RAM","message":"not allowed"}"#;
    let error = failure(decode_response(
        &ECS_DELETE_IMAGE,
        &HttpResponse::new(403, body),
    ));
    assert_eq!(error.code.as_deref(), Some("Forbidden.RAM"));
    assert_eq!(error.message.as_deref(), Some("not allowed"));
    assert_eq!(error.request_id.as_deref(), Some("r-2"));
    assert_eq!(error.status, 403);
}

#[test]
fn alibaba_xml_error() {
    let body = "<?xml version='1.0' encoding='UTF-8'?>\n<Error>\n  <RequestId>r-3</RequestId>\n  <HostId>ecs.aliyuncs.com</HostId>\n  <Code>ImageUsingByInstance</Code>\n  <Message>The specified image has been used to create instances.</Message>\n</Error>";
    let error = failure(decode_response(
        &ECS_DELETE_IMAGE,
        &HttpResponse::new(403, body),
    ));
    assert_eq!(error.code.as_deref(), Some("ImageUsingByInstance"));
    assert_eq!(
        error.message.as_deref(),
        Some("The specified image has been used to create instances.")
    );
    assert_eq!(error.request_id.as_deref(), Some("r-3"));
}

#[test]
fn alibaba_unreadable_error_bodies_keep_status_and_header_request_id() {
    let cases: [(u16, &[u8]); 5] = [
        (
            502,
            b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><code>x</code></body></html>",
        ),
        (400, br#"{"Code":"Invalid"#),
        (503, b""),
        (500, b"\xff\xfe\x00garbage"),
        (404, b"[1,2,3]"),
    ];
    for (status, body) in cases {
        let response = HttpResponse::new(status, body).with_header("x-acs-request-id", "hdr-1");
        let error = failure(decode_response(&ECS_DELETE_IMAGE, &response));
        assert_eq!(error.code, None, "{status}");
        assert_eq!(error.status, status);
        assert_eq!(error.request_id.as_deref(), Some("hdr-1"));
    }
    let empty_503 = failure(decode_response(
        &ECS_DELETE_IMAGE,
        &HttpResponse::new(503, ""),
    ));
    assert!(empty_503.is_retryable());
    assert_eq!(empty_503.request_id, None);
}

#[test]
fn alibaba_success_including_ens_code_zero() {
    for body in [
        r#"{"RequestId":"r"}"#,
        r#"{"Code":0,"RequestId":"r"}"#,
        r#"{"Code":"0","RequestId":"r"}"#,
        r#"{"Code":"200","Message":"ok","RequestId":"r"}"#,
    ] {
        match decode_response(&ECS_DELETE_IMAGE, &HttpResponse::new(200, body)) {
            Decoded::Success(value) => assert_eq!(value["RequestId"], "r"),
            other => panic!("{body}: {other:?}"),
        }
    }
    let error = failure(decode_response(
        &ECS_DELETE_IMAGE,
        &HttpResponse::new(200, r#"{"Code":1001,"Message":"failed","RequestId":"r"}"#),
    ));
    assert_eq!((error.code.as_deref(), error.status), (Some("1001"), 200));
    let error = failure(decode_response(
        &ECS_DELETE_IMAGE,
        &HttpResponse::new(
            200,
            r#"{"Code":"isv.LIMIT","Message":"limited","RequestId":"r"}"#,
        ),
    ));
    assert_eq!(error.code.as_deref(), Some("isv.LIMIT"));
}

#[test]
fn alibaba_unreadable_success_is_malformed() {
    for body in [
        "",
        "[]",
        "\"text\"",
        r#"{"RequestId":"#,
        "<DeleteImageResponse><RequestId>r</RequestId></DeleteImageResponse>",
    ] {
        let response = HttpResponse::new(200, body).with_header("x-acs-request-id", "hdr-2");
        match decode_response(&ECS_DELETE_IMAGE, &response) {
            Decoded::Malformed { request_id, .. } => {
                assert_eq!(request_id.as_deref(), Some("hdr-2"))
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    assert!(matches!(
        decode_response(&ECS_DELETE_IMAGE, &HttpResponse::new(302, "")),
        Decoded::Malformed { .. }
    ));
}

// --- Decoding: Tencent ---------------------------------------------------------------------

#[test]
fn tencent_success_unwraps_response() {
    let body = r#"{"Response":{"RequestId":"71e69b56-32be-4412-ab45-49eded6a87be"}}"#;
    assert_eq!(
        decode_response(&CVM_DELETE, &HttpResponse::new(200, body)),
        Decoded::Success(json!({"RequestId": "71e69b56-32be-4412-ab45-49eded6a87be"}))
    );
}

#[test]
fn tencent_errors_arrive_with_200() {
    let body = r#"{"Response":{"Error":{"Code":"InvalidImageId.NotFound","Message":"The image cannot be found."},"RequestId":"req-1"}}"#;
    let error = failure(decode_response(&CVM_DELETE, &HttpResponse::new(200, body)));
    assert_eq!(
        error,
        ServiceError {
            code: Some("InvalidImageId.NotFound".into()),
            message: Some("The image cannot be found.".into()),
            status: 200,
            request_id: Some("req-1".into()),
            attempts: 0,
        }
    );
    let throttled = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"req-2"}}"#;
    assert!(
        failure(decode_response(
            &CVM_DELETE,
            &HttpResponse::new(200, throttled)
        ))
        .is_retryable()
    );
}

#[test]
fn tencent_unreadable_answers() {
    for body in [
        "",
        "{}",
        r#"{"Response":"x"}"#,
        r#"{"Response":{"Req"#,
        "<html></html>",
    ] {
        assert!(
            matches!(
                decode_response(&CVM_DELETE, &HttpResponse::new(200, body)),
                Decoded::Malformed { .. }
            ),
            "{body}"
        );
    }
    let gateway = failure(decode_response(
        &CVM_DELETE,
        &HttpResponse::new(502, "<html>Bad Gateway</html>"),
    ));
    assert_eq!((gateway.code.as_deref(), gateway.status), (None, 502));
    assert!(gateway.is_retryable());
    let error_500 = failure(decode_response(
        &CVM_DELETE,
        &HttpResponse::new(
            500,
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r"}}"#,
        ),
    ));
    assert_eq!(
        (error_500.code.as_deref(), error_500.status),
        (Some("InternalError"), 500)
    );
}

// --- Decoding: Baidu -----------------------------------------------------------------------

#[test]
fn baidu_empty_success_gets_the_request_id_header() {
    let response = HttpResponse::new(200, "")
        .with_header("x-bce-request-id", "1214cca7-4ad5-451d-9215-71cb844c0a50");
    assert_eq!(
        decode_response(&BCC_DELETE, &response),
        Decoded::Success(json!({"x-bce-request-id": "1214cca7-4ad5-451d-9215-71cb844c0a50"}))
    );
    assert_eq!(
        decode_response(&BCC_POST, &HttpResponse::new(200, "")),
        Decoded::Success(json!({}))
    );
    assert_eq!(
        decode_response(&BCC_POST, &HttpResponse::new(201, r#"{"id":"x"}"#)),
        Decoded::Success(json!({"id": "x"}))
    );
}

#[test]
fn baidu_errors() {
    let body = r#"{"requestId":"body-id","code":"Image.ImageHasBeenSharedToOthers","message":"Image has been shared to others."}"#;
    let response = HttpResponse::new(409, body).with_header("x-bce-request-id", "header-id");
    let error = failure(decode_response(&BCC_DELETE, &response));
    assert_eq!(
        error.code.as_deref(),
        Some("Image.ImageHasBeenSharedToOthers")
    );
    assert_eq!(
        error.message.as_deref(),
        Some("Image has been shared to others.")
    );
    assert_eq!(
        error.request_id.as_deref(),
        Some("body-id"),
        "the body's request id comes first"
    );
    let missing = failure(decode_response(
        &BCC_DELETE,
        &HttpResponse::new(404, "").with_header("X-Bce-Request-Id", "header-id"),
    ));
    assert_eq!(
        missing,
        ServiceError {
            code: None,
            message: None,
            status: 404,
            request_id: Some("header-id".into()),
            attempts: 0
        }
    );
    let truncated = failure(decode_response(
        &BCC_DELETE,
        &HttpResponse::new(500, r#"{"code":"Internal"#),
    ));
    assert_eq!((truncated.code, truncated.status), (None, 500));
    assert!(matches!(
        decode_response(&BCC_DELETE, &HttpResponse::new(200, "not json")),
        Decoded::Malformed { .. }
    ));
}

#[test]
fn header_fields_never_replace_body_fields() {
    let response = HttpResponse::new(200, r#"{"x-bce-request-id":"from-body"}"#)
        .with_header("x-bce-request-id", "from-header");
    assert_eq!(
        decode_response(&BCC_DELETE, &response),
        Decoded::Success(json!({"x-bce-request-id": "from-body"}))
    );
}

// --- Decoding never panics -------------------------------------------------------------------

fn fragments() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\"Response\"",
        "\"Error\"",
        "\"Code\"",
        "\"code\"",
        "\"Message\"",
        "\"RequestId\"",
        "\"requestId\"",
        "0",
        "1.5e999",
        "-0",
        "null",
        "true",
        "\"x\"",
        "<Error>",
        "</Error>",
        "<Code>",
        "</Code>",
        "<Message>",
        "&amp;",
        "&#x",
        ";",
        "<![CDATA[",
        "]]>",
        "\u{feff}",
        "é",
        " ",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|pieces| pieces.concat().into_bytes())
}

fn any_response() -> impl Strategy<Value = HttpResponse> {
    let body = prop_oneof![prop::collection::vec(any::<u8>(), 0..256), fragments()];
    let headers = prop::collection::vec(
        (
            prop::sample::select(vec![
                "x-acs-request-id",
                "x-bce-request-id",
                "X-TC-RequestId",
                "x-request-id",
                "content-type",
            ]),
            "[ -~]{0,12}",
        ),
        0..3,
    );
    (any::<u16>(), headers, body).prop_map(|(status, headers, body)| HttpResponse {
        status,
        headers: headers
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
        body,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_never_panics(response in any_response()) {
        for meta in [&ECS_DELETE_IMAGE, &SWAS_DELETE, &CVM_DELETE, &BCC_DELETE] {
            match decode_response(meta, &response) {
                Decoded::Failure(error) => prop_assert_eq!(error.status, response.status),
                Decoded::Success(value) => prop_assert!(value.is_object()),
                Decoded::Malformed { .. } => {}
            }
        }
    }
}

/// A service that keeps several API versions: an operation of another version than the
/// service's default sends its own version, in `X-TC-Version` (TC3) and in the `Version`
/// query parameter and `x-acs-version` header (Alibaba RPC). The version here is made up.
#[test]
fn an_operation_sends_its_own_api_version() {
    static CVM_OTHER_VERSION: OperationMeta = OperationMeta {
        api_version: "2099-01-01",
        ..CVM_DELETE
    };
    static ECS_OTHER_VERSION: OperationMeta = OperationMeta {
        api_version: "2099-01-01",
        ..ECS_DELETE_IMAGE
    };
    let creds = credentials();
    let params = [string("ImageId", ParamLocation::Body, "img-1")];
    let request = build_request(&context(
        &CVM_OTHER_VERSION,
        &params,
        "cvm.tencentcloudapi.com",
        &creds,
    ))
    .unwrap();
    assert_eq!(request.header("X-TC-Version"), Some("2099-01-01"));

    let params = [string("ImageId", ParamLocation::Query, "m-1")];
    for signature in [AlibabaSignature::V1, AlibabaSignature::V3] {
        let mut ctx = context(&ECS_OTHER_VERSION, &params, "ecs.aliyuncs.com", &creds);
        ctx.alibaba_signature = signature;
        let request = build_request(&ctx).unwrap();
        let query = request.query_pairs();
        let version = query
            .iter()
            .find(|(key, _)| key == "Version")
            .map(|(_, value)| value.as_str());
        match signature {
            AlibabaSignature::V1 => assert_eq!(version, Some("2099-01-01")),
            AlibabaSignature::V3 => {
                assert_eq!(request.header("x-acs-version"), Some("2099-01-01"));
            }
        }
    }
}

/// "CVM's two region settings must not contradict each other": the input's `Region`
/// decides, for the host as for `X-TC-Region`; the configured region applies otherwise.
#[test]
fn the_inputs_region_wins_for_host_and_header_alike() {
    let with_region = [
        WireParam::new(
            "ImageIds",
            ParamLocation::Body,
            WireValue::String("img-1".to_owned()),
        ),
        WireParam::new(
            "Region",
            ParamLocation::Common,
            WireValue::String("ap-guangzhou".to_owned()),
        ),
    ];
    assert_eq!(
        super::request_region(Some("ap-shanghai"), &with_region).as_deref(),
        Some("ap-guangzhou")
    );
    let empty = [WireParam::new(
        "Region",
        ParamLocation::Common,
        WireValue::String(String::new()),
    )];
    assert_eq!(
        super::request_region(Some("ap-shanghai"), &empty).as_deref(),
        Some("ap-shanghai")
    );
    assert_eq!(super::request_region(None, &[]), None);
    // Alibaba's `RegionId` is an ordinary query parameter, not the request's region.
    let region_id = [WireParam::new(
        "RegionId",
        ParamLocation::Query,
        WireValue::String("cn-hangzhou".to_owned()),
    )];
    assert_eq!(super::request_region(None, &region_id), None);
}

// --- Unsigned calls (docs/protocols.md, "Unsigned calls") ------------------------------

static ECS_ANONYMOUS: OperationMeta = OperationMeta {
    name: "AssumeRoleWithOIDC",
    action: Some("AssumeRoleWithOIDC"),
    method: "POST",
    auth: crate::Auth::Anonymous {
        identity_token: Some("OIDCToken"),
    },
    ..ECS_DELETE_IMAGE
};

static CVM_ANONYMOUS: OperationMeta = OperationMeta {
    name: "AssumeRoleWithWebIdentity",
    action: Some("AssumeRoleWithWebIdentity"),
    auth: crate::Auth::Anonymous {
        identity_token: Some("WebIdentityToken"),
    },
    ..CVM_DELETE
};

static BCC_ANONYMOUS: OperationMeta = OperationMeta {
    auth: crate::Auth::Anonymous {
        identity_token: None,
    },
    ..BCC_DELETE
};

fn unsigned_context<'a>(
    meta: &'static OperationMeta,
    params: &'a [WireParam],
) -> RequestContext<'a> {
    RequestContext {
        credentials: None,
        ..context(meta, params, "sts.aliyuncs.com", &UNUSED_CREDENTIALS)
    }
}

static UNUSED_CREDENTIALS: std::sync::LazyLock<Credentials> =
    std::sync::LazyLock::new(|| Credentials::new("unused", "unused"));

#[test]
fn an_unsigned_alibaba_call_carries_no_key_and_no_signature_with_either_signature_configured() {
    // alibabacloud-tea-openapi 0.4.6 `do_rpcrequest` with auth_type 'Anonymous': Action,
    // Format, Version, Timestamp, SignatureNonce; x-acs-action and x-acs-version headers.
    let params = [string("OIDCToken", ParamLocation::Query, "eyJ.token")];
    for signature in [AlibabaSignature::V1, AlibabaSignature::V3] {
        let mut ctx = unsigned_context(&ECS_ANONYMOUS, &params);
        ctx.alibaba_signature = signature;
        let request = build_request(&ctx).unwrap();
        let query = request.query_pairs();
        let names: Vec<&str> = query.iter().map(|(name, _)| name.as_str()).collect();
        for absent in [
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "SecurityToken",
        ] {
            assert!(
                !names.contains(&absent),
                "{signature:?}: {absent} in {names:?}"
            );
        }
        let value = |name: &str| {
            query
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(value("Action"), Some("AssumeRoleWithOIDC"));
        assert_eq!(value("Format"), Some("JSON"));
        assert_eq!(value("Timestamp"), Some("2023-10-26T10:22:32Z"));
        assert_eq!(value("SignatureNonce"), Some("nonce-1"));
        assert_eq!(value("OIDCToken"), Some("eyJ.token"));
        assert_eq!(request.header("x-acs-action"), Some("AssumeRoleWithOIDC"));
        assert_eq!(request.header("Authorization"), None);
    }
}

#[test]
fn an_unsigned_tencent_call_says_skip_and_sends_no_token() {
    // tencentcloud-sdk-python-common 3.1.195 `_build_req_without_signature`: the X-TC-*
    // headers and `Authorization: SKIP`.
    let params = [string("WebIdentityToken", ParamLocation::Body, "eyJ.token")];
    let request = build_request(&unsigned_context(&CVM_ANONYMOUS, &params)).unwrap();
    assert_eq!(request.header("Authorization"), Some("SKIP"));
    assert_eq!(
        request.header("X-TC-Action"),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(request.header("X-TC-Timestamp"), Some("1698315752"));
    assert_eq!(request.header("X-TC-Token"), None);
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, serde_json::json!({ "WebIdentityToken": "eyJ.token" }));
}

#[test]
fn a_signed_operation_without_credentials_and_an_unsigned_baidu_one_are_refused() {
    let params = [string("ImageId", ParamLocation::Query, "m-1")];
    let error = build_request(&unsigned_context(&ECS_DELETE_IMAGE, &params)).unwrap_err();
    assert!(error.0.contains("no credentials"), "{error}");
    let error = build_request(&unsigned_context(&BCC_ANONYMOUS, &[])).unwrap_err();
    assert!(error.0.contains("no unsigned form"), "{error}");
}

// Instance metadata (docs/protocols.md, "Instance metadata"): the paths and header of
// alibabacloud-credentials 1.0.12, provider/ecs_ram_role.py lines 37-41, 88-89 and 133.

static ECS_METADATA: ServiceMeta = ServiceMeta {
    provider: Provider::Alibaba,
    name: "metadata",
    product_code: "metadata",
    title: "ECS Instance Metadata",
    api_version: "latest",
    protocol: Protocol::InstanceMetadata,
    endpoints: Endpoints {
        global: Some("100.100.100.200"),
        regional: None,
        regions: &[],
        vpc: None,
    },
    crate_name: "cloudspec-alibaba-metadata",
    crate_version: "0.1.0",
};

static ROLE_CREDENTIALS: OperationMeta = OperationMeta {
    service: &ECS_METADATA,
    name: "GetRamRoleCredentials",
    action: None,
    api_version: "latest",
    method: "GET",
    path: "/latest/meta-data/ram/security-credentials/{RoleName}",
    response_headers: &[],
    text_body: None,
    idempotency_token: None,
    rate_limit_per_second: None,
    auth: crate::Auth::Anonymous {
        identity_token: None,
    },
};

static ROLE_NAME: OperationMeta = OperationMeta {
    name: "GetRamRoleName",
    path: "/latest/meta-data/ram/security-credentials/",
    text_body: Some("RoleName"),
    ..ROLE_CREDENTIALS
};

#[test]
fn instance_metadata_requests_are_plain_and_unsigned_even_with_credentials() {
    let params = [
        string("RoleName", ParamLocation::Path, "EcsRole"),
        string(
            "X-aliyun-ecs-metadata-token",
            ParamLocation::Header,
            "token-1",
        ),
    ];
    let creds = credentials();
    let plain = RequestContext {
        scheme: ECS_METADATA.protocol.default_scheme(),
        ..context(&ROLE_CREDENTIALS, &params, "100.100.100.200", &creds)
    };
    let request = build_request(&plain).expect("builds");
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.url,
        "http://100.100.100.200/latest/meta-data/ram/security-credentials/EcsRole"
    );
    assert_eq!(
        request.header("X-aliyun-ecs-metadata-token"),
        Some("token-1")
    );
    assert_eq!(request.header("Authorization"), None);
    assert!(request.body.is_empty());
    assert_eq!(
        header_names(&request),
        ["host", "x-aliyun-ecs-metadata-token"]
    );

    let body = [
        string("RoleName", ParamLocation::Path, "EcsRole"),
        string("Payload", ParamLocation::Body, "x"),
    ];
    let error =
        build_request(&context(&ROLE_CREDENTIALS, &body, "h", &creds)).expect_err("no body");
    assert!(error.0.contains("Payload"), "{error}");
}

#[test]
fn instance_metadata_answers_are_text_json_or_a_status() {
    let text = HttpResponse::new(200, "EcsRole");
    assert_eq!(
        decode_response(&ROLE_NAME, &text),
        Decoded::Success(json!({ "RoleName": "EcsRole" }))
    );
    let json_answer = HttpResponse::new(200, r#"{"Code":"Success","AccessKeyId":"STS.a"}"#);
    assert_eq!(
        decode_response(&ROLE_CREDENTIALS, &json_answer),
        Decoded::Success(json!({ "Code": "Success", "AccessKeyId": "STS.a" }))
    );
    assert!(matches!(
        decode_response(&ROLE_CREDENTIALS, &text),
        Decoded::Malformed { .. }
    ));
    assert!(matches!(
        decode_response(&ROLE_NAME, &HttpResponse::new(200, vec![0xff, 0xfe])),
        Decoded::Malformed { .. }
    ));
    match decode_response(&ROLE_NAME, &HttpResponse::new(404, "404 - Not Found\n")) {
        Decoded::Failure(error) => {
            assert_eq!(error.status, 404);
            assert_eq!(error.code, None);
            assert_eq!(error.message.as_deref(), Some("404 - Not Found"));
        }
        other => panic!("{other:?}"),
    }
}
