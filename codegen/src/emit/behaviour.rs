//! The registry's data for the emulator: resource types, behaviours (rules with the
//! generated error rows they answer), sample responses, constants and tolerated parameters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir;
use crate::spec::model::{BodyFormat, MetadataAnswer};

/// `resources: &[ResourceType { .. }]` of a service entry.
pub(super) fn resources(service: &ir::Service) -> TokenStream {
    let types = service.resources.iter().map(|resource| {
        let name = &resource.name;
        let description = &resource.description;
        let states = resource.states.iter().map(|(state, aliases)| {
            quote! { ResourceState { name: #state, aliases: &[ #( #aliases ),* ] } }
        });
        let bound = &resource.bound;
        quote! {
            ResourceType { name: #name, description: #description, states: &[ #( #states ),* ], bound: &[ #( #bound ),* ] }
        }
    });
    quote! { &[ #( #types ),* ] }
}

/// The fields of an operation entry that serve the emulator.
pub(super) fn operation_fields(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let constants = operation.constants.iter().map(|constant| {
        let name = &constant.wire_name;
        let location = super::operation::location_tokens(constant.location);
        let value = &constant.value;
        quote! { (#name, #location, #value) }
    });
    let tolerated = &operation.tolerated;
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
            example.responses.iter().map(move |response| (response, input.clone()))
        })
        .filter(|(response, _)| response.status.is_none_or(|status| (200..300).contains(&status)))
        .map(|(response, input)| {
            let status = response.status.unwrap_or(200);
            let format = format_ident!(
                "{}",
                match response.format {
                    BodyFormat::Json => "Json",
                    BodyFormat::Xml => "Xml",
                    BodyFormat::Text => "Text",
                    BodyFormat::Empty => "Empty",
                }
            );
            let headers = response.headers.iter().map(|(name, value)| quote! { (#name, #value) });
            let body = &response.body;
            quote! {
                SampleResponse { status: #status, format: BodyFormat::#format, headers: &[ #( #headers ),* ], body: #body, input: #input }
            }
        });
    let behaviour = match &operation.behaviour {
        Some(behaviour) => {
            let behaviour = behaviour_tokens(service, operation, behaviour);
            quote! { Some(&#behaviour) }
        }
        None => quote! { None },
    };
    let issues_credentials = match &operation.issues_credentials {
        Some(issues) => {
            let duration = option(issues.duration_parameter.as_deref());
            let default = issues.default_duration_seconds;
            let (id, secret, token) = (
                &issues.access_key_id,
                &issues.access_key_secret,
                &issues.security_token,
            );
            let expiration = issues.expiration.iter().map(|field| {
                let path = &field.field;
                let format = match field.format {
                    crate::spec::model::TimeFormat::Rfc3339 => quote! { Rfc3339 },
                    crate::spec::model::TimeFormat::UnixSeconds => quote! { UnixSeconds },
                };
                quote! { (#path, cloudspec_runtime::behaviour::TimeFormat::#format) }
            });
            quote! {
                Some(&cloudspec_runtime::behaviour::IssuedCredentials {
                    duration_parameter: #duration,
                    default_duration_seconds: #default,
                    access_key_id: #id,
                    access_key_secret: #secret,
                    security_token: #token,
                    expiration: &[ #( #expiration ),* ],
                })
            }
        }
        None => quote! { None },
    };
    let instance_metadata = match &operation.instance_metadata {
        Some(section) => {
            let answers = match section.answers {
                MetadataAnswer::SessionToken => {
                    let ttl = option(section.ttl_parameter.as_deref());
                    quote! { MetadataAnswer::SessionToken { ttl_parameter: #ttl } }
                }
                MetadataAnswer::RoleName => quote! { MetadataAnswer::RoleName },
                MetadataAnswer::RoleCredentials => {
                    let role = section.role_parameter.as_deref().unwrap_or_default();
                    quote! { MetadataAnswer::RoleCredentials { role_parameter: #role } }
                }
            };
            let token = option(section.session_token_parameter.as_deref());
            let [no_role, unauthorized] = [&section.no_role, &section.unauthorized].map(|row| {
                option(
                    row.as_ref()
                        .map(|row| error_answer(service, operation, row)),
                )
            });
            quote! {
                Some(&cloudspec_runtime::behaviour::InstanceMetadata {
                    answers: #answers,
                    session_token_parameter: #token,
                    no_role: #no_role,
                    unauthorized: #unauthorized,
                })
            }
        }
        None => quote! { None },
    };
    quote! {
        constants: &[ #( #constants ),* ],
        tolerated: &[ #( #tolerated ),* ],
        samples: &[ #( #samples ),* ],
        behaviour: #behaviour,
        issues_credentials: #issues_credentials,
        instance_metadata: #instance_metadata,
    }
}

fn option<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote! { Some(#value) },
        None => quote! { None },
    }
}

fn error_answer(
    service: &ir::Service,
    operation: &ir::Operation,
    error: &ir::ErrorRef,
) -> TokenStream {
    let krate = format_ident!("{}", service.lib_name);
    let module = format_ident!("{}", operation.module);
    let enum_name = format_ident!("{}", operation.error_type);
    let constant = format_ident!("{}", error.constant);
    let code = option(error.code.as_deref());
    let message = option(error.message.as_deref());
    let fact = option(error.fact.as_deref());
    quote! {
        ErrorAnswer { row: #krate::operation::#module::#enum_name::#constant, code: #code, message: #message, fact: #fact }
    }
}

fn conditions(conditions: &[ir::Condition]) -> TokenStream {
    let items = conditions.iter().map(|condition| match condition {
        ir::Condition::Found(values) => {
            let values = values.iter().map(|value| {
                let variant = format_ident!("{}", crate::names::variant_name(value));
                quote! { Presence::#variant }
            });
            quote! { Condition::Found(&[ #( #values ),* ]) }
        }
        ir::Condition::Kind(values) => {
            let values = values.iter().map(|value| {
                let variant = format_ident!("{}", crate::names::variant_name(value));
                quote! { Kind::#variant }
            });
            quote! { Condition::Kind(&[ #( #values ),* ]) }
        }
        ir::Condition::State(values) => quote! { Condition::State(&[ #( #values ),* ]) },
        ir::Condition::Shared(value) => quote! { Condition::Shared(#value) },
        ir::Condition::Used(value) => quote! { Condition::Used(#value) },
        ir::Condition::Parameter(name, value, when_absent) => {
            let equals = match value {
                serde_json::Value::Bool(value) => quote! { ParamValue::Bool(#value) },
                serde_json::Value::Number(number) => {
                    let number = number.as_i64().unwrap_or_default();
                    quote! { ParamValue::Integer(#number) }
                }
                other => {
                    let text = other.as_str().unwrap_or_default();
                    quote! { ParamValue::Text(#text) }
                }
            };
            quote! { Condition::Parameter { name: #name, equals: #equals, when_absent: #when_absent } }
        }
    });
    quote! { &[ #( #items ),* ] }
}

fn behaviour_tokens(
    service: &ir::Service,
    operation: &ir::Operation,
    behaviour: &ir::Behaviour,
) -> TokenStream {
    let resource = &behaviour.resource;
    let parameter = &behaviour.target;
    let region = option(behaviour.region.as_ref().map(|region| match region {
        ir::Region::Parameter(name) => quote! { RegionSource::Parameter(#name) },
        ir::Region::Host => quote! { RegionSource::Host },
    }));
    let format = option(behaviour.format.as_ref().map(|(pattern, source, error)| {
        let error = error_answer(service, operation, error);
        quote! { IdFormat { pattern: #pattern, source: #source, error: #error } }
    }));
    let refusals = behaviour.refusals.iter().map(|refusal| {
        let rule = option(refusal.rule.as_deref());
        let when = conditions(&refusal.when);
        let outcome = match &refusal.error {
            Some(error) => {
                let error = error_answer(service, operation, error);
                quote! { Outcome::Error(#error) }
            }
            None => quote! { Outcome::Ignore },
        };
        quote! { Refusal { rule: #rule, when: #when, outcome: #outcome } }
    });
    let effects = behaviour.effects.iter().map(|effect| {
        let remove = match &effect.bound {
            Some(bound) => quote! { Removal::Bound(#bound) },
            None => quote! { Removal::Target },
        };
        let when = conditions(&effect.when);
        let rule = option(effect.rule.as_deref());
        quote! { Effect { remove: #remove, when: #when, rule: #rule } }
    });
    let dry_run = option(behaviour.dry_run.as_deref());
    let [missing, unknown, invalid] = behaviour
        .parameter_errors
        .clone()
        .map(|error| option(error.map(|error| error_answer(service, operation, &error))));
    let hook = option(behaviour.hook.as_deref());
    quote! {
        Behaviour {
            resource: #resource,
            target: Target { parameter: #parameter, region: #region, format: #format },
            refusals: &[ #( #refusals ),* ],
            effects: &[ #( #effects ),* ],
            dry_run: #dry_run,
            parameter_errors: ParameterErrors { missing: #missing, unknown: #unknown, invalid: #invalid },
            hook: #hook,
        }
    }
}
