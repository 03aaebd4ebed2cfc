//! Protocols: turning an operation's parameters into a signed HTTP request, and an HTTP
//! response into a success payload or a service error.
//!
//! Each provider's protocol is implemented once here; every API that speaks it shares it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::config::AlibabaSignature;
use crate::credentials::Credentials;
use crate::error::{ServiceError, TransportError};
use crate::meta::OperationMeta;
use crate::wire::WireParam;

/// An HTTP request ready to send: signed, with every header the protocol adds.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// The future a transport returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Something that sends HTTP requests: reqwest by default, or a test double.
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
    /// Credentials to sign with.
    pub credentials: &'a Credentials,
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

/// Builds the signed HTTP request for one attempt.
pub fn build_request(context: &RequestContext<'_>) -> Result<HttpRequest, BuildError> {
    let _ = context;
    Err(BuildError("protocol encoding is not implemented yet".to_owned()))
}

/// Reads a response for `meta`.
pub fn decode_response(meta: &OperationMeta, response: &HttpResponse) -> Decoded {
    let _ = meta;
    Decoded::Malformed { reason: "protocol decoding is not implemented yet".to_owned(), request_id: response.header("x-request-id").map(str::to_owned) }
}
