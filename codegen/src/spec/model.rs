//! The spec model: what a YAML spec in `specs/` may say, as Rust types.
//!
//! The model is deliberately a faithful transcription format, not an IR: it keeps the
//! document's names, quirks and prose. [`crate::check`] validates it and [`crate::lower`]
//! turns it into the IR that emission works from. Values whose position matters for
//! diagnostics are wrapped in [`Spanned`], which records the line and column they came from.
//!
//! The JSON Schema in `specs/spec.schema.json` is generated from these types
//! (`cargo xtask regen` writes it), so editors can validate specs while people type.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
pub use serde_saphyr::Spanned;

/// One YAML spec: one service of one provider, transcribed from one document.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The cloud provider. Together with `service` it names the generated crate
    /// (`cloudspec-<provider>-<service>`).
    pub provider: Provider,
    /// Short, lower-case service name as the provider's hosts spell it (`ecs`, `ens`, `swas`,
    /// `cvm`, `bcc`).
    #[schemars(with = "String")]
    pub service: Spanned<String>,
    /// The product's human name, e.g. "Elastic Compute Service".
    pub title: String,
    /// The API version the document describes, verbatim (`2014-05-26`, `v2`).
    pub api_version: String,
    /// The wire protocol. It decides how requests are encoded and signed and how errors
    /// arrive; the runtime implements each protocol once.
    #[schemars(with = "Protocol")]
    pub protocol: Spanned<Protocol>,
    /// The product code used in signatures and RAM actions where it differs from `service`
    /// (Tencent's signing service name `cvm`; Alibaba's product code `swas-open`).
    #[serde(default)]
    pub product_code: Option<String>,
    /// The document this spec was transcribed from.
    pub source: Source,
    /// Where requests go.
    pub endpoints: Endpoints,
    /// The operations the document describes.
    #[schemars(with = "Vec<Operation>")]
    pub operations: Vec<Spanned<Operation>>,
    /// Facts about the whole service that the document does not state (endpoint rules of
    /// the official SDKs, protocol details), each with its source.
    #[serde(default)]
    #[schemars(with = "Vec<Fact>")]
    pub facts: Vec<Spanned<Fact>>,
    /// The kinds of resources the operations act on, for their `behaviour:` sections and
    /// the emulator's state.
    #[serde(default)]
    #[schemars(with = "Vec<ResourceDef>")]
    pub resources: Vec<Spanned<ResourceDef>>,
    /// Named structures shared by the operations' parameters and responses.
    #[serde(default)]
    #[schemars(with = "Vec<StructureDef>")]
    pub structures: Vec<Spanned<StructureDef>>,
    /// Named enumerations: text values with a known set, the type of `enum` parameters and
    /// fields.
    #[serde(default)]
    #[schemars(with = "Vec<EnumDef>")]
    pub enums: Vec<Spanned<EnumDef>>,
}

/// A named enumeration: a text value whose known values are listed. The generated Rust enum
/// has a variant per value and an `Unknown` variant that keeps any other text, so a value
/// the provider adds later still reads (and is sent back unchanged).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    /// Its name (`ImageType`); the generated type's name.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What it is.
    pub description: String,
    /// The known values, in order.
    pub values: Vec<EnumValue>,
    /// Fields of other definitions, as `Structure.Field` or `Operation.Field` (a parameter
    /// or a response field), that are `type: string` where they are defined (an imported
    /// fragment, typically) and take this enumeration instead. The overlay wins: this is how
    /// a spec types a member of the metadata without copying its structure.
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Where the list of values comes from.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

/// One known value of an enumeration.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value as it travels (`PUBLIC_IMAGE`).
    pub value: String,
    /// The generated variant's name, when the Pascal case of `value` is not right.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// What it means, verbatim from the source.
    #[serde(default)]
    pub description: String,
}

/// A cloud provider known to the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// Alibaba Cloud.
    Alibaba,
    /// Tencent Cloud.
    Tencent,
    /// Baidu AI Cloud.
    Baidu,
}

impl Provider {
    /// The lower-case name used in crate names and commands.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Alibaba => "alibaba",
            Provider::Tencent => "tencent",
            Provider::Baidu => "baidu",
        }
    }
}

/// A wire protocol the runtime speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Alibaba Cloud RPC style: parameters in the query string, signature V1 or V3.
    AlibabaRpc,
    /// Tencent Cloud API 3.0: JSON body, `X-TC-*` headers, `TC3-HMAC-SHA256`.
    TencentApi3,
    /// Baidu AI Cloud REST: method and path carry the operation, `bce-auth-v1`.
    BaiduRest,
    /// An instance-metadata service (the ECS and CVM metadata hosts): plain HTTP, method
    /// and path carry the operation, never signed, answers in text or JSON, errors by
    /// status (docs/protocols.md, "Instance metadata"). Any provider.
    InstanceMetadata,
}

impl Protocol {
    /// The name as a spec writes it (`alibaba-rpc`).
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::AlibabaRpc => "alibaba-rpc",
            Protocol::TencentApi3 => "tencent-api3",
            Protocol::BaiduRest => "baidu-rest",
            Protocol::InstanceMetadata => "instance-metadata",
        }
    }

    /// The provider whose protocol this is; `None` for a protocol every provider speaks
    /// (instance metadata).
    pub fn provider(self) -> Option<Provider> {
        match self {
            Protocol::AlibabaRpc => Some(Provider::Alibaba),
            Protocol::TencentApi3 => Some(Provider::Tencent),
            Protocol::BaiduRest => Some(Provider::Baidu),
            Protocol::InstanceMetadata => None,
        }
    }
}

/// The document a spec was transcribed from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The document's title as it shows it, e.g. "ENS:DeleteImage".
    pub title: String,
    /// The seed file the text was taken from (a file name in `shared/seeds/`). Absent for a
    /// spec written from an official SDK's code, with no document: then `sources` cite it.
    #[serde(default)]
    pub seed: Option<String>,
    /// Where the spec's values come from when there is no seed document: official SDK
    /// files, with package, version and lines. A spec needs a `seed` or at least one of
    /// these.
    #[serde(default)]
    pub sources: Vec<FactSource>,
    /// The "last updated" date the document states (`YYYY-MM-DD`, or with a time as the
    /// document writes it). Absent when the document states none; then `note` says so.
    #[serde(default)]
    pub last_updated: Option<String>,
    /// Anything a reader of the spec should know about the source: a missing date, a
    /// fact taken from elsewhere and where from.
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a service's requests go.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    /// Host used when no region is configured (`ecs.aliyuncs.com`). Absent when the service
    /// has no global endpoint.
    #[serde(default)]
    pub global: Option<String>,
    /// Host template with a `{region}` placeholder (`ecs.{region}.aliyuncs.com`).
    #[serde(default)]
    pub regional: Option<String>,
    /// Regions the document (or the cited source) names for the regional template.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The host template inside a VPC, with a `{region}` placeholder
    /// (`sts-vpc.{region}.aliyuncs.com`), for clients asked to use the VPC endpoint; its source
    /// in `note`.
    #[serde(default)]
    pub vpc: Option<String>,
    /// The region the generated crate's front-page example configures (`ap-guangzhou`), with
    /// its source in `note`; without it the first of `regions`, and with neither the example
    /// sets no region.
    #[serde(default)]
    pub example_region: Option<String>,
    /// Where these endpoints come from when not from the document itself.
    #[serde(default)]
    pub note: Option<String>,
}

/// One API operation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The operation's name in PascalCase (`DeleteImage`); it names the generated types
    /// (`DeleteImageInput`, ...) and, in snake case, the client method.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The wire action (`Action` / `X-TC-Action`) for RPC-style protocols; absent for REST.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub action: Option<Spanned<String>>,
    /// The API version of the operation, when the service keeps several and this operation
    /// belongs to another than the spec's `api_version` (RPC-style protocols).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub api_version: Option<Spanned<String>>,
    /// The document's heading for the operation when it is not the name ("Delete a Custom Image").
    #[serde(default)]
    pub title: Option<String>,
    /// The document's description of the operation, verbatim; the first sentence becomes
    /// the summary line of the generated rustdoc.
    pub description: String,
    /// HTTP method and path.
    pub http: Http,
    /// The RAM authorization table, where the document has one.
    #[serde(default)]
    pub authorization: Option<Authorization>,
    /// Every request parameter the document lists, including the common ones it names.
    #[schemars(with = "Vec<Parameter>")]
    pub parameters: Vec<Spanned<Parameter>>,
    /// The documented response.
    pub response: Response,
    /// Every documented error.
    #[serde(default)]
    #[schemars(with = "Vec<ErrorDef>")]
    pub errors: Vec<Spanned<ErrorDef>>,
    /// Every documented rule and limit that is not a single parameter's limit, in prose.
    #[serde(default)]
    #[schemars(with = "Vec<Rule>")]
    pub rules: Vec<Spanned<Rule>>,
    /// The documented examples.
    #[serde(default)]
    #[schemars(with = "Vec<Example>")]
    pub examples: Vec<Spanned<Example>>,
    /// Facts about the operation that the document does not state (what the official
    /// SDKs send, their defaults and limits), each with its source.
    #[serde(default)]
    #[schemars(with = "Vec<Fact>")]
    pub facts: Vec<Spanned<Fact>>,
    /// What the operation does to the resources it acts on, as rules the emulator runs.
    /// Without it the emulator answers the operation from its sample response.
    #[serde(default)]
    #[schemars(with = "Option<BehaviourDef>")]
    pub behaviour: Option<Spanned<BehaviourDef>>,
    /// Where the operation comes from when not from the spec's `source` document (an
    /// operation imported from the provider's metadata says so, with the package version).
    #[serde(default)]
    pub provenance: Option<Provenance>,
    /// The operation gives temporary credentials (STS AssumeRole): where its answer carries
    /// them. The emulator mints them, with an expiry from its clock, and then accepts
    /// requests signed with them (and their token) until they expire.
    #[serde(default)]
    #[schemars(with = "Option<IssuesCredentials>")]
    pub issues_credentials: Option<Spanned<IssuesCredentials>>,
    /// How a caller proves who it is. Absent: every request is signed with the caller's
    /// keys, as the protocol signs.
    #[serde(default)]
    #[schemars(with = "Option<AuthDef>")]
    pub auth: Option<Spanned<AuthDef>>,
    /// What an `instance-metadata` operation answers from the instance the emulator plays:
    /// a session token, the name of the instance's role, or that role's credentials.
    #[serde(default)]
    #[schemars(with = "Option<InstanceMetadataDef>")]
    pub instance_metadata: Option<Spanned<InstanceMetadataDef>>,
}

/// What an instance-metadata operation answers ([`Operation::instance_metadata`]), as the
/// emulator runs it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceMetadataDef {
    /// Which answer.
    pub answers: MetadataAnswer,
    /// For `session-token`: the parameter giving the token's lifetime in seconds.
    #[serde(default)]
    pub ttl_parameter: Option<String>,
    /// For `role-credentials`: the path parameter naming the role.
    #[serde(default)]
    pub role_parameter: Option<String>,
    /// The header parameter that carries a session token from the `session-token`
    /// operation: a request with a token the service did not issue, or one that has
    /// expired, is refused with `unauthorized`. Absent: the operation takes none.
    #[serde(default)]
    pub session_token_parameter: Option<String>,
    /// The error (a status-only `variant` of `errors`) for an instance with no role, or a
    /// role the instance does not have.
    #[serde(default)]
    pub no_role: Option<String>,
    /// The error (a status-only `variant` of `errors`) for a session token that was not
    /// issued or has expired.
    #[serde(default)]
    pub unauthorized: Option<String>,
    /// Where these facts come from (an SDK file and lines), or why they are inferred.
    pub source: String,
}

/// An instance-metadata answer ([`InstanceMetadataDef::answers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MetadataAnswer {
    /// A new session token (IMDSv2), the whole text body.
    SessionToken,
    /// The name of the instance's role, the whole text body.
    RoleName,
    /// The temporary credentials of the role, written where `issues_credentials` says.
    RoleCredentials,
}

/// How an operation authenticates its caller ([`Operation::auth`]).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthDef {
    /// Signed with the caller's keys (the default), or sent unsigned.
    pub kind: AuthKind,
    /// For an anonymous operation, the parameter that proves the caller's identity instead
    /// of a signature (an OIDC token): the emulator accepts only the identity tokens it was
    /// given, for the account each belongs to.
    #[serde(default)]
    pub identity_token: Option<String>,
    /// What the source says, in a sentence.
    pub text: String,
    /// Where it comes from (at least one source: an SDK that sends the call unsigned).
    pub sources: Vec<FactSource>,
}

/// Whether an operation's requests are signed ([`AuthDef::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuthKind {
    /// Signed with the caller's keys, as the protocol signs.
    Signed,
    /// Sent without a signature and without credentials: Alibaba RPC without `AccessKeyId`
    /// and `Signature`, Tencent with `Authorization: SKIP` (docs/protocols.md).
    Anonymous,
}

/// Where an operation's answer carries the temporary credentials it gives
/// ([`Operation::issues_credentials`]). Field paths are response fields joined by `.`
/// (`Credentials.AccessKeyId`), from the protocol's answer root (Tencent: inside `Response`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuesCredentials {
    /// The parameter giving the lifetime in seconds (`DurationSeconds`), if any.
    #[serde(default)]
    pub duration_parameter: Option<String>,
    /// The lifetime in seconds when the call gives none.
    pub default_duration_seconds: u64,
    /// The field of the access key id.
    pub access_key_id: String,
    /// The field of the secret.
    pub access_key_secret: String,
    /// The field of the security token.
    pub security_token: String,
    /// The fields of the expiry (at least one), each in its written form.
    pub expiration: Vec<ExpirationField>,
    /// Where these facts come from (an SDK file and lines).
    pub source: String,
}

/// A field holding an expiry time ([`IssuesCredentials::expiration`]).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpirationField {
    /// The field's path.
    pub field: String,
    /// How the time is written.
    pub format: TimeFormat,
}

/// How a time is written in an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TimeFormat {
    /// UTC, to the second: `2015-04-09T11:52:19Z`.
    Rfc3339,
    /// Seconds since the Unix epoch, a number.
    UnixSeconds,
}

/// HTTP method and path of an operation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path; `{name}` segments are filled from `in: path` parameters.
    #[schemars(with = "String")]
    pub path: Spanned<String>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl HttpMethod {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// A RAM authorization table row (Alibaba Cloud documents).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// The action for the `Action` element of a policy (`ens:DeleteImage`).
    pub action: String,
    /// The access level (`delete`).
    pub access_level: String,
    /// The resource type as the document writes it (`*All Resource`, `*CustomImage`).
    pub resource_type: String,
    /// The ARN template for the `Resource` element; `*` for all resources. Placeholders
    /// `{#name}` are filled from parameters of the same name (case-insensitively, so
    /// `{#regionId}` from `RegionId`) and `{#accountId}` from the caller's account.
    #[schemars(with = "String")]
    pub resource_arn: Spanned<String>,
    /// Condition keys; empty when the document says "None".
    #[serde(default)]
    pub condition_keys: Vec<String>,
    /// Dependent actions; empty when the document says "None".
    #[serde(default)]
    pub dependent_actions: Vec<String>,
}

/// One request parameter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The name as the document writes it (`ImageIds.N`, `imageId`).
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The name on the wire when it differs from `name` (`ImageIds` for `ImageIds.N`,
    /// `X-TC-Region` for a header).
    #[serde(default)]
    pub wire_name: Option<String>,
    /// The name of the generated Rust field, when the snake case of `name` is not right.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Where the parameter travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// The parameter's type.
    #[serde(rename = "type")]
    #[schemars(with = "ParamType")]
    pub ty: Spanned<ParamType>,
    /// For `list` and `map`: the items' type, a scalar type (`string`, `integer`, `uint64`,
    /// `float`, `boolean`, `timestamp`) or a structure name.
    #[serde(default)]
    pub items: Option<String>,
    /// For `object`: the structure's name (a `structures:` entry).
    #[serde(default)]
    pub structure: Option<String>,
    /// For `enum`: the enumeration's name (an `enums:` entry).
    #[serde(default, rename = "enum")]
    pub enumeration: Option<String>,
    /// How a list travels (required for `string-list`, forbidden otherwise).
    #[serde(default)]
    pub list_style: Option<ListStyle>,
    /// Whether the document marks the parameter required.
    pub required: bool,
    /// The documented default of an optional parameter.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Spanned<serde_json::Value>>,
    /// A fixed value: the parameter is part of the protocol (`Action`, `Version`, a version
    /// in the path) and is not part of the generated input.
    #[serde(default)]
    pub constant: Option<String>,
    /// The documented limits.
    #[serde(default)]
    #[schemars(with = "Option<Limits>")]
    pub limits: Option<Spanned<Limits>>,
    /// The document's description, verbatim.
    pub description: String,
    /// The document's example value, verbatim.
    #[serde(default)]
    pub example: Option<String>,
    /// Where the parameter comes from, when not from the operation's source.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

/// Where a value of a spec comes from: the document (with its sentence), the provider's
/// official metadata (with its package and version), or an inference (with the reason).
/// It reaches the generated rustdoc.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// `document`, `metadata`, `sdk` or `inference`.
    pub kind: ProvenanceKind,
    /// The document's title, or the metadata package (`tccli`).
    #[serde(default)]
    pub name: Option<String>,
    /// The package version (`3.1.189.1`).
    #[serde(default)]
    pub version: Option<String>,
    /// The file the values come from (`tccli/services/cvm/v20170312/api.json`).
    #[serde(default)]
    pub file: Option<String>,
    /// The language of the texts taken from it (`zh`), when not English.
    #[serde(default)]
    pub language: Option<String>,
    /// For an inference, the reason; for a document, the sentence.
    #[serde(default)]
    pub text: Option<String>,
}

/// Kinds of [`Provenance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenanceKind {
    /// A provider document, transcribed.
    Document,
    /// The provider's official machine-readable metadata.
    Metadata,
    /// An official SDK's code (the request it builds, the answer fields it reads).
    Sdk,
    /// Inferred, with the reason.
    Inference,
}

/// A named structure: the type of `object` parameters and fields and of `list`/`map` items.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StructureDef {
    /// Its name as the provider writes it (`Filter`); the generated type's name unless
    /// `rust_name` says otherwise.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The generated type's name, when `name` is not a good one (a Rust prelude name).
    #[serde(default)]
    pub rust_name: Option<String>,
    /// What it is.
    pub description: String,
    /// Its fields, in order.
    pub fields: Vec<FieldDef>,
    /// Where it comes from.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

/// One field of a structure.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The JSON member name (`Values`).
    pub name: String,
    /// The generated field name, when the snake case of `name` is not right.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The field's type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// For `list` and `map`: the items' type.
    #[serde(default)]
    pub items: Option<String>,
    /// For `object`: the structure's name.
    #[serde(default)]
    pub structure: Option<String>,
    /// For `enum`: the enumeration's name (an `enums:` entry).
    #[serde(default, rename = "enum")]
    pub enumeration: Option<String>,
    /// Whether a request must carry it.
    #[serde(default)]
    pub required: bool,
    /// Its description.
    pub description: String,
    /// An example value.
    #[serde(default)]
    pub example: Option<String>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// In the query string (`Name=value`; lists per `list_style`).
    Query,
    /// In an HTTP header.
    Header,
    /// In the path, filling `{name}`.
    Path,
    /// A member of the JSON request body.
    Body,
    /// A common parameter of the protocol (`Action`, `Version`, `Region`): the runtime places
    /// it where the protocol wants it.
    Common,
}

impl Location {
    /// The name as a spec writes it (`query`).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Query => "query",
            Location::Header => "header",
            Location::Path => "path",
            Location::Body => "body",
            Location::Common => "common",
        }
    }
}

/// The type of a parameter, response field or structure field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// A signed 64-bit whole number.
    Integer,
    /// An unsigned 64-bit whole number.
    Uint64,
    /// A floating-point number.
    Float,
    /// A point in time, as text in the provider's written form (`2020-09-22T00:00:00+00:00`,
    /// `2020-09-22 00:00:00`); the spec's `format` says which.
    Timestamp,
    /// A list of strings.
    StringList,
    /// A list of `items` (a scalar type or a structure name).
    List,
    /// A structure named by `structure`.
    Object,
    /// A map from strings to `items`.
    Map,
    /// One of the values of the `enums:` entry that `enum` names, as text on the wire. The
    /// generated enum keeps a value it does not know (`Unknown`), so a new value the provider
    /// adds never fails a response.
    Enum,
}

impl ParamType {
    /// Whether the type is one of the scalar types (`items` may name it).
    pub fn from_scalar_name(name: &str) -> Option<ParamType> {
        match name {
            "string" => Some(ParamType::String),
            "boolean" => Some(ParamType::Boolean),
            "integer" => Some(ParamType::Integer),
            "uint64" => Some(ParamType::Uint64),
            "float" => Some(ParamType::Float),
            "timestamp" => Some(ParamType::Timestamp),
            _ => None,
        }
    }

    /// Whether values of the type are a JSON object or a list of them (they travel as
    /// JSON in a body, flattened in a query).
    pub fn is_nested(self) -> bool {
        matches!(self, ParamType::List | ParamType::Object | ParamType::Map)
    }
}

/// How a list parameter is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ListStyle {
    /// `Name.1=a&Name.2=b` (Alibaba) in the query.
    Flattened,
    /// One string holding a JSON array: `Name=["a","b"]` (Alibaba SWAS `ImageIds`).
    JsonInString,
    /// A JSON array member of the body (Tencent POST); sent as `Name.0=a` on a GET.
    JsonArray,
}

impl ListStyle {
    /// The name as a spec writes it (`json-in-string`).
    pub fn as_str(self) -> &'static str {
        match self {
            ListStyle::Flattened => "flattened",
            ListStyle::JsonInString => "json-in-string",
            ListStyle::JsonArray => "json-array",
        }
    }
}

/// Documented limits of one parameter.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Fewest list items (a required list has at least one).
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Most list items.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Shortest string, in characters.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Longest string, in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Allowed characters.
    #[serde(default)]
    pub charset: Option<Charset>,
    /// The sentence of the document that states the limits, verbatim.
    pub quote: String,
}

/// A documented character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Charset {
    /// ASCII characters only.
    Ascii,
}

/// The documented response.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The fields of a successful response.
    #[serde(default)]
    pub fields: Vec<ResponseField>,
}

/// One field of a successful response.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseField {
    /// The name as the document writes it (the JSON key, or the header name).
    pub name: String,
    /// The name of the generated Rust field, when the snake case of `name` is not right.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Where the field arrives.
    #[serde(rename = "in", default)]
    pub location: FieldLocation,
    /// The field's type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// For `list` and `map`: the items' type.
    #[serde(default)]
    pub items: Option<String>,
    /// For `object`: the structure's name.
    #[serde(default)]
    pub structure: Option<String>,
    /// For `enum`: the enumeration's name (an `enums:` entry).
    #[serde(default, rename = "enum")]
    pub enumeration: Option<String>,
    /// The document's description, verbatim.
    pub description: String,
    /// The document's example value, verbatim.
    #[serde(default)]
    pub example: Option<String>,
}

/// Where a response field arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldLocation {
    /// A member of the response body (inside `Response` for Tencent).
    #[default]
    Body,
    /// An HTTP response header.
    Header,
    /// The whole body, as text (an instance-metadata answer such as a role name): the
    /// only body field of its response, a string.
    TextBody,
}

/// One documented error.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The error code verbatim, typos included. `%s` marks a template part
    /// (`InvalidParameter.%s` matches `InvalidParameter.ImageId`). Absent when the document
    /// gives only an HTTP status; then `variant` names the error.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub code: Option<Spanned<String>>,
    /// The generated variant name, when the code does not give a good one (or is absent).
    #[serde(default)]
    pub variant: Option<String>,
    /// The documented HTTP status. Absent where the document gives none (Tencent errors
    /// arrive with HTTP 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// The documented error message, verbatim.
    #[serde(default)]
    pub message: Option<String>,
    /// The documented meaning, verbatim.
    pub description: String,
}

/// A fact the document does not state, with where it comes from: an official SDK's source,
/// the provider's metadata, a protocol reference. The document's value stays the spec's
/// value unless the wire proves otherwise; a fact that contradicts it records the
/// [`Conflict`], and every fact reaches the generated rustdoc.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// A stable kebab-case name, unique in its service or operation.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The fact, in a sentence.
    pub text: String,
    /// Where it comes from (at least one source).
    pub sources: Vec<FactSource>,
    /// Where the fact contradicts the spec's own (documented) value.
    #[serde(default)]
    pub conflict: Option<Conflict>,
    /// How an official SDK's requests differ on the wire from the generated client's
    /// because of this fact: the differential conformance tier accepts exactly these
    /// differences, reporting each as explained by this fact.
    #[serde(default)]
    pub wire: Vec<WireDifference>,
}

/// One source of a [`Fact`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactSource {
    /// What kind of source it is.
    pub kind: FactSourceKind,
    /// The package (`aliyun-python-sdk-core`), document or reference.
    pub name: String,
    /// The package version the fact was read from.
    #[serde(default)]
    pub version: Option<String>,
    /// The file and lines, section or page (`aliyunsdkcore/request.py`, `RpcRequest.get_url`).
    #[serde(default)]
    pub location: Option<String>,
    /// The source's own words or code, verbatim.
    #[serde(default)]
    pub quote: Option<String>,
    /// The language of `quote` when it is not English (`zh`).
    #[serde(default)]
    pub language: Option<String>,
}

/// What kind of source a [`FactSource`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FactSourceKind {
    /// An official SDK's source code or docstrings.
    Sdk,
    /// The provider's machine-readable API metadata.
    Metadata,
    /// A provider document other than the spec's own (a common-errors page).
    Document,
    /// A protocol reference in this repository (`docs/protocols.md`).
    ProtocolReference,
    /// What an official SDK was seen to do on the wire, in this repository's tests.
    Observation,
    /// An inference, with the reason in the fact's text.
    Inference,
}

impl FactSourceKind {
    /// The name as a spec writes it (`protocol-reference`).
    pub fn as_str(self) -> &'static str {
        match self {
            FactSourceKind::Sdk => "sdk",
            FactSourceKind::Metadata => "metadata",
            FactSourceKind::Document => "document",
            FactSourceKind::ProtocolReference => "protocol-reference",
            FactSourceKind::Observation => "observation",
            FactSourceKind::Inference => "inference",
        }
    }
}

/// A disagreement between the spec's value and a [`Fact`]'s source.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// What the spec says, where (`http.method: GET`).
    pub spec: String,
    /// What the source says (`POST`).
    pub source: String,
    /// Which value the spec keeps, and why.
    pub resolution: String,
}

/// One way an official SDK's request may differ from the generated client's.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireDifference {
    /// The SDK families that differ this way (`aliyun-python-sdk-core`).
    pub families: Vec<String>,
    /// What differs.
    pub kind: WireDifferenceKind,
    /// The parameter or header (for every kind but `method` and `boolean-text`).
    #[serde(default)]
    pub name: Option<String>,
    /// The value the SDK sends, when it is always the same.
    #[serde(default)]
    pub value: Option<String>,
}

/// What a [`WireDifference`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WireDifferenceKind {
    /// The HTTP method.
    Method,
    /// A parameter the SDK sends and the generated client does not.
    ExtraParameter,
    /// A parameter the generated client sends and the SDK does not (an idempotency token
    /// the runtime fills in).
    GeneratedParameter,
    /// A protocol header the SDK sends and the generated client does not.
    ExtraHeader,
    /// A header both send, with another value.
    HeaderValue,
    /// A parameter both send, with another value (`value`: the SDK's).
    ParameterValue,
    /// Boolean parameters written in another case (`True` for `true`).
    BooleanText,
}

impl WireDifferenceKind {
    /// The name as a spec writes it (`extra-parameter`).
    pub fn as_str(self) -> &'static str {
        match self {
            WireDifferenceKind::Method => "method",
            WireDifferenceKind::ExtraParameter => "extra-parameter",
            WireDifferenceKind::GeneratedParameter => "generated-parameter",
            WireDifferenceKind::ExtraHeader => "extra-header",
            WireDifferenceKind::HeaderValue => "header-value",
            WireDifferenceKind::ParameterValue => "parameter-value",
            WireDifferenceKind::BooleanText => "boolean-text",
        }
    }

    /// Whether the kind needs a `name`.
    pub fn needs_name(self) -> bool {
        !matches!(
            self,
            WireDifferenceKind::Method | WireDifferenceKind::BooleanText
        )
    }
}

/// A documented rule: a behaviour, limit or policy the document states in prose.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A stable kebab-case name; conformance cases refer to rules by it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What kind of rule it is.
    pub kind: RuleKind,
    /// The document's sentence, verbatim.
    pub text: String,
    /// For `rate-limit`: the documented number of requests per second.
    #[serde(default)]
    pub requests_per_second: Option<u32>,
    /// For `idempotency` and parameter rules: the parameter the rule is about.
    #[serde(default)]
    pub parameter: Option<String>,
    /// For `quota`: the documented number.
    #[serde(default)]
    pub quantity: Option<u64>,
    /// Documented error codes (or variant names) that the rule produces.
    #[serde(default)]
    pub errors: Vec<String>,
}

/// What kind of rule a [`Rule`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// What the service does in a situation (a missing image is ignored, a shared image is refused).
    Behaviour,
    /// A request-rate limit.
    RateLimit,
    /// How retries are made safe.
    Idempotency,
    /// An account quota.
    Quota,
}

/// A documented example: a sample request, a sample response, or both.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// A stable kebab-case name; conformance cases refer to examples by it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The document's title for the example.
    #[serde(default)]
    pub title: Option<String>,
    /// The document's description of the example, verbatim.
    #[serde(default)]
    pub description: Option<String>,
    /// The sample request.
    #[serde(default)]
    pub request: Option<ExampleRequest>,
    /// Sample responses (the document may show one in several formats).
    #[serde(default)]
    pub responses: Vec<ExampleResponse>,
}

/// A documented sample request.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleRequest {
    /// The request exactly as the document prints it.
    pub raw: String,
    /// The parameter values the sample carries, by documented parameter name, so a test
    /// can build the typed input from the example.
    #[serde(default)]
    pub input: BTreeMap<String, serde_json::Value>,
    /// Where the document's sample differs from the parameter table (a quirk), what it does.
    #[serde(default)]
    pub note: Option<String>,
}

/// A documented sample response.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleResponse {
    /// The HTTP status, where the document shows one or it is implied (a success is 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// The body's format.
    pub format: BodyFormat,
    /// Response headers the document shows.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body exactly as the document prints it (empty for `format: empty`).
    #[serde(default)]
    pub body: String,
}

/// The format of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BodyFormat {
    /// JSON.
    Json,
    /// XML.
    Xml,
    /// Plain text (an instance-metadata answer).
    Text,
    /// No body.
    Empty,
}

/// A kind of resource a service keeps (`image`, `snapshot`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceDef {
    /// Its name, lower-case (`image`); behaviours and state files refer to it.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What it is.
    pub description: String,
    /// The states the document distinguishes; the first is the default state.
    #[serde(default)]
    pub states: Vec<StateDef>,
    /// Types of resources that can be bound to one of this type (`[snapshot]`).
    #[serde(default)]
    pub bound: Vec<String>,
}

/// One state of a resource: a name, or a name with other names a state file may use.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum StateDef {
    /// Just the name (`creating`).
    Name(String),
    /// A name and its aliases (`{ name: in-use, aliases: [using] }`).
    Aliased {
        /// The canonical name.
        name: String,
        /// Other names for it.
        aliases: Vec<String>,
    },
}

impl StateDef {
    /// The canonical name.
    pub fn name(&self) -> &str {
        match self {
            StateDef::Name(name) | StateDef::Aliased { name, .. } => name,
        }
    }

    /// The aliases.
    pub fn aliases(&self) -> &[String] {
        match self {
            StateDef::Name(_) => &[],
            StateDef::Aliased { aliases, .. } => aliases,
        }
    }
}

/// What an operation does, as executable rules: see `specs/README.md`, "Behaviour".
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BehaviourDef {
    /// The resource type it acts on (a `resources:` entry of the spec).
    #[schemars(with = "String")]
    pub resource: Spanned<String>,
    /// Which resources a call names.
    pub target: TargetDef,
    /// Refusal rules, in order; for each target the first whose conditions all hold decides.
    #[serde(default)]
    #[schemars(with = "Vec<RefusalDef>")]
    pub refusals: Vec<Spanned<RefusalDef>>,
    /// What a success does, in order.
    #[serde(default)]
    #[schemars(with = "Vec<EffectDef>")]
    pub effects: Vec<Spanned<EffectDef>>,
    /// A Boolean parameter that, when true, checks everything and changes nothing.
    #[serde(default)]
    pub dry_run: Option<String>,
    /// Documented errors that replace the provider's common parameter errors.
    #[serde(default)]
    pub parameter_errors: ParameterErrorsDef,
    /// The name of a Rust hook registered with the emulator, for what cannot be data.
    #[serde(default)]
    pub hook: Option<String>,
}

/// Which resources a call names.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    /// The documented parameter holding the ID (or, for a list, the IDs).
    #[schemars(with = "String")]
    pub parameter: Spanned<String>,
    /// Where the region comes from: `{ parameter: RegionId }` or `host`. Absent: any region.
    #[serde(default)]
    pub region: Option<RegionDef>,
    /// The form every ID must have.
    #[serde(default)]
    pub format: Option<IdFormatDef>,
}

/// Where a call's region comes from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum RegionDef {
    /// A documented parameter (`RegionId`, Tencent's common `Region`).
    Parameter(String),
    /// The host, read with the regional endpoint template.
    Host,
}

/// The form of a well-formed ID.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdFormatDef {
    /// A regular expression the whole ID must match.
    pub pattern: String,
    /// Where the form comes from: the document's sentence, or why it is inferred.
    pub source: String,
    /// The documented error (code or variant) for an ID that does not match.
    pub error: String,
}

/// One refusal rule: conditions on a target, and the documented error (or `ignore`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefusalDef {
    /// The `rules:` entry it executes.
    #[serde(default)]
    pub rule: Option<String>,
    /// Conditions, all of which must hold.
    #[serde(default)]
    pub when: ConditionsDef,
    /// The documented error (code or variant name).
    #[serde(default)]
    pub error: Option<String>,
    /// The code to send for a status-only row, from the fact named by `fact`.
    #[serde(default)]
    pub code: Option<String>,
    /// The message to send instead of the row's, from the fact named by `fact`.
    #[serde(default)]
    pub message: Option<String>,
    /// The fact (of the operation or the service) that gives `code` or `message`.
    #[serde(default)]
    pub fact: Option<String>,
    /// Leave the target alone and go on ("the request is ignored").
    #[serde(default)]
    pub ignore: bool,
}

/// Conditions on a target resource or on the call; all must hold.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionsDef {
    /// How the ID looks to the caller: `missing`, `foreign`, `owned`.
    #[serde(default)]
    pub found: Option<OneOrMany<String>>,
    /// The resource's kind: `custom`, `system`, `public`, `service-integration`,
    /// `shared-from-others`.
    #[serde(default)]
    pub kind: Option<OneOrMany<String>>,
    /// The resource's state (a state of its type).
    #[serde(default)]
    pub state: Option<OneOrMany<String>>,
    /// Whether it is shared with other accounts.
    #[serde(default)]
    pub shared: Option<bool>,
    /// Whether other resources use it.
    #[serde(default)]
    pub used: Option<bool>,
    /// Parameter values of the call, by documented name.
    #[serde(default)]
    pub parameters: BTreeMap<String, serde_json::Value>,
}

/// One value or a list of them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// One.
    One(T),
    /// Several.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values.
    pub fn values(&self) -> &[T] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }
}

/// One effect of a success.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectDef {
    /// What it removes: `target`, or `{ bound: snapshot }`.
    pub remove: RemovalDef,
    /// Parameter conditions for it to happen.
    #[serde(default)]
    pub when: ConditionsDef,
    /// The `rules:` entry it executes.
    #[serde(default)]
    pub rule: Option<String>,
}

/// What an effect removes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum RemovalDef {
    /// The targets.
    Target,
    /// The resources of this type bound to each target.
    Bound(String),
}

/// Documented errors that replace the provider's common parameter errors.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParameterErrorsDef {
    /// A required parameter is absent.
    #[serde(default)]
    pub missing: Option<String>,
    /// An unknown or repeated parameter.
    #[serde(default)]
    pub unknown: Option<String>,
    /// A value of the wrong type or over a limit.
    #[serde(default)]
    pub invalid: Option<String>,
}

/// An imported fragment, `specs/imported/<provider>-<service>.yaml`: what
/// `cargo xtask import` wrote from the provider's metadata, merged into the spec of the
/// same name. The spec is the document overlay and wins: an operation or structure it
/// defines is never taken from the fragment. Never edited by hand; import again instead.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    /// Where everything in it comes from: the metadata package, version and file.
    pub imported: Provenance,
    /// Named structures.
    #[serde(default)]
    #[schemars(with = "Vec<StructureDef>")]
    pub structures: Vec<Spanned<StructureDef>>,
    /// Operations.
    #[serde(default)]
    #[schemars(with = "Vec<Operation>")]
    pub operations: Vec<Spanned<Operation>>,
    /// Facts the import found, such as conflicts between the metadata and the overlay.
    #[serde(default)]
    #[schemars(with = "Vec<Fact>")]
    pub facts: Vec<Spanned<Fact>>,
}
