//! The service client: one async method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use crate::ir;
use crate::spec::model::ParamType;

pub(crate) fn client_rs(service: &ir::Service) -> TokenStream {
    let module_doc = docs::inner(&format!(
        "The client for {} {}.",
        super::provider_title(service),
        service.title
    ));
    let (prose, example) = client_doc(service);
    let struct_doc = docs::outer(&prose);
    let example_doc = example.map(|code| docs::outer_doctest(&code));
    let methods = service.operations.iter().map(method);
    quote! {
        #module_doc

        use cloudspec_runtime::{Config, ConfigError, SdkError};

        #struct_doc
        #example_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: cloudspec_runtime::Client,
        }

        impl Client {
            /// A client with `config`.
            pub fn new(config: Config) -> Result<Self, ConfigError> {
                Ok(Self { inner: cloudspec_runtime::Client::new(&crate::SERVICE, config)? })
            }

            /// A client with credentials from the provider's environment variables and
            /// defaults for everything else.
            pub fn from_env() -> Result<Self, ConfigError> {
                Self::new(Config::from_env(crate::SERVICE.provider)?)
            }

            /// The runtime client underneath, for [`cloudspec_runtime::Client::invoke`].
            pub fn runtime(&self) -> &cloudspec_runtime::Client {
                &self.inner
            }

            #( #methods )*
        }
    }
}

/// The client's rustdoc: prose (from the spec), and an example doctest written by the
/// generator (every spec value in it is a Rust string literal).
fn client_doc(service: &ir::Service) -> (String, Option<String>) {
    let mut doc = format!(
        "Client for {} {} (API `{}`). Cheap to clone: clones share one connection pool.\n\n",
        super::provider_title(service),
        service.title,
        service.api_version
    );
    let example = service.operations.first().map(|operation| {
        doc.push_str("# Example\n");
        let input = operation.input_type.clone();
        let args: Vec<String> = operation
            .inputs
            .iter()
            .filter(|field| field.required)
            .map(example_arg)
            .collect();
        // A region of this provider's own naming, from the spec; none rather than a guess.
        let region = service
            .endpoints
            .example_region
            .as_ref()
            .or(service.endpoints.regions.first());
        let mut code = String::new();
        code.push_str("# async fn example() -> Result<(), Box<dyn std::error::Error>> {\n");
        let unsigned = service.protocol == crate::spec::model::Protocol::InstanceMetadata;
        code.push_str(&format!(
            "use {}::operation::{}::{input};\nuse {}::{{Client, Config{}}};\n\n",
            service.lib_name,
            operation.module,
            service.lib_name,
            if unsigned { "" } else { ", Credentials" }
        ));
        code.push_str(if unsigned {
            // Never signed (docs/protocols.md, "Instance metadata").
            "let config = Config::without_credentials()"
        } else {
            "let config = Config::new(Credentials::new(\"my-access-key-id\", \"my-access-key-secret\"))"
        });
        match region {
            Some(region) => code.push_str(&format!("\n    .with_region({region:?});\n")),
            None => code.push_str(";\n"),
        }
        code.push_str("let client = Client::new(config)?;\n");
        code.push_str(&format!(
            "let output = client.{}({input}::new({})).await?;\n",
            operation.module,
            args.join(", ")
        ));
        code.push_str("println!(\"{output:?}\");\n# Ok(())\n# }\n");
        code
    });
    (doc, example)
}

/// A Rust literal for a required parameter in the example, from the document's example value.
fn example_arg(field: &ir::InputField) -> String {
    let example = field
        .example
        .clone()
        .unwrap_or_else(|| format!("my-{}", field.flag));
    match field.ty {
        ParamType::StringList => {
            let items: Vec<String> = serde_json::from_str::<Vec<String>>(&example)
                .unwrap_or_else(|_| vec![example.clone()]);
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|item| format!("{item:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        ParamType::Boolean => example.parse::<bool>().unwrap_or(false).to_string(),
        ParamType::Integer => example.parse::<i64>().unwrap_or(0).to_string(),
        ParamType::Uint64 => example.parse::<u64>().unwrap_or(0).to_string(),
        ParamType::Float => format!("{:?}", example.parse::<f64>().unwrap_or(0.0)),
        ParamType::String | ParamType::Timestamp => format!("{example:?}"),
        ParamType::Enum => format!("{example:?}.into()"),
        ParamType::List | ParamType::Object | ParamType::Map => "Default::default()".to_owned(),
    }
}

fn method(operation: &ir::Operation) -> TokenStream {
    let method = format_ident!("{}", operation.module);
    let module = format_ident!("{}", operation.module);
    let op = format_ident!("{}", operation.name);
    let input = format_ident!("{}", operation.input_type);
    let output = format_ident!("{}", operation.output_type);
    let error = format_ident!("{}", operation.error_type);
    let mut text = format!(
        "`{}`: {}\n\n",
        operation.name,
        docs::first_sentence(&operation.description)
    );
    text.push_str(&format!(
        "Validates `input` against the documented limits, signs and sends the request, retries \
         what is safe to retry, and decodes the answer. See [`crate::operation::{}`] for the document's \
         rules and examples.\n\n# Errors\n\n\
         [`SdkError::Service`] with a [`{error}`](crate::operation::{module}::{error}) when the service refuses; \
         [`SdkError::Validation`] before sending when `input` breaks a documented limit; \
         transport and response errors otherwise.",
        operation.module,
        module = operation.module,
    ));
    let doc = docs::outer(&text);
    quote! {
        #doc
        pub async fn #method(&self, input: crate::operation::#module::#input) -> Result<crate::operation::#module::#output, SdkError<crate::operation::#module::#error>> {
            self.inner.invoke::<crate::operation::#module::#op>(input).await
        }
    }
}
