//! Client configuration: credentials, region, endpoint, timeouts, retries, validation.

use std::time::Duration;

use crate::credentials::{Credentials, ProvideCredentials, SharedCredentialsProvider};
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
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(120),
        }
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
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
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

/// The environment variables that set the region for `provider`, in the order read: for
/// Tencent `TENCENTCLOUD_REGION` (tccli 3.1.189.1, `tccli/options_define.py`, `ENV_REGION`).
/// Alibaba's and Baidu's pinned tools read none.
pub fn region_env_vars(provider: Provider) -> &'static [&'static str] {
    cloudspec_provider_env::region_vars(provider.env_table())
}

/// A problem with a configuration.
#[derive(Debug, Clone, thiserror::Error)]
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
    /// No credentials were given and none are in the environment or a profile file.
    #[error(
        "no credentials: set {0}, configure the provider's own tool (a profile file), or pass them explicitly"
    )]
    NoCredentials(String),
    /// A profile file of the provider's tool exists but cannot be used.
    #[error("the credentials profile cannot be used")]
    Profile(#[source] std::sync::Arc<crate::profile::ProfileError>),
    /// A profile was asked for by name and the provider's tool has no profile file for it.
    #[error("no profile `{name}`: the provider's tool keeps no profile file of that name")]
    NoSuchProfile {
        /// The profile asked for.
        name: String,
    },
}

/// Where a client's credentials come from: fixed keys, or a provider asked per attempt.
#[derive(Debug, Clone)]
pub(crate) enum CredentialsSource {
    /// Keys given once ([`Config::new`], [`Config::with_credentials`]).
    Static(Credentials),
    /// A provider ([`Config::with_credentials_provider`]).
    Provider(SharedCredentialsProvider),
}

/// Configuration of a client. Build with [`Config::new`] and the `with_*` methods.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub(crate) credentials: Option<CredentialsSource>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) validation: ValidationMode,
    pub(crate) alibaba_signature: AlibabaSignature,
    pub(crate) client_rate_limit: bool,
    pub(crate) transport: Option<Transport>,
    pub(crate) max_response_body: Option<usize>,
    pub(crate) time_source: Option<crate::credentials::SharedTimeSource>,
}

impl Config {
    /// A configuration with the given credentials and defaults for everything else.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials: Some(CredentialsSource::Static(credentials)),
            ..Self::default()
        }
    }

    /// A configuration without credentials, for operations sent unsigned
    /// ([`crate::Auth::Anonymous`], such as STS AssumeRoleWithOIDC, which the identity token
    /// authenticates). A signed operation called with it fails with
    /// [`crate::SdkError::Construction`], saying where credentials go; nothing is sent.
    pub fn without_credentials() -> Self {
        Self::default()
    }

    /// A configuration whose credentials come from `provider` (see
    /// [`Config::with_credentials_provider`]) and defaults for everything else.
    pub fn from_credentials_provider(provider: impl ProvideCredentials + 'static) -> Self {
        Self::default().with_credentials_provider(provider)
    }

    /// A configuration with credentials from the environment variables of `provider`
    /// (see [`Credentials::env_vars`]).
    ///
    /// The sources are tried in this order, as the providers' own SDKs do (the Tencent SDK's
    /// `DefaultCredentialProvider`: environment, then profile; alibabacloud-credentials:
    /// environment before the CLI profile):
    ///
    /// 1. the environment variables ([`Credentials::env_vars`]);
    /// 2. the profile file of the provider's tool, default profile
    ///    ([`crate::profile`]: `~/.aliyun/config.json`, `~/.tccli/<profile>.credential`,
    ///    the BCE CLI's `~/.bce/config.json`).
    ///
    /// The region is the environment's (`TENCENTCLOUD_REGION` for Tencent, as tccli reads
    /// it), else the profile's, else unset.
    pub fn from_env(provider: Provider) -> Result<Self, ConfigError> {
        let files = crate::profile::ProfileFiles::from_env();
        Self::from_sources(provider, None, files.as_ref(), |name| {
            std::env::var(name).ok()
        })
    }

    /// Credentials and region from the profile `name` of the provider's tool
    /// ([`crate::profile`]), as `--profile` selects one in the providers' CLIs. The
    /// environment's region still wins over the profile's.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoSuchProfile`] when the tool keeps no such profile, and
    /// [`ConfigError::Profile`] when the profile cannot be used.
    pub fn from_profile(provider: Provider, name: &str) -> Result<Self, ConfigError> {
        let files = crate::profile::ProfileFiles::from_env();
        Self::from_sources(provider, Some(name), files.as_ref(), |name| {
            std::env::var(name).ok()
        })
    }

    /// The chain of [`Config::from_env`] over explicit sources: `profile` names the profile
    /// to use (then the environment's keys are not consulted), `files` says where profile
    /// files are, `lookup` reads environment variables.
    pub fn from_sources(
        provider: Provider,
        profile: Option<&str>,
        files: Option<&crate::profile::ProfileFiles<'_>>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let env_region = region_env_vars(provider)
            .iter()
            .find_map(|name| lookup(name).filter(|value| !value.is_empty()));
        let from_env = match profile {
            None => Credentials::from_lookup(provider, &lookup),
            Some(_) => None,
        };
        let (credentials, profile_region) = match from_env {
            Some(credentials) => (credentials, None),
            None => {
                let found = match files {
                    Some(files) => files
                        .load(provider, profile)
                        .map_err(|error| ConfigError::Profile(std::sync::Arc::new(error)))?,
                    None => None,
                };
                match (found, profile) {
                    (Some(found), _) => (found.credentials, found.region),
                    (None, Some(name)) => {
                        return Err(ConfigError::NoSuchProfile {
                            name: name.to_owned(),
                        });
                    }
                    (None, None) => {
                        return Err(ConfigError::NoCredentials(
                            Credentials::env_vars(provider)
                                .iter()
                                .map(|(id, secret, _)| format!("{id} and {secret}"))
                                .collect::<Vec<_>>()
                                .join(", or "),
                        ));
                    }
                }
            }
        };
        let mut config = Self::new(credentials);
        config.region = env_region.or(profile_region);
        Ok(config)
    }

    /// Sets (or replaces) the credentials.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSource::Static(credentials));
        self
    }

    /// Takes the credentials from `provider` (replacing any set before): the client asks
    /// it before every attempt, so a retry after the credentials expired signs with fresh
    /// ones. The provider is used as it is; wrap it in a
    /// [`CredentialsCache`](crate::credentials::CredentialsCache) to reuse its answers
    /// until shortly before they expire (the providers of `cloudspec-credentials` come
    /// cached). An error of the provider fails the call with
    /// [`SdkError::Credentials`](crate::SdkError::Credentials), nothing sent.
    pub fn with_credentials_provider(
        mut self,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.credentials = Some(CredentialsSource::Provider(SharedCredentialsProvider::new(
            provider,
        )));
        self
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

    /// Caps the response body at `bytes` (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`](crate::protocol::DEFAULT_MAX_RESPONSE_BODY), 10 MiB).
    /// A longer answer fails the call with
    /// [`TransportError::BodyTooLarge`](crate::TransportError::BodyTooLarge), is not read
    /// further and is not retried.
    pub fn with_max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// The response body cap, in bytes.
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
            .unwrap_or(crate::protocol::DEFAULT_MAX_RESPONSE_BODY)
    }

    /// Sends requests with this `reqwest::Client` (its own timeouts, proxies, TLS roots).
    ///
    /// Give it `.redirect(reqwest::redirect::Policy::none())`: cloudspec never follows a
    /// redirect (it would carry the session token headers to another origin), and an
    /// answer that a redirect-following client fetched from elsewhere fails the call with
    /// [`TransportError::Redirected`](crate::TransportError::Redirected).
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Transport::Reqwest(client));
        self
    }

    /// Sends requests through a custom transport (a test double, a recorder).
    pub fn with_transport(
        mut self,
        transport: std::sync::Arc<dyn crate::protocol::HttpSend>,
    ) -> Self {
        self.transport = Some(Transport::Custom(transport));
        self
    }

    /// Reads "now" for signature timestamps from `clock` instead of the system clock: for
    /// tests against an emulator whose clock they move (the emulator refuses a signature
    /// whose time is far from its own), the same clock a
    /// [`CredentialsCache`](crate::credentials::CredentialsCache) reads.
    pub fn with_time_source(mut self, clock: crate::credentials::SharedTimeSource) -> Self {
        self.time_source = Some(clock);
        self
    }

    /// The time source of signature timestamps, if not the system clock.
    pub fn time_source(&self) -> Option<&crate::credentials::SharedTimeSource> {
        self.time_source.as_ref()
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

    /// The Alibaba Cloud signature version.
    pub fn alibaba_signature(&self) -> AlibabaSignature {
        self.alibaba_signature
    }

    /// Whether calls are held to each operation's documented request rate.
    pub fn client_rate_limit(&self) -> bool {
        self.client_rate_limit
    }

    /// The static credentials, when the configuration has keys rather than a provider.
    pub fn static_credentials(&self) -> Option<&Credentials> {
        match &self.credentials {
            Some(CredentialsSource::Static(credentials)) => Some(credentials),
            _ => None,
        }
    }

    /// Whether credentials (keys or a provider) are set (they are never shown).
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }
}

/// Where requests go when the endpoint is overridden: scheme and `host[:port]`, parsed from
/// an absolute `http` or `https` URL such as `http://127.0.0.1:8080`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https` or `http`.
    pub scheme: String,
    /// Host, with the port when it is not the scheme's default (`127.0.0.1:8080`).
    pub host: String,
}

impl Endpoint {
    /// Parses an endpoint override: an `http` or `https` URL with a host, an optional port
    /// and at most a `/` path; no credentials, query or fragment.
    pub fn parse(endpoint: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidEndpoint {
            endpoint: redact_userinfo(endpoint),
            reason: reason.to_owned(),
        };
        if !endpoint.contains("://") {
            return Err(invalid(
                "expected an absolute URL such as `https://host` or `http://127.0.0.1:8080`",
            ));
        }
        let url =
            reqwest::Url::parse(endpoint.trim()).map_err(|error| invalid(&error.to_string()))?;
        let scheme = url.scheme();
        if scheme != "https" && scheme != "http" {
            return Err(invalid("the scheme must be `https` or `http`"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("credentials do not belong in the endpoint"));
        }
        let host = match url.host_str() {
            Some(host) if !host.is_empty() => host,
            _ => return Err(invalid("the URL has no host")),
        };
        if url.path() != "/" && !url.path().is_empty() {
            return Err(invalid(
                "the URL must not have a path (the operation decides it)",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("the URL must not have a query or a fragment"));
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Self {
            scheme: scheme.to_owned(),
            host,
        })
    }
}

/// The endpoint as given, with any `user:password@` part replaced, for error messages.
fn redact_userinfo(endpoint: &str) -> String {
    let Some((scheme, rest)) = endpoint.split_once("://") else {
        return endpoint.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => endpoint.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_to_scheme_and_host() {
        let local = Endpoint::parse("http://127.0.0.1:1234").unwrap();
        assert_eq!(
            (local.scheme.as_str(), local.host.as_str()),
            ("http", "127.0.0.1:1234")
        );
        let trailing = Endpoint::parse("https://ecs.aliyuncs.com/").unwrap();
        assert_eq!(
            (trailing.scheme.as_str(), trailing.host.as_str()),
            ("https", "ecs.aliyuncs.com")
        );
        let default_port = Endpoint::parse("https://example.com:443").unwrap();
        assert_eq!(default_port.host, "example.com");
        let ipv6 = Endpoint::parse("http://[::1]:8080").unwrap();
        assert_eq!(ipv6.host, "[::1]:8080");
    }

    #[test]
    fn bad_endpoints_are_refused_with_a_reason() {
        for bad in [
            "127.0.0.1:1234",
            "ftp://example.com",
            "http://",
            "https://example.com/v2",
            "http://h?x=1",
            "",
            "not a url",
        ] {
            let error = Endpoint::parse(bad).unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidEndpoint { .. }),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn endpoint_errors_never_show_userinfo() {
        let error = Endpoint::parse("https://user:hunter2@example.com").unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>@example.com"), "{shown}");
    }

    #[test]
    fn debug_of_config_hides_the_secret() {
        let config = Config::new(
            Credentials::new("AKID-visible", "secret-value-123")
                .with_security_token("token-value-456"),
        )
        .with_region("cn-hangzhou");
        let shown = format!("{config:?} {config:#?}");
        assert!(shown.contains("AKID-visible"));
        assert!(
            !shown.contains("secret-value-123") && !shown.contains("token-value-456"),
            "{shown}"
        );
    }
}
