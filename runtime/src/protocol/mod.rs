//! Protocols: turning an operation's parameters into a signed HTTP request, and an HTTP
//! response into a success payload or a service error.
//!
//! Each provider's protocol is implemented once here; every API that speaks it shares it:
//!
//! | protocol | request | errors |
//! | --- | --- | --- |
//! | [`Protocol::AlibabaRpc`] | every parameter in the query; signature V3 (default) or V1 | 4xx/5xx, JSON or XML `Error` |
//! | [`Protocol::TencentApi3`] | `POST /` with a JSON body (or `GET` with the query), `TC3-HMAC-SHA256` | HTTP 200, `Response.Error` |
//! | [`Protocol::BaiduRest`] | method and path from the operation, JSON body, `bce-auth-v1` | 4xx/5xx, JSON `code`/`message` |
//! | [`Protocol::InstanceMetadata`] | method and path from the operation, headers, never signed | any status but 2xx, known by the status |
//!
//! [`build_request`] and [`decode_response`] are pure: the time, the nonce and the
//! credentials come in through [`RequestContext`], nothing is read from the clock, and
//! decoding never panics, whatever the bytes.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::config::AlibabaSignature;
use crate::credentials::Credentials;
use crate::error::{ServiceError, TransportError};
use crate::meta::{OperationMeta, Protocol, Provider};
use crate::sign::SigningCredentials;
use crate::sign::encode::{rfc3986, rfc3986_path};
use crate::wire::{ListStyle, ParamLocation, WireParam, WireValue, json_array};

mod alibaba;
mod baidu;
pub mod decode;
mod metadata;
mod tencent;
mod transport;

pub use decode::{ParamProblem, decode_params};

/// An HTTP request ready to send: signed, with every header the protocol adds.
///
/// `Debug` hides the `Authorization` header, security tokens and the V1 `Signature` and
/// `SecurityToken` query parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: String,
    /// Absolute URL, query included.
    pub url: String,
    /// Headers, `Host` included.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The query parameters of [`HttpRequest::url`], percent-decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = match self.url.split_once('?') {
            Some((_, query)) => query.split_once('#').map_or(query, |(query, _)| query),
            None => return Vec::new(),
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(name), percent_decode(value))
            })
            .collect()
    }

    /// The request as the signers see it (path and query decoded, `Host` taken out of the
    /// headers), to recompute or check its signature with [`crate::sign`].
    pub fn signing_request(&self) -> crate::sign::SigningRequest {
        let host = self.header("Host").map(str::to_owned).unwrap_or_else(|| {
            let after_scheme = self
                .url
                .split_once("://")
                .map_or(self.url.as_str(), |(_, rest)| rest);
            after_scheme
                .split(['/', '?', '#'])
                .next()
                .unwrap_or("")
                .to_owned()
        });
        crate::sign::SigningRequest {
            method: self.method.clone(),
            host,
            path: percent_decode(self.path()),
            query: self.query_pairs(),
            headers: self
                .headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
                .cloned()
                .collect(),
            body: self.body.clone(),
        }
    }

    /// The path of [`HttpRequest::url`], still percent-encoded (`/` when the URL has none).
    pub fn path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, rest)| rest);
        let without_query = after_scheme.split(['?', '#']).next().unwrap_or("");
        match without_query.find('/') {
            Some(index) => &without_query[index..],
            None => "/",
        }
    }
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether a header or query parameter carries a secret or a signature and must never be shown.
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "authorization"
        || lower == "signature"
        || lower == "securitytoken"
        || lower.ends_with("security-token")
        || lower == "x-tc-token"
}

fn redacted_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            if is_sensitive_name(&percent_decode(name)) {
                format!("{name}=<redacted>")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str(),
                    if is_sensitive_name(name) {
                        "<redacted>"
                    } else {
                        value.as_str()
                    },
                )
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redacted_url(&self.url))
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// An HTTP response as received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers (names as received).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with `status` and `body` and no headers (handy in tests).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The same response with header `name: value` added.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The request id a provider puts in a response header (`x-acs-request-id`,
    /// `x-bce-request-id`, `X-TC-RequestId`, or `x-request-id`), if any.
    pub fn header_request_id(&self, provider: Provider) -> Option<String> {
        let names: &[&str] = match provider {
            Provider::Alibaba => &["x-acs-request-id", "x-request-id"],
            Provider::Tencent => &["x-tc-requestid", "x-request-id"],
            Provider::Baidu => &["x-bce-request-id", "x-request-id"],
        };
        names
            .iter()
            .find_map(|name| self.header(name))
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    }

    /// The first `max_chars` characters of the body, lossily decoded (for diagnostics).
    pub fn body_excerpt(&self, max_chars: usize) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut excerpt: String = text.chars().take(max_chars).collect();
        if text.chars().nth(max_chars).is_some() {
            excerpt.push('…');
        }
        excerpt
    }
}

/// The future a transport returns.
pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Something that sends HTTP requests: reqwest by default, or a test double.
///
/// A test double answers canned responses and records the requests it was given:
///
/// ```
/// use cloudspec_runtime::protocol::{HttpRequest, HttpResponse, HttpSend, SendFuture};
///
/// #[derive(Debug)]
/// struct AlwaysOk;
///
/// impl HttpSend for AlwaysOk {
///     fn send(&self, _request: HttpRequest) -> SendFuture<'_> {
///         Box::pin(async { Ok(HttpResponse::new(200, r#"{"RequestId":"r-1"}"#)) })
///     }
/// }
/// ```
pub trait HttpSend: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response.
    fn send(&self, request: HttpRequest) -> SendFuture<'_>;
}

/// The transport a client uses.
#[derive(Debug, Clone)]
pub enum Transport {
    /// A reqwest client.
    Reqwest(reqwest::Client),
    /// A custom transport.
    Custom(Arc<dyn HttpSend>),
}

impl Transport {
    /// Sends `request` and reads the response, refusing a body longer than
    /// [`DEFAULT_MAX_RESPONSE_BODY`]. Timeouts are the caller's business (the
    /// [`crate::Client`] bounds each attempt and the whole call).
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.send_limited(request, DEFAULT_MAX_RESPONSE_BODY).await
    }

    /// Sends `request` and reads the response, refusing a body longer than `max_body`
    /// bytes with [`TransportError::BodyTooLarge`] (reqwest stops reading there; a custom
    /// transport's answer is checked after the fact).
    pub async fn send_limited(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> Result<HttpResponse, TransportError> {
        match self {
            Transport::Reqwest(client) => transport::send_reqwest(client, request, max_body).await,
            Transport::Custom(custom) => {
                let response = custom.send(request).await?;
                if response.body.len() > max_body {
                    return Err(TransportError::BodyTooLarge { limit: max_body });
                }
                Ok(response)
            }
        }
    }
}

/// The default cap on a response body: 10 MiB. The documented answers of these APIs are a
/// few hundred bytes; the cap keeps a hostile or broken server from filling memory.
/// Change it with [`crate::Config::with_max_response_body`].
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 10 * 1024 * 1024;

/// What one attempt needs to build its request.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// The operation.
    pub meta: &'static OperationMeta,
    /// Its parameters, idempotency token included.
    pub params: &'a [WireParam],
    /// `https` or `http`.
    pub scheme: &'a str,
    /// Host (and port) to send to.
    pub host: &'a str,
    /// Region, when configured.
    pub region: Option<&'a str>,
    /// Credentials to sign with; `None` only for an operation sent unsigned
    /// ([`crate::Auth::Anonymous`]).
    pub credentials: Option<&'a Credentials>,
    /// The signing time.
    pub timestamp: jiff::Timestamp,
    /// A fresh nonce for this attempt.
    pub nonce: &'a str,
    /// Which Alibaba signature to use.
    pub alibaba_signature: AlibabaSignature,
}

/// A request that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BuildError(pub String);

/// How a response reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// A success; the payload to deserialize the output from (Tencent's `Response` unwrapped,
    /// header fields merged in).
    Success(serde_json::Value),
    /// A service error (its `attempts` is filled in by the caller).
    Failure(ServiceError),
    /// Not a response the protocol allows.
    Malformed {
        /// What is wrong.
        reason: String,
        /// The request id from the headers, if any.
        request_id: Option<String>,
    },
}

/// The `Content-Type` of JSON request bodies.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// How long a Baidu `bce-auth-v1` signature stays valid, in seconds.
pub const BAIDU_SIGNATURE_EXPIRES_SECONDS: u32 = 1800;

/// The region a request is for: its own `Region` common parameter when the input sets one
/// (a Tencent input may carry `Region`), else the configured region. The client picks the
/// host by it and the TC3 builder sends it as `X-TC-Region`, so the two never name two
/// different regions.
pub fn request_region(configured: Option<&str>, params: &[WireParam]) -> Option<String> {
    params
        .iter()
        .find(|param| param.location == ParamLocation::Common && param.name == "Region")
        .map(|param| param.value.to_text())
        .filter(|region| !region.is_empty())
        .or_else(|| configured.map(str::to_owned))
}
/// Builds the signed HTTP request for one attempt.
///
/// The query is sent exactly as signed: pairs RFC 3986 encoded and sorted. Nothing here
/// reads the clock: the time and the nonce come from `context`.
pub fn build_request(context: &RequestContext<'_>) -> Result<HttpRequest, BuildError> {
    check_host(context.host)?;
    check_scheme(context.scheme)?;
    check_method(context.meta.method)?;
    for param in context
        .params
        .iter()
        .filter(|param| param.location == ParamLocation::Header)
    {
        check_header(param.name, &param.value.to_text())?;
    }
    match context.meta.service.protocol {
        Protocol::AlibabaRpc => alibaba::build(context),
        Protocol::TencentApi3 => tencent::build(context),
        Protocol::BaiduRest => baidu::build(context),
        Protocol::InstanceMetadata => metadata::build(context),
    }
}

/// Reads a response for `meta`. Never panics, whatever the status and the bytes.
///
/// A 3xx answer is never a success: the client does not follow redirects (the new origin
/// would receive the session token headers), so a redirect is reported as malformed.
pub fn decode_response(meta: &OperationMeta, response: &HttpResponse) -> Decoded {
    if (300..400).contains(&response.status) {
        let target = response
            .header("location")
            .map(|location| format!(" to {}", redacted_url(location).escape_debug()))
            .unwrap_or_default();
        return Decoded::Malformed {
            reason: format!(
                "the service answered with a redirect (HTTP {}){target}, which is not followed",
                response.status
            ),
            request_id: response.header_request_id(meta.service.provider),
        };
    }
    let decoded = match meta.service.protocol {
        Protocol::AlibabaRpc => alibaba::decode(response),
        Protocol::TencentApi3 => tencent::decode(response),
        Protocol::BaiduRest => baidu::decode(response),
        Protocol::InstanceMetadata => metadata::decode(meta, response),
    };
    match decoded {
        Decoded::Success(value) => Decoded::Success(merge_headers(value, meta, response)),
        other => other,
    }
}

/// Adds the headers named in `meta.response_headers` to a success object, under their
/// names, unless the body already has a field of that name.
fn merge_headers(
    value: serde_json::Value,
    meta: &OperationMeta,
    response: &HttpResponse,
) -> serde_json::Value {
    match value {
        serde_json::Value::Object(mut object) => {
            for name in meta.response_headers {
                if let Some(header) = response.header(name) {
                    object
                        .entry((*name).to_owned())
                        .or_insert_with(|| serde_json::Value::String(header.to_owned()));
                }
            }
            serde_json::Value::Object(object)
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------------------
// Shared request-building helpers.

fn check_host(host: &str) -> Result<(), BuildError> {
    let bad = host.is_empty()
        || host.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '@' | '\\')
        });
    if bad {
        Err(BuildError(format!(
            "invalid host `{}`",
            host.escape_debug()
        )))
    } else {
        Ok(())
    }
}

fn check_scheme(scheme: &str) -> Result<(), BuildError> {
    if scheme == "https" || scheme == "http" {
        Ok(())
    } else {
        Err(BuildError(format!(
            "unsupported scheme `{}` (expected `https` or `http`)",
            scheme.escape_debug()
        )))
    }
}

fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_method(method: &str) -> Result<(), BuildError> {
    if is_token(method) {
        Ok(())
    } else {
        Err(BuildError(format!(
            "invalid HTTP method `{}`",
            method.escape_debug()
        )))
    }
}

fn check_header(name: &str, value: &str) -> Result<(), BuildError> {
    if !is_token(name) {
        return Err(BuildError(format!(
            "`{}` is not a valid HTTP header name",
            name.escape_debug()
        )));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(BuildError(format!(
            "the value of header `{name}` contains a control character"
        )));
    }
    Ok(())
}

/// The method of an operation, upper-cased (`GET` when the operation names none).
fn method_of(meta: &OperationMeta) -> String {
    if meta.method.is_empty() {
        "GET".to_owned()
    } else {
        meta.method.to_ascii_uppercase()
    }
}

/// The base name of a list parameter: `ImageIds.N` and `ImageIds.n` give `ImageIds`.
fn list_base_name(name: &str) -> &str {
    name.strip_suffix(".N")
        .or_else(|| name.strip_suffix(".n"))
        .unwrap_or(name)
}

/// Adds `param` to query pairs. Scalars as text (booleans lower-case); lists per style:
/// `Flattened` as `Name.1..`, `JsonInString` as one compact JSON array, `JsonArray` as
/// `Name.0..` (0-based, Tencent's GET form).
fn push_query(pairs: &mut Vec<(String, String)>, name: &str, value: &WireValue) {
    match value {
        WireValue::List(items, ListStyle::Flattened) => {
            let base = list_base_name(name);
            pairs.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (format!("{base}.{}", index + 1), item.clone())),
            );
        }
        WireValue::List(items, ListStyle::JsonArray) => {
            let base = list_base_name(name);
            pairs.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (format!("{base}.{index}"), item.clone())),
            );
        }
        WireValue::List(items, ListStyle::JsonInString) => {
            pairs.push((list_base_name(name).to_owned(), json_array(items)))
        }
        WireValue::Json(value, style) if value.is_object() || value.is_array() => match style {
            ListStyle::JsonInString => {
                pairs.push((list_base_name(name).to_owned(), value.to_string()))
            }
            ListStyle::Flattened => crate::wire::flatten(list_base_name(name), value, 1, pairs),
            ListStyle::JsonArray => crate::wire::flatten(list_base_name(name), value, 0, pairs),
        },
        scalar => pairs.push((name.to_owned(), scalar.to_text())),
    }
}

/// A parameter as a JSON body member: lists as arrays, except `JsonInString` lists, which
/// stay one string holding the array.
fn body_value(value: &WireValue) -> serde_json::Value {
    match value {
        WireValue::List(items, ListStyle::JsonInString) => {
            serde_json::Value::String(json_array(items))
        }
        WireValue::Json(value, ListStyle::JsonInString)
            if value.is_object() || value.is_array() =>
        {
            serde_json::Value::String(value.to_string())
        }
        other => other.to_json(),
    }
}

/// The JSON body holding `params`, as compact bytes, members in parameter order (a
/// repeated name keeps its place and takes the last value).
fn json_body<'a>(params: impl Iterator<Item = &'a WireParam>) -> Result<Vec<u8>, BuildError> {
    let mut members: Vec<(&str, serde_json::Value)> = Vec::new();
    for param in params {
        let name = list_base_name(param.name);
        let value = body_value(&param.value);
        match members.iter_mut().find(|(existing, _)| *existing == name) {
            Some(member) => member.1 = value,
            None => members.push((name, value)),
        }
    }
    let encode_error =
        |error: serde_json::Error| BuildError(format!("cannot encode the JSON body: {error}"));
    let mut body = Vec::with_capacity(64);
    body.push(b'{');
    for (index, (name, value)) in members.iter().enumerate() {
        if index > 0 {
            body.push(b',');
        }
        serde_json::to_writer(&mut body, name).map_err(encode_error)?;
        body.push(b':');
        serde_json::to_writer(&mut body, value).map_err(encode_error)?;
    }
    body.push(b'}');
    Ok(body)
}

/// A path with its `{name}` labels filled: as the signers see it and as it is sent.
struct FilledPath {
    /// Unencoded (the signers encode it, keeping `/`).
    signed: String,
    /// Percent-encoded as sent: the template's text with `/` kept, each label value
    /// RFC 3986 encoded with `/` encoded too (Smithy's `httpLabel` rule for a label that is
    /// not greedy), so a value cannot add or climb path segments.
    sent: String,
}

/// The path template of `meta` with every `{name}` filled from the path parameters.
///
/// A label value of `.` or `..` is refused: URL libraries resolve it (also in its
/// percent-encoded forms), so the request would go to another path.
fn fill_path(meta: &OperationMeta, params: &[WireParam]) -> Result<FilledPath, BuildError> {
    let template = if meta.path.is_empty() { "/" } else { meta.path };
    let mut signed = String::with_capacity(template.len() + 32);
    let mut sent = String::with_capacity(template.len() + 32);
    if !template.starts_with('/') {
        signed.push('/');
        sent.push('/');
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        signed.push_str(&rest[..open]);
        sent.push_str(&rfc3986_path(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            BuildError(format!("path template `{template}` has an unclosed `{{`"))
        })?;
        let name = &after[..close];
        let value = params
            .iter()
            .find(|param| param.location == ParamLocation::Path && param.name == name)
            .map(|param| param.value.to_text())
            .ok_or_else(|| {
                BuildError(format!(
                    "path parameter `{name}` of `{}` is not set",
                    meta.name
                ))
            })?;
        if value.is_empty() {
            return Err(BuildError(format!(
                "path parameter `{name}` of `{}` is empty",
                meta.name
            )));
        }
        if value == "." || value == ".." {
            return Err(BuildError(format!(
                "path parameter `{name}` of `{}` is `{value}`, which would name another path",
                meta.name
            )));
        }
        signed.push_str(&value);
        sent.push_str(&rfc3986(&value));
        rest = &after[close + 1..];
    }
    signed.push_str(rest);
    sent.push_str(&rfc3986_path(rest));
    Ok(FilledPath { signed, sent })
}

/// `scheme://host/encoded-path?encoded-query` (`path` already encoded). The query is the
/// one the signers sign ([`crate::sign::encode::sorted_query`]): pairs RFC 3986 encoded,
/// sorted by raw name then value.
fn url_of(scheme: &str, host: &str, path: &str, query: &[(String, String)]) -> String {
    let query = crate::sign::encode::sorted_query(query);
    if query.is_empty() {
        format!("{scheme}://{host}{path}")
    } else {
        format!("{scheme}://{host}{path}?{query}")
    }
}

/// The credentials to sign `context`'s request with: an error when a signed operation has
/// none (the client checks this before building).
fn signing_credentials<'a>(
    context: &RequestContext<'a>,
) -> Result<SigningCredentials<'a>, BuildError> {
    let credentials = context.credentials.ok_or_else(|| {
        BuildError(format!(
            "{} is signed, and no credentials were given",
            context.meta.name
        ))
    })?;
    Ok(SigningCredentials {
        access_key_id: credentials.access_key_id(),
        access_key_secret: credentials.access_key_secret(),
        security_token: credentials.security_token(),
        keys: Some(credentials.signing_keys()),
    })
}

/// The finished request, sent to `sent_path` (encoded): `Host` first, then the signed
/// request's headers.
fn finish(scheme: &str, signed: crate::sign::SigningRequest, sent_path: &str) -> HttpRequest {
    let url = url_of(scheme, &signed.host, sent_path, &signed.query);
    let mut headers = Vec::with_capacity(signed.headers.len() + 1);
    headers.push(("Host".to_owned(), signed.host));
    headers.extend(signed.headers);
    HttpRequest {
        method: signed.method,
        url,
        headers,
        body: signed.body,
    }
}

fn sign_error(error: crate::sign::SignError) -> BuildError {
    BuildError(format!("cannot sign the request: {error}"))
}

// ---------------------------------------------------------------------------------------
// Shared decoding helpers.

/// The body as a JSON value, when it is JSON.
fn parse_json(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(body).ok()
}

/// A success whose body must be a JSON object: the object, or why the body is not one.
fn json_object_success(body: &[u8], request_id: Option<String>) -> Decoded {
    match parse_json(body) {
        Some(value @ serde_json::Value::Object(_)) => Decoded::Success(value),
        Some(_) => Decoded::Malformed {
            reason: "the success body is JSON but not an object".to_owned(),
            request_id,
        },
        None => Decoded::Malformed {
            reason: "the success body is not JSON".to_owned(),
            request_id,
        },
    }
}

/// Whether the body is empty or only whitespace.
fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// A JSON field as text: strings as they are, numbers and booleans written out; `None` for
/// null, objects, arrays and empty strings.
fn text_field(
    object: &serde_json::Map<String, serde_json::Value>,
    names: &[&str],
) -> Option<String> {
    names.iter().find_map(|name| match object.get(*name)? {
        serde_json::Value::String(text) if !text.is_empty() => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    })
}

fn is_success_status(status: u16) -> bool {
    (200..300).contains(&status)
}

fn is_error_status(status: u16) -> bool {
    (400..600).contains(&status)
}

#[cfg(test)]
mod tests;
