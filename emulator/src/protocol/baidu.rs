//! Baidu AI Cloud BCE REST: every `baidu-rest` service of the registry, routed by method
//! and path template, `bce-auth-v1`, errors in `{"requestId","code","message"}`.

use cloudspec_runtime::Protocol;
use cloudspec_runtime::behaviour::{BodyFormat, SampleResponse};
use cloudspec_runtime::registry::OperationEntry;
use cloudspec_sign::{baidu, constant_time_eq};

use super::{Call, Common, Envelope as AnyEnvelope, Miss};
use crate::engine::Shared;
use crate::errors::ApiError;
use crate::http::{Reply, Request};
use crate::service::Service;
use crate::state::Provider;

/// How far ahead of the emulator's clock a `bce-auth-v1` timestamp may be: 15 minutes, the
/// clock skew Alibaba allows (the documents state none for Baidu; README "Authentication").
const MAX_FUTURE_SKEW_SECONDS: i64 = 15 * 60;

/// The longest validity honoured, whatever `expirationPeriodInSeconds` says: 7 days (the
/// emulator's bound, README "Authentication"), so that a signature from 2000 with an
/// expiry of 4294967295 seconds is expired.
const MAX_VALIDITY_SECONDS: i64 = 7 * 24 * 60 * 60;

/// A lower-case UUID, like Baidu's request IDs.
fn request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// How answers are written for one request.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    request_id: String,
}

impl Envelope {
    /// Baidu's envelope: the status, `x-bce-request-id`, and
    /// `{"requestId","code","message"}`. Every error body has a `code`: bce-python-sdk
    /// reads `d['code']` from any error body (`baidubce/http/handler.py`, `parse_error`) and
    /// fails with `KeyError` without it.
    pub(crate) fn error(&self, error: &ApiError) -> Reply {
        let mut body = serde_json::Map::new();
        body.insert("requestId".to_owned(), self.request_id.as_str().into());
        if let Some(code) = &error.code {
            body.insert("code".to_owned(), code.as_str().into());
        }
        body.insert("message".to_owned(), error.message.as_str().into());
        Reply::json(error.status, serde_json::Value::Object(body).to_string())
            .with_header("x-bce-request-id", self.request_id.clone())
    }

    /// A success: the documented sample response's status and body (BCC's "Return
    /// Instance" is 200 with no body), `x-bce-request-id` set to this request's ID.
    pub(crate) fn success(&self, samples: &[&'static SampleResponse]) -> Reply {
        let sample = samples.first();
        let status = sample.map_or(200, |sample| sample.status);
        let reply = match sample {
            Some(sample) if sample.format == BodyFormat::Json => Reply::json(
                status,
                super::json_with_request_id(sample.body, "requestId", &self.request_id)
                    .unwrap_or_else(|| sample.body.to_owned()),
            ),
            _ => Reply::empty(status)
                .with_header("content-type", "application/json;charset=UTF-8".to_owned()),
        };
        reply.with_header("x-bce-request-id", self.request_id.clone())
    }
}

// Baidu AI Cloud's common errors (not in the document; see README "Common errors").

fn invalid_auth_header(detail: &str) -> ApiError {
    ApiError::common(
        400,
        "InvalidHTTPAuthHeader",
        format!(
            "The HTTP authorization header is invalid. Consult the service documentation for details. {detail}"
        ),
    )
}

/// Baidu's common error for `common`.
pub(crate) fn common(common: Common<'_>) -> ApiError {
    match common {
        Common::MissingParameter(name) => ApiError::common(
            400,
            "MissingParameter",
            format!("The parameter `{name}` is required."),
        ),
        Common::UnknownParameter(name) | Common::RepeatedParameter(name) => ApiError::common(
            400,
            "InvalidParameter",
            format!("The parameter `{name}` is not recognized by this API."),
        ),
        Common::InvalidParameter { name, why } => ApiError::common(
            400,
            "InvalidParameter",
            format!("The parameter `{name}` is not valid: {why}"),
        ),
        Common::InvalidBody(why) => ApiError::common(
            400,
            "MalformedJSON",
            format!("The JSON you provided was not well-formed: {why}."),
        ),
        Common::Throttled(_) => ApiError::common(
            429,
            "RequestRateExceeded",
            "The request rate exceeds the limit. Please reduce the frequency of calls.",
        ),
        Common::Internal => ApiError::common(
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
        Common::Unavailable => ApiError::common(
            503,
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please try again later.",
        ),
        Common::IdempotentMismatch => ApiError::common(
            400,
            "InvalidParameter",
            "The client token was used before with other parameters.",
        ),
    }
}

/// Whether `path` is one a Baidu operation serves (for any method).
pub(crate) fn serves_path(path: &str) -> bool {
    super::serves_path(Protocol::BaiduRest, path)
}

/// The operation `method` and `path` name ([`super::route_by_path`]): a path that matches
/// with another method is `MethodNotAllowed`; one that matches only with other constants
/// (another API version) is `InvalidVersion`.
fn route(method: &str, path: &str) -> Result<(Service, &'static OperationEntry), ApiError> {
    super::route_by_path(Protocol::BaiduRest, method, path).map_err(|miss| match miss {
        Miss::Method => ApiError::common(
            405,
            "MethodNotAllowed",
            format!("The specified method `{method}` is not allowed against this resource."),
        ),
        Miss::Version => ApiError::common(
            404,
            "InvalidVersion",
            format!("The API version in `{path}` is invalid."),
        ),
        Miss::Path => ApiError::common(
            400,
            "InvalidURI",
            format!("Could not parse the specified URI `{path}`."),
        ),
    })
}

/// Authenticates and routes a request: a verified [`Call`], or the error answer.
pub(crate) fn accept<'r>(shared: &Shared, req: &'r Request) -> Result<Call<'r>, Reply> {
    let envelope = Envelope {
        request_id: request_id(),
    };
    let account = verify(shared, req).map_err(|error| envelope.error(&error))?;
    let (service, operation) =
        route(&req.method, &req.path).map_err(|error| envelope.error(&error))?;
    Ok(Call {
        req,
        service,
        operation,
        account,
        envelope: AnyEnvelope::Baidu(envelope),
    })
}

/// Verifies `bce-auth-v1`; the caller's account.
fn verify(shared: &Shared, req: &Request) -> Result<String, ApiError> {
    let header = req
        .header("authorization")
        .ok_or_else(|| invalid_auth_header("The Authorization header is missing."))?;
    let auth = baidu::parse_authorization(header).ok_or_else(|| {
        invalid_auth_header(
            "Expected bce-auth-v1/{accessKeyId}/{timestamp}/{expires}/{signedHeaders}/{signature}.",
        )
    })?;
    // An empty signed-headers field means the default set, as bce-python-sdk signs
    // (`baidubce/auth/bce_v1_signer.py`, `_get_canonical_headers`); host is in it.
    let host_signed = if auth.signed_headers.is_empty() {
        !req.host.is_empty()
    } else {
        auth.signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("host"))
    };
    if !host_signed {
        return Err(invalid_auth_header("The host header must be signed."));
    }
    let signed_at = auth
        .parsed_timestamp()
        .ok_or_else(|| invalid_auth_header("The timestamp is not yyyy-MM-ddTHH:mm:ssZ."))?;
    let key = shared
        .key(Provider::Baidu, auth.access_key_id)
        .ok_or_else(|| {
            ApiError::common(
                403,
                "InvalidAccessKeyId",
                "The Access Key ID you provided does not exist in our records.",
            )
        })?;
    let now = shared.clock.now().as_second();
    let signed_at = signed_at.as_second();
    if signed_at > now + MAX_FUTURE_SKEW_SECONDS {
        return Err(ApiError::common(
            400,
            "RequestExpired",
            format!(
                "Request timestamp {} is more than {MAX_FUTURE_SKEW_SECONDS} seconds ahead of the server's time.",
                auth.timestamp
            ),
        ));
    }
    let valid_for = i64::from(auth.expires_in_seconds).min(MAX_VALIDITY_SECONDS);
    if now > signed_at + valid_for {
        return Err(ApiError::common(
            400,
            "RequestExpired",
            format!("Request has expired. Timestamp date is {}.", auth.timestamp),
        ));
    }
    let expected = baidu::expected_signature(&req.signing_request(), &auth, &key.secret)
        .map_err(|error| invalid_auth_header(&format!("{error}.")))?;
    if !constant_time_eq(&expected, auth.signature) {
        return Err(ApiError::common(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(key.account)
}
