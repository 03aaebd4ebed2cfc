//! `cargo xtask regen [--check]`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use cloudspec_codegen::{GenerateError, GeneratedFile};

/// Regenerates everything, or with `check` compares without writing.
pub fn run(root: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let files = match cloudspec_codegen::generate_dir(&root.join("specs")) {
        Ok(files) => files,
        Err(GenerateError::Spec(diagnostics)) => {
            eprintln!("{}", relative(&diagnostics.to_string(), root));
            return Ok(ExitCode::FAILURE);
        }
        Err(other) => return Err(other.into()),
    };
    let stale = stale_files(root, &files)?;
    if check {
        return Ok(report(root, &files, &stale));
    }
    for file in &files {
        let path = root.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", file.path);
    }
    for path in &stale {
        std::fs::remove_file(root.join(path)).with_context(|| format!("removing {path}"))?;
        println!("removed {path}");
    }
    println!("regenerated {} files from specs/", files.len());
    Ok(ExitCode::SUCCESS)
}

/// Files under `generated/` that the generator no longer produces.
fn stale_files(root: &Path, files: &[GeneratedFile]) -> anyhow::Result<Vec<String>> {
    let produced: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut stale = Vec::new();
    let generated = root.join("generated");
    if generated.is_dir() {
        walk(&generated, &mut |path| {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let ignored = relative.ends_with(".md") || relative.contains("/target/");
            if !ignored && !produced.contains(relative.as_str()) {
                stale.push(relative);
            }
        })?;
    }
    stale.sort();
    Ok(stale)
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path: PathBuf = entry?.path();
        if path.is_dir() {
            walk(&path, visit)?;
        } else {
            visit(&path);
        }
    }
    Ok(())
}

fn report(root: &Path, files: &[GeneratedFile], stale: &[String]) -> ExitCode {
    let mut differing = Vec::new();
    for file in files {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(current) if current == file.contents => {}
            Ok(current) => {
                let diff = similar::TextDiff::from_lines(&current, &file.contents);
                differing.push(format!(
                    "{} differs from what the generator produces:\n{}",
                    file.path,
                    diff.unified_diff()
                        .context_radius(2)
                        .header("checked in", "generated")
                ));
            }
            Err(_) => differing.push(format!("{} is missing", file.path)),
        }
    }
    for path in stale {
        differing.push(format!("{path} is not produced by any spec"));
    }
    if differing.is_empty() {
        println!(
            "generated/ is up to date with specs/ ({} files)",
            files.len()
        );
        ExitCode::SUCCESS
    } else {
        for entry in &differing {
            eprintln!("{entry}");
        }
        eprintln!(
            "error: {} generated file(s) are out of date; generated code is never edited by hand. Run `cargo xtask regen` and commit the result.",
            differing.len()
        );
        ExitCode::FAILURE
    }
}

fn relative(text: &str, root: &Path) -> String {
    text.replace(&format!("{}/", root.display()), "")
}
