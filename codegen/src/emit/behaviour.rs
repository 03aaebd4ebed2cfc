//! The registry's data for the emulator: resource types, behaviours (rules with the
//! generated error rows they answer), sample responses, constants, tolerated parameters,
//! issued credentials and instance-metadata answers, as [`Lit`] tables.

use super::literal::Lit;
use crate::ir;
use crate::spec::model::{BodyFormat, MetadataAnswer, TimeFormat};

/// `resources: &[ResourceType { .. }]` of a service entry.
pub(super) fn resources(service: &ir::Service) -> Lit {
    Lit::slice(service.resources.iter().map(|resource| {
        let states = resource.states.iter().map(|(state, aliases)| {
            Lit::record(
                "ResourceState",
                vec![
                    ("name", Lit::str(state)),
                    ("aliases", Lit::str_slice(aliases)),
                ],
            )
        });
        Lit::record(
            "ResourceType",
            vec![
                ("name", Lit::str(&resource.name)),
                ("description", Lit::str(&resource.description)),
                ("states", Lit::slice(states)),
                ("bound", Lit::str_slice(&resource.bound)),
            ],
        )
    }))
}

/// The fields of an operation entry that serve the emulator.
pub(super) fn operation_fields(
    service: &ir::Service,
    operation: &ir::Operation,
) -> Vec<(&'static str, Lit)> {
    let constants = operation.constants.iter().map(|constant| {
        Lit::Tuple(vec![
            Lit::str(&constant.wire_name),
            Lit::code(super::operation::location_path(constant.location)),
            Lit::str(&constant.value),
        ])
    });
    let samples = operation
        .examples
        .iter()
        .flat_map(|example| {
            let input = example
                .request
                .as_ref()
                .filter(|request| !request.input.is_empty())
                .map(|request| serde_json::to_string(&request.input).unwrap_or_default())
                .unwrap_or_default();
            example
                .responses
                .iter()
                .map(move |response| (response, input.clone()))
        })
        .filter(|(response, _)| {
            response
                .status
                .is_none_or(|status| (200..300).contains(&status))
        })
        .map(|(response, input)| {
            let format = match response.format {
                BodyFormat::Json => "Json",
                BodyFormat::Xml => "Xml",
                BodyFormat::Text => "Text",
                BodyFormat::Empty => "Empty",
            };
            let headers = response
                .headers
                .iter()
                .map(|(name, value)| Lit::Tuple(vec![Lit::str(name), Lit::str(value)]));
            Lit::record(
                "SampleResponse",
                vec![
                    (
                        "status",
                        Lit::code(response.status.unwrap_or(200).to_string()),
                    ),
                    ("format", Lit::code(format!("BodyFormat::{format}"))),
                    ("headers", Lit::slice(headers)),
                    ("body", Lit::str(&response.body)),
                    ("input", Lit::str(input)),
                ],
            )
        });
    let behaviour = operation
        .behaviour
        .as_ref()
        .map(|behaviour| Lit::by_ref(behaviour_lit(service, operation, behaviour)));
    let issues_credentials = operation.issues_credentials.as_ref().map(|issues| {
        let expiration = issues.expiration.iter().map(|field| {
            let format = match field.format {
                TimeFormat::Rfc3339 => "Rfc3339",
                TimeFormat::UnixSeconds => "UnixSeconds",
            };
            Lit::Tuple(vec![
                Lit::str(&field.field),
                Lit::code(format!(
                    "cloudspec_runtime::behaviour::TimeFormat::{format}"
                )),
            ])
        });
        Lit::by_ref(Lit::record(
            "cloudspec_runtime::behaviour::IssuedCredentials",
            vec![
                (
                    "duration_parameter",
                    Lit::option_str(issues.duration_parameter.as_deref()),
                ),
                (
                    "default_duration_seconds",
                    Lit::code(issues.default_duration_seconds.to_string()),
                ),
                ("access_key_id", Lit::str(&issues.access_key_id)),
                ("access_key_secret", Lit::str(&issues.access_key_secret)),
                ("security_token", Lit::str(&issues.security_token)),
                ("expiration", Lit::slice(expiration)),
            ],
        ))
    });
    let instance_metadata = operation.instance_metadata.as_ref().map(|section| {
        let answers = match section.answers {
            MetadataAnswer::SessionToken => Lit::record(
                "MetadataAnswer::SessionToken",
                vec![(
                    "ttl_parameter",
                    Lit::option_str(section.ttl_parameter.as_deref()),
                )],
            ),
            MetadataAnswer::RoleName => Lit::code("MetadataAnswer::RoleName"),
            MetadataAnswer::RoleCredentials => Lit::record(
                "MetadataAnswer::RoleCredentials",
                vec![(
                    "role_parameter",
                    Lit::str(section.role_parameter.as_deref().unwrap_or_default()),
                )],
            ),
        };
        let row = |row: &Option<ir::ErrorRef>| {
            Lit::option(
                row.as_ref()
                    .map(|row| error_answer(service, operation, row)),
            )
        };
        Lit::by_ref(Lit::record(
            "cloudspec_runtime::behaviour::InstanceMetadata",
            vec![
                ("answers", answers),
                (
                    "session_token_parameter",
                    Lit::option_str(section.session_token_parameter.as_deref()),
                ),
                ("no_role", row(&section.no_role)),
                ("unauthorized", row(&section.unauthorized)),
            ],
        ))
    });
    vec![
        ("constants", Lit::slice(constants)),
        ("tolerated", Lit::str_slice(&operation.tolerated)),
        ("samples", Lit::slice(samples)),
        ("behaviour", Lit::option(behaviour)),
        ("issues_credentials", Lit::option(issues_credentials)),
        ("instance_metadata", Lit::option(instance_metadata)),
    ]
}

fn error_answer(service: &ir::Service, operation: &ir::Operation, error: &ir::ErrorRef) -> Lit {
    Lit::record(
        "ErrorAnswer",
        vec![
            (
                "row",
                Lit::code(format!(
                    "{}::operation::{}::{}::{}",
                    service.lib_name, operation.module, operation.error_type, error.constant
                )),
            ),
            ("code", Lit::option_str(error.code.as_deref())),
            ("message", Lit::option_str(error.message.as_deref())),
            ("fact", Lit::option_str(error.fact.as_deref())),
        ],
    )
}

fn variants(prefix: &str, values: &[String]) -> Lit {
    Lit::slice(
        values
            .iter()
            .map(|value| Lit::code(format!("{prefix}::{}", crate::names::variant_name(value)))),
    )
}

fn conditions(conditions: &[ir::Condition]) -> Lit {
    Lit::slice(conditions.iter().map(|condition| match condition {
        ir::Condition::Found(values) => Lit::Call(
            "Condition::Found".to_owned(),
            vec![variants("Presence", values)],
        ),
        ir::Condition::Kind(values) => {
            Lit::Call("Condition::Kind".to_owned(), vec![variants("Kind", values)])
        }
        ir::Condition::State(values) => {
            Lit::Call("Condition::State".to_owned(), vec![Lit::str_slice(values)])
        }
        ir::Condition::Shared(value) => Lit::Call(
            "Condition::Shared".to_owned(),
            vec![Lit::code(value.to_string())],
        ),
        ir::Condition::Used(value) => Lit::Call(
            "Condition::Used".to_owned(),
            vec![Lit::code(value.to_string())],
        ),
        ir::Condition::Parameter(name, value, when_absent) => {
            let equals = match value {
                serde_json::Value::Bool(value) => Lit::Call(
                    "ParamValue::Bool".to_owned(),
                    vec![Lit::code(value.to_string())],
                ),
                serde_json::Value::Number(number) => Lit::Call(
                    "ParamValue::Integer".to_owned(),
                    vec![Lit::code(number.as_i64().unwrap_or_default().to_string())],
                ),
                other => Lit::Call(
                    "ParamValue::Text".to_owned(),
                    vec![Lit::str(other.as_str().unwrap_or_default())],
                ),
            };
            Lit::record(
                "Condition::Parameter",
                vec![
                    ("name", Lit::str(name)),
                    ("equals", equals),
                    ("when_absent", Lit::code(when_absent.to_string())),
                ],
            )
        }
    }))
}

fn behaviour_lit(
    service: &ir::Service,
    operation: &ir::Operation,
    behaviour: &ir::Behaviour,
) -> Lit {
    let region = behaviour.region.as_ref().map(|region| match region {
        ir::Region::Parameter(name) => {
            Lit::Call("RegionSource::Parameter".to_owned(), vec![Lit::str(name)])
        }
        ir::Region::Host => Lit::code("RegionSource::Host"),
    });
    let format = behaviour.format.as_ref().map(|(pattern, source, error)| {
        Lit::record(
            "IdFormat",
            vec![
                ("pattern", Lit::str(pattern)),
                ("source", Lit::str(source)),
                ("error", error_answer(service, operation, error)),
            ],
        )
    });
    let refusals = behaviour.refusals.iter().map(|refusal| {
        let outcome = match &refusal.error {
            Some(error) => Lit::Call(
                "Outcome::Error".to_owned(),
                vec![error_answer(service, operation, error)],
            ),
            None => Lit::code("Outcome::Ignore"),
        };
        Lit::record(
            "Refusal",
            vec![
                ("rule", Lit::option_str(refusal.rule.as_deref())),
                ("when", conditions(&refusal.when)),
                ("outcome", outcome),
            ],
        )
    });
    let effects = behaviour.effects.iter().map(|effect| {
        let remove = match &effect.bound {
            Some(bound) => Lit::Call("Removal::Bound".to_owned(), vec![Lit::str(bound)]),
            None => Lit::code("Removal::Target"),
        };
        Lit::record(
            "Effect",
            vec![
                ("remove", remove),
                ("when", conditions(&effect.when)),
                ("rule", Lit::option_str(effect.rule.as_deref())),
            ],
        )
    });
    let [missing, unknown, invalid] = behaviour
        .parameter_errors
        .clone()
        .map(|error| Lit::option(error.map(|error| error_answer(service, operation, &error))));
    Lit::record(
        "Behaviour",
        vec![
            ("resource", Lit::str(&behaviour.resource)),
            (
                "target",
                Lit::record(
                    "Target",
                    vec![
                        ("parameter", Lit::str(&behaviour.target)),
                        ("region", Lit::option(region)),
                        ("format", Lit::option(format)),
                    ],
                ),
            ),
            ("refusals", Lit::slice(refusals)),
            ("effects", Lit::slice(effects)),
            ("dry_run", Lit::option_str(behaviour.dry_run.as_deref())),
            (
                "parameter_errors",
                Lit::record(
                    "ParameterErrors",
                    vec![
                        ("missing", missing),
                        ("unknown", unknown),
                        ("invalid", invalid),
                    ],
                ),
            ),
            ("hook", Lit::option_str(behaviour.hook.as_deref())),
        ],
    )
}
