//! Shared helpers of the emulator's integration tests: fixture keys, a started emulator,
//! raw requests signed with the runtime's sign module, generated-client configs, and the
//! emulator's state read back over HTTP.
#![allow(dead_code)]

use std::time::Duration;

use cloudspec_emulator::{AccessKey, Emulator, Provider, RunningEmulator, State};
use cloudspec_runtime::sign::encode::{rfc3986, rfc3986_path};
use cloudspec_runtime::sign::{
    SigningCredentials, SigningRequest, alibaba_v1, alibaba_v3, baidu, tencent_tc3,
};
use cloudspec_runtime::{Config, Credentials, RetryConfig, Timeouts};
use serde_json::Value;

pub const ALI_KEY: &str = "emulator-alibaba-key";
pub const ALI_SECRET: &str = "emulator-alibaba-secret";
pub const ALI_ACCOUNT: &str = "1000000000000001";
pub const ALI_OTHER_KEY: &str = "emulator-alibaba-key-2";
pub const ALI_OTHER_SECRET: &str = "emulator-alibaba-secret-2";
pub const ALI_OTHER_ACCOUNT: &str = "1000000000000002";
pub const TC_KEY: &str = "emulator-tencent-key";
pub const TC_SECRET: &str = "emulator-tencent-secret";
pub const TC_ACCOUNT: &str = "100000000001";
pub const TC_OTHER_KEY: &str = "emulator-tencent-key-2";
pub const TC_OTHER_SECRET: &str = "emulator-tencent-secret-2";
pub const TC_OTHER_ACCOUNT: &str = "100000000002";
pub const BD_KEY: &str = "emulator-baidu-key";
pub const BD_SECRET: &str = "emulator-baidu-secret";
pub const BD_ACCOUNT: &str = "baidu-account-1";
pub const BD_OTHER_KEY: &str = "emulator-baidu-key-2";
pub const BD_OTHER_SECRET: &str = "emulator-baidu-secret-2";
pub const BD_OTHER_ACCOUNT: &str = "baidu-account-2";

/// A state with two keys per provider and nothing else.
pub fn keys() -> State {
    State::new()
        .with_access_key(AccessKey::new(
            Provider::Alibaba,
            ALI_KEY,
            ALI_SECRET,
            ALI_ACCOUNT,
        ))
        .with_access_key(AccessKey::new(
            Provider::Alibaba,
            ALI_OTHER_KEY,
            ALI_OTHER_SECRET,
            ALI_OTHER_ACCOUNT,
        ))
        .with_access_key(AccessKey::new(
            Provider::Tencent,
            TC_KEY,
            TC_SECRET,
            TC_ACCOUNT,
        ))
        .with_access_key(AccessKey::new(
            Provider::Tencent,
            TC_OTHER_KEY,
            TC_OTHER_SECRET,
            TC_OTHER_ACCOUNT,
        ))
        .with_access_key(AccessKey::new(
            Provider::Baidu,
            BD_KEY,
            BD_SECRET,
            BD_ACCOUNT,
        ))
        .with_access_key(AccessKey::new(
            Provider::Baidu,
            BD_OTHER_KEY,
            BD_OTHER_SECRET,
            BD_OTHER_ACCOUNT,
        ))
}

/// The registry's service `name` (its short name or command: `ecs`, `tencent-cvm`), as
/// the emulator's state names it.
pub fn svc(name: &str) -> cloudspec_emulator::Service {
    cloudspec_emulator::Service::named(name).expect("a service of the registry")
}

/// Starts an emulator on 127.0.0.1 with `state`.
pub async fn start(state: State) -> RunningEmulator {
    Emulator::builder()
        .state(state)
        .start()
        .await
        .expect("the emulator starts")
}

/// A generated-client config for the emulator: no retries, short timeouts.
pub fn config(emulator: &RunningEmulator, key: &str, secret: &str) -> Config {
    Config::new(Credentials::new(key, secret))
        .with_endpoint(emulator.endpoint())
        .with_retry(RetryConfig::disabled())
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(10),
            total: Duration::from_secs(20),
        })
}

/// A raw answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Alibaba: the `Code` of an error body.
    pub fn code(&self) -> String {
        self.json()["Code"].as_str().unwrap_or_default().to_owned()
    }

    /// Tencent: `Response.Error.Code`.
    pub fn tc_code(&self) -> Option<String> {
        self.json()["Response"]["Error"]["Code"]
            .as_str()
            .map(str::to_owned)
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

async fn send(builder: reqwest::RequestBuilder) -> Resp {
    let response = builder.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("a body");
    Resp {
        status,
        headers,
        body,
    }
}

fn encoded_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", rfc3986(n), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn nonce() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An Alibaba RPC request signed with V1 (`Action` and `Version` among `params`), sent as GET.
pub async fn alibaba_v1_at(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    params: &[(&str, &str)],
    at: jiff::Timestamp,
) -> Resp {
    let mut req = SigningRequest::new("GET", emulator.addr().to_string(), "/");
    req.query = owned(params);
    alibaba_v1::sign(
        &mut req,
        &SigningCredentials::new(key, secret),
        at,
        &nonce(),
    )
    .expect("signs");
    let url = format!("{}/?{}", emulator.endpoint(), encoded_query(&req.query));
    send(client().get(url)).await
}

/// An Alibaba RPC request signed with V1 and sent as aliyun-python-sdk-core sends it: POST,
/// parameters in the query, and `x-acs-action`/`x-acs-version` headers beside the query
/// signature (`aliyunsdkcore/request.py`, `RpcRequest.__init__`).
pub async fn alibaba_v1_with_acs_headers(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    action: &str,
    version: &str,
    params: &[(&str, &str)],
) -> Resp {
    let mut req = SigningRequest::new("POST", emulator.addr().to_string(), "/");
    req.query = owned(&[&[("Action", action), ("Version", version)], params].concat());
    alibaba_v1::sign(
        &mut req,
        &SigningCredentials::new(key, secret),
        jiff::Timestamp::now(),
        &nonce(),
    )
    .expect("signs");
    let url = format!("{}/?{}", emulator.endpoint(), encoded_query(&req.query));
    send(
        client()
            .post(url)
            .header("x-acs-action", action)
            .header("x-acs-version", version),
    )
    .await
}

/// [`alibaba_v1_at`] now.
pub async fn alibaba_v1(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    params: &[(&str, &str)],
) -> Resp {
    alibaba_v1_at(emulator, key, secret, params, jiff::Timestamp::now()).await
}

/// An Alibaba RPC request signed with V3: `action`/`version` headers, `params` in the query.
pub async fn alibaba_v3_at(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    action: &str,
    version: &str,
    params: &[(&str, &str)],
    at: jiff::Timestamp,
) -> Resp {
    let mut req = SigningRequest::new("POST", emulator.addr().to_string(), "/");
    req.query = owned(params);
    req.set_header("x-acs-action", action);
    req.set_header("x-acs-version", version);
    alibaba_v3::sign(
        &mut req,
        &SigningCredentials::new(key, secret),
        at,
        &nonce(),
    )
    .expect("signs");
    let url = format!("{}/?{}", emulator.endpoint(), encoded_query(&req.query));
    let mut builder = client().post(url);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    send(builder).await
}

/// [`alibaba_v3_at`] now.
pub async fn alibaba_v3(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    action: &str,
    version: &str,
    params: &[(&str, &str)],
) -> Resp {
    alibaba_v3_at(
        emulator,
        key,
        secret,
        action,
        version,
        params,
        jiff::Timestamp::now(),
    )
    .await
}

/// A Tencent API 3.0 POST with a JSON `body`, signed with TC3 at unix time `at`.
pub async fn tencent_post_at(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    body: &str,
    region: Option<&str>,
    at: i64,
) -> Resp {
    tencent_call(
        emulator,
        (key, secret),
        ("DeleteImages", "2017-03-12"),
        body,
        region,
        at,
    )
    .await
}

/// A Tencent API 3.0 POST of `action` at `version`, signed with TC3 at unix time `at`.
pub async fn tencent_call(
    emulator: &RunningEmulator,
    (key, secret): (&str, &str),
    (action, version): (&str, &str),
    body: &str,
    region: Option<&str>,
    at: i64,
) -> Resp {
    let mut req = SigningRequest::new("POST", emulator.addr().to_string(), "/");
    req.set_header("Content-Type", "application/json; charset=utf-8");
    req.set_header("X-TC-Action", action);
    req.set_header("X-TC-Version", version);
    if let Some(region) = region {
        req.set_header("X-TC-Region", region);
    }
    req.body = body.as_bytes().to_vec();
    tencent_tc3::sign(
        &mut req,
        &SigningCredentials::new(key, secret),
        "cvm",
        at,
        None,
    )
    .expect("signs");
    let mut builder = client()
        .post(format!("{}/", emulator.endpoint()))
        .body(body.to_owned());
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    send(builder).await
}

/// [`tencent_post_at`] now.
pub async fn tencent_post(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    body: &str,
    region: Option<&str>,
) -> Resp {
    tencent_post_at(
        emulator,
        key,
        secret,
        body,
        region,
        jiff::Timestamp::now().as_second(),
    )
    .await
}

/// A Tencent API 3.0 GET with the parameters in the query, signed with TC3 now.
pub async fn tencent_get(
    emulator: &RunningEmulator,
    key: &str,
    secret: &str,
    params: &[(&str, &str)],
) -> Resp {
    let mut req = SigningRequest::new("GET", emulator.addr().to_string(), "/");
    req.query = owned(params);
    req.set_header("Content-Type", "application/x-www-form-urlencoded");
    req.set_header("X-TC-Action", "DeleteImages");
    req.set_header("X-TC-Version", "2017-03-12");
    tencent_tc3::sign(
        &mut req,
        &SigningCredentials::new(key, secret),
        "cvm",
        jiff::Timestamp::now().as_second(),
        None,
    )
    .expect("signs");
    let url = format!(
        "{}/?{}",
        emulator.endpoint(),
        tencent_tc3::canonical_query(&req.query)
    );
    let mut builder = client().get(url);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    send(builder).await
}

/// A Baidu request (`method` on `path`, no body) signed with `bce-auth-v1` at `at`, valid
/// for `expires` seconds.
pub async fn baidu_at(
    emulator: &RunningEmulator,
    (key, secret): (&str, &str),
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    at: jiff::Timestamp,
    expires: u32,
) -> Resp {
    let mut req = SigningRequest::new(method, emulator.addr().to_string(), path);
    req.query = owned(query);
    baidu::sign(
        &mut req,
        &SigningCredentials::new(key, secret),
        at,
        expires,
        None,
    )
    .expect("signs");
    let mut url = format!("{}{}", emulator.endpoint(), rfc3986_path(path));
    if !req.query.is_empty() {
        url = format!("{url}?{}", encoded_query(&req.query));
    }
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let mut builder = client().request(method, url);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    send(builder).await
}

/// `DELETE /v2/image/{id}` signed now, valid 1800 s.
pub async fn baidu_delete(emulator: &RunningEmulator, key: &str, secret: &str, id: &str) -> Resp {
    baidu_at(
        emulator,
        (key, secret),
        "DELETE",
        &format!("/v2/image/{id}"),
        &[],
        jiff::Timestamp::now(),
        1800,
    )
    .await
}

/// An unsigned request to the emulator.
pub async fn raw(
    emulator: &RunningEmulator,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let mut builder = client()
        .request(method, format!("{}{path_and_query}", emulator.endpoint()))
        .body(body.to_owned());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    send(builder).await
}

/// `GET /_emulator/resources`, as JSON.
pub async fn images_json(emulator: &RunningEmulator) -> Value {
    let resp = raw(emulator, "GET", "/_emulator/resources", &[], "").await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

/// The IDs of the resources of `resource_type` whose service belongs to `provider`, in
/// `GET /_emulator/resources`.
async fn ids_of(
    emulator: &RunningEmulator,
    resource_type: &str,
    provider: Option<&str>,
) -> Vec<String> {
    images_json(emulator).await["resources"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|resource| resource["type"] == resource_type)
        .filter(|resource| {
            provider.is_none_or(|provider| {
                resource["service"]
                    .as_str()
                    .and_then(cloudspec_emulator::Service::named)
                    .is_some_and(|service| service.provider().as_str() == provider)
            })
        })
        .map(|resource| resource["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// The IDs of the images of `provider` in `GET /_emulator/resources`.
pub async fn image_ids(emulator: &RunningEmulator, provider: &str) -> Vec<String> {
    ids_of(emulator, "image", Some(provider)).await
}

/// The snapshot IDs in `GET /_emulator/resources`.
pub async fn snapshot_ids(emulator: &RunningEmulator) -> Vec<String> {
    ids_of(emulator, "snapshot", None).await
}

/// The service error of a failed call, or a panic that shows what came instead.
pub fn service_error<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, cloudspec_runtime::SdkError<E>>,
) -> E {
    match result {
        Err(cloudspec_runtime::SdkError::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}
