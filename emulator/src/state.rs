//! The emulator's world as data: access keys, resources (of the types the specs declare)
//! and pending faults, and the state file (YAML, or JSON) that seeds them. `README.md`
//! documents the format.

use std::collections::HashSet;
use std::path::Path;

pub use cloudspec_runtime::behaviour::Kind;
use serde::{Deserialize, Serialize};

use crate::service::Service;

/// A cloud provider: it decides the signature scheme and the error envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Alibaba Cloud (RPC, signature V1 and V3).
    Alibaba,
    /// Tencent Cloud (API 3.0, `TC3-HMAC-SHA256`).
    Tencent,
    /// Baidu AI Cloud (REST, `bce-auth-v1`).
    Baidu,
}

impl Provider {
    /// The lower-case name used in the state file (`alibaba`, `tencent`, `baidu`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Alibaba => "alibaba",
            Provider::Tencent => "tencent",
            Provider::Baidu => "baidu",
        }
    }
}

impl From<cloudspec_runtime::Provider> for Provider {
    fn from(provider: cloudspec_runtime::Provider) -> Self {
        match provider {
            cloudspec_runtime::Provider::Alibaba => Provider::Alibaba,
            cloudspec_runtime::Provider::Tencent => Provider::Tencent,
            cloudspec_runtime::Provider::Baidu => Provider::Baidu,
        }
    }
}

/// One resource of a service: an image, a snapshot, whatever the service's spec declares
/// under `resources:`. What the operations do to it is the specs' `behaviour:` rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// The service it belongs to.
    pub service: Service,
    /// Its type, a resource type of the service's spec (`image`).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Its ID, as callers send it.
    pub id: String,
    /// The account that owns it (for `shared-from-others`, the account it was shared with).
    pub account: String,
    /// Its region; `None` to match every region (and for services without regions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Who owns it and who sees it.
    pub kind: Kind,
    /// Its state, one of its type's states (canonical name).
    pub state: String,
    /// Accounts it is shared with (non-empty means "shared to others").
    pub shared_with: Vec<String>,
    /// Resources that use it (an image's instances).
    pub used_by: Vec<String>,
    /// IDs of resources bound to it (an image's snapshots), of its type's bound type.
    pub bound: Vec<String>,
}

impl Resource {
    /// A resource of `service`'s first resource type, owned by `account`, available, in no
    /// region, shared with nobody.
    pub fn new(service: Service, id: impl Into<String>, account: impl Into<String>) -> Self {
        let resource_type = service.default_resource_type();
        Resource {
            service,
            resource_type: resource_type.map_or(String::new(), |t| t.name.to_owned()),
            id: id.into(),
            account: account.into(),
            region: None,
            kind: Kind::Custom,
            state: resource_type
                .map_or("available", |t| t.default_state())
                .to_owned(),
            shared_with: Vec::new(),
            used_by: Vec::new(),
            bound: Vec::new(),
        }
    }

    /// The same resource, of type `resource_type` (its state becomes that type's default).
    #[must_use]
    pub fn of_type(mut self, resource_type: &str) -> Self {
        self.resource_type = resource_type.to_owned();
        if let Some(found) = self.service.resource_type(resource_type) {
            self.state = found.default_state().to_owned();
        }
        self
    }

    /// The same resource in `region`.
    #[must_use]
    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The same resource with `kind`.
    #[must_use]
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// The same resource in state `state` (a state of its type, or an alias of one).
    #[must_use]
    pub fn with_state(mut self, state: impl Into<String>) -> Self {
        self.state = state.into();
        self
    }

    /// The same resource, shared with `account`.
    #[must_use]
    pub fn shared_with(mut self, account: impl Into<String>) -> Self {
        self.shared_with.push(account.into());
        self
    }

    /// The same resource, used by `user` (an instance).
    #[must_use]
    pub fn used_by(mut self, user: impl Into<String>) -> Self {
        self.used_by.push(user.into());
        self
    }

    /// The same resource with `id` bound to it (a snapshot of an image).
    #[must_use]
    pub fn with_bound(mut self, id: impl Into<String>) -> Self {
        self.bound.push(id.into());
        self
    }

    /// Whether it is shared with another account.
    pub fn is_shared(&self) -> bool {
        !self.shared_with.is_empty()
    }
}

/// An access key pair and the account it authenticates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    /// The provider whose requests it signs.
    pub provider: Provider,
    /// Access key id (Alibaba `AccessKeyId`, Tencent `SecretId`, Baidu AK).
    pub id: String,
    /// Access key secret.
    pub secret: String,
    /// The account the key belongs to.
    pub account: String,
}

impl AccessKey {
    /// A key pair of `provider` for `account`.
    pub fn new(
        provider: Provider,
        id: impl Into<String>,
        secret: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        AccessKey {
            provider,
            id: id.into(),
            secret: secret.into(),
            account: account.into(),
        }
    }
}

/// What an injected fault does to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// Answer the provider's throttling error (Alibaba `Throttling` 400, Tencent
    /// `RequestLimitExceeded`, Baidu `RequestRateExceeded` 429). Nothing is changed.
    Throttle,
    /// Answer `InternalError` (HTTP 500; Tencent: HTTP 200). Nothing is changed.
    Error500,
    /// Answer `ServiceUnavailable` (HTTP 503; Tencent: HTTP 200). Nothing is changed.
    Error503,
    /// Answer the documented error named by `code` (a row of the operation's error
    /// table). Nothing is changed.
    Error,
    /// Wait `delay_ms` (default 1000 ms), then process the call normally.
    Slow,
    /// Close the connection without answering; the call is not processed.
    Drop,
    /// Process the call (a delete happens), then close the connection without answering:
    /// the answer is lost, as when a network fails after the server acted.
    LoseResponse,
}

/// A fault to inject into the next `count` calls of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// The service whose calls it hits.
    pub service: Service,
    /// The operation, by its spec name or wire action; `None`
    /// hits every operation of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// What it does.
    pub kind: FaultKind,
    /// How many calls it hits (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Delay before answering, in milliseconds (for `slow`, default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// For `error`: the documented error code to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// A fault of `kind` for the next call of `service`'s operation.
    pub fn new(service: Service, kind: FaultKind) -> Self {
        Fault {
            service,
            operation: None,
            kind,
            count: 1,
            delay_ms: None,
            code: None,
        }
    }

    /// The same fault for the next `count` calls.
    #[must_use]
    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// The same fault with a delay before answering.
    #[must_use]
    pub fn delay_ms(mut self, delay_ms: u64) -> Self {
        self.delay_ms = Some(delay_ms);
        self
    }

    /// The same fault, answering the documented error `code` (sets the kind to `error`).
    #[must_use]
    pub fn documented_error(mut self, code: impl Into<String>) -> Self {
        self.kind = FaultKind::Error;
        self.code = Some(code.into());
        self
    }

    /// Checks the fault against the generated tables: the operation is one of the
    /// service's, `count` is positive, `code` is given exactly for `error` and names a
    /// documented error of the operation (of any operation of the service, when the fault
    /// names none).
    pub fn validate(&self) -> Result<(), String> {
        let operations: Vec<&'static cloudspec_runtime::registry::OperationEntry> =
            match &self.operation {
                Some(name) => match self.service.operation(name) {
                    Some(operation) => vec![operation],
                    None => {
                        let names: Vec<&str> = self
                            .service
                            .operations()
                            .iter()
                            .map(|operation| operation.meta.name)
                            .collect();
                        return Err(format!(
                            "fault for {}: unknown operation `{name}` (the service has {})",
                            self.service,
                            names.join(", ")
                        ));
                    }
                },
                None => self.service.operations().iter().collect(),
            };
        if self.count == 0 {
            return Err("fault: `count` must be at least 1".to_owned());
        }
        match (self.kind, &self.code) {
            (FaultKind::Error, None) => {
                Err("fault of kind `error` needs `code`, a documented error code".to_owned())
            }
            (FaultKind::Error, Some(code)) => {
                if operations.iter().any(|operation| {
                    cloudspec_runtime::error::classify_code(operation.errors, code).is_some()
                }) {
                    Ok(())
                } else {
                    let codes: Vec<&str> = operations
                        .iter()
                        .flat_map(|operation| operation.errors)
                        .filter_map(|row| row.code)
                        .collect();
                    Err(format!(
                        "fault for {}: `{code}` is not in the document's error table ({})",
                        self.service,
                        codes.join(", ")
                    ))
                }
            }
            (_, Some(_)) => Err("fault: `code` is only for kind `error`".to_owned()),
            (_, None) => Ok(()),
        }
    }

    /// Whether the fault hits a call of `operation` of `service`.
    pub(crate) fn hits(&self, service: Service, operation: &str) -> bool {
        self.service == service
            && self.operation.as_deref().is_none_or(|name| {
                self.service
                    .operation(name)
                    .is_some_and(|named| named.meta.name == operation)
            })
    }
}

/// The whole state: what a state file holds, and what the emulator serves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Access key pairs.
    pub access_keys: Vec<AccessKey>,
    /// Resources of every service (every ID a resource names in `bound` is added, as a
    /// resource of its type's bound type, when the state is validated).
    pub resources: Vec<Resource>,
    /// Faults to inject, in order.
    pub faults: Vec<Fault>,
}

/// A state file that cannot be read or is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct StateError {
    /// Where the state came from (a path, or `<string>`).
    pub origin: String,
    /// What is wrong.
    pub message: String,
}

impl StateError {
    fn new(origin: &str, message: impl Into<String>) -> Self {
        StateError {
            origin: origin.to_owned(),
            message: message.into(),
        }
    }
}

impl State {
    /// An empty state.
    pub fn new() -> Self {
        State::default()
    }

    /// The same state with one more access key.
    #[must_use]
    pub fn with_access_key(mut self, key: AccessKey) -> Self {
        self.access_keys.push(key);
        self
    }

    /// The same state with one more resource.
    #[must_use]
    pub fn with_resource(mut self, resource: Resource) -> Self {
        self.resources.push(resource);
        self
    }

    /// The same state with one more fault.
    #[must_use]
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Reads a state file (YAML; JSON is YAML too).
    pub fn from_yaml_file(path: impl AsRef<Path>) -> Result<State, StateError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|error| StateError::new(&origin, format!("cannot read: {error}")))?;
        Self::parse_yaml(&text, &origin)
    }

    /// Parses a state file's text (YAML).
    pub fn from_yaml_str(text: &str) -> Result<State, StateError> {
        Self::parse_yaml(text, "<string>")
    }

    /// Parses a state in the state-file format written as JSON.
    pub fn from_json_str(text: &str) -> Result<State, StateError> {
        let file: StateFile = serde_json::from_str(text)
            .map_err(|error| StateError::new("<json>", error.to_string()))?;
        file.into_state("<json>")
    }

    fn parse_yaml(text: &str, origin: &str) -> Result<State, StateError> {
        let file: StateFile = if text.trim().is_empty() {
            StateFile::default()
        } else {
            serde_saphyr::from_str(text)
                .map_err(|error| StateError::new(origin, error.to_string()))?
        };
        file.into_state(origin)
    }

    /// The state in the state-file format, as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(StateFileOut::from(self)).unwrap_or_default()
    }

    /// Checks the state against the specs and completes it: rejects duplicate keys and
    /// resources, empty IDs and accounts, resource types and states a service's spec does
    /// not declare, regions on services without regions and invalid faults; writes states
    /// by their canonical names; adds a resource for every bound ID not listed.
    pub fn validated(mut self) -> Result<State, StateError> {
        let origin = "<state>";
        let mut keys = HashSet::new();
        for key in &self.access_keys {
            if key.id.is_empty() || key.secret.is_empty() || key.account.is_empty() {
                return Err(StateError::new(
                    origin,
                    format!(
                        "access key `{}`: id, secret and account must not be empty",
                        key.id
                    ),
                ));
            }
            if !keys.insert((key.provider, key.id.clone())) {
                return Err(StateError::new(
                    origin,
                    format!(
                        "access key `{}` of {} is listed twice",
                        key.id,
                        key.provider.as_str()
                    ),
                ));
            }
        }
        let mut seen = HashSet::new();
        let mut implied = Vec::new();
        for resource in &mut self.resources {
            let what = format!(
                "{} {} `{}`",
                resource.service, resource.resource_type, resource.id
            );
            if resource.id.is_empty() || resource.account.is_empty() {
                return Err(StateError::new(
                    origin,
                    format!("{what}: id and account must not be empty"),
                ));
            }
            let Some(resource_type) = resource.service.resource_type(&resource.resource_type)
            else {
                let types: Vec<&str> = resource
                    .service
                    .resource_types()
                    .iter()
                    .map(|t| t.name)
                    .collect();
                return Err(StateError::new(
                    origin,
                    format!(
                        "{what}: the spec of {} declares no resource type `{}` (it declares: {})",
                        resource.service,
                        resource.resource_type,
                        if types.is_empty() {
                            "none".to_owned()
                        } else {
                            types.join(", ")
                        }
                    ),
                ));
            };
            match resource_type.state(&resource.state) {
                Some(state) => resource.state = state.to_owned(),
                None => {
                    let states: Vec<&str> = resource_type.states.iter().map(|s| s.name).collect();
                    return Err(StateError::new(
                        origin,
                        format!(
                            "{what}: `{}` is not a state of {} (its states: {})",
                            resource.state,
                            resource_type.name,
                            states.join(", ")
                        ),
                    ));
                }
            }
            if !resource.service.has_regions() && resource.region.is_some() {
                return Err(StateError::new(
                    origin,
                    format!(
                        "{what}: {} has no regions, remove `region`",
                        resource.service
                    ),
                ));
            }
            if !seen.insert((
                resource.service,
                resource.resource_type.clone(),
                resource.id.clone(),
            )) {
                return Err(StateError::new(origin, format!("{what} is listed twice")));
            }
            if !resource.bound.is_empty() {
                let Some(bound_type) = resource_type.bound.first() else {
                    return Err(StateError::new(
                        origin,
                        format!("{what}: nothing can be bound to a {}", resource_type.name),
                    ));
                };
                for id in &resource.bound {
                    implied.push(Resource {
                        region: resource.region.clone(),
                        ..Resource::new(resource.service, id.clone(), resource.account.clone())
                            .of_type(bound_type)
                    });
                }
            }
        }
        for resource in implied {
            if seen.insert((
                resource.service,
                resource.resource_type.clone(),
                resource.id.clone(),
            )) {
                self.resources.push(resource);
            }
        }
        for fault in &self.faults {
            fault
                .validate()
                .map_err(|message| StateError::new(origin, message))?;
        }
        Ok(self)
    }
}

/// The state file as written (input side).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    #[serde(default)]
    access_keys: Vec<AccessKey>,
    #[serde(default)]
    resources: Vec<ResourceIn>,
    #[serde(default)]
    faults: Vec<Fault>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResourceIn {
    service: Service,
    #[serde(default, rename = "type")]
    resource_type: Option<String>,
    id: String,
    account: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    shared_with: Vec<String>,
    #[serde(default)]
    used_by: Vec<String>,
    #[serde(default)]
    bound: Vec<String>,
}

impl StateFile {
    fn into_state(self, origin: &str) -> Result<State, StateError> {
        let mut resources = Vec::new();
        for resource in self.resources {
            let mut out = Resource::new(resource.service, resource.id, resource.account);
            if let Some(resource_type) = resource.resource_type {
                out = out.of_type(&resource_type);
            }
            if let Some(state) = resource.state {
                out.state = state;
            }
            out.region = resource.region;
            out.kind = resource.kind;
            out.shared_with = resource.shared_with;
            out.used_by = resource.used_by;
            out.bound = resource.bound;
            resources.push(out);
        }
        State {
            access_keys: self.access_keys,
            resources,
            faults: self.faults,
        }
        .validated()
        .map_err(|error| StateError::new(origin, error.message))
    }
}

/// The state file as written (output side), for `GET /_emulator/state`.
#[derive(Serialize)]
struct StateFileOut<'a> {
    access_keys: &'a [AccessKey],
    resources: &'a [Resource],
    faults: &'a [Fault],
}

impl<'a> From<&'a State> for StateFileOut<'a> {
    fn from(state: &'a State) -> Self {
        StateFileOut {
            access_keys: &state.access_keys,
            resources: &state.resources,
            faults: &state.faults,
        }
    }
}

/// Why the state could not be written to a state file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveStateError {
    /// The state could not be rendered as YAML.
    #[error("cannot render the state as YAML: {source}")]
    Serialize {
        /// The serializer's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The path names a folder (or nothing), not a file.
    #[error("cannot write the state to `{}`: it names a folder, not a file", path.display())]
    NotAFile {
        /// The path given.
        path: std::path::PathBuf,
    },
    /// The file (or its temporary sibling) could not be written or renamed.
    #[error("cannot write the state to `{}`: {source}", path.display())]
    Write {
        /// The path given.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl State {
    /// The state in the state-file format, as YAML: the same document as [`State::to_json`]
    /// (and `GET /_emulator/state`), readable back with [`State::from_yaml_file`].
    pub fn to_yaml(&self) -> Result<String, SaveStateError> {
        serde_saphyr::to_string(&StateFileOut::from(self)).map_err(|error| {
            SaveStateError::Serialize {
                source: Box::new(error),
            }
        })
    }

    /// Writes [`State::to_yaml`] to `path` atomically: into a new temporary file in the
    /// same folder, flushed to disk, then renamed over `path`, so a reader (or a crash)
    /// sees the old file or the new one, never half of one. On unix the file is created
    /// with mode `0600`: it holds the access key secrets.
    pub fn write_yaml_file(&self, path: impl AsRef<Path>) -> Result<(), SaveStateError> {
        let text = self.to_yaml()?;
        write_atomically(path.as_ref(), Some(text.as_bytes()))
    }
}

/// Checks that a state file can be written at `path` (its folder exists and takes a new
/// file), without touching `path` itself: creates and removes a temporary file beside it.
pub(crate) fn check_writable(path: &Path) -> Result<(), SaveStateError> {
    write_atomically(path, None)
}

/// Writes `contents` to a temporary file beside `path` and renames it over `path`; with
/// `None`, creates the temporary file and removes it again (a writability probe).
fn write_atomically(path: &Path, contents: Option<&[u8]>) -> Result<(), SaveStateError> {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};

    static NEXT: AtomicU64 = AtomicU64::new(0);
    let not_a_file = || SaveStateError::NotAFile {
        path: path.to_owned(),
    };
    let name = path.file_name().ok_or_else(not_a_file)?;
    if path.is_dir() {
        return Err(not_a_file());
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let temp = folder.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temp).and_then(|mut file| match contents {
        Some(contents) => {
            file.write_all(contents)?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(&temp, path)
        }
        None => {
            drop(file);
            std::fs::remove_file(&temp)
        }
    });
    if let Err(source) = written {
        // The temporary file may or may not exist; leave nothing behind.
        let _ = std::fs::remove_file(&temp);
        return Err(SaveStateError::Write {
            path: path.to_owned(),
            source,
        });
    }
    // Make the rename itself durable where the platform allows opening a folder.
    if contents.is_some()
        && let Ok(folder) = std::fs::File::open(folder)
    {
        let _ = folder.sync_all();
    }
    Ok(())
}
