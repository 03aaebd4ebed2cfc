//! The canonical wire form of a request, for comparing what the generated client sends with
//! what an official SDK sends for the same input (the differential tier).
//!
//! The canonical form keeps what the protocol gives meaning to: the method, the path, every
//! parameter name and value (query and form body; Tencent's JSON body as JSON), and the
//! protocol's own headers (`x-acs-*`, `x-tc-*`, `x-bce-*`, `content-type`, the access key
//! id and scope of `Authorization`). It masks what must differ between two sends: time,
//! nonce and signature. Everything else (user agents, `accept`, connection headers) is the
//! HTTP library's, not the API's.
//!
//! Differences the specs explain are accepted ([`WireDifference`] in a spec `fact`); each
//! accepted difference is reported with the fact that explains it, and any other
//! difference is a failure.

use std::collections::BTreeMap;

use cloudspec_codegen::spec::model::{Fact, Protocol, WireDifference, WireDifferenceKind};
use serde_json::Value;

use crate::capture::Captured;

/// What the canonical form shows in place of a masked value.
pub const MASKED: &str = "<masked>";

/// A request in canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct WireForm {
    /// HTTP method, upper case.
    pub method: String,
    /// The decoded path.
    pub path: String,
    /// Parameters by name (query, form body), values in the order sent.
    pub params: BTreeMap<String, Vec<String>>,
    /// The JSON body, for protocols that send one.
    pub body: Option<Value>,
    /// Protocol headers by lower-case name, masked where they must differ.
    pub headers: BTreeMap<String, String>,
}

/// Alibaba V1 parameters that change on every send.
const ALIBABA_MASKED_PARAMS: &[&str] = &["Signature", "SignatureNonce", "Timestamp"];
/// Headers that change on every send.
const MASKED_HEADERS: &[&str] = &[
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-tc-timestamp",
    "x-bce-date",
];

impl WireForm {
    /// The canonical form of `captured`, sent over `protocol`. Parameters named in
    /// `json_params` hold JSON (a spec's `json-in-string` lists) and are compared as JSON:
    /// `["a","b"]` and `["a", "b"]` are the same list.
    pub fn of(captured: &Captured, protocol: Protocol, json_params: &[&str]) -> WireForm {
        let request = &captured.request;
        let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut pairs = request.query.clone();
        let content_type = request
            .header("content-type")
            .map(|value| value.to_ascii_lowercase())
            .unwrap_or_default();
        let mut body = None;
        if content_type.starts_with("application/x-www-form-urlencoded") {
            pairs.extend(
                url::form_urlencoded::parse(&request.body)
                    .map(|(name, value)| (name.into_owned(), value.into_owned())),
            );
        } else if !request.body.is_empty() {
            body = Some(serde_json::from_slice(&request.body).unwrap_or_else(|_| {
                Value::String(String::from_utf8_lossy(&request.body).into_owned())
            }));
        }
        for (name, value) in pairs {
            let value = if protocol == Protocol::AlibabaRpc
                && ALIBABA_MASKED_PARAMS.contains(&name.as_str())
            {
                MASKED.to_owned()
            } else if json_params.contains(&name.as_str()) {
                serde_json::from_str::<Value>(&value).map_or(value, |json| json.to_string())
            } else {
                value
            };
            params.entry(name).or_default().push(value);
        }
        let mut headers = BTreeMap::new();
        for (name, value) in &request.headers {
            let name = name.to_ascii_lowercase();
            // An instance-metadata operation's own headers are `x-` headers of its spec
            // (`X-aliyun-ecs-metadata-token`); the HTTP libraries add none.
            let protocol_header = name.starts_with("x-acs-")
                || name.starts_with("x-tc-")
                || name.starts_with("x-bce-")
                || name == "content-type"
                || (protocol == Protocol::InstanceMetadata && name.starts_with("x-"));
            if name == "authorization" {
                headers.insert(name, masked_authorization(value));
            } else if protocol_header {
                let value = if MASKED_HEADERS.contains(&name.as_str()) {
                    MASKED.to_owned()
                } else {
                    value.clone()
                };
                headers.insert(name, value);
            }
        }
        WireForm {
            method: request.method.to_ascii_uppercase(),
            path: request.path.clone(),
            params,
            body,
            headers,
        }
    }
}

/// The scheme and access key id of an `Authorization` value; time, scope date, signed
/// headers and signature masked (they differ between two sends or between two correct
/// signers: which headers a signer chooses to sign is its own business, checked by the
/// signer cross-check).
fn masked_authorization(value: &str) -> String {
    if let Some(rest) = value.strip_prefix("bce-auth-v1/") {
        let key = rest.split('/').next().unwrap_or_default();
        return format!("bce-auth-v1/{key}/{MASKED}");
    }
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let credential = rest
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Credential="))
        .unwrap_or_default();
    // TC3's credential is ID/DATE/SERVICE/tc3_request: the date is the send's.
    let mut parts: Vec<&str> = credential.split('/').collect();
    if parts.len() == 4 {
        parts[1] = MASKED;
    }
    format!("{scheme} Credential={}", parts.join("/"))
}

/// One difference between the generated client's form (`ours`) and an SDK's (`sdk`).
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// What differs: `method`, `path`, `body`, `parameter`, `header`.
    pub part: &'static str,
    /// The parameter or header name (empty for method, path and body).
    pub name: String,
    /// The generated client's value (`None`: it sent none).
    pub ours: Option<String>,
    /// The SDK's value (`None`: it sent none).
    pub sdk: Option<String>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".to_owned());
        write!(
            f,
            "{} {}: generated client {}, SDK {}",
            self.part,
            self.name,
            show(&self.ours),
            show(&self.sdk)
        )
    }
}

/// Every difference between two forms.
pub fn differences(ours: &WireForm, sdk: &WireForm) -> Vec<Difference> {
    let mut found = Vec::new();
    let mut single = |part: &'static str, a: &str, b: &str| {
        if a != b {
            found.push(Difference {
                part,
                name: String::new(),
                ours: Some(a.to_owned()),
                sdk: Some(b.to_owned()),
            });
        }
    };
    single("method", &ours.method, &sdk.method);
    single("path", &ours.path, &sdk.path);
    if ours.body != sdk.body {
        found.push(Difference {
            part: "body",
            name: String::new(),
            ours: ours.body.as_ref().map(Value::to_string),
            sdk: sdk.body.as_ref().map(Value::to_string),
        });
    }
    let joined = |values: Option<&Vec<String>>| values.map(|values| values.join("&"));
    for name in ours.params.keys().chain(sdk.params.keys()) {
        let (a, b) = (joined(ours.params.get(name)), joined(sdk.params.get(name)));
        if a != b
            && !found
                .iter()
                .any(|d| d.part == "parameter" && &d.name == name)
        {
            found.push(Difference {
                part: "parameter",
                name: name.clone(),
                ours: a,
                sdk: b,
            });
        }
    }
    for name in ours.headers.keys().chain(sdk.headers.keys()) {
        let (a, b) = (
            ours.headers.get(name).cloned(),
            sdk.headers.get(name).cloned(),
        );
        if a != b && !found.iter().any(|d| d.part == "header" && &d.name == name) {
            found.push(Difference {
                part: "header",
                name: name.clone(),
                ours: a,
                sdk: b,
            });
        }
    }
    found
}

/// Whether `allowance` explains `difference`.
fn explains(allowance: &WireDifference, difference: &Difference) -> bool {
    let name_matches = allowance
        .name
        .as_deref()
        .is_some_and(|name| name.eq_ignore_ascii_case(&difference.name));
    let value_matches = allowance
        .value
        .as_ref()
        .is_none_or(|value| difference.sdk.as_ref() == Some(value));
    match allowance.kind {
        WireDifferenceKind::Method => difference.part == "method",
        WireDifferenceKind::ExtraParameter => {
            difference.part == "parameter"
                && difference.ours.is_none()
                && name_matches
                && value_matches
        }
        WireDifferenceKind::GeneratedParameter => {
            difference.part == "parameter" && difference.sdk.is_none() && name_matches
        }
        WireDifferenceKind::ExtraHeader => {
            difference.part == "header"
                && difference.ours.is_none()
                && name_matches
                && value_matches
        }
        WireDifferenceKind::HeaderValue => {
            difference.part == "header"
                && difference.ours.is_some()
                && difference.sdk.is_some()
                && name_matches
                && value_matches
        }
        WireDifferenceKind::ParameterValue => {
            difference.part == "parameter"
                && difference.ours.is_some()
                && difference.sdk.is_some()
                && name_matches
                && value_matches
        }
        WireDifferenceKind::BooleanText => {
            difference.part == "parameter"
                && match (&difference.ours, &difference.sdk) {
                    (Some(ours), Some(sdk)) => {
                        ours.eq_ignore_ascii_case(sdk)
                            && matches!(ours.to_ascii_lowercase().as_str(), "true" | "false")
                    }
                    _ => false,
                }
        }
    }
}

/// The differences between `ours` and `sdk` that no fact explains for `family`, and the
/// explained ones with the id of the fact that explains each.
pub fn compare<'a>(
    ours: &WireForm,
    sdk: &WireForm,
    family: &str,
    facts: impl IntoIterator<Item = &'a Fact> + Clone,
) -> (Vec<Difference>, Vec<(Difference, String)>) {
    let mut unexplained = Vec::new();
    let mut explained = Vec::new();
    for difference in differences(ours, sdk) {
        let fact = facts.clone().into_iter().find(|fact| {
            fact.wire.iter().any(|allowance| {
                allowance.families.iter().any(|f| f == family) && explains(allowance, &difference)
            })
        });
        match fact {
            Some(fact) => explained.push((difference, fact.id.value.clone())),
            None => unexplained.push(difference),
        }
    }
    (unexplained, explained)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudspec_runtime::sign::SigningRequest;

    fn captured(method: &str, query: &[(&str, &str)], headers: &[(&str, &str)]) -> Captured {
        let mut request = SigningRequest::new(method, "127.0.0.1:1", "/");
        request.query = query
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        request.headers = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        Captured {
            request,
            target: "/".into(),
        }
    }

    fn fact(yaml: &str) -> Fact {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn time_nonce_and_signature_are_masked() {
        let a = captured(
            "GET",
            &[
                ("ImageId", "m-1"),
                ("Signature", "abc"),
                ("Timestamp", "t1"),
                ("SignatureNonce", "n1"),
            ],
            &[("user-agent", "ours")],
        );
        let b = captured(
            "GET",
            &[
                ("SignatureNonce", "n2"),
                ("Timestamp", "t2"),
                ("Signature", "xyz"),
                ("ImageId", "m-1"),
            ],
            &[("user-agent", "theirs")],
        );
        let (a, b) = (
            WireForm::of(&a, Protocol::AlibabaRpc, &[]),
            WireForm::of(&b, Protocol::AlibabaRpc, &[]),
        );
        assert_eq!(differences(&a, &b), vec![]);
        let tc3 = |date: &str, signature: &str| {
            masked_authorization(&format!(
                "TC3-HMAC-SHA256 Credential=AKID/{date}/cvm/tc3_request, SignedHeaders=content-type;host, Signature={signature}"
            ))
        };
        assert_eq!(tc3("2026-01-01", "aa"), tc3("2026-01-02", "bb"));
        assert_eq!(
            tc3("2026-01-01", "aa"),
            "TC3-HMAC-SHA256 Credential=AKID/<masked>/cvm/tc3_request"
        );
        assert_ne!(
            masked_authorization("bce-auth-v1/ak1/2026/1800//s"),
            masked_authorization("bce-auth-v1/ak2/2026/1800//s")
        );
    }

    #[test]
    fn json_in_string_parameters_compare_as_json() {
        let spaced = captured("POST", &[("ImageIds", "[\"m-1\", \"m-2\"]")], &[]);
        let compact = captured("GET", &[("ImageIds", "[\"m-1\",\"m-2\"]")], &[]);
        let as_json = |c: &Captured| WireForm::of(c, Protocol::AlibabaRpc, &["ImageIds"]).params;
        assert_eq!(as_json(&spaced), as_json(&compact));
        let as_text = |c: &Captured| WireForm::of(c, Protocol::AlibabaRpc, &[]).params;
        assert_ne!(as_text(&spaced), as_text(&compact));
    }

    #[test]
    fn a_value_difference_is_found_and_only_a_fact_of_the_family_explains_it() {
        let ours = WireForm::of(
            &captured("GET", &[("Force", "true")], &[]),
            Protocol::AlibabaRpc,
            &[],
        );
        let sdk = WireForm::of(
            &captured("POST", &[("Force", "True"), ("SignatureType", "")], &[]),
            Protocol::AlibabaRpc,
            &[],
        );
        assert_eq!(differences(&ours, &sdk).len(), 3);
        let facts = [
            fact("id: post\ntext: t\nsources: []\nwire: [{ families: [f], kind: method }]"),
            fact("id: bools\ntext: t\nsources: []\nwire: [{ families: [f], kind: boolean-text }]"),
            fact(
                "id: sigtype\ntext: t\nsources: []\nwire: [{ families: [f], kind: extra-parameter, name: SignatureType, value: '' }]",
            ),
        ];
        let (unexplained, explained) = compare(&ours, &sdk, "f", &facts);
        assert!(unexplained.is_empty(), "{unexplained:?}");
        let ids: Vec<&str> = explained.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["post", "bools", "sigtype"]);
        let (unexplained, _) = compare(&ours, &sdk, "another-family", &facts);
        assert_eq!(unexplained.len(), 3);
        // A boolean allowance does not explain another value.
        let sdk = WireForm::of(
            &captured("GET", &[("Force", "yes")], &[]),
            Protocol::AlibabaRpc,
            &[],
        );
        let (unexplained, _) = compare(&ours, &sdk, "f", &facts);
        assert_eq!(unexplained.len(), 1);
    }
}
