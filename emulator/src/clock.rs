//! The emulator's notion of "now": the system clock, or a manual clock tests move by hand.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// A clock. Signature freshness checks and the CVM rate limit read it.
///
/// [`Clock::system`] (the default) follows real time. [`Clock::manual`] stands still until
/// [`Clock::advance`] or [`Clock::set`] moves it, so tests of time windows need no sleeping.
/// Clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<Timestamp>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { manual: None }
    }

    /// A manual clock standing at `start`.
    pub fn manual(start: Timestamp) -> Self {
        Clock {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    /// A manual clock standing at the current system time.
    pub fn manual_now() -> Self {
        Clock::manual(Timestamp::now())
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        match &self.manual {
            None => Timestamp::now(),
            Some(time) => *time.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Moves a manual clock forward by `by`. Returns false (and does nothing) for the
    /// system clock or when the result would be out of range.
    pub fn advance(&self, by: Duration) -> bool {
        let Some(time) = &self.manual else {
            return false;
        };
        let Ok(by) = SignedDuration::try_from(by) else {
            return false;
        };
        let mut time = time.lock().unwrap_or_else(PoisonError::into_inner);
        match time.checked_add(by) {
            Ok(next) => {
                *time = next;
                true
            }
            Err(_) => false,
        }
    }

    /// Sets a manual clock to `to`. Returns false (and does nothing) for the system clock.
    pub fn set(&self, to: Timestamp) -> bool {
        match &self.manual {
            None => false,
            Some(time) => {
                *time.lock().unwrap_or_else(PoisonError::into_inner) = to;
                true
            }
        }
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }
}

/// A client's clock can be the emulator's: signatures and the freshness of cached
/// credentials then follow a manual clock as the emulator does
/// (`Config::with_time_source(Arc::new(emulator.clock().clone()))`).
impl cloudspec_runtime::credentials::TimeSource for Clock {
    fn now(&self) -> std::time::SystemTime {
        std::time::SystemTime::from(Clock::now(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = Clock::manual(Timestamp::UNIX_EPOCH);
        assert_eq!(clock.now(), Timestamp::UNIX_EPOCH);
        assert!(clock.advance(Duration::from_millis(1500)));
        assert_eq!(clock.now().as_millisecond(), 1500);
        let shared = clock.clone();
        assert!(shared.set(Timestamp::from_second(10).unwrap()));
        assert_eq!(clock.now().as_second(), 10);
        assert!(!Clock::system().advance(Duration::from_secs(1)));
    }
}
