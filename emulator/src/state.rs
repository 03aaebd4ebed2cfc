//! The emulator's world as data: access keys, images, snapshots and pending faults, and the
//! state file (YAML, or JSON) that seeds them. `README.md` documents the format.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use cloudspec_runtime::{DocumentedError, OperationMeta, ServiceMeta};
use serde::{Deserialize, Serialize};

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

/// A service the emulator serves, one per generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// Alibaba Cloud Elastic Compute Service, `DeleteImage`.
    Ecs,
    /// Alibaba Cloud Edge Node Service, `DeleteImage`.
    Ens,
    /// Alibaba Cloud Simple Application Server, `DeleteCustomImages`.
    Swas,
    /// Tencent Cloud Cloud Virtual Machine, `DeleteImages`.
    Cvm,
    /// Baidu AI Cloud Cloud Compute Service, `DELETE /v2/image/{imageId}`.
    Bcc,
}

impl Service {
    /// Every service, in state-file order.
    pub const ALL: [Service; 5] = [
        Service::Ecs,
        Service::Ens,
        Service::Swas,
        Service::Cvm,
        Service::Bcc,
    ];

    /// The provider that runs the service.
    pub fn provider(self) -> Provider {
        match self {
            Service::Ecs | Service::Ens | Service::Swas => Provider::Alibaba,
            Service::Cvm => Provider::Tencent,
            Service::Bcc => Provider::Baidu,
        }
    }

    /// The service as its generated crate describes it (API version, endpoints, product code).
    pub fn meta(self) -> &'static ServiceMeta {
        match self {
            Service::Ecs => &cloudspec_alibaba_ecs::SERVICE,
            Service::Ens => &cloudspec_alibaba_ens::SERVICE,
            Service::Swas => &cloudspec_alibaba_swas::SERVICE,
            Service::Cvm => &cloudspec_tencent_cvm::SERVICE,
            Service::Bcc => &cloudspec_baidu_bcc::SERVICE,
        }
    }

    /// The one operation the emulator serves for the service.
    pub fn operation(self) -> &'static OperationMeta {
        match self {
            Service::Ecs => &cloudspec_alibaba_ecs::delete_image::META,
            Service::Ens => &cloudspec_alibaba_ens::delete_image::META,
            Service::Swas => &cloudspec_alibaba_swas::delete_custom_images::META,
            Service::Cvm => &cloudspec_tencent_cvm::delete_images::META,
            Service::Bcc => &cloudspec_baidu_bcc::delete_image::META,
        }
    }

    /// The document's error table for that operation, as generated.
    pub fn errors(self) -> &'static [DocumentedError] {
        match self {
            Service::Ecs => cloudspec_alibaba_ecs::delete_image::ERRORS,
            Service::Ens => cloudspec_alibaba_ens::delete_image::ERRORS,
            Service::Swas => cloudspec_alibaba_swas::delete_custom_images::ERRORS,
            Service::Cvm => cloudspec_tencent_cvm::delete_images::ERRORS,
            Service::Bcc => cloudspec_baidu_bcc::delete_image::ERRORS,
        }
    }

    /// The short name (`ecs`), as in the state file.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Ecs => "ecs",
            Service::Ens => "ens",
            Service::Swas => "swas",
            Service::Cvm => "cvm",
            Service::Bcc => "bcc",
        }
    }

    /// Whether images of the service live in a region. ENS has no regions (one global
    /// endpoint and no `RegionId` parameter).
    pub fn has_regions(self) -> bool {
        !matches!(self, Service::Ens)
    }

    /// The service whose short name is `name`.
    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// What kind of image it is, from the caller's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageKind {
    /// A custom image the owning account created.
    #[default]
    Custom,
    /// A system (public, provider-supplied) image. Visible to every account.
    System,
    /// A community image: a custom image its owner published (ECS `ImageIsPublic`).
    /// Visible to every account; only the owner can try to delete it.
    #[serde(alias = "community")]
    Public,
    /// A Baidu service-integration image. Visible to every account.
    ServiceIntegration,
    /// An image another account shared with `account`: visible to it, not its own.
    SharedFromOthers,
}

/// The lifecycle state of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageState {
    /// Ready (Tencent `NORMAL`).
    #[default]
    #[serde(alias = "normal")]
    Available,
    /// Being created (Tencent `CREATING`).
    Creating,
    /// Being copied.
    Copying,
    /// Being imported.
    Importing,
    /// Being exported.
    Exporting,
    /// In use (Tencent `USING`).
    #[serde(alias = "using")]
    InUse,
}

/// One image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    /// The image ID, as callers send it.
    pub id: String,
    /// The service it belongs to.
    pub service: Service,
    /// The account that owns it (for `shared-from-others`, the account it was shared with).
    pub account: String,
    /// Its region; `None` for ENS, or to match every region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Its kind.
    pub kind: ImageKind,
    /// Its state.
    pub state: ImageState,
    /// Accounts it is shared with (non-empty means "shared to others").
    pub shared_with: Vec<String>,
    /// Instances created from it that still use it.
    pub used_by_instances: Vec<String>,
    /// Snapshots bound to it (CVM `DeleteBindedSnap` deletes them with the image).
    pub bound_snapshots: Vec<String>,
}

impl Image {
    /// An available custom image of `account`, in no region, shared with nobody.
    pub fn new(service: Service, id: impl Into<String>, account: impl Into<String>) -> Self {
        Image {
            id: id.into(),
            service,
            account: account.into(),
            region: None,
            kind: ImageKind::Custom,
            state: ImageState::Available,
            shared_with: Vec::new(),
            used_by_instances: Vec::new(),
            bound_snapshots: Vec::new(),
        }
    }

    /// The same image in `region`.
    #[must_use]
    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The same image with `kind`.
    #[must_use]
    pub fn with_kind(mut self, kind: ImageKind) -> Self {
        self.kind = kind;
        self
    }

    /// The same image in `state`.
    #[must_use]
    pub fn with_state(mut self, state: ImageState) -> Self {
        self.state = state;
        self
    }

    /// The same image, shared with `account`.
    #[must_use]
    pub fn shared_with(mut self, account: impl Into<String>) -> Self {
        self.shared_with.push(account.into());
        self
    }

    /// The same image, used by `instance`.
    #[must_use]
    pub fn used_by(mut self, instance: impl Into<String>) -> Self {
        self.used_by_instances.push(instance.into());
        self
    }

    /// The same image with snapshot `snapshot` bound to it.
    #[must_use]
    pub fn with_snapshot(mut self, snapshot: impl Into<String>) -> Self {
        self.bound_snapshots.push(snapshot.into());
        self
    }

    /// Whether instances use it: state `in-use` or any `used_by_instances`.
    pub fn in_use(&self) -> bool {
        self.state == ImageState::InUse || !self.used_by_instances.is_empty()
    }

    /// Whether it is shared with another account.
    pub fn is_shared(&self) -> bool {
        !self.shared_with.is_empty()
    }
}

/// One snapshot. Snapshots outlive the image they are bound to unless a CVM
/// `DeleteImages` call passes `DeleteBindedSnap=true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Snapshot ID.
    pub id: String,
    /// The service it belongs to.
    pub service: Service,
    /// The owning account.
    pub account: String,
    /// Its region, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
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
    /// The operation name (`DeleteImage`, `DeleteCustomImages`, `DeleteImages`); `None`
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

    /// Checks the fault against the generated tables: the operation exists, `count` is
    /// positive, `code` is given exactly for `error` and names a documented error.
    pub fn validate(&self) -> Result<(), String> {
        let op = self.service.operation();
        if let Some(name) = &self.operation {
            if name != op.name && Some(name.as_str()) != op.action {
                return Err(format!(
                    "fault for {}: unknown operation `{name}` (the emulator serves `{}`)",
                    self.service.as_str(),
                    op.name
                ));
            }
        }
        if self.count == 0 {
            return Err("fault: `count` must be at least 1".to_owned());
        }
        match (self.kind, &self.code) {
            (FaultKind::Error, None) => {
                Err("fault of kind `error` needs `code`, a documented error code".to_owned())
            }
            (FaultKind::Error, Some(code)) => {
                if cloudspec_runtime::error::classify_code(self.service.errors(), code).is_some() {
                    Ok(())
                } else {
                    let codes: Vec<&str> = self
                        .service
                        .errors()
                        .iter()
                        .filter_map(|row| row.code)
                        .collect();
                    Err(format!(
                        "fault for {}: `{code}` is not in the document's error table ({})",
                        self.service.as_str(),
                        codes.join(", ")
                    ))
                }
            }
            (_, Some(_)) => Err("fault: `code` is only for kind `error`".to_owned()),
            (_, None) => Ok(()),
        }
    }
}

/// The whole state: what a state file holds, and what the emulator serves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Access key pairs.
    pub access_keys: Vec<AccessKey>,
    /// Images of every service.
    pub images: Vec<Image>,
    /// Snapshots (every snapshot an image names in `bound_snapshots` is added when the
    /// state is validated).
    pub snapshots: Vec<Snapshot>,
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

    /// The same state with one more image.
    #[must_use]
    pub fn with_image(mut self, image: Image) -> Self {
        self.images.push(image);
        self
    }

    /// The same state with one more snapshot.
    #[must_use]
    pub fn with_snapshot(mut self, snapshot: Snapshot) -> Self {
        self.snapshots.push(snapshot);
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

    /// The state in the state-file format, as JSON (images grouped by provider).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(StateFileOut::from(self)).unwrap_or_default()
    }

    /// Checks the state and completes it: rejects duplicate keys, images and snapshots,
    /// empty IDs and accounts, regions on ENS images and invalid faults; adds a snapshot
    /// for every bound snapshot not listed.
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
        let mut images = HashSet::new();
        for image in &self.images {
            if image.id.is_empty() || image.account.is_empty() {
                return Err(StateError::new(
                    origin,
                    format!(
                        "{} image `{}`: id and account must not be empty",
                        image.service.as_str(),
                        image.id
                    ),
                ));
            }
            if !image.service.has_regions() && image.region.is_some() {
                return Err(StateError::new(
                    origin,
                    format!(
                        "ens image `{}`: ENS has no regions, remove `region`",
                        image.id
                    ),
                ));
            }
            if !images.insert((image.service, image.id.clone())) {
                return Err(StateError::new(
                    origin,
                    format!(
                        "{} image `{}` is listed twice",
                        image.service.as_str(),
                        image.id
                    ),
                ));
            }
        }
        let mut snapshots: BTreeSet<String> = BTreeSet::new();
        for snapshot in &self.snapshots {
            if snapshot.id.is_empty() || !snapshots.insert(snapshot.id.clone()) {
                return Err(StateError::new(
                    origin,
                    format!("snapshot `{}` is empty or listed twice", snapshot.id),
                ));
            }
        }
        let mut implied = Vec::new();
        for image in &self.images {
            for id in &image.bound_snapshots {
                if snapshots.insert(id.clone()) {
                    implied.push(Snapshot {
                        id: id.clone(),
                        service: image.service,
                        account: image.account.clone(),
                        region: image.region.clone(),
                    });
                }
            }
        }
        self.snapshots.extend(implied);
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
    images: ImagesIn,
    #[serde(default)]
    snapshots: Vec<Snapshot>,
    #[serde(default)]
    faults: Vec<Fault>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImagesIn {
    #[serde(default)]
    alibaba: Vec<ImageIn>,
    #[serde(default)]
    tencent: Vec<ImageIn>,
    #[serde(default)]
    baidu: Vec<ImageIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageIn {
    id: String,
    #[serde(default)]
    service: Option<Service>,
    account: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    kind: ImageKind,
    #[serde(default)]
    state: ImageState,
    #[serde(default)]
    shared_with: Vec<String>,
    #[serde(default)]
    used_by_instances: Vec<String>,
    #[serde(default)]
    bound_snapshots: Vec<String>,
}

impl StateFile {
    fn into_state(self, origin: &str) -> Result<State, StateError> {
        let mut images = Vec::new();
        for (provider, list) in [
            (Provider::Alibaba, self.images.alibaba),
            (Provider::Tencent, self.images.tencent),
            (Provider::Baidu, self.images.baidu),
        ] {
            for image in list {
                let service = match (image.service, provider) {
                    (Some(service), _) => service,
                    (None, Provider::Tencent) => Service::Cvm,
                    (None, Provider::Baidu) => Service::Bcc,
                    (None, Provider::Alibaba) => {
                        return Err(StateError::new(
                            origin,
                            format!(
                                "alibaba image `{}`: `service` is required (ecs, ens or swas)",
                                image.id
                            ),
                        ));
                    }
                };
                if service.provider() != provider {
                    return Err(StateError::new(
                        origin,
                        format!(
                            "image `{}` is listed under {} but its service {} belongs to {}",
                            image.id,
                            provider.as_str(),
                            service.as_str(),
                            service.provider().as_str()
                        ),
                    ));
                }
                images.push(Image {
                    id: image.id,
                    service,
                    account: image.account,
                    region: image.region,
                    kind: image.kind,
                    state: image.state,
                    shared_with: image.shared_with,
                    used_by_instances: image.used_by_instances,
                    bound_snapshots: image.bound_snapshots,
                });
            }
        }
        State {
            access_keys: self.access_keys,
            images,
            snapshots: self.snapshots,
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
    images: ImagesOut<'a>,
    snapshots: &'a [Snapshot],
    faults: &'a [Fault],
}

/// Images grouped by provider, as in the state file.
#[derive(Serialize)]
pub(crate) struct ImagesOut<'a> {
    pub(crate) alibaba: Vec<&'a Image>,
    pub(crate) tencent: Vec<&'a Image>,
    pub(crate) baidu: Vec<&'a Image>,
}

impl<'a> ImagesOut<'a> {
    pub(crate) fn group(images: impl IntoIterator<Item = &'a Image>) -> Self {
        let mut out = ImagesOut {
            alibaba: Vec::new(),
            tencent: Vec::new(),
            baidu: Vec::new(),
        };
        for image in images {
            match image.service.provider() {
                Provider::Alibaba => out.alibaba.push(image),
                Provider::Tencent => out.tencent.push(image),
                Provider::Baidu => out.baidu.push(image),
            }
        }
        out
    }
}

impl<'a> From<&'a State> for StateFileOut<'a> {
    fn from(state: &'a State) -> Self {
        StateFileOut {
            access_keys: &state.access_keys,
            images: ImagesOut::group(&state.images),
            snapshots: &state.snapshots,
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
    if contents.is_some() {
        if let Ok(folder) = std::fs::File::open(folder) {
            let _ = folder.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_state_round_trips_through_json() {
        let yaml = r#"
access_keys:
  - { provider: alibaba, id: ak, secret: sk, account: "1" }
images:
  alibaba:
    - { id: m-1, service: ecs, account: "1", region: cn-hangzhou, state: in-use }
  tencent:
    - { id: img-00000001, account: "2", bound_snapshots: [snap-1] }
faults:
  - { service: cvm, kind: throttle, count: 2 }
"#;
        let state = State::from_yaml_str(yaml).unwrap();
        assert_eq!(state.images.len(), 2);
        assert_eq!(state.images[1].service, Service::Cvm);
        assert_eq!(state.images[0].state, ImageState::InUse);
        assert_eq!(state.snapshots.len(), 1);
        let again = State::from_json_str(&state.to_json().to_string()).unwrap();
        assert_eq!(again, state);
    }

    #[test]
    fn inconsistent_states_are_refused() {
        for (yaml, needle) in [
            (
                "images: { alibaba: [ { id: m, account: a } ] }",
                "`service` is required",
            ),
            (
                "images: { alibaba: [ { id: m, account: a, service: cvm } ] }",
                "belongs to tencent",
            ),
            (
                "images: { alibaba: [ { id: m, account: a, service: ens, region: r } ] }",
                "no regions",
            ),
            (
                "faults: [ { service: ecs, kind: error, code: Nope } ]",
                "not in the document",
            ),
            (
                "faults: [ { service: ecs, operation: Nope, kind: drop } ]",
                "unknown operation",
            ),
            ("bogus: 1", "bogus"),
        ] {
            let error = State::from_yaml_str(yaml).unwrap_err();
            assert!(error.to_string().contains(needle), "{yaml}: {error}");
        }
    }

    #[test]
    fn templated_documented_codes_are_valid_fault_codes() {
        let fault =
            Fault::new(Service::Ens, FaultKind::Error).documented_error("InvalidParameter.ImageId");
        assert_eq!(fault.validate(), Ok(()));
    }
}
