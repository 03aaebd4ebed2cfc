//! `cargo xtask import tencent <service> --from api.json [--examples examples.json]`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

/// Writes `specs/imported/<provider>-<service>.yaml` from the metadata.
pub fn run(
    root: &Path,
    provider: &str,
    service: &str,
    from: &Path,
    examples: Option<&Path>,
    metadata_version: Option<String>,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        provider == "tencent",
        "only `tencent` metadata (tccli's api.json) can be imported so far"
    );
    let api =
        std::fs::read_to_string(from).with_context(|| format!("reading {}", from.display()))?;
    let examples = examples
        .map(|path| {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
        })
        .transpose()?;
    let text = from.to_string_lossy().replace('\\', "/");
    let version = match metadata_version {
        Some(version) => version,
        None => text
            .split('/')
            .find_map(|part| part.strip_prefix("tccli-"))
            .map(|rest| rest.trim_end_matches(".dist-info").to_owned())
            .context("give --metadata-version: the path names no `tccli-<version>` folder")?,
    };
    let file = text
        .find("tccli/services/")
        .map_or_else(|| text.clone(), |index| text[index..].to_owned());
    let stem = format!("{provider}-{service}");
    let specs_dir = root.join("specs");
    let overlay_path = specs_dir.join(format!("{stem}.yaml"));
    let overlay = if overlay_path.is_file() {
        let text = std::fs::read_to_string(&overlay_path)?;
        Some(
            cloudspec_codegen::spec::load_str(&overlay_path, &text)
                .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?
                .spec,
        )
    } else {
        None
    };
    anyhow::ensure!(
        overlay.is_some(),
        "{} does not exist: write the service's spec (its header, and the operations a document describes) first",
        overlay_path.display()
    );
    let source = cloudspec_codegen::import::Source {
        package: "tccli".to_owned(),
        version,
        file,
    };
    let fragment = cloudspec_codegen::import::tencent_fragment(
        &api,
        examples.as_deref(),
        overlay.as_ref(),
        &source,
    )?;
    let path = cloudspec_codegen::import::fragment_path(&specs_dir, &stem);
    std::fs::create_dir_all(path.parent().context("a folder")?)?;
    let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == fragment);
    std::fs::write(&path, &fragment)?;
    println!(
        "{} {} ({} bytes); now run `cargo xtask regen`",
        if unchanged { "unchanged:" } else { "wrote" },
        path.strip_prefix(root).unwrap_or(&path).display(),
        fragment.len()
    );
    Ok(ExitCode::SUCCESS)
}
