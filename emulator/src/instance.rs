//! The instance the emulator plays, for instance-metadata operations (a spec's
//! `instance_metadata:`): session tokens issued with the lifetime asked for, the name of the
//! instance's role ([`crate::EmulatorBuilder::instance_role`]), and that role's credentials,
//! minted for its account as an `issues_credentials` operation mints them. Nothing here
//! names a service, a path or a header: the spec does.

use cloudspec_runtime::behaviour::{ErrorAnswer, InstanceMetadata, MetadataAnswer};
use serde_json::{Map, Value};

use crate::engine::Shared;
use crate::errors::ApiError;
use crate::http::Reply;
use crate::protocol::{Call, Common};

/// The answer of `call`, an instance-metadata operation that `answers` describes, in place
/// of its sample `reply`.
pub(crate) fn answer(
    shared: &Shared,
    call: &Call<'_>,
    answers: &InstanceMetadata,
    params: &Map<String, Value>,
    reply: Reply,
) -> Result<Reply, ApiError> {
    if let Some(name) = answers.session_token_parameter
        && let Some(token) = params.get(name).and_then(Value::as_str)
        && !shared.knows_metadata_token(token)
    {
        return Err(refusal(
            answers.unauthorized,
            401,
            "The session token is not valid.",
        ));
    }
    let provider = call.service.provider();
    match answers.answers {
        MetadataAnswer::SessionToken { ttl_parameter } => {
            let name = ttl_parameter.unwrap_or_default();
            let seconds = params
                .get(name)
                .and_then(Value::as_i64)
                .filter(|seconds| *seconds > 0)
                .ok_or_else(|| {
                    call.envelope.common(Common::InvalidParameter {
                        name,
                        why: "expected a positive number of seconds.",
                    })
                })?;
            let expires = shared
                .clock
                .now()
                .checked_add(jiff::SignedDuration::from_secs(seconds))
                .map_err(|_| {
                    call.envelope.common(Common::InvalidParameter {
                        name,
                        why: "the lifetime is out of range.",
                    })
                })?;
            Ok(reply.with_body(shared.issue_metadata_token(expires)))
        }
        MetadataAnswer::RoleName => match shared.instance_roles(provider).first() {
            Some((role, _)) => Ok(reply.with_body(role.clone())),
            None => Err(refusal(answers.no_role, 404, "The instance has no role.")),
        },
        MetadataAnswer::RoleCredentials { role_parameter } => {
            let role = params
                .get(role_parameter)
                .and_then(Value::as_str)
                .unwrap_or_default();
            let account = shared
                .instance_roles(provider)
                .into_iter()
                .find(|(name, _)| name == role)
                .map(|(_, account)| account)
                .ok_or_else(|| {
                    refusal(
                        answers.no_role,
                        404,
                        "The instance has no role of that name.",
                    )
                })?;
            let issues = call
                .operation
                .issues_credentials
                .ok_or_else(|| call.envelope.common(Common::Internal))?;
            crate::issued::mint(shared, call, &account, issues, params, reply)
        }
    }
}

/// The documented refusal, or (a spec that names none) `status` with `message`.
fn refusal(row: Option<ErrorAnswer>, status: u16, message: &str) -> ApiError {
    match row {
        Some(row) => ApiError::answer(&row, "", status),
        None => ApiError {
            status,
            code: None,
            message: message.to_owned(),
        },
    }
}
