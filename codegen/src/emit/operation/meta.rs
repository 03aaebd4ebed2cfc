//! The operation as the runtime sees it: its marker type, `META` and its `Operation` impl.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::docs;
use crate::ir;
use crate::spec::model::{AuthKind, FieldLocation, Protocol};

pub(super) fn runtime_impl(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let op = format_ident!("{}", operation.name);
    let input = format_ident!("{}", operation.input_type);
    let output = format_ident!("{}", operation.output_type);
    let error = format_ident!("{}", operation.error_type);
    let name = &operation.name;
    let action = crate::emit::option_str(operation.action.as_deref());
    let api_version = &operation.api_version;
    let method = operation.method;
    let path = &operation.path;
    let headers: Vec<&str> = operation
        .outputs
        .iter()
        .filter(|field| field.location == FieldLocation::Header)
        .map(|field| field.documented_name.as_str())
        .collect();
    let token = crate::emit::option_str(operation.idempotency_token.as_deref());
    let rate = match operation.rate_limit_per_second {
        Some(rate) => {
            let rate = Literal::u32_unsuffixed(rate);
            quote! { Some(#rate) }
        }
        None => quote! { None },
    };
    let auth = match &operation.auth {
        Some(auth) if auth.kind == AuthKind::Anonymous => {
            // The runtime names parameters by their wire names.
            let wire_name = auth.identity_token.as_deref().map(|documented| {
                operation
                    .inputs
                    .iter()
                    .find(|field| field.documented_name == documented)
                    .map_or(documented, |field| field.wire_name.as_str())
            });
            let token = crate::emit::option_str(wire_name);
            quote! { cloudspec_runtime::Auth::Anonymous { identity_token: #token } }
        }
        // Instance-metadata requests are never signed (docs/protocols.md).
        _ if service.protocol == Protocol::InstanceMetadata => {
            quote! { cloudspec_runtime::Auth::Anonymous { identity_token: None } }
        }
        Some(_) | None => quote! { cloudspec_runtime::Auth::Signed },
    };
    let text_body = crate::emit::option_str(
        operation
            .outputs
            .iter()
            .find(|field| field.location == FieldLocation::TextBody)
            .map(|field| field.documented_name.as_str()),
    );
    let op_doc = docs::outer(&format!(
        "The `{}` operation, as [`cloudspec_runtime::Client::invoke`] takes it. Most code calls \
         [`Client::{}`](crate::Client::{}) instead.",
        operation.name, operation.module, operation.module
    ));
    let meta_doc = docs::outer(&format!(
        "`{}` as the runtime sees it: action, method, path, idempotency token, rate limit, \
         authentication.",
        operation.name
    ));
    let encode_body = super::wire::encode_body(operation);
    // An operation without parameters encodes nothing from its input.
    let input_arg = if operation.inputs.is_empty() {
        format_ident!("_input")
    } else {
        format_ident!("input")
    };
    quote! {
        #op_doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #op;

        #meta_doc
        pub static META: cloudspec_runtime::OperationMeta = cloudspec_runtime::OperationMeta {
            service: &crate::SERVICE,
            name: #name,
            action: #action,
            api_version: #api_version,
            method: #method,
            path: #path,
            response_headers: &[#(#headers),*],
            text_body: #text_body,
            idempotency_token: #token,
            rate_limit_per_second: #rate,
            auth: #auth,
        };

        impl cloudspec_runtime::Operation for #op {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            fn meta() -> &'static cloudspec_runtime::OperationMeta {
                &META
            }

            fn validate(input: &#input) -> Result<(), ValidationErrors> {
                input.validate()
            }

            fn encode(#input_arg: &#input) -> Vec<cloudspec_runtime::WireParam> {
                #encode_body
            }
        }
    }
}
