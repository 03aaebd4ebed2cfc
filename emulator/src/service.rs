//! The services the emulator serves: every entry of the generated registry
//! (`cloudspec_services::SERVICES`). A new spec and `cargo xtask regen` add one; nothing
//! here names a service.

use std::fmt;

use cloudspec_runtime::behaviour::ResourceType;
use cloudspec_runtime::registry::{OperationEntry, ServiceEntry};
use cloudspec_runtime::{Protocol, ServiceMeta};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::state::Provider;

/// A service the emulator serves: one spec, one generated crate.
#[derive(Clone, Copy)]
pub struct Service(&'static ServiceEntry);

impl Service {
    /// Every service of the registry, in spec-file order.
    pub fn all() -> impl Iterator<Item = Service> {
        cloudspec_services::SERVICES.iter().map(Service)
    }

    /// The service named `name`: its registry command (`tencent-cvm`), or its short name
    /// (`cvm`, the spec's `service`) when no other provider has a service of that name.
    pub fn named(name: &str) -> Option<Service> {
        if let Some(service) = Service::all().find(|service| service.command() == name) {
            return Some(service);
        }
        let mut matching = Service::all().filter(|service| service.short_name() == name);
        match (matching.next(), matching.next()) {
            (Some(service), None) => Some(service),
            _ => None,
        }
    }

    /// The registry entry.
    pub fn entry(self) -> &'static ServiceEntry {
        self.0
    }

    /// The generated service description (API version, endpoints, product code).
    pub fn meta(self) -> &'static ServiceMeta {
        self.0.meta
    }

    /// The registry command (`alibaba-ecs`).
    pub fn command(self) -> &'static str {
        self.0.command
    }

    /// The spec's short name (`ecs`).
    pub fn short_name(self) -> &'static str {
        self.0.meta.name
    }

    /// The name the state file uses: the short name when it is unambiguous, else the
    /// command.
    pub fn as_str(self) -> &'static str {
        let short = self.short_name();
        if Service::all()
            .filter(|service| service.short_name() == short)
            .count()
            == 1
        {
            short
        } else {
            self.command()
        }
    }

    /// The provider that runs it.
    pub fn provider(self) -> Provider {
        Provider::from(self.0.meta.provider)
    }

    /// Its wire protocol.
    pub fn protocol(self) -> Protocol {
        self.0.meta.protocol
    }

    /// Its operations.
    pub fn operations(self) -> &'static [OperationEntry] {
        self.0.operations
    }

    /// The operation named `name` (its spec name, or its wire action).
    pub fn operation(self, name: &str) -> Option<&'static OperationEntry> {
        self.0
            .operations
            .iter()
            .find(|operation| operation.meta.name == name || operation.meta.action == Some(name))
    }

    /// Its resource types.
    pub fn resource_types(self) -> &'static [ResourceType] {
        self.0.resources
    }

    /// The resource type named `name`.
    pub fn resource_type(self, name: &str) -> Option<&'static ResourceType> {
        self.0.resource_type(name)
    }

    /// The type a resource of this service has when a state file names none: the first
    /// declared.
    pub fn default_resource_type(self) -> Option<&'static ResourceType> {
        self.0.resources.first()
    }

    /// Whether its resources live in regions: it has a regional endpoint, or an operation
    /// reads a region.
    pub fn has_regions(self) -> bool {
        self.0.meta.endpoints.regional.is_some()
            || self
                .0
                .operations
                .iter()
                .filter_map(|operation| operation.behaviour)
                .any(|behaviour| behaviour.target.region.is_some())
    }
}

impl PartialEq for Service {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Service {}

impl std::hash::Hash for Service {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.command.hash(state);
    }
}

impl PartialOrd for Service {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Service {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.command.cmp(other.0.command)
    }
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Service({})", self.command())
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Service {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Service {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Service::named(&name).ok_or_else(|| {
            let known: Vec<&str> = Service::all().map(Service::as_str).collect();
            serde::de::Error::custom(format!(
                "unknown service `{name}` (the emulator serves {})",
                known.join(", ")
            ))
        })
    }
}
