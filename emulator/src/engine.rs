//! The shared, mutable side of a running emulator: keys, the world of resources,
//! idempotency tokens, pending faults and rate windows.
//!
//! Every call's check-and-change happens under one lock of [`World`], so a call either
//! sees and changes the state whole or not at all: no lost update, no half-applied delete.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use cloudspec_runtime::behaviour::{Kind, Presence};

use crate::behaviour::{Hooks, Patterns};
use crate::clock::Clock;
use crate::http::Reply;
use crate::service::Service;
use crate::state::{AccessKey, Fault, Provider, Resource, State};

/// The secret and account of an access key, and for temporary credentials minted by an
/// operation that issues them (spec `issues_credentials`), their token and expiry.
#[derive(Debug, Clone)]
pub(crate) struct KeyEntry {
    pub secret: String,
    pub account: String,
    /// The security token a request signed with this key must carry.
    pub token: Option<String>,
    /// When the key stops being accepted.
    pub expires: Option<jiff::Timestamp>,
}

/// Why a key cannot sign a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// No such key.
    NotFound,
    /// A temporary key without its token, or with another.
    TokenMismatch,
    /// A temporary key past its expiry.
    Expired,
}

/// Temporary credentials minted for a caller.
#[derive(Debug, Clone)]
pub(crate) struct Minted {
    pub id: String,
    pub secret: String,
    pub token: String,
}

/// Where a resource is kept: its service, type and ID.
pub(crate) type ResourceKey = (Service, String, String);

/// Resources and idempotency records.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub resources: BTreeMap<ResourceKey, Resource>,
    /// Idempotency-token records, by (service, account, token).
    pub tokens: HashMap<(Service, String, String), TokenRecord>,
}

/// What a client token was first used for, and the answer it got.
#[derive(Debug, Clone)]
pub(crate) struct TokenRecord {
    pub fingerprint: String,
    pub reply: Reply,
}

impl World {
    fn from_state(state: &State) -> World {
        World {
            resources: state
                .resources
                .iter()
                .map(|resource| {
                    (
                        (
                            resource.service,
                            resource.resource_type.clone(),
                            resource.id.clone(),
                        ),
                        resource.clone(),
                    )
                })
                .collect(),
            tokens: HashMap::new(),
        }
    }

    /// Looks up the `resource_type` `id` of `service` for `account` in `region` (`None`:
    /// any region): how it looks to the caller, and the resource when it is visible.
    pub fn find(
        &self,
        service: Service,
        resource_type: &str,
        id: &str,
        account: &str,
        region: Option<&str>,
    ) -> (Presence, Option<&Resource>) {
        let Some(resource) =
            self.resources
                .get(&(service, resource_type.to_owned(), id.to_owned()))
        else {
            return (Presence::Missing, None);
        };
        if let (Some(wanted), Some(actual)) = (region, resource.region.as_deref())
            && wanted != actual
        {
            return (Presence::Missing, None);
        }
        let own = resource.account == account;
        let presence = match resource.kind {
            Kind::Custom | Kind::Public if own => Presence::Owned,
            Kind::System | Kind::ServiceIntegration | Kind::Public => Presence::Foreign,
            Kind::SharedFromOthers if own => Presence::Foreign,
            _ if resource.shared_with.iter().any(|a| a == account) => Presence::Foreign,
            _ => Presence::Missing,
        };
        match presence {
            Presence::Missing => (presence, None),
            _ => (presence, Some(resource)),
        }
    }

    /// Removes a resource.
    pub fn remove(&mut self, service: Service, resource_type: &str, id: &str) -> Option<Resource> {
        self.resources
            .remove(&(service, resource_type.to_owned(), id.to_owned()))
    }
}

/// Everything a running emulator shares between connections.
pub(crate) struct Shared {
    pub clock: Clock,
    initial: Mutex<State>,
    keys: RwLock<HashMap<(Provider, String), KeyEntry>>,
    world: Mutex<World>,
    faults: Mutex<VecDeque<Fault>>,
    rates: Mutex<HashMap<(String, String), VecDeque<i128>>>,
    /// Where `POST /_emulator/state/save` writes the state (`--state-out`), if anywhere.
    state_out: Option<std::path::PathBuf>,
    /// Whether every request served is logged ([`crate::EmulatorBuilder::log_requests`]).
    pub log_requests: bool,
    /// The ID patterns of the registry's behaviours, compiled once.
    pub patterns: Patterns,
    /// The registered hooks.
    pub hooks: Hooks,
    /// Instance roles served by the metadata paths: (provider, role, account).
    instance_roles: Vec<(Provider, String, String)>,
    /// Metadata session tokens issued (IMDSv2), with when each expires.
    metadata_tokens: Mutex<HashMap<String, jiff::Timestamp>>,
    /// Identity tokens accepted by unsigned operations: (provider, token, account).
    web_identities: Vec<(Provider, String, String)>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("clock", &self.clock)
            .field("state_out", &self.state_out)
            .field("log_requests", &self.log_requests)
            .finish_non_exhaustive()
    }
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
                    token: None,
                    expires: None,
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
            patterns: Patterns::of_registry(),
            hooks: Hooks::new(),
            instance_roles: Vec::new(),
            metadata_tokens: Mutex::new(HashMap::new()),
            web_identities: Vec::new(),
        }
    }

    /// The same shared state, accepting `identities` (provider, token, account) as the
    /// identity tokens of unsigned operations.
    #[must_use]
    pub fn with_web_identities(mut self, identities: Vec<(Provider, String, String)>) -> Shared {
        self.web_identities = identities;
        self
    }

    /// The account `token` stands for on `provider`, when it was given to the emulator.
    pub fn web_identity_account(&self, provider: Provider, token: &str) -> Option<&str> {
        self.web_identities
            .iter()
            .find(|(of, known, _)| *of == provider && known == token)
            .map(|(_, _, account)| account.as_str())
    }

    /// The same shared state, serving `roles` (provider, role, account) on the metadata
    /// paths.
    #[must_use]
    pub fn with_instance_roles(mut self, roles: Vec<(Provider, String, String)>) -> Shared {
        self.instance_roles = roles;
        self
    }

    /// The (role, account) pairs of `provider`'s instance roles.
    pub fn instance_roles(&self, provider: Provider) -> Vec<(String, String)> {
        self.instance_roles
            .iter()
            .filter(|(of, _, _)| *of == provider)
            .map(|(_, role, account)| (role.clone(), account.clone()))
            .collect()
    }

    /// Issues a metadata session token that expires at `expires`, forgetting the tokens
    /// that have expired (an SDK asks for one before every read, so they would pile up).
    pub fn issue_metadata_token(&self, expires: jiff::Timestamp) -> String {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let now = self.clock.now();
        let mut tokens = lock(&self.metadata_tokens);
        tokens.retain(|_, expiry| *expiry > now);
        tokens.insert(token.clone(), expires);
        token
    }

    /// Whether `token` was issued here and has not expired by the emulator's clock.
    pub fn knows_metadata_token(&self, token: &str) -> bool {
        let now = self.clock.now();
        lock(&self.metadata_tokens)
            .get(token)
            .is_some_and(|expires| *expires > now)
    }

    /// The same shared state, with `hooks`.
    #[must_use]
    pub fn with_hooks(mut self, hooks: Hooks) -> Shared {
        self.hooks = hooks;
        self
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

    /// The secret and account of `provider`'s key `id` for a request carrying `token`: a
    /// temporary key needs its own token and must not have expired (by the emulator's
    /// clock); a long-lived key ignores any token.
    pub fn key_with_token(
        &self,
        provider: Provider,
        id: &str,
        token: Option<&str>,
    ) -> Result<KeyEntry, KeyProblem> {
        let key = self.key(provider, id).ok_or(KeyProblem::NotFound)?;
        if let Some(expected) = &key.token {
            if token != Some(expected.as_str()) {
                return Err(KeyProblem::TokenMismatch);
            }
            if key
                .expires
                .is_some_and(|expires| self.clock.now() >= expires)
            {
                return Err(KeyProblem::Expired);
            }
        }
        Ok(key)
    }

    /// Mints temporary credentials of `provider` for `account`, accepted until `expires`.
    pub fn mint_key(&self, provider: Provider, account: &str, expires: jiff::Timestamp) -> Minted {
        let simple = || uuid::Uuid::new_v4().simple().to_string();
        let minted = Minted {
            id: format!("STS.{}", &simple()[..20]),
            secret: simple(),
            token: format!("{}{}", simple(), simple()),
        };
        self.keys
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                (provider, minted.id.clone()),
                KeyEntry {
                    secret: minted.secret.clone(),
                    account: account.to_owned(),
                    token: Some(minted.token.clone()),
                    expires: Some(expires),
                },
            );
        minted
    }

    /// The world, locked.
    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Takes one call's worth of the first pending fault for `operation` of `service`.
    pub fn take_fault(&self, service: Service, operation: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        if faults.is_empty() {
            return None;
        }
        let index = faults
            .iter()
            .position(|fault| fault.hits(service, operation))?;
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
    /// fewer than `limit` admitted calls of `operation` (a key such as `service/operation`)
    /// in the second before now.
    pub fn admit(&self, operation: &str, account: &str, limit: u32) -> bool {
        let now = self.clock.now().as_nanosecond();
        let window_start = now - 1_000_000_000;
        let mut rates = lock(&self.rates);
        let calls = rates
            .entry((operation.to_owned(), account.to_owned()))
            .or_default();
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

    /// The current state: the keys, the resources left, the pending faults.
    pub fn current_state(&self) -> State {
        let access_keys = lock(&self.initial).access_keys.clone();
        let resources = self.world().resources.values().cloned().collect();
        State {
            access_keys,
            resources,
            faults: self.pending_faults(),
        }
    }
}

#[cfg(test)]
mod tests {
    //! On the registry's first two services and their first resource types: the engine
    //! names none.

    use super::*;
    use crate::state::FaultKind;
    use std::time::Duration;

    fn services() -> (Service, Service) {
        let mut all = Service::all().filter(|service| service.default_resource_type().is_some());
        let first = all.next().expect("a service with resources");
        let second = all.next().expect("two services with resources");
        (first, second)
    }

    fn shared() -> Shared {
        let (first, _) = services();
        let state = State::new()
            .with_resource(Resource::new(first, "m-own", "a").in_region("r1"))
            .with_resource(Resource::new(first, "m-sys", "x").with_kind(Kind::System))
            .with_resource(Resource::new(first, "m-shared", "b").shared_with("a"))
            .with_resource(Resource::new(first, "m-other", "b"))
            .validated()
            .unwrap();
        Shared::new(state, Clock::manual(jiff::Timestamp::UNIX_EPOCH))
    }

    #[test]
    fn lookup_depends_on_account_and_region() {
        let shared = shared();
        let world = shared.world();
        let (first, second) = services();
        let first_type = first.default_resource_type().map_or("", |t| t.name);
        let presence = |id: &str, account: &str, region: Option<&str>| {
            world.find(first, first_type, id, account, region).0
        };
        assert_eq!(presence("m-own", "a", Some("r1")), Presence::Owned);
        assert_eq!(presence("m-own", "a", None), Presence::Owned);
        assert_eq!(presence("m-own", "a", Some("r2")), Presence::Missing);
        assert_eq!(presence("m-own", "b", Some("r1")), Presence::Missing);
        assert_eq!(presence("m-sys", "a", None), Presence::Foreign);
        assert_eq!(presence("m-shared", "a", None), Presence::Foreign);
        assert_eq!(presence("m-other", "a", None), Presence::Missing);
        let second_type = second.default_resource_type().map_or("", |t| t.name);
        assert_eq!(
            world.find(second, second_type, "m-own", "a", None).0,
            Presence::Missing,
            "another service's resources are not this one's"
        );
    }

    #[test]
    fn faults_are_consumed_in_order_and_by_count() {
        let shared = shared();
        let (first, second) = services();
        let (first_op, second_op) = (
            first.operations()[0].meta.name,
            second.operations()[0].meta.name,
        );
        shared
            .push_fault(Fault::new(first, FaultKind::Throttle).times(2))
            .unwrap();
        shared
            .push_fault(Fault::new(second, FaultKind::Drop))
            .unwrap();
        shared
            .push_fault(Fault::new(first, FaultKind::Error500))
            .unwrap();
        let kinds: Vec<_> = std::iter::from_fn(|| shared.take_fault(first, first_op))
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
            shared.take_fault(second, second_op).map(|f| f.kind),
            Some(FaultKind::Drop)
        );
        assert!(shared.take_fault(second, second_op).is_none());
    }

    #[test]
    fn rate_window_slides() {
        let shared = shared();
        for _ in 0..3 {
            assert!(shared.admit("op", "a", 3));
        }
        assert!(!shared.admit("op", "a", 3));
        assert!(shared.admit("op", "b", 3), "windows are per account");
        assert!(shared.admit("other", "a", 3), "and per operation");
        shared.clock.advance(Duration::from_millis(999));
        assert!(!shared.admit("op", "a", 3));
        shared.clock.advance(Duration::from_millis(1));
        assert!(shared.admit("op", "a", 3));
    }
}
