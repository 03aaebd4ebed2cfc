//! `cargo xtask regen [--check]`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use cloudspec_codegen::GenerateError;
use cloudspec_codegen::drift::Drift;

/// Regenerates everything, or with `check` compares without writing (the codegen crate's
/// one drift check, which its tests use too).
pub fn run(root: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let drift = match cloudspec_codegen::drift::check(root) {
        Ok(drift) => drift,
        Err(GenerateError::Spec(diagnostics)) => {
            eprintln!("{}", relative(&diagnostics.to_string(), root));
            return Ok(ExitCode::FAILURE);
        }
        Err(other) => return Err(other.into()),
    };
    if check {
        return Ok(report(&drift));
    }
    for file in &drift.files {
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
    for path in &drift.stale {
        std::fs::remove_file(root.join(path)).with_context(|| format!("removing {path}"))?;
        println!("removed {path}");
    }
    println!("regenerated {} files from specs/", drift.files.len());
    Ok(ExitCode::SUCCESS)
}

fn report(drift: &Drift) -> ExitCode {
    if drift.is_clean() {
        println!(
            "generated/ is up to date with specs/ ({} files)",
            drift.files.len()
        );
        ExitCode::SUCCESS
    } else {
        for entry in &drift.differences {
            eprintln!("{entry}");
        }
        eprintln!(
            "error: {} generated file(s) are out of date; generated code is never edited by hand. Run `cargo xtask regen` and commit the result.",
            drift.differences.len()
        );
        ExitCode::FAILURE
    }
}

fn relative(text: &str, root: &Path) -> String {
    text.replace(&format!("{}/", root.display()), "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A scratch workspace holding a copy of the real specs.
    fn scratch(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("cloudspec-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("specs")).expect("scratch specs folder");
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        for entry in std::fs::read_dir(&real)
            .expect("real specs")
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_some_and(|ext| ext == "yaml") {
                std::fs::copy(entry.path(), root.join("specs").join(entry.file_name()))
                    .expect("copy spec");
            }
        }
        // The imported fragments the specs merge (CVM's overlay types members of its own).
        let imported = root
            .join("specs")
            .join(cloudspec_codegen::spec::IMPORTED_DIR);
        std::fs::create_dir_all(&imported).expect("scratch imported folder");
        for entry in std::fs::read_dir(real.join(cloudspec_codegen::spec::IMPORTED_DIR))
            .expect("real fragments")
            .filter_map(Result::ok)
        {
            std::fs::copy(entry.path(), imported.join(entry.file_name())).expect("copy fragment");
        }
        root
    }

    fn drift(root: &Path) -> Vec<String> {
        cloudspec_codegen::drift::check(root)
            .expect("specs generate")
            .differences
    }

    #[test]
    fn check_finds_missing_edited_and_extra_files_and_regen_fixes_them() {
        let root = scratch("drift");
        assert!(
            drift(&root)
                .iter()
                .any(|entry| entry.ends_with("is missing")),
            "a fresh tree lacks every file"
        );

        run(&root, false).expect("regen writes");
        assert!(drift(&root).is_empty(), "regen leaves no drift");

        let edited = root.join("generated/tencent-cvm/src/operation/delete_images.rs");
        let text = std::fs::read_to_string(&edited).expect("generated file");
        std::fs::write(
            &edited,
            text.replace(
                "pub struct DeleteImagesInput",
                "pub struct DeleteImagesInputEdited",
            ),
        )
        .expect("edit");
        let extra = root.join("generated/tencent-cvm/src/hand_written.rs");
        std::fs::write(&extra, "// not generated\n").expect("extra file");
        let found = drift(&root);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].starts_with("generated/tencent-cvm/src/operation/delete_images.rs differs"),
            "{}",
            found[0]
        );
        assert!(
            found[0].contains("-pub struct DeleteImagesInputEdited"),
            "the report shows the diff: {}",
            found[0]
        );
        assert_eq!(
            found[1],
            "generated/tencent-cvm/src/hand_written.rs is not produced by any spec"
        );

        run(&root, false).expect("regen writes");
        assert!(
            drift(&root).is_empty(),
            "regen restores the edit and removes the extra file"
        );
        assert!(!extra.exists());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_bad_spec_writes_nothing() {
        let root = scratch("bad");
        let spec = root.join("specs/alibaba-ecs.yaml");
        let text = std::fs::read_to_string(&spec).expect("spec");
        std::fs::write(
            &spec,
            text.replace(
                "required: false\n        default: false",
                "required: true\n        default: false",
            ),
        )
        .expect("break spec");
        run(&root, false).expect("diagnostics are reported, not an internal error");
        assert!(!root.join("generated").exists(), "nothing was written");
        let _ = std::fs::remove_dir_all(&root);
    }
}
