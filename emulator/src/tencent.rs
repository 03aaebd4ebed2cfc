//! Tencent Cloud API 3.0: CVM `DeleteImages`, `TC3-HMAC-SHA256`, errors with HTTP 200.

use cloudspec_sign::{constant_time_eq, tencent_tc3};

use cloudspec_tencent_cvm::DeleteImagesError as CvmError;

use crate::engine::{Found, Shared};
use crate::errors::ApiError;
use crate::http::{Reply, Request};
use crate::state::{Fault, FaultKind, ImageKind, ImageState, Provider, Service};

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

/// Tencent's envelope: HTTP 200, `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
fn error_reply(request_id: &str, error: &ApiError) -> Reply {
    Reply::json_as(
        200,
        CONTENT_TYPE,
        serde_json::json!({
            "Response": {
                "Error": { "Code": error.code_str(), "Message": error.message },
                "RequestId": request_id,
            }
        })
        .to_string(),
    )
}

fn success_reply(request_id: &str) -> Reply {
    Reply::json_as(
        200,
        CONTENT_TYPE,
        format!("{{\"Response\":{{\"RequestId\":\"{request_id}\"}}}}"),
    )
}

// Tencent's common errors (not in the document; see README "Common errors"). Tencent sends
// every error with HTTP 200, so the status here is only what the envelope ignores.

fn common(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::common(200, code, message)
}

fn invalid_authorization(detail: &str) -> ApiError {
    common(
        "AuthFailure.InvalidAuthorization",
        format!("The Authorization header is invalid: {detail}"),
    )
}

fn signature_failure() -> ApiError {
    common(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
    )
}

fn missing_parameter(name: &str) -> ApiError {
    common(
        "MissingParameter",
        format!("The request is missing a required parameter `{name}`."),
    )
}

fn invalid_value(name: &str, why: &str) -> ApiError {
    common(
        "InvalidParameterValue",
        format!("The value of parameter `{name}` is not valid: {why}"),
    )
}

fn unknown_parameter(name: &str) -> ApiError {
    common(
        "UnknownParameter",
        format!("The parameter `{name}` is not recognized."),
    )
}

/// An authenticated CVM call.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    req: &'a Request,
    account: String,
    region: Option<String>,
    request_id: String,
}

/// The common parameter `name`: the `X-TC-*` header, or the query parameter.
fn common_param<'a>(req: &'a Request, header: &str, query: &str) -> Option<&'a str> {
    req.header(header)
        .or_else(|| {
            req.query
                .iter()
                .find(|(n, _)| n == query)
                .map(|(_, v)| v.as_str())
        })
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Authenticates and routes a request: a verified [`Call`], or the error answer.
pub(crate) fn accept<'a>(shared: &Shared, req: &'a Request) -> Result<Call<'a>, Reply> {
    let request_id = request_id();
    let account = verify(shared, req).map_err(|error| error_reply(&request_id, &error))?;
    let route = || -> Result<(), ApiError> {
        let service = Service::Cvm;
        let action = common_param(req, "x-tc-action", "Action")
            .ok_or_else(|| missing_parameter("Action"))?;
        let version = common_param(req, "x-tc-version", "Version")
            .ok_or_else(|| missing_parameter("Version"))?;
        if version != service.meta().api_version {
            return Err(common(
                "NoSuchVersion",
                format!(
                    "The requested version `{version}` of service `{}` does not exist.",
                    service.meta().product_code
                ),
            ));
        }
        if service.operation().action != Some(action) {
            return Err(common(
                "InvalidAction",
                format!("The requested action `{action}` does not exist."),
            ));
        }
        Ok(())
    };
    route().map_err(|error| error_reply(&request_id, &error))?;
    Ok(Call {
        req,
        account,
        region: common_param(req, "x-tc-region", "Region").map(str::to_owned),
        request_id,
    })
}

/// Verifies the TC3 signature; the caller's account.
fn verify(shared: &Shared, req: &Request) -> Result<String, ApiError> {
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
    let product = Service::Cvm.meta().product_code;
    if auth.service != product {
        return Err(invalid_authorization(&format!(
            "the credential scope names service `{}`, expected `{product}`.",
            auth.service
        )));
    }
    let timestamp = req
        .header("x-tc-timestamp")
        .ok_or_else(|| missing_parameter("Timestamp"))?;
    let timestamp: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| invalid_value("Timestamp", "expected unix seconds."))?;
    let key = shared
        .key(Provider::Tencent, auth.access_key_id)
        .ok_or_else(|| {
            common(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            )
        })?;
    let now = shared.clock.now().as_second();
    // `abs_diff`: a timestamp such as `i64::MIN` must be refused, not overflow.
    if now.abs_diff(timestamp) > MAX_SKEW_SECONDS.unsigned_abs() {
        return Err(common(
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
        return Ok(key.account);
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
            return Ok(key.account);
        }
    }
    Err(signature_failure())
}

/// The answer to a fault of kind throttle, error500, error503 or error (always HTTP 200).
pub(crate) fn fault_reply(call: &Call<'_>, fault: &Fault) -> Reply {
    let error = match (fault.kind, fault.code.as_deref()) {
        (FaultKind::Throttle, _) => rate_limited(None),
        (FaultKind::Error500, _) => common(
            "InternalError",
            "An internal error has occurred. Retry your request, but if the problem persists, contact us.",
        ),
        (FaultKind::Error503, _) => common(
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please try again later.",
        ),
        (_, Some(code)) => ApiError::for_code(Service::Cvm, code, 200),
        (_, None) => common("InternalError", "cloudspec emulator: no fault answer"),
    };
    error_reply(&call.request_id, &error)
}

fn rate_limited(limit: Option<u32>) -> ApiError {
    let message = match limit {
        Some(limit) => format!(
            "The request rate exceeds the limit of {limit} requests per second for this API. \
             Please reduce the frequency of calls."
        ),
        None => {
            "The request rate exceeds the limit. Please reduce the frequency of calls.".to_owned()
        }
    };
    common("RequestLimitExceeded", message)
}

/// The parameters of `DeleteImages`.
/// The Tencent answer to a parameter problem: `MissingParameter`, `UnknownParameter`,
/// `InvalidParameterValue` for a value of the wrong type or over a documented limit, and
/// `InvalidParameter` for a repeated parameter or a body that is not a JSON object.
fn param_error(problem: crate::params::Problem) -> ApiError {
    use crate::params::Problem;
    use cloudspec_runtime::protocol::ParamProblem;
    match problem {
        Problem::Param(ParamProblem::Missing(name)) => missing_parameter(&name),
        Problem::Param(ParamProblem::Unknown(name)) => unknown_parameter(&name),
        Problem::Param(ParamProblem::Invalid { name, reason }) => {
            invalid_value(&name, &format!("{reason}."))
        }
        Problem::Param(problem @ (ParamProblem::Repeated(_) | ParamProblem::Body(_))) => {
            common("InvalidParameter", format!("{problem}."))
        }
        Problem::Limits(errors) => {
            let name = errors
                .violations
                .first()
                .map_or("ImageIds", |violation| violation.parameter);
            invalid_value(name, &errors.to_string())
        }
        Problem::Shape(reason) => common("InvalidParameter", reason),
    }
}

/// A POST must carry a JSON (or form) body, as the protocol sends it.
fn check_content_type(req: &Request) -> Result<(), ApiError> {
    if req.method == "GET" || req.is_json() || req.is_form() {
        Ok(())
    } else {
        Err(common(
            "InvalidParameter",
            "A POST request must carry a JSON body (Content-Type: application/json).",
        ))
    }
}

/// The emulator's rule for a well-formed CVM image ID (the document states none): `img-`
/// followed by at least 8 lower-case letters or digits. Both of the document's examples
/// must pass: `img-mfih409y` (8) and `img-34vaef8fe` (9).
fn cvm_id_well_formed(id: &str) -> bool {
    id.strip_prefix("img-").is_some_and(|rest| {
        rest.len() >= 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Runs an authenticated call.
pub(crate) fn execute(shared: &Shared, call: &Call<'_>) -> Reply {
    match delete_images(shared, call) {
        Ok(()) => success_reply(&call.request_id),
        Err(error) => error_reply(&call.request_id, &error),
    }
}

fn delete_images(shared: &Shared, call: &Call<'_>) -> Result<(), ApiError> {
    let service = Service::Cvm;
    // "A maximum of 10 requests can be initiated per second for this API." (the generated
    // META carries the number).
    if let Some(limit) = service.operation().rate_limit_per_second {
        if !shared.admit(&call.account, limit) {
            return Err(rate_limited(Some(limit)));
        }
    }
    check_content_type(call.req)?;
    // The parameters as the spec says they travel (a JSON body, or `ImageIds.0=` in a GET
    // query), with the document's limits checked by the generated validator.
    let params = crate::params::read(service.operation(), call.req).map_err(param_error)?;
    let flag = |name: &str| params.get(name).and_then(serde_json::Value::as_bool);
    let (dry_run, delete_binded_snap) = (
        flag("DryRun").unwrap_or(false),
        flag("DeleteBindedSnap").unwrap_or(false),
    );
    let mut ids: Vec<String> = params
        .get("ImageIds.N")
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(bad) = ids.iter().find(|id| !cvm_id_well_formed(id)) {
        let mut error = ApiError::row(CvmError::INVALID_IMAGE_ID_MALFORMED, 200);
        error.message = format!("{} (`{bad}`)", error.message);
        return Err(error);
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let mut world = shared.world();
    // "If the image is in use or the image ID does not exist, no operation will be performed,
    // and an error code will be returned." Every image is checked before any is deleted.
    for id in &ids {
        let row = match world.find(service, id, &call.account, call.region.as_deref()) {
            Found::Missing => CvmError::INVALID_IMAGE_ID_NOT_FOUND,
            Found::Foreign => CvmError::INVALID_PARAMETER_VALUE_INVALID_IMAGE_ID,
            Found::Owned(image) if image.kind == ImageKind::Public => {
                CvmError::INVALID_PARAMETER_VALUE_INVALID_IMAGE_ID
            }
            // "A shared image cannot be deleted."
            Found::Owned(image) if image.is_shared() => CvmError::INVALID_IMAGE_ID_IN_SHARED,
            // "If the ImageState of an image is CREATING or USING, the image cannot be deleted."
            Found::Owned(image) if image.state == ImageState::Creating || image.in_use() => {
                CvmError::INVALID_IMAGE_ID_INCORRECT_STATE
            }
            Found::Owned(_) => continue,
        };
        return Err(ApiError::row(row, 200));
    }
    if dry_run {
        return Ok(());
    }
    for id in &ids {
        if let Some(image) = world.remove(service, id) {
            if delete_binded_snap {
                for snapshot in &image.bound_snapshots {
                    world.snapshots.remove(snapshot);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvm_ids() {
        assert!(cvm_id_well_formed("img-mfih409y"));
        assert!(!cvm_id_well_formed("img-MFIH409Y"));
        assert!(!cvm_id_well_formed("img-mfih409"));
        assert!(!cvm_id_well_formed("m-mfih409y"));
        // CVM Example1 "Deleting an image" uses a 9-character ID.
        assert!(cvm_id_well_formed("img-34vaef8fe"));
    }
}
