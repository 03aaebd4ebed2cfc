//! Parameters as generated code hands them to the runtime: name, location and value.
//!
//! A generated input type encodes itself into a list of [`WireParam`]s; the protocol layer
//! ([`crate::protocol`]) turns that list into an HTTP request. Keeping the list explicit lets
//! one protocol implementation serve every API that speaks it.

/// Where a parameter travels, as the spec says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the query string.
    Query,
    /// In an HTTP header.
    Header,
    /// In the path, filling `{name}`.
    Path,
    /// A member of the JSON body.
    Body,
    /// A common parameter of the protocol (`Region` for Tencent); the protocol places it.
    Common,
}

/// How a list travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListStyle {
    /// `Name.1=a&Name.2=b`.
    Flattened,
    /// One string holding a JSON array: `Name=["a","b"]`.
    JsonInString,
    /// A JSON array (body); `Name.0=a` when sent in a query.
    JsonArray,
}

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireValue {
    /// Text.
    String(String),
    /// A boolean, sent as lower-case `true`/`false`.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// A list of strings, encoded per its style.
    List(Vec<String>, ListStyle),
    /// Any other value (an unsigned or floating-point number, a structure, a list or map of
    /// them), as JSON: a body member as it is; in a query flattened (`Name.1.Field=..` for
    /// [`ListStyle::Flattened`], `Name.0.Field=..` for [`ListStyle::JsonArray`]) or as one
    /// compact JSON text ([`ListStyle::JsonInString`]).
    Json(serde_json::Value, ListStyle),
}

impl WireValue {
    /// A structured value (`WireValue::Json`) from any serializable data: structures,
    /// lists and maps of them, unsigned and floating-point numbers. Plain data always
    /// serializes; a value that would not (a map with non-string keys) becomes `null`.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T, style: ListStyle) -> WireValue {
        WireValue::Json(serde_json::to_value(value).unwrap_or_default(), style)
    }

    /// The value as one string for a query, header or path: booleans lower-case, lists as a
    /// JSON array.
    pub fn to_text(&self) -> String {
        match self {
            WireValue::String(value) => value.clone(),
            WireValue::Bool(value) => value.to_string(),
            WireValue::Integer(value) => value.to_string(),
            WireValue::List(items, _) => json_array(items),
            WireValue::Json(serde_json::Value::String(text), _) => text.clone(),
            WireValue::Json(value, _) => value.to_string(),
        }
    }

    /// The value as a JSON value for a body.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            WireValue::String(value) => serde_json::Value::String(value.clone()),
            WireValue::Bool(value) => serde_json::Value::Bool(*value),
            WireValue::Integer(value) => serde_json::Value::from(*value),
            WireValue::List(items, _) => serde_json::Value::Array(
                items
                    .iter()
                    .cloned()
                    .map(serde_json::Value::String)
                    .collect(),
            ),
            WireValue::Json(value, _) => value.clone(),
        }
    }
}

/// A JSON array of strings, as one string.
pub fn json_array(items: &[String]) -> String {
    // Serialised straight from the slice: no `Value` tree, no copy of each item.
    serde_json::to_string(items).expect("a list of strings always serialises")
}

/// One parameter of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireParam {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: ParamLocation,
    /// Its value.
    pub value: WireValue,
}

impl WireParam {
    /// A parameter.
    pub fn new(name: &'static str, location: ParamLocation, value: WireValue) -> Self {
        Self {
            name,
            location,
            value,
        }
    }
}

/// The query pairs of a JSON value under `prefix`: an object's members as `prefix.Key`, a
/// list's items as `prefix.N` counted from `first` (1 for Alibaba's `Name.N`, 0 for
/// Tencent's GET form), a scalar as its text (`true`/`false`, numbers as JSON writes them).
/// An empty list or object adds nothing; `null` adds nothing.
pub fn flatten(
    prefix: &str,
    value: &serde_json::Value,
    first: usize,
    out: &mut Vec<(String, String)>,
) {
    match value {
        serde_json::Value::Object(members) => {
            for (key, member) in members {
                flatten(&format!("{prefix}.{key}"), member, first, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{}", index + first), item, first, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => out.push((prefix.to_owned(), text.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}
