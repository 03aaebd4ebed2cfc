//! Alibaba Cloud RPC signature V1 (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`).
//!
//! Everything travels in the query string. The caller puts `Action`, `Version`, `Format`
//! and the API parameters in [`SigningRequest::query`]; [`sign`] adds `AccessKeyId`,
//! `SignatureMethod`, `SignatureVersion`, `SignatureNonce`, `Timestamp`, `SecurityToken`
//! (temporary credentials only) and finally `Signature`.
//!
//! ```text
//! CanonicalizedQuery = encode(name)=encode(value) for each pair, sorted by name, joined by &
//! StringToSign       = METHOD + "&" + encode("/") + "&" + encode(CanonicalizedQuery)
//! Signature          = base64(HMAC-SHA1(key = secret + "&", StringToSign))
//! ```
//!
//! The path and the body are not signed: RPC requests go to `/` and carry no body.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::encode::{rfc3986, sorted_query};
use super::{SignError, SigningCredentials, SigningRequest, constant_time_eq, hmac_sha1};

/// Value of the `SignatureMethod` parameter.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// Value of the `SignatureVersion` parameter.
pub const SIGNATURE_VERSION: &str = "1.0";
/// Name of the query parameter that carries the signature.
pub const SIGNATURE_PARAM: &str = "Signature";

/// The parameters [`sign`] sets (replacing earlier values, so a request can be re-signed
/// for a retry).
const ADDED_PARAMS: [&str; 7] = [
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "SecurityToken",
    SIGNATURE_PARAM,
];

/// Signs `req` in place: adds `AccessKeyId`, `SignatureMethod=HMAC-SHA1`,
/// `SignatureVersion=1.0`, `SignatureNonce=nonce`, `Timestamp` (`yyyy-MM-ddTHH:mm:ssZ`,
/// UTC, whole seconds), `SecurityToken` when the credentials have one, then `Signature`.
///
/// Parameters of those names already in the query are replaced, so a request may be signed
/// again (with a new nonce and timestamp) before a retry. `Action`, `Version` and `Format`
/// must already be in the query.
pub fn sign(
    req: &mut SigningRequest,
    creds: &SigningCredentials<'_>,
    timestamp: jiff::Timestamp,
    nonce: &str,
) -> Result<(), SignError> {
    super::check_access_key_id(creds.access_key_id)?;
    for name in ADDED_PARAMS {
        req.remove_query_param(name);
    }
    let mut add = |name: &str, value: &str| req.query.push((name.to_owned(), value.to_owned()));
    add("AccessKeyId", creds.access_key_id);
    add("SignatureMethod", SIGNATURE_METHOD);
    add("SignatureVersion", SIGNATURE_VERSION);
    add("SignatureNonce", nonce);
    add("Timestamp", &super::iso8601_utc(timestamp));
    if let Some(token) = creds.security_token {
        add("SecurityToken", token);
    }
    let signature = expected_signature(&req.method, &req.query, creds.access_key_secret);
    req.query.push((SIGNATURE_PARAM.to_owned(), signature));
    Ok(())
}

/// Adds the common parameters of an RPC request sent unsigned (an operation the provider
/// authenticates by another parameter, such as AssumeRoleWithOIDC's `OIDCToken`):
/// `SignatureNonce` and `Timestamp`, and none of `AccessKeyId`, `SignatureMethod`,
/// `SignatureVersion`, `SecurityToken` and `Signature`. alibabacloud-tea-openapi 0.4.6 sends
/// exactly these for `auth_type == 'Anonymous'` (`alibabacloud_tea_openapi/client.py` lines
/// 214-245; docs/protocols.md, "Unsigned calls").
pub fn unsigned(req: &mut SigningRequest, timestamp: jiff::Timestamp, nonce: &str) {
    for name in ADDED_PARAMS {
        req.remove_query_param(name);
    }
    req.query
        .push(("SignatureNonce".to_owned(), nonce.to_owned()));
    req.query
        .push(("Timestamp".to_owned(), super::iso8601_utc(timestamp)));
}

/// The canonicalized query string: every pair as `encode(name)=encode(value)`, sorted by
/// name (then value) in byte order, joined by `&`. All pairs given are included.
pub fn canonicalized_query(query: &[(String, String)]) -> String {
    sorted_query(query)
}

/// `METHOD&%2F&` followed by the RFC 3986 encoding of [`canonicalized_query`].
pub fn string_to_sign(method: &str, query: &[(String, String)]) -> String {
    format!("{method}&%2F&{}", rfc3986(&canonicalized_query(query)))
}

/// `base64(HMAC-SHA1(key = secret + "&", string_to_sign))`.
pub fn signature(string_to_sign: &str, secret: &str) -> String {
    let key = format!("{secret}&");
    BASE64.encode(hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()))
}

/// The signature a request with this method and query (without the `Signature`
/// parameter) must carry: [`signature`] of [`string_to_sign`].
pub fn expected_signature(
    method: &str,
    query_without_signature: &[(String, String)],
    secret: &str,
) -> String {
    signature(&string_to_sign(method, query_without_signature), secret)
}

/// Checks a received request: `query` is its whole query, `Signature` included.
///
/// True when there is exactly one `Signature` parameter and it equals the
/// [`expected_signature`] of the other parameters (compared in constant time). Looking up
/// the secret by `AccessKeyId` and checking `Timestamp` and nonce reuse are the caller's job.
pub fn verify(method: &str, query: &[(String, String)], secret: &str) -> bool {
    let (signatures, rest): (Vec<_>, Vec<_>) = query
        .iter()
        .cloned()
        .partition(|(n, _)| n == SIGNATURE_PARAM);
    match signatures.as_slice() {
        [(_, received)] => constant_time_eq(received, &expected_signature(method, &rest, secret)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{changed, query, with_shuffle};
    use proptest::prelude::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn official_query() -> Vec<(String, String)> {
        pairs(&[
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("Version", "2014-05-26"),
            ("AccessKeyId", "testid"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
        ])
    }

    #[test]
    fn official_example_intermediates() {
        let q = official_query();
        assert_eq!(
            canonicalized_query(&q),
            "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
             &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
        );
        assert_eq!(
            string_to_sign("GET", &q),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            expected_signature("GET", &q, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn official_example_through_sign() {
        let mut req = SigningRequest::new("GET", "ecs.aliyuncs.com", "/");
        req.query = pairs(&[
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("Version", "2014-05-26"),
        ]);
        let creds = SigningCredentials::new("testid", "testsecret");
        let ts: jiff::Timestamp = "2016-02-23T12:46:24Z".parse().unwrap();
        sign(&mut req, &creds, ts, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf").unwrap();
        assert_eq!(
            req.query_param("Signature"),
            Some("OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        );
        assert_eq!(req.query_param("Timestamp"), Some("2016-02-23T12:46:24Z"));
        assert_eq!(req.query_param("SignatureMethod"), Some("HMAC-SHA1"));
        assert_eq!(req.query_param("SignatureVersion"), Some("1.0"));
        assert_eq!(req.query_param("AccessKeyId"), Some("testid"));
        assert_eq!(req.query_param("SecurityToken"), None);
        assert_eq!(req.query.len(), 9);
        assert!(verify("GET", &req.query, "testsecret"));
        assert!(!verify("POST", &req.query, "testsecret"));
        assert!(!verify("GET", &req.query, "othersecret"));
    }

    #[test]
    fn resigning_replaces_parameters_and_adds_token() {
        let mut req = SigningRequest::new("POST", "ecs.aliyuncs.com", "/");
        req.query = pairs(&[("Action", "DescribeRegions"), ("Version", "2014-05-26")]);
        let creds = SigningCredentials::new("id", "secret").with_security_token("sts-token");
        sign(&mut req, &creds, jiff::Timestamp::UNIX_EPOCH, "n1").unwrap();
        let first = req.query_param("Signature").map(str::to_owned);
        sign(&mut req, &creds, jiff::Timestamp::UNIX_EPOCH, "n2").unwrap();
        assert_eq!(
            req.query.iter().filter(|(n, _)| n == "Signature").count(),
            1
        );
        assert_eq!(
            req.query
                .iter()
                .filter(|(n, _)| n == "SignatureNonce")
                .count(),
            1
        );
        assert_eq!(req.query_param("SignatureNonce"), Some("n2"));
        assert_eq!(req.query_param("SecurityToken"), Some("sts-token"));
        assert_ne!(req.query_param("Signature").map(str::to_owned), first);
        assert!(verify("POST", &req.query, "secret"));
    }

    #[test]
    fn verify_rejects_missing_or_repeated_signature() {
        let q = official_query();
        assert!(!verify("GET", &q, "testsecret"));
        let mut twice = q.clone();
        twice.push(("Signature".into(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".into()));
        assert!(verify("GET", &twice, "testsecret"));
        twice.push(("Signature".into(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".into()));
        assert!(!verify("GET", &twice, "testsecret"));
    }

    #[test]
    fn empty_access_key_id_is_an_error() {
        let mut req = SigningRequest::new("GET", "h", "/");
        let err = sign(
            &mut req,
            &SigningCredentials::new("", "s"),
            jiff::Timestamp::UNIX_EPOCH,
            "n",
        );
        assert!(matches!(err, Err(SignError::InvalidAccessKeyId { .. })));
    }

    #[test]
    fn reserved_characters_in_values() {
        let q = pairs(&[("A", "a b*c~é")]);
        assert_eq!(canonicalized_query(&q), "A=a%20b%2Ac~%C3%A9");
        assert_eq!(
            string_to_sign("GET", &q),
            "GET&%2F&A%3Da%2520b%252Ac~%25C3%25A9"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn query_order_does_not_matter((q, shuffled) in with_shuffle(query()), secret in "[ -~]{0,20}") {
            prop_assert_eq!(expected_signature("GET", &q, &secret), expected_signature("GET", &shuffled, &secret));
        }

        #[test]
        fn sign_then_verify(q in query(), nonce in "[a-f0-9-]{1,36}", secs in 0i64..4_000_000_000) {
            let mut req = SigningRequest { method: "POST".into(), query: q, ..SigningRequest::default() };
            let ts = jiff::Timestamp::from_second(secs).unwrap();
            sign(&mut req, &SigningCredentials::new("AK", "SK"), ts, &nonce).unwrap();
            prop_assert!(verify("POST", &req.query, "SK"));
            prop_assert!(!verify("GET", &req.query, "SK"));
        }

        #[test]
        fn any_change_of_a_parameter_changes_the_signature(q in query(), index in any::<prop::sample::Index>(), how in any::<u8>(), name_not_value in any::<bool>()) {
            prop_assume!(!q.is_empty());
            let base = expected_signature("GET", &q, "secret");
            let i = index.index(q.len());
            let mut other = q.clone();
            if name_not_value {
                other[i].0 = changed(&q[i].0, how);
                prop_assume!(!q.iter().any(|(n, _)| *n == other[i].0));
            } else {
                other[i].1 = changed(&q[i].1, how);
            }
            prop_assert_ne!(base, expected_signature("GET", &other, "secret"));
        }

        #[test]
        fn adding_or_removing_a_parameter_changes_the_signature(q in query()) {
            prop_assume!(!q.is_empty());
            let base = expected_signature("GET", &q, "secret");
            prop_assert_ne!(&base, &expected_signature("GET", &q[1..], "secret"));
            let mut more = q.clone();
            more.push(("Extra".into(), String::new()));
            prop_assert_ne!(&base, &expected_signature("GET", &more, "secret"));
        }

        #[test]
        fn method_changes_the_signature(q in query(), m in prop::sample::select(vec!["POST", "PUT", "DELETE", "get"])) {
            prop_assert_ne!(expected_signature("GET", &q, "s"), expected_signature(m, &q, "s"));
        }
    }
}
