//! Tencent Cloud API 3.0: every `tencent-api3` service of the registry, chosen by the
//! TC3 credential scope, `TC3-HMAC-SHA256`, errors with HTTP 200.

use cloudspec_runtime::Protocol;
use cloudspec_runtime::behaviour::{BodyFormat, SampleResponse};
use cloudspec_runtime::registry::OperationEntry;
use cloudspec_sign::{constant_time_eq, tencent_tc3};

use super::{Call, Common, Envelope as AnyEnvelope};
use crate::engine::{KeyProblem, Shared};
use crate::errors::ApiError;
use crate::http::{Reply, Request};
use crate::service::Service;
use crate::state::Provider;

/// A TC3 signature is accepted within 5 minutes of the server's time (docs/protocols.md,
/// "Tencent Cloud API 3.0": `X-TC-Timestamp`, 5-minute skew).
const MAX_SKEW_SECONDS: i64 = 300;

/// The `Content-Type` of every Tencent answer. Exactly this: tencentcloud-sdk-python reads
/// an error only when the type is exactly `application/json` or `text/plain`
/// (`_check_error` in `tencentcloud/common/abstract_client.py`, see `docs/protocols.md`);
/// with `;charset=utf-8` it returns an error body to its caller as a success.
const CONTENT_TYPE: &str = "application/json";

/// A lower-case UUID, like Tencent's request IDs.
fn request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// How answers are written for one request.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    request_id: String,
}

impl Envelope {
    /// Tencent's envelope: HTTP 200, `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
    pub(crate) fn error(&self, error: &ApiError) -> Reply {
        Reply::json_as(
            200,
            CONTENT_TYPE,
            serde_json::json!({
                "Response": {
                    "Error": { "Code": error.code_str(), "Message": error.message },
                    "RequestId": self.request_id,
                }
            })
            .to_string(),
        )
    }

    /// A success: the documented sample response with this request's ID, or
    /// `{"Response":{"RequestId": ..}}` when the document shows none.
    pub(crate) fn success(&self, samples: &[&'static SampleResponse]) -> Reply {
        let body = samples
            .iter()
            .find(|sample| sample.format == BodyFormat::Json)
            .and_then(|sample| {
                let mut value: serde_json::Value = serde_json::from_str(sample.body).ok()?;
                let response = value.get_mut("Response")?.as_object_mut()?;
                response.insert("RequestId".to_owned(), self.request_id.clone().into());
                Some(value.to_string())
            })
            .unwrap_or_else(|| {
                serde_json::json!({ "Response": { "RequestId": self.request_id } }).to_string()
            });
        Reply::json_as(200, CONTENT_TYPE, body)
    }
}

// Tencent's common errors (not in the document; see README "Common errors"). Tencent sends
// every error with HTTP 200, so the status here is only what the envelope ignores.

fn error(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::common(200, code, message)
}

/// Tencent's common error for `common`.
pub(crate) fn common(common: Common<'_>) -> ApiError {
    match common {
        Common::MissingParameter(name) => missing_parameter(name),
        Common::UnknownParameter(name) => error(
            "UnknownParameter",
            format!("The parameter `{name}` is not recognized."),
        ),
        Common::RepeatedParameter(name) => error(
            "InvalidParameter",
            format!("parameter `{name}` is given more than once."),
        ),
        Common::InvalidParameter { name, why } => invalid_value(name, why),
        Common::InvalidBody(why) => error(
            "InvalidParameter",
            format!("the request body is not valid: {why}."),
        ),
        Common::Throttled(limit) => {
            let message = match limit {
                Some(limit) => format!(
                    "The request rate exceeds the limit of {limit} requests per second for this API. \
                     Please reduce the frequency of calls."
                ),
                None => "The request rate exceeds the limit. Please reduce the frequency of calls."
                    .to_owned(),
            };
            error("RequestLimitExceeded", message)
        }
        Common::Internal => error(
            "InternalError",
            "An internal error has occurred. Retry your request, but if the problem persists, contact us.",
        ),
        Common::Unavailable => error(
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please try again later.",
        ),
        Common::IdempotentMismatch => error(
            "InvalidParameter",
            "The client token was used before with other parameters.",
        ),
    }
}

fn invalid_authorization(detail: &str) -> ApiError {
    error(
        "AuthFailure.InvalidAuthorization",
        format!("The Authorization header is invalid: {detail}"),
    )
}

fn signature_failure() -> ApiError {
    error(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
    )
}

fn missing_parameter(name: &str) -> ApiError {
    error(
        "MissingParameter",
        format!("The request is missing a required parameter `{name}`."),
    )
}

fn invalid_value(name: &str, why: &str) -> ApiError {
    error(
        "InvalidParameterValue",
        format!("The value of parameter `{name}` is not valid: {why}"),
    )
}

/// The common parameter `name` (`Region`): the `X-TC-Region` header, or the query
/// parameter; blank is absent.
pub(crate) fn common_param<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    req.header(&format!("x-tc-{}", name.to_ascii_lowercase()))
        .or_else(|| {
            req.query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        })
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Authenticates and routes a request: a verified [`Call`], or the error answer.
pub(crate) fn accept<'r>(shared: &Shared, req: &'r Request) -> Result<Call<'r>, Reply> {
    let envelope = Envelope {
        request_id: request_id(),
    };
    // `Authorization: SKIP` is the SDK's unsigned form (docs/protocols.md, "Unsigned calls"):
    // only an operation that takes no signature accepts it, and the call carries no account
    // (its identity token names one, crate::call).
    let unsigned = req
        .header("authorization")
        .is_some_and(|value| value.trim() == tencent_tc3::SKIP_AUTHORIZATION);
    let (service, account) = if unsigned {
        (
            unsigned_service(req).map_err(|error| envelope.error(&error))?,
            String::new(),
        )
    } else {
        verify(shared, req).map_err(|error| envelope.error(&error))?
    };
    let route = || -> Result<&'static OperationEntry, ApiError> {
        let action = common_param(req, "Action").ok_or_else(|| missing_parameter("Action"))?;
        let version = common_param(req, "Version").ok_or_else(|| missing_parameter("Version"))?;
        if !service.entry().has_version(version) {
            return Err(error(
                "NoSuchVersion",
                format!(
                    "The requested version `{version}` of service `{}` does not exist.",
                    service.meta().product_code
                ),
            ));
        }
        let operation = service
            .entry()
            .operation_by_action(version, action)
            .ok_or_else(|| {
                error(
                    "InvalidAction",
                    format!("The requested action `{action}` does not exist."),
                )
            })?;
        // A POST must carry a JSON (or form) body, as the protocol sends it.
        if !(req.method == "GET" || req.is_json() || req.is_form()) {
            return Err(error(
                "InvalidParameter",
                "A POST request must carry a JSON body (Content-Type: application/json).",
            ));
        }
        Ok(operation)
    };
    let operation = route().map_err(|error| envelope.error(&error))?;
    Ok(Call {
        req,
        service,
        operation,
        account,
        envelope: AnyEnvelope::Tencent(envelope),
    })
}

/// The service of an unsigned request: the one whose operation of this action and version
/// takes no signature.
fn unsigned_service(req: &Request) -> Result<Service, ApiError> {
    let action = common_param(req, "Action").ok_or_else(|| missing_parameter("Action"))?;
    let version = common_param(req, "Version").ok_or_else(|| missing_parameter("Version"))?;
    Service::all()
        .filter(|service| service.protocol() == Protocol::TencentApi3)
        .find(|service| {
            service
                .entry()
                .operation_by_action(version, action)
                .is_some_and(|operation| operation.meta.auth.is_anonymous())
        })
        .ok_or_else(|| {
            invalid_authorization(&format!(
                "`Authorization: SKIP` is accepted only by an operation that takes no signature, and `{action}` of version `{version}` takes one."
            ))
        })
}

/// Verifies the TC3 signature: the service its credential scope names, and the caller's
/// account.
fn verify(shared: &Shared, req: &Request) -> Result<(Service, String), ApiError> {
    let header = req
        .header("authorization")
        .ok_or_else(|| invalid_authorization("the header is missing."))?;
    let auth = tencent_tc3::parse_authorization(header).ok_or_else(|| {
        invalid_authorization(
            "expected `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=.., Signature=..`.",
        )
    })?;
    for required in tencent_tc3::DEFAULT_SIGNED_HEADERS {
        if !auth
            .signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(required))
        {
            return Err(invalid_authorization(&format!(
                "SignedHeaders must include `{required}`."
            )));
        }
    }
    let service = Service::all()
        .find(|service| {
            service.protocol() == Protocol::TencentApi3
                && service.meta().product_code == auth.service
        })
        .ok_or_else(|| {
            invalid_authorization(&format!(
                "the credential scope names service `{}`, which is not served here.",
                auth.service
            ))
        })?;
    let timestamp = req
        .header("x-tc-timestamp")
        .ok_or_else(|| missing_parameter("Timestamp"))?;
    let timestamp: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| invalid_value("Timestamp", "expected unix seconds."))?;
    // A temporary key needs its token (`X-TC-Token`) and must not have expired (*choice*:
    // `AuthFailure.TokenFailure`, Tencent's common error for a bad token; emulator/README.md,
    // "Temporary credentials").
    let key = shared
        .key_with_token(
            Provider::Tencent,
            auth.access_key_id,
            req.header("x-tc-token"),
        )
        .map_err(|problem| match problem {
            KeyProblem::NotFound => error(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            ),
            KeyProblem::TokenMismatch => error(
                "AuthFailure.TokenFailure",
                "The token is invalid or does not belong to the SecretId.",
            ),
            KeyProblem::Expired => error("AuthFailure.TokenFailure", "The token has expired."),
        })?;
    let now = shared.clock.now().as_second();
    // `abs_diff`: a timestamp such as `i64::MIN` must be refused, not overflow.
    if now.abs_diff(timestamp) > MAX_SKEW_SECONDS.unsigned_abs() {
        return Err(error(
            "AuthFailure.SignatureExpire",
            format!(
                "Signature expired. Timestamp {timestamp} differs from the server time {now} by more than {MAX_SKEW_SECONDS} seconds."
            ),
        ));
    }
    if tencent_tc3::date_of(timestamp).ok().as_deref() != Some(auth.date) {
        return Err(signature_failure());
    }
    let mut signing = req.signing_request();
    let expected = tencent_tc3::expected_signature(&signing, &auth, &key.secret)
        .map_err(|error| invalid_authorization(&format!("{error}.")))?;
    if constant_time_eq(&expected, auth.signature) {
        return Ok((service, key.account));
    }
    // A signature over the host without its port is accepted too (README, "Authentication"):
    // clients that sign the URL's host name rather than the Host header they send do so, and
    // on the real endpoints (port 443, no port in Host) both forms are the same. It still
    // needs the secret.
    if let Some((name, port)) = req.host.rsplit_once(':')
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        signing.host = name.to_owned();
        let portless = tencent_tc3::expected_signature(&signing, &auth, &key.secret)
            .map_err(|error| invalid_authorization(&format!("{error}.")))?;
        if constant_time_eq(&portless, auth.signature) {
            return Ok((service, key.account));
        }
    }
    Err(signature_failure())
}
