//! Alibaba Cloud signature V3, `ACS3-HMAC-SHA256` (what the current Alibaba SDKs send).
//!
//! The caller sets `x-acs-action`, `x-acs-version` (and `content-type` when there is a
//! body); [`sign`] adds `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
//! `x-acs-security-token` (temporary credentials only) and `Authorization`.
//!
//! ```text
//! CanonicalRequest = METHOD \n
//!                    rfc3986_path(path) \n
//!                    encode(name)=encode(value) sorted by name, joined by & \n
//!                    lower(name):trim(value) \n   (one line per signed header, sorted)
//!                    signed;header;names \n
//!                    hex(sha256(body))
//! StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
//! Signature        = hex(HMAC-SHA256(key = secret, StringToSign))
//! Authorization    = ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex
//! ```
//!
//! Signed headers are `host`, `content-type` (when present) and every `x-acs-*` header.

use super::encode::sorted_query;
use super::keys::{finish_sha256, keyed_with_secret};
use super::{
    SignError, SigningCredentials, SigningRequest, hmac_sha256, normalize_signed_headers,
    select_headers, sha256_hex,
};

/// The algorithm name, first word of the `Authorization` header and first line of the
/// string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Signs `req` in place: sets `x-acs-date` (`yyyy-MM-ddTHH:mm:ssZ`, UTC),
/// `x-acs-signature-nonce`, `x-acs-content-sha256` (hex SHA-256 of the body),
/// `x-acs-security-token` (removed when the credentials have no token) and
/// `Authorization`, replacing earlier values so a request can be re-signed for a retry.
///
/// On error `req` may already carry some of the added headers and must not be sent.
pub fn sign(
    req: &mut SigningRequest,
    creds: &SigningCredentials<'_>,
    timestamp: jiff::Timestamp,
    nonce: &str,
) -> Result<(), SignError> {
    super::check_access_key_id(creds.access_key_id)?;
    req.remove_header("authorization");
    req.set_header("x-acs-date", super::iso8601_utc(timestamp));
    req.set_header("x-acs-signature-nonce", nonce);
    let payload_hash = sha256_hex(&req.body);
    req.set_header("x-acs-content-sha256", payload_hash.as_str());
    match creds.security_token {
        Some(token) => req.set_header("x-acs-security-token", token),
        None => req.remove_header("x-acs-security-token"),
    }
    // Already lower-cased and sorted: no second normalisation, and the body hashed once.
    let signed = default_signed_headers(req);
    let canonical = canonical_request_of(req, &signed, &payload_hash)?;
    let signed: Vec<&str> = signed.iter().map(String::as_str).collect();
    // The secret is the HMAC key: keyed once per secret when the credentials carry a cache.
    let key = keyed_with_secret(creds.keys, creds.access_key_secret);
    let signature = hex::encode(finish_sha256(key, string_to_sign(&canonical).as_bytes()));
    let value = authorization(creds.access_key_id, &signed, &signature);
    super::check_header_value("authorization", &value)?;
    req.set_header("Authorization", value);
    Ok(())
}

/// The headers [`sign`] signs: `host`, `content-type` if present and every `x-acs-*`
/// header, lower-cased and sorted.
pub fn default_signed_headers(req: &SigningRequest) -> Vec<String> {
    select_headers(req, false, |name| {
        name == "host" || name == "content-type" || name.starts_with("x-acs-")
    })
}

/// The canonical request of `req` with the given signed headers (any case and order; they
/// are lower-cased and sorted). Every signed header must occur exactly once.
pub fn canonical_request(
    req: &SigningRequest,
    signed_headers: &[&str],
) -> Result<String, SignError> {
    let names = if signed_headers.is_empty() {
        Vec::new()
    } else {
        normalize_signed_headers(signed_headers)?
    };
    canonical_request_of(req, &names, &sha256_hex(&req.body))
}

/// The canonical request for signed header names already normalised (lower-case, sorted,
/// unique) and the hex SHA-256 of the body.
fn canonical_request_of(
    req: &SigningRequest,
    names: &[String],
    payload_hash: &str,
) -> Result<String, SignError> {
    super::canonical_request_lines(req, &sorted_query(&req.query), names, false, payload_hash)
}

/// `ACS3-HMAC-SHA256\n` followed by the hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// `hex(HMAC-SHA256(key = secret, string_to_sign))`.
pub fn signature(string_to_sign: &str, secret: &str) -> String {
    hex::encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// The `Authorization` header value:
/// `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`. The signed header
/// names are written as given (already lower-cased and sorted by [`sign`]).
pub fn authorization(access_key_id: &str, signed_headers: &[&str], signature: &str) -> String {
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={signature}",
        signed_headers.join(";")
    )
}

/// The parts of an `ACS3-HMAC-SHA256` `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The access key id from `Credential=`.
    pub access_key_id: &'a str,
    /// The header names from `SignedHeaders=`, in the order written.
    pub signed_headers: Vec<&'a str>,
    /// The hex signature from `Signature=`.
    pub signature: &'a str,
}

/// Parses an `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` header value.
/// The three fields may come in any order, with optional spaces after the commas; each must
/// occur exactly once and `Credential` and `Signature` must be non-empty. `None` otherwise.
pub fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (access_key_id, signed_headers, signature) = super::parse_credential_fields(rest)?;
    if access_key_id.is_empty() || signature.is_empty() {
        return None;
    }
    Some(Authorization {
        access_key_id,
        signed_headers,
        signature,
    })
}

/// The signature a received request must carry, recomputed with the signed headers named
/// by its parsed `Authorization` header and the secret of `auth.access_key_id`.
///
/// Compare it with `auth.signature` using [`super::constant_time_eq`]. Checking
/// `x-acs-date` and nonce reuse is the caller's job.
pub fn expected_signature(
    req: &SigningRequest,
    auth: &Authorization<'_>,
    secret: &str,
) -> Result<String, SignError> {
    let canonical = canonical_request(req, &auth.signed_headers)?;
    Ok(signature(&string_to_sign(&canonical), secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constant_time_eq;
    use crate::test_support::{changed, header_value, prefixed_headers, query, with_shuffle};
    use proptest::prelude::*;

    const OFFICIAL_SIGNATURE: &str =
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";

    fn official_request() -> SigningRequest {
        let mut req = SigningRequest::new("POST", "ecs.cn-shanghai.aliyuncs.com", "/");
        req.query = vec![
            (
                "ImageId".into(),
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".into(),
            ),
            ("RegionId".into(), "cn-shanghai".into()),
        ];
        req.set_header("x-acs-action", "RunInstances");
        req.set_header("x-acs-version", "2014-05-26");
        req
    }

    fn sign_official(req: &mut SigningRequest) {
        let ts: jiff::Timestamp = "2023-10-26T10:22:32Z".parse().unwrap();
        let creds = SigningCredentials::new("YourAccessKeyId", "YourAccessKeySecret");
        sign(req, &creds, ts, "3156853299f313e23d1673dc12e1703d").unwrap();
    }

    #[test]
    fn official_example() {
        let mut req = official_request();
        sign_official(&mut req);
        let empty_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let signed = default_signed_headers(&req);
        let signed: Vec<&str> = signed.iter().map(String::as_str).collect();
        assert_eq!(
            signed,
            [
                "host",
                "x-acs-action",
                "x-acs-content-sha256",
                "x-acs-date",
                "x-acs-signature-nonce",
                "x-acs-version"
            ]
        );
        assert_eq!(
            canonical_request(&req, &signed).unwrap(),
            format!(
                "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
                 host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:{empty_sha}\n\
                 x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
                 x-acs-version:2014-05-26\n\n\
                 host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n{empty_sha}"
            )
        );
        assert_eq!(req.header("x-acs-content-sha256"), Some(empty_sha));
        assert_eq!(req.header("x-acs-date"), Some("2023-10-26T10:22:32Z"));
        assert_eq!(
            req.header("authorization"),
            Some(
                format!(
                    "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;\
                     x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature={OFFICIAL_SIGNATURE}"
                )
                .as_str()
            )
        );
    }

    /// The official example signed twice with one key cache (`crate::keys`): the same
    /// official signature both times, from one keyed state.
    #[test]
    fn official_example_with_cached_keys() {
        let keys = crate::SigningKeys::new();
        let creds =
            SigningCredentials::new("YourAccessKeyId", "YourAccessKeySecret").with_keys(&keys);
        let ts: jiff::Timestamp = "2023-10-26T10:22:32Z".parse().unwrap();
        for _ in 0..2 {
            let mut req = official_request();
            sign(&mut req, &creds, ts, "3156853299f313e23d1673dc12e1703d").unwrap();
            let header = req.header("authorization").unwrap();
            assert_eq!(
                parse_authorization(header).unwrap().signature,
                OFFICIAL_SIGNATURE
            );
        }
        assert_eq!(keys.len(), 1);
    }

    #[test]
    fn official_example_parse_and_recompute() {
        let mut req = official_request();
        sign_official(&mut req);
        let header = req.header("Authorization").unwrap().to_owned();
        let auth = parse_authorization(&header).unwrap();
        assert_eq!(auth.access_key_id, "YourAccessKeyId");
        assert_eq!(auth.signature, OFFICIAL_SIGNATURE);
        assert_eq!(auth.signed_headers.len(), 6);
        assert_eq!(
            expected_signature(&req, &auth, "YourAccessKeySecret").unwrap(),
            OFFICIAL_SIGNATURE
        );
    }

    #[test]
    fn resigning_replaces_headers() {
        let mut req = official_request();
        req.body = b"{}".to_vec();
        req.set_header("Content-Type", "application/json");
        let creds = SigningCredentials::new("id", "secret").with_security_token("tok");
        sign(&mut req, &creds, jiff::Timestamp::UNIX_EPOCH, "n1").unwrap();
        assert_eq!(req.header("x-acs-security-token"), Some("tok"));
        sign(
            &mut req,
            &SigningCredentials::new("id", "secret"),
            jiff::Timestamp::UNIX_EPOCH,
            "n2",
        )
        .unwrap();
        assert_eq!(req.header("x-acs-security-token"), None);
        assert_eq!(req.headers.len(), 7, "{:?}", req.headers);
        let auth = req.header("authorization").unwrap();
        assert!(
            auth.contains("SignedHeaders=content-type;host;x-acs-action;"),
            "{auth}"
        );
        let parsed = parse_authorization(auth).unwrap();
        assert!(constant_time_eq(
            &expected_signature(&req, &parsed, "secret").unwrap(),
            parsed.signature
        ));
    }

    #[test]
    fn header_value_with_newline_is_rejected() {
        let mut req = official_request();
        req.set_header("x-acs-action", "Run\nInstances");
        let ts = jiff::Timestamp::UNIX_EPOCH;
        assert_eq!(
            sign(&mut req, &SigningCredentials::new("id", "s"), ts, "n"),
            Err(SignError::InvalidHeaderValue {
                name: "x-acs-action".into()
            })
        );
    }

    #[test]
    fn missing_signed_header_is_an_error() {
        let req = official_request();
        assert_eq!(
            canonical_request(&req, &["host", "content-type"]),
            Err(SignError::MissingSignedHeader {
                name: "content-type".into()
            })
        );
    }

    #[test]
    fn parse_authorization_rejects_malformed_values() {
        assert!(
            parse_authorization("ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=ab")
                .is_some()
        );
        assert!(
            parse_authorization("ACS3-HMAC-SHA256 Signature=ab, Credential=a, SignedHeaders=host")
                .is_some()
        );
        assert!(parse_authorization("ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host").is_none());
        assert!(
            parse_authorization("ACS3-HMAC-SHA1 Credential=a,SignedHeaders=host,Signature=ab")
                .is_none()
        );
        assert!(
            parse_authorization(
                "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=h,Signature=ab"
            )
            .is_none()
        );
        assert!(
            parse_authorization("ACS3-HMAC-SHA256 Credential=,SignedHeaders=h,Signature=ab")
                .is_none()
        );
        assert!(
            parse_authorization(
                "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature=ab,Extra=1"
            )
            .is_none()
        );
        assert!(parse_authorization("").is_none());
    }

    #[test]
    fn reserved_characters_encode_per_rfc3986() {
        let mut req = SigningRequest::new("GET", "h", "/a b/*~é");
        req.query = vec![("k*".into(), "v ~é".into())];
        let c = canonical_request(&req, &["host"]).unwrap();
        assert!(
            c.starts_with("GET\n/a%20b/%2A~%C3%A9\nk%2A=v%20~%C3%A9\nhost:h\n"),
            "{c}"
        );
    }

    /// A POST request with x-acs-* headers of arbitrary case, plus its signed form.
    fn request() -> impl Strategy<Value = SigningRequest> {
        (
            prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
            "/[a-zA-Z0-9 é*~/-]{0,12}",
            query(),
            prefixed_headers("x-acs-"),
            prop::collection::vec(any::<u8>(), 0..32),
        )
            .prop_map(|(method, path, query, headers, body)| SigningRequest {
                method: method.into(),
                host: "ecs.aliyuncs.com".into(),
                path,
                query,
                // `sign` sets x-acs-date itself, so a generated one would not be signed as is.
                headers: headers
                    .into_iter()
                    .filter(|(n, _)| !n.eq_ignore_ascii_case("x-acs-date"))
                    .collect(),
                body,
            })
    }

    fn sign_at(req: &mut SigningRequest) {
        let creds = SigningCredentials::new("AK", "SK");
        sign(req, &creds, jiff::Timestamp::UNIX_EPOCH, "nonce").unwrap();
    }

    fn signature_of(req: &SigningRequest) -> String {
        let mut req = req.clone();
        sign_at(&mut req);
        let auth = req.header("authorization").unwrap();
        parse_authorization(auth).unwrap().signature.to_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn order_of_query_and_headers_does_not_matter(
            req in request(),
            (q, q2) in with_shuffle(query()),
            (h, h2) in with_shuffle(prefixed_headers("X-Acs-")),
        ) {
            let a = SigningRequest { query: q, headers: h, ..req.clone() };
            let b = SigningRequest { query: q2, headers: h2, ..req };
            prop_assert_eq!(signature_of(&a), signature_of(&b));
        }

        #[test]
        fn sign_parse_recompute_round_trip(req in request(), token in proptest::option::of("[A-Za-z0-9+/=]{1,40}")) {
            let mut req = req;
            let creds = SigningCredentials { access_key_id: "AK", access_key_secret: "SK", security_token: token.as_deref(), keys: None };
            sign(&mut req, &creds, jiff::Timestamp::UNIX_EPOCH, "n").unwrap();
            let header = req.header("authorization").unwrap().to_owned();
            let auth = parse_authorization(&header).unwrap();
            prop_assert_eq!(auth.access_key_id, "AK");
            prop_assert_eq!(expected_signature(&req, &auth, "SK").unwrap(), auth.signature);
            prop_assert_ne!(expected_signature(&req, &auth, "SK2").unwrap(), auth.signature);
        }

        #[test]
        fn any_change_changes_the_signature(
            req in request(),
            what in 0u8..6,
            how in any::<u8>(),
            index in any::<prop::sample::Index>(),
            value in header_value(),
        ) {
            let base = signature_of(&req);
            let mut other = req.clone();
            match what {
                0 => other.method = if req.method == "PATCH" { "GET".into() } else { "PATCH".into() },
                1 => other.path = changed(&req.path, how),
                2 => other.body.push(how),
                3 => {
                    prop_assume!(!req.query.is_empty());
                    let i = index.index(req.query.len());
                    other.query[i].1 = changed(&req.query[i].1, how);
                }
                4 => {
                    prop_assume!(!req.headers.is_empty());
                    let i = index.index(req.headers.len());
                    other.headers[i].1 = changed(crate::trim_header_value(&req.headers[i].1), how);
                }
                _ => {
                    prop_assume!(req.header("x-acs-new").is_none());
                    other.set_header("x-acs-new", value);
                }
            }
            prop_assert_ne!(base, signature_of(&other));
        }
    }
}
