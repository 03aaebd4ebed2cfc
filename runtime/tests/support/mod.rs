//! Test operations (one per protocol, shaped like the documented APIs), a scripted test
//! transport, a log-capturing tracing subscriber and a one-shot HTTP server.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudspec_runtime::protocol::{HttpRequest, HttpResponse, HttpSend, SendFuture};
use cloudspec_runtime::{
    Endpoints, ListStyle, Operation, OperationMeta, ParamLocation, Protocol, Provider,
    ServiceError, ServiceMeta, TransportError, ValidationErrors, Validator, WireParam, WireValue,
};
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

pub const AK: &str = "AKID-visible-id";
pub const SK: &str = "SUPER-SECRET-sk-0123456789";
pub const TOKEN: &str = "SESSION-TOKEN-abcdef";

// --- Services --------------------------------------------------------------------------

pub static SWAS: ServiceMeta = ServiceMeta {
    provider: Provider::Alibaba,
    name: "swas",
    product_code: "swas-open",
    title: "Simple Application Server",
    api_version: "2020-06-01",
    protocol: Protocol::AlibabaRpc,
    endpoints: Endpoints {
        global: None,
        regional: Some("swas.{region}.aliyuncs.com"),
        regions: &[],
        vpc: None,
    },
    crate_name: "cloudspec-alibaba-swas",
    crate_version: "0.1.0",
};

pub static CVM: ServiceMeta = ServiceMeta {
    provider: Provider::Tencent,
    name: "cvm",
    product_code: "cvm",
    title: "Cloud Virtual Machine",
    api_version: "2017-03-12",
    protocol: Protocol::TencentApi3,
    endpoints: Endpoints {
        global: Some("cvm.tencentcloudapi.com"),
        regional: Some("cvm.{region}.tencentcloudapi.com"),
        regions: &[],
        vpc: None,
    },
    crate_name: "cloudspec-tencent-cvm",
    crate_version: "0.1.0",
};

pub static BCC: ServiceMeta = ServiceMeta {
    provider: Provider::Baidu,
    name: "bcc",
    product_code: "bcc",
    title: "Cloud Compute Service",
    api_version: "v2",
    protocol: Protocol::BaiduRest,
    endpoints: Endpoints {
        global: None,
        regional: Some("bcc.{region}.baidubce.com"),
        regions: &["bj", "gz"],
        vpc: None,
    },
    crate_name: "cloudspec-baidu-bcc",
    crate_version: "0.1.0",
};

/// The error type of every test operation: the service error as received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TestError(pub ServiceError);

impl From<ServiceError> for TestError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

/// The output of every test operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RequestIdOutput {
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

// --- SWAS DeleteCustomImages (Alibaba RPC, idempotency token) -------------------------------

pub static SWAS_DELETE_META: OperationMeta = OperationMeta {
    service: &SWAS,
    name: "DeleteCustomImages",
    action: Some("DeleteCustomImages"),
    api_version: SWAS.api_version,
    method: "GET",
    path: "/",
    response_headers: &[],
    text_body: None,
    idempotency_token: Some("ClientToken"),
    rate_limit_per_second: None,
    auth: cloudspec_runtime::Auth::Signed,
};

#[derive(Debug, Clone)]
pub struct SwasDeleteInput {
    pub region_id: String,
    pub image_ids: Vec<String>,
    pub client_token: Option<String>,
}

impl SwasDeleteInput {
    pub fn new(ids: &[&str]) -> Self {
        Self {
            region_id: "cn-hangzhou".into(),
            image_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
            client_token: None,
        }
    }
}

pub struct SwasDelete;

impl Operation for SwasDelete {
    type Input = SwasDeleteInput;
    type Output = RequestIdOutput;
    type Error = TestError;

    fn meta() -> &'static OperationMeta {
        &SWAS_DELETE_META
    }

    fn validate(input: &SwasDeleteInput) -> Result<(), ValidationErrors> {
        let mut validator = Validator::new("DeleteCustomImages");
        validator.items(
            "ImageIds",
            input.image_ids.len(),
            Some(1),
            Some(15),
            "up to 15 image IDs",
        );
        if let Some(token) = &input.client_token {
            validator.length(
                "ClientToken",
                token,
                None,
                Some(64),
                "cannot exceed 64 characters in length",
            );
        }
        validator.finish()
    }

    fn encode(input: &SwasDeleteInput) -> Vec<WireParam> {
        let mut params = vec![
            WireParam::new(
                "RegionId",
                ParamLocation::Query,
                WireValue::String(input.region_id.clone()),
            ),
            WireParam::new(
                "ImageIds",
                ParamLocation::Query,
                WireValue::List(input.image_ids.clone(), ListStyle::JsonInString),
            ),
        ];
        if let Some(token) = &input.client_token {
            params.push(WireParam::new(
                "ClientToken",
                ParamLocation::Query,
                WireValue::String(token.clone()),
            ));
        }
        params
    }
}

// --- CVM DeleteImages (Tencent API 3.0, 10 requests per second) -----------------------------

pub static CVM_DELETE_META: OperationMeta = OperationMeta {
    service: &CVM,
    name: "DeleteImages",
    action: Some("DeleteImages"),
    api_version: CVM.api_version,
    method: "POST",
    path: "/",
    response_headers: &[],
    text_body: None,
    idempotency_token: None,
    rate_limit_per_second: Some(10),
    auth: cloudspec_runtime::Auth::Signed,
};

#[derive(Debug, Clone)]
pub struct CvmDeleteInput {
    pub image_ids: Vec<String>,
    pub dry_run: Option<bool>,
    pub region: Option<String>,
}

pub struct CvmDelete;

impl Operation for CvmDelete {
    type Input = CvmDeleteInput;
    type Output = RequestIdOutput;
    type Error = TestError;

    fn meta() -> &'static OperationMeta {
        &CVM_DELETE_META
    }

    fn validate(_input: &CvmDeleteInput) -> Result<(), ValidationErrors> {
        Ok(())
    }

    fn encode(input: &CvmDeleteInput) -> Vec<WireParam> {
        let mut params = Vec::new();
        if let Some(region) = &input.region {
            params.push(WireParam::new(
                "Region",
                ParamLocation::Common,
                WireValue::String(region.clone()),
            ));
        }
        params.push(WireParam::new(
            "ImageIds",
            ParamLocation::Body,
            WireValue::List(input.image_ids.clone(), ListStyle::JsonArray),
        ));
        if let Some(dry_run) = input.dry_run {
            params.push(WireParam::new(
                "DryRun",
                ParamLocation::Body,
                WireValue::Bool(dry_run),
            ));
        }
        params
    }
}

// --- BCC DeleteImage (Baidu REST, header field in the output) -------------------------------

pub static BCC_DELETE_META: OperationMeta = OperationMeta {
    service: &BCC,
    name: "DeleteImage",
    action: None,
    api_version: BCC.api_version,
    method: "DELETE",
    path: "/v2/image/{imageId}",
    response_headers: &["x-bce-request-id"],
    text_body: None,
    idempotency_token: None,
    rate_limit_per_second: None,
    auth: cloudspec_runtime::Auth::Signed,
};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BccDeleteOutput {
    #[serde(rename = "x-bce-request-id", default)]
    pub request_id: Option<String>,
}

pub struct BccDelete;

impl Operation for BccDelete {
    type Input = String;
    type Output = BccDeleteOutput;
    type Error = TestError;

    fn meta() -> &'static OperationMeta {
        &BCC_DELETE_META
    }

    fn validate(_input: &String) -> Result<(), ValidationErrors> {
        Ok(())
    }

    fn encode(input: &String) -> Vec<WireParam> {
        vec![WireParam::new(
            "imageId",
            ParamLocation::Path,
            WireValue::String(input.clone()),
        )]
    }
}

// --- A scripted transport ------------------------------------------------------------------

/// One scripted answer.
#[derive(Debug)]
pub enum Step {
    /// Answer with this response.
    Respond(HttpResponse),
    /// Fail without a response.
    Fail(TransportError),
    /// Never answer (the attempt times out).
    Hang,
}

/// A transport that answers scripted steps in order (a 500 once the script is over) and
/// records every request with the (tokio) time it was sent.
#[derive(Debug, Default)]
pub struct Scripted {
    steps: Mutex<VecDeque<Step>>,
    requests: Mutex<Vec<(tokio::time::Instant, HttpRequest)>>,
}

impl Scripted {
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Arc<Self> {
        Arc::new(Self {
            steps: Mutex::new(steps.into_iter().collect()),
            requests: Mutex::default(),
        })
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|(_, request)| request.clone())
            .collect()
    }

    pub fn send_times(&self) -> Vec<tokio::time::Instant> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|(at, _)| *at)
            .collect()
    }
}

impl HttpSend for Scripted {
    fn send(&self, request: HttpRequest) -> SendFuture<'_> {
        self.requests
            .lock()
            .unwrap()
            .push((tokio::time::Instant::now(), request));
        let step = self
            .steps
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Step::Respond(HttpResponse::new(500, "script exhausted")));
        Box::pin(async move {
            match step {
                Step::Respond(response) => Ok(response),
                Step::Fail(error) => Err(error),
                Step::Hang => std::future::pending().await,
            }
        })
    }
}

pub fn respond(status: u16, body: &str) -> Step {
    Step::Respond(HttpResponse::new(status, body))
}

pub fn alibaba_error(status: u16, code: &str) -> Step {
    respond(
        status,
        &format!(
            r#"{{"RequestId":"req-{code}","HostId":"swas.cn-hangzhou.aliyuncs.com","Code":"{code}","Message":"message of {code}"}}"#
        ),
    )
}

pub fn tencent_error(code: &str) -> Step {
    respond(
        200,
        &format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"message of {code}"}},"RequestId":"req-{code}"}}}}"#
        ),
    )
}

pub fn timeout() -> Step {
    Step::Fail(TransportError::Timeout(Duration::from_millis(1)))
}

/// Tiny backoffs so retry tests stay fast.
pub fn fast_retry(max_attempts: u32) -> cloudspec_runtime::RetryConfig {
    cloudspec_runtime::RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
    }
}

// --- Log capture -------------------------------------------------------------------------------

/// A tracing subscriber that writes every span and event, with all fields, to a buffer.
#[derive(Debug, Default, Clone)]
pub struct Capture {
    pub lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    pub fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("event {}", event.metadata().level());
        event.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

// --- A one-shot HTTP server ------------------------------------------------------------------

/// A request as it arrived on the socket.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The request as the signers see it: path and query decoded, `Host` apart.
    pub fn signing_request(&self) -> cloudspec_runtime::sign::SigningRequest {
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8_lossy()
                .into_owned()
        };
        let (path, query) = self.target.split_once('?').unwrap_or((&self.target, ""));
        cloudspec_runtime::sign::SigningRequest {
            method: self.method.clone(),
            host: self.header("host").unwrap_or_default().to_owned(),
            path: decode(path),
            query: query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(name), decode(value))
                })
                .collect(),
            headers: self
                .headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
                .cloned()
                .collect(),
            body: self.body.clone(),
        }
    }
}

/// Binds 127.0.0.1 on a free port; serves one request with `response` (status line,
/// headers and body, `Connection: close`) and hands back what arrived.
pub async fn serve_once(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> (String, tokio::task::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut response = format!(
        "HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(body);
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let header_end = loop {
            let read = socket.read(&mut chunk).await.unwrap();
            assert!(read > 0, "the connection closed before the request ended");
            buffer.extend_from_slice(&chunk[..read]);
            if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break end;
            }
        };
        let head = String::from_utf8(buffer[..header_end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap().split(' ');
        let method = request_line.next().unwrap().to_owned();
        let target = request_line.next().unwrap().to_owned();
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap();
                (name.trim().to_owned(), value.trim().to_owned())
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, value)| value.parse().unwrap());
        let mut body = buffer[header_end + 4..].to_vec();
        while body.len() < length {
            let read = socket.read(&mut chunk).await.unwrap();
            assert!(read > 0, "the connection closed before the body ended");
            body.extend_from_slice(&chunk[..read]);
        }
        socket.write_all(response.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
        Received {
            method,
            target,
            headers,
            body,
        }
    });
    (format!("http://{address}"), handle)
}
