//! Rust names for spec names: fields, variants, modules, methods.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

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

/// Types every generated crate defines or imports at its root or in operation modules.
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
}
