//! Running an authenticated call, the same way for every operation of every spec: the
//! documented rate limit, the parameters read back from the spec's wire locations and
//! checked against the documented limits, the idempotency token, the spec's behaviour
//! rules (or none), and the answer from the documented sample response.

use cloudspec_runtime::behaviour::ErrorAnswer;
use cloudspec_runtime::protocol::ParamProblem;
use cloudspec_runtime::{Auth, ValidationErrors};
use serde_json::Value;

use crate::behaviour::{self, Context};
use crate::engine::{Shared, TokenRecord};
use crate::errors::ApiError;
use crate::http::Reply;
use crate::params::Problem;
use crate::protocol::{Call, Common};

/// Runs `call` and answers it in its provider's envelope.
pub(crate) fn execute(shared: &Shared, call: &Call<'_>) -> Reply {
    match run(shared, call) {
        Ok(reply) => reply,
        Err(error) => call.envelope.error(&error),
    }
}

fn run(shared: &Shared, call: &Call<'_>) -> Result<Reply, ApiError> {
    let operation = call.operation;
    let meta = operation.meta;
    if let Some(limit) = meta.rate_limit_per_second {
        let key = format!("{}/{}", call.service.command(), meta.name);
        if !shared.admit(&key, &call.account, limit) {
            return Err(call.envelope.common(Common::Throttled(Some(limit))));
        }
    }
    let params =
        crate::params::read(operation, call.req).map_err(|problem| param_error(call, problem))?;
    let account = account_of(shared, call, &params)?;
    let account = account.as_str();
    let token = meta.idempotency_token.and_then(|wire_name| {
        let name = documented_name(call, wire_name);
        params
            .get(name)
            .and_then(Value::as_str)
            .filter(|token| !token.is_empty())
            .map(|token| (name, token.to_owned()))
    });
    let mut world = shared.world();
    let token_key = token.as_ref().map(|(name, token)| {
        let mut rest = params.clone();
        rest.remove(*name);
        (
            (call.service, account.to_owned(), token.clone()),
            Value::Object(rest).to_string(),
        )
    });
    if let Some((key, fingerprint)) = &token_key
        && let Some(record) = world.tokens.get(key)
    {
        if &record.fingerprint == fingerprint {
            return Ok(record.reply.clone());
        }
        return Err(call.envelope.common(Common::IdempotentMismatch));
    }
    if let Some(rules) = operation.behaviour {
        let region = behaviour::region_of(
            rules.target.region,
            call.service,
            &params,
            &call.req.host,
            |name| {
                call.envelope
                    .common_param(call.req, name)
                    .map(str::to_owned)
            },
        );
        let ctx = Context {
            service: call.service,
            operation: meta.name,
            account,
            params: &params,
            region,
            errors: operation.errors,
            default_status: call.envelope.default_status(),
        };
        behaviour::run(&mut world, rules, &ctx, &shared.patterns, &shared.hooks)?;
    }
    let mut reply = call.envelope.success(operation, &params);
    if let Some(answers) = operation.instance_metadata {
        reply = crate::instance::answer(shared, call, answers, &params, reply)?;
    } else if let Some(issues) = operation.issues_credentials {
        reply = crate::issued::mint(shared, call, account, issues, &params, reply)?;
    }
    if let Some((key, fingerprint)) = token_key {
        world.tokens.insert(
            key,
            TokenRecord {
                fingerprint,
                reply: reply.clone(),
            },
        );
    }
    Ok(reply)
}

/// The documented name (the key of the parameters read back) of the parameter the runtime
/// names `wire_name` (an idempotency or identity token); the wire name itself when no
/// parameter has it.
fn documented_name(call: &Call<'_>, wire_name: &'static str) -> &'static str {
    call.operation
        .params
        .iter()
        .find(|param| param.wire_name == wire_name)
        .map_or(wire_name, |param| param.documented_name)
}

/// The account a call acts for: the signing key's, or for an unsigned operation the account
/// of the identity token its token parameter carries ([`crate::EmulatorBuilder::web_identity`]).
fn account_of(
    shared: &Shared,
    call: &Call<'_>,
    params: &serde_json::Map<String, Value>,
) -> Result<String, ApiError> {
    let Auth::Anonymous {
        identity_token: Some(wire_name),
    } = call.operation.meta.auth
    else {
        return Ok(call.account.clone());
    };
    let documented = documented_name(call, wire_name);
    let token = params
        .get(documented)
        .and_then(Value::as_str)
        .unwrap_or_default();
    shared
        .web_identity_account(call.service.provider(), token)
        .map(str::to_owned)
        .ok_or_else(|| {
            call.envelope.common(Common::InvalidParameter {
                name: documented,
                why: "the identity token is not one the emulator was given (EmulatorBuilder::web_identity).",
            })
        })
}

/// The answer to a parameter problem: the operation's documented row for it (its
/// behaviour's `parameter_errors`), or the provider's common error.
fn param_error(call: &Call<'_>, problem: Problem) -> ApiError {
    let documented = call
        .operation
        .behaviour
        .map(|behaviour| behaviour.parameter_errors)
        .unwrap_or_default();
    let row = |answer: Option<ErrorAnswer>, parameter: &str, common: Common<'_>| match answer {
        Some(answer) => ApiError::answer(&answer, parameter, call.envelope.default_status()),
        None => call.envelope.common(common),
    };
    match problem {
        Problem::Param(ParamProblem::Missing(name)) => {
            row(documented.missing, &name, Common::MissingParameter(&name))
        }
        Problem::Param(ParamProblem::Unknown(name)) => {
            row(documented.unknown, &name, Common::UnknownParameter(&name))
        }
        Problem::Param(ParamProblem::Repeated(name)) => {
            row(documented.unknown, &name, Common::RepeatedParameter(&name))
        }
        Problem::Param(ParamProblem::Invalid { name, reason }) => row(
            documented.invalid,
            &name,
            Common::InvalidParameter {
                name: &name,
                why: &format!("{reason}."),
            },
        ),
        Problem::Param(ParamProblem::Body(reason)) => {
            call.envelope.common(Common::InvalidBody(&reason))
        }
        Problem::Limits(errors) => {
            let name = first_parameter(&errors);
            row(
                documented.invalid,
                name,
                Common::InvalidParameter {
                    name,
                    why: &errors.to_string(),
                },
            )
        }
        Problem::Shape(reason) => call.envelope.common(Common::InvalidParameter {
            name: "",
            why: &reason,
        }),
    }
}

fn first_parameter(errors: &ValidationErrors) -> &'static str {
    errors
        .violations
        .first()
        .map_or("", |violation| violation.parameter)
}
