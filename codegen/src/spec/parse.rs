//! Parsing a spec file into the model, keeping source positions.

use std::path::Path;

use super::model::Spec;
use crate::diagnostic::{Diagnostic, Position};

/// Parses the YAML text of the spec at `path` (the path is used only in diagnostics).
pub fn parse(path: &Path, text: &str) -> Result<Spec, Diagnostic> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<Spec>(text, options).map_err(|error| {
        let position = error
            .location()
            .map(|location| Position::of(&location))
            .unwrap_or(Position { line: 1, column: 1 });
        let message = strip_location(&error.to_string());
        let help = help_for(&message);
        let diagnostic = Diagnostic::new(path, position, message);
        match help {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        }
    })
}

/// serde-saphyr appends " at line L, column C" to its messages; the diagnostic already
/// says where, so keep only the message.
fn strip_location(message: &str) -> String {
    let message = message.lines().next().unwrap_or(message).trim();
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn help_for(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling against specs/README.md or specs/spec.schema.json; every field of the format is listed there".to_owned())
    } else if message.contains("unknown variant") {
        Some("use one of the expected values listed above".to_owned())
    } else if message.contains("missing field") {
        Some("add the field; specs/README.md says what it holds".to_owned())
    } else if message.contains("invalid") {
        Some("write the value in the type the format expects: `true`/`false` for booleans, digits for numbers, quotes around numbers meant as text (api_version: \"2014-05-26\")".to_owned())
    } else {
        None
    }
}
