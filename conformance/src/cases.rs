//! The documented-behaviour cases of `conformance/cases/*.yaml` (format:
//! `conformance/cases/README.md`), shared by every tier that runs them: the generated
//! clients (`tests/behaviour.rs`) and the official SDKs (`tests/sdk.rs`).

use std::collections::{BTreeMap, BTreeSet};

use cloudspec_codegen::spec::model::Operation;
use serde::Deserialize;
use serde_json::{Value, json};

/// One case file: the cases of one operation and the images they start from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The spec (`tencent-cvm`).
    pub service: String,
    /// The operation's documented name.
    pub operation: String,
    /// The region the client is configured with.
    #[serde(default)]
    pub region: Option<String>,
    /// Fields every image has unless it says otherwise (state-file form).
    pub defaults: BTreeMap<String, Value>,
    /// The images of the starting state (state-file form).
    pub images: Vec<BTreeMap<String, Value>>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One documented behaviour.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique within the file.
    pub name: String,
    /// What the case checks.
    pub cites: Cites,
    /// The input, keyed by documented parameter names.
    pub input: serde_json::Map<String, Value>,
    /// The outcome of the last call.
    pub expect: Expect,
    /// The outcome of every earlier call (default: success).
    #[serde(default)]
    pub expect_each: Option<Expect>,
    /// Fields the success output must have.
    #[serde(default)]
    pub output: BTreeMap<String, Value>,
    /// Images that must be gone afterwards.
    #[serde(default)]
    pub deleted: Vec<String>,
    /// Snapshots that must be gone afterwards.
    #[serde(default)]
    pub snapshots_deleted: Vec<String>,
    /// How many times the call is made.
    #[serde(default = "one")]
    pub calls: u32,
    /// Another secret to sign with.
    #[serde(default)]
    pub credentials: Option<CredentialOverride>,
    /// What an official SDK family reports instead of `expect`, where the SDK itself
    /// rewrites the service's answer (keyed by family name), with the SDK source that
    /// shows it.
    #[serde(default)]
    pub sdk: BTreeMap<String, SdkExpectation>,
}

/// An SDK family's own reading of a case's answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkExpectation {
    /// What the SDK reports for the last call.
    pub expect: Expect,
    /// Why, with the SDK file and lines that show it.
    pub because: String,
}

fn one() -> u32 {
    1
}

/// Credentials other than the case file's key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialOverride {
    /// The secret to sign with (the key id stays).
    pub secret: String,
}

/// What a case cites.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Cites {
    /// A rule id of the operation.
    Rule(String),
    /// A documented error code (or variant) of the operation.
    Error(String),
    /// A requirement that is not in the document (the providers' authentication errors).
    Design(String),
}

/// The expected outcome of a call.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expect {
    /// Success.
    Ok(OkWord),
    /// A service error with this code.
    Error {
        /// The code as received.
        error: String,
    },
    /// A service error the document knows only by its HTTP status.
    Status {
        /// The status.
        status: u16,
    },
}

/// The word `ok`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OkWord {
    /// `ok`.
    Ok,
}

/// The access key id every case signs with.
pub const KEY_ID: &str = "conformance-key";
/// The secret of [`KEY_ID`].
pub const SECRET: &str = "conformance-secret";

/// The case file names, sorted.
pub fn files() -> Vec<String> {
    let dir = crate::workspace_root().join("conformance/cases");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// Reads `conformance/cases/<file>`; panics naming the file when it does not parse.
pub fn load(file: &str) -> CaseFile {
    let path = crate::workspace_root().join("conformance/cases").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

impl CaseFile {
    /// The spec's operation; panics when the spec has none of that name.
    pub fn spec_operation(&self) -> &'static Operation {
        crate::operation(&self.service, &self.operation)
    }

    /// The starting state in the emulator's state-file form, with one key of `provider`
    /// for the account of `defaults`.
    pub fn state_json(&self, provider: &str) -> Value {
        let account = self.defaults.get("account").cloned().unwrap_or(Value::Null);
        let images: Vec<Value> = self
            .images
            .iter()
            .map(|image| {
                let mut merged: serde_json::Map<String, Value> =
                    self.defaults.clone().into_iter().collect();
                merged.extend(image.clone());
                Value::Object(merged)
            })
            .collect();
        json!({
            "access_keys": [{ "provider": provider, "id": KEY_ID, "secret": SECRET, "account": account }],
            "resources": images,
        })
    }

    /// The document reference of a case: the seed and the cited sentence or row. Panics
    /// when the case cites something the spec does not have.
    pub fn reference(&self, case: &Case) -> String {
        let source = &crate::spec(&self.service).spec.source;
        match &source.seed {
            Some(seed) => format!("seed {seed}: {}", one_line(&self.cited_text(case))),
            None => format!("{}: {}", source.title, one_line(&self.cited_text(case))),
        }
    }

    /// What the document says that the case checks.
    pub fn cited_text(&self, case: &Case) -> String {
        match &case.cites {
            Cites::Rule(id) => crate::rule(&self.service, &self.operation, id).text.clone(),
            Cites::Error(code) => {
                let error = crate::error(&self.service, &self.operation, code);
                format!("error row {code}: {}", error.description)
            }
            Cites::Design(text) => format!("(not in the document) {text}"),
        }
    }
}

impl Case {
    /// The expectation for call `attempt` (1-based) and the output fields it checks.
    pub fn expectation(&self, attempt: u32) -> (&Expect, Option<&BTreeMap<String, Value>>) {
        if attempt == self.calls {
            (&self.expect, Some(&self.output))
        } else {
            (
                self.expect_each.as_ref().unwrap_or(&Expect::Ok(OkWord::Ok)),
                None,
            )
        }
    }

    /// The secret this case signs with.
    pub fn secret(&self) -> &str {
        self.credentials
            .as_ref()
            .map_or(SECRET, |credentials| credentials.secret.as_str())
    }

    /// Checks the state afterwards: exactly `deleted` images and `snapshots_deleted`
    /// snapshots are gone from `before`.
    pub fn check_state(
        &self,
        (images_before, snapshots_before): (&BTreeSet<String>, &BTreeSet<String>),
        (images_after, snapshots_after): (&BTreeSet<String>, &BTreeSet<String>),
    ) -> Result<(), String> {
        let expected_images: BTreeSet<String> = images_before
            .iter()
            .filter(|id| !self.deleted.contains(id))
            .cloned()
            .collect();
        if *images_after != expected_images {
            return Err(format!(
                "images afterwards {images_after:?}, expected {expected_images:?}"
            ));
        }
        let expected_snapshots: BTreeSet<String> = snapshots_before
            .iter()
            .filter(|id| !self.snapshots_deleted.contains(id))
            .cloned()
            .collect();
        if *snapshots_after != expected_snapshots {
            return Err(format!(
                "snapshots afterwards {snapshots_after:?}, expected {expected_snapshots:?}"
            ));
        }
        Ok(())
    }
}

/// The documented row of `service`'s `operation` that `code` names, by the runtime's one
/// classifier ([`cloudspec_runtime::error::classify_code`]) over the generated table.
pub fn documented_row(
    service: &str,
    operation: &str,
    code: &str,
) -> Option<&'static cloudspec_runtime::DocumentedError> {
    let entry = cloudspec_services::service(service)?
        .operations
        .iter()
        .find(|entry| entry.meta.name == operation)?;
    cloudspec_runtime::error::classify_code(entry.errors, code)
}

/// `text` on one line, white space folded.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
