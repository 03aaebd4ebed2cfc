//! The error enum: the document's error table, the enum and its impls, one constant per row.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::error_doc;
use crate::emit::docs;
use crate::ir;

pub(super) fn error_enum(operation: &ir::Operation) -> TokenStream {
    let name = format_ident!("{}", operation.error_type);
    let enum_doc = docs::outer(&format!(
        "The errors the document lists for `{op}`, and [`{name}::Unhandled`] for any other.\n\n\
         Every variant keeps the [`ServiceError`] as received (code, message, HTTP status, request \
         id, attempts). The enum is `#[non_exhaustive]`: keep a wildcard arm, since a newer \
         document may list more errors.",
        op = operation.name,
        name = name
    ));
    let variants = operation.errors.iter().map(|error| {
        let variant = format_ident!("{}", error.variant);
        let doc = docs::outer(&error_doc(error));
        if error.is_template() {
            quote! {
                #doc
                #[error("{error}")]
                #variant {
                    /// What `%s` stands for in the received code.
                    field: String,
                    /// The error as received.
                    error: ServiceError,
                },
            }
        } else {
            quote! { #doc #[error("{0}")] #variant(ServiceError), }
        }
    });
    let arms_ref: Vec<TokenStream> = operation
        .errors
        .iter()
        .map(|error| {
            let variant = format_ident!("{}", error.variant);
            if error.is_template() {
                quote! { Self::#variant { error, .. } }
            } else {
                quote! { Self::#variant(error) }
            }
        })
        .collect();
    let documented_arms = operation.errors.iter().enumerate().map(|(index, error)| {
        let index = Literal::usize_unsuffixed(index);
        let variant = format_ident!("{}", error.variant);
        if error.is_template() {
            quote! { Self::#variant { .. } => Some(&ERRORS[#index]), }
        } else {
            quote! { Self::#variant(_) => Some(&ERRORS[#index]), }
        }
    });
    let table = operation.errors.iter().map(|error| {
        let variant = &error.variant;
        let code = crate::emit::option_str(error.code.as_deref());
        let status = match error.status {
            Some(status) => {
                let status = Literal::u16_unsuffixed(status);
                quote! { Some(#status) }
            }
            None => quote! { None },
        };
        let message = crate::emit::option_str(error.message.as_deref());
        let description = &error.description;
        quote! {
            DocumentedError { variant: #variant, code: #code, status: #status, message: #message, description: #description },
        }
    });
    let classified_arms = operation.errors.iter().map(|error| {
        let variant = format_ident!("{}", error.variant);
        let name = &error.variant;
        if error.is_template() {
            quote! {
                #name => Self::#variant {
                    field: error.code.as_deref().and_then(|code| row.template_part(code)).unwrap_or_default(),
                    error,
                },
            }
        } else {
            quote! { #name => Self::#variant(error), }
        }
    });
    let from_impl = if operation.errors.is_empty() {
        quote! {
            impl From<ServiceError> for #name {
                /// The document lists no errors: every error is [`Self::Unhandled`].
                fn from(error: ServiceError) -> Self {
                    Self::Unhandled(error)
                }
            }
        }
    } else {
        quote! {
            impl From<ServiceError> for #name {
                fn from(error: ServiceError) -> Self {
                    // The runtime's one classifier decides the row: exact codes first, then `%s`
                    // templates, then errors the document knows only by their HTTP status.
                    let Some(row) = cloudspec_runtime::error::classify(ERRORS, error.code.as_deref(), error.status) else {
                        return Self::Unhandled(error);
                    };
                    match row.variant {
                        #( #classified_arms )*
                        _ => Self::Unhandled(error),
                    }
                }
            }
        }
    };
    let constants = operation.errors.iter().enumerate().map(|(index, error)| {
        let index = Literal::usize_unsuffixed(index);
        let constant = format_ident!("{}", error.constant);
        let variant = &error.variant;
        let doc = docs::outer(&format!(
            "The document's row of [`Self::{variant}`], as data: {}.",
            match (&error.code, error.status) {
                (Some(code), Some(status)) => format!("`{code}`, HTTP {status}"),
                (Some(code), None) => format!("`{code}`"),
                (None, Some(status)) => format!("no code, HTTP {status}"),
                (None, None) => "no code".to_owned(),
            }
        ));
        quote! {
            #doc
            pub const #constant: &'static DocumentedError = &ERRORS[#index];
        }
    });
    let table_doc = docs::outer(&format!(
        "The error table of the `{}` document, in its order.",
        operation.name
    ));
    quote! {
        #table_doc
        pub const ERRORS: &[DocumentedError] = &[ #( #table )* ];

        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// An error the document does not list for this operation: a common error
            /// (signature, throttling, permissions) or a newer one. Nothing is lost: code,
            /// message, HTTP status and request id are kept.
            #[error("{0}")]
            Unhandled(ServiceError),
        }

        impl #name {
            #( #constants )*

            /// The error as received: code, message, HTTP status, request id and attempts.
            pub fn service_error(&self) -> &ServiceError {
                match self {
                    #( #arms_ref )|* | Self::Unhandled(error) => error,
                }
            }

            /// The error code as received.
            pub fn code(&self) -> Option<&str> {
                self.service_error().code.as_deref()
            }

            /// The error message as received.
            pub fn message(&self) -> Option<&str> {
                self.service_error().message.as_deref()
            }

            /// The request id the service assigned.
            pub fn request_id(&self) -> Option<&str> {
                self.service_error().request_id.as_deref()
            }

            /// The HTTP status of the response.
            pub fn status(&self) -> u16 {
                self.service_error().status
            }

            /// How many attempts the call made. A "not found" after more than one attempt of a
            /// delete may mean an earlier attempt succeeded and its answer was lost.
            pub fn attempts(&self) -> u32 {
                self.service_error().attempts
            }

            /// Whether retrying may succeed (server errors and throttling).
            pub fn is_retryable(&self) -> bool {
                self.service_error().is_retryable()
            }

            /// The document's row for this error; `None` for [`Self::Unhandled`].
            pub fn documented(&self) -> Option<&'static DocumentedError> {
                match self {
                    #( #documented_arms )*
                    Self::Unhandled(_) => None,
                }
            }
        }

        #from_impl

        impl cloudspec_runtime::OperationError for #name {
            fn service_error(&self) -> &ServiceError {
                #name::service_error(self)
            }

            fn documented(&self) -> Option<&'static DocumentedError> {
                #name::documented(self)
            }
        }
    }
}
