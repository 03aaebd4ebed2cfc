//! `cloudspec sign`: sign an arbitrary request and print it, the way awscurl does for AWS.

use clap::{Args, ValueEnum};
use cloudspec_sign::{self as sign, SigningCredentials, SigningRequest, encode};
use serde_json::{Map, Value, json};

/// Which signature scheme to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheme {
    /// Alibaba Cloud RPC signature V1 (HMAC-SHA1 in the query).
    #[value(name = "alibaba-v1")]
    AlibabaV1,
    /// Alibaba Cloud ACS3-HMAC-SHA256.
    #[value(name = "alibaba-v3")]
    AlibabaV3,
    /// Tencent Cloud TC3-HMAC-SHA256.
    #[value(name = "tencent-tc3")]
    TencentTc3,
    /// Baidu AI Cloud bce-auth-v1.
    #[value(name = "baidu-v1")]
    BaiduV1,
}

/// Sign an arbitrary request and print it as JSON (or `--send` it).
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// Signature scheme.
    #[arg(long, value_enum)]
    pub scheme: Scheme,
    /// HTTP method.
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// Absolute URL, query included (parameters are taken unencoded from it).
    #[arg(long)]
    pub url: String,
    /// A header to send, `Name: value` (repeatable).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// The request body.
    #[arg(long)]
    pub body: Option<String>,
    /// Access key id.
    #[arg(long)]
    pub access_key_id: String,
    /// Access key secret.
    #[arg(long)]
    pub access_key_secret: String,
    /// Security (session) token.
    #[arg(long)]
    pub security_token: Option<String>,
    /// Signing time: RFC 3339 (`2023-10-26T10:22:32Z`) or unix seconds. Default: now.
    #[arg(long)]
    pub time: Option<String>,
    /// Nonce for the Alibaba schemes. Default: a random UUID.
    #[arg(long)]
    pub nonce: Option<String>,
    /// Headers to sign, `a;b` (TC3 and bce-auth-v1). Default: what the scheme's
    /// documentation names.
    #[arg(long)]
    pub signed_headers: Option<String>,
    /// Validity of a bce-auth-v1 signature in seconds.
    #[arg(long, default_value_t = 1800)]
    pub expires: u32,
    /// Send the signed request and print the response instead. Redirects are not followed
    /// (a 3xx is printed and exits 3) and the answer is read up to 10 MiB.
    #[arg(long)]
    pub send: bool,
    /// With `--send`: give up after this many seconds (connecting, sending and reading
    /// the answer), 1 to 31536000.
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=crate::call::MAX_TIMEOUT_SECONDS))]
    pub timeout: u64,
}

/// Why a request cannot be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignCommandError {
    /// The URL does not parse or has no host.
    #[error("invalid --url `{0}`: {1}")]
    Url(String, String),
    /// A `--header` is not `Name: value`.
    #[error("invalid --header `{0}`: expected `Name: value`")]
    Header(String),
    /// `--time` is neither RFC 3339 nor unix seconds.
    #[error("invalid --time `{0}`: use RFC 3339 (2023-10-26T10:22:32Z) or unix seconds")]
    Time(String),
    /// TC3 needs the service name, taken from a `*.tencentcloudapi.com` host.
    #[error(
        "cannot tell the Tencent service from host `{0}`: use a host like cvm.tencentcloudapi.com"
    )]
    TencentService(String),
    /// The scheme refused the request.
    #[error(transparent)]
    Sign(#[from] sign::SignError),
}

/// A signed request, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Method.
    pub method: String,
    /// URL with the final query.
    pub url: String,
    /// Every header, `Host` included.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl SignedRequest {
    /// The JSON form `{"method", "url", "headers": {...}}`.
    pub fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        json!({ "method": self.method, "url": self.url, "headers": headers })
    }
}

/// Signs the request described by `args` (without sending it).
pub fn sign_request(args: &SignArgs) -> Result<SignedRequest, SignCommandError> {
    let url = url::Url::parse(&args.url)
        .map_err(|error| SignCommandError::Url(args.url.clone(), error.to_string()))?;
    let host_name = url
        .host_str()
        .ok_or_else(|| SignCommandError::Url(args.url.clone(), "no host".to_owned()))?;
    let host = match url.port() {
        Some(port) => format!("{host_name}:{port}"),
        None => host_name.to_owned(),
    };
    let path = percent_encoding::percent_decode_str(url.path())
        .decode_utf8_lossy()
        .into_owned();
    let mut request = SigningRequest::new(args.method.to_uppercase(), host.clone(), path);
    request.query = url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    for header in &args.headers {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| SignCommandError::Header(header.clone()))?;
        if name.trim().eq_ignore_ascii_case("host") {
            continue;
        }
        request
            .headers
            .push((name.trim().to_owned(), value.trim().to_owned()));
    }
    request.body = args.body.clone().unwrap_or_default().into_bytes();
    let time = parse_time(args.time.as_deref())?;
    let nonce = args
        .nonce
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let mut credentials = SigningCredentials::new(&args.access_key_id, &args.access_key_secret);
    if let Some(token) = &args.security_token {
        credentials = credentials.with_security_token(token);
    }
    let signed_headers: Option<Vec<&str>> = args.signed_headers.as_deref().map(|list| {
        list.split(';')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .collect()
    });
    match args.scheme {
        Scheme::AlibabaV1 => sign::alibaba_v1::sign(&mut request, &credentials, time, &nonce)?,
        Scheme::AlibabaV3 => sign::alibaba_v3::sign(&mut request, &credentials, time, &nonce)?,
        Scheme::TencentTc3 => {
            let service = sign::tencent_tc3::service_from_host(&host)
                .ok_or_else(|| SignCommandError::TencentService(host.clone()))?;
            sign::tencent_tc3::sign(
                &mut request,
                &credentials,
                service,
                time.as_second(),
                signed_headers.as_deref(),
            )?;
        }
        Scheme::BaiduV1 => sign::baidu::sign(
            &mut request,
            &credentials,
            time,
            args.expires,
            signed_headers.as_deref(),
        )?,
    }
    let mut full_url = format!(
        "{}://{}{}",
        url.scheme(),
        host,
        encode::rfc3986_path(&request.path)
    );
    if !request.query.is_empty() {
        let query: Vec<String> = request
            .query
            .iter()
            .map(|(name, value)| format!("{}={}", encode::rfc3986(name), encode::rfc3986(value)))
            .collect();
        full_url.push('?');
        full_url.push_str(&query.join("&"));
    }
    let mut headers = vec![("Host".to_owned(), host)];
    headers.extend(request.headers.iter().cloned());
    Ok(SignedRequest {
        method: request.method,
        url: full_url,
        headers,
        body: request.body,
    })
}

fn parse_time(text: Option<&str>) -> Result<jiff::Timestamp, SignCommandError> {
    let Some(text) = text else {
        return Ok(jiff::Timestamp::now());
    };
    if let Ok(seconds) = text.parse::<i64>() {
        return jiff::Timestamp::from_second(seconds)
            .map_err(|_| SignCommandError::Time(text.to_owned()));
    }
    text.parse::<jiff::Timestamp>()
        .map_err(|_| SignCommandError::Time(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(scheme: Scheme, method: &str, url: &str) -> SignArgs {
        SignArgs {
            scheme,
            method: method.to_owned(),
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
            access_key_id: "testid".to_owned(),
            access_key_secret: "testsecret".to_owned(),
            security_token: None,
            time: None,
            nonce: None,
            signed_headers: None,
            expires: 1800,
            send: false,
            timeout: 30,
        }
    }

    /// docs/protocols.md "Official worked examples", Alibaba V1: the signature of the documented
    /// DescribeRegions request.
    #[test]
    fn alibaba_v1_official_example_through_the_command() {
        let mut args = args(
            Scheme::AlibabaV1,
            "GET",
            "http://ecs.aliyuncs.com/?Action=DescribeRegions&Format=XML&Version=2014-05-26",
        );
        args.time = Some("2016-02-23T12:46:24Z".to_owned());
        args.nonce = Some("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf".to_owned());
        let signed = sign_request(&args).expect("signs");
        let url = url::Url::parse(&signed.url).expect("url");
        let signature = url
            .query_pairs()
            .find(|(name, _)| name == "Signature")
            .map(|(_, value)| value.into_owned());
        assert_eq!(signature.as_deref(), Some("OLeaidS1JvxuMvnyHOwuJ+uX5qY="));
    }

    /// docs/protocols.md "Official worked examples", Alibaba V3 (RunInstances).
    #[test]
    fn alibaba_v3_official_example_through_the_command() {
        let mut args = args(
            Scheme::AlibabaV3,
            "POST",
            "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        );
        args.headers = vec![
            "x-acs-action: RunInstances".to_owned(),
            "x-acs-version: 2014-05-26".to_owned(),
        ];
        args.access_key_id = "YourAccessKeyId".to_owned();
        args.access_key_secret = "YourAccessKeySecret".to_owned();
        args.time = Some("2023-10-26T10:22:32Z".to_owned());
        args.nonce = Some("3156853299f313e23d1673dc12e1703d".to_owned());
        let signed = sign_request(&args).expect("signs");
        let authorization = signed
            .headers
            .iter()
            .find(|(name, _)| name == "Authorization")
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        assert!(
            authorization.ends_with(
                "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
            ),
            "{authorization}"
        );
    }

    /// docs/protocols.md "Official worked examples", Tencent TC3; the service comes from the host.
    #[test]
    fn tencent_official_example_through_the_command() {
        let mut args = args(
            Scheme::TencentTc3,
            "POST",
            "https://cvm.tencentcloudapi.com/",
        );
        args.headers = vec!["Content-Type: application/json; charset=utf-8".to_owned()];
        args.body = Some(r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#.to_owned());
        args.access_key_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".to_owned();
        args.access_key_secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".to_owned();
        args.time = Some("1551113065".to_owned());
        let json = sign_request(&args).expect("signs").to_json();
        let authorization = json["headers"]["Authorization"]
            .as_str()
            .unwrap_or_default();
        assert!(
            authorization.contains(
                "Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request"
            ),
            "{authorization}"
        );
        assert!(
            authorization.ends_with(
                "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
            ),
            "{authorization}"
        );
        assert_eq!(json["headers"]["X-TC-Timestamp"], "1551113065");
    }

    /// docs/protocols.md "Official worked examples", Baidu bce-auth-v1 with the documented headers.
    #[test]
    fn baidu_official_example_through_the_command() {
        let mut args = args(
            Scheme::BaiduV1,
            "PUT",
            "http://bj.bcebos.com/v1/test/myfolder/readme.txt?partNumber=9&uploadId=a44cc9bab11cbd156984767aad637851",
        );
        args.headers = vec![
            "Content-Type: text/plain".to_owned(),
            "Content-Length: 8".to_owned(),
            "Content-Md5: NFzcPqhviddjRNnSOGo4rw==".to_owned(),
            "x-bce-date: 2015-04-27T08:23:49Z".to_owned(),
        ];
        args.access_key_id = "a".repeat(32);
        args.access_key_secret = "b".repeat(32);
        args.time = Some("2015-04-27T08:23:49Z".to_owned());
        let signed = sign_request(&args).expect("signs");
        let authorization = signed
            .headers
            .iter()
            .find(|(name, _)| name == "Authorization")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        assert!(
            authorization
                .ends_with("/d74a04362e6a848f5b39b15421cb449427f419c95a480fd6b8cf9fc783e2999e"),
            "{authorization}"
        );
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(matches!(
            sign_request(&args(Scheme::AlibabaV1, "GET", "not a url")),
            Err(SignCommandError::Url(..))
        ));
        let mut bad_header = args(Scheme::AlibabaV3, "GET", "https://ecs.aliyuncs.com/");
        bad_header.headers = vec!["no colon".to_owned()];
        assert!(matches!(
            sign_request(&bad_header),
            Err(SignCommandError::Header(_))
        ));
        let mut bad_time = args(Scheme::AlibabaV3, "GET", "https://ecs.aliyuncs.com/");
        bad_time.time = Some("yesterday".to_owned());
        assert!(matches!(
            sign_request(&bad_time),
            Err(SignCommandError::Time(_))
        ));
        assert!(matches!(
            sign_request(&args(Scheme::TencentTc3, "POST", "https://example.com/")),
            Err(SignCommandError::TencentService(_))
        ));
    }
}
