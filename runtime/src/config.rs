//! Client configuration: credentials, region, endpoint, timeouts, retries, validation.

use std::time::Duration;

use crate::credentials::Credentials;
use crate::meta::Provider;
use crate::protocol::Transport;
use crate::validate::ValidationMode;

/// Timeouts. Defaults: connect 10 s, each attempt 30 s, the whole call (all attempts and
/// backoff) 120 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time to establish a connection.
    pub connect: Duration,
    /// Time for one attempt, from sending to the end of the body.
    pub attempt: Duration,
    /// Time for the whole call.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { connect: Duration::from_secs(10), attempt: Duration::from_secs(30), total: Duration::from_secs(120) }
    }
}

/// Retry policy: capped exponential backoff with full jitter. Defaults: 3 attempts, 100 ms
/// initial backoff, 5 s cap.
///
/// Only transport failures, `InternalError`/`ServiceUnavailable` and throttling are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles each attempt.
    pub initial_backoff: Duration,
    /// The most one backoff may be.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(5) }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }
}

/// Which Alibaba Cloud signature to send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AlibabaSignature {
    /// `ACS3-HMAC-SHA256`, what current official SDKs send (the default).
    #[default]
    V3,
    /// Signature V1 (`HMAC-SHA1` over the query).
    V1,
}

/// A problem with a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint override is not an absolute `http` or `https` URL.
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint {
        /// The endpoint given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
    /// No credentials were given and none are in the environment.
    #[error("no credentials: set {0} or pass them explicitly")]
    NoCredentials(String),
}

/// Configuration of a client. Build with [`Config::new`] and the `with_*` methods.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) validation: ValidationMode,
    pub(crate) alibaba_signature: AlibabaSignature,
    pub(crate) client_rate_limit: bool,
    pub(crate) transport: Option<Transport>,
}

impl Config {
    /// A configuration with the given credentials and defaults for everything else.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials: Some(credentials), ..Self::default() }
    }

    /// A configuration with credentials from the environment variables of `provider`
    /// (see [`Credentials::env_vars`]).
    pub fn from_env(provider: Provider) -> Result<Self, ConfigError> {
        match Credentials::from_env(provider) {
            Some(credentials) => Ok(Self::new(credentials)),
            None => Err(ConfigError::NoCredentials(
                Credentials::env_vars(provider)
                    .iter()
                    .map(|(id, secret, _)| format!("{id} and {secret}"))
                    .collect::<Vec<_>>()
                    .join(", or "),
            )),
        }
    }

    /// Sets the region: it picks the regional endpoint and, for Tencent, `X-TC-Region`.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to `endpoint` (`http://127.0.0.1:8080` for the local emulator)
    /// instead of the service's host.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Turns client-side validation of documented limits on (default) or off.
    pub fn with_validation(mut self, validation: ValidationMode) -> Self {
        self.validation = validation;
        self
    }

    /// Chooses the Alibaba Cloud signature version (V3 by default).
    pub fn with_alibaba_signature(mut self, signature: AlibabaSignature) -> Self {
        self.alibaba_signature = signature;
        self
    }

    /// Holds calls to each operation's documented request rate (CVM `DeleteImages`: 10 per
    /// second) on the client side. Off by default.
    pub fn with_client_rate_limit(mut self, enabled: bool) -> Self {
        self.client_rate_limit = enabled;
        self
    }

    /// Sends requests with this `reqwest::Client` (its own timeouts, proxies, TLS roots).
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Transport::Reqwest(client));
        self
    }

    /// Sends requests through a custom transport (a test double, a recorder).
    pub fn with_transport(mut self, transport: std::sync::Arc<dyn crate::protocol::HttpSend>) -> Self {
        self.transport = Some(Transport::Custom(transport));
        self
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override, if set.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryConfig {
        self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The validation mode.
    pub fn validation(&self) -> ValidationMode {
        self.validation
    }
}
