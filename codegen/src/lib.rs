//! cloudspec's code generator: specs in, Rust crates out.
//!
//! The generator is a library with thin front ends (`cargo xtask regen`, tests). It runs four
//! passes, one module each:
//!
//! 1. [`spec`]: parse YAML into the spec model, keeping source positions;
//! 2. [`check`]: validate what the YAML shape cannot, collecting every problem as a
//!    `file:line:col` [`Diagnostic`] with a hint;
//! 3. [`lower`]: turn each checked spec into the [`ir`], with every Rust name decided;
//! 4. [`emit`]: turn the IR into token streams with `quote` and format them with
//!    `prettyplease`.
//!
//! It is pure: it reads specs and returns files; callers decide where to write them, and
//! nothing is written when any spec has a problem.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod names;
pub mod spec;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::GeneratedFile;
pub use spec::SpecFile;

/// Why generation produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// One or more specs have problems.
    #[error("{0}")]
    Spec(#[from] Diagnostics),
    /// The generator produced invalid Rust (a bug in the generator).
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
}

/// The path, relative to the workspace root, of the spec format's JSON Schema.
pub const SCHEMA_PATH: &str = "specs/spec.schema.json";

/// Loads, checks and generates every spec in `specs_dir`: the files of every crate, plus
/// the JSON Schema of the format. Paths are relative to the workspace root.
pub fn generate_dir(specs_dir: &Path) -> Result<Vec<GeneratedFile>, GenerateError> {
    let specs = spec::load_dir(specs_dir)?;
    generate(&specs)
}

/// Checks and generates the given specs (plus the JSON Schema).
pub fn generate(specs: &[SpecFile]) -> Result<Vec<GeneratedFile>, GenerateError> {
    check::check(specs)?;
    let services: Vec<ir::Service> = specs.iter().map(lower::lower).collect();
    let mut files = Vec::new();
    for service in &services {
        files.extend(emit::service_files(service)?);
    }
    files.extend(emit::registry_files(&services)?);
    files.push(GeneratedFile { path: SCHEMA_PATH.to_owned(), contents: json_schema() });
    Ok(files)
}

/// The JSON Schema of the spec format, generated from the model.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(spec::model::Spec);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
