//! Tencent Cloud API metadata (the `api.json` and `examples.json` that the PyPI package
//! `tccli` ships under `tccli/services/<service>/<version>/`) to a spec fragment.
//!
//! The metadata's texts are Chinese; they are kept verbatim and the fragment's provenance
//! says `language: zh`. Every action becomes an operation (`POST /`, a JSON body, the
//! optional common `Region`), every object an action's input or output reaches becomes a
//! structure, and each example of `examples.json` becomes an example of its operation
//! (the request's JSON body as its input when every member is a parameter). Output is
//! sorted and written the same way every time, so importing the same file twice changes
//! nothing and a newer file shows the provider's changes as a diff.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ImportError, Source};
use crate::names;
use crate::spec::model::{Operation, RuleKind, Spec};

#[derive(Deserialize)]
struct ApiFile {
    actions: BTreeMap<String, Action>,
    objects: BTreeMap<String, Object>,
    metadata: Metadata,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    api_version: String,
    #[serde(default)]
    service_name_c_n: Option<String>,
    #[serde(default)]
    service_short_name: Option<String>,
}

#[derive(Deserialize)]
struct Action {
    #[serde(default)]
    document: String,
    input: String,
    #[serde(default)]
    name: String,
    output: String,
}

#[derive(Deserialize)]
struct Object {
    #[serde(default)]
    document: String,
    #[serde(default)]
    members: Vec<Member>,
}

#[derive(Deserialize)]
struct Member {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    member: String,
    #[serde(default, deserialize_with = "flag")]
    required: bool,
    #[serde(default)]
    document: String,
    #[serde(default, deserialize_with = "text")]
    example: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    disabled: bool,
}

/// A Boolean the metadata writes as `true`/`false` or, in a few services, `1`/`0`.
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(value) => value,
        Value::Number(number) => number.as_i64().is_some_and(|n| n != 0),
        Value::String(text) => text == "true" || text == "1",
        _ => false,
    })
}

/// A text the metadata writes as a string or, in a few services, a number.
fn text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    })
}

/// A metadata text as a spec can hold it: verbatim, except that line breaks are `\n`
/// (CR LF and lone CR become LF) and other control characters, which no Rust doc comment
/// can carry, are dropped.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| {
            (!c.is_control() || *c == '\n' || *c == '\t')
                && !matches!(
                    c,
                    '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
                )
        })
        .collect()
}

/// `value` with [`clean`] applied to every string in it.
fn clean_value(value: Value) -> Value {
    match value {
        Value::String(text) => Value::String(clean(&text)),
        Value::Array(items) => Value::Array(items.into_iter().map(clean_value).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(key, member)| (clean(&key), clean_value(member)))
                .collect(),
        ),
        other => other,
    }
}

#[derive(Deserialize)]
struct ExamplesFile {
    actions: BTreeMap<String, Vec<ExampleIn>>,
}

#[derive(Deserialize)]
struct ExampleIn {
    #[serde(default)]
    document: String,
    #[serde(default)]
    input: String,
    #[serde(default)]
    output: String,
    #[serde(default)]
    title: String,
}

// The fragment as written, in spec order of fields.

#[derive(Serialize)]
pub(super) struct FragmentOut {
    imported: ProvenanceOut,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) structures: Vec<StructureOut>,
    pub(super) operations: Vec<OperationOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) facts: Vec<FactOut>,
}

#[derive(Serialize, Clone)]
struct ProvenanceOut {
    kind: &'static str,
    name: String,
    version: String,
    file: String,
    language: &'static str,
}

#[derive(Serialize)]
pub(super) struct StructureOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rust_name: Option<String>,
    description: String,
    fields: Vec<FieldOut>,
}

#[derive(Serialize)]
struct FieldOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rust_name: Option<String>,
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    structure: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<String>,
}

#[derive(Serialize)]
pub(super) struct OperationOut {
    name: String,
    action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    description: String,
    http: HttpOut,
    parameters: Vec<ParameterOut>,
    response: ResponseOut,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    examples: Vec<ExampleOut>,
}

#[derive(Serialize)]
struct HttpOut {
    method: &'static str,
    path: &'static str,
}

#[derive(Serialize)]
struct ParameterOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rust_name: Option<String>,
    #[serde(rename = "in")]
    location: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    structure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    list_style: Option<&'static str>,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    constant: Option<String>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<String>,
}

#[derive(Serialize)]
struct ResponseOut {
    fields: Vec<ResponseFieldOut>,
}

#[derive(Serialize)]
struct ResponseFieldOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rust_name: Option<String>,
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    structure: Option<String>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<String>,
}

#[derive(Serialize)]
struct ExampleOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<ExampleRequestOut>,
    responses: Vec<ExampleResponseOut>,
}

#[derive(Serialize)]
struct ExampleRequestOut {
    raw: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    input: BTreeMap<String, Value>,
}

#[derive(Serialize)]
struct ExampleResponseOut {
    status: u16,
    format: &'static str,
    body: String,
}

#[derive(Serialize)]
pub(super) struct FactOut {
    id: String,
    text: String,
    sources: Vec<FactSourceOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict: Option<ConflictOut>,
}

#[derive(Serialize)]
struct FactSourceOut {
    kind: &'static str,
    name: String,
    version: String,
    location: String,
    quote: String,
    language: &'static str,
}

#[derive(Serialize)]
struct ConflictOut {
    spec: String,
    source: String,
    resolution: String,
}

/// What the metadata writes as the example of a member that has none ("none").
const NO_EXAMPLE: &str = "无";

/// A member's type in the spec's terms: the type, and the `items` or `structure` it names.
fn member_type(member: &Member) -> (&'static str, Option<String>, Option<String>) {
    let scalar = |name: &str| -> Option<&'static str> {
        Some(match name {
            "string" | "binary" => "string",
            "int" | "int64" => "integer",
            "uint64" => "uint64",
            "bool" => "boolean",
            "float" | "double" => "float",
            "date" | "datetime" | "datetime_iso" => "timestamp",
            _ => return None,
        })
    };
    match member.ty.as_str() {
        "list" => match scalar(&member.member) {
            Some("string") => ("string-list", None, None),
            Some(items) => ("list", Some(items.to_owned()), None),
            None => ("list", Some(member.member.clone()), None),
        },
        "object" => match scalar(&member.member) {
            // An `object` of a scalar member is that scalar (the metadata writes some so).
            Some(scalar) => (scalar, None, None),
            None => ("object", None, Some(member.member.clone())),
        },
        "int" if member.member == "uint64" => ("uint64", None, None),
        "string" if matches!(member.member.as_str(), "date" | "datetime" | "datetime_iso") => {
            ("timestamp", None, None)
        }
        other => (scalar(other).unwrap_or("string"), None, None),
    }
}

/// A member's example as the spec keeps it: cleaned, and left out when empty or `无`.
fn example_of(member: &Member) -> Option<String> {
    member
        .example
        .as_deref()
        .map(clean)
        .filter(|example| !example.is_empty() && example != NO_EXAMPLE)
}

/// A member's type as a response or structure field has it: [`member_type`], with a list
/// of strings written `list` of `string` (only parameters have `string-list`).
fn field_type(member: &Member) -> (&'static str, Option<String>, Option<String>) {
    match member_type(member) {
        ("string-list", _, structure) => ("list", Some("string".to_owned()), structure),
        other => other,
    }
}

/// Rust field names for `names`, in order: the snake case, with `_` appended to keywords
/// and a number to repeats.
fn rust_names(names_in: &[&str]) -> Vec<Option<String>> {
    let mut taken = BTreeSet::new();
    names_in
        .iter()
        .map(|name| {
            let natural = names::field_name(name);
            let mut chosen = natural.clone();
            if !names::is_plain_ident(&chosen) {
                chosen.push('_');
            }
            let mut suffix = 2;
            while !taken.insert(chosen.clone()) {
                chosen = format!("{natural}_{suffix}");
                suffix += 1;
            }
            (chosen != natural).then_some(chosen)
        })
        .collect()
}

/// The structures reachable from `roots`, in name order.
fn reachable(api: &ApiFile, roots: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        let Some(object) = api.objects.get(&name) else {
            continue;
        };
        for member in &object.members {
            let (_, items, structure) = member_type(member);
            for referenced in items.into_iter().chain(structure) {
                if api.objects.contains_key(&referenced) && seen.insert(referenced.clone()) {
                    pending.push(referenced);
                }
            }
        }
    }
    seen
}

/// Whether `value` has the type of `member` all the way down (structures looked up in
/// `api`): the example bodies of the metadata sometimes write a number as a string, or
/// leave out a required member.
fn fits(value: &Value, ty: &str, item: &str, api: &ApiFile) -> bool {
    let scalar = |name: &str, value: &Value| -> Option<bool> {
        Some(match name {
            "string" | "binary" | "date" | "datetime" | "datetime_iso" => value.is_string(),
            "int" | "int64" => value.is_i64(),
            "uint64" => value.is_u64(),
            "bool" => value.is_boolean(),
            "float" | "double" => value.is_number(),
            _ => return None,
        })
    };
    match ty {
        "list" => value
            .as_array()
            .is_some_and(|items| items.iter().all(|entry| fits(entry, "object", item, api))),
        "object" => match scalar(item, value) {
            Some(fit) => fit,
            None => match (value.as_object(), api.objects.get(item)) {
                (Some(members), Some(object)) => nested_fits(members, object, api),
                _ => false,
            },
        },
        "int" if item == "uint64" => value.is_u64(),
        other => scalar(other, value).unwrap_or(false),
    }
}

/// Whether `members` has every required member of `object` and every member fits (a
/// request's disabled members, which are no parameters, never fit).
fn object_fits(members: &serde_json::Map<String, Value>, object: &Object, api: &ApiFile) -> bool {
    object
        .members
        .iter()
        .filter(|member| member.required)
        .all(|member| members.contains_key(&member.name))
        && members.iter().all(|(key, value)| {
            object
                .members
                .iter()
                .find(|member| &member.name == key && !member.disabled)
                .is_some_and(|member| fits(value, &member.ty, &member.member, api))
        })
}

/// Whether a nested structure's `members` fit `object` (disabled members included: the
/// structure keeps them).
fn nested_fits(members: &serde_json::Map<String, Value>, object: &Object, api: &ApiFile) -> bool {
    members.iter().all(|(key, value)| {
        object
            .members
            .iter()
            .find(|member| &member.name == key)
            .is_some_and(|member| fits(value, &member.ty, &member.member, api))
    })
}

/// The examples of `action`, with the request body as the input when it fits the
/// request's members (values as the sample writes them); otherwise only the raw sample.
fn examples(found: &[ExampleIn], request: Option<&Object>, api: &ApiFile) -> Vec<ExampleOut> {
    found
        .iter()
        .enumerate()
        .map(|(index, example)| {
            let body = example
                .input
                .split_once("\n\n")
                .map(|(_, body)| body.trim())
                .unwrap_or_default();
            let input = match (serde_json::from_str::<Value>(body), request) {
                (Ok(Value::Object(members)), Some(request))
                    if object_fits(&members, request, api) =>
                {
                    members
                        .into_iter()
                        .map(|(key, value)| (key, clean_value(value)))
                        .collect()
                }
                _ => BTreeMap::new(),
            };
            ExampleOut {
                name: format!("example-{}", index + 1),
                title: (!example.title.is_empty()).then(|| clean(&example.title)),
                description: (!example.document.is_empty()).then(|| clean(&example.document)),
                request: (!example.input.is_empty()).then(|| ExampleRequestOut {
                    raw: clean(&example.input),
                    input,
                }),
                responses: vec![ExampleResponseOut {
                    status: 200,
                    format: "json",
                    body: clean(&example.output),
                }],
            }
        })
        .collect()
}

/// The numbers of the sentences of `text` that state a maximum ("最多 500 个").
fn stated_maximums(text: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for sentence in text.split(['。', '\n', ';', '；']) {
        if !sentence.contains("最多") {
            continue;
        }
        let digits: String = sentence
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(number) = digits.parse() {
            out.push((
                number,
                sentence.trim().trim_start_matches('*').trim().to_owned(),
            ));
        }
    }
    out
}

/// Where the overlay's operation and the metadata's action disagree: a documented quota
/// whose number the metadata states otherwise, and parameters whose type or requiredness
/// differ. Each is a fact with its conflict.
fn conflicts(
    overlay: &Operation,
    action: &Action,
    request: Option<&Object>,
    source: &Source,
    file: &str,
) -> Vec<FactOut> {
    let base = names::kebab_name(&overlay.name.value);
    let fact_source = |quote: String| FactSourceOut {
        kind: "metadata",
        name: source.package.clone(),
        version: source.version.clone(),
        location: format!("{file}, action {}", overlay.name.value),
        quote,
        language: "zh",
    };
    let mut out = Vec::new();
    for rule in overlay.rules.iter().map(|rule| &rule.value) {
        let Some(quantity) = rule.quantity.filter(|_| rule.kind == RuleKind::Quota) else {
            continue;
        };
        for (number, sentence) in stated_maximums(&action.document) {
            if number != quantity {
                out.push(FactOut {
                    id: format!("metadata-{base}-{}", rule.id.value),
                    text: format!(
                        "The metadata states {number} where the document's rule `{}` states {quantity}.",
                        rule.id.value
                    ),
                    sources: vec![fact_source(sentence.clone())],
                    conflict: Some(ConflictOut {
                        spec: format!("rule {}: quantity {quantity}", rule.id.value),
                        source: sentence,
                        resolution: "The document overlay wins: the spec keeps the document's number.".to_owned(),
                    }),
                });
            }
        }
    }
    for member in request.iter().flat_map(|object| &object.members) {
        let Some(parameter) = overlay
            .parameters
            .iter()
            .map(|p| &p.value)
            .find(|p| p.wire_name.as_deref().unwrap_or(&p.name.value) == member.name)
        else {
            continue;
        };
        if parameter.required != member.required {
            out.push(FactOut {
                id: format!(
                    "metadata-{base}-{}-required",
                    names::kebab_name(&member.name)
                ),
                text: format!(
                    "The metadata marks `{}` {} where the document marks it {}.",
                    member.name,
                    if member.required {
                        "required"
                    } else {
                        "optional"
                    },
                    if parameter.required {
                        "required"
                    } else {
                        "optional"
                    }
                ),
                sources: vec![fact_source(format!("\"required\": {}", member.required))],
                conflict: Some(ConflictOut {
                    spec: format!("required: {}", parameter.required),
                    source: format!("required: {}", member.required),
                    resolution: "The document overlay wins.".to_owned(),
                }),
            });
        }
    }
    out
}

/// The fragment for `api_json` (and `examples_json`), leaving out what `overlay` defines.
pub(super) fn fragment(
    api_json: &str,
    examples_json: Option<&str>,
    overlay: Option<&Spec>,
    source: &Source,
) -> Result<(FragmentOut, String, Option<String>), ImportError> {
    let api: ApiFile = serde_json::from_str(api_json).map_err(ImportError::Metadata)?;
    let samples: ExamplesFile = match examples_json {
        Some(text) => serde_json::from_str(text).map_err(ImportError::Examples)?,
        None => ExamplesFile {
            actions: BTreeMap::new(),
        },
    };
    let imported = ProvenanceOut {
        kind: "metadata",
        name: source.package.clone(),
        version: source.version.clone(),
        file: source.file.clone(),
        language: "zh",
    };
    let overlay_op = |name: &str| {
        overlay.and_then(|spec| {
            spec.operations
                .iter()
                .map(|operation| &operation.value)
                .find(|operation| operation.name.value == name)
        })
    };
    let mut operations = Vec::new();
    let mut facts = Vec::new();
    let mut roots = Vec::new();
    for (name, action) in &api.actions {
        if let Some(overlay) = overlay_op(&names::pascal_name(name)) {
            facts.extend(conflicts(
                overlay,
                action,
                api.objects.get(&action.input),
                source,
                &source.file,
            ));
            continue;
        }
        roots.push(action.input.clone());
        roots.push(action.output.clone());
        let members: Vec<&Member> = api
            .objects
            .get(&action.input)
            .map(|object| object.members.iter().filter(|m| !m.disabled).collect())
            .unwrap_or_default();
        let field_names = rust_names(&members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>());
        let mut parameters = vec![
            ParameterOut {
                name: "Action".to_owned(),
                rust_name: None,
                location: "common",
                ty: "string",
                items: None,
                structure: None,
                list_style: None,
                required: true,
                constant: Some(name.clone()),
                description: format!("Common Params. The value used for this API: {name}."),
                example: None,
            },
            ParameterOut {
                name: "Version".to_owned(),
                rust_name: None,
                location: "common",
                ty: "string",
                items: None,
                structure: None,
                list_style: None,
                required: true,
                constant: Some(api.metadata.api_version.clone()),
                description: format!(
                    "Common Params. The value used for this API: {}.",
                    api.metadata.api_version
                ),
                example: None,
            },
        ];
        if !members.iter().any(|m| m.name == "Region") {
            parameters.push(ParameterOut {
                name: "Region".to_owned(),
                rust_name: None,
                location: "common",
                ty: "string",
                items: None,
                structure: None,
                list_style: None,
                required: false,
                constant: None,
                description: "Common Params. The region (X-TC-Region).".to_owned(),
                example: None,
            });
        }
        for (member, rust_name) in members.iter().zip(field_names) {
            let (ty, items, structure) = member_type(member);
            parameters.push(ParameterOut {
                name: member.name.clone(),
                rust_name,
                location: "body",
                ty,
                items,
                structure,
                list_style: matches!(ty, "string-list").then_some("json-array"),
                required: member.required,
                constant: None,
                description: clean(&member.document),
                example: example_of(member),
            });
        }
        let outputs: Vec<&Member> = api
            .objects
            .get(&action.output)
            .map(|object| object.members.iter().collect())
            .unwrap_or_default();
        let output_names = rust_names(&outputs.iter().map(|m| m.name.as_str()).collect::<Vec<_>>());
        let fields = outputs
            .iter()
            .zip(output_names)
            .map(|(member, rust_name)| {
                let (ty, items, structure) = field_type(member);
                ResponseFieldOut {
                    name: member.name.clone(),
                    rust_name,
                    ty,
                    items,
                    structure,
                    description: clean(&member.document),
                    example: example_of(member),
                }
            })
            .collect();
        let found = samples
            .actions
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        operations.push(OperationOut {
            // Type and module names come from the operation's name, so it is PascalCase
            // (`ControlCameraPtz`); the wire keeps the action as written (`ControlCameraPTZ`).
            name: names::pascal_name(name),
            action: name.clone(),
            title: (!action.name.is_empty()).then(|| clean(&action.name)),
            description: clean(&action.document),
            http: HttpOut {
                method: "POST",
                path: "/",
            },
            examples: examples(found, api.objects.get(&action.input), &api),
            parameters,
            response: ResponseOut { fields },
        });
    }
    let defined = |name: &str| {
        overlay.is_some_and(|spec| spec.structures.iter().any(|s| s.value.name.value == name))
    };
    let structures = reachable(&api, roots)
        .into_iter()
        .filter(|name| !defined(name))
        .filter_map(|name| {
            let object = api.objects.get(&name)?;
            // Disabled members are kept in structures: responses still carry them.
            let members: Vec<&Member> = object.members.iter().collect();
            let field_names =
                rust_names(&members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>());
            let fields = members
                .iter()
                .zip(field_names)
                .map(|(member, rust_name)| {
                    let (ty, items, structure) = field_type(member);
                    FieldOut {
                        name: member.name.clone(),
                        rust_name,
                        ty,
                        items,
                        structure,
                        required: member.required,
                        description: clean(&member.document),
                        example: example_of(member),
                    }
                })
                .collect();
            let pascal = names::pascal_name(&name);
            let rust_name = if names::RESERVED_STRUCTURE_NAMES.contains(&pascal.as_str())
                || names::RESERVED_TYPES.contains(&pascal.as_str())
            {
                Some(format!("{pascal}Info"))
            } else {
                (pascal != name).then_some(pascal)
            };
            Some(StructureOut {
                name,
                rust_name,
                description: clean(&object.document),
                fields,
            })
        })
        .collect();
    Ok((
        FragmentOut {
            imported,
            structures,
            operations,
            facts,
        },
        api.metadata.api_version.clone(),
        api.metadata
            .service_name_c_n
            .clone()
            .or(api.metadata.service_short_name.clone()),
    ))
}
