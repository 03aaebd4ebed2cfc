//! Checks of the `resources:` and `behaviour:` sections: every name they use (resource
//! types, states, kinds, parameters, errors, rules, facts) exists, and every pattern compiles.

use std::collections::BTreeMap;

use super::{Checker, pos};
use crate::spec::model::{
    BehaviourDef, ConditionsDef, Operation, ParamType, Parameter, RegionDef, RemovalDef, Spec,
};

/// How an ID may look to a caller, as conditions write it.
pub(crate) const PRESENCES: [&str; 3] = ["missing", "foreign", "owned"];

/// The resource kinds conditions and state files may name.
pub(crate) const KINDS: [&str; 6] = [
    "custom",
    "system",
    "public",
    "community",
    "service-integration",
    "shared-from-others",
];

impl Checker<'_> {
    /// `resources:`: unique, lower-case type names; unique states; bound types that exist.
    pub(super) fn resources(&mut self, spec: &Spec) {
        let mut seen = BTreeMap::new();
        for resource in &spec.resources {
            let resource = &resource.value;
            let at = pos(&resource.name);
            let name = &resource.name.value;
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                self.error(
                    at,
                    format!("resource type `{name}` must be lower-case letters and `-`"),
                    "name it as a state file would, e.g. `image`",
                );
            }
            if let Some(first) = seen.insert(name.clone(), at.line) {
                self.error(
                    at,
                    format!("resource type `{name}` is defined twice (first on line {first})"),
                    "give each resource type its own name",
                );
            }
            let mut states = BTreeMap::new();
            for state in &resource.states {
                for state_name in
                    std::iter::once(state.name()).chain(state.aliases().iter().map(String::as_str))
                {
                    if states.insert(state_name.to_owned(), ()).is_some() {
                        self.error(
                            at,
                            format!(
                                "state `{state_name}` of resource type `{name}` is listed twice"
                            ),
                            "list each state (and alias) once",
                        );
                    }
                }
            }
        }
        for resource in &spec.resources {
            for bound in &resource.value.bound {
                if !seen.contains_key(bound) {
                    self.error(
                        pos(&resource.value.name),
                        format!("resource type `{}` binds `{bound}`, which `resources:` does not define", resource.value.name.value),
                        "add the bound type to `resources:`",
                    );
                }
            }
        }
    }

    /// `behaviour:` of one operation.
    pub(super) fn behaviour(&mut self, spec: &Spec, operation: &Operation) {
        let Some(behaviour) = &operation.behaviour else {
            return;
        };
        let at = pos(behaviour);
        let behaviour: &BehaviourDef = &behaviour.value;
        let Some(resource) = spec
            .resources
            .iter()
            .find(|resource| resource.value.name.value == behaviour.resource.value)
        else {
            self.error(
                pos(&behaviour.resource),
                format!(
                    "behaviour acts on resource type `{}`, which `resources:` does not define",
                    behaviour.resource.value
                ),
                "add it to the spec's `resources:` (type, description, states)",
            );
            return;
        };
        let resource = &resource.value;
        let parameter = |name: &str| -> Option<&Parameter> {
            operation
                .parameters
                .iter()
                .map(|parameter| &parameter.value)
                .find(|parameter| parameter.name.value == name)
        };
        let target = &behaviour.target;
        match parameter(&target.parameter.value) {
            Some(found) if matches!(found.ty.value, ParamType::String | ParamType::StringList) => {}
            Some(_) => self.error(
                pos(&target.parameter),
                format!(
                    "target parameter `{}` is not a string or a list of strings",
                    target.parameter.value
                ),
                "name the parameter that holds the resource ID",
            ),
            None => self.error(
                pos(&target.parameter),
                format!(
                    "target parameter `{}` is not a parameter of `{}`",
                    target.parameter.value, operation.name.value
                ),
                "use a documented parameter name",
            ),
        }
        if let Some(RegionDef::Parameter(name)) = &target.region
            && parameter(name).is_none()
        {
            self.error(
                at,
                format!(
                    "region parameter `{name}` is not a parameter of `{}`",
                    operation.name.value
                ),
                "use a documented parameter name, or `region: host`",
            );
        }
        if let Some(RegionDef::Host) = &target.region
            && spec.endpoints.regional.is_none()
        {
            self.error(
                at,
                "`region: host` needs `endpoints.regional` to read the region from",
                "add the regional endpoint template, or name a region parameter",
            );
        }
        if let Some(format) = &target.format {
            if let Err(error) = regex_lite::Regex::new(&format.pattern) {
                self.error(
                    at,
                    format!(
                        "ID pattern `{}` is not a regular expression: {error}",
                        format.pattern
                    ),
                    "fix the pattern",
                );
            }
            self.error_name(operation, at, &format.error);
        }
        let facts = |name: &str| {
            operation
                .facts
                .iter()
                .chain(&spec.facts)
                .any(|fact| fact.value.id.value == name)
        };
        let rules = |name: &str| {
            operation
                .rules
                .iter()
                .any(|rule| rule.value.id.value == name)
        };
        for refusal in &behaviour.refusals {
            let refusal_at = pos(refusal);
            let refusal = &refusal.value;
            match (&refusal.error, refusal.ignore) {
                (Some(error), false) => self.error_name(operation, refusal_at, error),
                (None, true) => {
                    if refusal.code.is_some() || refusal.message.is_some() {
                        self.error(refusal_at, "an `ignore` refusal answers no error, so it takes no `code` or `message`", "remove `code:` and `message:`");
                    }
                }
                (Some(_), true) => self.error(
                    refusal_at,
                    "a refusal has both `error` and `ignore`",
                    "keep one: the error answered, or `ignore: true`",
                ),
                (None, false) => self.error(
                    refusal_at,
                    "a refusal has neither `error` nor `ignore`",
                    "add the documented error it answers, or `ignore: true`",
                ),
            }
            if (refusal.code.is_some() || refusal.message.is_some()) && refusal.fact.is_none() {
                self.error(
                    refusal_at,
                    "`code` and `message` that are not the row's need the `fact` they come from",
                    "add `fact:` naming a fact of the operation or the service",
                );
            }
            if let Some(fact) = &refusal.fact
                && !facts(fact)
            {
                self.error(
                    refusal_at,
                    format!(
                        "fact `{fact}` is not a fact of `{}` or its service",
                        operation.name.value
                    ),
                    "use the id of a `facts:` entry",
                );
            }
            if let Some(rule) = &refusal.rule
                && !rules(rule)
            {
                self.error(
                    refusal_at,
                    format!("rule `{rule}` is not a rule of `{}`", operation.name.value),
                    "use the id of a `rules:` entry",
                );
            }
            self.conditions(operation, resource, refusal_at, &refusal.when, true);
        }
        for effect in &behaviour.effects {
            let effect_at = pos(effect);
            let effect = &effect.value;
            if let RemovalDef::Bound(bound) = &effect.remove
                && !resource.bound.contains(bound)
            {
                self.error(
                    effect_at,
                    format!(
                        "resource type `{}` has no bound `{bound}`",
                        resource.name.value
                    ),
                    "list it under the resource type's `bound:`",
                );
            }
            if let Some(rule) = &effect.rule
                && !rules(rule)
            {
                self.error(
                    effect_at,
                    format!("rule `{rule}` is not a rule of `{}`", operation.name.value),
                    "use the id of a `rules:` entry",
                );
            }
            self.conditions(operation, resource, effect_at, &effect.when, false);
        }
        if let Some(dry_run) = &behaviour.dry_run
            && !parameter(dry_run).is_some_and(|found| found.ty.value == ParamType::Boolean)
        {
            self.error(
                at,
                format!(
                    "`dry_run: {dry_run}` is not a Boolean parameter of `{}`",
                    operation.name.value
                ),
                "name the Boolean parameter that turns the check-only mode on",
            );
        }
        for error in [
            &behaviour.parameter_errors.missing,
            &behaviour.parameter_errors.unknown,
            &behaviour.parameter_errors.invalid,
        ]
        .into_iter()
        .flatten()
        {
            self.error_name(operation, at, error);
        }
        if let Some(hook) = &behaviour.hook
            && (hook.is_empty()
                || !hook
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            self.error(
                at,
                format!("hook name `{hook}` must be kebab-case"),
                "name the hook like `check-quota`",
            );
        }
    }

    fn conditions(
        &mut self,
        operation: &Operation,
        resource: &crate::spec::model::ResourceDef,
        at: crate::diagnostic::Position,
        when: &ConditionsDef,
        on_target: bool,
    ) {
        let on_resource = when.found.is_some()
            || when.kind.is_some()
            || when.state.is_some()
            || when.shared.is_some()
            || when.used.is_some();
        if on_resource && !on_target {
            self.error(
                at,
                "an effect's `when` can only test parameters",
                "move the resource conditions to a refusal",
            );
        }
        for found in when.found.iter().flat_map(|found| found.values()) {
            if !PRESENCES.contains(&found.as_str()) {
                self.error(
                    at,
                    format!("`found: {found}` is not one of missing, foreign, owned"),
                    "use missing, foreign or owned",
                );
            }
        }
        for kind in when.kind.iter().flat_map(|kind| kind.values()) {
            if !KINDS.contains(&kind.as_str()) {
                self.error(
                    at,
                    format!("`kind: {kind}` is not a resource kind"),
                    format!("use one of {}", KINDS.join(", ")),
                );
            }
        }
        for state in when.state.iter().flat_map(|state| state.values()) {
            if !resource.states.iter().any(|known| known.name() == state) {
                self.error(
                    at,
                    format!(
                        "`state: {state}` is not a state of resource type `{}`",
                        resource.name.value
                    ),
                    "use a canonical state name from `resources:`",
                );
            }
        }
        for (name, value) in &when.parameters {
            let Some(parameter) = operation
                .parameters
                .iter()
                .map(|p| &p.value)
                .find(|p| &p.name.value == name)
            else {
                self.error(
                    at,
                    format!(
                        "condition on `{name}`, which is not a parameter of `{}`",
                        operation.name.value
                    ),
                    "use a documented parameter name",
                );
                continue;
            };
            // Conditions compare scalars only; a scalar value fits as a default would.
            let ty = parameter.ty.value;
            let fits = !matches!(
                ty,
                ParamType::StringList | ParamType::List | ParamType::Object | ParamType::Map
            ) && super::value_fits(value, ty);
            if !fits {
                self.error(
                    at,
                    format!("condition value `{value}` does not fit parameter `{name}`"),
                    "compare a Boolean, integer or string parameter with a value of its type",
                );
            }
        }
    }

    /// `name` is a documented error of `operation`, by code or variant name.
    fn error_name(&mut self, operation: &Operation, at: crate::diagnostic::Position, name: &str) {
        if crate::lower::find_error(operation, name).is_none() {
            let known: Vec<String> = operation
                .errors
                .iter()
                .map(|error| crate::names::error_variant(&error.value).unwrap_or_default())
                .collect();
            self.error(
                at,
                format!(
                    "`{name}` is not a documented error of `{}`",
                    operation.name.value
                ),
                format!(
                    "use a code or variant of its `errors:` ({})",
                    known.join(", ")
                ),
            );
        }
    }
}
