//! The one drift check: how the checked-in `generated/` tree differs from what the specs
//! generate. `cargo xtask regen --check` and the codegen test suite both call it, as
//! rust-analyzer's xtask does, so the golden output lives in one place: `generated/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{GenerateError, GeneratedFile};

/// What the generator produces from `specs/` and how the checked-in tree differs from it.
#[derive(Debug)]
pub struct Drift {
    /// Every file the generator produces.
    pub files: Vec<GeneratedFile>,
    /// Files under `generated/` that no spec produces (paths relative to the root).
    pub stale: Vec<String>,
    /// One entry per difference: a changed file with its diff, a missing file, a stale file.
    pub differences: Vec<String>,
}

impl Drift {
    /// Whether the checked-in tree is exactly the generator's output.
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Generates from `root/specs` and compares with `root/generated` (and the other files the
/// generator writes, such as `specs/spec.schema.json`), reading but never writing.
pub fn check(root: &Path) -> Result<Drift, GenerateError> {
    let files = crate::generate_dir(&root.join("specs"))?;
    let stale = stale_files(root, &files);
    let mut differences = Vec::new();
    for file in &files {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(current) if current == file.contents => {}
            Ok(current) => {
                let diff = similar::TextDiff::from_lines(&current, &file.contents);
                differences.push(format!(
                    "{} differs from what the generator produces:\n{}",
                    file.path,
                    diff.unified_diff()
                        .context_radius(2)
                        .header("checked in", "generated")
                ));
            }
            Err(_) => differences.push(format!("{} is missing", file.path)),
        }
    }
    for path in &stale {
        differences.push(format!("{path} is not produced by any spec"));
    }
    Ok(Drift {
        files,
        stale,
        differences,
    })
}

/// Files under `generated/` that the generator no longer produces (Markdown and build
/// output are not the generator's).
fn stale_files(root: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let produced: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut stale = Vec::new();
    let mut pending: Vec<PathBuf> = vec![root.join("generated")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let ignored = relative.ends_with(".md") || relative.contains("/target/");
            if !ignored && !produced.contains(relative.as_str()) {
                stale.push(relative);
            }
        }
    }
    stale.sort();
    stale
}
