//! How parameters go on the wire: the `encode` body, `WireValue`s, locations and list styles.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir;
use crate::spec::model::{ListStyle, Location, ParamType};

/// The body of `Operation::encode`: fixed parameters, then required fields, then the optional
/// fields that are set, each as a `WireParam` with its wire name and location.
pub(super) fn encode_body(operation: &ir::Operation) -> TokenStream {
    let (required, optional): (Vec<_>, Vec<_>) =
        operation.inputs.iter().partition(|field| field.required);
    let path_constants = operation.constants.iter().filter(|constant| constant.location != Location::Common).map(|constant| {
        let wire = &constant.wire_name;
        let location = location_tokens(constant.location);
        let value = &constant.value;
        quote! { cloudspec_runtime::WireParam::new(#wire, #location, cloudspec_runtime::WireValue::String(#value.to_owned())), }
    });
    let required_params = required.iter().map(|field| {
        let value = wire_value(field, Access::Field);
        let wire = &field.wire_name;
        let location = location_tokens(field.location);
        quote! { cloudspec_runtime::WireParam::new(#wire, #location, #value), }
    });
    let optional_params: Vec<TokenStream> = optional
        .iter()
        .map(|field| {
            let ident = format_ident!("{}", field.field);
            let value = wire_value(field, Access::Borrowed);
            let wire = &field.wire_name;
            let location = location_tokens(field.location);
            quote! {
                if let Some(value) = &input.#ident {
                    params.push(cloudspec_runtime::WireParam::new(#wire, #location, #value));
                }
            }
        })
        .collect();
    if optional_params.is_empty() {
        quote! { vec![ #( #path_constants )* #( #required_params )* ] }
    } else {
        quote! {
            let mut params = vec![ #( #path_constants )* #( #required_params )* ];
            #( #optional_params )*
            params
        }
    }
}

pub(in crate::emit) fn location_tokens(location: Location) -> TokenStream {
    let variant = format_ident!("{}", location_variant(location));
    quote! { cloudspec_runtime::ParamLocation::#variant }
}

/// The runtime's `ParamLocation` of `location`, as a path in text (the registry's tables).
pub(in crate::emit) fn location_path(location: Location) -> String {
    format!(
        "cloudspec_runtime::ParamLocation::{}",
        location_variant(location)
    )
}

fn location_variant(location: Location) -> &'static str {
    match location {
        Location::Query => "Query",
        Location::Header => "Header",
        Location::Path => "Path",
        Location::Body => "Body",
        Location::Common => "Common",
    }
}

/// Where an encoder reads a field from.
#[derive(Clone, Copy)]
enum Access {
    /// `input.<field>`, a required field.
    Field,
    /// `value`, the `&T` bound by `if let Some(value) = &input.<field>`.
    Borrowed,
}

/// The `WireValue` expression for a field read through `access`: text and lists are cloned,
/// booleans and integers copied.
fn wire_value(field: &ir::InputField, access: Access) -> TokenStream {
    let ident = format_ident!("{}", field.field);
    let (owned, copied) = match access {
        Access::Field => (quote! { input.#ident.clone() }, quote! { input.#ident }),
        Access::Borrowed => (quote! { value.clone() }, quote! { *value }),
    };
    let style = list_style_tokens(field.list_style.unwrap_or(ListStyle::JsonArray));
    match field.ty {
        ParamType::String | ParamType::Timestamp => {
            quote! { cloudspec_runtime::WireValue::String(#owned) }
        }
        ParamType::Enum => {
            let borrowed = match access {
                Access::Field => quote! { input.#ident },
                Access::Borrowed => quote! { value },
            };
            quote! { cloudspec_runtime::WireValue::String(#borrowed.as_str().to_owned()) }
        }
        ParamType::Boolean => quote! { cloudspec_runtime::WireValue::Bool(#copied) },
        ParamType::Integer => quote! { cloudspec_runtime::WireValue::Integer(#copied) },
        ParamType::StringList => quote! { cloudspec_runtime::WireValue::List(#owned, #style) },
        _ => {
            let borrowed = match access {
                Access::Field => quote! { &input.#ident },
                Access::Borrowed => quote! { value },
            };
            quote! { cloudspec_runtime::WireValue::json(#borrowed, #style) }
        }
    }
}

/// The runtime's `ListStyle` for a spec list style.
pub(in crate::emit) fn list_style_tokens(style: ListStyle) -> TokenStream {
    let variant = format_ident!("{}", list_style_variant(style));
    quote! { cloudspec_runtime::ListStyle::#variant }
}

/// The runtime's `ListStyle` of `style`, as a path in text (the registry's tables).
pub(in crate::emit) fn list_style_path(style: ListStyle) -> String {
    format!(
        "cloudspec_runtime::ListStyle::{}",
        list_style_variant(style)
    )
}

fn list_style_variant(style: ListStyle) -> &'static str {
    match style {
        ListStyle::Flattened => "Flattened",
        ListStyle::JsonInString => "JsonInString",
        ListStyle::JsonArray => "JsonArray",
    }
}
