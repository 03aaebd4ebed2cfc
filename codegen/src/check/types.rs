//! Checks of types: `structures:` and `enums:` (names a generated Rust type can have,
//! unique), and every `items:`, `structure:` and `enum:` reference of parameters, response
//! fields and structure fields.

use std::collections::BTreeMap;

use super::{Checker, pos};
use crate::names;
use crate::spec::model::{ParamType, Spec};

/// A value's type as the spec writes it: `type` and the names it refers to.
struct TypeRef<'a> {
    ty: ParamType,
    items: Option<&'a str>,
    structure: Option<&'a str>,
    enumeration: Option<&'a str>,
}

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
                    TypeRef {
                        ty: field.ty,
                        items: field.items.as_deref(),
                        structure: field.structure.as_deref(),
                        enumeration: field.enumeration.as_deref(),
                    },
                );
            }
        }
        self.enums(spec, &mut seen);
        for operation in &spec.operations {
            let operation = &operation.value;
            for parameter in &operation.parameters {
                let parameter = &parameter.value;
                self.type_reference(
                    spec,
                    pos(&parameter.ty),
                    &format!("parameter `{}`", parameter.name.value),
                    TypeRef {
                        ty: parameter.ty.value,
                        items: parameter.items.as_deref(),
                        structure: parameter.structure.as_deref(),
                        enumeration: parameter.enumeration.as_deref(),
                    },
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
                    TypeRef {
                        ty: field.ty,
                        items: field.items.as_deref(),
                        structure: field.structure.as_deref(),
                        enumeration: field.enumeration.as_deref(),
                    },
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
        reference: TypeRef<'_>,
    ) {
        let TypeRef {
            ty,
            items,
            structure,
            enumeration,
        } = reference;
        let is_enum = |name: &str| spec.enums.iter().any(|e| e.value.name.value == name);
        let known = |name: &str| {
            ParamType::from_scalar_name(name).is_some()
                || spec.structures.iter().any(|s| s.value.name.value == name)
                || is_enum(name)
        };
        match (ty, enumeration) {
            (ParamType::Enum, None) => self.error(
                at,
                format!("{what} is an enum without `enum`"),
                "add `enum:` naming an `enums:` entry",
            ),
            (ParamType::Enum, Some(name)) if !is_enum(name) => self.error(
                at,
                format!("{what} names enum `{name}`, which `enums:` does not define"),
                "add it to `enums:`",
            ),
            (ParamType::Enum, Some(_)) => {}
            (_, Some(_)) => self.error(
                at,
                format!("{what} has `enum` but is not of type `enum`"),
                "remove `enum:`, or set `type: enum`",
            ),
            (_, None) => {}
        }
        match (ty, items) {
            (ParamType::List | ParamType::Map, None) => self.error(at, format!("{what} is a {} without `items`", if ty == ParamType::List { "list" } else { "map" }), "add `items:` naming a scalar type (string, integer, uint64, float, boolean, timestamp) or a structure"),
            (ParamType::List | ParamType::Map, Some(name)) if !known(name) => self.error(at, format!("{what} has items `{name}`, which is neither a scalar type nor a structure or enum of the spec"), "add the structure to `structures:` (or the enum to `enums:`), or use a scalar type"),
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

    /// `enums:`: type names unique among structures and enums, at least one value, values
    /// and variant names unique, variants PascalCase and not `Unknown`, and every
    /// `applies_to` target a field that now has this enum.
    fn enums(&mut self, spec: &Spec, seen: &mut BTreeMap<String, u64>) {
        for enumeration in &spec.enums {
            let at = pos(&enumeration.value.name);
            let enumeration = &enumeration.value;
            let name = &enumeration.name.value;
            if !names::is_plain_ident(name) || names::pascal_name(name) != *name {
                self.error(
                    at,
                    format!("enum `{name}` is not a PascalCase identifier"),
                    "name it in PascalCase, as the generated type is named",
                );
            } else if names::RESERVED_STRUCTURE_NAMES.contains(&name.as_str()) {
                self.error(
                    at,
                    format!("enum `{name}` takes a name the generated code uses for another type"),
                    format!("name it, for example, `{name}Kind`"),
                );
            }
            if let Some(first) = seen.insert(name.clone(), at.line) {
                self.error(
                    at,
                    format!("two types give the Rust type name `{name}` (first on line {first})"),
                    "rename the enum",
                );
            }
            if enumeration.values.is_empty() {
                self.error(
                    at,
                    format!("enum `{name}` lists no values"),
                    "list its known values under `values:`",
                );
            }
            let mut values = BTreeMap::new();
            let mut variants = BTreeMap::new();
            for value in &enumeration.values {
                let variant = names::enum_variant_name(value);
                if values.insert(value.value.clone(), ()).is_some() {
                    self.error(
                        at,
                        format!("enum `{name}` lists the value `{}` twice", value.value),
                        "remove one of them",
                    );
                    continue;
                }
                if !names::is_plain_ident(&variant) || names::pascal_name(&variant) != variant {
                    self.error(
                        at,
                        format!("value `{}` of enum `{name}` gives the variant `{variant}`, which is not a PascalCase identifier", value.value),
                        "set `rust_name:` on the value",
                    );
                } else if variant == names::UNKNOWN_VARIANT {
                    self.error(
                        at,
                        format!("value `{}` of enum `{name}` gives the variant `{variant}`, which every enum keeps for values it does not know", value.value),
                        "set `rust_name:` on the value",
                    );
                } else if variants.insert(variant.clone(), ()).is_some() {
                    self.error(
                        at,
                        format!("two values of enum `{name}` give the variant `{variant}`"),
                        "set `rust_name:` on one of them",
                    );
                }
            }
            for target in &enumeration.applies_to {
                if crate::spec::enum_target(spec, target) != Some(name.as_str()) {
                    self.error(
                        at,
                        format!("enum `{name}` applies to `{target}`, which is no `type: string` field of a structure, parameter or response field of the spec"),
                        "write the target as `Structure.Field` or `Operation.Field`, naming a string field",
                    );
                }
            }
        }
    }
}
