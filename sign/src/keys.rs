//! Keys derived from a secret, kept from one request to the next.
//!
//! Every HMAC-SHA256 scheme starts each signature with work that depends only on the secret
//! and, for TC3, on the date and the service: TC3 derives its signing key through three HMACs
//! (`kDate`, `kService`, `kSigning`: twelve SHA-256 blocks), and every scheme then hashes the
//! key's inner and outer pads (two blocks) before the string to sign. A [`SigningKeys`] keeps
//! that keyed HMAC state, so a signer that is given one ([`SigningCredentials::with_keys`])
//! does this work once per secret, date and service instead of once per request. The result
//! is the same signature; only where the work happens changes.
//!
//! One cache belongs to one secret: an entry remembers the secret it was derived from and is
//! used only for that secret, so a cache given the wrong credentials derives again instead of
//! signing with another key. It holds at most [`SigningKeys::CAPACITY`] entries (dates roll
//! over daily, and a client talks to few services); the oldest goes first.
//!
//! [`SigningCredentials::with_keys`]: crate::SigningCredentials::with_keys

use std::fmt;
use std::sync::Mutex;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256 with its key already absorbed: clone it, feed the message, finalize.
pub(crate) type KeyedSha256 = Hmac<Sha256>;

/// What a cached key is for, besides the secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyUse<'a> {
    /// The secret itself is the HMAC key (ACS3, bce-auth-v1's first HMAC).
    Secret,
    /// TC3's `kSigning` for a date (`yyyy-mm-dd`) and a service.
    Tc3 { date: &'a str, service: &'a str },
}

struct Entry {
    secret: String,
    tc3: Option<(String, String)>,
    mac: KeyedSha256,
}

impl Entry {
    fn matches(&self, secret: &str, key_use: KeyUse<'_>) -> bool {
        let use_matches = match (key_use, &self.tc3) {
            (KeyUse::Secret, None) => true,
            (KeyUse::Tc3 { date, service }, Some((d, s))) => d == date && s == service,
            _ => false,
        };
        use_matches && crate::constant_time_eq(&self.secret, secret)
    }
}

/// A cache of keyed HMAC states derived from one secret (see the [module docs](self)).
///
/// Share one per set of credentials (behind an `Arc`, or inside a type that is shared);
/// `Debug` shows only how many keys it holds.
#[derive(Default)]
pub struct SigningKeys {
    entries: Mutex<Vec<Entry>>,
}

impl SigningKeys {
    /// The most keys kept; the oldest is dropped for a new one.
    pub const CAPACITY: usize = 8;

    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many keys the cache holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the cache holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // A panic while the lock was held cannot leave an entry half-written (entries are
        // pushed whole), so a poisoned cache is still sound.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The keyed state for `secret` and `key_use`, derived with `derive` (the HMAC key)
    /// the first time.
    pub(crate) fn keyed(
        &self,
        secret: &str,
        key_use: KeyUse<'_>,
        derive: impl FnOnce() -> KeyedSha256,
    ) -> KeyedSha256 {
        if let Some(entry) = self.lock().iter().find(|e| e.matches(secret, key_use)) {
            return entry.mac.clone();
        }
        let mac = derive();
        let mut entries = self.lock();
        if !entries.iter().any(|e| e.matches(secret, key_use)) {
            if entries.len() >= Self::CAPACITY {
                entries.remove(0);
            }
            entries.push(Entry {
                secret: secret.to_owned(),
                tc3: match key_use {
                    KeyUse::Secret => None,
                    KeyUse::Tc3 { date, service } => Some((date.to_owned(), service.to_owned())),
                },
                mac: mac.clone(),
            });
        }
        mac
    }
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeys")
            .field("keys", &self.len())
            .finish()
    }
}

/// HMAC-SHA256 keyed with `key` (any length: long keys are hashed, short ones padded).
pub(crate) fn keyed_sha256(key: &[u8]) -> KeyedSha256 {
    <KeyedSha256 as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// The keyed state for `key_use` of `secret`: from `keys` when given, else derived now.
pub(crate) fn keyed_for(
    keys: Option<&SigningKeys>,
    secret: &str,
    key_use: KeyUse<'_>,
    derive: impl FnOnce() -> KeyedSha256,
) -> KeyedSha256 {
    match keys {
        Some(keys) => keys.keyed(secret, key_use, derive),
        None => derive(),
    }
}

/// The state keyed with the secret itself (ACS3's signature, bce-auth-v1's first HMAC).
pub(crate) fn keyed_with_secret(keys: Option<&SigningKeys>, secret: &str) -> KeyedSha256 {
    keyed_for(keys, secret, KeyUse::Secret, || {
        keyed_sha256(secret.as_bytes())
    })
}

/// `HMAC(state, data)` as bytes.
pub(crate) fn finish_sha256(mut mac: KeyedSha256, data: &[u8]) -> [u8; 32] {
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derive_counting<'a>(
        key: &'a [u8],
        count: &'a std::cell::Cell<usize>,
    ) -> impl FnOnce() -> KeyedSha256 + 'a {
        move || {
            count.set(count.get() + 1);
            keyed_sha256(key)
        }
    }

    #[test]
    fn a_key_is_derived_once_per_secret_and_use() {
        let keys = SigningKeys::new();
        let count = std::cell::Cell::new(0);
        let tc3 = KeyUse::Tc3 {
            date: "2019-02-25",
            service: "cvm",
        };
        let first = keys.keyed("secret", tc3, derive_counting(b"k", &count));
        let again = keys.keyed("secret", tc3, derive_counting(b"k", &count));
        assert_eq!(count.get(), 1, "the second request reuses the key");
        assert_eq!(finish_sha256(first, b"m"), finish_sha256(again, b"m"));

        // Another date, another service, the secret itself, another secret: each derives.
        keys.keyed(
            "secret",
            KeyUse::Tc3 {
                date: "2019-02-26",
                service: "cvm",
            },
            derive_counting(b"k", &count),
        );
        keys.keyed(
            "secret",
            KeyUse::Tc3 {
                date: "2019-02-25",
                service: "cbs",
            },
            derive_counting(b"k", &count),
        );
        keys.keyed("secret", KeyUse::Secret, derive_counting(b"k", &count));
        keys.keyed("other", tc3, derive_counting(b"k", &count));
        assert_eq!(count.get(), 5);
        assert_eq!(keys.len(), 5);
    }

    #[test]
    fn the_oldest_key_goes_when_full() {
        let keys = SigningKeys::new();
        let count = std::cell::Cell::new(0);
        let dates: Vec<String> = (1..=SigningKeys::CAPACITY + 1)
            .map(|d| format!("2019-02-{d:02}"))
            .collect();
        for date in &dates {
            keys.keyed(
                "s",
                KeyUse::Tc3 {
                    date,
                    service: "cvm",
                },
                derive_counting(b"k", &count),
            );
        }
        assert_eq!(keys.len(), SigningKeys::CAPACITY);
        // The newest is still there; the first was dropped and derives again.
        keys.keyed(
            "s",
            KeyUse::Tc3 {
                date: &dates[SigningKeys::CAPACITY],
                service: "cvm",
            },
            derive_counting(b"k", &count),
        );
        assert_eq!(count.get(), SigningKeys::CAPACITY + 1);
        keys.keyed(
            "s",
            KeyUse::Tc3 {
                date: &dates[0],
                service: "cvm",
            },
            derive_counting(b"k", &count),
        );
        assert_eq!(count.get(), SigningKeys::CAPACITY + 2);
    }

    #[test]
    fn debug_shows_no_secret() {
        let keys = SigningKeys::new();
        keys.keyed("top-secret", KeyUse::Secret, || keyed_sha256(b"top-secret"));
        let shown = format!("{keys:?}");
        assert_eq!(shown, "SigningKeys { keys: 1 }");
    }
}
