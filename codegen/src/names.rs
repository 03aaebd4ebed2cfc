//! Rust names for spec names: fields, variants, modules, methods.
//!
//! The functions that take a spec model item (`operation_module`, `input_field_rust_name`,
//! `error_variant`, ...) are the one rule for each name the generated code derives from a
//! spec: the check pass validates exactly the name the lower pass then puts in the IR.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::spec::model::{
    EnumValue, ErrorDef, FieldDef, Operation, Parameter, ResponseField, Spec, StructureDef,
};

/// The module and client method of `operation`: `DeleteImages` → `delete_images`.
pub fn operation_module(operation: &Operation) -> String {
    module_name(&operation.name.value)
}

/// The command-line name of `operation`: `DeleteImages` → `delete-images`.
pub fn operation_command(operation: &Operation) -> String {
    kebab_name(&operation.name.value)
}

/// The input struct field of a (non-constant) request parameter: its `rust_name`, else the
/// snake case of its name (`ImageIds.N` → `image_ids`).
pub fn input_field_rust_name(parameter: &Parameter) -> String {
    parameter
        .rust_name
        .clone()
        .unwrap_or_else(|| field_name(&parameter.name.value))
}

/// The output struct field of a response field: its `rust_name`, else the snake case of
/// its name (`RequestId` → `request_id`).
pub fn output_field_rust_name(field: &ResponseField) -> String {
    field
        .rust_name
        .clone()
        .unwrap_or_else(|| field_name(&field.name))
}

/// The generated type of a structure: its `rust_name`, else its name as written.
pub fn structure_rust_name(structure: &StructureDef) -> String {
    structure
        .rust_name
        .clone()
        .unwrap_or_else(|| structure.name.value.clone())
}

/// The API version an operation belongs to: its own `api_version`, else the spec's.
pub fn operation_api_version<'a>(spec: &'a Spec, operation: &'a Operation) -> &'a str {
    operation
        .api_version
        .as_ref()
        .map_or(spec.api_version.as_str(), |version| version.value.as_str())
}

/// The generated types of the operation named `name` (PascalCase): its input, output and
/// error (`DeleteImages` → `DeleteImagesInput`, `DeleteImagesOutput`, `DeleteImagesError`).
pub fn operation_types(name: &str) -> [String; 3] {
    [
        format!("{name}Input"),
        format!("{name}Output"),
        format!("{name}Error"),
    ]
}

/// The variant of an enumeration value: its `rust_name`, else the Pascal case of the value
/// (`PUBLIC_IMAGE` → `PublicImage`, `x86_64` → `X8664`).
pub fn enum_variant_name(value: &EnumValue) -> String {
    value
        .rust_name
        .clone()
        .unwrap_or_else(|| pascal_name(&value.value))
}

/// The variant every generated enumeration has for a value it does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The field of a structure's generated type: its `rust_name`, else the snake case of its
/// name (`Values` → `values`).
pub fn structure_field_rust_name(field: &FieldDef) -> String {
    field
        .rust_name
        .clone()
        .unwrap_or_else(|| field_name(&field.name))
}

/// The error enum variant of a documented error: its `variant`, else one made from its
/// code by [`variant_name`]; `None` when it has neither (the check pass refuses that).
pub fn error_variant(error: &ErrorDef) -> Option<String> {
    match (&error.variant, &error.code) {
        (Some(variant), _) => Some(variant.clone()),
        (None, Some(code)) => Some(variant_name(&code.value)),
        (None, None) => None,
    }
}

/// The documented-error constant of a documented error: its [`error_variant`] in
/// SCREAMING_SNAKE_CASE (`InvalidImageId.NotFound` → `INVALID_IMAGE_ID_NOT_FOUND`).
pub fn error_constant(error: &ErrorDef) -> Option<String> {
    error_variant(error).map(|variant| constant_name(&variant))
}

/// The Rust field (and constructor argument) name for a documented parameter or response
/// field name: `ImageIds.N` → `image_ids`, `DeleteBindedSnap` → `delete_binded_snap`.
pub fn field_name(documented: &str) -> String {
    let base = documented.strip_suffix(".N").unwrap_or(documented);
    base.to_snake_case()
}

/// The module and method name for an operation: `DeleteImage` → `delete_image`.
pub fn module_name(operation: &str) -> String {
    operation.to_snake_case()
}

/// The command-line name for an operation or parameter: `DeleteImages` → `delete-images`.
pub fn kebab_name(name: &str) -> String {
    name.strip_suffix(".N").unwrap_or(name).to_kebab_case()
}

/// The variant name for an error code: each part between `.`, `-` or `_` keeps its own
/// capitals and gets a capital first letter; `%s` template parts are dropped.
/// `InvalidImageId.NotFound` → `InvalidImageIdNotFound`, `InvalidParameter.%s` →
/// `InvalidParameter`, `Forbidden.DelerrorteImage` → `ForbiddenDelerrorteImage`.
pub fn variant_name(code: &str) -> String {
    code.replace("%s", "")
        .split(['.', '-', '_', ' '])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// PascalCase of an arbitrary name (used for validating `variant` overrides).
pub fn pascal_name(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Modules every generated crate has (an operation module of that name would replace it).
pub const RESERVED_MODULES: &[&str] = &["lib", "client", "main", "build"];

/// Methods of every generated `Client` besides the operations.
pub const RESERVED_METHODS: &[&str] = &["new", "from_env", "runtime", "clone", "fmt"];

/// Types every generated crate defines or imports at its root or in operation modules: the
/// names an operation's types (`<Name>`, `<Name>Input`, `<Name>Output`, `<Name>Error`)
/// must not take.
///
/// This differs on purpose from [`RESERVED_STRUCTURE_NAMES`]: structures live in the
/// crate's own `types` module, which imports nothing, so `Client` or `Config` is a fine
/// structure name there, while the prelude names the `types` module writes unqualified are
/// what a structure must avoid.
pub const RESERVED_TYPES: &[&str] = &[
    "Client",
    "Config",
    "ConfigError",
    "Credentials",
    "RetryConfig",
    "SdkError",
    "ServiceError",
    "Timeouts",
    "ValidationErrors",
    "ValidationMode",
    "DocumentedError",
    "Serialize",
    "Deserialize",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
];

/// Names a structure cannot take: the generated `types` module names them unqualified
/// (`String`, `Option`, `Vec`) or they are the prelude's. See [`RESERVED_TYPES`] for why
/// the two lists differ.
pub const RESERVED_STRUCTURE_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Result",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Debug",
    "Self",
];

/// Whether `name` is a plain Rust identifier that is not a keyword.
pub fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !is_keyword(name)
}

/// Whether `name` is a Rust keyword (strict or reserved, 2024 edition).
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// The name of a generated constant for `name` (`ImageIsPublic` gives `IMAGE_IS_PUBLIC`).
pub fn constant_name(name: &str) -> String {
    name.to_shouty_snake_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec model item from its YAML, as a spec writes it.
    fn item<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
        serde_saphyr::from_str(yaml).unwrap_or_else(|error| panic!("{yaml}: {error}"))
    }

    fn operation(name: &str) -> Operation {
        item(&format!(
            "name: {name}\ndescription: d\nhttp: {{ method: POST, path: / }}\nparameters: []\nresponse: {{}}\n"
        ))
    }

    #[test]
    fn operation_module_is_the_snake_case_of_the_name() {
        assert_eq!(
            operation_module(&operation("DeleteImages")),
            "delete_images"
        );
        assert_eq!(operation_module(&operation("DeleteImage")), "delete_image");
        assert_eq!(
            operation_module(&operation("DescribeDBInstances")),
            "describe_db_instances"
        );
    }

    #[test]
    fn operation_command_is_the_kebab_case_of_the_name() {
        assert_eq!(
            operation_command(&operation("DeleteImages")),
            "delete-images"
        );
        assert_eq!(
            operation_command(&operation("DescribeImageSharePermission")),
            "describe-image-share-permission"
        );
    }

    #[test]
    fn input_field_rust_name_is_rust_name_else_snake_case_without_list_suffix() {
        let parameter = |extra: &str| -> Parameter {
            item(&format!(
                "name: ImageIds.N\nin: query\ntype: string-list\nrequired: true\ndescription: d\n{extra}"
            ))
        };
        assert_eq!(input_field_rust_name(&parameter("")), "image_ids");
        assert_eq!(input_field_rust_name(&parameter("rust_name: ids\n")), "ids");
    }

    #[test]
    fn output_field_rust_name_is_rust_name_else_snake_case() {
        let field = |extra: &str| -> ResponseField {
            item(&format!(
                "name: RequestId\ntype: string\ndescription: d\n{extra}"
            ))
        };
        assert_eq!(output_field_rust_name(&field("")), "request_id");
        assert_eq!(output_field_rust_name(&field("rust_name: id\n")), "id");
    }

    #[test]
    fn structure_rust_name_is_rust_name_else_the_name_as_written() {
        let structure = |name: &str, extra: &str| -> StructureDef {
            item(&format!(
                "name: {name}\ndescription: d\nfields: []\n{extra}"
            ))
        };
        assert_eq!(structure_rust_name(&structure("Filter", "")), "Filter");
        assert_eq!(structure_rust_name(&structure("filter", "")), "filter");
        assert_eq!(
            structure_rust_name(&structure("Option", "rust_name: OptionInfo\n")),
            "OptionInfo"
        );
    }

    #[test]
    fn structure_field_rust_name_is_rust_name_else_snake_case() {
        let field = |extra: &str| -> FieldDef {
            item(&format!(
                "name: InstanceChargeType\ntype: string\ndescription: d\n{extra}"
            ))
        };
        assert_eq!(
            structure_field_rust_name(&field("")),
            "instance_charge_type"
        );
        assert_eq!(
            structure_field_rust_name(&field("rust_name: charge_type\n")),
            "charge_type"
        );
    }

    #[test]
    fn error_variant_and_constant_come_from_variant_else_code() {
        let error = |fields: &str| -> ErrorDef { item(&format!("{fields}description: d\n")) };
        let from_code = error("code: InvalidImageId.NotFound\n");
        assert_eq!(
            error_variant(&from_code).as_deref(),
            Some("InvalidImageIdNotFound")
        );
        assert_eq!(
            error_constant(&from_code).as_deref(),
            Some("INVALID_IMAGE_ID_NOT_FOUND")
        );
        let template = error("code: InvalidParameter.%s\n");
        assert_eq!(
            error_variant(&template).as_deref(),
            Some("InvalidParameter")
        );
        assert_eq!(
            error_constant(&template).as_deref(),
            Some("INVALID_PARAMETER")
        );
        let named = error("code: Forbidden.DelerrorteImage\nvariant: ForbiddenDelete\n");
        assert_eq!(error_variant(&named).as_deref(), Some("ForbiddenDelete"));
        assert_eq!(error_constant(&named).as_deref(), Some("FORBIDDEN_DELETE"));
        let status_only = error("variant: ImageNotFound\nstatus: 404\n");
        assert_eq!(
            error_variant(&status_only).as_deref(),
            Some("ImageNotFound")
        );
        assert_eq!(
            error_constant(&status_only).as_deref(),
            Some("IMAGE_NOT_FOUND")
        );
        let neither = error("status: 404\n");
        assert_eq!(error_variant(&neither), None);
        assert_eq!(error_constant(&neither), None);
    }

    #[test]
    fn variant_names_keep_document_spelling() {
        assert_eq!(
            variant_name("InvalidImageId.NotFound"),
            "InvalidImageIdNotFound"
        );
        assert_eq!(variant_name("InvalidParameter.%s"), "InvalidParameter");
        assert_eq!(
            variant_name("Forbidden.DelerrorteImage"),
            "ForbiddenDelerrorteImage"
        );
        assert_eq!(
            variant_name("Image.UnCustomImageCannotBeDeleted"),
            "ImageUnCustomImageCannotBeDeleted"
        );
        assert_eq!(
            variant_name("OperationDenied.ImageCopying"),
            "OperationDeniedImageCopying"
        );
    }

    #[test]
    fn field_names_are_snake_case_without_list_suffix() {
        assert_eq!(field_name("ImageIds.N"), "image_ids");
        assert_eq!(field_name("DeleteBindedSnap"), "delete_binded_snap");
        assert_eq!(field_name("imageId"), "image_id");
        assert_eq!(field_name("RegionId"), "region_id");
        assert_eq!(kebab_name("ImageIds.N"), "image-ids");
    }

    #[test]
    fn keywords_are_not_plain_idents() {
        assert!(!is_plain_ident("type"));
        assert!(!is_plain_ident("9lives"));
        assert!(is_plain_ident("image_id"));
    }

    #[test]
    fn operation_types_are_input_output_and_error() {
        assert_eq!(
            operation_types("DeleteImages"),
            [
                "DeleteImagesInput".to_owned(),
                "DeleteImagesOutput".to_owned(),
                "DeleteImagesError".to_owned()
            ]
        );
    }
}
