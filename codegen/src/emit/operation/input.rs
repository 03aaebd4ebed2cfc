//! The input struct: its fields, constructor, `with_*` setters and `*_or_default` accessors.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::docs::{field_doc, value_words};
use crate::emit::docs;
use crate::ir;
use crate::spec::model::ParamType;

pub(super) fn input(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = format_ident!("{}", operation.input_type);
    let method = &operation.module;
    let struct_doc = docs::outer(&format!(
        "The parameters of `{}`, for [`Client::{method}`](crate::Client::{method}).\n\n\
         Required parameters are the arguments of [`{name}::new`]; optional ones are set with the \
         `with_*` methods and stay unset (the service's default applies) otherwise.",
        operation.name
    ));
    let fields = operation.inputs.iter().map(|field| {
        let ident = format_ident!("{}", field.field);
        let ty = crate::emit::types::rust_type(&field.shape);
        let doc = docs::outer(&field_doc(field));
        let wire = &field.documented_name;
        if field.required {
            quote! { #doc #[serde(rename = #wire)] pub #ident: #ty, }
        } else {
            quote! { #doc #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")] pub #ident: Option<#ty>, }
        }
    });
    let required: Vec<&ir::InputField> = operation
        .inputs
        .iter()
        .filter(|field| field.required)
        .collect();
    let args = required.iter().map(|field| {
        let ident = format_ident!("{}", field.field);
        match field.ty {
            ParamType::String | ParamType::Timestamp => quote! { #ident: impl Into<String> },
            ParamType::StringList => quote! { #ident: impl IntoIterator<Item = impl Into<String>> },
            ParamType::Enum => {
                let ty = crate::emit::types::rust_type(&field.shape);
                quote! { #ident: impl Into<#ty> }
            }
            _ => {
                let ty = crate::emit::types::rust_type(&field.shape);
                quote! { #ident: #ty }
            }
        }
    });
    let inits = operation.inputs.iter().map(|field| {
        let ident = format_ident!("{}", field.field);
        if !field.required {
            return quote! { #ident: None, };
        }
        match field.ty {
            ParamType::String | ParamType::Timestamp | ParamType::Enum => {
                quote! { #ident: #ident.into(), }
            }
            ParamType::StringList => {
                quote! { #ident: #ident.into_iter().map(Into::into).collect(), }
            }
            _ => quote! { #ident, },
        }
    });
    let mut new_doc =
        String::from("An input with the required parameters; optional ones are unset.\n");
    if !required.is_empty() {
        new_doc.push('\n');
        for field in &required {
            new_doc.push_str(&format!(
                "- `{}`: `{}`. {}\n",
                field.field,
                field.documented_name,
                docs::first_sentence(&field.description)
            ));
        }
    }
    let new_doc = docs::outer(&new_doc);
    let setters = operation
        .inputs
        .iter()
        .filter(|field| !field.required)
        .map(setter);
    let defaults = operation
        .inputs
        .iter()
        .filter(|field| field.default.is_some())
        .map(default_accessor);
    let validate = super::validation::validator(operation);
    let derive_default = required.is_empty().then(|| quote! { Default, });
    let eq = super::eq_derive(
        operation.inputs.iter().map(|field| &field.shape),
        &service.structures,
    );
    quote! {
        #struct_doc
        #[derive(Debug, Clone, PartialEq, #eq #derive_default Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        impl #name {
            #new_doc
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits )* }
            }

            #( #setters )*
            #( #defaults )*
            #validate
        }
    }
}

fn setter(field: &ir::InputField) -> TokenStream {
    let ident = format_ident!("{}", field.field);
    let method = format_ident!("with_{}", field.field);
    let doc = docs::outer(&format!(
        "Sets `{}`: {}",
        field.documented_name,
        docs::first_sentence(&field.description)
    ));
    let (arg, value) = match field.ty {
        ParamType::String | ParamType::Timestamp => (
            quote! { #ident: impl Into<String> },
            quote! { #ident.into() },
        ),
        ParamType::StringList => (
            quote! { #ident: impl IntoIterator<Item = impl Into<String>> },
            quote! { #ident.into_iter().map(Into::into).collect() },
        ),
        ParamType::Enum => {
            let ty = crate::emit::types::rust_type(&field.shape);
            (quote! { #ident: impl Into<#ty> }, quote! { #ident.into() })
        }
        _ => {
            let ty = crate::emit::types::rust_type(&field.shape);
            (quote! { #ident: #ty }, quote! { #ident })
        }
    };
    quote! {
        #doc
        #[must_use]
        pub fn #method(mut self, #arg) -> Self {
            self.#ident = Some(#value);
            self
        }
    }
}

fn default_accessor(field: &ir::InputField) -> TokenStream {
    let ident = format_ident!("{}", field.field);
    let method = format_ident!("{}_or_default", field.field);
    let Some(default) = &field.default else {
        return TokenStream::new();
    };
    let doc = docs::outer(&format!(
        "`{}` as the service reads it: the value set, else the documented default `{}`.",
        field.documented_name,
        value_words(default)
    ));
    let (ty, value) = match (field.ty, default) {
        (ParamType::Boolean, Value::Bool(value)) => {
            (quote! { bool }, quote! { self.#ident.unwrap_or(#value) })
        }
        (ParamType::Integer, Value::Number(number)) => {
            let value = number.as_i64().unwrap_or_default();
            (quote! { i64 }, quote! { self.#ident.unwrap_or(#value) })
        }
        (ParamType::String, Value::String(value)) => (
            quote! { &str },
            quote! { self.#ident.as_deref().unwrap_or(#value) },
        ),
        // The check pass guarantees defaults fit their type; lists have none.
        _ => return TokenStream::new(),
    };
    quote! {
        #doc
        pub fn #method(&self) -> #ty {
            #value
        }
    }
}
