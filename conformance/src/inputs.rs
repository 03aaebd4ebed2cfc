//! Valid inputs of an operation, generated from its spec with proptest: the same on every
//! run (a fixed seed), every required parameter set, each optional one half of the time,
//! values within the documented limits. The differential tier and the round-trip test send
//! them.

use cloudspec_codegen::spec::model::{
    Charset, Location, Operation, ParamType, Parameter, Spanned, StructureDef,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// Characters of generated text: letters, digits and the ones encoders disagree on
/// (space, `*`, `~`, `+`, `/`, `=`, `&`, `%`, `:`, `,`) plus non-ASCII.
const TEXT: &str = "[a-zA-Z0-9 ._~*+/=&%:,中文é-]{1,20}";
/// Text for an ASCII-only parameter.
const ASCII_TEXT: &str = "[a-zA-Z0-9 ._~*+/=&%:,-]{1,20}";
/// Text for a path segment: the unreserved characters (an ID in a path never holds `/`;
/// inventing IDs the service cannot have would test nothing the document says).
const PATH_TEXT: &str = "[a-zA-Z0-9._~-]{1,20}";

fn text_strategy(parameter: &Parameter) -> BoxedStrategy<String> {
    let limits = parameter.limits.as_ref().map(|limits| &limits.value);
    let ascii = limits.and_then(|l| l.charset) == Some(Charset::Ascii);
    let pattern = if parameter.location == Location::Path {
        PATH_TEXT
    } else if ascii {
        ASCII_TEXT
    } else {
        TEXT
    };
    let max = limits
        .and_then(|l| l.max_length)
        .and_then(|max| usize::try_from(max).ok());
    let min = limits
        .and_then(|l| l.min_length)
        .and_then(|min| usize::try_from(min).ok())
        .unwrap_or(1);
    proptest::string::string_regex(pattern)
        .expect("a valid pattern")
        .prop_map(move |text| {
            let mut text: String = match max {
                Some(max) => text.chars().take(max.max(1)).collect(),
                None => text,
            };
            while text.chars().count() < min {
                text.push('x');
            }
            text
        })
        .boxed()
}

/// How deep generated structures nest: deeper, only required fields are set.
const MAX_DEPTH: usize = 3;

/// A value of a type named as `items` writes it (a scalar, or a structure of `structures`).
fn named_strategy(
    name: &str,
    structures: &[Spanned<StructureDef>],
    depth: usize,
) -> BoxedStrategy<Value> {
    match ParamType::from_scalar_name(name) {
        Some(scalar) => shape_strategy(scalar, None, None, structures, depth),
        None => match structures.iter().find(|s| s.value.name.value == name) {
            Some(structure) => structure_strategy(&structure.value, structures, depth),
            // The check pass lets `items` name only scalars, structures and enums: an enum,
            // whose values are text.
            None => shape_strategy(ParamType::Enum, None, None, structures, depth),
        },
    }
}

/// An object of `structure`: its required fields always, the others half of the time
/// (none below [`MAX_DEPTH`]).
fn structure_strategy(
    structure: &StructureDef,
    structures: &[Spanned<StructureDef>],
    depth: usize,
) -> BoxedStrategy<Value> {
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = structure
        .fields
        .iter()
        .filter(|field| field.required || depth < MAX_DEPTH)
        .map(|field| {
            let name = field.name.clone();
            let value = shape_strategy(
                field.ty,
                field.items.as_deref(),
                field.structure.as_deref(),
                structures,
                depth + 1,
            );
            if field.required {
                value
                    .prop_map(move |value| Some((name.clone(), value)))
                    .boxed()
            } else {
                proptest::option::of(value)
                    .prop_map(move |value| value.map(|value| (name.clone(), value)))
                    .boxed()
            }
        })
        .collect();
    fields
        .prop_map(|members| Value::Object(members.into_iter().flatten().collect()))
        .boxed()
}

/// A value of any type, structures looked up in `structures`.
fn shape_strategy(
    ty: ParamType,
    items: Option<&str>,
    structure: Option<&str>,
    structures: &[Spanned<StructureDef>],
    depth: usize,
) -> BoxedStrategy<Value> {
    let text = || {
        proptest::string::string_regex(TEXT)
            .expect("a valid pattern")
            .prop_map(Value::String)
            .boxed()
    };
    match ty {
        // An enum value is text on the wire; text the enum does not know reads back as
        // `Unknown` and must be sent unchanged, so any text is a valid value.
        ParamType::String | ParamType::Enum => text(),
        ParamType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        ParamType::Integer => (0_i64..=100_000).prop_map(|n| json!(n)).boxed(),
        ParamType::Uint64 => (0_u64..=100_000).prop_map(|n| json!(n)).boxed(),
        // Quarters: exact in binary, so they read back equal.
        ParamType::Float => (0_i32..=40_000)
            .prop_map(|n| json!(f64::from(n) / 4.0))
            .boxed(),
        ParamType::Timestamp => (2000_u32..2030, 1_u32..=12, 1_u32..=28)
            .prop_map(|(y, m, d)| json!(format!("{y}-{m:02}-{d:02}T00:00:00+00:00")))
            .boxed(),
        ParamType::StringList => proptest::collection::vec(text(), 1..=3)
            .prop_map(|v| json!(v))
            .boxed(),
        ParamType::List => proptest::collection::vec(
            named_strategy(items.unwrap_or("string"), structures, depth),
            1..=2,
        )
        .prop_map(Value::Array)
        .boxed(),
        ParamType::Map => proptest::collection::btree_map(
            proptest::string::string_regex("[a-z]{1,8}").expect("a valid pattern"),
            named_strategy(items.unwrap_or("string"), structures, depth),
            0..=2,
        )
        .prop_map(|map| Value::Object(map.into_iter().collect()))
        .boxed(),
        ParamType::Object => named_strategy(structure.unwrap_or("string"), structures, depth),
    }
}

fn value_strategy(
    parameter: &Parameter,
    structures: &[Spanned<StructureDef>],
) -> BoxedStrategy<Value> {
    let limits = parameter.limits.as_ref().map(|limits| &limits.value);
    match parameter.ty.value {
        ParamType::String => text_strategy(parameter).prop_map(Value::String).boxed(),
        ParamType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        ParamType::Integer => (0_i64..=100_000).prop_map(|n| json!(n)).boxed(),
        ty @ (ParamType::Uint64
        | ParamType::Enum
        | ParamType::Float
        | ParamType::Timestamp
        | ParamType::List
        | ParamType::Object
        | ParamType::Map) => shape_strategy(
            ty,
            parameter.items.as_deref(),
            parameter.structure.as_deref(),
            structures,
            1,
        ),
        ParamType::StringList => {
            let min = limits
                .and_then(|l| l.min_items)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(1)
                .max(1);
            let max = limits
                .and_then(|l| l.max_items)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(5)
                .max(min);
            proptest::collection::vec(text_strategy(parameter), min..=max)
                .prop_map(|items| json!(items))
                .boxed()
        }
    }
}

/// `count` valid inputs of `operation` (its structures in `structures`), keyed by
/// documented parameter name, the same on every run (a fixed seed): every required
/// parameter, each optional one half of the time.
pub fn generated(
    operation: &Operation,
    structures: &[Spanned<StructureDef>],
    count: usize,
) -> Vec<Map<String, Value>> {
    let fields: Vec<(String, bool, BoxedStrategy<Value>)> = operation
        .parameters
        .iter()
        .map(|parameter| &parameter.value)
        .filter(|parameter| parameter.constant.is_none() && parameter.location != Location::Common)
        .map(|parameter| {
            (
                parameter.name.value.clone(),
                parameter.required,
                value_strategy(parameter, structures),
            )
        })
        .collect();
    let strategies: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .into_iter()
        .map(|(name, required, strategy)| {
            if required {
                strategy
                    .prop_map(move |value| Some((name.clone(), value)))
                    .boxed()
            } else {
                proptest::option::of(strategy)
                    .prop_map(move |value| value.map(|value| (name.clone(), value)))
                    .boxed()
            }
        })
        .collect();
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    (0..count)
        .map(|_| {
            let tree = strategies
                .new_tree(&mut runner)
                .expect("the strategies generate values");
            tree.current().into_iter().flatten().collect()
        })
        .collect()
}
