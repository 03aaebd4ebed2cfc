//! What a spec says an operation does to the resources it acts on, as plain data: the
//! target resource, the refusal rules with the documented error each yields, and the effects
//! of a success. The generator emits one [`Behaviour`] per operation whose spec has a
//! `behaviour:` section, into the registry crate (`cloudspec-services`); the emulator runs
//! them. Errors are the generated crates' rows (`DeleteImageError::IMAGE_IS_PUBLIC`), so a
//! rule that names an undocumented code does not get past the generator, and a renamed row
//! does not compile.
//!
//! `specs/README.md` ("Behaviour") documents the YAML these come from, with an example.

use crate::error::DocumentedError;

/// A kind of resource a service keeps (`image`, `snapshot`), with the states the documents
/// name for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    /// The type's name, as specs and state files write it (`image`).
    pub name: &'static str,
    /// What it is, from the spec.
    pub description: &'static str,
    /// The states a resource of this type can be in; the first is the default.
    pub states: &'static [ResourceState],
    /// The types of resources that can be bound to one of this type (an image's snapshots).
    pub bound: &'static [&'static str],
}

impl ResourceType {
    /// The state named `name` or one of its aliases, by its canonical name. A type that
    /// lists no states has one, `available`.
    pub fn state(&self, name: &str) -> Option<&'static str> {
        if self.states.is_empty() {
            return (name == "available").then_some("available");
        }
        self.states
            .iter()
            .find(|state| state.name == name || state.aliases.contains(&name))
            .map(|state| state.name)
    }

    /// The default state (the first listed), or `available` when none is listed.
    pub fn default_state(&self) -> &'static str {
        self.states.first().map_or("available", |state| state.name)
    }
}

/// One state of a [`ResourceType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceState {
    /// Its canonical name (`in-use`).
    pub name: &'static str,
    /// Other names a state file may use for it (Tencent's `USING` as `using`).
    pub aliases: &'static [&'static str],
}

/// What an operation does, as its spec's `behaviour:` section states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// The type of resource the operation acts on (a [`ResourceType::name`] of its service).
    pub resource: &'static str,
    /// Which resources a call names.
    pub target: Target,
    /// Refusal rules, in order: for each target, the first rule whose conditions all hold
    /// decides. A call with any refused target changes nothing.
    pub refusals: &'static [Refusal],
    /// What a successful call does, in order.
    pub effects: &'static [Effect],
    /// The documented Boolean parameter that, when true, makes the call check everything
    /// and change nothing (Tencent `DryRun`).
    pub dry_run: Option<&'static str>,
    /// Documented rows that replace the provider's common parameter errors.
    pub parameter_errors: ParameterErrors,
    /// A Rust hook, registered with the emulator by this name, that runs after the
    /// refusal rules and before the effects: for what cannot be data.
    pub hook: Option<&'static str>,
}

/// Which resources a call names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The documented parameter holding the ID, or, for a list parameter, the IDs (each
    /// is a target; a repeated ID counts once).
    pub parameter: &'static str,
    /// Where the region the resources must be in comes from; `None`: any region.
    pub region: Option<RegionSource>,
    /// The form an ID must have, checked for every ID before any is looked up.
    pub format: Option<IdFormat>,
}

/// Where a call's region comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionSource {
    /// A documented parameter (`RegionId`, or Tencent's common `Region`).
    Parameter(&'static str),
    /// The request's host, read with the service's regional endpoint template
    /// (`bcc.{region}.baidubce.com`); a host that does not fit it (the emulator's own
    /// address) matches every region.
    Host,
}

/// The form of a well-formed ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdFormat {
    /// A regular expression (the `regex` crate's syntax) the whole ID must match.
    pub pattern: &'static str,
    /// Why the spec states this form (the document's sentence, or an inference).
    pub source: &'static str,
    /// The answer to an ID that does not match.
    pub error: ErrorAnswer,
}

/// A documented error to answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The document's row. A `%s` template row is filled with the parameter the answer is
    /// about.
    pub row: &'static DocumentedError,
    /// The code to send for a row that has none (a status-only row), from a spec fact.
    pub code: Option<&'static str>,
    /// The message to send instead of the row's, from a spec fact.
    pub message: Option<&'static str>,
    /// The spec fact that gives `code` or `message`.
    pub fact: Option<&'static str>,
}

/// One refusal rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// The spec rule it executes (`shared-image-refused`).
    pub rule: Option<&'static str>,
    /// Conditions on the target, all of which must hold.
    pub when: &'static [Condition],
    /// What the call gets.
    pub outcome: Outcome,
}

/// What a matching refusal rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call is refused with this error; nothing changes.
    Error(ErrorAnswer),
    /// The target is left alone and the call goes on ("the request is ignored").
    Ignore,
}

/// A condition on a target resource, or on the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// How the ID looks to the caller.
    Found(&'static [Presence]),
    /// The resource's kind is one of these.
    Kind(&'static [Kind]),
    /// The resource's state is one of these (canonical names).
    State(&'static [&'static str]),
    /// Whether the resource is shared with other accounts.
    Shared(bool),
    /// Whether other resources use it (an image's instances).
    Used(bool),
    /// A parameter of the call has this value.
    Parameter {
        /// The documented parameter name.
        name: &'static str,
        /// The value it must have.
        equals: ParamValue,
        /// Whether an absent parameter counts as having it (its documented default is
        /// this value).
        when_absent: bool,
    },
}

/// How an ID looks to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// No such resource for the caller: absent, in another region, or another account's
    /// private resource.
    Missing,
    /// Visible but not the caller's own: the provider's, another account's public one, or
    /// one shared with the caller.
    Foreign,
    /// The caller's own.
    Owned,
}

/// Who owns a resource and who sees it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The account's own; only it sees it.
    #[default]
    Custom,
    /// The provider's; every account sees it, none owns it.
    System,
    /// The account's own, published: every account sees it (`community` is another name).
    #[serde(alias = "community")]
    Public,
    /// The provider's, from a partner (Baidu's service-integration images).
    ServiceIntegration,
    /// Another account's, shared with this one: it sees it, does not own it.
    SharedFromOthers,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Custom,
        Kind::System,
        Kind::Public,
        Kind::ServiceIntegration,
        Kind::SharedFromOthers,
    ];

    /// The name specs and state files use (`service-integration`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Custom => "custom",
            Kind::System => "system",
            Kind::Public => "public",
            Kind::ServiceIntegration => "service-integration",
            Kind::SharedFromOthers => "shared-from-others",
        }
    }

    /// The kind named `name` (`community` is another name of `public`).
    pub fn from_name(name: &str) -> Option<Kind> {
        if name == "community" {
            return Some(Kind::Public);
        }
        Kind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// A parameter value a condition compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamValue {
    /// A Boolean.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// Text.
    Text(&'static str),
}

impl ParamValue {
    /// Whether a decoded parameter value (JSON, keyed by documented name) is this one.
    pub fn matches(&self, value: &serde_json::Value) -> bool {
        match self {
            ParamValue::Bool(expected) => value.as_bool() == Some(*expected),
            ParamValue::Integer(expected) => value.as_i64() == Some(*expected),
            ParamValue::Text(expected) => value.as_str() == Some(*expected),
        }
    }
}

/// One effect of a successful call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// What it removes.
    pub remove: Removal,
    /// Conditions on the call (parameters) that must all hold for it to happen.
    pub when: &'static [Condition],
    /// The spec rule it executes.
    pub rule: Option<&'static str>,
}

/// What an effect removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Each target resource.
    Target,
    /// The resources of this type bound to each target (CVM's `DeleteBindedSnap`).
    Bound(&'static str),
}

/// Documented rows that replace the provider's common parameter errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParameterErrors {
    /// A required parameter is absent.
    pub missing: Option<ErrorAnswer>,
    /// A parameter the operation does not have, or one given twice.
    pub unknown: Option<ErrorAnswer>,
    /// A value of the wrong type, or over a documented limit.
    pub invalid: Option<ErrorAnswer>,
}

/// A documented sample response, as the spec transcribes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleResponse {
    /// The HTTP status (a success is 200 when the document shows none).
    pub status: u16,
    /// The body's format.
    pub format: BodyFormat,
    /// Headers the document shows.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body as printed.
    pub body: &'static str,
    /// The example's request input (JSON, keyed by documented parameter name), empty
    /// when the example shows none: the emulator answers a request with these parameters
    /// with this response.
    pub input: &'static str,
}

/// The format of a sample body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Where an operation's answer carries the temporary credentials it gives (the spec's
/// `issues_credentials`): the emulator mints them with an expiry from its clock and then
/// accepts them, with their token, until they expire. Paths are response fields joined by
/// `.`, from the protocol's answer root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedCredentials {
    /// The parameter giving the lifetime in seconds, if any.
    pub duration_parameter: Option<&'static str>,
    /// The lifetime when the call gives none, in seconds.
    pub default_duration_seconds: u64,
    /// The access key id's field.
    pub access_key_id: &'static str,
    /// The secret's field.
    pub access_key_secret: &'static str,
    /// The security token's field.
    pub security_token: &'static str,
    /// The expiry's fields, each with its written form.
    pub expiration: &'static [(&'static str, TimeFormat)],
}

/// What an instance-metadata operation answers from the instance the emulator plays (the
/// spec's `instance_metadata`). Parameter names are documented names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceMetadata {
    /// Which answer.
    pub answers: MetadataAnswer,
    /// The header parameter carrying a session token from the service's session-token
    /// operation; a request with a token that was not issued or has expired gets
    /// [`InstanceMetadata::unauthorized`].
    pub session_token_parameter: Option<&'static str>,
    /// The answer for an instance without the role.
    pub no_role: Option<ErrorAnswer>,
    /// The answer for a bad session token.
    pub unauthorized: Option<ErrorAnswer>,
}

/// An instance-metadata answer ([`InstanceMetadata::answers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataAnswer {
    /// A new session token (IMDSv2) as the whole text body, living the seconds of the
    /// `ttl_parameter`.
    SessionToken {
        /// The parameter giving the lifetime in seconds.
        ttl_parameter: Option<&'static str>,
    },
    /// The name of the instance's role, as the whole text body.
    RoleName,
    /// The temporary credentials of the role the path names, written as the operation's
    /// [`IssuedCredentials`] say.
    RoleCredentials {
        /// The path parameter naming the role.
        role_parameter: &'static str,
    },
}

/// How a time is written in an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// UTC to the second, `2015-04-09T11:52:19Z`.
    Rfc3339,
    /// Seconds since the Unix epoch, as a number.
    UnixSeconds,
}
