//! Tencent Cloud API 3.0: `POST /` with a JSON body (or `GET` with the parameters in the
//! query), `X-TC-*` headers, `TC3-HMAC-SHA256`; errors arrive with HTTP 200 inside
//! `Response.Error`.

use serde_json::Value;

use super::{
    BuildError, Decoded, HttpRequest, HttpResponse, JSON_CONTENT_TYPE, RequestContext, fill_path,
    finish, is_blank, is_error_status, is_success_status, json_body, method_of, parse_json,
    push_query, sign_error, signing_credentials, text_field,
};
use crate::error::ServiceError;
use crate::meta::Provider;
use crate::sign::{SigningRequest, tencent_tc3};
use crate::wire::{ParamLocation, WireParam};

/// The `Content-Type` of a GET request.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Common parameters the protocol itself sends; a `Common` parameter of these names is
/// not repeated as a header.
const PROTOCOL_COMMON: [&str; 5] = ["Action", "Version", "Timestamp", "Nonce", "Region"];

/// Builds and signs an API 3.0 request.
pub(super) fn build(context: &RequestContext<'_>) -> Result<HttpRequest, BuildError> {
    let meta = context.meta;
    let method = method_of(meta);
    let path = fill_path(meta, context.params)?;
    let mut request = SigningRequest::new(method.as_str(), context.host, path.signed.as_str());
    let region =
        super::request_region(context.region, context.params).filter(|region| !region.is_empty());
    let mut members: Vec<&WireParam> = Vec::new();
    let mut extra_headers: Vec<(String, String)> = Vec::new();
    for param in context.params {
        match param.location {
            ParamLocation::Header => {
                extra_headers.push((param.name.to_owned(), param.value.to_text()))
            }
            ParamLocation::Path => {}
            ParamLocation::Common if PROTOCOL_COMMON.contains(&param.name) => {}
            ParamLocation::Common => {
                extra_headers.push((format!("X-TC-{}", param.name), param.value.to_text()))
            }
            ParamLocation::Query | ParamLocation::Body => members.push(param),
        }
    }
    if method == "GET" {
        for param in members {
            push_query(&mut request.query, param.name, &param.value);
        }
        request.set_header("Content-Type", FORM_CONTENT_TYPE);
    } else {
        request.body = json_body(members.into_iter())?;
        request.set_header("Content-Type", JSON_CONTENT_TYPE);
    }
    request.set_header("X-TC-Action", meta.action.unwrap_or(meta.name));
    request.set_header("X-TC-Version", meta.api_version);
    if let Some(region) = region {
        super::check_header("X-TC-Region", &region)?;
        request.set_header("X-TC-Region", region);
    }
    for (name, value) in extra_headers {
        super::check_header(&name, &value)?;
        request.set_header(name, value);
    }
    if meta.auth.is_anonymous() {
        tencent_tc3::skip_signature(&mut request, context.timestamp.as_second());
        return Ok(finish(context.scheme, request, &path.sent));
    }
    let credentials = signing_credentials(context)?;
    tencent_tc3::sign(
        &mut request,
        &credentials,
        meta.service.product_code,
        context.timestamp.as_second(),
        None,
    )
    .map_err(sign_error)?;
    Ok(finish(context.scheme, request, &path.sent))
}

/// Reads an API 3.0 response: `Response.Error` is a failure whatever the status; a 2xx
/// `Response` without `Error` is the success payload.
pub(super) fn decode(response: &HttpResponse) -> Decoded {
    let header_id = response.header_request_id(Provider::Tencent);
    let status = response.status;
    let payload = match parse_json(&response.body) {
        Some(Value::Object(mut root)) => root.remove("Response"),
        _ => None,
    };
    match payload {
        Some(Value::Object(payload)) => {
            let request_id = text_field(&payload, &["RequestId"]).or(header_id);
            if let Some(error) = payload.get("Error") {
                let (code, message) = match error {
                    Value::Object(error) => (
                        text_field(error, &["Code"]),
                        text_field(error, &["Message"]),
                    ),
                    _ => (None, None),
                };
                Decoded::Failure(ServiceError {
                    code,
                    message,
                    status,
                    request_id,
                    attempts: 0,
                })
            } else if is_success_status(status) {
                Decoded::Success(Value::Object(payload))
            } else if is_error_status(status) {
                Decoded::Failure(ServiceError {
                    code: None,
                    message: None,
                    status,
                    request_id,
                    attempts: 0,
                })
            } else {
                Decoded::Malformed {
                    reason: format!("unexpected HTTP status {status}"),
                    request_id,
                }
            }
        }
        _ if is_error_status(status) => Decoded::Failure(ServiceError {
            code: None,
            message: None,
            status,
            request_id: header_id,
            attempts: 0,
        }),
        Some(_) => Decoded::Malformed {
            reason: "`Response` is not a JSON object".to_owned(),
            request_id: header_id,
        },
        None => {
            let reason = if !is_success_status(status) {
                format!("unexpected HTTP status {status}")
            } else if is_blank(&response.body) {
                "the body is empty".to_owned()
            } else if parse_json(&response.body).is_some() {
                "the body has no `Response` object".to_owned()
            } else {
                "the body is not JSON".to_owned()
            };
            Decoded::Malformed {
                reason,
                request_id: header_id,
            }
        }
    }
}
