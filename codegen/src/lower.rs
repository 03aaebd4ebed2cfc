//! The lower pass: a checked spec becomes the IR, with every Rust name decided.

use crate::ir;
use crate::names;
use crate::spec::SpecFile;
use crate::spec::model::{self, RuleKind};

/// Lowers a checked spec.
pub fn lower(file: &SpecFile) -> ir::Service {
    let spec = &file.spec;
    let command_name = format!("{}-{}", spec.provider.as_str(), spec.service.value);
    let crate_name = format!("cloudspec-{command_name}");
    ir::Service {
        spec_path: format!("specs/{}.yaml", file.stem),
        crate_dir: format!("generated/{command_name}"),
        lib_name: crate_name.replace('-', "_"),
        crate_name,
        command_name,
        provider: spec.provider,
        service: spec.service.value.clone(),
        product_code: spec
            .product_code
            .clone()
            .unwrap_or_else(|| spec.service.value.clone()),
        title: spec.title.clone(),
        api_version: spec.api_version.clone(),
        protocol: spec.protocol.value,
        source: spec.source.clone(),
        endpoints: spec.endpoints.clone(),
        operations: spec
            .operations
            .iter()
            .map(|operation| lower_operation(spec, &operation.value))
            .collect(),
        facts: spec.facts.iter().map(|fact| fact.value.clone()).collect(),
        structures: spec
            .structures
            .iter()
            .map(|structure| {
                let structure = &structure.value;
                ir::Structure {
                    name: structure.name.value.clone(),
                    rust_name: names::structure_rust_name(structure),
                    description: structure.description.clone(),
                    fields: structure
                        .fields
                        .iter()
                        .map(|field| ir::StructField {
                            documented_name: field.name.clone(),
                            field: names::structure_field_rust_name(field),
                            shape: shape(
                                spec,
                                field.ty,
                                field.items.as_deref(),
                                field.structure.as_deref(),
                                field.enumeration.as_deref(),
                            ),
                            required: field.required,
                            description: field.description.clone(),
                            example: field.example.clone(),
                        })
                        .collect(),
                    provenance: structure.provenance.clone(),
                }
            })
            .collect(),
        enums: spec
            .enums
            .iter()
            .map(|enumeration| {
                let enumeration = &enumeration.value;
                ir::Enumeration {
                    name: enumeration.name.value.clone(),
                    description: enumeration.description.clone(),
                    values: enumeration
                        .values
                        .iter()
                        .map(|value| ir::EnumVariant {
                            value: value.value.clone(),
                            variant: names::enum_variant_name(value),
                            description: value.description.clone(),
                        })
                        .collect(),
                    provenance: enumeration.provenance.clone(),
                }
            })
            .collect(),
        resources: spec
            .resources
            .iter()
            .map(|resource| {
                let resource = &resource.value;
                ir::ResourceType {
                    name: resource.name.value.clone(),
                    description: resource.description.clone(),
                    states: resource
                        .states
                        .iter()
                        .map(|state| (state.name().to_owned(), state.aliases().to_vec()))
                        .collect(),
                    bound: resource.bound.clone(),
                }
            })
            .collect(),
    }
}

/// The shape of a value of type `ty` with `items` (list, map) or `structure` (object),
/// structure names resolved to generated type names. The check pass made sure they exist;
/// an unknown one is left as its own name.
pub(crate) fn shape(
    spec: &model::Spec,
    ty: model::ParamType,
    items: Option<&str>,
    structure: Option<&str>,
    enumeration: Option<&str>,
) -> ir::Shape {
    use model::ParamType;
    let named = |name: &str| -> ir::Shape {
        match ParamType::from_scalar_name(name) {
            Some(scalar) => shape(spec, scalar, None, None, None),
            None if spec
                .enums
                .iter()
                .any(|candidate| candidate.value.name.value == name) =>
            {
                ir::Shape::Enum(name.to_owned())
            }
            None => ir::Shape::Struct(
                spec.structures
                    .iter()
                    .find(|candidate| candidate.value.name.value == name)
                    .map_or_else(
                        || name.to_owned(),
                        |found| names::structure_rust_name(&found.value),
                    ),
            ),
        }
    };
    match ty {
        ParamType::String => ir::Shape::String,
        ParamType::Boolean => ir::Shape::Boolean,
        ParamType::Integer => ir::Shape::Integer,
        ParamType::Uint64 => ir::Shape::Uint64,
        ParamType::Float => ir::Shape::Float,
        ParamType::Timestamp => ir::Shape::Timestamp,
        ParamType::StringList => ir::Shape::List(Box::new(ir::Shape::String)),
        ParamType::List => ir::Shape::List(Box::new(named(items.unwrap_or("string")))),
        ParamType::Map => ir::Shape::Map(Box::new(named(items.unwrap_or("string")))),
        ParamType::Object => named(structure.unwrap_or("string")),
        ParamType::Enum => ir::Shape::Enum(enumeration.unwrap_or_default().to_owned()),
    }
}

/// The documented error of `operation` that `name` names, by code or variant name.
pub(crate) fn find_error<'a>(
    operation: &'a model::Operation,
    name: &str,
) -> Option<&'a model::ErrorDef> {
    operation
        .errors
        .iter()
        .map(|error| &error.value)
        .find(|error| {
            error.code.as_ref().is_some_and(|code| code.value == name)
                || names::error_variant(error).unwrap_or_default() == name
        })
}

fn error_ref(
    operation: &model::Operation,
    name: &str,
    code: Option<&String>,
    message: Option<&String>,
    fact: Option<&String>,
) -> Option<ir::ErrorRef> {
    find_error(operation, name).map(|error| ir::ErrorRef {
        constant: names::error_constant(error).unwrap_or_default(),
        code: code.cloned(),
        message: message.cloned(),
        fact: fact.cloned(),
    })
}

fn conditions(operation: &model::Operation, when: &model::ConditionsDef) -> Vec<ir::Condition> {
    let names = |values: &Option<model::OneOrMany<String>>| -> Option<Vec<String>> {
        values.as_ref().map(|values| values.values().to_vec())
    };
    let mut out = Vec::new();
    if let Some(found) = names(&when.found) {
        out.push(ir::Condition::Found(found));
    }
    if let Some(kinds) = names(&when.kind) {
        let kinds = kinds
            .into_iter()
            .map(|kind| {
                if kind == "community" {
                    "public".to_owned()
                } else {
                    kind
                }
            })
            .collect();
        out.push(ir::Condition::Kind(kinds));
    }
    if let Some(states) = names(&when.state) {
        out.push(ir::Condition::State(states));
    }
    if let Some(shared) = when.shared {
        out.push(ir::Condition::Shared(shared));
    }
    if let Some(used) = when.used {
        out.push(ir::Condition::Used(used));
    }
    for (name, value) in &when.parameters {
        let default = operation
            .parameters
            .iter()
            .map(|parameter| &parameter.value)
            .find(|parameter| &parameter.name.value == name)
            .and_then(|parameter| parameter.default.as_ref())
            .map(|default| &default.value);
        out.push(ir::Condition::Parameter(
            name.clone(),
            value.clone(),
            default == Some(value),
        ));
    }
    out
}

fn lower_behaviour(operation: &model::Operation, behaviour: &model::BehaviourDef) -> ir::Behaviour {
    let simple = |name: &Option<String>| {
        name.as_ref()
            .and_then(|name| error_ref(operation, name, None, None, None))
    };
    ir::Behaviour {
        resource: behaviour.resource.value.clone(),
        target: behaviour.target.parameter.value.clone(),
        region: behaviour.target.region.as_ref().map(|region| match region {
            model::RegionDef::Parameter(name) => ir::Region::Parameter(name.clone()),
            model::RegionDef::Host => ir::Region::Host,
        }),
        format: behaviour.target.format.as_ref().and_then(|format| {
            error_ref(operation, &format.error, None, None, None)
                .map(|error| (format.pattern.clone(), format.source.clone(), error))
        }),
        refusals: behaviour
            .refusals
            .iter()
            .map(|refusal| {
                let refusal = &refusal.value;
                ir::Refusal {
                    rule: refusal.rule.clone(),
                    when: conditions(operation, &refusal.when),
                    error: refusal.error.as_ref().and_then(|name| {
                        error_ref(
                            operation,
                            name,
                            refusal.code.as_ref(),
                            refusal.message.as_ref(),
                            refusal.fact.as_ref(),
                        )
                    }),
                }
            })
            .collect(),
        effects: behaviour
            .effects
            .iter()
            .map(|effect| {
                let effect = &effect.value;
                ir::Effect {
                    bound: match &effect.remove {
                        model::RemovalDef::Target => None,
                        model::RemovalDef::Bound(bound) => Some(bound.clone()),
                    },
                    when: conditions(operation, &effect.when),
                    rule: effect.rule.clone(),
                }
            })
            .collect(),
        dry_run: behaviour.dry_run.clone(),
        parameter_errors: [
            simple(&behaviour.parameter_errors.missing),
            simple(&behaviour.parameter_errors.unknown),
            simple(&behaviour.parameter_errors.invalid),
        ],
        hook: behaviour.hook.clone(),
    }
}

fn lower_operation(spec: &model::Spec, operation: &model::Operation) -> ir::Operation {
    let mut inputs = Vec::new();
    let mut constants = Vec::new();
    for parameter in &operation.parameters {
        let parameter = &parameter.value;
        let documented_name = parameter.name.value.clone();
        let wire_name = parameter
            .wire_name
            .clone()
            .unwrap_or_else(|| documented_name.clone());
        match &parameter.constant {
            Some(value) => constants.push(ir::ConstantParam {
                documented_name,
                wire_name,
                location: parameter.location,
                value: value.clone(),
                description: parameter.description.clone(),
            }),
            None => {
                let field = names::input_field_rust_name(parameter);
                inputs.push(ir::InputField {
                    flag: field.replace('_', "-"),
                    field,
                    documented_name,
                    provenance: parameter.provenance.clone(),
                    wire_name,
                    location: parameter.location,
                    ty: parameter.ty.value,
                    shape: shape(
                        spec,
                        parameter.ty.value,
                        parameter.items.as_deref(),
                        parameter.structure.as_deref(),
                        parameter.enumeration.as_deref(),
                    ),
                    list_style: parameter.list_style,
                    required: parameter.required,
                    default: parameter
                        .default
                        .as_ref()
                        .map(|default| default.value.clone()),
                    limits: parameter.limits.as_ref().map(|limits| limits.value.clone()),
                    description: parameter.description.clone(),
                    example: parameter.example.clone(),
                });
            }
        }
    }
    let rules: Vec<model::Rule> = operation
        .rules
        .iter()
        .map(|rule| rule.value.clone())
        .collect();
    let idempotency_token = rules
        .iter()
        .filter(|rule| rule.kind == RuleKind::Idempotency)
        .find_map(|rule| rule.parameter.as_ref())
        .and_then(|name| inputs.iter().find(|input| &input.documented_name == name))
        .map(|input| input.wire_name.clone());
    let rate_limit_per_second = rules
        .iter()
        .filter(|rule| rule.kind == RuleKind::RateLimit)
        .find_map(|rule| rule.requests_per_second);
    let [input_type, output_type, error_type] = names::operation_types(&operation.name.value);
    ir::Operation {
        name: operation.name.value.clone(),
        module: names::operation_module(operation),
        input_type,
        output_type,
        error_type,
        command: names::operation_command(operation),
        action: operation.action.as_ref().map(|action| action.value.clone()),
        api_version: names::operation_api_version(spec, operation).to_owned(),
        title: operation.title.clone(),
        description: operation.description.clone(),
        method: operation.http.method.as_str(),
        path: operation.http.path.value.clone(),
        inputs,
        constants,
        outputs: operation
            .response
            .fields
            .iter()
            .map(|field| ir::OutputField {
                documented_name: field.name.clone(),
                field: names::output_field_rust_name(field),
                location: field.location,
                ty: field.ty,
                shape: shape(
                    spec,
                    field.ty,
                    field.items.as_deref(),
                    field.structure.as_deref(),
                    field.enumeration.as_deref(),
                ),
                description: field.description.clone(),
                example: field.example.clone(),
            })
            .collect(),
        errors: operation
            .errors
            .iter()
            .map(|error| {
                let error = &error.value;
                let code = error.code.as_ref().map(|code| code.value.clone());
                ir::ErrorCase {
                    variant: names::error_variant(error).unwrap_or_default(),
                    constant: names::error_constant(error).unwrap_or_default(),
                    code,
                    status: error.status,
                    message: error.message.clone(),
                    description: error.description.clone(),
                }
            })
            .collect(),
        rules,
        examples: operation
            .examples
            .iter()
            .map(|example| example.value.clone())
            .collect(),
        authorization: operation.authorization.clone(),
        idempotency_token,
        rate_limit_per_second,
        facts: operation
            .facts
            .iter()
            .map(|fact| fact.value.clone())
            .collect(),
        behaviour: operation
            .behaviour
            .as_ref()
            .map(|behaviour| lower_behaviour(operation, &behaviour.value)),
        provenance: operation.provenance.clone(),
        issues_credentials: operation
            .issues_credentials
            .as_ref()
            .map(|issues| issues.value.clone()),
        auth: operation.auth.as_ref().map(|auth| auth.value.clone()),
        instance_metadata: operation.instance_metadata.as_ref().map(|section| {
            let section = &section.value;
            let row = |name: &Option<String>| {
                name.as_deref()
                    .and_then(|name| error_ref(operation, name, None, None, None))
            };
            ir::InstanceMetadata {
                answers: section.answers,
                ttl_parameter: section.ttl_parameter.clone(),
                role_parameter: section.role_parameter.clone(),
                session_token_parameter: section.session_token_parameter.clone(),
                no_role: row(&section.no_role),
                unauthorized: row(&section.unauthorized),
            }
        }),
        tolerated: operation
            .facts
            .iter()
            .chain(&spec.facts)
            .flat_map(|fact| &fact.value.wire)
            .filter(|difference| difference.kind == model::WireDifferenceKind::ExtraParameter)
            .filter_map(|difference| difference.name.clone())
            .fold(Vec::new(), |mut names, name| {
                if !names.contains(&name) {
                    names.push(name);
                }
                names
            }),
    }
}
