//! Baidu AI Cloud REST: method and path from the operation, query and JSON body
//! parameters, `bce-auth-v1`; errors as JSON `{"requestId","code","message"}` with a
//! 4xx/5xx status.

use serde_json::Value;

use super::{
    BAIDU_SIGNATURE_EXPIRES_SECONDS, BuildError, Decoded, HttpRequest, HttpResponse,
    JSON_CONTENT_TYPE, RequestContext, fill_path, finish, is_blank, is_error_status,
    is_success_status, json_body, json_object_success, method_of, parse_json, push_query,
    sign_error, signing_credentials, text_field,
};
use crate::error::ServiceError;
use crate::meta::Provider;
use crate::sign::{SigningRequest, baidu};
use crate::wire::ParamLocation;

/// Builds and signs a BCE request with the default signed headers (`host`, `content-type`
/// when there is a body, `x-bce-date`).
pub(super) fn build(context: &RequestContext<'_>) -> Result<HttpRequest, BuildError> {
    let meta = context.meta;
    if meta.auth.is_anonymous() {
        return Err(BuildError(format!(
            "{} is marked unsigned, and bce-auth-v1 has no unsigned form",
            meta.name
        )));
    }
    let path = fill_path(meta, context.params)?;
    let mut request = SigningRequest::new(method_of(meta), context.host, path.signed.as_str());
    let mut body_params = Vec::new();
    for param in context.params {
        match param.location {
            ParamLocation::Header => request
                .headers
                .push((param.name.to_owned(), param.value.to_text())),
            ParamLocation::Path => {}
            ParamLocation::Body => body_params.push(param),
            ParamLocation::Query | ParamLocation::Common => {
                push_query(&mut request.query, param.name, &param.value)
            }
        }
    }
    if !body_params.is_empty() {
        request.body = json_body(body_params.into_iter())?;
        request.set_header("Content-Type", JSON_CONTENT_TYPE);
    }
    let credentials = signing_credentials(context)?;
    baidu::sign(
        &mut request,
        &credentials,
        context.timestamp,
        BAIDU_SIGNATURE_EXPIRES_SECONDS,
        None,
    )
    .map_err(sign_error)?;
    Ok(finish(context.scheme, request, &path.sent))
}

/// Reads a BCE response: a 2xx with an empty body is `{}`.
pub(super) fn decode(response: &HttpResponse) -> Decoded {
    let header_id = response.header_request_id(Provider::Baidu);
    let status = response.status;
    if is_success_status(status) {
        if is_blank(&response.body) {
            return Decoded::Success(Value::Object(serde_json::Map::new()));
        }
        json_object_success(&response.body, header_id)
    } else if is_error_status(status) {
        let error = match parse_json(&response.body) {
            Some(Value::Object(object)) => ServiceError {
                code: text_field(&object, &["code", "Code"]),
                message: text_field(&object, &["message", "Message"]),
                status,
                request_id: text_field(&object, &["requestId", "RequestId"]).or(header_id),
                attempts: 0,
            },
            _ => ServiceError {
                code: None,
                message: None,
                status,
                request_id: header_id,
                attempts: 0,
            },
        };
        Decoded::Failure(error)
    } else {
        Decoded::Malformed {
            reason: format!("unexpected HTTP status {status}"),
            request_id: header_id,
        }
    }
}
