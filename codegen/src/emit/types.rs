//! Rust types for the spec's types: scalars, lists, maps and the named structures of the
//! generated `types` module.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use crate::ir::{self, Shape};
use crate::names;

/// The Rust type of a value of `shape` (structures as `crate::types::Name`).
pub(super) fn rust_type(shape: &Shape) -> TokenStream {
    match shape {
        Shape::String | Shape::Timestamp => quote! { String },
        Shape::Boolean => quote! { bool },
        Shape::Integer => quote! { i64 },
        Shape::Uint64 => quote! { u64 },
        Shape::Float => quote! { f64 },
        Shape::List(inner) => {
            let inner = rust_type(inner);
            quote! { Vec<#inner> }
        }
        Shape::Map(inner) => {
            let inner = rust_type(inner);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        Shape::Struct(name) | Shape::Enum(name) => {
            let name = format_ident!("{}", name);
            quote! { crate::types::#name }
        }
    }
}

/// The type in words, for rustdoc (`list of [`Filter`](crate::types::Filter)`).
pub(super) fn words(shape: &Shape) -> String {
    match shape {
        Shape::String => "string".to_owned(),
        Shape::Boolean => "boolean".to_owned(),
        Shape::Integer => "integer".to_owned(),
        Shape::Uint64 => "unsigned integer".to_owned(),
        Shape::Float => "number".to_owned(),
        Shape::Timestamp => "timestamp (as the provider writes it)".to_owned(),
        Shape::List(inner) if **inner == Shape::String => "list of strings".to_owned(),
        Shape::List(inner) => format!("list of {}", words(inner)),
        Shape::Map(inner) => format!("map from strings to {}", words(inner)),
        Shape::Struct(name) => format!("[`types::{name}`](crate::types::{name})"),
        Shape::Enum(name) => format!("enumeration [`types::{name}`](crate::types::{name})"),
    }
}

/// `types.rs`: one struct per named structure. Every field is optional (`None` is left
/// out of requests; a response that leaves a field out or sends `null` still reads), so
/// a structure is built with `Default` and its public fields.
pub(super) fn types_rs(service: &ir::Service) -> TokenStream {
    let module_doc = docs::inner(&format!(
        "The named structures of `{}`'s parameters and responses.\n\nEvery field is optional: \
         build a structure with `Default::default()` and set the fields you need; a response \
         that leaves a field out reads as `None`.",
        service.command_name
    ));
    let structs = service.structures.iter().map(|structure| {
        let name = format_ident!("{}", structure.rust_name);
        let mut text = structure.description.trim().to_owned();
        if text.is_empty() {
            text = format!("The `{}` structure.", structure.name);
        }
        if structure.rust_name != structure.name {
            text.push_str(&format!("\n\nCalled `{}` by the provider.", structure.name));
        }
        if let Some(provenance) = &structure.provenance {
            text.push_str(&format!("\n\n{}", docs::provenance_line(provenance)));
        }
        let doc = docs::outer(&text);
        let eq = (!structure
            .fields
            .iter()
            .any(|field| field.shape.has_float(&service.structures)))
        .then(|| quote! { Eq, });
        let fields = structure.fields.iter().map(|field| {
            let ident = format_ident!("{}", field.field);
            let ty = rust_type(&field.shape);
            let wire = &field.documented_name;
            let mut text = field.description.trim_end().to_owned();
            if text.is_empty() {
                text = format!("`{wire}`.");
            }
            text.push_str(&format!(
                "\n\nMember `{wire}`, {}{}.",
                words(&field.shape),
                if field.required {
                    ", required in requests"
                } else {
                    ""
                }
            ));
            if let Some(example) = &field.example {
                text.push_str(&format!(" Example: {}.", docs::code(example)));
            }
            let doc = docs::outer(&text);
            quote! {
                #doc
                #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                pub #ident: Option<#ty>,
            }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, Default, PartialEq, #eq serde::Serialize, serde::Deserialize)]
            pub struct #name {
                #( #fields )*
            }
        }
    });
    let enums = service.enums.iter().map(enumeration);
    quote! {
        #module_doc
        #( #structs )*
        #( #enums )*
    }
}

/// One enumeration: a variant per known value and `Unknown` for any other, serialized as
/// the value's text both ways.
fn enumeration(enumeration: &ir::Enumeration) -> TokenStream {
    let name = format_ident!("{}", enumeration.name);
    let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
    let mut text = enumeration.description.trim().to_owned();
    if text.is_empty() {
        text = format!("The `{}` enumeration.", enumeration.name);
    }
    text.push_str(&format!(
        "\n\nA value this crate does not know reads as [`{0}::{1}`] and is sent back as it \
         came, so a value the provider adds never fails a response.",
        enumeration.name,
        names::UNKNOWN_VARIANT
    ));
    if let Some(provenance) = &enumeration.provenance {
        text.push_str(&format!("\n\n{}", docs::provenance_line(provenance)));
    }
    let doc = docs::outer(&text);
    let variants: Vec<_> = enumeration
        .values
        .iter()
        .map(|value| format_ident!("{}", value.variant))
        .collect();
    let values: Vec<&str> = enumeration
        .values
        .iter()
        .map(|value| value.value.as_str())
        .collect();
    let variant_docs = enumeration.values.iter().map(|value| {
        let meaning = value.description.trim();
        docs::outer(&if meaning.is_empty() {
            format!("`{}`.", value.value)
        } else {
            format!("`{}`: {meaning}", value.value)
        })
    });
    let unknown_doc = docs::outer(
        "A value this crate does not know, kept as the service sent it. Match on known values \
         with their variants; never build this variant for a known value.",
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            #unknown_doc
            #unknown(String),
        }

        impl #name {
            /// Every known value, as it travels.
            pub const VALUES: &'static [&'static str] = &[#( #values ),*];

            /// The value as it travels.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#unknown(_) => Self::#unknown(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
