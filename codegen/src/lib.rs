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
pub mod drift;
pub mod emit;
pub mod import;
pub mod ir;
pub mod lower;
pub mod names;
pub mod spec;
pub mod template;

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
    let mut jobs: Vec<Job<'_>> = services
        .iter()
        .flat_map(|service| {
            emit::plan(service)
                .into_iter()
                .map(move |job| Job::File(service, job))
        })
        .collect();
    jobs.push(Job::Registry(&services));
    let mut files = Vec::new();
    for rendered in render_in_parallel(&jobs) {
        files.extend(rendered?);
    }
    files.push(GeneratedFile {
        path: SCHEMA_PATH.to_owned(),
        contents: json_schema(),
    });
    Ok(files)
}

/// One unit of emission work.
enum Job<'a> {
    /// A file of a service's crate.
    File(&'a ir::Service, emit::FileJob),
    /// The registry crate.
    Registry(&'a [ir::Service]),
}

impl Job<'_> {
    fn run(&self) -> Result<Vec<GeneratedFile>, emit::EmitError> {
        match self {
            Job::File(service, job) => emit::render(service, *job).map(|file| vec![file]),
            Job::Registry(services) => emit::registry_files(services),
        }
    }
}

/// Runs every job, spreading them over the available cores (thread `t` takes jobs `t`,
/// `t + n`, `t + 2n`, ...). Each job is independent, so the results, returned in job order,
/// are the same whatever the thread count.
fn render_in_parallel(jobs: &[Job<'_>]) -> Vec<Result<Vec<GeneratedFile>, emit::EmitError>> {
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(jobs.len())
        .max(1);
    if threads == 1 {
        return jobs.iter().map(Job::run).collect();
    }
    let mut slots: Vec<Option<Result<Vec<GeneratedFile>, emit::EmitError>>> =
        (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(thread)
                        .step_by(threads)
                        .map(|(index, job)| (index, job.run()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            let done = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (index, result) in done {
                slots[index] = Some(result);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

/// The JSON Schema of the spec format, generated from the model.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(spec::model::Spec);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
