//! Retries and client-side rate limiting.
//!
//! What is retried, and nothing else:
//!
//! - no response: the connection failed or dropped, or an attempt timed out;
//! - `InternalError` and `ServiceUnavailable` (and a 500/502/503/504 without a code);
//! - throttling: `Throttling*` (Alibaba Cloud) and `RequestLimitExceeded*` (Tencent Cloud).
//!
//! (see [`ServiceError::is_retryable`]). Waits between attempts are capped exponential
//! backoff with full jitter: before retry `n` (1 for the second attempt), a uniformly random
//! time in `[0, min(max_backoff, initial_backoff × 2^(n-1))]`. Every attempt is signed afresh
//! (new nonce and timestamp); an idempotency token stays the same across attempts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use rand::Rng as _;

use crate::config::RetryConfig;
use crate::error::{ServiceError, TransportError};

/// Whether a service error is worth another attempt (server failures and throttling).
pub fn is_retryable_service_error(error: &ServiceError) -> bool {
    error.is_retryable()
}

/// Whether a failure to get a response is worth another attempt: every one except a
/// request the HTTP client refused to build (which would fail the same way again).
pub fn is_retryable_transport_error(error: &TransportError) -> bool {
    match error {
        TransportError::Http(error) => !error.is_builder(),
        TransportError::Timeout(_) => true,
        TransportError::BodyTooLarge { .. } | TransportError::Redirected { .. } => false,
    }
}

/// The most the backoff before retry `retry` (1 for the second attempt) may be:
/// `min(max_backoff, initial_backoff × 2^(retry-1))`.
pub fn backoff_ceiling(config: &RetryConfig, retry: u32) -> Duration {
    let doublings = retry.saturating_sub(1).min(31);
    config
        .initial_backoff
        .saturating_mul(1u32 << doublings)
        .min(config.max_backoff)
}

/// The backoff before retry `retry` with full jitter: uniformly random in
/// `[0, backoff_ceiling(config, retry)]`.
pub fn backoff(config: &RetryConfig, retry: u32) -> Duration {
    let ceiling = u64::try_from(backoff_ceiling(config, retry).as_nanos()).unwrap_or(u64::MAX);
    if ceiling == 0 {
        return Duration::ZERO;
    }
    Duration::from_nanos(rand::rng().random_range(0..=ceiling))
}

/// A client-side rate limiter: requests of one key (an operation) are spaced at least
/// `1 / per_second` apart, so a client never exceeds a documented request rate. Times are
/// [`tokio::time::Instant`]s, so a test with paused time sees the spacing in virtual time.
///
/// Callers [`reserve`](RateLimiter::reserve) a slot and wait the returned time before
/// sending; concurrent callers get successive slots.
#[derive(Debug, Default)]
pub struct RateLimiter {
    next_slot: Mutex<HashMap<(&'static str, &'static str), Instant>>,
}

impl RateLimiter {
    /// A limiter with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves the next slot of `key` at `per_second` requests per second, seen at `now`;
    /// returns how long to wait before sending. `per_second == 0` means no limit.
    pub fn reserve(
        &self,
        key: (&'static str, &'static str),
        per_second: u32,
        now: Instant,
    ) -> Duration {
        if per_second == 0 {
            return Duration::ZERO;
        }
        let interval = Duration::from_secs(1) / per_second;
        let mut slots = self
            .next_slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let slot = slots.entry(key).or_insert(now);
        let start = (*slot).max(now);
        *slot = start + interval;
        start.saturating_duration_since(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(initial_ms: u64, max_ms: u64) -> RetryConfig {
        RetryConfig {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(initial_ms),
            max_backoff: Duration::from_millis(max_ms),
        }
    }

    #[test]
    fn ceiling_doubles_and_is_capped() {
        let config = config(100, 1000);
        assert_eq!(backoff_ceiling(&config, 1), Duration::from_millis(100));
        assert_eq!(backoff_ceiling(&config, 2), Duration::from_millis(200));
        assert_eq!(backoff_ceiling(&config, 3), Duration::from_millis(400));
        assert_eq!(backoff_ceiling(&config, 4), Duration::from_millis(800));
        assert_eq!(backoff_ceiling(&config, 5), Duration::from_millis(1000));
        assert_eq!(
            backoff_ceiling(&config, u32::MAX),
            Duration::from_millis(1000)
        );
        assert_eq!(backoff_ceiling(&config, 0), Duration::from_millis(100));
    }

    #[test]
    fn jitter_stays_within_the_ceiling() {
        let config = config(10, 50);
        for retry in 1..8 {
            for _ in 0..50 {
                assert!(backoff(&config, retry) <= backoff_ceiling(&config, retry));
            }
        }
        assert_eq!(
            backoff(
                &RetryConfig {
                    initial_backoff: Duration::ZERO,
                    ..config
                },
                3
            ),
            Duration::ZERO
        );
    }

    #[test]
    fn only_documented_conditions_retry() {
        let error = |code: &str, status| ServiceError {
            code: Some(code.into()),
            status,
            ..ServiceError::default()
        };
        assert!(is_retryable_service_error(&error("InternalError", 500)));
        assert!(is_retryable_service_error(&error(
            "ServiceUnavailable",
            503
        )));
        assert!(is_retryable_service_error(&error("Throttling.User", 400)));
        assert!(is_retryable_service_error(&error(
            "RequestLimitExceeded",
            200
        )));
        assert!(!is_retryable_service_error(&error(
            "InvalidImageId.NotFound",
            200
        )));
        assert!(!is_retryable_service_error(&error("Forbidden", 403)));
        assert!(is_retryable_transport_error(&TransportError::Timeout(
            Duration::from_secs(1)
        )));
    }

    #[test]
    fn limiter_spaces_requests_per_key() {
        let limiter = RateLimiter::new();
        let start = Instant::now();
        let key = ("cvm", "DeleteImages");
        assert_eq!(limiter.reserve(key, 10, start), Duration::ZERO);
        assert_eq!(limiter.reserve(key, 10, start), Duration::from_millis(100));
        assert_eq!(limiter.reserve(key, 10, start), Duration::from_millis(200));
        // Another operation has its own budget.
        assert_eq!(
            limiter.reserve(("cvm", "DescribeImages"), 10, start),
            Duration::ZERO
        );
        // Once time has passed, slots are free again.
        let later = start + Duration::from_secs(1);
        assert_eq!(limiter.reserve(key, 10, later), Duration::ZERO);
        assert_eq!(limiter.reserve(key, 0, later), Duration::ZERO);
    }
}
