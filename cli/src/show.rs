//! `--show-request`: the signed request an operation would send, built and signed by the
//! runtime as for a real call and caught by a transport that keeps it instead of sending
//! it (nothing leaves the process), printed with its signature and tokens masked.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudspec_runtime::protocol::{HttpRequest, HttpSend, SendFuture};
use cloudspec_runtime::registry::OperationEntry;
use cloudspec_runtime::{Config, RetryConfig, TransportError};
use serde_json::Value;

use crate::call::{CallFailure, call};
use crate::text::{escape_controls, escape_controls_keep_lines};

/// What replaces a signature or a token.
pub const MASK: &str = "<masked>";

/// A transport that keeps the first request it is given and sends nothing.
#[derive(Debug, Default)]
struct Capture {
    request: Mutex<Option<HttpRequest>>,
}

impl HttpSend for Capture {
    fn send(&self, request: HttpRequest) -> SendFuture<'_> {
        if let Ok(mut kept) = self.request.lock() {
            kept.get_or_insert(request);
        }
        // The call then fails as if no answer came; with one attempt it is not retried.
        Box::pin(async { Err(TransportError::Timeout(Duration::ZERO)) })
    }
}

impl Capture {
    fn take(&self) -> Option<HttpRequest> {
        self.request.lock().ok().and_then(|mut kept| kept.take())
    }
}

/// The request `operation` would send with `config` and `input`, signed, without sending
/// it. The input is checked as for a call (a usage error sends nothing either way).
pub async fn request(
    operation: &OperationEntry,
    config: Config,
    input: Value,
) -> Result<HttpRequest, CallFailure> {
    let capture = Arc::new(Capture::default());
    let config = config
        .with_transport(capture.clone())
        .with_client_rate_limit(false)
        .with_retry(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        });
    let outcome = call(operation, config, input).await;
    match (outcome, capture.take()) {
        (Err(failure @ CallFailure::Invalid(_)), _) => Err(failure),
        (_, Some(request)) => Ok(request),
        (Err(failure), None) => Err(failure),
        (Ok(_), None) => Err(CallFailure::Other(
            "the request was not built (the client answered without sending)".to_owned(),
        )),
    }
}

/// `request` as an HTTP message: `METHOD URL`, one `Name: value` line per header, a blank
/// line and the body. Signatures (the `Signature` part of `Authorization`, the last part
/// of a bce-auth-v1 one, a V1 `Signature` query parameter) and tokens are masked; the
/// access key id stays.
pub fn render(request: &HttpRequest) -> String {
    let mut out = format!(
        "{} {}",
        escape_controls(&request.method),
        escape_controls(&masked_url(&request.url))
    );
    for (name, value) in &request.headers {
        out.push_str(&format!(
            "\n{}: {}",
            escape_controls(name),
            escape_controls(&masked_header(name, value))
        ));
    }
    if !request.body.is_empty() {
        out.push_str("\n\n");
        out.push_str(&escape_controls_keep_lines(&String::from_utf8_lossy(
            &request.body,
        )));
    }
    out
}

/// Whether a header or query parameter named `name` is a token or a signature, masked whole.
fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "signature"
        || lower == "securitytoken"
        || lower.ends_with("security-token")
        || lower.ends_with("-token")
        || lower.contains("secret")
}

fn masked_header(name: &str, value: &str) -> String {
    if name.eq_ignore_ascii_case("authorization") {
        masked_authorization(value)
    } else if is_secret_name(name) {
        MASK.to_owned()
    } else {
        value.to_owned()
    }
}

/// `Authorization` with its signature masked: `..., Signature=<masked>` for TC3 and
/// ACS3-HMAC-SHA256, `bce-auth-v1/.../<masked>` for Baidu; Tencent's unsigned `SKIP` as it
/// is (it holds no secret); anything else whole.
fn masked_authorization(value: &str) -> String {
    if value == cloudspec_runtime::sign::tencent_tc3::SKIP_AUTHORIZATION {
        return value.to_owned();
    }
    if let Some(start) = value.find("Signature=") {
        let signature = start + "Signature=".len();
        let end = value[signature..]
            .find([',', ' '])
            .map_or(value.len(), |offset| signature + offset);
        return format!("{}{MASK}{}", &value[..signature], &value[end..]);
    }
    if value.starts_with("bce-auth-v1/")
        && let Some((signed, _)) = value.rsplit_once('/')
    {
        return format!("{signed}/{MASK}");
    }
    MASK.to_owned()
}

/// `url` with the values of secret query parameters (V1 `Signature`, `SecurityToken`)
/// masked, and everything else as it is sent.
fn masked_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            if is_secret_name(&decoded) {
                format!("{name}={MASK}")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: &[(&str, &str)], body: &str) -> HttpRequest {
        HttpRequest {
            method: "POST".to_owned(),
            url: url.to_owned(),
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// docs/protocols.md "Official worked examples": the TC3 Authorization of the
    /// DescribeInstances example.
    #[test]
    fn tc3_signature_and_token_are_masked_and_the_key_id_stays() {
        let shown = render(&request(
            "https://cvm.tencentcloudapi.com/",
            &[
                ("Host", "cvm.tencentcloudapi.com"),
                (
                    "Authorization",
                    "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
                ),
                ("X-TC-Token", "session-token"),
            ],
            r#"{"Limit": 1}"#,
        ));
        assert_eq!(
            shown,
            "POST https://cvm.tencentcloudapi.com/\n\
             Host: cvm.tencentcloudapi.com\n\
             Authorization: TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=<masked>\n\
             X-TC-Token: <masked>\n\
             \n\
             {\"Limit\": 1}"
        );
    }

    /// docs/protocols.md: the Alibaba V3 example's Authorization, and V1's query signature.
    #[test]
    fn alibaba_signatures_are_masked() {
        assert_eq!(
            masked_authorization(
                "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
            ),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action,Signature=<masked>"
        );
        assert_eq!(
            masked_url(
                "http://ecs.aliyuncs.com/?Action=DescribeRegions&AccessKeyId=testid&SecurityToken=t&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
            ),
            "http://ecs.aliyuncs.com/?Action=DescribeRegions&AccessKeyId=testid&SecurityToken=<masked>&Signature=<masked>"
        );
        assert_eq!(masked_header("x-acs-security-token", "t"), MASK);
    }

    /// docs/protocols.md: the bce-auth-v1 example's signature is its last part.
    #[test]
    fn baidu_signature_is_masked() {
        assert_eq!(
            masked_authorization(
                "bce-auth-v1/aaaa/2015-04-27T08:23:49Z/1800/host;x-bce-date/d74a04362e6a848f5b39b15421cb449427f419c95a480fd6b8cf9fc783e2999e"
            ),
            "bce-auth-v1/aaaa/2015-04-27T08:23:49Z/1800/host;x-bce-date/<masked>"
        );
        assert_eq!(masked_header("x-bce-security-token", "t"), MASK);
        assert_eq!(masked_authorization("Bearer abc"), MASK);
    }
}
