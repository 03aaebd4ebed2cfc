//! Reading a source's answer into credentials: the checks both the STS and the
//! instance-metadata sources make, each error naming the source that answered.

use std::time::SystemTime;

use cloudspec_runtime::CredentialsError;

/// An answer of `provider` without `field`.
pub(crate) fn missing(provider: &'static str, field: &str) -> CredentialsError {
    CredentialsError::InvalidResponse {
        provider,
        reason: format!("the answer has no `{field}`"),
    }
}

/// `seconds` since the Unix epoch, as `provider` gave the expiry.
pub(crate) fn unix_seconds(
    provider: &'static str,
    seconds: i64,
) -> Result<SystemTime, CredentialsError> {
    jiff::Timestamp::from_second(seconds)
        .map(SystemTime::from)
        .map_err(|_| CredentialsError::InvalidResponse {
            provider,
            reason: format!("the expiry {seconds} is out of range"),
        })
}

/// The UTC time (`2026-12-01T10:00:00Z`) that `provider` gave in `field`.
pub(crate) fn utc_time(
    provider: &'static str,
    field: &str,
    text: &str,
) -> Result<SystemTime, CredentialsError> {
    text.parse::<jiff::Timestamp>()
        .map(SystemTime::from)
        .map_err(|_| CredentialsError::InvalidResponse {
            provider,
            reason: format!("`{field}` `{text}` is not a UTC time"),
        })
}
