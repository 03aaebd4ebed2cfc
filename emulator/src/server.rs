//! The HTTP side: accept connections, read each request whole, route it by protocol, apply
//! faults, answer (or drop the connection).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::engine::Shared;
use crate::errors::ApiError;
use crate::http::{Reply, Request, decode_path, parse_form};
use crate::protocol::{self, Call, Common};
use crate::state::{Fault, FaultKind};
use crate::{admin, call};

/// The largest request body read (1 MiB); larger requests get 413.
const MAX_BODY: usize = 1 << 20;

/// How long shutdown waits for open connections to finish their current request.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How long the emulator waits for a client. Defaults: 10 s for a request head (which is
/// also how long an idle keep-alive connection, or one that never sends anything, stays
/// open: the wait for the next head starts as soon as the last answer is written), 30 s for
/// a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionTimeouts {
    /// From waiting for a request (a new connection, or after an answer) to its complete
    /// head; then the connection is closed.
    pub header_read: Duration,
    /// From the head to the end of the body; then the request gets 408 and the
    /// connection is closed.
    pub body: Duration,
}

impl Default for ConnectionTimeouts {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            body: Duration::from_secs(30),
        }
    }
}

/// What a request gets.
pub(crate) enum Outcome {
    /// An answer.
    Reply(Reply),
    /// The connection is closed without an answer.
    Drop,
}

/// Returned to hyper to make it close the connection without answering.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until `shutdown` changes (or its sender is dropped), then lets open
/// connections finish their current request (bounded by [`SHUTDOWN_GRACE`]).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    timeouts: ConnectionTimeouts,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone(), shutdown.clone(), timeouts));
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drain).await.is_err() {
        connections.abort_all();
    }
}

async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    timeouts: ConnectionTimeouts,
) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req| handle(shared.clone(), req, timeouts.body));
    // hyper enforces the header-read timeout only with a timer.
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = shutdown.changed() => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

async fn handle(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
    body_timeout: Duration,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let started = std::time::Instant::now();
    let request = match read_request(req, body_timeout).await {
        Ok(request) => request,
        Err(reply) => return Ok(into_response(reply)),
    };
    let outcome = dispatch(&shared, &request).await;
    if shared.log_requests {
        let reply = match &outcome {
            Outcome::Reply(reply) => Some(reply),
            Outcome::Drop => None,
        };
        eprintln!("{}", crate::log::line(&request, reply, started.elapsed()));
    }
    match outcome {
        Outcome::Reply(reply) => Ok(into_response(reply)),
        Outcome::Drop => Err(Dropped),
    }
}

fn into_response(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(reply.body));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    response
}

async fn read_request(
    req: hyper::Request<Incoming>,
    body_timeout: Duration,
) -> Result<Request, Reply> {
    let (parts, body) = req.into_parts();
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let mut headers = Vec::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        if name == hyper::header::HOST {
            continue;
        }
        headers.push((
            name.as_str().to_owned(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        ));
    }
    let raw_path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(parse_form).unwrap_or_default();
    let body =
        match tokio::time::timeout(body_timeout, Limited::new(body, MAX_BODY).collect()).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Err(_) => {
                return Err(Reply::emulator_error(
                    408,
                    &format!("request body not received within {body_timeout:?}"),
                )
                .with_header("connection", "close".to_owned()));
            }
            Ok(Err(_)) => {
                return Err(Reply::emulator_error(
                    413,
                    "request body too large or unreadable (limit 1 MiB)",
                ));
            }
        };
    Ok(Request {
        method: parts.method.as_str().to_owned(),
        host,
        path: decode_path(&raw_path),
        raw_path,
        query,
        headers,
        body,
    })
}

/// Which protocol a request speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Admin,
    Metadata,
    Alibaba,
    Tencent,
    Baidu,
}

fn classify(req: &Request) -> Option<Family> {
    if req.raw_path == "/_emulator" || req.raw_path.starts_with("/_emulator/") {
        return Some(Family::Admin);
    }
    if protocol::metadata::serves_path(&req.path) {
        return Some(Family::Metadata);
    }
    let auth = req.header("authorization").unwrap_or("");
    if req.header("x-tc-action").is_some() || auth.starts_with("TC3-") {
        return Some(Family::Tencent);
    }
    if req.header("x-acs-action").is_some() || auth.starts_with("ACS3-") {
        return Some(Family::Alibaba);
    }
    if auth.starts_with("bce-auth-v1/") {
        return Some(Family::Baidu);
    }
    let rpc_names = ["Action", "Version", "AccessKeyId", "Signature"];
    let has_rpc =
        |pairs: &[(String, String)]| pairs.iter().any(|(n, _)| rpc_names.contains(&n.as_str()));
    if (req.raw_path == "/" || req.raw_path.is_empty())
        && (has_rpc(&req.query)
            || (req.is_form() && has_rpc(&parse_form(&String::from_utf8_lossy(&req.body)))))
    {
        return Some(Family::Alibaba);
    }
    if protocol::baidu::serves_path(&req.path) {
        return Some(Family::Baidu);
    }
    None
}

/// Routes a request and runs it.
pub(crate) async fn dispatch(shared: &Shared, req: &Request) -> Outcome {
    let accepted = match classify(req) {
        Some(Family::Admin) => return Outcome::Reply(admin::handle(shared, req)),
        Some(Family::Metadata) => protocol::metadata::accept(req),
        Some(Family::Alibaba) => protocol::alibaba::accept(shared, req),
        Some(Family::Tencent) => protocol::tencent::accept(shared, req),
        Some(Family::Baidu) => protocol::baidu::accept(shared, req),
        None => {
            return Outcome::Reply(Reply::emulator_error(
                404,
                "not a request the cloudspec emulator understands: expected Alibaba RPC \
                 (Action/Version or x-acs-action), Tencent API 3.0 (X-TC-Action), Baidu \
                 (bce-auth-v1, or a path of a Baidu operation), or /_emulator/...",
            ));
        }
    };
    match accepted {
        Ok(call) => run(shared, &call).await,
        Err(reply) => Outcome::Reply(reply),
    }
}

/// Runs an authenticated call, through the next pending fault of its operation (if any).
async fn run(shared: &Shared, call: &Call<'_>) -> Outcome {
    let Some(fault) = shared.take_fault(call.service, call.operation.meta.name) else {
        return Outcome::Reply(call::execute(shared, call));
    };
    let delay = match (fault.kind, fault.delay_ms) {
        (_, Some(ms)) => Duration::from_millis(ms),
        (FaultKind::Slow, None) => Duration::from_millis(1000),
        (_, None) => Duration::ZERO,
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fault.kind {
        FaultKind::Slow => Outcome::Reply(call::execute(shared, call)),
        FaultKind::Drop => Outcome::Drop,
        FaultKind::LoseResponse => {
            let _ = call::execute(shared, call);
            Outcome::Drop
        }
        FaultKind::Throttle | FaultKind::Error500 | FaultKind::Error503 | FaultKind::Error => {
            Outcome::Reply(call.envelope.error(&fault_answer(call, &fault)))
        }
    }
}

/// The answer to a fault of kind throttle, error500, error503 or error: the provider's
/// common error, or the operation's documented row (a product that documents
/// `InternalError` answers a 500 with its row).
fn fault_answer(call: &Call<'_>, fault: &Fault) -> ApiError {
    let documented = |code: &str| {
        cloudspec_runtime::error::classify_code(call.operation.errors, code).map(|_| {
            ApiError::for_code(call.operation.errors, code, call.envelope.default_status())
        })
    };
    match (fault.kind, fault.code.as_deref()) {
        (FaultKind::Throttle, _) => call.envelope.common(Common::Throttled(None)),
        (FaultKind::Error500, _) => {
            documented("InternalError").unwrap_or_else(|| call.envelope.common(Common::Internal))
        }
        (FaultKind::Error503, _) => documented("ServiceUnavailable")
            .unwrap_or_else(|| call.envelope.common(Common::Unavailable)),
        (_, Some(code)) => {
            ApiError::for_code(call.operation.errors, code, call.envelope.default_status())
        }
        (_, None) => call.envelope.common(Common::Internal),
    }
}
