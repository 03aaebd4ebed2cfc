//! The IR: a checked spec with every Rust name decided, ready for emission.

use serde_json::Value;

use crate::spec::model::{
    Authorization, Endpoints, Example, Fact, FieldLocation, Limits, ListStyle, Location, ParamType,
    Protocol, Provenance, Provider, Rule, Source,
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
    /// The resource types its operations act on.
    pub resources: Vec<ResourceType>,
    /// Its named structures (the generated `types` module).
    pub structures: Vec<Structure>,
    /// Its named enumerations (also in the `types` module).
    pub enums: Vec<Enumeration>,
}

/// A value's type, with structure names resolved to the generated type names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `String`.
    String,
    /// `bool`.
    Boolean,
    /// `i64`.
    Integer,
    /// `u64`.
    Uint64,
    /// `f64`.
    Float,
    /// A point in time as the provider writes it: `String`.
    Timestamp,
    /// `Vec<_>`.
    List(Box<Shape>),
    /// `BTreeMap<String, _>`.
    Map(Box<Shape>),
    /// `crate::types::<name>`.
    Struct(String),
    /// `crate::types::<name>`, an enumeration with an `Unknown` fallback.
    Enum(String),
}

impl Shape {
    /// Whether the type is, or holds, a floating-point number (so it cannot derive `Eq`),
    /// looking through `structures`.
    pub fn has_float(&self, structures: &[Structure]) -> bool {
        fn walk(shape: &Shape, structures: &[Structure], seen: &mut Vec<String>) -> bool {
            match shape {
                Shape::Float => true,
                Shape::List(inner) | Shape::Map(inner) => walk(inner, structures, seen),
                Shape::Struct(name) => {
                    if seen.contains(name) {
                        return false;
                    }
                    seen.push(name.clone());
                    structures
                        .iter()
                        .find(|structure| &structure.rust_name == name)
                        .is_some_and(|structure| {
                            structure
                                .fields
                                .iter()
                                .any(|field| walk(&field.shape, structures, seen))
                        })
                }
                _ => false,
            }
        }
        walk(self, structures, &mut Vec::new())
    }
}

/// A named enumeration with an `Unknown` fallback.
#[derive(Debug, Clone)]
pub struct Enumeration {
    /// Its name, the generated type's name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The known values, in order.
    pub values: Vec<EnumVariant>,
    /// Where the values come from.
    pub provenance: Option<Provenance>,
}

/// One known value of an enumeration.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The value as it travels.
    pub value: String,
    /// The Rust variant name.
    pub variant: String,
    /// What it means.
    pub description: String,
}

/// A named structure.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Its name as the provider writes it.
    pub name: String,
    /// The generated type's name.
    pub rust_name: String,
    /// What it is.
    pub description: String,
    /// Its fields.
    pub fields: Vec<StructField>,
    /// Where it comes from.
    pub provenance: Option<Provenance>,
}

/// A field of a structure.
#[derive(Debug, Clone)]
pub struct StructField {
    /// The JSON member name.
    pub documented_name: String,
    /// The Rust field name.
    pub field: String,
    /// Its type.
    pub shape: Shape,
    /// Whether a request must carry it.
    pub required: bool,
    /// Its description.
    pub description: String,
    /// An example value.
    pub example: Option<String>,
}

/// A resource type of a service.
#[derive(Debug, Clone)]
pub struct ResourceType {
    /// Its name (`image`).
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its states, each with its aliases; the first is the default.
    pub states: Vec<(String, Vec<String>)>,
    /// The types that can be bound to it.
    pub bound: Vec<String>,
}

/// What an operation does to resources (see `cloudspec_runtime::behaviour`).
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// The resource type it acts on.
    pub resource: String,
    /// The documented parameter holding the target ID(s).
    pub target: String,
    /// Where the region comes from.
    pub region: Option<Region>,
    /// The form of a well-formed ID: pattern, source, error.
    pub format: Option<(String, String, ErrorRef)>,
    /// Refusal rules, in order.
    pub refusals: Vec<Refusal>,
    /// Effects of a success, in order.
    pub effects: Vec<Effect>,
    /// The dry-run parameter.
    pub dry_run: Option<String>,
    /// Rows replacing the common missing, unknown and invalid parameter errors.
    pub parameter_errors: [Option<ErrorRef>; 3],
    /// A named Rust hook.
    pub hook: Option<String>,
}

/// Where a call's region comes from.
#[derive(Debug, Clone)]
pub enum Region {
    /// A documented parameter.
    Parameter(String),
    /// The host.
    Host,
}

/// A documented error row, by the name of its generated constant.
#[derive(Debug, Clone)]
pub struct ErrorRef {
    /// The row's constant on the error enum (`IMAGE_IS_PUBLIC`).
    pub constant: String,
    /// A code to send instead (for a status-only row).
    pub code: Option<String>,
    /// A message to send instead.
    pub message: Option<String>,
    /// The fact that gives them.
    pub fact: Option<String>,
}

/// One refusal rule.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The rule it executes.
    pub rule: Option<String>,
    /// Its conditions.
    pub when: Vec<Condition>,
    /// The error answered; `None`: the target is ignored.
    pub error: Option<ErrorRef>,
}

/// One effect.
#[derive(Debug, Clone)]
pub struct Effect {
    /// `None`: the targets; `Some(type)`: their bound resources of that type.
    pub bound: Option<String>,
    /// Its conditions.
    pub when: Vec<Condition>,
    /// The rule it executes.
    pub rule: Option<String>,
}

/// A condition.
#[derive(Debug, Clone)]
pub enum Condition {
    /// `missing`, `foreign`, `owned`.
    Found(Vec<String>),
    /// Kind names (`community` already read as `public`).
    Kind(Vec<String>),
    /// State names.
    State(Vec<String>),
    /// Shared or not.
    Shared(bool),
    /// Used or not.
    Used(bool),
    /// A parameter value, and whether an absent parameter has it (its default).
    Parameter(String, Value, bool),
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// PascalCase name (`DeleteImage`): prefixes the generated types.
    pub name: String,
    /// snake_case name (`delete_image`): the module and the client method.
    pub module: String,
    /// The input type's name (`DeleteImageInput`).
    pub input_type: String,
    /// The output type's name (`DeleteImageOutput`).
    pub output_type: String,
    /// The error enum's name (`DeleteImageError`).
    pub error_type: String,
    /// kebab-case name (`delete-image`): the command.
    pub command: String,
    /// The wire action, for RPC-style protocols.
    pub action: Option<String>,
    /// The API version the operation belongs to: its own, else the service's.
    pub api_version: String,
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
    /// What it does to resources.
    pub behaviour: Option<Behaviour>,
    /// Wire names of parameters an official SDK sends that the operation does not have
    /// (`extra-parameter` facts of the operation and the service).
    pub tolerated: Vec<String>,
    /// Where the operation comes from, when not from the spec's source document.
    pub provenance: Option<Provenance>,
    /// Where its answer carries the temporary credentials it gives, if it gives any.
    pub issues_credentials: Option<crate::spec::model::IssuesCredentials>,
    /// How it authenticates its caller, when the spec says (absent: signed).
    pub auth: Option<crate::spec::model::AuthDef>,
    /// What it answers from the instance, for an instance-metadata operation.
    pub instance_metadata: Option<InstanceMetadata>,
}

/// What an instance-metadata operation answers, as the emulator runs it.
#[derive(Debug, Clone)]
pub struct InstanceMetadata {
    /// Which answer.
    pub answers: crate::spec::model::MetadataAnswer,
    /// The documented name of the session token's lifetime parameter.
    pub ttl_parameter: Option<String>,
    /// The documented name of the role's path parameter.
    pub role_parameter: Option<String>,
    /// The documented name of the session-token header parameter.
    pub session_token_parameter: Option<String>,
    /// The row for an instance without the role.
    pub no_role: Option<ErrorRef>,
    /// The row for a session token not issued, or expired.
    pub unauthorized: Option<ErrorRef>,
}

/// A parameter a caller sets.
#[derive(Debug, Clone)]
pub struct InputField {
    /// The name as documented (`ImageIds.N`).
    pub documented_name: String,
    /// Where the parameter comes from, when not from the operation's source.
    pub provenance: Option<Provenance>,
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
    /// Its type, with items and structures resolved.
    pub shape: Shape,
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
    /// Its type, with items and structures resolved.
    pub shape: Shape,
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
    /// The name of its documented-error constant (`INVALID_IMAGE_ID_NOT_FOUND`).
    pub constant: String,
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
