//! A local emulator of the cloud APIs cloudspec generates clients for.
//!
//! One port serves every operation of every spec in the generated registry
//! (`cloudspec-services`), each in its provider's wire protocol: Alibaba Cloud RPC
//! (signature V1 or V3, the product chosen by `Version`), Tencent Cloud API 3.0 (TC3) and
//! Baidu AI Cloud REST (`bce-auth-v1`, routed by path template). Every request's signature
//! is verified with the keys of the [`State`]; its parameters are read from the spec's wire
//! locations and checked against the documented limits; an operation whose spec has a
//! `behaviour:` section runs those rules on the [`State`]'s resources, answering the
//! documented codes, statuses and messages from the generated `ERRORS` tables, and any other
//! operation is answered from its documented sample response. Nothing in this crate names a
//! service or an operation: a new spec and `cargo xtask regen` are all a new API needs.
//! Faults (throttling, 500/503, slow answers, dropped connections) can be injected from the
//! state file or at run time.
//!
//! ```no_run
//! # async fn example() -> Result<(), cloudspec_emulator::Error> {
//! use cloudspec_emulator::{Emulator, State};
//!
//! let state = State::from_yaml_file("examples/state.yaml")?;
//! let emulator = Emulator::builder().state(state).start().await?;
//! println!("emulating on {}", emulator.endpoint());
//! // Point a generated client at it:
//! // Config::new(Credentials::new(..)).with_endpoint(emulator.endpoint())
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! The emulator's own endpoints (no signature): `GET /_emulator/resources`,
//! `GET /_emulator/state`, `POST /_emulator/state/save`, `GET|POST|DELETE /_emulator/faults`,
//! `POST /_emulator/reset`, `GET /_emulator/health`. `README.md` documents the state file,
//! the endpoints and every behaviour, with the choices the documents leave open.
//!
//! The state lives in memory only and is lost when the process ends, unless it is written
//! out: [`RunningEmulator::state`] and [`State::write_yaml_file`] at any time, the admin call
//! `POST /_emulator/state/save` (to the file given to [`EmulatorBuilder::state_out`]), and
//! [`EmulatorBuilder::serve`] when it stops.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod behaviour;
mod call;
mod clock;
mod engine;
mod errors;
mod http;
mod instance;
mod issued;
mod log;
mod params;
mod protocol;
mod server;
mod service;
mod state;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use behaviour::{Hook, HookCall, HookRefusal};
pub use clock::Clock;
pub use server::ConnectionTimeouts;
pub use service::Service;
pub use state::{
    AccessKey, Fault, FaultKind, Kind, Provider, Resource, SaveStateError, State, StateError,
};

use engine::Shared;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The state is invalid.
    #[error(transparent)]
    State(#[from] StateError),
    /// The file given to [`EmulatorBuilder::state_out`] cannot be written (checked before
    /// serving starts).
    #[error("the state-out file cannot be written: {0}")]
    StateOut(#[source] SaveStateError),
    /// The final state could not be written when [`EmulatorBuilder::serve`] stopped.
    #[error("the state could not be saved: {0}")]
    Save(#[source] SaveStateError),
    /// A spec's behaviour names a hook that was not registered with
    /// [`EmulatorBuilder::hook`].
    #[error(
        "{operation} of {service} names hook `{hook}`, which is not registered; register it with EmulatorBuilder::hook"
    )]
    MissingHook {
        /// The service.
        service: String,
        /// The operation.
        operation: String,
        /// The hook's name.
        hook: String,
    },
}

/// Entry point: [`Emulator::builder`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder: empty state, `127.0.0.1:0` (a free port), the system clock.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            state: State::default(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            clock: Clock::system(),
            timeouts: ConnectionTimeouts::default(),
            state_out: None,
            log_requests: false,
            hooks: behaviour::Hooks::new(),
            instance_roles: Vec::new(),
            web_identities: Vec::new(),
        }
    }
}

/// Configures and starts an emulator.
pub struct EmulatorBuilder {
    state: State,
    addr: SocketAddr,
    clock: Clock,
    timeouts: ConnectionTimeouts,
    state_out: Option<PathBuf>,
    log_requests: bool,
    hooks: behaviour::Hooks,
    instance_roles: Vec<(Provider, String, String)>,
    web_identities: Vec<(Provider, String, String)>,
}

impl std::fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("state", &self.state)
            .field("addr", &self.addr)
            .field("clock", &self.clock)
            .field("timeouts", &self.timeouts)
            .field("state_out", &self.state_out)
            .field("log_requests", &self.log_requests)
            .field("hooks", &self.hooks.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl EmulatorBuilder {
    /// Registers the hook a spec names with `behaviour.hook: name`: what cannot be data
    /// (README, "Hooks"). It runs after the refusal rules and before the effects, and can
    /// refuse the call with a documented error code. [`EmulatorBuilder::start`] fails when a
    /// spec names a hook that is not registered.
    #[must_use]
    pub fn hook(
        mut self,
        name: impl Into<String>,
        hook: impl Fn(&HookCall<'_>) -> Result<(), HookRefusal> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.insert(name.into(), std::sync::Arc::new(hook));
        self
    }

    /// Prints one line per request served to standard error: method, service, action,
    /// outcome (status and error code) and latency (default off; `cloudspec emulate` turns
    /// it on unless `--quiet`).
    #[must_use]
    pub fn log_requests(mut self, on: bool) -> Self {
        self.log_requests = on;
        self
    }

    /// The state to serve (keys, resources, faults).
    #[must_use]
    pub fn state(mut self, state: State) -> Self {
        self.state = state;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free port).
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Gives the instance the emulator plays `role` of `account` on `provider`: the
    /// instance-metadata specs' operations name it and mint temporary credentials of the
    /// account for it (their `instance_metadata:` and `issues_credentials:` sections), valid
    /// by the emulator's clock for as long as the spec says.
    #[must_use]
    pub fn instance_role(
        mut self,
        provider: Provider,
        role: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        self.instance_roles
            .push((provider, role.into(), account.into()));
        self
    }

    /// Accepts `token` as an identity token of `account` on `provider`: an unsigned operation
    /// that issues credentials (STS AssumeRoleWithOIDC, AssumeRoleWithWebIdentity; a spec's
    /// `auth.identity_token`) mints them for that account when its token parameter carries
    /// `token`, and refuses any other token with the provider's invalid-parameter error.
    /// The emulator checks no JWT: the token is compared as given.
    #[must_use]
    pub fn web_identity(
        mut self,
        provider: Provider,
        token: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        self.web_identities
            .push((provider, token.into(), account.into()));
        self
    }

    /// The clock for signature freshness and rate windows (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How long to wait for request heads (and on idle connections) and bodies (default
    /// [`ConnectionTimeouts::default`]: 10 s and 30 s).
    #[must_use]
    pub fn timeouts(mut self, timeouts: ConnectionTimeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The file to keep the state in (default: none, the state lives in memory only):
    /// `POST /_emulator/state/save` writes the current state there, and
    /// [`EmulatorBuilder::serve`] writes it when it stops. The file is in the state-file
    /// format (YAML, read back with [`State::from_yaml_file`]) and is replaced atomically
    /// ([`State::write_yaml_file`]). [`EmulatorBuilder::start`] checks that it can be written.
    #[must_use]
    pub fn state_out(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_out = Some(path.into());
        self
    }

    /// Validates the state, checks that the [`EmulatorBuilder::state_out`] file can be
    /// written, binds the address and starts serving in the background.
    pub async fn start(self) -> Result<RunningEmulator, Error> {
        for service in Service::all() {
            for operation in service.operations() {
                if let Some(hook) = operation.behaviour.and_then(|behaviour| behaviour.hook)
                    && !self.hooks.contains_key(hook)
                {
                    return Err(Error::MissingHook {
                        service: service.command().to_owned(),
                        operation: operation.meta.name.to_owned(),
                        hook: hook.to_owned(),
                    });
                }
            }
        }
        let state = self.state.validated()?;
        if let Some(path) = &self.state_out {
            state::check_writable(path).map_err(Error::StateOut)?;
        }
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: self.addr,
            source,
        })?;
        let shared = Arc::new(
            Shared::new(state, self.clock)
                .with_state_out(self.state_out.clone())
                .with_request_log(self.log_requests)
                .with_hooks(self.hooks)
                .with_instance_roles(self.instance_roles)
                .with_web_identities(self.web_identities),
        );
        let (shutdown, receiver) = watch::channel(false);
        let task = tokio::spawn(server::accept_loop(
            listener,
            shared.clone(),
            receiver,
            self.timeouts,
        ));
        Ok(RunningEmulator {
            addr,
            shared,
            shutdown,
            task: Some(task),
            state_out: self.state_out,
        })
    }

    /// Starts (as [`EmulatorBuilder::start`]), prints `cloudspec emulator listening on
    /// http://ADDR` to standard output, serves until `shutdown` completes (wire Ctrl-C and
    /// SIGTERM to it), stops, and then writes the final state to the
    /// [`EmulatorBuilder::state_out`] file when one was given. The state is taken after open
    /// connections have finished, so no answered call is missing from it.
    pub async fn serve(self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        let emulator = self.start().await?;
        println!("cloudspec emulator listening on {}", emulator.endpoint());
        shutdown.await;
        let shared = emulator.shared.clone();
        let state_out = emulator.state_out.clone();
        emulator.shutdown().await;
        if let Some(path) = state_out {
            shared
                .current_state()
                .write_yaml_file(&path)
                .map_err(Error::Save)?;
        }
        Ok(())
    }
}

/// A running emulator. Dropping it stops the server too; [`RunningEmulator::shutdown`]
/// also waits until open connections are done.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    state_out: Option<PathBuf>,
}

impl RunningEmulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint to give clients: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The clock it reads (move a manual clock with [`Clock::advance`]).
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Every resource left, ordered by service, type and ID.
    pub fn resources(&self) -> Vec<Resource> {
        self.shared.world().resources.values().cloned().collect()
    }

    /// The resource `id` of `service` (of any of its types), if it is still there.
    pub fn resource(&self, service: Service, id: &str) -> Option<Resource> {
        self.shared
            .world()
            .resources
            .iter()
            .find(|((owner, _, key), _)| *owner == service && key == id)
            .map(|(_, resource)| resource.clone())
    }

    /// The current state: keys, resources left, pending faults.
    pub fn state(&self) -> State {
        self.shared.current_state()
    }

    /// The file given to [`EmulatorBuilder::state_out`], if any.
    pub fn state_out(&self) -> Option<&Path> {
        self.state_out.as_deref()
    }

    /// Writes the current state to `path` (as `POST /_emulator/state/save` does to the
    /// [`EmulatorBuilder::state_out`] file): YAML in the state-file format, replaced
    /// atomically.
    pub fn save_state(&self, path: impl AsRef<Path>) -> Result<(), SaveStateError> {
        self.state().write_yaml_file(path)
    }

    /// Queues a fault (checked against the generated tables).
    pub fn inject_fault(&self, fault: Fault) -> Result<(), StateError> {
        self.shared.push_fault(fault).map_err(|message| StateError {
            origin: "<fault>".to_owned(),
            message,
        })
    }

    /// Pending faults with their remaining counts.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.shared.pending_faults()
    }

    /// Back to the state it started with (or was last reset to): resources and faults;
    /// idempotency records and rate windows are cleared.
    pub fn reset(&self) {
        self.shared.reset(None);
    }

    /// Replaces the state (it becomes the state [`RunningEmulator::reset`] returns to).
    pub fn replace_state(&self, state: State) -> Result<(), StateError> {
        let state = state.validated()?;
        self.shared.reset(Some(state));
        Ok(())
    }

    /// Stops accepting connections and waits until open ones finish their current
    /// request (at most a few seconds).
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Serves `state` on `listen` until `shutdown` completes (wire Ctrl-C to it), printing
/// `cloudspec emulator listening on http://ADDR` to standard output once bound. The state
/// is not saved; [`EmulatorBuilder::state_out`] with [`EmulatorBuilder::serve`] saves it.
pub async fn serve(
    listen: SocketAddr,
    state: State,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    Emulator::builder()
        .addr(listen)
        .state(state)
        .serve(shutdown)
        .await
}
