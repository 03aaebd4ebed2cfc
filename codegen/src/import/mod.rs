//! Importers: a provider's official machine-readable metadata to spec YAML, with the
//! provenance of every imported value (`cargo xtask import`). Import needs the metadata
//! file (downloaded by whoever imports); regeneration never does: the fragment it writes is
//! checked in.
//!
//! An import writes a *fragment*, `specs/imported/<provider>-<service>.yaml`, that the
//! loader merges into the hand-written spec of the same name (the document overlay). The
//! overlay always wins: an operation or structure it defines is left out of the fragment,
//! and where the metadata disagrees with it the fragment records the conflict as a fact.

mod tencent;

use std::path::Path;

use serde::Serialize;

use crate::spec::model::Spec;

/// The metadata an import reads: the package, its version, and the file in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The package (`tccli`).
    pub package: String,
    /// Its version (`3.1.189.1`), pinned in the fragment.
    pub version: String,
    /// The file inside it (`tccli/services/cvm/v20170312/api.json`).
    pub file: String,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The metadata is not the provider's `api.json` format.
    #[error("the metadata is not a tccli api.json: {0}")]
    Metadata(#[source] serde_json::Error),
    /// The examples are not the provider's `examples.json` format.
    #[error("the examples are not a tccli examples.json: {0}")]
    Examples(#[source] serde_json::Error),
    /// The fragment could not be written as YAML.
    #[error("cannot write the fragment as YAML: {0}")]
    Yaml(String),
}

const FRAGMENT_HEADER: &str = "# Imported by `cargo xtask import`; do not edit: import again instead.\n\
# Merged into the spec of the same name in `specs/`, whose document facts win (specs/README.md,\n\
# \"Imported metadata\"). Texts are the metadata's, verbatim (Chinese: `language: zh`).\n";

/// The fragment of Tencent Cloud metadata (`api.json`, and `examples.json` when given), as
/// YAML, leaving out what `overlay` (the service's hand-written spec) defines.
pub fn tencent_fragment(
    api_json: &str,
    examples_json: Option<&str>,
    overlay: Option<&Spec>,
    source: &Source,
) -> Result<String, ImportError> {
    let (fragment, _, _) = tencent::fragment(api_json, examples_json, overlay, source)?;
    let yaml =
        serde_saphyr::to_string(&fragment).map_err(|error| ImportError::Yaml(error.to_string()))?;
    Ok(format!("{FRAGMENT_HEADER}{yaml}"))
}

/// A whole spec of Tencent Cloud service `service` from its metadata alone (no document
/// overlay), as YAML: for measuring what the format expresses (the coverage test).
pub fn tencent_spec(
    service: &str,
    api_json: &str,
    examples_json: Option<&str>,
    source: &Source,
) -> Result<String, ImportError> {
    let (fragment, api_version, title) = tencent::fragment(api_json, examples_json, None, source)?;
    #[derive(Serialize)]
    struct Header<'a> {
        provider: &'static str,
        service: &'a str,
        title: String,
        api_version: String,
        protocol: &'static str,
        source: SourceOut,
        endpoints: EndpointsOut,
    }
    #[derive(Serialize)]
    struct SourceOut {
        title: String,
        seed: &'static str,
        note: String,
    }
    #[derive(Serialize)]
    struct EndpointsOut {
        global: String,
        regional: String,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        structures: &'a [tencent::StructureOut],
        operations: &'a [tencent::OperationOut],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        facts: &'a [tencent::FactOut],
    }
    let header = Header {
        provider: "tencent",
        service,
        title: title.unwrap_or_else(|| service.to_owned()),
        api_version,
        protocol: "tencent-api3",
        source: SourceOut {
            title: source.file.clone(),
            seed: "none",
            note: format!(
                "Imported from {} {} ({}) alone, with no document overlay.",
                source.package, source.version, source.file
            ),
        },
        endpoints: EndpointsOut {
            global: format!("{service}.tencentcloudapi.com"),
            regional: format!("{service}.{{region}}.tencentcloudapi.com"),
        },
    };
    let body = Body {
        structures: &fragment.structures,
        operations: &fragment.operations,
        facts: &fragment.facts,
    };
    let head =
        serde_saphyr::to_string(&header).map_err(|error| ImportError::Yaml(error.to_string()))?;
    let rest =
        serde_saphyr::to_string(&body).map_err(|error| ImportError::Yaml(error.to_string()))?;
    Ok(format!("{head}{rest}"))
}

/// Where the fragment of the spec `stem` goes, under the specs folder.
pub fn fragment_path(specs_dir: &Path, stem: &str) -> std::path::PathBuf {
    specs_dir
        .join(crate::spec::IMPORTED_DIR)
        .join(format!("{stem}.yaml"))
}
