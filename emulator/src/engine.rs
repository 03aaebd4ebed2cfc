//! The shared, mutable side of a running emulator: keys, the world of images and
//! snapshots, idempotency tokens, pending faults and rate windows.
//!
//! Every call's check-and-change happens under one lock of [`World`], so a call either
//! sees and changes the state whole or not at all: no lost update, no half-applied delete.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use crate::clock::Clock;
use crate::http::Reply;
use crate::state::{AccessKey, Fault, Image, ImageKind, Provider, Service, Snapshot, State};

/// The secret and account of an access key.
#[derive(Debug, Clone)]
pub(crate) struct KeyEntry {
    pub secret: String,
    pub account: String,
}

/// Images, snapshots and idempotency records.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub images: BTreeMap<(Service, String), Image>,
    pub snapshots: BTreeMap<String, Snapshot>,
    /// SWAS `ClientToken` records, by (account, token).
    pub tokens: HashMap<(String, String), TokenRecord>,
}

/// What a client token was first used for, and the answer it got.
#[derive(Debug, Clone)]
pub(crate) struct TokenRecord {
    pub fingerprint: String,
    pub reply: Reply,
}

/// How an image ID looks to a caller.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found<'a> {
    /// No such image for this caller (absent, another account's, another region's).
    Missing,
    /// Visible but not the caller's own custom image: system, service-integration, another
    /// account's community image, or one shared with the caller.
    Foreign,
    /// The caller's own custom (or community) image.
    Owned(&'a Image),
}

impl World {
    fn from_state(state: &State) -> World {
        World {
            images: state
                .images
                .iter()
                .map(|image| ((image.service, image.id.clone()), image.clone()))
                .collect(),
            snapshots: state
                .snapshots
                .iter()
                .map(|snapshot| (snapshot.id.clone(), snapshot.clone()))
                .collect(),
            tokens: HashMap::new(),
        }
    }

    /// Looks `id` up for `account` in `region` (`None`: any region).
    pub fn find(
        &self,
        service: Service,
        id: &str,
        account: &str,
        region: Option<&str>,
    ) -> Found<'_> {
        let Some(image) = self.images.get(&(service, id.to_owned())) else {
            return Found::Missing;
        };
        if let (Some(wanted), Some(actual)) = (region, image.region.as_deref()) {
            if wanted != actual {
                return Found::Missing;
            }
        }
        let own = image.account == account;
        match image.kind {
            ImageKind::Custom | ImageKind::Public if own => Found::Owned(image),
            ImageKind::System | ImageKind::ServiceIntegration | ImageKind::Public => Found::Foreign,
            ImageKind::SharedFromOthers if own => Found::Foreign,
            _ if image.shared_with.iter().any(|a| a == account) => Found::Foreign,
            _ => Found::Missing,
        }
    }

    /// Removes an image.
    pub fn remove(&mut self, service: Service, id: &str) -> Option<Image> {
        self.images.remove(&(service, id.to_owned()))
    }
}

/// Everything a running emulator shares between connections.
#[derive(Debug)]
pub(crate) struct Shared {
    pub clock: Clock,
    initial: Mutex<State>,
    keys: RwLock<HashMap<(Provider, String), KeyEntry>>,
    world: Mutex<World>,
    faults: Mutex<VecDeque<Fault>>,
    rates: Mutex<HashMap<String, VecDeque<i128>>>,
    /// Where `POST /_emulator/state/save` writes the state (`--state-out`), if anywhere.
    state_out: Option<std::path::PathBuf>,
    /// Whether every request served is logged ([`crate::EmulatorBuilder::log_requests`]).
    pub log_requests: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn key_map(keys: &[AccessKey]) -> HashMap<(Provider, String), KeyEntry> {
    keys.iter()
        .map(|key| {
            (
                (key.provider, key.id.clone()),
                KeyEntry {
                    secret: key.secret.clone(),
                    account: key.account.clone(),
                },
            )
        })
        .collect()
}

impl Shared {
    /// A shared state seeded with `state` (already validated).
    pub fn new(state: State, clock: Clock) -> Shared {
        Shared {
            clock,
            keys: RwLock::new(key_map(&state.access_keys)),
            world: Mutex::new(World::from_state(&state)),
            faults: Mutex::new(state.faults.iter().cloned().collect()),
            rates: Mutex::new(HashMap::new()),
            initial: Mutex::new(state),
            state_out: None,
            log_requests: false,
        }
    }

    /// The same shared state, logging every request served when `on`.
    #[must_use]
    pub fn with_request_log(mut self, on: bool) -> Shared {
        self.log_requests = on;
        self
    }

    /// The same shared state, saving to `path` on `POST /_emulator/state/save`.
    #[must_use]
    pub fn with_state_out(mut self, path: Option<std::path::PathBuf>) -> Shared {
        self.state_out = path;
        self
    }

    /// Where the state is saved on request, if anywhere.
    pub fn state_out(&self) -> Option<&std::path::Path> {
        self.state_out.as_deref()
    }

    /// The secret and account of `provider`'s key `id`.
    pub fn key(&self, provider: Provider, id: &str) -> Option<KeyEntry> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(provider, id.to_owned()))
            .cloned()
    }

    /// The world, locked.
    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Takes one call's worth of the first pending fault for `service`'s operation.
    pub fn take_fault(&self, service: Service) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        if faults.is_empty() {
            return None;
        }
        let index = faults.iter().position(|fault| fault.service == service)?;
        let fault = faults.get_mut(index)?;
        fault.count = fault.count.saturating_sub(1);
        let mut taken = fault.clone();
        taken.count = 1;
        if fault.count == 0 {
            faults.remove(index);
        }
        Some(taken)
    }

    /// Queues a fault after checking it.
    pub fn push_fault(&self, fault: Fault) -> Result<(), String> {
        fault.validate()?;
        lock(&self.faults).push_back(fault);
        Ok(())
    }

    /// Pending faults, in order, with their remaining counts.
    pub fn pending_faults(&self) -> Vec<Fault> {
        lock(&self.faults).iter().cloned().collect()
    }

    /// Drops every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Sliding one-second window: admits the call (and records it) when `account` made
    /// fewer than `limit` admitted calls in the second before now.
    pub fn admit(&self, account: &str, limit: u32) -> bool {
        let now = self.clock.now().as_nanosecond();
        let window_start = now - 1_000_000_000;
        let mut rates = lock(&self.rates);
        let calls = rates.entry(account.to_owned()).or_default();
        while calls.front().is_some_and(|&at| at <= window_start) {
            calls.pop_front();
        }
        if calls.len() >= limit as usize {
            return false;
        }
        calls.push_back(now);
        true
    }

    /// Restores the initial state, or replaces it with `state` (already validated).
    pub fn reset(&self, state: Option<State>) {
        let mut initial = lock(&self.initial);
        if let Some(state) = state {
            *initial = state;
        }
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = key_map(&initial.access_keys);
        *lock(&self.world) = World::from_state(&initial);
        *lock(&self.faults) = initial.faults.iter().cloned().collect();
        lock(&self.rates).clear();
    }

    /// The current state: the keys, the images and snapshots left, the pending faults.
    pub fn current_state(&self) -> State {
        let access_keys = lock(&self.initial).access_keys.clone();
        let (images, snapshots) = {
            let world = self.world();
            (
                world.images.values().cloned().collect(),
                world.snapshots.values().cloned().collect(),
            )
        };
        State {
            access_keys,
            images,
            snapshots,
            faults: self.pending_faults(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::FaultKind;
    use std::time::Duration;

    fn shared() -> Shared {
        let state = State::new()
            .with_image(Image::new(Service::Ecs, "m-own", "a").in_region("r1"))
            .with_image(Image::new(Service::Ecs, "m-sys", "x").with_kind(ImageKind::System))
            .with_image(Image::new(Service::Ecs, "m-shared", "b").shared_with("a"))
            .with_image(Image::new(Service::Ecs, "m-other", "b"))
            .validated()
            .unwrap();
        Shared::new(state, Clock::manual(jiff::Timestamp::UNIX_EPOCH))
    }

    #[test]
    fn lookup_depends_on_account_and_region() {
        let shared = shared();
        let world = shared.world();
        assert!(matches!(
            world.find(Service::Ecs, "m-own", "a", Some("r1")),
            Found::Owned(_)
        ));
        assert!(matches!(
            world.find(Service::Ecs, "m-own", "a", None),
            Found::Owned(_)
        ));
        assert!(matches!(
            world.find(Service::Ecs, "m-own", "a", Some("r2")),
            Found::Missing
        ));
        assert!(matches!(
            world.find(Service::Ecs, "m-own", "b", Some("r1")),
            Found::Missing
        ));
        assert!(matches!(
            world.find(Service::Ecs, "m-sys", "a", None),
            Found::Foreign
        ));
        assert!(matches!(
            world.find(Service::Ecs, "m-shared", "a", None),
            Found::Foreign
        ));
        assert!(matches!(
            world.find(Service::Ecs, "m-other", "a", None),
            Found::Missing
        ));
        assert!(matches!(
            world.find(Service::Ens, "m-own", "a", None),
            Found::Missing
        ));
    }

    #[test]
    fn faults_are_consumed_in_order_and_by_count() {
        let shared = shared();
        shared
            .push_fault(Fault::new(Service::Ecs, FaultKind::Throttle).times(2))
            .unwrap();
        shared
            .push_fault(Fault::new(Service::Cvm, FaultKind::Drop))
            .unwrap();
        shared
            .push_fault(Fault::new(Service::Ecs, FaultKind::Error500))
            .unwrap();
        let kinds: Vec<_> = std::iter::from_fn(|| shared.take_fault(Service::Ecs))
            .map(|f| f.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                FaultKind::Throttle,
                FaultKind::Throttle,
                FaultKind::Error500
            ]
        );
        assert_eq!(shared.pending_faults().len(), 1);
        assert_eq!(
            shared.take_fault(Service::Cvm).map(|f| f.kind),
            Some(FaultKind::Drop)
        );
        assert!(shared.take_fault(Service::Cvm).is_none());
    }

    #[test]
    fn rate_window_slides() {
        let shared = shared();
        for _ in 0..3 {
            assert!(shared.admit("a", 3));
        }
        assert!(!shared.admit("a", 3));
        assert!(shared.admit("b", 3), "windows are per account");
        shared.clock.advance(Duration::from_millis(999));
        assert!(!shared.admit("a", 3));
        shared.clock.advance(Duration::from_millis(1));
        assert!(shared.admit("a", 3));
    }
}
