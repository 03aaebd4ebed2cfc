//! Results of every conformance tier, as records that `cargo xtask conformance` gathers into
//! one report (a table per API, Markdown and JUnit XML under `target/conformance/`).
//!
//! Each test process appends its records, one JSON object a line, to a file of its own
//! in the records folder ([`records_dir`]); `xtask` reads them all after the run. A record
//! names the API, the tier, the case, its outcome and the document reference it checks, so
//! a failure in the report says which sentence of which document broke.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The tiers of the suite, in report order.
pub const TIERS: &[&str] = &[
    GENERATED_CLIENT,
    "tencentcloud-sdk-python",
    "alibabacloud-tea-openapi",
    "aliyun-python-sdk-core",
    "bce-python-sdk",
    DIFFERENTIAL,
    SIGNER_CROSS_CHECK,
];

/// The tier of documented-behaviour cases run through the generated clients.
pub const GENERATED_CLIENT: &str = "generated client";
/// The tier comparing the wire forms of the generated clients and the official SDKs.
pub const DIFFERENTIAL: &str = "differential";
/// The tier in which each side's signer checks the other side's signatures.
pub const SIGNER_CROSS_CHECK: &str = "signer cross-check";

/// How one case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It did what the document says.
    Passed,
    /// It did not; `detail` says how.
    Failed,
    /// It could not run here; `detail` gives the reason.
    Skipped,
}

/// One case of one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The spec (`alibaba-ecs`).
    pub api: String,
    /// The tier ([`TIERS`]).
    pub tier: String,
    /// The case name, unique within the API and tier.
    pub case: String,
    /// How it ended.
    pub outcome: Outcome,
    /// The document and sentence or row the case checks (`seed 003, error row
    /// InvalidImageId.InShared: ...`).
    pub reference: String,
    /// What went wrong, why it was skipped, or what was explained (an allowed wire
    /// difference and the spec fact that explains it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The folder the records go to: `$CLOUDSPEC_CONFORMANCE_DIR/records`, or
/// `target/conformance/records` under the workspace root.
pub fn records_dir() -> PathBuf {
    conformance_dir().join("records")
}

/// `$CLOUDSPEC_CONFORMANCE_DIR`, or `target/conformance` under the workspace root: where
/// the records and the report are written.
pub fn conformance_dir() -> PathBuf {
    conformance_dir_under(&workspace_root())
}

/// The workspace root (this crate's grandparent folder).
fn workspace_root() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// `$CLOUDSPEC_CONFORMANCE_DIR`, or `target/conformance` under `root`.
pub fn conformance_dir_under(root: &std::path::Path) -> PathBuf {
    match std::env::var_os("CLOUDSPEC_CONFORMANCE_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => root.join("target").join("conformance"),
    }
}

static FILE: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// Appends `record` to this process's records file. Writing is best effort: a record that
/// cannot be written is reported on stderr and the test itself still asserts.
pub fn record(record: &Record) {
    let Ok(line) = serde_json::to_string(record) else {
        return;
    };
    let Ok(mut guard) = FILE.lock() else {
        return;
    };
    if guard.is_none() {
        let dir = records_dir();
        let exe = std::env::current_exe()
            .ok()
            .and_then(|path| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "tests".to_owned());
        let path = dir.join(format!("{exe}-{}.jsonl", std::process::id()));
        match std::fs::create_dir_all(&dir).and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        }) {
            Ok(file) => *guard = Some(file),
            Err(error) => {
                eprintln!("conformance: cannot write {}: {error}", path.display());
                return;
            }
        }
    }
    if let Some(file) = guard.as_mut()
        && let Err(error) = writeln!(file, "{line}")
    {
        eprintln!("conformance: cannot write a record: {error}");
    }
}

/// Reads every record of the records folder (for `xtask`); unreadable lines are errors.
pub fn read_records(dir: &std::path::Path) -> Result<Vec<Record>, String> {
    let mut records = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(records),
        Err(error) => return Err(format!("{}: {error}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let record: Record = serde_json::from_str(line)
                .map_err(|error| format!("{}:{}: {error}", path.display(), index + 1))?;
            records.push(record);
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_a_folder() {
        let dir = std::env::temp_dir().join(format!("cloudspec-records-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let record = Record {
            api: "tencent-cvm".into(),
            tier: DIFFERENTIAL.into(),
            case: "example-1".into(),
            outcome: Outcome::Failed,
            reference: "seed 003, Example1".into(),
            detail: "method: GET != POST".into(),
        };
        let line = serde_json::to_string(&record).unwrap();
        std::fs::write(dir.join("a.jsonl"), format!("{line}\n\n{line}\n")).unwrap();
        std::fs::write(dir.join("ignored.txt"), "not a record").unwrap();
        let read = read_records(&dir).unwrap();
        assert_eq!(read, vec![record.clone(), record]);
        std::fs::write(dir.join("b.jsonl"), "{not json").unwrap();
        assert!(read_records(&dir).unwrap_err().contains("b.jsonl:1"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
