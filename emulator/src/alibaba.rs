//! Alibaba Cloud RPC: ECS `DeleteImage`, ENS `DeleteImage` and SWAS `DeleteCustomImages`,
//! one port, the product chosen by `Version`, signature V1 (query) or V3 (`Authorization`).

use std::collections::HashMap;

use cloudspec_alibaba_ecs::DeleteImageError as EcsError;
use cloudspec_alibaba_ens::DeleteImageError as EnsError;
use cloudspec_alibaba_swas::DeleteCustomImagesError as SwasError;
use cloudspec_runtime::DocumentedError;
use cloudspec_sign::{alibaba_v1, alibaba_v3, constant_time_eq};

use crate::engine::{Found, Shared, TokenRecord};
use crate::errors::ApiError;
use crate::http::{Reply, Request, parse_form, xml_escape};
use crate::state::{Fault, FaultKind, Image, ImageKind, ImageState, Provider, Service};

/// Alibaba accepts a signature whose timestamp is within 15 minutes of the server's time
/// (the `InvalidTimeStamp.Expired` rule of Alibaba's common errors).
const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// Signature V1 common parameters: not API parameters (the runtime's list, which its
/// request decoder skips too).
const V1_COMMON: &[&str] = cloudspec_runtime::protocol::decode::ALIBABA_COMMON_PARAMS;

/// Signature V3 sends action, version and signature in headers; `Format` may still be in
/// the query.
const V3_COMMON: &[&str] = &["Format"];

/// The products served here, chosen by `Version` (the generated `SERVICE` statics).
const PRODUCTS: [Service; 3] = [Service::Ecs, Service::Ens, Service::Swas];

/// How answers are written for one request.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    request_id: String,
    host_id: String,
    xml: bool,
    service: Option<Service>,
}

impl Envelope {
    /// The error in Alibaba's envelope: JSON `{"RequestId","HostId","Code","Message",
    /// "Recommend"}` (or the same `<Error>` in XML) with the error's HTTP status.
    pub(crate) fn error(&self, error: &ApiError) -> Reply {
        let code = error.code_str();
        let product = self.service.map_or("", |s| s.meta().product_code);
        let recommend = format!(
            "https://api.aliyun.com/troubleshoot?q={code}&product={product}&requestId={}",
            self.request_id
        );
        if self.xml {
            Reply::xml(
                error.status,
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>{}</RequestId>\
                     <HostId>{}</HostId><Code>{}</Code><Message>{}</Message>\
                     <Recommend>{}</Recommend></Error>",
                    xml_escape(&self.request_id),
                    xml_escape(&self.host_id),
                    xml_escape(code),
                    xml_escape(&error.message),
                    xml_escape(&recommend)
                ),
            )
        } else {
            Reply::json(
                error.status,
                serde_json::json!({
                    "RequestId": self.request_id,
                    "HostId": self.host_id,
                    "Code": code,
                    "Message": error.message,
                    "Recommend": recommend,
                })
                .to_string(),
            )
        }
    }

    /// The success answer: `{"RequestId": ...}`, and for ENS `{"Code": 0, "RequestId": ...}`
    /// (ENS document, "Success response").
    fn success(&self, service: Service) -> Reply {
        let ens = service == Service::Ens;
        if self.xml {
            let action = service
                .operation()
                .action
                .unwrap_or(service.operation().name);
            let code = if ens { "<Code>0</Code>" } else { "" };
            Reply::xml(
                200,
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><{action}Response>\
                     <RequestId>{}</RequestId>{code}</{action}Response>",
                    self.request_id
                ),
            )
        } else if ens {
            Reply::json(
                200,
                format!("{{\"Code\":0,\"RequestId\":\"{}\"}}", self.request_id),
            )
        } else {
            Reply::json(200, format!("{{\"RequestId\":\"{}\"}}", self.request_id))
        }
    }
}

/// An authenticated call to one of the Alibaba products.
#[derive(Debug)]
pub(crate) struct Call {
    /// The product, chosen by `Version`.
    pub service: Service,
    account: String,
    /// API parameters (common parameters removed), in order.
    params: Vec<(String, String)>,
    envelope: Envelope,
}

struct Verified {
    account: String,
    action: String,
    version: String,
}

/// An upper-case UUID, like Alibaba's request IDs.
fn request_id() -> String {
    uuid::Uuid::new_v4()
        .hyphenated()
        .to_string()
        .to_ascii_uppercase()
}

fn first<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

// Alibaba's common errors (not in the documents; see README "Common errors").

fn incomplete_signature(detail: &str) -> ApiError {
    ApiError::common(
        400,
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards. {detail}"),
    )
}

fn signature_mismatch(string_to_sign: &str) -> ApiError {
    ApiError::common(
        400,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
        ),
    )
}

fn missing_parameter(name: &str) -> ApiError {
    ApiError::common(
        400,
        "MissingParameter",
        format!(
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
        ),
    )
}

fn invalid_parameter(name: &str, why: &str) -> ApiError {
    ApiError::common(
        400,
        "InvalidParameter",
        format!("The specified parameter \"{name}\" is not valid. {why}"),
    )
}

/// Answers the request's authentication and routing: a verified [`Call`], or the error
/// answer to send.
pub(crate) fn accept(shared: &Shared, req: &Request) -> Result<Call, Reply> {
    let mut params = req.query.clone();
    if req.is_form() {
        params.extend(parse_form(&String::from_utf8_lossy(&req.body)));
    }
    let format = first(&params, "Format");
    let mut envelope = Envelope {
        request_id: request_id(),
        host_id: req.host.clone(),
        xml: format.is_some_and(|f| f.eq_ignore_ascii_case("XML")),
        service: None,
    };
    // V3 signs in `Authorization`; V1 in the `Signature` parameter. aliyun-python-sdk-core
    // signs V1 and still sends `x-acs-action`/`x-acs-version` headers (request.py,
    // `RpcRequest.__init__`), so those headers alone say nothing about the version.
    let v3 = req
        .header("authorization")
        .is_some_and(|a| a.starts_with(alibaba_v3::ALGORITHM))
        || (first(&params, alibaba_v1::SIGNATURE_PARAM).is_none()
            && req.header("x-acs-action").is_some());
    let verified = if v3 {
        verify_v3(shared, req)
    } else {
        verify_v1(shared, req, &params)
    };
    let Verified {
        account,
        action,
        version,
    } = verified.map_err(|error| envelope.error(&error))?;
    let Some(service) = PRODUCTS
        .into_iter()
        .find(|s| s.meta().api_version == version)
    else {
        return Err(envelope.error(&ApiError::common(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        )));
    };
    envelope.service = Some(service);
    if let Some(host) = service
        .meta()
        .endpoints
        .host(first(&params, "RegionId").filter(|r| !r.is_empty()))
    {
        envelope.host_id = host;
    }
    if service.operation().action != Some(action.as_str()) {
        return Err(envelope.error(&ApiError::common(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        )));
    }
    if format.is_some_and(|f| !f.eq_ignore_ascii_case("JSON") && !f.eq_ignore_ascii_case("XML")) {
        return Err(envelope.error(&invalid_parameter("Format", "Valid values: JSON, XML.")));
    }
    let common = if v3 { V3_COMMON } else { V1_COMMON };
    params.retain(|(name, _)| !common.contains(&name.as_str()));
    Ok(Call {
        service,
        account,
        params,
        envelope,
    })
}

/// Checks the age of a signature timestamp against the emulator's clock.
fn check_timestamp(shared: &Shared, text: &str) -> Result<(), ApiError> {
    let Ok(at) = text.parse::<jiff::Timestamp>() else {
        return Err(ApiError::common(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        ));
    };
    let skew = (shared.clock.now().as_second() - at.as_second()).abs();
    if skew > MAX_SKEW_SECONDS {
        return Err(ApiError::common(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    Ok(())
}

fn key_not_found() -> ApiError {
    ApiError::common(
        404,
        "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.",
    )
}

/// Signature V1: every parameter (query and form body) is signed, `Signature` included
/// once.
fn verify_v1(
    shared: &Shared,
    req: &Request,
    params: &[(String, String)],
) -> Result<Verified, ApiError> {
    for name in [
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        if first(params, name).is_none_or(str::is_empty) {
            return Err(incomplete_signature(&format!(
                "The parameter {name} is missing."
            )));
        }
    }
    if first(params, "SignatureMethod") != Some(alibaba_v1::SIGNATURE_METHOD) {
        return Err(ApiError::common(
            400,
            "InvalidSignatureMethod",
            "Specified signature method is not supported.",
        ));
    }
    if first(params, "SignatureVersion") != Some(alibaba_v1::SIGNATURE_VERSION) {
        return Err(incomplete_signature("SignatureVersion must be 1.0."));
    }
    let timestamp = first(params, "Timestamp").unwrap_or_default();
    let key_id = first(params, "AccessKeyId").unwrap_or_default();
    let key = shared
        .key(Provider::Alibaba, key_id)
        .ok_or_else(key_not_found)?;
    check_timestamp(shared, timestamp)?;
    if !alibaba_v1::verify(&req.method, params, &key.secret) {
        let unsigned: Vec<(String, String)> = params
            .iter()
            .filter(|(n, _)| n != alibaba_v1::SIGNATURE_PARAM)
            .cloned()
            .collect();
        return Err(signature_mismatch(&alibaba_v1::string_to_sign(
            &req.method,
            &unsigned,
        )));
    }
    let action = first(params, "Action")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| missing_parameter("Action"))?;
    let version = first(params, "Version")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_parameter("Version"))?;
    Ok(Verified {
        account: key.account,
        action: action.to_owned(),
        version: version.to_owned(),
    })
}

/// Signature V3 (`ACS3-HMAC-SHA256`): host, action, version, date and nonce must be signed.
fn verify_v3(shared: &Shared, req: &Request) -> Result<Verified, ApiError> {
    let header = req
        .header("authorization")
        .ok_or_else(|| incomplete_signature("The Authorization header is missing."))?;
    let auth = alibaba_v3::parse_authorization(header).ok_or_else(|| {
        incomplete_signature(
            "The Authorization header is not `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.",
        )
    })?;
    for required in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
    ] {
        if !auth
            .signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(required))
            || req.header(required).is_none() && required != "host"
        {
            return Err(incomplete_signature(&format!(
                "The header {required} must be sent and signed."
            )));
        }
    }
    let key = shared
        .key(Provider::Alibaba, auth.access_key_id)
        .ok_or_else(key_not_found)?;
    check_timestamp(shared, req.header("x-acs-date").unwrap_or_default())?;
    let signing = req.signing_request();
    let expected = alibaba_v3::expected_signature(&signing, &auth, &key.secret)
        .map_err(|error| incomplete_signature(&format!("{error}.")))?;
    if !constant_time_eq(&expected, auth.signature) {
        let canonical =
            alibaba_v3::canonical_request(&signing, &auth.signed_headers).unwrap_or_default();
        return Err(signature_mismatch(&alibaba_v3::string_to_sign(&canonical)));
    }
    Ok(Verified {
        account: key.account,
        action: req.header("x-acs-action").unwrap_or_default().to_owned(),
        version: req.header("x-acs-version").unwrap_or_default().to_owned(),
    })
}

/// The answer to a fault of kind throttle, error500, error503 or error.
pub(crate) fn fault_reply(call: &Call, fault: &Fault) -> Reply {
    let error = match (fault.kind, fault.code.as_deref()) {
        (FaultKind::Throttle, _) => ApiError::common(
            400,
            "Throttling",
            "Request was denied due to request throttling.",
        ),
        (FaultKind::Error500, _) => {
            // A product that documents InternalError (SWAS) answers with its row.
            if let Some(row) =
                cloudspec_runtime::error::classify_code(call.service.errors(), "InternalError")
            {
                ApiError::row(row, 500)
            } else {
                ApiError::common(
                    500,
                    "InternalError",
                    "The request processing has failed due to some unknown error, exception or failure.",
                )
            }
        }
        (FaultKind::Error503, _) => ApiError::common(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
        (_, Some(code)) => ApiError::for_code(call.service, code, 400),
        (_, None) => ApiError::common(500, "InternalError", "cloudspec emulator: no fault answer"),
    };
    call.envelope.error(&error)
}

/// Runs an authenticated call.
pub(crate) fn execute(shared: &Shared, call: &Call) -> Reply {
    let result = match call.service {
        Service::Ecs => ecs(shared, call),
        Service::Ens => ens(shared, call),
        _ => swas(shared, call),
    };
    match result {
        Ok(reply) => reply,
        Err(error) => call.envelope.error(&error),
    }
}

/// A parameter the operation does not know, or one given twice.
enum ParamProblem {
    Unknown(String),
    Repeated(String),
}

/// The API parameters by name, when each is known and given once.
fn params<'a>(call: &'a Call, known: &[&str]) -> Result<HashMap<&'a str, &'a str>, ParamProblem> {
    let mut out = HashMap::new();
    for (name, value) in &call.params {
        if !known.contains(&name.as_str()) {
            return Err(ParamProblem::Unknown(name.clone()));
        }
        if out.insert(name.as_str(), value.as_str()).is_some() {
            return Err(ParamProblem::Repeated(name.clone()));
        }
    }
    Ok(out)
}

/// The generic parameter error of ECS and SWAS.
fn generic_param_error(problem: ParamProblem) -> ApiError {
    match problem {
        ParamProblem::Unknown(name) => {
            invalid_parameter(&name, "The operation has no such parameter.")
        }
        ParamProblem::Repeated(name) => invalid_parameter(&name, "It is given more than once."),
    }
}

/// A required, non-empty parameter.
fn required<'a>(params: &HashMap<&str, &'a str>, name: &str) -> Result<&'a str, ApiError> {
    params
        .get(name)
        .copied()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_parameter(name))
}

/// ECS `DeleteImage`.
fn ecs(shared: &Shared, call: &Call) -> Result<Reply, ApiError> {
    let service = Service::Ecs;
    let p = params(call, &["ImageId", "RegionId", "Force"]).map_err(generic_param_error)?;
    let image_id = required(&p, "ImageId")?;
    let region = required(&p, "RegionId")?;
    // ECS document, Force: "Default value: false."
    let force = match p.get("Force") {
        None => false,
        Some(value) if value.eq_ignore_ascii_case("true") => true,
        Some(value) if value.eq_ignore_ascii_case("false") => false,
        Some(_) => return Err(invalid_parameter("Force", "Valid values: true, false.")),
    };
    let mut world = shared.world();
    let refusal = match world.find(service, image_id, &call.account, Some(region)) {
        // "If the specified custom image does not exist, the request is ignored." An image
        // that is not the caller's custom image is, for the caller, no such custom image.
        Found::Missing | Found::Foreign => return Ok(call.envelope.success(service)),
        Found::Owned(image) => ecs_refusal(image, force),
    };
    if let Some(row) = refusal {
        return Err(ApiError::row(row, 403));
    }
    world.remove(service, image_id);
    Ok(call.envelope.success(service))
}

/// Why ECS refuses to delete the caller's own image, as a documented row.
fn ecs_refusal(image: &Image, force: bool) -> Option<&'static DocumentedError> {
    if image.kind == ImageKind::Public {
        return Some(EcsError::IMAGE_IS_PUBLIC);
    }
    if image.is_shared() {
        return Some(EcsError::IMAGE_USE_SHARED);
    }
    match image.state {
        ImageState::Copying => return Some(EcsError::OPERATION_DENIED_IMAGE_COPYING),
        ImageState::Creating => return Some(EcsError::IMAGE_IS_CREATING),
        ImageState::Importing => return Some(EcsError::IMAGE_IS_IMPORTING),
        ImageState::Exporting => return Some(EcsError::IMAGE_IS_EXPORTING),
        ImageState::Available | ImageState::InUse => {}
    }
    // Force: "true: forcibly deletes the custom image, regardless of whether the image is
    // being used by other instances."
    (image.in_use() && !force).then_some(EcsError::IMAGE_USING_BY_INSTANCE)
}

/// The emulator's rule for a well-formed ENS image ID (the document states none): letters,
/// digits, `-`, `_`, `.` and `*` (the document's examples mask IDs with `*`). A list, a
/// space or a quote is malformed ("You can specify only one image ID.").
fn ens_id_well_formed(id: &str) -> bool {
    id.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*'))
}

/// ENS `DeleteImage`.
fn ens(shared: &Shared, call: &Call) -> Result<Reply, ApiError> {
    let service = Service::Ens;
    let template = EnsError::INVALID_PARAMETER;
    // `RegionId` is no ENS parameter, but aliyun-python-sdk-core adds the client's region to
    // every RPC request (`aliyunsdkcore/request.py`, `RpcRequest.get_url`) and the
    // service serves that SDK, so the parameter is accepted and ignored (the spec's
    // `sdk-sends-region-id` fact).
    let p = params(call, &["ImageId", "RegionId"]).map_err(|problem| match problem {
        ParamProblem::Unknown(name) | ParamProblem::Repeated(name) => {
            ApiError::filled(template, &name)
        }
    })?;
    let Some(image_id) = p.get("ImageId").copied().filter(|v| !v.is_empty()) else {
        return Err(ApiError::row(EnsError::MISSING_PARAMETER, 400));
    };
    if !ens_id_well_formed(image_id) {
        return Err(ApiError::filled(template, "ImageId"));
    }
    let mut world = shared.world();
    let refusal = match world.find(service, image_id, &call.account, None) {
        Found::Missing => Some(ApiError::filled(template, "ImageId")),
        // "You can delete only custom images that you created."
        Found::Foreign => Some(ApiError::row(EnsError::NO_PERMISSION, 400)),
        Found::Owned(image) if image.kind == ImageKind::Public => {
            Some(ApiError::row(EnsError::NO_PERMISSION, 400))
        }
        Found::Owned(image) => match image.state {
            ImageState::Creating
            | ImageState::Copying
            | ImageState::Importing
            | ImageState::Exporting => Some(ApiError::row(EnsError::INCORRECT_STATUS_IMAGE, 400)),
            ImageState::Available | ImageState::InUse if image.in_use() => {
                Some(ApiError::row(EnsError::FORBIDDEN_DELERRORTE_IMAGE, 400))
            }
            ImageState::Available | ImageState::InUse => None,
        },
    };
    if let Some(error) = refusal {
        return Err(error);
    }
    world.remove(service, image_id);
    Ok(call.envelope.success(service))
}

/// Parses SWAS `ImageIds`: a JSON array of strings, or (the document also says "Separate
/// multiple image IDs with commas") a plain comma-separated list.
fn swas_ids(raw: &str) -> Result<Vec<String>, ApiError> {
    let trimmed = raw.trim();
    let ids: Vec<String> = if trimmed.starts_with('[') {
        serde_json::from_str::<Vec<String>>(trimmed).map_err(|_| {
            invalid_parameter(
                "ImageIds",
                "The value must be a JSON array of image ID strings.",
            )
        })?
    } else {
        trimmed.split(',').map(|id| id.trim().to_owned()).collect()
    };
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err(invalid_parameter(
            "ImageIds",
            "Every image ID must be a non-empty string.",
        ));
    }
    Ok(ids)
}

/// Checks the document's limits on SWAS input with the generated validator (up to 15
/// image IDs; `ClientToken` ASCII, at most 64 characters), so no limit is retyped here.
fn swas_limits(region: &str, ids: &[String], token: Option<&str>) -> Result<(), ApiError> {
    let mut input =
        cloudspec_alibaba_swas::DeleteCustomImagesInput::new(region, ids.iter().cloned());
    if let Some(token) = token {
        input = input.with_client_token(token);
    }
    match input.validate() {
        Ok(()) => Ok(()),
        Err(errors) => {
            let (name, why) = errors
                .violations
                .first()
                .map(|v| (v.parameter, v.to_string()))
                .unwrap_or(("ImageIds", errors.to_string()));
            Err(invalid_parameter(name, &why))
        }
    }
}

/// SWAS `DeleteCustomImages`: all or nothing, `ClientToken` idempotent.
fn swas(shared: &Shared, call: &Call) -> Result<Reply, ApiError> {
    let service = Service::Swas;
    let p = params(call, &["RegionId", "ImageIds", "ClientToken"]).map_err(generic_param_error)?;
    let region = required(&p, "RegionId")?;
    let raw_ids = required(&p, "ImageIds")?;
    let token = p.get("ClientToken").copied().filter(|t| !t.is_empty());
    let mut ids = swas_ids(raw_ids)?;
    swas_limits(region, &ids, token)?;
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let fingerprint = format!("{region}\n{}", ids.join("\n"));
    let mut world = shared.world();
    let token_key = token.map(|t| (call.account.clone(), t.to_owned()));
    if let Some(record) = token_key.as_ref().and_then(|key| world.tokens.get(key)) {
        if record.fingerprint == fingerprint {
            return Ok(record.reply.clone());
        }
        // Alibaba's idempotence rule: the same ClientToken with other parameters is refused.
        return Err(ApiError::common(
            400,
            "IdempotentParameterMismatch",
            "The request uses the same client token as a previous, but non-identical request. \
             Do not reuse a client token with different requests, unless the requests are identical.",
        ));
    }
    for id in &ids {
        match world.find(service, id, &call.account, Some(region)) {
            Found::Missing | Found::Foreign => {
                return Err(ApiError::row(SwasError::INVALID_IMAGE_ID_NOT_FOUND, 404));
            }
            Found::Owned(image) if image.is_shared() => {
                return Err(ApiError::row(SwasError::CUSTOM_IMAGE_IN_SHARE, 400));
            }
            Found::Owned(_) => {}
        }
    }
    for id in &ids {
        world.remove(service, id);
    }
    let reply = call.envelope.success(service);
    if let Some(key) = token_key {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swas_ids_accept_json_arrays_and_comma_lists() {
        assert_eq!(
            swas_ids(r#"["m-1", "m-2", "m-1"]"#).unwrap(),
            ["m-1", "m-2", "m-1"]
        );
        assert_eq!(swas_ids("m-1, m-2").unwrap(), ["m-1", "m-2"]);
        assert_eq!(swas_ids("m-1").unwrap(), ["m-1"]);
        for bad in ["[", "[1]", "m-1,,m-2", r#"["", "m"]"#] {
            assert!(swas_ids(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn swas_limits_come_from_the_generated_validator() {
        let sixteen: Vec<String> = (0..16).map(|i| format!("m-{i}")).collect();
        let error = swas_limits("r", &sixteen, None).unwrap_err();
        assert_eq!(error.code.as_deref(), Some("InvalidParameter"));
        assert!(error.message.contains("ImageIds"), "{}", error.message);
        assert!(swas_limits("r", &sixteen[..15], None).is_ok());
        assert!(swas_limits("r", &[], None).is_err());
        assert!(swas_limits("r", &sixteen[..1], Some(&"x".repeat(65))).is_err());
        assert!(swas_limits("r", &sixteen[..1], Some("é")).is_err());
        assert!(swas_limits("r", &sixteen[..1], Some(&"x".repeat(64))).is_ok());
    }

    #[test]
    fn ens_ids() {
        assert!(ens_id_well_formed("m-5taesrgwpo9zqj9cjqu792****"));
        assert!(!ens_id_well_formed("m-1,m-2"));
        assert!(!ens_id_well_formed("[\"m-1\"]"));
        assert!(!ens_id_well_formed("m 1"));
    }
}
