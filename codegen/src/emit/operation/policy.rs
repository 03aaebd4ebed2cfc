//! Policy: the access-control (RAM) authorization the document states, `AUTHORIZATION` and the input's `policy_statement`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs;
use crate::ir;
use crate::spec::model::ParamType;

pub(super) fn authorization(operation: &ir::Operation) -> TokenStream {
    let Some(authorization) = &operation.authorization else {
        return TokenStream::new();
    };
    let input = format_ident!("{}", operation.input_type);
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
