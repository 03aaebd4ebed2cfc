//! Request signing and signature verification for the three provider families that
//! cloudspec generates clients for.
//!
//! This crate is to `cloudspec-runtime` what `aws-sigv4` is to `aws-smithy-runtime`: the
//! signing schemes alone, with no HTTP client, no async runtime and no I/O, so that a
//! verifier (the local emulator), a debugging tool (`cloudspec sign`) or any other program
//! can sign and check requests without linking a transport. `cloudspec-runtime` re-exports
//! it as `cloudspec_runtime::sign`.
//!
//! Every scheme is a set of pure, deterministic functions: the time, the nonce and the
//! credentials are passed in, nothing is read from the clock or the environment. Each
//! scheme module has a `sign` function that adds to a [`SigningRequest`] everything the
//! scheme adds (query parameters or headers), plus one public function per intermediate
//! value (canonical request, string to sign, signing key, signature) so tests and the
//! `cloudspec` CLI can print them, and helpers that recompute the expected signature of a
//! received request (for the local emulator): `parse_authorization` and
//! `expected_signature` (V3, TC3, bce-auth-v1) or `verify` (V1), to be compared with
//! [`constant_time_eq`].
//!
//! | module | scheme | used by |
//! | --- | --- | --- |
//! | [`alibaba_v1`] | Alibaba Cloud RPC signature V1 (`HMAC-SHA1`, in the query) | Alibaba RPC APIs |
//! | [`alibaba_v3`] | Alibaba Cloud `ACS3-HMAC-SHA256` (in the `Authorization` header) | Alibaba current SDKs |
//! | [`tencent_tc3`] | Tencent Cloud API 3.0 `TC3-HMAC-SHA256` | Tencent Cloud |
//! | [`baidu`] | Baidu AI Cloud `bce-auth-v1` | Baidu AI Cloud |
//!
//! Signing the official Alibaba V1 example and checking the result as a server would:
//!
//! ```
//! use cloudspec_sign::{SigningCredentials, SigningRequest, alibaba_v1};
//!
//! let mut req = SigningRequest::new("GET", "ecs.aliyuncs.com", "/");
//! for (name, value) in [("Action", "DescribeRegions"), ("Format", "XML"), ("Version", "2014-05-26")] {
//!     req.set_query_param(name, value);
//! }
//! let creds = SigningCredentials::new("testid", "testsecret");
//! let time = "2016-02-23T12:46:24Z".parse()?;
//! alibaba_v1::sign(&mut req, &creds, time, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")?;
//! assert_eq!(req.query_param("Signature"), Some("OLeaidS1JvxuMvnyHOwuJ+uX5qY="));
//! assert!(alibaba_v1::verify(&req.method, &req.query, "testsecret"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Percent-encoding shared by all of them is in [`encode`]. The facts each scheme follows,
//! with the official worked examples its tests check, are in `docs/protocols.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

pub mod alibaba_v1;
pub mod alibaba_v3;
pub mod baidu;
pub mod encode;
pub mod keys;
pub mod tencent_tc3;

pub use keys::SigningKeys;

/// An HTTP request described for signing.
///
/// Everything is given unencoded: the signers percent-encode the path and the query
/// themselves, and the transport must send them encoded the same way (see
/// [`encode::rfc3986_path`] and [`encode::rfc3986`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SigningRequest {
    /// HTTP method, upper-case, e.g. `"GET"`.
    pub method: String,
    /// `host[:port]` exactly as sent in the `Host` header.
    pub host: String,
    /// Request path, not percent-encoded, e.g. `"/v2/image/m-1"`. An empty path means `/`.
    pub path: String,
    /// Query parameters as unencoded name/value pairs, in any order.
    pub query: Vec<(String, String)>,
    /// Headers other than `Host`: names as given (case preserved), values as sent.
    /// The `Host` header is [`SigningRequest::host`] and must not be repeated here.
    pub headers: Vec<(String, String)>,
    /// Request body bytes, exactly as sent.
    pub body: Vec<u8>,
}

impl SigningRequest {
    /// A request with the given method, host and path, no query, no headers and no body.
    pub fn new(
        method: impl Into<String>,
        host: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        SigningRequest {
            method: method.into(),
            host: host.into(),
            path: path.into(),
            ..SigningRequest::default()
        }
    }

    /// The value of the first header called `name` (compared case-insensitively).
    ///
    /// `host` is answered from [`SigningRequest::host`] unless a `Host` entry was put in
    /// [`SigningRequest::headers`] by mistake, in which case that entry is returned.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .or_else(|| {
                name.eq_ignore_ascii_case("host")
                    .then_some(self.host.as_str())
            })
    }

    /// Sets header `name` to `value`, replacing every header of that name (compared
    /// case-insensitively).
    pub fn set_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.remove_header(&name);
        self.headers.push((name, value.into()));
    }

    /// Removes every header called `name` (compared case-insensitively).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The value of the first query parameter called exactly `name` (query names are
    /// case-sensitive).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets query parameter `name` to `value`, replacing every parameter of that name.
    pub fn set_query_param(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.remove_query_param(&name);
        self.query.push((name, value.into()));
    }

    /// Removes every query parameter called exactly `name`.
    pub fn remove_query_param(&mut self, name: &str) {
        self.query.retain(|(n, _)| n != name);
    }

    /// Every value of header `name` (compared case-insensitively), counting
    /// [`SigningRequest::host`] as a `host` header.
    fn header_values<'a>(&'a self, name: &str) -> Vec<&'a str> {
        let mut values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        if name.eq_ignore_ascii_case("host") {
            values.insert(0, self.host.as_str());
        }
        values
    }

    /// The single value of a header that is to be signed: an error when it is missing,
    /// repeated or not sendable.
    fn signed_header_value(&self, name: &str) -> Result<&str, SignError> {
        match self.header_values(name).as_slice() {
            [] => Err(SignError::MissingSignedHeader {
                name: name.to_owned(),
            }),
            [value] => {
                check_header_value(name, value)?;
                Ok(value)
            }
            _ => Err(SignError::DuplicateHeader {
                name: name.to_owned(),
            }),
        }
    }
}

/// Access key pair (and optional session token) used for signing.
///
/// `Debug` shows the access key id only; the secret and the token print as `<redacted>`.
/// Equality compares the key pair and the token, not the cache.
#[derive(Clone, Copy)]
pub struct SigningCredentials<'a> {
    /// Access key id (Alibaba `AccessKeyId`, Tencent `SecretId`, Baidu `AK`).
    pub access_key_id: &'a str,
    /// Access key secret (Alibaba `AccessKeySecret`, Tencent `SecretKey`, Baidu `SK`).
    pub access_key_secret: &'a str,
    /// Session token of temporary credentials (Alibaba STS `SecurityToken`, Tencent
    /// `X-TC-Token`, Baidu `x-bce-security-token`).
    pub security_token: Option<&'a str>,
    /// Keys derived from the secret by earlier signatures ([`keys`]); `None` derives them
    /// for every request.
    pub keys: Option<&'a SigningKeys>,
}

impl<'a> SigningCredentials<'a> {
    /// Long-term credentials: an access key id and secret, no session token.
    pub fn new(access_key_id: &'a str, access_key_secret: &'a str) -> Self {
        SigningCredentials {
            access_key_id,
            access_key_secret,
            security_token: None,
            keys: None,
        }
    }

    /// The same credentials, keeping the keys derived from the secret in `keys` for the
    /// next request (the same signatures, less work per request: [`keys`]).
    pub fn with_keys(self, keys: &'a SigningKeys) -> Self {
        SigningCredentials {
            keys: Some(keys),
            ..self
        }
    }

    /// The same credentials with a session token (temporary credentials).
    pub fn with_security_token(self, security_token: &'a str) -> Self {
        SigningCredentials {
            security_token: Some(security_token),
            ..self
        }
    }
}

impl PartialEq for SigningCredentials<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.access_key_id == other.access_key_id
            && self.access_key_secret == other.access_key_secret
            && self.security_token == other.security_token
    }
}

impl Eq for SigningCredentials<'_> {}

impl fmt::Debug for SigningCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.map(|_| "<redacted>"))
            .finish()
    }
}

/// Why a request could not be signed (or a signature could not be recomputed).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// A header that has to be signed is not on the request.
    #[error("header `{name}` must be signed but the request does not carry it")]
    MissingSignedHeader {
        /// The header name, as requested.
        name: String,
    },
    /// A header that has to be signed occurs more than once, so its value is ambiguous.
    #[error(
        "header `{name}` must be signed but occurs more than once on the request \
         (the Host header is `SigningRequest::host` and must not also be in `headers`)"
    )]
    DuplicateHeader {
        /// The header name, as requested.
        name: String,
    },
    /// A header name is not an HTTP token (empty, or contains a space, `:` or another
    /// separator).
    #[error("`{name}` is not a valid HTTP header name")]
    InvalidHeaderName {
        /// The offending name.
        name: String,
    },
    /// A header value contains a control character (CR, LF, NUL, ...) that can be neither
    /// sent nor signed. The value is not shown because it may be a secret token.
    #[error("the value of header `{name}` contains a control character")]
    InvalidHeaderValue {
        /// The header name.
        name: String,
    },
    /// A header cannot be part of the signed-header list of this scheme.
    #[error("header `{name}` cannot be signed: {reason}")]
    UnsignableHeader {
        /// The header name.
        name: String,
        /// Why not.
        reason: &'static str,
    },
    /// An explicit signed-header list was given but it is empty.
    #[error("the list of headers to sign is empty")]
    NoSignedHeaders,
    /// The access key id cannot be carried by the scheme.
    #[error("invalid access key id: {reason}")]
    InvalidAccessKeyId {
        /// Why not.
        reason: &'static str,
    },
    /// The Tencent Cloud service name cannot be used in a credential scope.
    #[error("invalid service name `{service}`: {reason}")]
    InvalidService {
        /// The offending service name.
        service: String,
        /// Why not.
        reason: &'static str,
    },
    /// A unix timestamp outside the range of supported dates (years -9999 to 9999).
    #[error("timestamp {seconds} (unix seconds) is outside the supported range")]
    TimestampOutOfRange {
        /// The offending timestamp.
        seconds: i64,
    },
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length (long keys are hashed, short ones padded).
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA1 of `data` under `key`.
pub(crate) fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    // HMAC accepts keys of any length (long keys are hashed, short ones padded).
    let mut mac =
        <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Compares two signatures in time that depends only on their lengths, not on where they
/// first differ. Use it when checking a received signature against an expected one.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `yyyy-MM-ddTHH:mm:ssZ` in UTC, the timestamp format of Alibaba and Baidu (and of the
/// expiry times their STS and instance-metadata answers carry).
pub fn iso8601_utc(timestamp: jiff::Timestamp) -> String {
    let dt = jiff::tz::Offset::UTC.to_datetime(timestamp);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Whether `name` is an HTTP field name (an RFC 9110 token).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Checks that `name` can be sent and signed as a header name.
pub(crate) fn check_header_name(name: &str) -> Result<(), SignError> {
    if is_token(name) {
        Ok(())
    } else {
        Err(SignError::InvalidHeaderName {
            name: name.to_owned(),
        })
    }
}

/// Checks that `value` can be sent as the value of header `name`: no control character
/// other than horizontal tab.
pub(crate) fn check_header_value(name: &str, value: &str) -> Result<(), SignError> {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        Err(SignError::InvalidHeaderValue {
            name: name.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// The canonical request shared by ACS3 and TC3: `METHOD \n canonical_uri(path) \n query \n`
/// one `name:value` line per signed header, an empty line, the names joined by `;`, and the
/// payload hash. `names` are already normalised (lower-case, sorted, unique); each must be on
/// the request exactly once. TC3 lower-cases the header values, ACS3 keeps them.
pub(crate) fn canonical_request_lines<S: AsRef<str>>(
    req: &SigningRequest,
    query: &str,
    names: &[S],
    lowercase_values: bool,
    payload_hash: &str,
) -> Result<String, SignError> {
    let mut out = String::with_capacity(
        req.method.len()
            + req.path.len()
            + query.len()
            + payload_hash.len()
            + 64 * names.len()
            + 16,
    );
    out.push_str(&req.method);
    out.push('\n');
    out.push_str(&encode::canonical_uri(&req.path));
    out.push('\n');
    out.push_str(query);
    out.push('\n');
    for name in names {
        let name = name.as_ref();
        let value = trim_header_value(req.signed_header_value(name)?);
        out.push_str(name);
        out.push(':');
        if !lowercase_values {
            out.push_str(value);
        } else if value.is_ascii() {
            // The common case, without the allocation of `to_lowercase`.
            out.extend(value.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(&value.to_lowercase());
        }
        out.push('\n');
    }
    out.push('\n');
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name.as_ref());
    }
    out.push('\n');
    out.push_str(payload_hash);
    Ok(out)
}

/// A header value with leading and trailing spaces and tabs removed.
pub(crate) fn trim_header_value(value: &str) -> &str {
    value.trim_matches([' ', '\t'])
}

/// Checks that an access key id is non-empty and has no character that would break the
/// credential field of an `Authorization` header (`/`, `,`, `;`, `=`, whitespace,
/// control characters).
pub(crate) fn check_access_key_id(access_key_id: &str) -> Result<(), SignError> {
    if access_key_id.is_empty() {
        return Err(SignError::InvalidAccessKeyId {
            reason: "it is empty",
        });
    }
    if access_key_id
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | ',' | ';' | '='))
    {
        return Err(SignError::InvalidAccessKeyId {
            reason: "it contains whitespace, a control character, `/`, `,`, `;` or `=`",
        });
    }
    Ok(())
}

/// Signed-header names lower-cased, trimmed, sorted and without repeats; an error for an
/// empty list or a name that is not a token.
pub(crate) fn normalize_signed_headers(names: &[&str]) -> Result<Vec<String>, SignError> {
    if names.is_empty() {
        return Err(SignError::NoSignedHeaders);
    }
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim_matches([' ', '\t']);
        check_header_name(name)?;
        out.push(name.to_ascii_lowercase());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Lower-cased, sorted, de-duplicated names of the request's headers (including `host`)
/// that `select` accepts, skipping headers whose value is empty when `skip_empty` is set.
pub(crate) fn select_headers(
    req: &SigningRequest,
    skip_empty: bool,
    select: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut names: Vec<String> = std::iter::once(("host", req.host.as_str()))
        .chain(req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .filter(|(_, v)| !skip_empty || !trim_header_value(v).is_empty())
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| select(n))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
pub(crate) mod test_support;

/// Parses the `Credential=..,SignedHeaders=..,Signature=..` fields shared by the
/// `ACS3-HMAC-SHA256` and `TC3-HMAC-SHA256` `Authorization` headers (what follows the
/// algorithm name): fields in any order, separated by `,` with optional spaces, each exactly
/// once. Returns the raw credential, the signed header names and the signature.
fn parse_credential_fields(rest: &str) -> Option<(&str, Vec<&str>, &str)> {
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for field in rest.split(',') {
        let (key, value) = field.trim_matches(' ').split_once('=')?;
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return None,
        };
        if slot.replace(value).is_some() {
            return None;
        }
    }
    let signed: &str = signed?;
    let signed_headers = if signed.is_empty() {
        Vec::new()
    } else {
        signed.split(';').collect()
    };
    Some((credential?, signed_headers, signature?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_credentials_hides_secret_and_token() {
        let creds =
            SigningCredentials::new("AKIDvisible", "s3cr3t-value").with_security_token("tok-en");
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKIDvisible"), "{shown}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains("tok-en"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        let pretty = format!("{creds:#?}");
        assert!(!pretty.contains("s3cr3t-value") && !pretty.contains("tok-en"));
    }

    #[test]
    fn header_lookup_is_case_insensitive_and_host_comes_from_host() {
        let mut req = SigningRequest::new("GET", "example.com:8443", "/");
        req.set_header("Content-Type", "text/plain");
        assert_eq!(req.header("content-type"), Some("text/plain"));
        assert_eq!(req.header("CONTENT-TYPE"), Some("text/plain"));
        assert_eq!(req.header("host"), Some("example.com:8443"));
        assert_eq!(req.header("x-missing"), None);
        req.set_header("content-TYPE", "application/json");
        assert_eq!(req.headers.len(), 1);
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        req.remove_header("CONTENT-type");
        assert!(req.headers.is_empty());
    }

    #[test]
    fn query_helpers_replace_and_remove() {
        let mut req = SigningRequest::new("GET", "h", "/");
        req.query.push(("A".into(), "1".into()));
        req.query.push(("A".into(), "2".into()));
        req.query.push(("a".into(), "3".into()));
        assert_eq!(req.query_param("A"), Some("1"));
        req.set_query_param("A", "9");
        assert_eq!(
            req.query,
            vec![("a".into(), "3".into()), ("A".into(), "9".into())]
        );
        req.remove_query_param("a");
        assert_eq!(req.query, vec![("A".into(), "9".into())]);
    }

    #[test]
    fn signed_header_value_errors() {
        let mut req = SigningRequest::new("GET", "h", "/");
        assert_eq!(
            req.signed_header_value("x-a"),
            Err(SignError::MissingSignedHeader { name: "x-a".into() })
        );
        req.headers.push(("Host".into(), "h".into()));
        assert_eq!(
            req.signed_header_value("host"),
            Err(SignError::DuplicateHeader {
                name: "host".into()
            })
        );
        req.headers.clear();
        req.set_header("x-a", "bad\r\nInjected: 1");
        assert_eq!(
            req.signed_header_value("x-a"),
            Err(SignError::InvalidHeaderValue { name: "x-a".into() })
        );
        req.set_header("x-a", "tab\tis fine");
        assert_eq!(req.signed_header_value("X-A"), Ok("tab\tis fine"));
    }

    #[test]
    fn signed_header_lists_are_normalized() {
        assert_eq!(
            normalize_signed_headers(&["Host", " content-type ", "host"]),
            Ok(vec!["content-type".to_owned(), "host".to_owned()])
        );
        assert_eq!(
            normalize_signed_headers(&[]),
            Err(SignError::NoSignedHeaders)
        );
        assert_eq!(
            normalize_signed_headers(&["bad name"]),
            Err(SignError::InvalidHeaderName {
                name: "bad name".into()
            })
        );
    }

    #[test]
    fn access_key_ids_are_checked() {
        assert!(check_access_key_id("LTAI5tExample").is_ok());
        assert!(check_access_key_id("STS.NUexample").is_ok());
        assert!(matches!(
            check_access_key_id(""),
            Err(SignError::InvalidAccessKeyId { .. })
        ));
        assert!(matches!(
            check_access_key_id("a/b"),
            Err(SignError::InvalidAccessKeyId { .. })
        ));
        assert!(matches!(
            check_access_key_id("a b"),
            Err(SignError::InvalidAccessKeyId { .. })
        ));
    }

    #[test]
    fn timestamps_format_as_utc_seconds() {
        let ts: jiff::Timestamp = "2016-02-23T20:46:24.999+08:00".parse().unwrap();
        assert_eq!(iso8601_utc(ts), "2016-02-23T12:46:24Z");
        assert_eq!(
            iso8601_utc(jiff::Timestamp::UNIX_EPOCH),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert!(constant_time_eq("", ""));
    }

    #[test]
    fn error_messages_are_clear() {
        assert_eq!(
            SignError::MissingSignedHeader {
                name: "content-type".into()
            }
            .to_string(),
            "header `content-type` must be signed but the request does not carry it"
        );
        assert_eq!(
            SignError::TimestampOutOfRange { seconds: i64::MAX }.to_string(),
            format!(
                "timestamp {} (unix seconds) is outside the supported range",
                i64::MAX
            )
        );
    }
}
