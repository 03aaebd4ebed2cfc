//! What share of Tencent Cloud's API the spec format expresses: every `api.json` of the
//! pinned tccli package is imported in memory (with its `examples.json`), checked and
//! generated to Rust that parses (the emitter parses every file it writes with syn). The
//! report names each service the format cannot express, with its first problem.
//!
//! The package is fetched by `.ci/run` (`pip download tccli==3.1.189.1 --no-deps`, then
//! unpacked into `target/tccli/unpacked`); `CLOUDSPEC_TCCLI_DIR` points elsewhere. Without
//! it the test says so and passes, except under `CI`, where it fails.

use std::path::{Path, PathBuf};

const TCCLI_VERSION: &str = "3.1.189.1";

fn tccli_dir() -> PathBuf {
    match std::env::var_os("CLOUDSPEC_TCCLI_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tccli/unpacked"),
    }
}

/// Every `tccli/services/<service>/<version>/api.json`, each version of each service (a
/// service with several versions is named with its version too: `cvm20170312`).
fn api_files(root: &Path) -> Vec<(String, PathBuf)> {
    let services = root.join("tccli/services");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&services) else {
        return out;
    };
    for entry in entries.filter_map(Result::ok) {
        let service = entry.file_name().to_string_lossy().into_owned();
        let mut versions: Vec<PathBuf> = std::fs::read_dir(entry.path())
            .map(|versions| {
                versions
                    .filter_map(Result::ok)
                    .map(|version| version.path().join("api.json"))
                    .filter(|path| path.is_file())
                    .collect()
            })
            .unwrap_or_default();
        versions.sort();
        let several = versions.len() > 1;
        for path in versions {
            let version: String = path
                .parent()
                .and_then(Path::file_name)
                .map(|name| {
                    name.to_string_lossy()
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect()
                })
                .unwrap_or_default();
            let name = if several {
                format!("{service}{version}")
            } else {
                service.clone()
            };
            out.push((name, path));
        }
    }
    out.sort();
    out
}

// Generating 14,000 operations takes minutes in a debug build and seconds in release:
// `.ci/run` runs this test with `cargo test ... -- --ignored`, in the dev build, where the
// generator and its hot dependencies are optimised (Cargo.toml, `[profile.dev.package]`).
#[test]
#[ignore = "needs the pinned tccli package; run by .ci/run (cargo test -p cloudspec-codegen --test tccli_coverage -- --ignored)"]
fn the_format_expresses_every_tccli_action() {
    let root = tccli_dir();
    let files = api_files(&root);
    if files.is_empty() {
        let reason = format!(
            "tccli {TCCLI_VERSION} is not unpacked at {} (run .ci/run, or set CLOUDSPEC_TCCLI_DIR)",
            root.display()
        );
        assert!(std::env::var_os("CI").is_none(), "{reason}");
        eprintln!("SKIPPED: {reason}");
        return;
    }
    let (mut actions, mut expressed, mut services_ok) = (0_usize, 0_usize, 0_usize);
    let mut failures = Vec::new();
    for (service, path) in &files {
        let api = std::fs::read_to_string(path).expect("readable api.json");
        let count = serde_json::from_str::<serde_json::Value>(&api)
            .ok()
            .and_then(|value| value["actions"].as_object().map(|actions| actions.len()))
            .unwrap_or(0);
        actions += count;
        let examples = std::fs::read_to_string(path.with_file_name("examples.json")).ok();
        let file = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let source = cloudspec_codegen::import::Source {
            package: "tccli".to_owned(),
            version: TCCLI_VERSION.to_owned(),
            file,
        };
        // Service names become crate names: letters and digits.
        let name: String = service
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let outcome =
            cloudspec_codegen::import::tencent_spec(&name, &api, examples.as_deref(), &source)
                .map_err(|error| error.to_string())
                .and_then(|yaml| {
                    let spec_path = PathBuf::from(format!("specs/tencent-{name}.yaml"));
                    let file = cloudspec_codegen::spec::load_str(&spec_path, &yaml)
                        .map_err(|diagnostics| diagnostics.to_string())?;
                    cloudspec_codegen::generate(std::slice::from_ref(&file))
                        .map_err(|error| error.to_string())
                });
        match outcome {
            Ok(_) => {
                expressed += count;
                services_ok += 1;
            }
            Err(problem) => failures.push(format!(
                "{service} ({count} actions): {}",
                problem.lines().next().unwrap_or_default()
            )),
        }
    }
    let share = 100.0 * expressed as f64 / actions.max(1) as f64;
    println!(
        "tccli {TCCLI_VERSION}: {} api.json files (services and versions), {actions} actions; the format expresses and generates {services_ok} of them, {expressed} actions ({share:.1}%)",
        files.len()
    );
    for failure in &failures {
        println!("  not expressed: {failure}");
    }
    assert!(
        actions > 10_000,
        "the pinned tccli has every service ({actions} actions found)"
    );
    assert!(
        failures.is_empty(),
        "{} services are not expressed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
