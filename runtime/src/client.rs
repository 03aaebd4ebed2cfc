//! The client every generated client wraps: validate, encode, sign, send, retry, decode.
//!
//! One call of [`Client::invoke`]:
//!
//! 1. validates the input against the documented limits (unless [`ValidationMode::Off`]);
//! 2. encodes it into wire parameters and fills the idempotency token, if the operation has
//!    one and the caller left it unset (the same token for every attempt);
//! 3. per attempt: waits for the client-side rate limit (when enabled), signs with a fresh
//!    nonce and timestamp, sends within the per-attempt timeout, and decodes the answer;
//! 4. retries transport failures, server errors and throttling ([`crate::retry`]) with
//!    capped, jittered exponential backoff, the whole call bounded by the total timeout.
//!
//! Each call runs in a `tracing` span (`cloudspec_call`, with `service` and `operation`)
//! and logs one event per attempt (attempt number, status, request id, outcome). Neither
//! the secret, the signature, the `Authorization` header nor a security token is logged.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tracing::Instrument as _;

use crate::config::{Config, ConfigError, CredentialsSource, Endpoint};
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials as _};
use crate::error::{SdkError, ServiceError, TransportError};
use crate::meta::{OperationMeta, ServiceMeta};
use crate::operation::Operation;
use crate::protocol::{
    Decoded, HttpResponse, RequestContext, Transport, build_request, decode_response,
};
use crate::retry::{
    RateLimiter, backoff, is_retryable_service_error, is_retryable_transport_error,
};
use crate::validate::ValidationMode;
use crate::wire::{ParamLocation, WireParam, WireValue};

/// How many characters of an unreadable body an error keeps.
const BODY_EXCERPT_CHARS: usize = 512;

/// A configured client for one service. Cheap to clone: clones share the connection pool
/// and the rate limiter.
///
/// `Debug` never shows the secret or the security token.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceMeta,
    config: Config,
    transport: Transport,
    endpoint: Option<Endpoint>,
    limiter: RateLimiter,
}

/// A successful answer, before the typed output is deserialized from it.
struct Answer {
    value: serde_json::Value,
    status: u16,
    request_id: Option<String>,
}

/// Why a call failed, before the service error is typed.
enum CallError {
    Construction(String),
    Credentials(CredentialsError),
    Transport {
        source: TransportError,
        attempts: u32,
    },
    Service(ServiceError),
    Response {
        status: u16,
        request_id: Option<String>,
        reason: String,
        body_excerpt: String,
    },
}

impl CallError {
    fn into_sdk<E: From<ServiceError>>(self) -> SdkError<E> {
        match self {
            CallError::Construction(reason) => SdkError::Construction(reason),
            CallError::Credentials(source) => SdkError::Credentials(source),
            CallError::Transport { source, attempts } => SdkError::Transport { source, attempts },
            CallError::Service(error) => SdkError::Service(E::from(error)),
            CallError::Response {
                status,
                request_id,
                reason,
                body_excerpt,
            } => SdkError::Response {
                status,
                request_id,
                reason,
                body_excerpt,
            },
        }
    }
}

impl Client {
    /// A client for `service` with `config`.
    ///
    /// Builds the default HTTP client (rustls, the configured connect timeout, user agent
    /// `<crate>/<version> cloudspec-runtime/<version>`) unless the configuration brings its
    /// own, and checks the endpoint override.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidEndpoint`] for an endpoint override that is not an `http` or
    /// `https` URL with a host; [`ConfigError::HttpClient`] when the HTTP client cannot be built.
    pub fn new(service: &'static ServiceMeta, mut config: Config) -> Result<Self, ConfigError> {
        let endpoint = config.endpoint().map(Endpoint::parse).transpose()?;
        let transport = match config.transport.take() {
            Some(transport) => transport,
            None => Transport::Reqwest(
                reqwest::Client::builder()
                    .connect_timeout(config.timeouts.connect)
                    // A redirect would carry the session token headers (reqwest strips only
                    // `Authorization`) to another origin; a 3xx is reported instead.
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(user_agent(service))
                    .build()
                    .map_err(|error| ConfigError::HttpClient(error.to_string()))?,
            ),
        };
        config.transport = Some(transport.clone());
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                config,
                transport,
                endpoint,
                limiter: RateLimiter::new(),
            }),
        })
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// Calls operation `O` with `input`.
    ///
    /// # Errors
    ///
    /// [`SdkError::Validation`] when the input breaks a documented limit (nothing is sent);
    /// [`SdkError::Construction`] without credentials or an endpoint; [`SdkError::Service`]
    /// when the service answers with an error (after retries, with the attempt count);
    /// [`SdkError::Transport`] when no answer arrived; [`SdkError::Response`] for an answer
    /// the protocol does not allow or that does not fit the output type.
    pub async fn invoke<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        if self.inner.config.validation == ValidationMode::Enforce {
            O::validate(&input)?;
        }
        let params = O::encode(&input);
        drop(input);
        let answer = self
            .call(O::meta(), params)
            .await
            .map_err(CallError::into_sdk)?;
        <O::Output as serde::Deserialize>::deserialize(&answer.value).map_err(|error| {
            SdkError::Response {
                status: answer.status,
                request_id: answer.request_id,
                reason: format!("the answer does not fit the output type: {error}"),
                body_excerpt: excerpt(&answer.value.to_string()),
            }
        })
    }

    /// The untyped part of a call: everything after encoding, in a tracing span.
    async fn call(
        &self,
        meta: &'static OperationMeta,
        params: Vec<WireParam>,
    ) -> Result<Answer, CallError> {
        let span = tracing::info_span!(
            "cloudspec_call",
            service = meta.service.name,
            operation = meta.name
        );
        self.call_in_span(meta, params).instrument(span).await
    }

    async fn call_in_span(
        &self,
        meta: &'static OperationMeta,
        mut params: Vec<WireParam>,
    ) -> Result<Answer, CallError> {
        let config = &self.inner.config;
        // An unsigned operation asks no provider: it is what a provider itself may call.
        let credentials = match (meta.auth.is_anonymous(), config.credentials.as_ref()) {
            (true, _) => None,
            (false, Some(credentials)) => Some(credentials),
            (false, None) => {
                return Err(CallError::Construction(no_credentials_message(
                    meta.service,
                )));
            }
        };
        let region = crate::protocol::request_region(self.inner.config.region(), &params);
        let (scheme, host) = self.target(meta, region.as_deref())?;
        fill_idempotency_token(meta, &mut params);
        let attempts = AtomicU32::new(0);
        let total = config.timeouts.total;
        let call = self.attempt_loop(
            meta,
            &params,
            (&scheme, &host, region.as_deref()),
            credentials,
            &attempts,
        );
        match tokio::time::timeout(total, call).await {
            Ok(result) => result,
            Err(_) => {
                let attempts = attempts.load(Ordering::Relaxed).max(1);
                tracing::debug!(attempts, timeout = ?total, "the call timed out");
                Err(CallError::Transport {
                    source: TransportError::Timeout(total),
                    attempts,
                })
            }
        }
    }

    /// The scheme and host to send to: the endpoint override, else the service's host for
    /// the request's region ([`crate::protocol::request_region`]).
    fn target(
        &self,
        meta: &'static OperationMeta,
        region: Option<&str>,
    ) -> Result<(String, String), CallError> {
        if let Some(endpoint) = &self.inner.endpoint {
            return Ok((endpoint.scheme.clone(), endpoint.host.clone()));
        }
        match meta.service.endpoints.host(region) {
            Some(host) => Ok((meta.service.protocol.default_scheme().to_owned(), host)),
            None => Err(CallError::Construction(match region {
                Some(region) => format!(
                    "{} has no endpoint for region `{region}`; set an endpoint with Config::with_endpoint",
                    meta.service.title
                ),
                None => format!(
                    "{} has no global endpoint; set a region with Config::with_region or an endpoint with Config::with_endpoint",
                    meta.service.title
                ),
            })),
        }
    }

    async fn attempt_loop(
        &self,
        meta: &'static OperationMeta,
        params: &[WireParam],
        (scheme, host, region): (&str, &str, Option<&str>),
        credentials: Option<&CredentialsSource>,
        attempts: &AtomicU32,
    ) -> Result<Answer, CallError> {
        let config = &self.inner.config;
        let max_attempts = config.retry.max_attempts.max(1);
        let deadline = deadline_after(config.timeouts.total);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let (true, Some(per_second)) = (config.client_rate_limit, meta.rate_limit_per_second)
            {
                let wait = self.inner.limiter.reserve(
                    (meta.service.name, meta.name),
                    per_second,
                    tokio::time::Instant::now(),
                );
                if !wait.is_zero() {
                    tracing::debug!(attempt, wait = ?wait, "waiting for the client-side rate limit");
                    tokio::time::sleep(wait).await;
                }
            }
            // Asked per attempt: a retry after expiry signs with refreshed credentials.
            let provided;
            let credentials: Option<&Credentials> = match credentials {
                None => None,
                Some(CredentialsSource::Static(credentials)) => Some(credentials),
                Some(CredentialsSource::Provider(provider)) => {
                    provided = provider.provide_credentials().await.map_err(|error| {
                        tracing::debug!(attempt, error = %error, "no credentials from the provider");
                        CallError::Credentials(error)
                    })?;
                    Some(&provided)
                }
            };
            // Counted once the attempt is about to be sent (not while waiting for the limiter).
            attempts.store(attempt, Ordering::Relaxed);
            let nonce = uuid::Uuid::new_v4().to_string();
            let context = RequestContext {
                meta,
                params,
                scheme,
                host,
                region,
                credentials,
                timestamp: signing_time(config),
                nonce: &nonce,
                alibaba_signature: config.alibaba_signature,
            };
            let request =
                build_request(&context).map_err(|error| CallError::Construction(error.0))?;
            let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
            let attempt_timeout = config.timeouts.attempt.min(remaining);
            let sent = match tokio::time::timeout(
                attempt_timeout,
                self.inner
                    .transport
                    .send_limited(request, config.max_response_body()),
            )
            .await
            {
                Ok(sent) => sent,
                Err(_) => Err(TransportError::Timeout(attempt_timeout)),
            };
            let can_retry = attempt < max_attempts;
            let last = match sent {
                Err(error) => {
                    let retry = can_retry && is_retryable_transport_error(&error);
                    tracing::debug!(attempt, outcome = if retry { "no response, retrying" } else { "no response" }, error = %error, "attempt finished");
                    if !retry {
                        return Err(CallError::Transport {
                            source: error,
                            attempts: attempt,
                        });
                    }
                    CallError::Transport {
                        source: error,
                        attempts: attempt,
                    }
                }
                Ok(response) => match decode_response(meta, &response) {
                    Decoded::Success(value) => {
                        let request_id = success_request_id(&value, &response, meta);
                        tracing::debug!(
                            attempt,
                            status = response.status,
                            request_id = request_id.as_deref().unwrap_or("-"),
                            outcome = "success",
                            "attempt finished"
                        );
                        return Ok(Answer {
                            value,
                            status: response.status,
                            request_id,
                        });
                    }
                    Decoded::Failure(mut error) => {
                        error.attempts = attempt;
                        let retry = can_retry && is_retryable_service_error(&error);
                        tracing::debug!(
                            attempt,
                            status = error.status,
                            request_id = error.request_id.as_deref().unwrap_or("-"),
                            code = error.code_str(),
                            outcome = if retry {
                                "service error, retrying"
                            } else {
                                "service error"
                            },
                            "attempt finished"
                        );
                        if !retry {
                            return Err(CallError::Service(error));
                        }
                        CallError::Service(error)
                    }
                    Decoded::Malformed { reason, request_id } => {
                        tracing::debug!(attempt, status = response.status, request_id = request_id.as_deref().unwrap_or("-"), outcome = "unreadable response", reason = %reason, "attempt finished");
                        return Err(CallError::Response {
                            status: response.status,
                            request_id,
                            reason,
                            body_excerpt: response.body_excerpt(BODY_EXCERPT_CHARS),
                        });
                    }
                },
            };
            let delay = backoff(&config.retry, attempt);
            if tokio::time::Instant::now()
                .checked_add(delay)
                .is_none_or(|resume| resume >= deadline)
            {
                tracing::debug!(attempt, "no time left for another attempt");
                return Err(last);
            }
            tokio::time::sleep(delay).await;
        }
    }
}

/// Now plus `timeout`, or (for a timeout the clock cannot add, `Duration::MAX` say) a
/// deadline thirty years away instead of an overflow panic.
fn deadline_after(timeout: std::time::Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(timeout)
        .unwrap_or_else(|| now + std::time::Duration::from_secs(30 * 365 * 24 * 60 * 60))
}

/// Now, for a signature: the configured time source's, else the system clock's.
fn signing_time(config: &Config) -> jiff::Timestamp {
    config
        .time_source
        .as_ref()
        .and_then(|clock| jiff::Timestamp::try_from(clock.now()).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// `<crate>/<version> cloudspec-runtime/<version>`.
fn user_agent(service: &ServiceMeta) -> String {
    format!(
        "{}/{} cloudspec-runtime/{}",
        service.crate_name,
        service.crate_version,
        env!("CARGO_PKG_VERSION")
    )
}

/// Adds the idempotency token when the operation has one and the caller left it unset or
/// empty: a UUID v4 as a query parameter. Called once per call, so every attempt sends the
/// same token.
fn fill_idempotency_token(meta: &OperationMeta, params: &mut Vec<WireParam>) {
    let Some(name) = meta.idempotency_token else {
        return;
    };
    let token = || WireValue::String(uuid::Uuid::new_v4().to_string());
    match params.iter_mut().find(|param| param.name == name) {
        Some(param) if param.value.to_text().is_empty() => param.value = token(),
        Some(_) => {}
        None => params.push(WireParam::new(name, ParamLocation::Query, token())),
    }
}

/// What to say when there are no credentials: where to put them.
fn no_credentials_message(service: &ServiceMeta) -> String {
    let variables = Credentials::env_vars(service.provider)
        .iter()
        .map(|(id, secret, _)| format!("{id} and {secret}"))
        .collect::<Vec<_>>()
        .join(", or ");
    format!(
        "no credentials for {}: pass them with Config::new(Credentials::new(..)) or set {variables}",
        service.title
    )
}

/// The request id of a success: from the body (`RequestId`, `requestId`) or a header.
fn success_request_id(
    value: &serde_json::Value,
    response: &HttpResponse,
    meta: &OperationMeta,
) -> Option<String> {
    ["RequestId", "requestId"]
        .iter()
        .find_map(|name| {
            value
                .get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        })
        .or_else(|| response.header_request_id(meta.service.provider))
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(BODY_EXCERPT_CHARS).collect();
    if text.chars().nth(BODY_EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}
