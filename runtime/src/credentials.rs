//! Access keys, explicit or from the environment variables each provider's tools read, and
//! providers of credentials that change over time ([`provider`]): a trait, a cache that
//! refreshes before expiry, and the clock it reads.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use crate::meta::Provider;
use crate::sign::SigningKeys;

pub mod provider;

pub use provider::{
    CredentialsCache, CredentialsCacheBuilder, CredentialsError, DEFAULT_REFRESH_BEFORE,
    ProvideCredentials, ProvideFuture, SharedCredentialsProvider, SharedTimeSource,
    SystemTimeSource, TimeSource,
};

/// An access key pair with an optional security (session) token and, for temporary
/// credentials (STS, an instance role), the time they expire.
///
/// `Debug` never shows the secret or the token. Clones share the keys that signing derives
/// from the secret ([`crate::sign::SigningKeys`]: TC3's daily signing key, the keyed HMAC of
/// the others), so a client derives them once, not once per request. Equality compares the
/// key pair, the token and the expiry.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiry: Option<SystemTime>,
    signing_keys: Arc<SigningKeys>,
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        self.access_key_id == other.access_key_id
            && self.access_key_secret == other.access_key_secret
            && self.security_token == other.security_token
            && self.expiry == other.expiry
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Credentials from an access key id and secret.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiry: None,
            signing_keys: Arc::default(),
        }
    }

    /// Sets the time the credentials expire (temporary credentials). A
    /// [`CredentialsCache`] refreshes them shortly before.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When the credentials expire; `None` for long-lived keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Whether the credentials have expired at `now` (never, without an expiry).
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expiry.is_some_and(|expiry| expiry <= now)
    }

    /// Adds a security (STS session) token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret. Handle with care: never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The security token, if any.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// The keys signing has derived from the secret, shared by every clone.
    pub fn signing_keys(&self) -> &SigningKeys {
        &self.signing_keys
    }

    /// The environment variables read for `provider`: (id, secret, token) names, in the
    /// order they are tried. The table is [`cloudspec_provider_env`]'s (its front page lists
    /// the names), and every generated crate's front page lists its provider's.
    pub fn env_vars(provider: Provider) -> &'static [cloudspec_provider_env::CredentialVars] {
        cloudspec_provider_env::credential_vars(provider.env_table())
    }

    /// Credentials from the environment for `provider`, or `None` when no pair is set.
    pub fn from_env(provider: Provider) -> Option<Self> {
        Self::from_lookup(provider, |name| std::env::var(name).ok())
    }

    /// Like [`Credentials::from_env`], reading variables through `lookup` (for tests).
    pub fn from_lookup(
        provider: Provider,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Option<Self> {
        Self::env_vars(provider)
            .iter()
            .find_map(|(id, secret, token)| {
                let id = lookup(id).filter(|value| !value.is_empty())?;
                let secret = lookup(secret).filter(|value| !value.is_empty())?;
                let token = token.and_then(&lookup).filter(|value| !value.is_empty());
                let credentials = Self::new(id, secret);
                Some(match token {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                })
            })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "expiry",
                &self
                    .expiry
                    .map(|expiry| jiff::Timestamp::try_from(expiry).ok()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_or_token() {
        let credentials = Credentials::new("AKID", "very-secret-value")
            .with_security_token("session-token-value");
        let shown = format!("{credentials:?} {credentials:#?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret-value"));
        assert!(!shown.contains("session-token-value"));
    }

    #[test]
    fn environment_lookup_per_provider() {
        let env = |name: &str| match name {
            "TENCENTCLOUD_SECRET_ID" => Some("id".to_owned()),
            "TENCENTCLOUD_SECRET_KEY" => Some("key".to_owned()),
            _ => None,
        };
        let found = Credentials::from_lookup(Provider::Tencent, env).expect("tencent credentials");
        assert_eq!(found.access_key_id(), "id");
        assert_eq!(found.security_token(), None);
        assert!(Credentials::from_lookup(Provider::Alibaba, env).is_none());
    }
}
