//! The conformance suite's view of the specs: documents, operations, rules, errors and
//! examples looked up by name, so every case names what it checks and breaks loudly when
//! the spec it cites changes.
//!
//! The cases themselves are in `tests/`:
//!
//! - `validation.rs`: properties of the generated validators against the documented limits;
//! - `examples.rs`: every documented example request builds a valid typed input;
//! - `errors.rs`: every documented error code maps to its variant;
//! - `behaviour.rs`: documented behaviour against the local emulator.
//!
//! The compile-fail cases (trybuild) are in the crate `conformance/compile-fail`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod capture;
pub mod cases;
pub mod inputs;
pub mod oracle;
pub use cloudspec_conformance_report as report;
pub mod wire_form;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cloudspec_codegen::spec::SpecFile;
use cloudspec_codegen::spec::model::{ErrorDef, Example, Operation, Rule};

/// The workspace root: the parent of this crate's folder, taken from `CARGO_MANIFEST_DIR` at
/// run time (cargo sets it for every test it runs) and at build time only as a fallback, so
/// a test binary built in a target folder shared with another checkout reads this one.
pub fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn specs() -> &'static [SpecFile] {
    static SPECS: OnceLock<Vec<SpecFile>> = OnceLock::new();
    SPECS.get_or_init(
        || match cloudspec_codegen::spec::load_dir(&workspace_root().join("specs")) {
            Ok(specs) => specs,
            Err(diagnostics) => panic!("the specs must parse:\n{diagnostics}"),
        },
    )
}

/// The spec of `service` (`alibaba-swas`). Panics, naming what is missing, when there is none:
/// a case that cites a spec that does not exist is a broken case.
pub fn spec(service: &str) -> &'static SpecFile {
    specs()
        .iter()
        .find(|file| file.stem == service)
        .unwrap_or_else(|| panic!("no spec `specs/{service}.yaml`"))
}

/// Operation `name` of `service`.
pub fn operation(service: &str, name: &str) -> &'static Operation {
    spec(service)
        .spec
        .operations
        .iter()
        .map(|operation| &operation.value)
        .find(|operation| operation.name.value == name)
        .unwrap_or_else(|| panic!("`{service}` has no operation `{name}`"))
}

/// Rule `id` of an operation: the document's sentence a case checks.
pub fn rule(service: &str, operation_name: &str, id: &str) -> &'static Rule {
    operation(service, operation_name)
        .rules
        .iter()
        .map(|rule| &rule.value)
        .find(|rule| rule.id.value == id)
        .unwrap_or_else(|| panic!("`{service}` `{operation_name}` has no rule `{id}`"))
}

/// Example `name` of an operation.
pub fn example(service: &str, operation_name: &str, name: &str) -> &'static Example {
    operation(service, operation_name)
        .examples
        .iter()
        .map(|example| &example.value)
        .find(|example| example.name.value == name)
        .unwrap_or_else(|| panic!("`{service}` `{operation_name}` has no example `{name}`"))
}

/// The documented error with code (or, for code-less errors, variant) `code`.
pub fn error(service: &str, operation_name: &str, code: &str) -> &'static ErrorDef {
    operation(service, operation_name)
        .errors
        .iter()
        .map(|error| &error.value)
        .find(|error| {
            error.code.as_ref().map(|c| c.value.as_str()) == Some(code)
                || error.variant.as_deref() == Some(code)
        })
        .unwrap_or_else(|| panic!("`{service}` `{operation_name}` documents no error `{code}`"))
}

/// Every (service, operation) pair of every spec.
pub fn all_operations() -> Vec<(&'static str, &'static Operation)> {
    specs()
        .iter()
        .flat_map(|file| {
            file.spec
                .operations
                .iter()
                .map(move |operation| (file.stem.as_str(), &operation.value))
        })
        .collect()
}

/// The JSON input of an example request, keyed by documented parameter names, as the
/// generated input types deserialize it.
pub fn example_input(example: &Example) -> serde_json::Value {
    let input = example
        .request
        .as_ref()
        .map(|request| request.input.clone())
        .unwrap_or_default();
    serde_json::Value::Object(input.into_iter().collect())
}

/// The README's Rust examples are compiled as doctests, so the documentation a newcomer
/// copies from cannot drift from the generated API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
