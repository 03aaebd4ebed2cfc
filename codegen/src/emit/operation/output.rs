//! The output struct: the fields of a successful response.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs;
use crate::ir;
use crate::spec::model::FieldLocation;

pub(super) fn output(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = format_ident!("{}", operation.output_type);
    let doc = docs::outer(&format!(
        "The response of a successful `{}`.\n\nFields are optional: responses are never validated, \
         so a field the service leaves out is `None` rather than an error.",
        operation.name
    ));
    let fields = operation.outputs.iter().map(|field| {
        let ident = format_ident!("{}", field.field);
        let ty = crate::emit::types::rust_type(&field.shape);
        let mut text = format!("{}\n\n", field.description.trim_end());
        text.push_str(&format!(
            "{} `{}`, {}.",
            match field.location {
                FieldLocation::Body => "Response field",
                FieldLocation::Header => "Response header",
                FieldLocation::TextBody => "The whole response body, as text",
            },
            field.documented_name,
            crate::emit::types::words(&field.shape)
        ));
        if let Some(example) = &field.example {
            text.push_str(&format!(" Example: {}.", docs::code(example)));
        }
        let doc = docs::outer(&text);
        let wire = &field.documented_name;
        quote! { #doc #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")] pub #ident: Option<#ty>, }
    });
    let eq = super::eq_derive(
        operation.outputs.iter().map(|field| &field.shape),
        &service.structures,
    );
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, #eq Serialize, Deserialize)]
        pub struct #name {
            #( #fields )*
        }
    }
}
