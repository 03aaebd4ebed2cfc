//! Instance metadata: plain HTTP to the metadata host of the instance the code runs on.
//! The method and path carry the operation, header parameters go as headers and query
//! parameters in the query; nothing is signed and there is no body. A success is a 2xx
//! whose body is text (the operation's [`OperationMeta::text_body`] field) or a JSON
//! object; any other status is an error known only by that status
//! (docs/protocols.md, "Instance metadata").

use serde_json::Value;

use super::{
    BuildError, Decoded, HttpRequest, HttpResponse, RequestContext, fill_path, finish,
    is_success_status, json_object_success, method_of, push_query,
};
use crate::error::ServiceError;
use crate::meta::OperationMeta;
use crate::sign::SigningRequest;
use crate::wire::ParamLocation;

/// The longest error text kept as the message: these services answer errors with a short
/// page ("404 - Not Found"), which says no more than the status.
const MAX_MESSAGE_CHARS: usize = 200;

/// Builds an instance-metadata request: never signed, whatever the credentials.
pub(super) fn build(context: &RequestContext<'_>) -> Result<HttpRequest, BuildError> {
    let meta = context.meta;
    let path = fill_path(meta, context.params)?;
    let mut request = SigningRequest::new(method_of(meta), context.host, path.signed.as_str());
    for param in context.params {
        match param.location {
            ParamLocation::Header => request
                .headers
                .push((param.name.to_owned(), param.value.to_text())),
            ParamLocation::Path => {}
            ParamLocation::Query => push_query(&mut request.query, param.name, &param.value),
            ParamLocation::Body | ParamLocation::Common => {
                return Err(BuildError(format!(
                    "parameter `{}` of {} travels in a body, which instance-metadata requests do not have",
                    param.name, meta.name
                )));
            }
        }
    }
    Ok(finish(context.scheme, request, &path.sent))
}

/// Reads an instance-metadata answer for `meta`.
pub(super) fn decode(meta: &OperationMeta, response: &HttpResponse) -> Decoded {
    let status = response.status;
    if !is_success_status(status) {
        let text = String::from_utf8_lossy(&response.body);
        let message = text.trim();
        return Decoded::Failure(ServiceError {
            code: None,
            message: (!message.is_empty())
                .then(|| message.chars().take(MAX_MESSAGE_CHARS).collect()),
            status,
            request_id: response.header("x-request-id").map(str::to_owned),
            attempts: 0,
        });
    }
    match meta.text_body {
        Some(field) => match std::str::from_utf8(&response.body) {
            Ok(text) => {
                let mut object = serde_json::Map::new();
                object.insert(field.to_owned(), Value::String(text.to_owned()));
                Decoded::Success(Value::Object(object))
            }
            Err(_) => Decoded::Malformed {
                reason: "the text answer is not UTF-8".to_owned(),
                request_id: None,
            },
        },
        None => json_object_success(&response.body, None),
    }
}
