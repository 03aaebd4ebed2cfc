//! Credentials that come from somewhere and change over time: the [`ProvideCredentials`]
//! trait, a [`CredentialsCache`] that reuses what a provider gave until shortly before it
//! expires, and the [`TimeSource`] the cache reads (the system clock, or a test's).
//!
//! A client configured with [`Config::with_credentials_provider`](crate::Config::with_credentials_provider)
//! asks its provider once per attempt, so a retry after expiry signs with the refreshed
//! credentials. The providers themselves (STS AssumeRole, instance-metadata roles, OIDC,
//! the default chain) are in the `cloudspec-credentials` crate, which can depend on the
//! generated STS clients; this crate holds only the abstraction.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use cloudspec_runtime::credentials::{CredentialsCache, CredentialsError, ProvideCredentials, ProvideFuture};
//! use cloudspec_runtime::Credentials;
//!
//! #[derive(Debug)]
//! struct FromSomewhere;
//!
//! impl ProvideCredentials for FromSomewhere {
//!     fn provide_credentials(&self) -> ProvideFuture<'_> {
//!         Box::pin(async {
//!             Ok(Credentials::new("STS.id", "secret")
//!                 .with_security_token("token")
//!                 .with_expiry(SystemTime::now() + Duration::from_secs(3600)))
//!         })
//!     }
//! }
//!
//! let cached = CredentialsCache::builder(FromSomewhere)
//!     .refresh_before(Duration::from_secs(300))
//!     .build();
//! # let _ = cached;
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use super::Credentials;

/// The future a [`ProvideCredentials`] returns: boxed, so the trait stays object safe
/// without an async-trait dependency.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// An error boxed as a [`CredentialsError`] source.
type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Something that gives credentials when asked: static keys, a profile, STS, an instance
/// role. Implementations must never put a secret or a token in their `Debug` output or
/// their errors.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The current credentials, fetching them if needed.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Why a provider gave no credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source is not configured here (no variables, no file, no role): a chain moves
    /// on to its next source.
    #[error("{provider}: not configured ({reason})")]
    NotLoaded {
        /// The provider's name.
        provider: &'static str,
        /// What it looked for.
        reason: String,
    },
    /// The source is configured but could not give credentials (a failed STS call, a
    /// metadata service that answered an error, an unreadable file).
    #[error("{provider}: {context}")]
    ProviderFailed {
        /// The provider's name.
        provider: &'static str,
        /// What it was doing.
        context: String,
        /// Why it failed.
        #[source]
        source: BoxError,
    },
    /// The source answered, but not with credentials (a field missing, a time that does
    /// not parse).
    #[error("{provider}: invalid answer: {reason}")]
    InvalidResponse {
        /// The provider's name.
        provider: &'static str,
        /// What was wrong (never a secret).
        reason: String,
    },
    /// The source gave credentials that have already expired.
    #[error("{provider}: the credentials it gave expired already")]
    Expired {
        /// The provider's name.
        provider: &'static str,
    },
}

impl CredentialsError {
    /// A [`CredentialsError::ProviderFailed`].
    pub fn failed(
        provider: &'static str,
        context: impl Into<String>,
        source: impl Into<BoxError>,
    ) -> Self {
        CredentialsError::ProviderFailed {
            provider,
            context: context.into(),
            source: source.into(),
        }
    }

    /// Whether this says the source is not configured (a chain tries the next one).
    pub fn is_not_loaded(&self) -> bool {
        matches!(self, CredentialsError::NotLoaded { .. })
    }
}

/// A provider behind an `Arc`, cheap to clone and shareable between clients.
#[derive(Clone)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.0.provide_credentials()
    }
}

/// Where "now" comes from, for deciding whether credentials are still fresh. Tests give
/// one that follows the emulator's clock, so expiry needs no sleeping.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A time source behind an `Arc`.
pub type SharedTimeSource = Arc<dyn TimeSource>;

/// How long before expiry a [`CredentialsCache`] refreshes by default: 5 minutes. The
/// Tencent SDK refreshes CVM role credentials 300 s before `ExpiredTime`
/// (tencentcloud-sdk-python-common 3.1.195, `tencentcloud/common/credential.py`,
/// `CVMRoleCredential._expired_timeout = 300`: a signature more than 300 s off is refused).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// Reuses the credentials a provider gave until [`refresh_before`](CredentialsCacheBuilder::refresh_before)
/// their expiry, then asks the provider again. Credentials without an expiry are kept for
/// good.
///
/// One refresh at a time: callers that arrive while a refresh runs wait for it and get its
/// result. When a refresh fails but the cached credentials have not expired yet, they are
/// still given (the refresh is tried again on the next call); after expiry, the error is.
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    clock: SharedTimeSource,
    refresh_before: Duration,
    cached: tokio::sync::Mutex<Option<Credentials>>,
    fetches: AtomicU64,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("clock", &self.clock)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

/// Builds a [`CredentialsCache`].
#[derive(Debug)]
pub struct CredentialsCacheBuilder {
    provider: SharedCredentialsProvider,
    clock: SharedTimeSource,
    refresh_before: Duration,
}

impl CredentialsCacheBuilder {
    /// The clock that decides freshness (default: the system clock).
    pub fn time_source(mut self, clock: impl TimeSource + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How long before expiry to refresh (default [`DEFAULT_REFRESH_BEFORE`], 5 minutes).
    pub fn refresh_before(mut self, before: Duration) -> Self {
        self.refresh_before = before;
        self
    }

    /// The cache.
    pub fn build(self) -> CredentialsCache {
        CredentialsCache {
            provider: self.provider,
            clock: self.clock,
            refresh_before: self.refresh_before,
            cached: tokio::sync::Mutex::new(None),
            fetches: AtomicU64::new(0),
        }
    }
}

impl CredentialsCache {
    /// A cache of `provider` with the defaults (system clock, refresh 5 minutes early).
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::builder(provider).build()
    }

    /// A builder for a cache of `provider`.
    pub fn builder(provider: impl ProvideCredentials + 'static) -> CredentialsCacheBuilder {
        CredentialsCacheBuilder {
            provider: SharedCredentialsProvider::new(provider),
            clock: Arc::new(SystemTimeSource),
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }

    /// How many times the provider has been asked (for diagnostics and tests).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// Whether `credentials` can be given at `now` without a refresh.
    fn is_fresh(&self, credentials: &Credentials, now: SystemTime) -> bool {
        match credentials.expiry() {
            None => true,
            Some(expiry) => expiry
                .checked_sub(self.refresh_before)
                .is_some_and(|refresh_at| now < refresh_at),
        }
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let mut cached = self.cached.lock().await;
        let now = self.clock.now();
        if let Some(credentials) = cached.as_ref()
            && self.is_fresh(credentials, now)
        {
            return Ok(credentials.clone());
        }
        self.fetches.fetch_add(1, Ordering::Relaxed);
        match self.provider.provide_credentials().await {
            Ok(fresh) => {
                if fresh.is_expired_at(self.clock.now()) {
                    tracing::debug!("the credentials provider gave expired credentials");
                    return Err(CredentialsError::Expired {
                        provider: "credentials cache",
                    });
                }
                tracing::debug!(
                    access_key_id = fresh.access_key_id(),
                    "credentials refreshed"
                );
                *cached = Some(fresh.clone());
                Ok(fresh)
            }
            Err(error) => match cached.as_ref() {
                Some(previous) if !previous.is_expired_at(self.clock.now()) => {
                    tracing::debug!(error = %error, "refresh failed; the cached credentials have not expired yet");
                    Ok(previous.clone())
                }
                _ => Err(error),
            },
        }
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A clock tests move by hand.
    #[derive(Debug, Clone)]
    struct ManualClock(Arc<Mutex<SystemTime>>);

    impl ManualClock {
        fn at(seconds: u64) -> Self {
            Self(Arc::new(Mutex::new(
                SystemTime::UNIX_EPOCH + Duration::from_secs(seconds),
            )))
        }
        fn advance(&self, by: Duration) {
            let mut now = self.0.lock().unwrap();
            *now += by;
        }
    }

    impl TimeSource for ManualClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    /// Hands out `key-1`, `key-2`, … each valid for `lifetime` from the clock's now, or
    /// fails when told to.
    #[derive(Debug)]
    struct Counting {
        clock: ManualClock,
        lifetime: Duration,
        calls: AtomicU64,
        fail: std::sync::atomic::AtomicBool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                // Give other callers a chance to pile up behind the refresh.
                tokio::task::yield_now().await;
                if self.fail.load(Ordering::SeqCst) {
                    return Err(CredentialsError::failed(
                        "counting",
                        "asked to fail",
                        std::io::Error::other("down"),
                    ));
                }
                Ok(Credentials::new(format!("key-{n}"), "secret")
                    .with_security_token("token")
                    .with_expiry(self.clock.now() + self.lifetime))
            })
        }
    }

    fn cache(lifetime: Duration) -> (Arc<Counting>, CredentialsCache, ManualClock) {
        let clock = ManualClock::at(1_000_000);
        let provider = Arc::new(Counting {
            clock: clock.clone(),
            lifetime,
            calls: AtomicU64::new(0),
            fail: Default::default(),
        });
        let cache = CredentialsCache::builder(provider.clone())
            .time_source(clock.clone())
            .refresh_before(Duration::from_secs(300))
            .build();
        (provider, cache, clock)
    }

    #[tokio::test]
    async fn reuses_until_shortly_before_expiry_then_refreshes() {
        let (provider, cache, clock) = cache(Duration::from_secs(3600));
        let first = cache.provide_credentials().await.unwrap();
        assert_eq!(first.access_key_id(), "key-1");
        clock.advance(Duration::from_secs(3600 - 301));
        let again = cache.provide_credentials().await.unwrap();
        assert_eq!(
            again.access_key_id(),
            "key-1",
            "301 s before expiry: still fresh"
        );
        clock.advance(Duration::from_secs(2));
        let refreshed = cache.provide_credentials().await.unwrap();
        assert_eq!(
            refreshed.access_key_id(),
            "key-2",
            "299 s before expiry: refreshed"
        );
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        assert_eq!(cache.fetches(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let (provider, cache, _clock) = cache(Duration::from_secs(3600));
        let cache = Arc::new(cache);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        for task in tasks {
            let credentials = task.await.unwrap().unwrap();
            assert_eq!(credentials.access_key_id(), "key-1");
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_unexpired_credentials_but_not_expired_ones() {
        let (provider, cache, clock) = cache(Duration::from_secs(600));
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "key-1"
        );
        provider.fail.store(true, Ordering::SeqCst);
        clock.advance(Duration::from_secs(400));
        let kept = cache.provide_credentials().await.unwrap();
        assert_eq!(
            kept.access_key_id(),
            "key-1",
            "within the buffer, not expired"
        );
        clock.advance(Duration::from_secs(200));
        let error = cache.provide_credentials().await.unwrap_err();
        assert!(matches!(error, CredentialsError::ProviderFailed { .. }));
        assert!(
            StdError::source(&error).is_some(),
            "the cause is the source"
        );
        provider.fail.store(false, Ordering::SeqCst);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "key-4"
        );
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_kept() {
        let cache = CredentialsCache::new(Credentials::new("static", "secret"));
        for _ in 0..3 {
            assert_eq!(
                cache.provide_credentials().await.unwrap().access_key_id(),
                "static"
            );
        }
        assert_eq!(cache.fetches(), 1);
    }

    #[tokio::test]
    async fn expired_credentials_from_the_provider_are_an_error() {
        let clock = ManualClock::at(5_000);
        let stale = Credentials::new("old", "secret")
            .with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(4_000));
        let cache = CredentialsCache::builder(stale).time_source(clock).build();
        let error = cache.provide_credentials().await.unwrap_err();
        assert!(matches!(error, CredentialsError::Expired { .. }), "{error}");
    }

    #[test]
    fn debug_of_a_cache_shows_no_secret() {
        let cache = CredentialsCache::new(
            Credentials::new("AKID-shown", "hidden-secret-1").with_security_token("hidden-tok-2"),
        );
        let shown = format!("{cache:?}");
        assert!(shown.contains("AKID-shown"), "{shown}");
        assert!(!shown.contains("hidden-secret-1") && !shown.contains("hidden-tok-2"));
    }
}
