//! The wire protocols, each once: how a request is authenticated (with the
//! signature verifiers of `cloudspec-sign`), how it is routed to an operation of the
//! generated registry, and how answers are enveloped. Nothing here names a service or an
//! operation: the registry does.

pub(crate) mod alibaba;
pub(crate) mod baidu;
pub(crate) mod metadata;
pub(crate) mod tencent;

use std::borrow::Cow;

use cloudspec_runtime::behaviour::SampleResponse;
use cloudspec_runtime::protocol::decode::match_path;
use cloudspec_runtime::registry::OperationEntry;
use cloudspec_runtime::{ParamLocation, Protocol};

use crate::errors::ApiError;
use crate::http::Reply;
use crate::http::Request;
use crate::service::Service;

/// An authenticated request, routed to one operation.
#[derive(Debug)]
pub(crate) struct Call<'r> {
    /// The request.
    pub req: &'r Request,
    /// The service it is for.
    pub service: Service,
    /// The operation.
    pub operation: &'static OperationEntry,
    /// The account of the key that signed it.
    pub account: String,
    /// How to answer it.
    pub envelope: Envelope,
}

/// How a call's answers are written: the provider's envelope and request ID.
#[derive(Debug, Clone)]
pub(crate) enum Envelope {
    /// Alibaba Cloud RPC.
    Alibaba(alibaba::Envelope),
    /// Tencent Cloud API 3.0.
    Tencent(tencent::Envelope),
    /// Baidu AI Cloud REST.
    Baidu(baidu::Envelope),
    /// Instance metadata.
    Metadata(metadata::Envelope),
}

/// A provider's own error for a situation the documents do not cover (README, "Common
/// errors").
#[derive(Debug, Clone, Copy)]
pub(crate) enum Common<'a> {
    /// A required parameter is absent.
    MissingParameter(&'a str),
    /// A parameter the operation does not have.
    UnknownParameter(&'a str),
    /// A parameter given more than once.
    RepeatedParameter(&'a str),
    /// A value of the wrong type, or over a documented limit.
    InvalidParameter {
        /// The parameter.
        name: &'a str,
        /// Why.
        why: &'a str,
    },
    /// A body the protocol does not send.
    InvalidBody(&'a str),
    /// Too many requests (with the operation's documented limit, if any).
    Throttled(Option<u32>),
    /// An internal error (HTTP 500).
    Internal,
    /// The service is unavailable (HTTP 503).
    Unavailable,
    /// An idempotency token reused with other parameters.
    IdempotentMismatch,
}

impl Envelope {
    /// The error in the provider's envelope.
    pub fn error(&self, error: &ApiError) -> Reply {
        match self {
            Envelope::Alibaba(envelope) => envelope.error(error),
            Envelope::Tencent(envelope) => envelope.error(error),
            Envelope::Baidu(envelope) => envelope.error(error),
            Envelope::Metadata(envelope) => envelope.error(error),
        }
    }

    /// A success of `operation` for a call with `params`, from its documented sample
    /// responses: the one whose example sent these parameters, else the first.
    pub fn success(
        &self,
        operation: &'static OperationEntry,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> Reply {
        let samples = samples_for(operation.samples, params);
        match self {
            Envelope::Alibaba(envelope) => envelope.success(operation, &samples),
            Envelope::Tencent(envelope) => envelope.success(&samples),
            Envelope::Baidu(envelope) => envelope.success(&samples),
            Envelope::Metadata(envelope) => envelope.success(&samples),
        }
    }

    /// The provider's common error for `common`.
    pub fn common(&self, common: Common<'_>) -> ApiError {
        match self {
            Envelope::Alibaba(_) => alibaba::common(common),
            Envelope::Tencent(_) => tencent::common(common),
            Envelope::Baidu(_) => baidu::common(common),
            Envelope::Metadata(_) => metadata::common(common),
        }
    }

    /// The HTTP status of a documented row that gives none.
    pub fn default_status(&self) -> u16 {
        match self {
            Envelope::Alibaba(_) | Envelope::Baidu(_) | Envelope::Metadata(_) => 400,
            Envelope::Tencent(_) => 200,
        }
    }

    /// A common parameter of the protocol as the request carries it (Tencent's `Region`
    /// travels as `X-TC-Region` or in the query).
    pub fn common_param<'r>(&self, req: &'r Request, name: &str) -> Option<&'r str> {
        match self {
            Envelope::Tencent(_) => tencent::common_param(req, name),
            Envelope::Alibaba(_) | Envelope::Baidu(_) | Envelope::Metadata(_) => req
                .query
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str()),
        }
    }
}

/// An operation's path template with its constants filled in (`/v{version}/image/{imageId}`
/// with `version` 2 is `/v2/image/{imageId}`); the template itself when it has none, so
/// routing a request copies nothing for most operations.
fn route_template(operation: &OperationEntry) -> Cow<'static, str> {
    operation
        .constants
        .iter()
        .filter(|(_, location, _)| *location == ParamLocation::Path)
        .fold(
            Cow::Borrowed(operation.meta.path),
            |path, (name, _, value)| Cow::Owned(path.replace(&format!("{{{name}}}"), value)),
        )
}

/// The operations of the services that speak `protocol`.
fn operations_of(protocol: Protocol) -> impl Iterator<Item = (Service, &'static OperationEntry)> {
    Service::all()
        .filter(move |service| service.protocol() == protocol)
        .flat_map(|service| service.operations().iter().map(move |op| (service, op)))
}

/// Whether `path` is one an operation of `protocol` serves (for any method).
pub(crate) fn serves_path(protocol: Protocol, path: &str) -> bool {
    operations_of(protocol)
        .any(|(_, operation)| match_path(&route_template(operation), path).is_some())
}

/// Why no operation of a path-routed protocol takes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Miss {
    /// The path is an operation's, with another method.
    Method,
    /// The path fits an operation's template only with other constants (another API
    /// version).
    Version,
    /// No operation has the path.
    Path,
}

/// The operation of `protocol` that `method` and `path` name: the one whose template
/// (constants filled in) matches with that method. The one routing rule of the protocols
/// whose method and path carry the operation.
pub(crate) fn route_by_path(
    protocol: Protocol,
    method: &str,
    path: &str,
) -> Result<(Service, &'static OperationEntry), Miss> {
    let mut miss = Miss::Path;
    for (service, operation) in operations_of(protocol) {
        if match_path(&route_template(operation), path).is_some() {
            if operation.meta.method.eq_ignore_ascii_case(method) {
                return Ok((service, operation));
            }
            miss = Miss::Method;
        } else if match_path(operation.meta.path, path).is_some() && miss == Miss::Path {
            miss = Miss::Version;
        }
    }
    Err(miss)
}

/// `samples` with those of the example whose input is `params` first.
fn samples_for(
    samples: &'static [SampleResponse],
    params: &serde_json::Map<String, serde_json::Value>,
) -> Vec<&'static SampleResponse> {
    let matches = |sample: &SampleResponse| {
        !sample.input.is_empty()
            && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(sample.input)
                .is_ok_and(|input| &input == params)
    };
    let mut out: Vec<&'static SampleResponse> = samples.iter().filter(|s| matches(s)).collect();
    out.extend(samples.iter().filter(|s| !matches(s)));
    out
}

/// The request ID a sample body shows, replaced by `request_id`: the JSON member `key`
/// (at the top or one level down, as Tencent's `Response`) is set, and the body is written
/// compactly. A body that is not a JSON object is `None`.
pub(crate) fn json_with_request_id(body: &str, key: &str, request_id: &str) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(body).ok()?;
    let object = value.as_object_mut()?;
    if object.contains_key(key) {
        object.insert(key.to_owned(), request_id.into());
    } else if let Some(inner) = object
        .values_mut()
        .filter_map(serde_json::Value::as_object_mut)
        .find(|inner| inner.contains_key(key))
    {
        inner.insert(key.to_owned(), request_id.into());
    }
    Some(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_request_ids_are_replaced_at_the_top_or_one_level_down() {
        assert_eq!(
            json_with_request_id(
                "{\n \"Code\": 0, \"RequestId\": \"old\"\n}",
                "RequestId",
                "new"
            )
            .as_deref(),
            Some(r#"{"Code":0,"RequestId":"new"}"#)
        );
        assert_eq!(
            json_with_request_id(r#"{"Response": {"RequestId": "old"}}"#, "RequestId", "new")
                .as_deref(),
            Some(r#"{"Response":{"RequestId":"new"}}"#)
        );
        assert_eq!(json_with_request_id("[1]", "RequestId", "new"), None);
    }
}
