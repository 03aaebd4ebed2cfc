//! `cargo xtask`: the one entry point for maintenance of the cloudspec workspace.
//!
//! - `cargo xtask regen`: regenerate `generated/` and `specs/spec.schema.json` from `specs/`.
//! - `cargo xtask regen --check`: regenerate in memory; fail listing every file that differs.
//! - `cargo xtask import tencent <service> --from api.json`: write the service's imported
//!   fragment from the provider's metadata.
//! - `cargo xtask conformance`: run the conformance suite.
//! - `cargo xtask bench`: measure the generator; `--compare`: every figure against its anchor.
#![forbid(unsafe_code)]

mod bench;
mod conformance;
mod import;
mod regen;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation allocates many small strings and token trees; mimalloc makes regen (and the
// benchmark that measures it) about a quarter faster than the system allocator here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintenance tasks for the cloudspec workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every crate in generated/ (and the spec JSON Schema) from specs/.
    Regen {
        /// Write nothing; exit non-zero listing the files that differ from what the
        /// generator produces (stale, edited by hand, missing or extra).
        #[arg(long)]
        check: bool,
    },
    /// Run the conformance suite and report every tier (generated client, each official
    /// SDK family, differential, signer cross-check) per API, also as Markdown and JUnit XML
    /// under target/conformance/.
    Conformance {
        /// Report the records of a run made otherwise (e.g. `cargo test --workspace`) instead
        /// of running the suite.
        #[arg(long)]
        report_only: bool,
        /// Extra arguments for `cargo test -p cloudspec-conformance`.
        #[arg(trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Import a service's operations and structures from the provider's official metadata
    /// into `specs/imported/<provider>-<service>.yaml`, leaving out what the hand-written
    /// spec of the service (the document overlay) defines and recording where they
    /// disagree. Then run `cargo xtask regen`.
    Import {
        /// The provider (only `tencent`: tccli's api.json).
        provider: String,
        /// The service's short name (`cvm`).
        service: String,
        /// The metadata file (`tccli/services/cvm/v20170312/api.json` from the tccli wheel).
        #[arg(long)]
        from: PathBuf,
        /// The examples beside it (`examples.json`).
        #[arg(long)]
        examples: Option<PathBuf>,
        /// The metadata package's version (pinned in the fragment); read from a
        /// `tccli-<version>` folder in `--from` when not given.
        #[arg(long)]
        metadata_version: Option<String>,
    },
    /// Measure regen of the checked-in specs and of a synthetic spec of 1,000 operations;
    /// with `--compare`, run every benchmark beside its anchor and print the ratios.
    Bench {
        /// Operations in the synthetic spec.
        #[arg(long, default_value_t = 1000)]
        operations: usize,
        /// Run the `cloudspec-bench` benchmarks (criterion wall time, and iai-callgrind
        /// instruction counts when `iai-callgrind-runner` is installed) and print one table:
        /// what, cloudspec figure, anchor figure, ratio, target, met or gap.
        #[arg(long)]
        compare: bool,
        /// With `--compare`: skip the instruction-count benchmarks.
        #[arg(long)]
        no_instructions: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Regen { check } => regen::run(&root, check),
        Command::Conformance { report_only, args } => conformance::run(&root, report_only, &args),
        Command::Import {
            provider,
            service,
            from,
            examples,
            metadata_version,
        } => import::run(
            &root,
            &provider,
            &service,
            &from,
            examples.as_deref(),
            metadata_version,
        ),
        Command::Bench {
            operations,
            compare,
            no_instructions,
        } => {
            if compare {
                bench::compare(&root, operations, !no_instructions)
            } else {
                bench::run(&root, operations)
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, found at run time as rust-analyzer's `project_root()` does: `cargo
/// run` sets `CARGO_MANIFEST_DIR` to this checkout's `xtask/`, even when the binary was
/// built into a `CARGO_TARGET_DIR` shared with another checkout. The compile-time value is
/// only the fallback for a binary started by hand.
fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
