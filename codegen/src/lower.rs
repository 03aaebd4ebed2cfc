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
            .map(|operation| lower_operation(&operation.value))
            .collect(),
        facts: spec.facts.iter().map(|fact| fact.value.clone()).collect(),
    }
}

fn lower_operation(operation: &model::Operation) -> ir::Operation {
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
                let field = parameter
                    .rust_name
                    .clone()
                    .unwrap_or_else(|| names::field_name(&documented_name));
                inputs.push(ir::InputField {
                    flag: field.replace('_', "-"),
                    field,
                    documented_name,
                    wire_name,
                    location: parameter.location,
                    ty: parameter.ty.value,
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
    ir::Operation {
        name: operation.name.value.clone(),
        module: names::module_name(&operation.name.value),
        command: names::kebab_name(&operation.name.value),
        action: operation.action.as_ref().map(|action| action.value.clone()),
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
                field: field
                    .rust_name
                    .clone()
                    .unwrap_or_else(|| names::field_name(&field.name)),
                location: field.location,
                ty: field.ty,
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
                    variant: error.variant.clone().unwrap_or_else(|| {
                        names::variant_name(code.as_deref().unwrap_or_default())
                    }),
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
    }
}
