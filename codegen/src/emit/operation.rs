//! One module per operation: input, validator, output, error enum, wire encoding, metadata.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::docs;
use crate::ir;
use crate::spec::model::{Charset, FieldLocation, ListStyle, Location, ParamType};

pub(crate) fn operation_rs(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let module_doc = docs::inner(&module_doc(operation));
    let input = input(service, operation);
    let output = output(service, operation);
    let error = error_enum(operation);
    let runtime_impl = runtime_impl(service, operation);
    let authorization = authorization(operation);
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

fn module_doc(operation: &ir::Operation) -> String {
    let mut doc = format!("`{}`", operation.name);
    if let Some(title) = &operation.title {
        doc.push_str(&format!(" ({title})"));
    }
    doc.push_str(&format!(
        ": {}\n\n",
        docs::first_sentence(&operation.description)
    ));
    doc.push_str(&operation.description);
    doc.push_str("\n\n");
    match &operation.action {
        Some(action) => doc.push_str(&format!(
            "Sent as `{} {}` with action `{action}`.\n",
            operation.method, operation.path
        )),
        None => doc.push_str(&format!(
            "Sent as `{} {}`.\n",
            operation.method, operation.path
        )),
    }
    if !operation.rules.is_empty() {
        doc.push_str("\n# Documented rules\n\n");
        for rule in &operation.rules {
            doc.push_str(&format!(
                "- `{}`: {}\n",
                rule.id.value,
                docs::one_line(&rule.text)
            ));
        }
    }
    if !operation.constants.is_empty() {
        doc.push_str("\n# Fixed parameters\n\n");
        for constant in &operation.constants {
            doc.push_str(&format!(
                "- `{}` = `{}`: {}\n",
                constant.documented_name,
                constant.value,
                docs::one_line(&constant.description)
            ));
        }
    }
    if let Some(provenance) = &operation.provenance {
        doc.push_str(&format!("\n{}\n", docs::provenance_line(provenance)));
    }
    doc.push_str(&docs::facts_section(&operation.facts));
    if !operation.examples.is_empty() {
        doc.push_str("\n# Examples from the document\n");
        for example in &operation.examples {
            doc.push_str(&format!("\n## `{}`", example.name.value));
            if let Some(title) = &example.title {
                doc.push_str(&format!(": {title}"));
            }
            doc.push_str("\n\n");
            if let Some(description) = &example.description {
                doc.push_str(&format!("{}\n\n", description.trim()));
            }
            if let Some(request) = &example.request {
                doc.push_str("Request:\n\n");
                doc.push_str(&docs::block("text", &request.raw));
                if let Some(note) = &request.note {
                    doc.push_str(&format!("\nNote: {}\n", docs::one_line(note)));
                }
                doc.push('\n');
            }
            for response in &example.responses {
                let status = response
                    .status
                    .map(|status| format!(" (HTTP {status})"))
                    .unwrap_or_default();
                doc.push_str(&format!("Response{status}:\n\n"));
                let mut text = String::new();
                for (name, value) in &response.headers {
                    text.push_str(&format!("{name}: {value}\n"));
                }
                text.push_str(&response.body);
                doc.push_str(&docs::block(
                    "text",
                    if text.trim().is_empty() {
                        "(empty body)"
                    } else {
                        &text
                    },
                ));
                doc.push('\n');
            }
        }
    }
    doc
}

fn location_words(location: Location) -> &'static str {
    match location {
        Location::Query => "in the query",
        Location::Header => "in a header",
        Location::Path => "in the path",
        Location::Body => "in the JSON body",
        Location::Common => "a common parameter",
    }
}

fn value_words(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn field_doc(field: &ir::InputField) -> String {
    let mut doc = format!("{}\n\n", field.description.trim_end());
    doc.push_str(&format!(
        "Wire name `{}`, {}, {}, {}",
        field.wire_name,
        super::types::words(&field.shape),
        if field.required {
            "required"
        } else {
            "optional"
        },
        location_words(field.location)
    ));
    if field.documented_name != field.wire_name {
        doc.push_str(&format!(" (documented as `{}`)", field.documented_name));
    }
    doc.push('.');
    if let Some(default) = &field.default {
        doc.push_str(&format!(" Default: `{}`.", value_words(default)));
    }
    if let Some(limits) = &field.limits {
        doc.push_str(&format!(" Limits: {}.", limit_words(limits)));
    }
    if let Some(example) = &field.example {
        doc.push_str(&format!(" Example: {}.", docs::code(example)));
    }
    doc
}

fn limit_words(limits: &crate::spec::model::Limits) -> String {
    let mut parts = Vec::new();
    if let Some(min) = limits.min_items {
        parts.push(format!("at least {min} item(s)"));
    }
    if let Some(max) = limits.max_items {
        parts.push(format!("at most {max} items"));
    }
    if let Some(min) = limits.min_length {
        parts.push(format!("at least {min} characters"));
    }
    if let Some(max) = limits.max_length {
        parts.push(format!("at most {max} characters"));
    }
    if limits.charset == Some(Charset::Ascii) {
        parts.push("ASCII only".to_owned());
    }
    format!(
        "{} (\"{}\")",
        parts.join(", "),
        docs::one_line(&limits.quote)
    )
}

/// `Eq,` unless a field's type holds a floating-point number.
fn eq_derive<'a>(
    mut shapes: impl Iterator<Item = &'a ir::Shape>,
    structures: &[ir::Structure],
) -> Option<TokenStream> {
    (!shapes.any(|shape| shape.has_float(structures))).then(|| quote! { Eq, })
}

fn input(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = format_ident!("{}Input", operation.name);
    let method = &operation.module;
    let struct_doc = docs::outer(&format!(
        "The parameters of `{}`, for [`Client::{method}`](crate::Client::{method}).\n\n\
         Required parameters are the arguments of [`{name}::new`]; optional ones are set with the \
         `with_*` methods and stay unset (the service's default applies) otherwise.",
        operation.name
    ));
    let fields = operation.inputs.iter().map(|field| {
        let ident = format_ident!("{}", field.field);
        let ty = super::types::rust_type(&field.shape);
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
            _ => {
                let ty = super::types::rust_type(&field.shape);
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
            ParamType::String | ParamType::Timestamp => quote! { #ident: #ident.into(), },
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
    let validate = validator(operation);
    let derive_default = required.is_empty().then(|| quote! { Default, });
    let eq = eq_derive(
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
        _ => {
            let ty = super::types::rust_type(&field.shape);
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

fn validator(operation: &ir::Operation) -> TokenStream {
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

fn output(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let name = format_ident!("{}Output", operation.name);
    let doc = docs::outer(&format!(
        "The response of a successful `{}`.\n\nFields are optional: responses are never validated, \
         so a field the service leaves out is `None` rather than an error.",
        operation.name
    ));
    let fields = operation.outputs.iter().map(|field| {
        let ident = format_ident!("{}", field.field);
        let ty = super::types::rust_type(&field.shape);
        let mut text = format!("{}\n\n", field.description.trim_end());
        text.push_str(&format!(
            "{} `{}`, {}.",
            match field.location {
                FieldLocation::Body => "Response field",
                FieldLocation::Header => "Response header",
            },
            field.documented_name,
            super::types::words(&field.shape)
        ));
        if let Some(example) = &field.example {
            text.push_str(&format!(" Example: {}.", docs::code(example)));
        }
        let doc = docs::outer(&text);
        let wire = &field.documented_name;
        quote! { #doc #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")] pub #ident: Option<#ty>, }
    });
    let eq = eq_derive(
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

fn error_doc(error: &ir::ErrorCase) -> String {
    let mut head = match &error.code {
        Some(code) => format!("`{code}`"),
        None => "No error code".to_owned(),
    };
    if let Some(status) = error.status {
        head.push_str(&format!(" (HTTP {status})"));
    }
    let mut doc = match &error.message {
        Some(message) => format!("{head}: {}\n\n{}", message.trim(), error.description.trim()),
        None => format!("{head}: {}", error.description.trim()),
    };
    if error.code.is_none() {
        doc.push_str(
            "\n\nRecognised by its HTTP status when the response carries no documented code.",
        );
    }
    doc
}

fn error_enum(operation: &ir::Operation) -> TokenStream {
    let name = format_ident!("{}Error", operation.name);
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
        let code = super::option_str(error.code.as_deref());
        let status = match error.status {
            Some(status) => {
                let status = Literal::u16_unsuffixed(status);
                quote! { Some(#status) }
            }
            None => quote! { None },
        };
        let message = super::option_str(error.message.as_deref());
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
        let constant = format_ident!("{}", crate::names::constant_name(&error.variant));
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
    }
}

fn runtime_impl(service: &ir::Service, operation: &ir::Operation) -> TokenStream {
    let op = format_ident!("{}", operation.name);
    let input = format_ident!("{}Input", operation.name);
    let output = format_ident!("{}Output", operation.name);
    let error = format_ident!("{}Error", operation.name);
    let name = &operation.name;
    let action = super::option_str(operation.action.as_deref());
    let method = operation.method;
    let path = &operation.path;
    let headers: Vec<&str> = operation
        .outputs
        .iter()
        .filter(|field| field.location == FieldLocation::Header)
        .map(|field| field.documented_name.as_str())
        .collect();
    let token = super::option_str(operation.idempotency_token.as_deref());
    let rate = match operation.rate_limit_per_second {
        Some(rate) => {
            let rate = Literal::u32_unsuffixed(rate);
            quote! { Some(#rate) }
        }
        None => quote! { None },
    };
    let op_doc = docs::outer(&format!(
        "The `{}` operation, as [`cloudspec_runtime::Client::invoke`] takes it. Most code calls \
         [`Client::{}`](crate::Client::{}) instead.",
        operation.name, operation.module, operation.module
    ));
    let _ = service;
    let meta_doc = docs::outer(&format!(
        "`{}` as the runtime sees it: action, method, path, idempotency token, rate limit.",
        operation.name
    ));
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
    let encode_body = if optional_params.is_empty() {
        quote! { vec![ #( #path_constants )* #( #required_params )* ] }
    } else {
        quote! {
            let mut params = vec![ #( #path_constants )* #( #required_params )* ];
            #( #optional_params )*
            params
        }
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
            method: #method,
            path: #path,
            response_headers: &[#(#headers),*],
            idempotency_token: #token,
            rate_limit_per_second: #rate,
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

            fn encode(input: &#input) -> Vec<cloudspec_runtime::WireParam> {
                #encode_body
            }
        }
    }
}

pub(super) fn location_tokens(location: Location) -> TokenStream {
    let variant = format_ident!(
        "{}",
        match location {
            Location::Query => "Query",
            Location::Header => "Header",
            Location::Path => "Path",
            Location::Body => "Body",
            Location::Common => "Common",
        }
    );
    quote! { cloudspec_runtime::ParamLocation::#variant }
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
pub(super) fn list_style_tokens(style: ListStyle) -> TokenStream {
    let variant = format_ident!(
        "{}",
        match style {
            ListStyle::Flattened => "Flattened",
            ListStyle::JsonInString => "JsonInString",
            ListStyle::JsonArray => "JsonArray",
        }
    );
    quote! { cloudspec_runtime::ListStyle::#variant }
}

fn authorization(operation: &ir::Operation) -> TokenStream {
    let Some(authorization) = &operation.authorization else {
        return TokenStream::new();
    };
    let input = format_ident!("{}Input", operation.name);
    let action = &authorization.action;
    let access_level = &authorization.access_level;
    let resource_type = &authorization.resource_type;
    let arn = &authorization.resource_arn.value;
    let condition_keys = &authorization.condition_keys;
    let dependent_actions = &authorization.dependent_actions;
    let doc = docs::outer(&format!(
        "The RAM authorization the document states for `{}`.",
        operation.name
    ));
    // The check pass refused unclosed placeholders.
    let placeholders = crate::template::placeholders(arn, "{#").unwrap_or_default();
    let needs_account = placeholders.contains(&"accountId");
    let values = placeholders
        .iter()
        .filter(|name| **name != "accountId")
        .filter_map(|name| {
            let field = operation
                .inputs
                .iter()
                .find(|field| field.documented_name.eq_ignore_ascii_case(name))?;
            let ident = format_ident!("{}", field.field);
            let values = match (field.ty, field.required) {
                (ParamType::StringList, true) => quote! { self.#ident.clone() },
                (ParamType::StringList, false) => {
                    quote! { self.#ident.clone().unwrap_or_default() }
                }
                (ParamType::String, true) => quote! { vec![self.#ident.clone()] },
                (_, true) => quote! { vec![self.#ident.to_string()] },
                (_, false) => quote! { self.#ident.iter().map(ToString::to_string).collect() },
            };
            Some(quote! { (#name, #values), })
        });
    let account_arg = needs_account.then(|| quote! { account_id: &str });
    let account_value =
        needs_account.then(|| quote! { ("accountId", vec![account_id.to_owned()]), });
    let method_doc = docs::outer(&format!(
        "The RAM policy statement that allows this call: action `{action}` on {}.{}",
        docs::code(arn),
        if needs_account {
            "\n\n`account_id` is the Alibaba Cloud account that owns the resources."
        } else {
            ""
        }
    ));
    quote! {
        #doc
        pub const AUTHORIZATION: cloudspec_runtime::Authorization = cloudspec_runtime::Authorization {
            action: #action,
            access_level: #access_level,
            resource_type: #resource_type,
            resource_arn: #arn,
            condition_keys: &[#(#condition_keys),*],
            dependent_actions: &[#(#dependent_actions),*],
        };

        impl #input {
            #method_doc
            pub fn policy_statement(&self, #account_arg) -> cloudspec_runtime::PolicyStatement {
                let resources = cloudspec_runtime::policy::render_arns(
                    AUTHORIZATION.resource_arn,
                    &[ #account_value #( #values )* ],
                );
                cloudspec_runtime::PolicyStatement::allow(AUTHORIZATION.action, resources)
            }
        }
    }
}
