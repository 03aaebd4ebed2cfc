//! Parsing a spec file into the model, keeping source positions.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::model::Spec;
use crate::diagnostic::{Diagnostic, Position};

/// Parses the YAML text of the spec at `path` (the path is used only in diagnostics).
pub fn parse(path: &Path, text: &str) -> Result<Spec, Diagnostic> {
    parse_as::<Spec>(path, text)
}

/// Parses an imported fragment (`specs/imported/*.yaml`), with positions as [`parse`].
pub fn parse_fragment(path: &Path, text: &str) -> Result<crate::spec::model::Fragment, Diagnostic> {
    parse_as(path, text)
}

fn parse_as<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|error| {
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

/// Every text value (and key) of the YAML document at `path` that holds a character that
/// cannot go into generated Rust, as one diagnostic at the value's position: a carriage
/// return (rustc refuses a bare CR in a doc comment), any other control character but tab
/// and newline, or a bidirectional-text control (U+202A..U+202E, U+2066..U+2069, U+200E,
/// U+200F, U+061C: rustc denies them in comments, and they make code read differently from
/// how it compiles). The checks run on parsed values, so an escape such as `"\r"` or
/// `"\u202E"` is caught as well as a raw character.
pub fn unsafe_text(path: &Path, text: &str) -> Vec<Diagnostic> {
    // A value can hold such a character only if the file does, raw, or writes it as an
    // escape (which needs a backslash): without either, the second parse (a tenth of
    // regenerating a large spec) finds nothing and is skipped.
    if !text.contains('\\') && !text.chars().any(is_unsafe) {
        return Vec::new();
    }
    let options = serde_saphyr::options! { with_snippet: false };
    let Ok(root) = serde_saphyr::from_str_with_options::<Spanned<Node>>(text, options) else {
        // The model parsed, so this cannot fail; if it does, the model's own checks stand.
        return Vec::new();
    };
    let mut problems = Vec::new();
    walk(&root, &mut |position, value| {
        if let Some((index, c)) = value.chars().enumerate().find(|(_, c)| is_unsafe(*c)) {
            problems.push(
                Diagnostic::new(
                    path,
                    position,
                    format!(
                        "this text holds {} (character {} of the value), which cannot go into generated Rust",
                        describe(c),
                        index + 1
                    ),
                )
                .help("remove it; write a line break as a new line of a block scalar (`|`), and keep text in logical order without direction overrides"),
            );
        }
    });
    problems
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

fn describe(c: char) -> String {
    let name = match c {
        '\r' => " CARRIAGE RETURN",
        '\u{202e}' => " RIGHT-TO-LEFT OVERRIDE",
        '\u{202d}' => " LEFT-TO-RIGHT OVERRIDE",
        '\u{2066}'..='\u{2069}' => " (a bidirectional isolate)",
        '\u{202a}'..='\u{202c}' => " (a bidirectional embedding)",
        '\u{200e}' | '\u{200f}' | '\u{061c}' => " (a bidirectional mark)",
        _ => " (a control character)",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// Calls `visit` with every text scalar (values and keys) and its position.
fn walk(node: &Spanned<Node>, visit: &mut impl FnMut(Position, &str)) {
    match &node.value {
        Node::Text(text) => visit(Position::of(&node.referenced), text),
        Node::List(items) => items.iter().for_each(|item| walk(item, visit)),
        Node::Map(entries) => {
            for (key, value) in entries {
                walk(key, visit);
                walk(value, visit);
            }
        }
        Node::Other => {}
    }
}

/// Any YAML value, with the position of every nested value kept.
enum Node {
    Text(String),
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
    Other,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Text(value.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<Node>, Spanned<Node>>()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}
