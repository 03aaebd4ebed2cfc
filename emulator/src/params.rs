//! Reading a request's parameters the way the spec says they travel: the runtime's decoder
//! (the inverse of the request builder the clients use) over the operation's entry in the
//! generated registry, then the generated validator. One rule for both sides of the wire.

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

/// The parameters of `req` for `operation`, keyed by documented name, decoded from the
/// spec's wire locations and checked against the documented limits. Parameters an
/// official SDK sends that the operation does not have (the spec's `extra-parameter`
/// facts, `entry.tolerated`) are accepted and left out.
pub(crate) fn read(
    operation: &OperationEntry,
    req: &Request,
) -> Result<Map<String, Value>, Problem> {
    let mut request = req.signing_request();
    if !operation.tolerated.is_empty() {
        request
            .query
            .retain(|(name, _)| !operation.tolerated.contains(&name.as_str()));
        if req.is_form() {
            let kept: Vec<(String, String)> = form_urlencoded::parse(&request.body)
                .filter(|(name, _)| !operation.tolerated.contains(&name.as_ref()))
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect();
            request.body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(kept)
                .finish()
                .into_bytes();
        }
    }
    let params =
        decode_params(operation.meta, operation.params, &request).map_err(Problem::Param)?;
    match (operation.validate)(Value::Object(params.clone())) {
        Ok(()) => Ok(params),
        Err(InputProblem::Limits(errors)) => Err(Problem::Limits(errors)),
        Err(InputProblem::Shape(reason)) => Err(Problem::Shape(reason)),
    }
}
