//! The IR: a checked spec with every Rust name decided, ready for emission.

use serde_json::Value;

use crate::spec::model::{
    Authorization, Endpoints, Example, Fact, FieldLocation, Limits, ListStyle, Location, ParamType,
    Protocol, Provider, Rule, Source,
};

/// One service: one generated crate.
#[derive(Debug, Clone)]
pub struct Service {
    /// The spec's path relative to the workspace root (`specs/alibaba-ecs.yaml`).
    pub spec_path: String,
    /// The crate's folder relative to the workspace root (`generated/alibaba-ecs`).
    pub crate_dir: String,
    /// The package name (`cloudspec-alibaba-ecs`).
    pub crate_name: String,
    /// The library name (`cloudspec_alibaba_ecs`).
    pub lib_name: String,
    /// The command-line name (`alibaba-ecs`).
    pub command_name: String,
    /// The provider.
    pub provider: Provider,
    /// The short service name.
    pub service: String,
    /// The product code used for signing and RAM.
    pub product_code: String,
    /// The product's human name.
    pub title: String,
    /// The API version.
    pub api_version: String,
    /// The protocol.
    pub protocol: Protocol,
    /// The source document.
    pub source: Source,
    /// Endpoints.
    pub endpoints: Endpoints,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// Facts about the service from elsewhere than the document.
    pub facts: Vec<Fact>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// PascalCase name (`DeleteImage`): prefixes the generated types.
    pub name: String,
    /// snake_case name (`delete_image`): the module and the client method.
    pub module: String,
    /// kebab-case name (`delete-image`): the command.
    pub command: String,
    /// The wire action, for RPC-style protocols.
    pub action: Option<String>,
    /// The document's heading, when it is not the name.
    pub title: Option<String>,
    /// The document's description.
    pub description: String,
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: String,
    /// Parameters a caller sets, in document order.
    pub inputs: Vec<InputField>,
    /// Constant parameters (documented, not settable).
    pub constants: Vec<ConstantParam>,
    /// Response fields.
    pub outputs: Vec<OutputField>,
    /// Documented errors.
    pub errors: Vec<ErrorCase>,
    /// Documented rules.
    pub rules: Vec<Rule>,
    /// Documented examples.
    pub examples: Vec<Example>,
    /// The RAM authorization, when documented.
    pub authorization: Option<Authorization>,
    /// Wire name of the idempotency-token parameter.
    pub idempotency_token: Option<String>,
    /// The documented request-rate limit.
    pub rate_limit_per_second: Option<u32>,
    /// Facts about the operation from elsewhere than the document.
    pub facts: Vec<Fact>,
}

/// A parameter a caller sets.
#[derive(Debug, Clone)]
pub struct InputField {
    /// The name as documented (`ImageIds.N`).
    pub documented_name: String,
    /// The name on the wire (`ImageIds`).
    pub wire_name: String,
    /// The Rust field name (`image_ids`).
    pub field: String,
    /// The command-line flag (`image-ids`).
    pub flag: String,
    /// Where it travels.
    pub location: Location,
    /// Its type.
    pub ty: ParamType,
    /// How a list travels.
    pub list_style: Option<ListStyle>,
    /// Whether the document marks it required.
    pub required: bool,
    /// The documented default.
    pub default: Option<Value>,
    /// The documented limits.
    pub limits: Option<Limits>,
    /// The document's description.
    pub description: String,
    /// The document's example.
    pub example: Option<String>,
}

/// A documented constant parameter.
#[derive(Debug, Clone)]
pub struct ConstantParam {
    /// The name as documented.
    pub documented_name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it travels.
    pub location: Location,
    /// The value.
    pub value: String,
    /// The document's description.
    pub description: String,
}

/// A response field.
#[derive(Debug, Clone)]
pub struct OutputField {
    /// The name as documented (the JSON key or header name).
    pub documented_name: String,
    /// The Rust field name.
    pub field: String,
    /// Where it arrives.
    pub location: FieldLocation,
    /// Its type.
    pub ty: ParamType,
    /// The document's description.
    pub description: String,
    /// The document's example.
    pub example: Option<String>,
}

/// A documented error.
#[derive(Debug, Clone)]
pub struct ErrorCase {
    /// Variant name.
    pub variant: String,
    /// The code verbatim.
    pub code: Option<String>,
    /// The documented status.
    pub status: Option<u16>,
    /// The documented message.
    pub message: Option<String>,
    /// The documented meaning.
    pub description: String,
}

impl ErrorCase {
    /// Whether the code is a `%s` template.
    pub fn is_template(&self) -> bool {
        self.code.as_deref().is_some_and(|code| code.contains("%s"))
    }
}
