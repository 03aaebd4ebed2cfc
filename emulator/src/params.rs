//! Reading a request's parameters the way the spec says they travel: the runtime's decoder
//! (the inverse of the request builder the clients use) over the operation's entry in the
//! generated registry, then the generated validator. One rule for both sides of the wire.

use cloudspec_runtime::OperationMeta;
use cloudspec_runtime::ValidationErrors;
use cloudspec_runtime::protocol::{ParamProblem, decode_params};
use cloudspec_runtime::registry::{InputProblem, OperationEntry};
use serde_json::{Map, Value};

use crate::http::Request;

/// Why a request's parameters are not the operation's.
#[derive(Debug)]
pub(crate) enum Problem {
    /// Unknown, repeated, missing or mistyped (the decoder's finding).
    Param(ParamProblem),
    /// Within the operation's shape, but over a documented limit.
    Limits(ValidationErrors),
    /// Within the shape by the decoder but not by the typed input (a defect to report).
    Shape(String),
}

/// The registry entry of the operation `meta` describes.
pub(crate) fn entry(meta: &'static OperationMeta) -> Option<&'static OperationEntry> {
    cloudspec_services::SERVICES
        .iter()
        .flat_map(|service| service.operations)
        .find(|entry| std::ptr::eq(entry.meta, meta))
}

/// The parameters of `req` for the operation `meta`, keyed by documented name, decoded
/// from the spec's wire locations and checked against the documented limits.
pub(crate) fn read(
    meta: &'static OperationMeta,
    req: &Request,
) -> Result<Map<String, Value>, Problem> {
    let Some(entry) = entry(meta) else {
        return Err(Problem::Shape(format!(
            "the registry has no entry for `{}`; regenerate the crates",
            meta.name
        )));
    };
    let params =
        decode_params(meta, entry.params, &req.signing_request()).map_err(Problem::Param)?;
    match (entry.validate)(Value::Object(params.clone())) {
        Ok(()) => Ok(params),
        Err(InputProblem::Limits(errors)) => Err(Problem::Limits(errors)),
        Err(InputProblem::Shape(reason)) => Err(Problem::Shape(reason)),
    }
}
