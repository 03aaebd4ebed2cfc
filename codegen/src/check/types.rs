//! Checks of types: `structures:` (names a generated Rust type can have, unique), and every
//! `items:` and `structure:` reference of parameters, response fields and structure fields.

use std::collections::BTreeMap;

use super::{Checker, pos};
use crate::names;
use crate::spec::model::{ParamType, Spec};

impl Checker<'_> {
    /// `structures:` and the type references of the whole spec.
    pub(super) fn types(&mut self, spec: &Spec) {
        let mut seen = BTreeMap::new();
        for structure in &spec.structures {
            let at = pos(&structure.value.name);
            let structure = &structure.value;
            let rust = names::structure_rust_name(structure);
            if !names::is_plain_ident(&rust) || names::pascal_name(&rust) != rust {
                self.error(
                    at,
                    format!("structure `{}` gives the Rust type name `{rust}`, which is not a PascalCase identifier", structure.name.value),
                    "set `rust_name:` to a PascalCase name",
                );
            } else if names::RESERVED_STRUCTURE_NAMES.contains(&rust.as_str()) {
                self.error(
                    at,
                    format!("structure `{}` gives the Rust type name `{rust}`, which the generated code uses for another type", structure.name.value),
                    format!("set `rust_name:`, for example `{rust}Info`"),
                );
            }
            if let Some(first) = seen.insert(rust.clone(), at.line) {
                self.error(
                    at,
                    format!(
                        "two structures give the Rust type name `{rust}` (first on line {first})"
                    ),
                    "set `rust_name:` on one of them",
                );
            }
            let mut fields = BTreeMap::new();
            for field in &structure.fields {
                let rust_field = names::structure_field_rust_name(field);
                if !names::is_plain_ident(&rust_field) {
                    self.error(
                        at,
                        format!("field `{}` of `{}` gives the Rust field name `{rust_field}`, which is not an identifier", field.name, structure.name.value),
                        "set `rust_name:` on the field",
                    );
                }
                if fields.insert(rust_field.clone(), ()).is_some() {
                    self.error(
                        at,
                        format!(
                            "two fields of `{}` give the Rust field name `{rust_field}`",
                            structure.name.value
                        ),
                        "set `rust_name:` on one of them",
                    );
                }
                self.type_reference(
                    spec,
                    at,
                    &format!("field `{}` of `{}`", field.name, structure.name.value),
                    field.ty,
                    field.items.as_deref(),
                    field.structure.as_deref(),
                );
            }
        }
        for operation in &spec.operations {
            let operation = &operation.value;
            for parameter in &operation.parameters {
                let parameter = &parameter.value;
                self.type_reference(
                    spec,
                    pos(&parameter.ty),
                    &format!("parameter `{}`", parameter.name.value),
                    parameter.ty.value,
                    parameter.items.as_deref(),
                    parameter.structure.as_deref(),
                );
            }
            for field in &operation.response.fields {
                self.type_reference(
                    spec,
                    pos(&operation.name),
                    &format!(
                        "response field `{}` of `{}`",
                        field.name, operation.name.value
                    ),
                    field.ty,
                    field.items.as_deref(),
                    field.structure.as_deref(),
                );
            }
        }
    }

    /// `items` is given exactly for lists and maps, `structure` exactly for objects, and
    /// each names a scalar type or a structure of the spec.
    fn type_reference(
        &mut self,
        spec: &Spec,
        at: crate::diagnostic::Position,
        what: &str,
        ty: ParamType,
        items: Option<&str>,
        structure: Option<&str>,
    ) {
        let known = |name: &str| {
            ParamType::from_scalar_name(name).is_some()
                || spec.structures.iter().any(|s| s.value.name.value == name)
        };
        match (ty, items) {
            (ParamType::List | ParamType::Map, None) => self.error(at, format!("{what} is a {} without `items`", if ty == ParamType::List { "list" } else { "map" }), "add `items:` naming a scalar type (string, integer, uint64, float, boolean, timestamp) or a structure"),
            (ParamType::List | ParamType::Map, Some(name)) if !known(name) => self.error(at, format!("{what} has items `{name}`, which is neither a scalar type nor a structure of the spec"), "add the structure to `structures:`, or use a scalar type"),
            (ParamType::List | ParamType::Map, Some(_)) => {}
            (_, Some(_)) => self.error(at, format!("{what} has `items` but is not a list or a map"), "remove `items:`, or set `type: list`"),
            (_, None) => {}
        }
        match (ty, structure) {
            (ParamType::Object, None) => self.error(
                at,
                format!("{what} is an object without `structure`"),
                "add `structure:` naming a `structures:` entry",
            ),
            (ParamType::Object, Some(name))
                if !spec.structures.iter().any(|s| s.value.name.value == name) =>
            {
                self.error(
                    at,
                    format!("{what} names structure `{name}`, which `structures:` does not define"),
                    "add it to `structures:`",
                )
            }
            (ParamType::Object, Some(_)) => {}
            (_, Some(_)) => self.error(
                at,
                format!("{what} has `structure` but is not an object"),
                "remove `structure:`, or set `type: object`",
            ),
            (_, None) => {}
        }
    }
}
