//! One module per operation, assembled from one part per concern.
//!
//! The parts: [`docs`] (prose), [`input`], [`validation`], [`output`], [`errors`], [`wire`]
//! (encoding), [`meta`] (what the runtime reads) and [`policy`] (RAM authorization).

mod docs;
mod errors;
mod input;
mod meta;
mod output;
mod policy;
mod validation;
mod wire;

pub(super) use wire::{list_style_path, location_path};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir;

pub(super) fn operation_rs(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let module_doc = crate::emit::docs::inner(&docs::module_doc(operation));
    let input = input::input(service, operation);
    let output = output::output(service, operation);
    let error = errors::error_enum(operation);
    let runtime_impl = meta::runtime_impl(service, operation);
    let authorization = policy::authorization(operation);
    quote! {
        #module_doc

        use cloudspec_runtime::{DocumentedError, ServiceError, ValidationErrors};
        use serde::{Deserialize, Serialize};

        #input
        #output
        #error
        #runtime_impl
        #authorization
    }
}

/// `Eq,` unless a field's type holds a floating-point number.
fn eq_derive<'a>(
    mut shapes: impl Iterator<Item = &'a ir::Shape>,
    structures: &[ir::Structure],
) -> Option<TokenStream> {
    (!shapes.any(|shape| shape.has_float(structures))).then(|| quote! { Eq, })
}
