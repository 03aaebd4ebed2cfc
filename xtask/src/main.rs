//! `cargo xtask`: the one entry point for maintenance of the cloudspec workspace.
//!
//! - `cargo xtask regen`: regenerate `generated/` and `specs/spec.schema.json` from `specs/`.
//! - `cargo xtask regen --check`: regenerate in memory; fail listing every file that differs.
//! - `cargo xtask conformance`: run the conformance suite.
//! - `cargo xtask bench`: measure the generator.
#![forbid(unsafe_code)]

mod bench;
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
    /// Run the conformance suite (documented behaviour, snapshots, properties, compile-fail).
    Conformance {
        /// Extra arguments for the test runner.
        #[arg(trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Measure regen of the checked-in specs and of a synthetic spec of 1,000 operations.
    Bench {
        /// Operations in the synthetic spec.
        #[arg(long, default_value_t = 1000)]
        operations: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Regen { check } => regen::run(&root, check),
        Command::Conformance { args } => run_conformance(&root, &args),
        Command::Bench { operations } => bench::run(&root, operations),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn run_conformance(root: &std::path::Path, args: &[String]) -> anyhow::Result<ExitCode> {
    let nextest = std::process::Command::new("cargo")
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    let mut command = std::process::Command::new("cargo");
    if nextest {
        command.args(["nextest", "run", "-p", "cloudspec-conformance"]);
    } else {
        command.args(["test", "-p", "cloudspec-conformance"]);
    }
    let status = command.args(args).current_dir(root).status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
