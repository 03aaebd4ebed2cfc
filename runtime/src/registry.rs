//! A registry of generated services, for tools that call operations by name (the
//! `cloudspec` command) rather than through typed methods.
//!
//! The generator emits the `cloudspec-services` crate, whose `SERVICES` lists every
//! generated service with its operations, parameters and an `invoke` function that turns a
//! JSON object of documented parameter names into the typed input, calls the typed client,
//! and returns the typed output as JSON. A new spec gives new entries with no code change.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::behaviour::{Behaviour, ResourceType, SampleResponse};
use crate::config::Config;
use crate::error::{DocumentedError, OperationError, SdkError, ServiceError};
use crate::meta::{OperationMeta, ServiceMeta};
use crate::operation::Operation;
use crate::validate::ValidationErrors;
use crate::wire::{ListStyle, ParamLocation, WireParam};

/// One generated service.
#[derive(Debug)]
pub struct ServiceEntry {
    /// Command name (`tencent-cvm`).
    pub command: &'static str,
    /// Crate name (`cloudspec-tencent-cvm`).
    pub crate_name: &'static str,
    /// The service.
    pub meta: &'static ServiceMeta,
    /// Its operations.
    pub operations: &'static [OperationEntry],
    /// The kinds of resources its operations act on (the spec's `resources:`).
    pub resources: &'static [ResourceType],
}

/// The type of a parameter, for building command-line flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Text.
    String,
    /// `true`/`false` (a flag without a value means `true`).
    Boolean,
    /// A whole number.
    Integer,
    /// An unsigned whole number (`u64`).
    Unsigned,
    /// A floating-point number.
    Float,
    /// A list of strings (the flag repeats).
    StringList,
    /// A structure, or a list or map of anything but strings: JSON text on the command
    /// line, as tccli takes it.
    Json,
}

/// One parameter of an operation.
#[derive(Debug)]
pub struct ParamEntry {
    /// Command-line flag (`image-ids`).
    pub flag: &'static str,
    /// Name as documented, the key of the JSON input (`ImageIds.N`).
    pub documented_name: &'static str,
    /// Type.
    pub kind: ParamKind,
    /// Whether required.
    pub required: bool,
    /// Whether it is a common parameter of the protocol (Tencent `Region`), which tools set
    /// through the client configuration (`--region`) rather than as an operation flag.
    pub common: bool,
    /// The name on the wire (`ImageIds` for `ImageIds.N`).
    pub wire_name: &'static str,
    /// Where it travels.
    pub location: ParamLocation,
    /// How a list travels (`None` for scalars).
    pub list_style: Option<ListStyle>,
    /// First sentence of the documented description.
    pub summary: &'static str,
}

/// What calling an operation by name gives back.
pub type InvokeFuture =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, InvokeError>> + Send>>;

/// One operation.
#[derive(Debug)]
pub struct OperationEntry {
    /// Command name (`delete-images`).
    pub command: &'static str,
    /// The operation.
    pub meta: &'static OperationMeta,
    /// First sentence of the documented description.
    pub summary: &'static str,
    /// Parameters a caller sets.
    pub params: &'static [ParamEntry],
    /// The documented errors.
    pub errors: &'static [DocumentedError],
    /// Calls the operation with a JSON object keyed by documented parameter names.
    pub invoke: fn(Config, serde_json::Value) -> InvokeFuture,
    /// Builds the typed input from a JSON object keyed by documented parameter names and
    /// returns its parameters as they travel (the generated `encode`), without validating.
    pub encode: fn(serde_json::Value) -> Result<Vec<WireParam>, InputProblem>,
    /// Builds the typed input from a JSON object keyed by documented parameter names and
    /// checks the documented limits with the generated validator.
    pub validate: fn(serde_json::Value) -> Result<(), InputProblem>,
    /// Parameters with a fixed value and where they travel (BCC's path `version`, `2`),
    /// by wire name.
    pub constants: &'static [(&'static str, ParamLocation, &'static str)],
    /// Parameters the operation does not have but that an official SDK sends and the
    /// service accepts (the spec's `extra-parameter` facts), by wire name.
    pub tolerated: &'static [&'static str],
    /// The documented sample responses of a success.
    pub samples: &'static [SampleResponse],
    /// What the operation does to resources (the spec's `behaviour:`); `None`: it is
    /// answered from its sample response and changes nothing.
    pub behaviour: Option<&'static Behaviour>,
    /// The temporary credentials the operation gives (the spec's `issues_credentials`), for
    /// the emulator to mint; `None` for every other operation.
    pub issues_credentials: Option<&'static crate::behaviour::IssuedCredentials>,
    /// What an instance-metadata operation answers (the spec's `instance_metadata`);
    /// `None` for every other operation.
    pub instance_metadata: Option<&'static crate::behaviour::InstanceMetadata>,
}

/// Why a JSON input is not a valid input of an operation.
#[derive(Debug, thiserror::Error)]
pub enum InputProblem {
    /// It does not fit the typed input: a missing required parameter, a value of the wrong
    /// type, an unknown parameter.
    #[error("invalid input: {0}")]
    Shape(String),
    /// It fits, but breaks a documented limit.
    #[error(transparent)]
    Limits(#[from] ValidationErrors),
}

/// A failed call by name.
#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    /// The JSON input does not fit the typed input (a missing required parameter, a value
    /// of the wrong type).
    #[error("invalid input: {0}")]
    Input(String),
    /// The client could not be configured.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The call failed; a service error keeps the documented row it matched, if any.
    #[error(transparent)]
    Call(SdkError<DocumentedServiceError>),
}

/// A service error with the document's row for it, when the code is documented.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct DocumentedServiceError {
    /// The error as received.
    pub error: ServiceError,
    /// The document's row, `None` for an undocumented code.
    pub documented: Option<&'static DocumentedError>,
}

/// The typed input of `O` from a JSON object keyed by documented parameter names.
fn typed_input<O: Operation>(input: serde_json::Value) -> Result<O::Input, String>
where
    O::Input: DeserializeOwned,
{
    serde_json::from_value(input).map_err(|error| error.to_string())
}

/// Calls `O` with a JSON input keyed by documented parameter names and gives its typed
/// output as JSON: what every [`OperationEntry::invoke`] is
/// (`invoke::<cloudspec_tencent_cvm::operation::delete_images::DeleteImages>`).
pub fn invoke<O>(config: Config, input: serde_json::Value) -> InvokeFuture
where
    O: Operation + 'static,
    O::Input: DeserializeOwned + 'static,
    O::Output: Serialize + Send,
    O::Error: OperationError,
{
    Box::pin(async move {
        let input = typed_input::<O>(input).map_err(InvokeError::Input)?;
        let client = crate::Client::new(O::meta().service, config)?;
        let output = client.invoke::<O>(input).await.map_err(|error| {
            InvokeError::Call(error.map_service(|error| DocumentedServiceError {
                documented: error.documented(),
                error: error.service_error().clone(),
            }))
        })?;
        Ok(serde_json::to_value(output).unwrap_or_default())
    })
}

/// The wire parameters of `O` for a JSON input, without validating: what every
/// [`OperationEntry::encode`] is.
///
/// # Errors
///
/// [`InputProblem::Shape`] when the JSON does not fit the typed input.
pub fn encode<O: Operation>(input: serde_json::Value) -> Result<Vec<WireParam>, InputProblem>
where
    O::Input: DeserializeOwned,
{
    let input = typed_input::<O>(input).map_err(InputProblem::Shape)?;
    Ok(O::encode(&input))
}

/// Checks a JSON input of `O` against the documented limits: what every
/// [`OperationEntry::validate`] is.
///
/// # Errors
///
/// [`InputProblem::Shape`] when the JSON does not fit the typed input,
/// [`InputProblem::Limits`] when it breaks a documented limit.
pub fn validate<O: Operation>(input: serde_json::Value) -> Result<(), InputProblem>
where
    O::Input: DeserializeOwned,
{
    let input = typed_input::<O>(input).map_err(InputProblem::Shape)?;
    O::validate(&input).map_err(InputProblem::Limits)
}

impl ServiceEntry {
    /// The resource type named `name`.
    pub fn resource_type(&self, name: &str) -> Option<&'static ResourceType> {
        self.resources.iter().find(|resource| resource.name == name)
    }

    /// The operation whose wire action is `action` in API version `version` (RPC
    /// protocols; a service may keep several versions, each with its own operations).
    pub fn operation_by_action(
        &self,
        version: &str,
        action: &str,
    ) -> Option<&'static OperationEntry> {
        self.operations.iter().find(|operation| {
            operation.meta.action == Some(action) && operation.meta.api_version == version
        })
    }

    /// Whether any operation of the service belongs to API version `version`.
    pub fn has_version(&self, version: &str) -> bool {
        self.operations
            .iter()
            .any(|operation| operation.meta.api_version == version)
    }

    /// The operation with command name `command`.
    pub fn operation(&self, command: &str) -> Option<&'static OperationEntry> {
        self.operations
            .iter()
            .find(|operation| operation.command == command)
    }
}
