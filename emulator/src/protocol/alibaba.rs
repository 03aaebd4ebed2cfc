//! Alibaba Cloud RPC: every `alibaba-rpc` service of the registry on one port, the
//! product chosen by `Version` (and the action), signature V1 (query) or V3
//! (`Authorization`), errors in `{"RequestId","HostId","Code","Message","Recommend"}`.

use cloudspec_runtime::Protocol;
use cloudspec_runtime::behaviour::{BodyFormat, SampleResponse};
use cloudspec_runtime::registry::OperationEntry;
use cloudspec_sign::{alibaba_v1, alibaba_v3, constant_time_eq};

use super::{Call, Common, Envelope as AnyEnvelope};
use crate::engine::{KeyProblem, Shared};
use crate::errors::ApiError;
use crate::http::{Reply, Request, parse_form, xml_escape};
use crate::service::Service;
use crate::state::Provider;

/// Alibaba accepts a signature whose timestamp is within 15 minutes of the server's time
/// (the `InvalidTimeStamp.Expired` rule of Alibaba's common errors).
const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// How answers are written for one request.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    request_id: String,
    host_id: String,
    xml: bool,
    product: &'static str,
}

impl Envelope {
    /// The error in Alibaba's envelope: JSON `{"RequestId","HostId","Code","Message",
    /// "Recommend"}` (or the same `<Error>` in XML) with the error's HTTP status.
    pub(crate) fn error(&self, error: &ApiError) -> Reply {
        let code = error.code_str();
        let recommend = format!(
            "https://api.aliyun.com/troubleshoot?q={code}&product={}&requestId={}",
            self.product, self.request_id
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

    /// A success: the operation's documented sample response in the format asked for
    /// (`Format=XML` or JSON), with this request's ID. Without an XML sample the JSON one
    /// is written as `<{Action}Response>`; without any, the answer is `{"RequestId": ..}`.
    pub(crate) fn success(
        &self,
        operation: &'static OperationEntry,
        samples: &[&'static SampleResponse],
    ) -> Reply {
        let sample = |format: BodyFormat| samples.iter().find(|s| s.format == format);
        let json = sample(BodyFormat::Json)
            .and_then(|s| super::json_with_request_id(s.body, "RequestId", &self.request_id))
            .and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok())
            .and_then(|value| match value {
                serde_json::Value::Object(mut object) => {
                    object.insert("RequestId".to_owned(), self.request_id.clone().into());
                    Some(object)
                }
                _ => None,
            })
            .unwrap_or_else(|| {
                let mut object = serde_json::Map::new();
                object.insert("RequestId".to_owned(), self.request_id.clone().into());
                object
            });
        if !self.xml {
            return Reply::json(200, serde_json::Value::Object(json).to_string());
        }
        let body = match sample(BodyFormat::Xml) {
            Some(xml) => xml_with_request_id(xml.body.trim(), &self.request_id),
            None => {
                let action = operation.meta.action.unwrap_or(operation.meta.name);
                let mut out = format!("<{action}Response>");
                for (name, value) in &json {
                    write_xml(&mut out, name, value);
                }
                out.push_str(&format!("</{action}Response>"));
                out
            }
        };
        Reply::xml(
            200,
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{body}"),
        )
    }
}

/// An XML sample without its prolog and the blank space between its tags, with the text
/// of its `<RequestId>` replaced.
fn xml_with_request_id(body: &str, request_id: &str) -> String {
    let body = body.strip_prefix("<?xml").map_or(body, |rest| {
        rest.split_once("?>")
            .map_or(body, |(_, after)| after.trim_start())
    });
    let body: String = body
        .split('<')
        .enumerate()
        .map(|(index, part)| {
            let part = if index == 0 { part.trim() } else { part };
            match part.split_once('>') {
                Some((tag, text)) if text.trim().is_empty() => format!("{tag}>"),
                _ => part.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("<");
    let body = body.as_str();
    match (body.find("<RequestId>"), body.find("</RequestId>")) {
        (Some(open), Some(close)) if open < close => {
            format!("{}<RequestId>{request_id}{}", &body[..open], &body[close..])
        }
        _ => body.to_owned(),
    }
}

/// `value` as XML elements named `name` (a list repeats the element).
fn write_xml(out: &mut String, name: &str, value: &serde_json::Value) {
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                write_xml(out, name, item);
            }
        }
        serde_json::Value::Object(members) => {
            out.push_str(&format!("<{name}>"));
            for (member, value) in members {
                write_xml(out, member, value);
            }
            out.push_str(&format!("</{name}>"));
        }
        serde_json::Value::String(text) => {
            out.push_str(&format!("<{name}>{}</{name}>", xml_escape(text)));
        }
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

/// Alibaba's common error for `common` (README, "Common errors").
pub(crate) fn common(common: Common<'_>) -> ApiError {
    match common {
        Common::MissingParameter(name) => missing_parameter(name),
        Common::UnknownParameter(name) => {
            invalid_parameter(name, "The operation has no such parameter.")
        }
        Common::RepeatedParameter(name) => invalid_parameter(name, "It is given more than once."),
        Common::InvalidParameter { name, why } => invalid_parameter(name, why),
        Common::InvalidBody(why) => ApiError::common(
            400,
            "InvalidParameter",
            format!("The request body is not valid: {why}."),
        ),
        Common::Throttled(_) => ApiError::common(
            400,
            "Throttling",
            "Request was denied due to request throttling.",
        ),
        Common::Internal => ApiError::common(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
        Common::Unavailable => ApiError::common(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
        // Alibaba's idempotence rule: the same ClientToken with other parameters is refused.
        Common::IdempotentMismatch => ApiError::common(
            400,
            "IdempotentParameterMismatch",
            "The request uses the same client token as a previous, but non-identical request. \
             Do not reuse a client token with different requests, unless the requests are identical.",
        ),
    }
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

/// The `alibaba-rpc` service and operation that `version` and `action` name: the services
/// with that API version, the one with that action first, and among several the one whose
/// endpoint is the request's host.
fn route(
    version: &str,
    action: &str,
    host: &str,
) -> Result<(Service, &'static OperationEntry), ApiError> {
    let candidates: Vec<Service> = Service::all()
        .filter(|service| {
            service.protocol() == Protocol::AlibabaRpc && service.entry().has_version(version)
        })
        .collect();
    if candidates.is_empty() {
        return Err(ApiError::common(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        ));
    }
    let host = host.split(':').next().unwrap_or(host);
    let serves_host = |service: &Service| {
        let endpoints = service.meta().endpoints;
        endpoints.global == Some(host)
            || endpoints.regional.is_some_and(|template| {
                template
                    .split_once("{region}")
                    .is_some_and(|(prefix, suffix)| {
                        host.starts_with(prefix) && host.ends_with(suffix)
                    })
            })
    };
    let with_action: Vec<(Service, &'static OperationEntry)> = candidates
        .iter()
        .filter_map(|service| {
            service
                .entry()
                .operation_by_action(version, action)
                .map(|op| (*service, op))
        })
        .collect();
    let chosen = with_action
        .iter()
        .find(|(service, _)| serves_host(service))
        .or_else(|| with_action.first());
    chosen.copied().ok_or_else(|| {
        ApiError::common(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        )
    })
}

/// A request with no signature at all (no `Authorization`, no `Signature`) for an operation
/// that takes none (docs/protocols.md, "Unsigned calls"): its action and version, and no
/// account (its identity token names one, crate::call). `None` for any other request, which
/// is then verified as usual.
fn unsigned_call(req: &Request, params: &[(String, String)]) -> Option<Verified> {
    if req.header("authorization").is_some() || first(params, alibaba_v1::SIGNATURE_PARAM).is_some()
    {
        return None;
    }
    let action = first(params, "Action").or_else(|| req.header("x-acs-action"))?;
    let version = first(params, "Version").or_else(|| req.header("x-acs-version"))?;
    let (_, operation) = route(version, action, &req.host).ok()?;
    operation.meta.auth.is_anonymous().then(|| Verified {
        account: String::new(),
        action: action.to_owned(),
        version: version.to_owned(),
    })
}

/// Authenticates and routes the request: a verified [`Call`], or the error answer.
pub(crate) fn accept<'r>(shared: &Shared, req: &'r Request) -> Result<Call<'r>, Reply> {
    let mut params = req.query.clone();
    if req.is_form() {
        params.extend(parse_form(&String::from_utf8_lossy(&req.body)));
    }
    let format = first(&params, "Format");
    let mut envelope = Envelope {
        request_id: request_id(),
        host_id: req.host.clone(),
        xml: format.is_some_and(|f| f.eq_ignore_ascii_case("XML")),
        product: "",
    };
    // V3 signs in `Authorization`; V1 in the `Signature` parameter. aliyun-python-sdk-core
    // signs V1 and still sends `x-acs-action`/`x-acs-version` headers (request.py,
    // `RpcRequest.__init__`), so those headers alone say nothing about the version.
    let v3 = req
        .header("authorization")
        .is_some_and(|a| a.starts_with(alibaba_v3::ALGORITHM))
        || (first(&params, alibaba_v1::SIGNATURE_PARAM).is_none()
            && req.header("x-acs-action").is_some());
    let verified = if let Some(unsigned) = unsigned_call(req, &params) {
        Ok(unsigned)
    } else if v3 {
        verify_v3(shared, req)
    } else {
        verify_v1(shared, req, &params)
    };
    let Verified {
        account,
        action,
        version,
    } = verified.map_err(|error| envelope.error(&error))?;
    let (service, operation) =
        route(&version, &action, &req.host).map_err(|error| envelope.error(&error))?;
    envelope.product = service.meta().product_code;
    if let Some(host) = service
        .meta()
        .endpoints
        .host(first(&params, "RegionId").filter(|r| !r.is_empty()))
    {
        envelope.host_id = host;
    }
    if format.is_some_and(|f| !f.eq_ignore_ascii_case("JSON") && !f.eq_ignore_ascii_case("XML")) {
        return Err(envelope.error(&invalid_parameter("Format", "Valid values: JSON, XML.")));
    }
    Ok(Call {
        req,
        service,
        operation,
        account,
        envelope: AnyEnvelope::Alibaba(envelope),
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

/// The error for a key that cannot sign: unknown, or a temporary key whose token is
/// missing, wrong or expired (*choice*: the codes and messages Alibaba's services answer for
/// STS tokens, `InvalidSecurityToken.Expired` and `InvalidSecurityToken.MismatchWithAccessKey`;
/// emulator/README.md, "Temporary credentials").
fn key_problem(problem: KeyProblem) -> ApiError {
    match problem {
        KeyProblem::NotFound => key_not_found(),
        KeyProblem::TokenMismatch => ApiError::common(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        ),
        KeyProblem::Expired => ApiError::common(
            400,
            "InvalidSecurityToken.Expired",
            "Specified SecurityToken is expired.",
        ),
    }
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
        .key_with_token(Provider::Alibaba, key_id, first(params, "SecurityToken"))
        .map_err(key_problem)?;
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
        .key_with_token(
            Provider::Alibaba,
            auth.access_key_id,
            req.header("x-acs-security-token"),
        )
        .map_err(key_problem)?;
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
