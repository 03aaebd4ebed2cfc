//! The operation's prose: module doc, field docs (limit, location and value words), error docs.

use serde_json::Value;

use crate::emit::docs;
use crate::ir;
use crate::spec::model::{AuthKind, Charset, Location};

pub(super) fn module_doc(operation: &ir::Operation) -> String {
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
    if let Some(auth) = &operation.auth {
        doc.push_str("\n# Authentication\n\n");
        let how = match (auth.kind, &auth.identity_token) {
            (AuthKind::Signed, _) => "Signed with the caller's credentials.".to_owned(),
            (AuthKind::Anonymous, Some(token)) => format!(
                "Sent unsigned: the client needs no credentials, and `{token}` proves the \
                 caller's identity."
            ),
            (AuthKind::Anonymous, None) => {
                "Sent unsigned: the client needs no credentials.".to_owned()
            }
        };
        doc.push_str(&format!("{how} {}\n\n", docs::one_line(&auth.text)));
        for source in &auth.sources {
            doc.push_str(&format!("- {}\n", docs::source_line(source)));
        }
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

pub(super) fn value_words(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub(super) fn field_doc(field: &ir::InputField) -> String {
    let mut doc = format!("{}\n\n", field.description.trim_end());
    doc.push_str(&format!(
        "Wire name `{}`, {}, {}, {}",
        field.wire_name,
        crate::emit::types::words(&field.shape),
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
    if let Some(provenance) = &field.provenance {
        doc.push_str(&format!("\n\n{}", docs::provenance_line(provenance)));
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

pub(super) fn error_doc(error: &ir::ErrorCase) -> String {
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
