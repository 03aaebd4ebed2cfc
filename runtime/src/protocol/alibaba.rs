//! Alibaba Cloud RPC: every parameter in the query, signature V3 (headers) or V1 (query);
//! errors as JSON or XML with a 4xx/5xx status.

use serde_json::{Map, Value};

use super::{
    BuildError, Decoded, HttpRequest, HttpResponse, RequestContext, fill_path, finish, is_blank,
    is_error_status, is_success_status, method_of, parse_json, push_query, sign_error,
    signing_credentials, text_field,
};
use crate::config::AlibabaSignature;
use crate::error::ServiceError;
use crate::meta::Provider;
use crate::sign::{SigningRequest, alibaba_v1, alibaba_v3};
use crate::wire::ParamLocation;

/// Builds and signs an RPC request: `Action`/`Version` as query parameters (V1, with
/// `Format=JSON`) or as `x-acs-action`/`x-acs-version` headers (V3).
pub(super) fn build(context: &RequestContext<'_>) -> Result<HttpRequest, BuildError> {
    let meta = context.meta;
    let action = meta.action.unwrap_or(meta.name);
    let path = fill_path(meta, context.params)?;
    let mut request = SigningRequest::new(method_of(meta), context.host, path.signed.as_str());
    for param in context.params {
        match param.location {
            ParamLocation::Header => request
                .headers
                .push((param.name.to_owned(), param.value.to_text())),
            ParamLocation::Path => {}
            ParamLocation::Query | ParamLocation::Body | ParamLocation::Common => {
                push_query(&mut request.query, param.name, &param.value);
            }
        }
    }
    // V1 names the action in the query (with `Format=JSON`), V3 in headers. An unsigned call
    // does both, as alibabacloud-tea-openapi sends an anonymous RPC call (docs/protocols.md,
    // "Unsigned calls"), whichever signature the client is configured for.
    let anonymous = meta.auth.is_anonymous();
    let v1 = matches!(context.alibaba_signature, AlibabaSignature::V1);
    if anonymous || v1 {
        request.set_query_param("Action", action);
        request.set_query_param("Version", meta.api_version);
        request.set_query_param("Format", "JSON");
    }
    if anonymous || !v1 {
        request.set_header("x-acs-action", action);
        request.set_header("x-acs-version", meta.api_version);
    }
    if anonymous {
        alibaba_v1::unsigned(&mut request, context.timestamp, context.nonce);
    } else if v1 {
        let credentials = signing_credentials(context)?;
        alibaba_v1::sign(&mut request, &credentials, context.timestamp, context.nonce)
            .map_err(sign_error)?;
    } else {
        let credentials = signing_credentials(context)?;
        alibaba_v3::sign(&mut request, &credentials, context.timestamp, context.nonce)
            .map_err(sign_error)?;
    }
    Ok(finish(context.scheme, request, &path.sent))
}

/// Reads an RPC response.
pub(super) fn decode(response: &HttpResponse) -> Decoded {
    let header_id = response.header_request_id(Provider::Alibaba);
    let status = response.status;
    if is_success_status(status) {
        match parse_json(&response.body) {
            Some(Value::Object(object)) => match error_in_success(&object, status, &header_id) {
                Some(error) => Decoded::Failure(error),
                None => Decoded::Success(Value::Object(object)),
            },
            Some(_) => malformed("the success body is JSON but not an object", header_id),
            None if is_blank(&response.body) => malformed("the success body is empty", header_id),
            None => malformed("the success body is not JSON", header_id),
        }
    } else if is_error_status(status) {
        Decoded::Failure(error_from_body(status, &response.body, header_id))
    } else {
        malformed(&format!("unexpected HTTP status {status}"), header_id)
    }
}

fn malformed(reason: &str, request_id: Option<String>) -> Decoded {
    Decoded::Malformed {
        reason: reason.to_owned(),
        request_id,
    }
}

/// Success codes some products put in a `Code` field of a successful answer.
const SUCCESS_CODES: [&str; 4] = ["0", "200", "OK", "Success"];

/// An error carried by a 2xx answer: an integer `Code` other than 0 (ENS documents `0` as
/// success), or a string `Code` that is not a success word together with a `Message` or
/// `"Success": false`. `None` for an ordinary success.
fn error_in_success(
    object: &Map<String, Value>,
    status: u16,
    header_id: &Option<String>,
) -> Option<ServiceError> {
    if object.get("Success") == Some(&Value::Bool(true)) {
        return None;
    }
    let is_error = match object.get("Code").or_else(|| object.get("code"))? {
        Value::Number(number) => number.as_f64() != Some(0.0),
        Value::String(code) => {
            let code = code.trim();
            !code.is_empty()
                && !SUCCESS_CODES.iter().any(|ok| ok.eq_ignore_ascii_case(code))
                && (text_field(object, &["Message", "message"]).is_some()
                    || object.get("Success") == Some(&Value::Bool(false)))
        }
        _ => false,
    };
    is_error.then(|| service_error(object, status, header_id.clone()))
}

fn service_error(
    object: &Map<String, Value>,
    status: u16,
    header_id: Option<String>,
) -> ServiceError {
    ServiceError {
        code: text_field(object, &["Code", "code"]),
        message: text_field(object, &["Message", "message"]),
        status,
        request_id: text_field(object, &["RequestId", "requestId"]).or(header_id),
        attempts: 0,
    }
}

/// The error of a 4xx/5xx answer: JSON (`Code` or `code` keys), XML `<Error>`, or nothing
/// readable (code `None`).
fn error_from_body(status: u16, body: &[u8], header_id: Option<String>) -> ServiceError {
    if let Some(Value::Object(object)) = parse_json(body) {
        return service_error(&object, status, header_id);
    }
    let text = String::from_utf8_lossy(body);
    if looks_like_xml(&text) {
        return ServiceError {
            code: xml_tag(&text, "Code"),
            message: xml_tag(&text, "Message"),
            status,
            request_id: xml_tag(&text, "RequestId").or(header_id),
            attempts: 0,
        };
    }
    ServiceError {
        code: None,
        message: None,
        status,
        request_id: header_id,
        attempts: 0,
    }
}

/// Whether a body reads as an XML document (not an HTML page).
fn looks_like_xml(text: &str) -> bool {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let lower: String = trimmed
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    trimmed.starts_with('<') && !lower.starts_with("<!doctype html") && !lower.starts_with("<html")
}

/// The text of the first `<tag>…</tag>` element (no attributes), entities and CDATA
/// decoded and trimmed; `None` when absent or empty.
pub(super) fn xml_tag(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = text.find(&open)? + open.len();
    let length = text[start..].find(&close)?;
    let raw = text[start..start + length].trim();
    let value = match raw
        .strip_prefix("<![CDATA[")
        .and_then(|inner| inner.strip_suffix("]]>"))
    {
        Some(inner) => inner.to_owned(),
        None => decode_entities(raw),
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Decodes the five predefined XML entities and numeric character references; anything
/// else is kept as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|end| *end <= 10).and_then(|end| {
            let entity = &after[..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| {
                        entity
                            .strip_prefix('#')
                            .and_then(|dec| dec.parse::<u32>().ok())
                    })
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_tags_decode_entities_and_cdata() {
        let xml = "<Error><Code>A&amp;B</Code><Message><![CDATA[x < y]]></Message><RequestId> r&#49; </RequestId></Error>";
        assert_eq!(xml_tag(xml, "Code").as_deref(), Some("A&B"));
        assert_eq!(xml_tag(xml, "Message").as_deref(), Some("x < y"));
        assert_eq!(xml_tag(xml, "RequestId").as_deref(), Some("r1"));
        assert_eq!(xml_tag(xml, "HostId"), None);
        assert_eq!(xml_tag("<Code>unclosed", "Code"), None);
        assert_eq!(
            decode_entities("a & b &bogus; &#xZZ; &#1114112;"),
            "a & b &bogus; &#xZZ; &#1114112;"
        );
    }

    #[test]
    fn html_is_not_xml() {
        assert!(!looks_like_xml(
            "<!DOCTYPE html><html><code>x</code></html>"
        ));
        assert!(!looks_like_xml("  <HTML><body>502</body></HTML>"));
        assert!(looks_like_xml("<?xml version=\"1.0\"?><Error/>"));
        assert!(!looks_like_xml("{}"));
    }
}
