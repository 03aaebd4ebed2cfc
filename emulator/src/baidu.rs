//! Baidu AI Cloud BCE REST: BCC `DELETE /v2/image/{imageId}`, `bce-auth-v1`.

use cloudspec_baidu_bcc::DeleteImageError as BccError;
use cloudspec_sign::{baidu, constant_time_eq};

use crate::engine::{Found, Shared};
use crate::errors::ApiError;
use crate::http::{Reply, Request, decode_path};
use crate::state::{Fault, FaultKind, ImageKind, ImageState, Provider, Service};

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

/// Baidu's envelope: the status, `x-bce-request-id`, and `{"requestId","code","message"}`.
/// Every error body has a `code`: bce-python-sdk reads `d['code']` from any error body
/// (`baidubce/http/handler.py`, `parse_error`) and fails with `KeyError` without it.
fn error_reply(request_id: &str, error: &ApiError) -> Reply {
    let mut body = serde_json::Map::new();
    body.insert("requestId".to_owned(), request_id.into());
    if let Some(code) = &error.code {
        body.insert("code".to_owned(), code.as_str().into());
    }
    body.insert("message".to_owned(), error.message.as_str().into());
    Reply::json(error.status, serde_json::Value::Object(body).to_string())
        .with_header("x-bce-request-id", request_id.to_owned())
}

/// Success: 200, an empty body and `x-bce-request-id` (the document's "Return Instance").
fn success_reply(request_id: &str) -> Reply {
    Reply::empty(200)
        .with_header("content-type", "application/json;charset=UTF-8".to_owned())
        .with_header("x-bce-request-id", request_id.to_owned())
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

/// An authenticated BCC call.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    req: &'a Request,
    account: String,
    image_id: String,
    request_id: String,
}

/// Authenticates and routes a request: a verified [`Call`], or the error answer.
pub(crate) fn accept<'a>(shared: &Shared, req: &'a Request) -> Result<Call<'a>, Reply> {
    let request_id = request_id();
    let fail = |error: ApiError| error_reply(&request_id, &error);
    let account = verify(shared, req).map_err(fail)?;
    let image_id = route(req).map_err(|error| error_reply(&request_id, &error))?;
    Ok(Call {
        req,
        account,
        image_id,
        request_id,
    })
}

/// `DELETE /{version}/image/{imageId}` with the generated API version: the image ID.
fn route(req: &Request) -> Result<String, ApiError> {
    let segments: Vec<&str> = req.raw_path.split('/').collect();
    let ["", version, "image", id] = segments.as_slice() else {
        return Err(ApiError::common(
            400,
            "InvalidURI",
            format!(
                "Could not parse the specified URI `{}`: the emulator serves DELETE /{}/image/{{imageId}}.",
                req.raw_path,
                Service::Bcc.meta().api_version
            ),
        ));
    };
    if *version != Service::Bcc.meta().api_version {
        return Err(ApiError::common(
            404,
            "InvalidVersion",
            format!("The API version `{version}` is invalid."),
        ));
    }
    let id = decode_path(id);
    if id.is_empty() {
        return Err(ApiError::common(
            400,
            "InvalidURI",
            "Could not parse the specified URI: the image ID is empty.",
        ));
    }
    if req.method != Service::Bcc.operation().method {
        return Err(ApiError::common(
            405,
            "MethodNotAllowed",
            format!(
                "The specified method `{}` is not allowed against this resource.",
                req.method
            ),
        ));
    }
    Ok(id)
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

/// The answer to a fault of kind throttle, error500, error503 or error.
pub(crate) fn fault_reply(call: &Call<'_>, fault: &Fault) -> Reply {
    let error = match (fault.kind, fault.code.as_deref()) {
        (FaultKind::Throttle, _) => ApiError::common(
            429,
            "RequestRateExceeded",
            "The request rate exceeds the limit. Please reduce the frequency of calls.",
        ),
        (FaultKind::Error500, _) => ApiError::common(
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
        (FaultKind::Error503, _) => ApiError::common(
            503,
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please try again later.",
        ),
        (_, Some(code)) => ApiError::for_code(Service::Bcc, code, 400),
        (_, None) => ApiError::common(500, "InternalError", "cloudspec emulator: no fault answer"),
    };
    error_reply(&call.request_id, &error)
}

/// The region a `bcc.{region}.baidubce.com` host names; `None` for any other host (the
/// emulator's own `127.0.0.1:PORT`), which matches every region.
fn region_of(host: &str) -> Option<&str> {
    let host = host.split_once(':').map_or(host, |(name, _)| name);
    host.strip_prefix("bcc.")?.strip_suffix(".baidubce.com")
}

/// Runs an authenticated call.
pub(crate) fn execute(shared: &Shared, call: &Call<'_>) -> Reply {
    match delete_image(shared, call) {
        Ok(()) => success_reply(&call.request_id),
        Err(error) => error_reply(&call.request_id, &error),
    }
}

fn delete_image(shared: &Shared, call: &Call<'_>) -> Result<(), ApiError> {
    let service = Service::Bcc;
    if let Some((name, _)) = call.req.query.first() {
        return Err(ApiError::common(
            400,
            "InvalidParameter",
            format!("The parameter `{name}` is not recognized by this API."),
        ));
    }
    let mut world = shared.world();
    let refusal = match world.find(
        service,
        &call.image_id,
        &call.account,
        region_of(&call.req.host),
    ) {
        // "The image specified by imageId does not exist, and it prompts an error 404."
        // The document gives the status only; the code and message are those of the
        // BCC "Error Return" page's example of a missing resource (docs/protocols.md).
        Found::Missing => Some(ApiError::common(
            404,
            "NoSuchKey",
            "The resource you requested does not exist",
        )),
        // "The system image and service integration image can not be deleted."
        Found::Foreign => Some(ApiError::row(
            BccError::IMAGE_UN_CUSTOM_IMAGE_CANNOT_BE_DELETED,
            403,
        )),
        Found::Owned(image) if image.kind != ImageKind::Custom => Some(ApiError::row(
            BccError::IMAGE_UN_CUSTOM_IMAGE_CANNOT_BE_DELETED,
            403,
        )),
        Found::Owned(image) if image.state == ImageState::Creating => Some(ApiError::row(
            BccError::IMAGE_CREATING_IMAGE_CANNOT_BE_DELETED,
            409,
        )),
        Found::Owned(image) if image.is_shared() => Some(ApiError::row(
            BccError::IMAGE_IMAGE_HAS_BEEN_SHARED_TO_OTHERS,
            409,
        )),
        Found::Owned(_) => None,
    };
    if let Some(error) = refusal {
        return Err(error);
    }
    world.remove(service, &call.image_id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_bcc_hosts_only() {
        assert_eq!(region_of("bcc.bj.baidubce.com"), Some("bj"));
        assert_eq!(region_of("bcc.gz.baidubce.com:443"), Some("gz"));
        assert_eq!(region_of("127.0.0.1:8080"), None);
    }
}
