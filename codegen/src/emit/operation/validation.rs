//! The input's `validate` method: every documented limit, checked before sending.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::docs;
use crate::ir;
use crate::spec::model::Charset;

pub(super) fn validator(operation: &ir::Operation) -> TokenStream {
    let op_name = &operation.name;
    let checks: Vec<TokenStream> = operation
        .inputs
        .iter()
        .filter_map(|field| {
            let limits = field.limits.as_ref()?;
            let ident = format_ident!("{}", field.field);
            let name = &field.documented_name;
            let quote_text = docs::one_line(&limits.quote);
            let opt = |value: Option<u64>| match value {
                Some(value) => {
                    let value = Literal::u64_unsuffixed(value);
                    quote! { Some(#value) }
                }
                None => quote! { None },
            };
            let mut body = Vec::new();
            if limits.min_items.is_some() || limits.max_items.is_some() {
                let (min, max) = (opt(limits.min_items), opt(limits.max_items));
                body.push(quote! { validator.items(#name, value.len(), #min, #max, #quote_text); });
            }
            if limits.min_length.is_some() || limits.max_length.is_some() {
                let (min, max) = (opt(limits.min_length), opt(limits.max_length));
                body.push(quote! { validator.length(#name, value, #min, #max, #quote_text); });
            }
            if limits.charset == Some(Charset::Ascii) {
                body.push(quote! { validator.ascii(#name, value, #quote_text); });
            }
            Some(if field.required {
                quote! { { let value = &self.#ident; #( #body )* } }
            } else {
                quote! { if let Some(value) = &self.#ident { #( #body )* } }
            })
        })
        .collect();
    let doc = docs::outer(
        "Checks every documented limit, reporting every violation at once, each naming the \
         parameter and the document's limit.\n\nThe client calls this before sending unless \
         validation is turned off; it never checks anything the document does not state.",
    );
    if checks.is_empty() {
        quote! {
            #doc
            pub fn validate(&self) -> Result<(), ValidationErrors> {
                cloudspec_runtime::Validator::new(#op_name).finish()
            }
        }
    } else {
        quote! {
            #doc
            pub fn validate(&self) -> Result<(), ValidationErrors> {
                let mut validator = cloudspec_runtime::Validator::new(#op_name);
                #( #checks )*
                validator.finish()
            }
        }
    }
}
