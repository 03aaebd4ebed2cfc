//! Tencent Cloud API 3.0 signature, `TC3-HMAC-SHA256`.
//!
//! The caller sets `Content-Type`, `X-TC-Action`, `X-TC-Version`, `X-TC-Region` (and
//! `X-TC-Language` if wanted); [`sign`] adds `X-TC-Timestamp`, `X-TC-Token` (temporary
//! credentials only) and `Authorization`.
//!
//! ```text
//! CanonicalRequest = METHOD \n
//!                    rfc3986_path(path) \n            ("/" for every API 3.0 request)
//!                    canonical_query(query) \n        (GET only; empty for other methods)
//!                    lower(name):lower(trim(value)) \n  (one line per signed header, sorted)
//!                    signed;header;names \n
//!                    hex(sha256(payload))
//! StringToSign     = "TC3-HMAC-SHA256" \n timestamp \n DATE/service/tc3_request \n hex(sha256(CanonicalRequest))
//! kDate = HMAC("TC3" + secret, DATE); kService = HMAC(kDate, service);
//! kSigning = HMAC(kService, "tc3_request"); Signature = hex(HMAC(kSigning, StringToSign))
//! Authorization    = TC3-HMAC-SHA256 Credential=ID/DATE/service/tc3_request, SignedHeaders=content-type;host, Signature=hex
//! ```
//!
//! `DATE` is the UTC date (`yyyy-mm-dd`) of the timestamp. For a GET request the query
//! string sent must be exactly [`canonical_query`] of the parameters, since that is what
//! is signed. The query of a POST request is not signed (API 3.0 POST requests have none).

use super::encode::sorted_query;
use super::keys::{KeyUse, finish_sha256, keyed_for, keyed_sha256};
use super::{
    SignError, SigningCredentials, SigningRequest, hmac_sha256, normalize_signed_headers,
    sha256_hex, trim_header_value,
};

/// The algorithm name, first word of the `Authorization` header and first line of the
/// string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The last element of the credential scope.
pub const TERMINATOR: &str = "tc3_request";
/// The headers signed when no list is given.
pub const DEFAULT_SIGNED_HEADERS: [&str; 2] = ["content-type", "host"];
/// The header that carries the timestamp (unix seconds).
pub const TIMESTAMP_HEADER: &str = "X-TC-Timestamp";
/// The header that carries the session token of temporary credentials.
pub const TOKEN_HEADER: &str = "X-TC-Token";

/// The `Authorization` value of a request sent unsigned: tencentcloud-sdk-python-common
/// 3.1.195 writes it for a call with `SkipSign` (`abstract_client.py` line 307,
/// `req.header["Authorization"] = "SKIP"`), as its `OIDCRoleArnCredential` calls
/// AssumeRoleWithWebIdentity (docs/protocols.md, "Unsigned calls").
pub const SKIP_AUTHORIZATION: &str = "SKIP";

/// Marks `req` as sent unsigned at `timestamp` (unix seconds): sets `X-TC-Timestamp` and
/// `Authorization: SKIP` and removes any `X-TC-Token`, as the official SDK does for an
/// operation that takes no signature.
pub fn skip_signature(req: &mut SigningRequest, timestamp: i64) {
    req.set_header(TIMESTAMP_HEADER, timestamp.to_string());
    req.remove_header(TOKEN_HEADER);
    req.set_header("Authorization", SKIP_AUTHORIZATION);
}

/// Signs `req` in place for `service` (e.g. `"cvm"`, see [`service_from_host`]) at
/// `timestamp` (unix seconds): sets `X-TC-Timestamp`, `X-TC-Token` (removed when the
/// credentials have no token) and `Authorization`, replacing earlier values so a request
/// can be re-signed for a retry.
///
/// `signed_headers` defaults to [`DEFAULT_SIGNED_HEADERS`] (`content-type;host`); every
/// signed header must be on the request exactly once. On error `req` may already carry
/// some of the added headers and must not be sent.
pub fn sign(
    req: &mut SigningRequest,
    creds: &SigningCredentials<'_>,
    service: &str,
    timestamp: i64,
    signed_headers: Option<&[&str]>,
) -> Result<(), SignError> {
    super::check_access_key_id(creds.access_key_id)?;
    check_service(service)?;
    let date = date_of(timestamp)?;
    let signed = normalize_signed_headers(signed_headers.unwrap_or(&DEFAULT_SIGNED_HEADERS))?;
    let signed: Vec<&str> = signed.iter().map(String::as_str).collect();
    if signed.contains(&"authorization") {
        return Err(SignError::UnsignableHeader {
            name: "authorization".into(),
            reason: "it carries the signature itself",
        });
    }
    req.remove_header("authorization");
    let timestamp_text = timestamp.to_string();
    req.set_header(TIMESTAMP_HEADER, timestamp_text.as_str());
    match creds.security_token {
        Some(token) => {
            super::check_header_value(TOKEN_HEADER, token)?;
            req.set_header(TOKEN_HEADER, token);
        }
        None => req.remove_header(TOKEN_HEADER),
    }
    // `signed` is already lower-cased and sorted: no second normalisation.
    let canonical = canonical_request_of(req, &signed)?;
    let scope = credential_scope(&date, service);
    let to_sign = string_to_sign(&timestamp_text, &scope, &canonical);
    // kSigning, keyed: from the credentials' cache when they carry one (crate::keys).
    let key = keyed_for(
        creds.keys,
        creds.access_key_secret,
        KeyUse::Tc3 {
            date: &date,
            service,
        },
        || keyed_sha256(&signing_key(creds.access_key_secret, &date, service)),
    );
    let signature = hex::encode(finish_sha256(key, to_sign.as_bytes()));
    req.set_header(
        "Authorization",
        authorization(creds.access_key_id, &scope, &signed, &signature),
    );
    Ok(())
}

/// The service name of a Tencent Cloud API host: `cvm.tencentcloudapi.com` and
/// `cvm.ap-guangzhou.tencentcloudapi.com` (a port is allowed) give `cvm`. `None` for
/// other hosts.
pub fn service_from_host(host: &str) -> Option<&str> {
    let host = host.split_once(':').map_or(host, |(name, _)| name);
    let rest = host.strip_suffix(".tencentcloudapi.com")?;
    let service = rest.split('.').next()?;
    (!service.is_empty()).then_some(service)
}

/// The UTC date (`yyyy-mm-dd`) of a unix timestamp, as used in the credential scope.
pub fn date_of(timestamp: i64) -> Result<String, SignError> {
    let ts = jiff::Timestamp::from_second(timestamp)
        .map_err(|_| SignError::TimestampOutOfRange { seconds: timestamp })?;
    let date = jiff::tz::Offset::UTC.to_datetime(ts).date();
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    ))
}

/// `DATE/service/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/{TERMINATOR}")
}

/// The query string signed (and sent) for a GET request: pairs RFC 3986 encoded, sorted by
/// name then value, `name=value` joined by `&`.
pub fn canonical_query(query: &[(String, String)]) -> String {
    sorted_query(query)
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
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    canonical_request_of(req, &names)
}

/// The canonical request for signed header names already normalised (lower-case, sorted,
/// unique).
fn canonical_request_of(req: &SigningRequest, names: &[&str]) -> Result<String, SignError> {
    let query = if req.method.eq_ignore_ascii_case("GET") {
        canonical_query(&req.query)
    } else {
        String::new()
    };
    super::canonical_request_lines(req, &query, names, true, &sha256_hex(&req.body))
}

/// `TC3-HMAC-SHA256\n<timestamp>\n<credential scope>\n<hex sha256(canonical request)>`;
/// `timestamp` is the decimal unix time as sent in `X-TC-Timestamp`.
pub fn string_to_sign(timestamp: &str, credential_scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signing key: HMAC chain from `"TC3" + secret` over the date, the service and
/// `tc3_request`.
pub fn signing_key(secret: &str, date: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("TC3{secret}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, TERMINATOR.as_bytes())
}

/// `hex(HMAC-SHA256(signing_key, string_to_sign))`.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

/// The `Authorization` header value: `TC3-HMAC-SHA256 Credential=ID/scope,
/// SignedHeaders=a;b, Signature=hex`. The signed header names are written as given.
pub fn authorization(
    access_key_id: &str,
    credential_scope: &str,
    signed_headers: &[&str],
    signature: &str,
) -> String {
    format!(
        "{ALGORITHM} Credential={access_key_id}/{credential_scope}, SignedHeaders={}, Signature={signature}",
        signed_headers.join(";")
    )
}

/// The parts of a `TC3-HMAC-SHA256` `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The SecretId from `Credential=`.
    pub access_key_id: &'a str,
    /// The date (`yyyy-mm-dd`) of the credential scope.
    pub date: &'a str,
    /// The service of the credential scope.
    pub service: &'a str,
    /// The header names from `SignedHeaders=`, in the order written.
    pub signed_headers: Vec<&'a str>,
    /// The hex signature from `Signature=`.
    pub signature: &'a str,
}

/// Parses a `TC3-HMAC-SHA256 Credential=ID/DATE/service/tc3_request, SignedHeaders=..,
/// Signature=..` header value. Fields may come in any order, separated by `,` with
/// optional spaces; each must occur exactly once. `None` otherwise.
pub fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (credential, signed_headers, signature) = super::parse_credential_fields(rest)?;
    let mut parts = credential.split('/');
    let (access_key_id, date, service, terminator) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || terminator != TERMINATOR
        || [access_key_id, date, service, signature]
            .iter()
            .any(|s| s.is_empty())
    {
        return None;
    }
    Some(Authorization {
        access_key_id,
        date,
        service,
        signed_headers,
        signature,
    })
}

/// The signature a received request must carry, recomputed from its `X-TC-Timestamp`
/// header, the date, service and signed headers of its parsed `Authorization` header, and
/// the secret of `auth.access_key_id`.
///
/// Compare it with `auth.signature` using [`super::constant_time_eq`]. Checking that the
/// timestamp is recent and that `auth.date` is its UTC date ([`date_of`]) is the caller's job.
pub fn expected_signature(
    req: &SigningRequest,
    auth: &Authorization<'_>,
    secret: &str,
) -> Result<String, SignError> {
    let timestamp = req
        .header(TIMESTAMP_HEADER)
        .ok_or_else(|| SignError::MissingSignedHeader {
            name: TIMESTAMP_HEADER.to_owned(),
        })?;
    let canonical = canonical_request(req, &auth.signed_headers)?;
    let to_sign = string_to_sign(
        trim_header_value(timestamp),
        &credential_scope(auth.date, auth.service),
        &canonical,
    );
    Ok(signature(
        &signing_key(secret, auth.date, auth.service),
        &to_sign,
    ))
}

/// Checks that a service name can be part of the credential scope.
fn check_service(service: &str) -> Result<(), SignError> {
    let reason = if service.is_empty() {
        "it is empty"
    } else if !service
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        "only ASCII letters, digits, `-` and `_` are allowed"
    } else {
        return Ok(());
    };
    Err(SignError::InvalidService {
        service: service.to_owned(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constant_time_eq;
    use crate::test_support::{changed, header_value, query, with_shuffle};
    use proptest::prelude::*;

    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const OFFICIAL_BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const OFFICIAL_SIGNATURE: &str =
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";

    fn official_request() -> SigningRequest {
        let mut req = SigningRequest::new("POST", "cvm.tencentcloudapi.com", "/");
        req.set_header("Content-Type", "application/json; charset=utf-8");
        req.set_header("X-TC-Action", "DescribeInstances");
        req.set_header("X-TC-Version", "2017-03-12");
        req.set_header("X-TC-Region", "ap-guangzhou");
        req.body = OFFICIAL_BODY.as_bytes().to_vec();
        req
    }

    #[test]
    fn official_example() {
        let mut req = official_request();
        let creds = SigningCredentials::new(SECRET_ID, SECRET_KEY);
        sign(&mut req, &creds, "cvm", 1551113065, None).unwrap();
        assert_eq!(
            canonical_request(&req, &DEFAULT_SIGNED_HEADERS).unwrap(),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(date_of(1551113065).unwrap(), "2019-02-25");
        assert_eq!(req.header("X-TC-Timestamp"), Some("1551113065"));
        assert_eq!(req.header("X-TC-Token"), None);
        assert_eq!(
            req.header("authorization"),
            Some(
                format!(
                    "TC3-HMAC-SHA256 Credential={SECRET_ID}/2019-02-25/cvm/tc3_request, \
                     SignedHeaders=content-type;host, Signature={OFFICIAL_SIGNATURE}"
                )
                .as_str()
            )
        );
    }

    /// The official example, signed three times with one key cache (`crate::keys`): the first
    /// signature derives kSigning, the others reuse it, and all are the official one.
    #[test]
    fn official_example_with_cached_keys() {
        let keys = crate::SigningKeys::new();
        let creds = SigningCredentials::new(SECRET_ID, SECRET_KEY).with_keys(&keys);
        for _ in 0..3 {
            let mut req = official_request();
            sign(&mut req, &creds, "cvm", 1551113065, None).unwrap();
            let header = req.header("authorization").unwrap();
            assert_eq!(
                parse_authorization(header).unwrap().signature,
                OFFICIAL_SIGNATURE
            );
        }
        assert_eq!(
            keys.len(),
            1,
            "one key for the secret, the date and the service"
        );
        // Another day derives another key, and signs as an uncached signer does.
        let mut cached = official_request();
        sign(&mut cached, &creds, "cvm", 1551113065 + 86_400, None).unwrap();
        let mut uncached = official_request();
        let plain = SigningCredentials::new(SECRET_ID, SECRET_KEY);
        sign(&mut uncached, &plain, "cvm", 1551113065 + 86_400, None).unwrap();
        assert_eq!(
            cached.header("authorization"),
            uncached.header("authorization")
        );
        assert_eq!(keys.len(), 2);
    }

    #[test]
    fn official_example_intermediates() {
        let canonical = canonical_request(&official_request(), &["Host", "Content-Type"]).unwrap();
        let to_sign = string_to_sign(
            "1551113065",
            &credential_scope("2019-02-25", "cvm"),
            &canonical,
        );
        assert_eq!(
            to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signature(&signing_key(SECRET_KEY, "2019-02-25", "cvm"), &to_sign),
            OFFICIAL_SIGNATURE
        );
    }

    #[test]
    fn official_example_parse_and_recompute() {
        let mut req = official_request();
        sign(
            &mut req,
            &SigningCredentials::new(SECRET_ID, SECRET_KEY),
            "cvm",
            1551113065,
            None,
        )
        .unwrap();
        let header = req.header("authorization").unwrap().to_owned();
        let auth = parse_authorization(&header).unwrap();
        assert_eq!(
            auth,
            Authorization {
                access_key_id: SECRET_ID,
                date: "2019-02-25",
                service: "cvm",
                signed_headers: vec!["content-type", "host"],
                signature: OFFICIAL_SIGNATURE,
            }
        );
        assert_eq!(
            expected_signature(&req, &auth, SECRET_KEY).unwrap(),
            OFFICIAL_SIGNATURE
        );
        req.remove_header("x-tc-timestamp");
        assert_eq!(
            expected_signature(&req, &auth, SECRET_KEY),
            Err(SignError::MissingSignedHeader {
                name: "X-TC-Timestamp".into()
            })
        );
    }

    #[test]
    fn service_names_from_hosts() {
        assert_eq!(service_from_host("cvm.tencentcloudapi.com"), Some("cvm"));
        assert_eq!(
            service_from_host("cvm.ap-guangzhou.tencentcloudapi.com"),
            Some("cvm")
        );
        assert_eq!(
            service_from_host("cvm.tencentcloudapi.com:443"),
            Some("cvm")
        );
        assert_eq!(service_from_host("tencentcloudapi.com"), None);
        assert_eq!(service_from_host(".tencentcloudapi.com"), None);
        assert_eq!(service_from_host("cvm.example.com"), None);
    }

    #[test]
    fn token_custom_headers_and_get_query() {
        let mut req = SigningRequest::new("GET", "cvm.tencentcloudapi.com", "/");
        req.set_header("Content-Type", "application/x-www-form-urlencoded");
        req.set_header("X-TC-Action", "DescribeImages");
        req.query = vec![
            ("ImageIds.0".into(), "img-1 *~".into()),
            ("Limit".into(), "1".into()),
        ];
        let creds = SigningCredentials::new("id", "key").with_security_token("tok");
        sign(
            &mut req,
            &creds,
            "cvm",
            0,
            Some(&["x-tc-action", "Host", "content-type"]),
        )
        .unwrap();
        assert_eq!(req.header("x-tc-token"), Some("tok"));
        assert_eq!(
            canonical_query(&req.query),
            "ImageIds.0=img-1%20%2A~&Limit=1"
        );
        let canonical = canonical_request(&req, &["content-type", "host", "x-tc-action"]).unwrap();
        assert!(
            canonical.starts_with(
                "GET\n/\nImageIds.0=img-1%20%2A~&Limit=1\ncontent-type:application/x-www-form-urlencoded\n\
                 host:cvm.tencentcloudapi.com\nx-tc-action:describeimages\n\ncontent-type;host;x-tc-action\n"
            ),
            "{canonical}"
        );
        let header = req.header("authorization").unwrap().to_owned();
        assert!(header.contains("Credential=id/1970-01-01/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, "));
        let auth = parse_authorization(&header).unwrap();
        assert!(constant_time_eq(
            &expected_signature(&req, &auth, "key").unwrap(),
            auth.signature
        ));
        sign(
            &mut req,
            &SigningCredentials::new("id", "key"),
            "cvm",
            0,
            None,
        )
        .unwrap();
        assert_eq!(req.header("x-tc-token"), None);
    }

    #[test]
    fn errors() {
        let mut req = official_request();
        let creds = SigningCredentials::new(SECRET_ID, SECRET_KEY);
        assert_eq!(
            sign(&mut req, &creds, "cvm", 0, Some(&["host", "x-tc-missing"])),
            Err(SignError::MissingSignedHeader {
                name: "x-tc-missing".into()
            })
        );
        assert_eq!(
            sign(&mut req, &creds, "cvm", 0, Some(&[])),
            Err(SignError::NoSignedHeaders)
        );
        assert!(matches!(
            sign(&mut req, &creds, "cvm", 0, Some(&["Authorization"])),
            Err(SignError::UnsignableHeader { .. })
        ));
        assert!(matches!(
            sign(&mut req, &creds, "c/vm", 0, None),
            Err(SignError::InvalidService { .. })
        ));
        assert!(matches!(
            sign(&mut req, &creds, "", 0, None),
            Err(SignError::InvalidService { .. })
        ));
        assert_eq!(
            sign(&mut req, &creds, "cvm", i64::MAX, None),
            Err(SignError::TimestampOutOfRange { seconds: i64::MAX })
        );
        req.remove_header("content-type");
        assert_eq!(
            sign(&mut req, &creds, "cvm", 0, None),
            Err(SignError::MissingSignedHeader {
                name: "content-type".into()
            })
        );
    }

    #[test]
    fn parse_authorization_rejects_malformed_values() {
        let ok = "TC3-HMAC-SHA256 Credential=id/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=ab";
        assert!(parse_authorization(ok).is_some());
        assert!(parse_authorization(&ok.replace("tc3_request", "tc4_request")).is_none());
        assert!(parse_authorization(&ok.replace("/cvm/", "/cvm/x/")).is_none());
        assert!(parse_authorization(&ok.replace("/cvm/", "//")).is_none());
        assert!(parse_authorization(&ok.replace("Signature=ab", "Signature=")).is_none());
        assert!(parse_authorization(&ok.replace(", Signature=ab", "")).is_none());
        assert!(parse_authorization(&ok.replace("TC3-", "TC2-")).is_none());
    }

    /// A GET or POST request to CVM with a content type, extra X-TC-* headers and a body.
    fn request() -> impl Strategy<Value = SigningRequest> {
        (
            prop::sample::select(vec!["GET", "POST"]),
            "/[a-z0-9 é*~/-]{0,8}",
            query(),
            header_value(),
            prop::collection::vec(any::<u8>(), 0..32),
        )
            .prop_map(|(method, path, query, content_type, body)| {
                let mut req = SigningRequest {
                    method: method.into(),
                    host: "cvm.tencentcloudapi.com".into(),
                    path,
                    query,
                    body,
                    ..SigningRequest::default()
                };
                req.set_header("Content-Type", content_type);
                req.set_header("X-TC-Action", "DescribeImages");
                req
            })
    }

    fn signature_of(req: &SigningRequest, signed: Option<&[&str]>) -> String {
        let mut req = req.clone();
        sign(
            &mut req,
            &SigningCredentials::new("AKID", "KEY"),
            "cvm",
            1_700_000_000,
            signed,
        )
        .unwrap();
        let auth = req.header("authorization").unwrap();
        parse_authorization(auth).unwrap().signature.to_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn order_of_query_and_headers_does_not_matter(req in request(), (q, q2) in with_shuffle(query())) {
            let a = SigningRequest { method: "GET".into(), query: q, ..req.clone() };
            let mut b = SigningRequest { method: "GET".into(), query: q2, ..req };
            b.headers.reverse();
            let signed: &[&str] = &["content-type", "host", "x-tc-action"];
            prop_assert_eq!(signature_of(&a, Some(signed)), signature_of(&b, Some(signed)));
        }

        #[test]
        fn sign_parse_recompute_round_trip(req in request(), timestamp in 0i64..4_000_000_000, token in proptest::option::of("[A-Za-z0-9]{1,20}")) {
            let mut req = req;
            let creds = SigningCredentials { access_key_id: "AKID", access_key_secret: "KEY", security_token: token.as_deref(), keys: None };
            sign(&mut req, &creds, "cvm", timestamp, None).unwrap();
            let header = req.header("authorization").unwrap().to_owned();
            let auth = parse_authorization(&header).unwrap();
            prop_assert_eq!(auth.date, date_of(timestamp).unwrap());
            prop_assert_eq!(expected_signature(&req, &auth, "KEY").unwrap(), auth.signature);
            prop_assert_ne!(expected_signature(&req, &auth, "KEY2").unwrap(), auth.signature);
        }

        #[test]
        fn any_change_changes_the_signature(
            req in request(),
            what in 0u8..6,
            how in any::<u8>(),
            index in any::<prop::sample::Index>(),
        ) {
            let signed: &[&str] = &["content-type", "host", "x-tc-action"];
            // The query is signed for GET only (API 3.0 POST requests carry none).
            let req = if what == 3 { SigningRequest { method: "GET".into(), ..req } } else { req };
            let base = signature_of(&req, Some(signed));
            let mut other = req.clone();
            match what {
                0 => other.method = if req.method == "GET" { "POST".into() } else { "GET".into() },
                1 => other.path = changed(&req.path, how),
                2 => other.body.push(how),
                3 => {
                    prop_assume!(!req.query.is_empty());
                    let i = index.index(req.query.len());
                    other.query[i].1 = changed(&req.query[i].1, how);
                }
                4 => {
                    let value = trim_header_value(req.header("content-type").unwrap_or_default());
                    other.set_header("Content-Type", changed(value, how));
                }
                _ => other.host = changed(&req.host, how),
            }
            prop_assert_ne!(base, signature_of(&other, Some(signed)));
        }

        #[test]
        fn a_different_timestamp_or_service_changes_the_signature(req in request(), t in 0i64..4_000_000_000) {
            let sign_with = |service: &str, t: i64| {
                let mut r = req.clone();
                sign(&mut r, &SigningCredentials::new("AKID", "KEY"), service, t, None).unwrap();
                r.header("authorization").unwrap().to_owned()
            };
            let base = sign_with("cvm", t);
            prop_assert_ne!(&base, &sign_with("cvm", t + 1));
            prop_assert_ne!(&base, &sign_with("cbs", t));
        }
    }
}
