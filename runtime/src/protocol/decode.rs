//! The inverse of [`super::build_request`]: a received request's parameters, read back from
//! the places the protocol put them, keyed by documented parameter name. The emulator uses it
//! to read requests; `conformance/tests/round_trip.rs` proves, for every operation of every
//! spec, that decoding what the builder sent gives back the input.

use serde_json::{Map, Value};

use crate::meta::{OperationMeta, Protocol};
use crate::registry::{ParamEntry, ParamKind};
use crate::sign::SigningRequest;
use crate::wire::{ListStyle, ParamLocation};

/// Alibaba RPC parameters that belong to the protocol (signature V1's common parameters;
/// `Format` is also sent with V3), never to an API.
pub const ALIBABA_COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "Signature",
    "SecurityToken",
];

/// Tencent API 3.0 common parameters that may travel in a GET query (the CVM document's
/// Example1 writes `?Action=DeleteImages&ImageIds.0=...&<Common request parameters>`).
pub const TENCENT_COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

/// Why a request's parameters cannot be read as the operation's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamProblem {
    /// A parameter the operation does not have (its name on the wire).
    #[error("the operation has no parameter `{0}`")]
    Unknown(String),
    /// A scalar parameter given more than once.
    #[error("parameter `{0}` is given more than once")]
    Repeated(String),
    /// A required parameter that is absent (its documented name).
    #[error("parameter `{0}` is required")]
    Missing(String),
    /// A value that is not of the parameter's type.
    #[error("parameter `{name}` is not valid: {reason}")]
    Invalid {
        /// The documented name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The body is not what the protocol sends (not a JSON object).
    #[error("the request body is not valid: {0}")]
    Body(String),
}

impl ParamProblem {
    /// The parameter the problem is about (documented or wire name); `None` for the body.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            ParamProblem::Unknown(name)
            | ParamProblem::Repeated(name)
            | ParamProblem::Missing(name)
            | ParamProblem::Invalid { name, .. } => Some(name),
            ParamProblem::Body(_) => None,
        }
    }
}

/// The base name of a list on the wire: `ImageIds.N` gives `ImageIds`.
fn base_name(wire_name: &str) -> &str {
    wire_name
        .strip_suffix(".N")
        .or_else(|| wire_name.strip_suffix(".n"))
        .unwrap_or(wire_name)
}

/// Where the pairs of one request come from, consumed as parameters claim them.
struct Pairs {
    pairs: Vec<(String, String)>,
    used: Vec<bool>,
}

impl Pairs {
    fn new(pairs: Vec<(String, String)>) -> Self {
        let used = vec![false; pairs.len()];
        Self { pairs, used }
    }

    /// Every value named exactly `name`, marking them used.
    fn take(&mut self, name: &str) -> Vec<String> {
        let mut values = Vec::new();
        for (index, (key, value)) in self.pairs.iter().enumerate() {
            if key == name {
                self.used[index] = true;
                values.push(value.clone());
            }
        }
        values
    }

    /// The items of a list sent as `Base.K` (`first` is 0 or 1), in index order.
    fn take_indexed(&mut self, base: &str, first: usize) -> Result<Option<Vec<String>>, String> {
        let prefix = format!("{base}.");
        let mut items: Vec<(usize, String)> = Vec::new();
        for (index, (key, value)) in self.pairs.iter().enumerate() {
            let Some(number) = key.strip_prefix(&prefix) else {
                continue;
            };
            let Ok(number) = number.parse::<usize>() else {
                continue;
            };
            if number < first {
                return Err(format!("`{key}`: items are numbered from {first}"));
            }
            self.used[index] = true;
            items.push((number, value.clone()));
        }
        if items.is_empty() {
            return Ok(None);
        }
        items.sort_by_key(|(number, _)| *number);
        for (position, (number, _)) in items.iter().enumerate() {
            if *number != position + first {
                return Err(format!(
                    "`{base}` items must be numbered {first}, {}, ... without gaps or repeats",
                    first + 1
                ));
            }
        }
        Ok(Some(items.into_iter().map(|(_, value)| value).collect()))
    }

    /// The value of a structure (or list of them) sent flattened as `Base.K.Field=..`
    /// (list items counted from `first`), marking the pairs used. Leaves stay text.
    fn take_nested(&mut self, base: &str, first: usize) -> Result<Option<Value>, String> {
        let prefix = format!("{base}.");
        let mut root = Value::Null;
        for (index, (key, value)) in self.pairs.iter().enumerate() {
            let Some(path) = key.strip_prefix(&prefix) else {
                continue;
            };
            self.used[index] = true;
            let mut node = &mut root;
            for segment in path.split('.') {
                if node.is_null() {
                    *node = Value::Object(Map::new());
                }
                let Value::Object(members) = node else {
                    return Err(format!("`{key}` gives a value and members at once"));
                };
                node = members.entry(segment.to_owned()).or_insert(Value::Null);
            }
            if !node.is_null() {
                return Err(format!("`{key}` is given more than once"));
            }
            *node = Value::String(value.clone());
        }
        if root.is_null() {
            return Ok(None);
        }
        Ok(Some(lists_from_indexes(root, first)?))
    }

    /// The first name no parameter claimed.
    fn first_unused(&self, ignore: &[&str]) -> Option<String> {
        self.pairs
            .iter()
            .zip(&self.used)
            .find(|((name, _), used)| !**used && !ignore.contains(&name.as_str()))
            .map(|((name, _), _)| name.clone())
    }
}

/// `value` with every object whose keys are all `first`, `first + 1`, ... turned into a
/// list in that order.
fn lists_from_indexes(value: Value, first: usize) -> Result<Value, String> {
    let Value::Object(members) = value else {
        return Ok(value);
    };
    let indexes: Option<Vec<usize>> = members.keys().map(|key| key.parse().ok()).collect();
    match indexes {
        Some(mut indexes) if !indexes.is_empty() => {
            indexes.sort_unstable();
            if indexes
                .iter()
                .enumerate()
                .any(|(position, index)| *index != position + first)
            {
                return Err(format!(
                    "list items must be numbered {first}, {}, ... without gaps",
                    first + 1
                ));
            }
            let mut items: Vec<(usize, Value)> = Vec::new();
            for (key, member) in members {
                let index: usize = key.parse().unwrap_or_default();
                items.push((index, lists_from_indexes(member, first)?));
            }
            items.sort_by_key(|(index, _)| *index);
            Ok(Value::Array(
                items.into_iter().map(|(_, item)| item).collect(),
            ))
        }
        _ => {
            let mut out = Map::new();
            for (key, member) in members {
                out.insert(key, lists_from_indexes(member, first)?);
            }
            Ok(Value::Object(out))
        }
    }
}

/// A scalar from its text on the wire, by kind.
fn scalar(param: &ParamEntry, text: &str) -> Result<Value, ParamProblem> {
    let invalid = |reason: &str| ParamProblem::Invalid {
        name: param.documented_name.to_owned(),
        reason: reason.to_owned(),
    };
    match param.kind {
        ParamKind::String | ParamKind::StringList => Ok(Value::String(text.to_owned())),
        // Booleans in any case: the official SDKs send Python's `True`/`False`
        // (specs: fact `sdks-write-booleans-as-python-text`).
        ParamKind::Boolean if text.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        ParamKind::Boolean if text.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        ParamKind::Boolean => Err(invalid("expected true or false")),
        ParamKind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| invalid("expected a whole number")),
        ParamKind::Unsigned => text
            .trim()
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| invalid("expected a whole number of at least 0")),
        ParamKind::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| invalid("expected a number")),
        ParamKind::Json => serde_json::from_str(text).map_err(|_| invalid("expected JSON")),
    }
}

/// A parameter's value from a JSON body member.
fn from_json(param: &ParamEntry, value: &Value) -> Result<Value, ParamProblem> {
    let invalid = |reason: &str| ParamProblem::Invalid {
        name: param.documented_name.to_owned(),
        reason: reason.to_owned(),
    };
    match (param.kind, value) {
        (ParamKind::StringList, Value::String(text))
            if param.list_style == Some(ListStyle::JsonInString) =>
        {
            json_in_string(param, text)
        }
        (ParamKind::StringList, Value::Array(items)) => {
            if items.iter().all(Value::is_string) {
                Ok(value.clone())
            } else {
                Err(invalid("expected an array of strings"))
            }
        }
        (ParamKind::StringList, _) => Err(invalid("expected an array of strings")),
        (ParamKind::String, Value::String(_)) => Ok(value.clone()),
        (ParamKind::String, _) => Err(invalid("expected a string")),
        (ParamKind::Boolean, Value::Bool(_)) => Ok(value.clone()),
        (ParamKind::Boolean | ParamKind::Integer, Value::String(text)) => scalar(param, text),
        (ParamKind::Boolean, _) => Err(invalid("expected true or false")),
        (ParamKind::Integer, Value::Number(number)) if number.is_i64() => Ok(value.clone()),
        (ParamKind::Integer, _) => Err(invalid("expected a whole number")),
        (ParamKind::Unsigned, Value::Number(number)) if number.is_u64() => Ok(value.clone()),
        (ParamKind::Float, Value::Number(_)) => Ok(value.clone()),
        (ParamKind::Unsigned | ParamKind::Float, Value::String(text)) => scalar(param, text),
        (ParamKind::Unsigned, _) => Err(invalid("expected a whole number of at least 0")),
        (ParamKind::Float, _) => Err(invalid("expected a number")),
        // The typed input decides whether the value has the structure's shape.
        (ParamKind::Json, _) => Ok(value.clone()),
    }
}

/// A `JsonInString` list: one string holding a JSON array of strings or, when it does not
/// start with `[`, the items separated by commas (SWAS: "Separate multiple image IDs with
/// commas."; specs/README.md, `json-in-string`), none of them blank.
fn json_in_string(param: &ParamEntry, text: &str) -> Result<Value, ParamProblem> {
    let invalid = |reason: &str| ParamProblem::Invalid {
        name: param.documented_name.to_owned(),
        reason: reason.to_owned(),
    };
    if !text.trim_start().starts_with('[') {
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.iter().any(|item| item.is_empty()) {
            return Err(invalid(
                "expected a JSON array of strings, or items separated by commas, none blank",
            ));
        }
        return Ok(Value::from(items));
    }
    match serde_json::from_str::<Vec<String>>(text) {
        Ok(items) => Ok(Value::from(items)),
        Err(_) => Err(invalid(
            "expected one string holding a JSON array of strings",
        )),
    }
}

/// A parameter from query-style pairs (query string, form body, Tencent GET).
fn from_pairs(param: &ParamEntry, pairs: &mut Pairs) -> Result<Option<Value>, ParamProblem> {
    let invalid = |reason: String| ParamProblem::Invalid {
        name: param.documented_name.to_owned(),
        reason,
    };
    let base = base_name(param.wire_name);
    match (param.kind, param.list_style) {
        (ParamKind::StringList, Some(ListStyle::JsonInString)) => match pairs.take(base).as_slice()
        {
            [] => Ok(None),
            [text] => json_in_string(param, text).map(Some),
            _ => Err(ParamProblem::Repeated(base.to_owned())),
        },
        (ParamKind::Json, Some(ListStyle::JsonInString)) => match pairs.take(base).as_slice() {
            [] => Ok(None),
            [text] => scalar(param, text).map(Some),
            _ => Err(ParamProblem::Repeated(base.to_owned())),
        },
        (ParamKind::Json, style) => {
            let first = if style == Some(ListStyle::Flattened) {
                1
            } else {
                0
            };
            pairs.take_nested(base, first).map_err(invalid)
        }
        (ParamKind::StringList, style) => {
            let first = if style == Some(ListStyle::Flattened) {
                1
            } else {
                0
            };
            pairs
                .take_indexed(base, first)
                .map(|items| items.map(Value::from))
                .map_err(invalid)
        }
        _ => match pairs.take(param.wire_name).as_slice() {
            [] => Ok(None),
            [text] => scalar(param, text).map(Some),
            _ => Err(ParamProblem::Repeated(param.wire_name.to_owned())),
        },
    }
}

/// The values of the placeholders of `template` in `path` (both decoded), by name; `None`
/// when the path does not have the template's shape.
pub fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut values = Vec::new();
    let mut rest_template = template;
    let mut rest_path = path;
    loop {
        let Some(open) = rest_template.find('{') else {
            return (rest_template == rest_path).then_some(values);
        };
        let literal = &rest_template[..open];
        rest_path = rest_path.strip_prefix(literal)?;
        let after = &rest_template[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        rest_template = &after[close + 1..];
        let end = match rest_template.find('{') {
            _ if rest_template.is_empty() => rest_path.len(),
            Some(next) => rest_path.find(&rest_template[..next])?,
            None => rest_path.rfind(rest_template)?,
        };
        let value = &rest_path[..end];
        if value.is_empty() {
            return None;
        }
        values.push((name.to_owned(), value.to_owned()));
        rest_path = &rest_path[end..];
    }
}

/// Reads the parameters of `meta` (described by `params`, the registry's entries) from a
/// received request, keyed by documented name: the inverse of
/// [`super::build_request`]. The protocol's own parameters (signature V1's, Tencent's
/// common ones) are skipped; common parameters of the API (Tencent `Region`) are left to the
/// protocol and not returned. Required parameters must be present; a parameter the
/// operation does not have is [`ParamProblem::Unknown`]. Limits are not checked here: the
/// generated validator does that.
pub fn decode_params(
    meta: &OperationMeta,
    params: &[ParamEntry],
    request: &SigningRequest,
) -> Result<Map<String, Value>, ParamProblem> {
    let protocol = meta.service.protocol;
    let form = request.header("content-type").is_some_and(|value| {
        value
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    let mut pair_list = request.query.clone();
    if form {
        pair_list.extend(
            form_urlencoded::parse(&request.body)
                .map(|(name, value)| (name.into_owned(), value.into_owned())),
        );
    }
    let mut pairs = Pairs::new(pair_list);
    let body: Option<Map<String, Value>> =
        if form || request.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else if protocol == Protocol::AlibabaRpc {
            return Err(ParamProblem::Body(
                "Alibaba RPC parameters travel in the query, not in a body".to_owned(),
            ));
        } else {
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(Value::Object(object)) => Some(object),
                Ok(_) => return Err(ParamProblem::Body("expected a JSON object".to_owned())),
                Err(error) => return Err(ParamProblem::Body(format!("not JSON: {error}"))),
            }
        };
    let path_values = if params
        .iter()
        .any(|param| param.location == ParamLocation::Path)
    {
        match_path(meta.path, &request.path).unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut out = Map::new();
    let mut body_used: Vec<&str> = Vec::new();
    for param in params {
        if param.location == ParamLocation::Common {
            continue;
        }
        let value = match param.location {
            ParamLocation::Path => path_values
                .iter()
                .find(|(name, _)| name == param.wire_name)
                .map(|(_, value)| scalar(param, value))
                .transpose()?,
            ParamLocation::Header => match request.header(param.wire_name) {
                Some(text) => Some(scalar(param, text)?),
                None => None,
            },
            ParamLocation::Body | ParamLocation::Query => {
                let base = base_name(param.wire_name);
                let member = body.as_ref().and_then(|body| body.get(base));
                match member {
                    Some(member) => {
                        body_used.push(base);
                        Some(from_json(param, member)?)
                    }
                    None => from_pairs(param, &mut pairs)?,
                }
            }
            ParamLocation::Common => None,
        };
        match value {
            Some(value) => {
                out.insert(param.documented_name.to_owned(), value);
            }
            None if param.required => {
                return Err(ParamProblem::Missing(param.documented_name.to_owned()));
            }
            None => {}
        }
    }
    let protocol_params: &[&str] = match protocol {
        Protocol::AlibabaRpc => ALIBABA_COMMON_PARAMS,
        Protocol::TencentApi3 => TENCENT_COMMON_PARAMS,
        Protocol::BaiduRest | Protocol::InstanceMetadata => &[],
    };
    if let Some(unknown) = pairs.first_unused(protocol_params) {
        return Err(ParamProblem::Unknown(unknown));
    }
    if let Some(body) = &body
        && let Some(unknown) = body.keys().find(|key| !body_used.contains(&key.as_str()))
    {
        return Err(ParamProblem::Unknown(unknown.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_match_and_capture() {
        let values = match_path("/v{version}/image/{imageId}", "/v2/image/m-1").unwrap();
        assert_eq!(
            values,
            [
                ("version".to_owned(), "2".to_owned()),
                ("imageId".to_owned(), "m-1".to_owned())
            ]
        );
        assert_eq!(
            match_path("/v{version}/image/{imageId}", "/v2/image/a/b").unwrap()[1].1,
            "a/b",
            "the last placeholder takes the rest"
        );
        assert!(match_path("/v{version}/image/{imageId}", "/v2/images/m-1").is_none());
        assert!(match_path("/v{version}/image/{imageId}", "/v2/image/").is_none());
        assert_eq!(match_path("/", "/"), Some(Vec::new()));
        assert!(match_path("/", "/x").is_none());
    }
}
