//! Documented behaviour against the local emulator, driven by the case files in
//! `conformance/cases/` (format: `conformance/cases/README.md`). Each case cites the spec rule
//! or documented error it checks; a failure prints the document's sentence.

use cloudspec_codegen::spec::model::Operation;
use cloudspec_emulator::{Emulator, State};
use cloudspec_runtime::registry::{InvokeError, OperationEntry, ServiceEntry};
use cloudspec_runtime::{Config, Credentials, RetryConfig, SdkError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    service: String,
    operation: String,
    #[serde(default)]
    region: Option<String>,
    defaults: BTreeMap<String, Value>,
    images: Vec<BTreeMap<String, Value>>,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    cites: Cites,
    input: serde_json::Map<String, Value>,
    expect: Expect,
    #[serde(default)]
    expect_each: Option<Expect>,
    #[serde(default)]
    output: BTreeMap<String, Value>,
    #[serde(default)]
    deleted: Vec<String>,
    #[serde(default)]
    snapshots_deleted: Vec<String>,
    #[serde(default = "one")]
    calls: u32,
    #[serde(default)]
    credentials: Option<CredentialOverride>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialOverride {
    secret: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum Cites {
    /// A rule id of the operation.
    Rule(String),
    /// A documented error code (or variant) of the operation.
    Error(String),
    /// A requirement of DESIGN.md or the issue that is not in the document (auth errors).
    Design(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Expect {
    Ok(OkWord),
    Error { error: String },
    Status { status: u16 },
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum OkWord {
    Ok,
}

const KEY_ID: &str = "conformance-key";
const SECRET: &str = "conformance-secret";

fn load(file: &str) -> CaseFile {
    let path = cloudspec_conformance::workspace_root()
        .join("conformance/cases")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// What the document says, for the failure message; panics when the case cites something the
/// spec does not have.
fn cited_text(service: &str, operation: &Operation, cites: &Cites) -> String {
    match cites {
        Cites::Rule(id) => cloudspec_conformance::rule(service, &operation.name.value, id)
            .text
            .clone(),
        Cites::Error(code) => {
            let error = cloudspec_conformance::error(service, &operation.name.value, code);
            format!("{code}: {}", error.description)
        }
        Cites::Design(text) => text.clone(),
    }
}

fn state_json(file: &CaseFile, service: &ServiceEntry) -> Value {
    let provider = service.meta.provider.as_str();
    let account = file.defaults.get("account").cloned().unwrap_or(Value::Null);
    let images: Vec<Value> = file
        .images
        .iter()
        .map(|image| {
            let mut merged: serde_json::Map<String, Value> =
                file.defaults.clone().into_iter().collect();
            merged.extend(image.clone());
            Value::Object(merged)
        })
        .collect();
    json!({
        "access_keys": [{ "provider": provider, "id": KEY_ID, "secret": SECRET, "account": account }],
        "images": { provider: images },
    })
}

enum Outcome {
    Ok(Value),
    Service {
        code: Option<String>,
        status: u16,
        documented_code: Option<&'static str>,
        documented: bool,
    },
    Other(String),
}

async fn call(operation: &OperationEntry, config: Config, input: Value) -> Outcome {
    match (operation.invoke)(config, input).await {
        Ok(output) => Outcome::Ok(output),
        Err(InvokeError::Call(SdkError::Service(error))) => Outcome::Service {
            code: error.error.code.clone(),
            status: error.error.status,
            documented_code: error.documented.and_then(|row| row.code),
            documented: error.documented.is_some(),
        },
        Err(other) => Outcome::Other(other.to_string()),
    }
}

fn check(
    expect: &Expect,
    outcome: &Outcome,
    operation: &Operation,
    output: &BTreeMap<String, Value>,
) -> Result<(), String> {
    match (expect, outcome) {
        (Expect::Ok(_), Outcome::Ok(value)) => {
            for (key, expected) in output {
                if value.get(key) != Some(expected) {
                    return Err(format!(
                        "output `{key}` is {:?}, expected {expected}",
                        value.get(key)
                    ));
                }
            }
            Ok(())
        }
        (
            Expect::Error { error },
            Outcome::Service {
                code,
                documented,
                documented_code,
                ..
            },
        ) => {
            if code.as_deref() != Some(error.as_str()) {
                return Err(format!("got error code {code:?}, expected {error}"));
            }
            let in_document = operation.errors.iter().any(|row| {
                row.value.code.as_ref().is_some_and(|documented| {
                    documented.value == *error
                        || cloudspec_runtime::error::match_template(error, &documented.value)
                            .is_some()
                })
            });
            if in_document && !*documented {
                return Err(format!(
                    "{error} is documented but the typed error did not map to its row"
                ));
            }
            if in_document && documented_code.is_none() {
                return Err(format!("{error} mapped to a row without a code"));
            }
            Ok(())
        }
        (
            Expect::Status { status },
            Outcome::Service {
                status: got,
                documented,
                ..
            },
        ) => {
            if got != status {
                return Err(format!("got HTTP {got}, expected {status}"));
            }
            let status_only = operation
                .errors
                .iter()
                .any(|row| row.value.code.is_none() && row.value.status == Some(*status));
            if status_only && !*documented {
                return Err(format!(
                    "HTTP {status} is documented but did not map to its row"
                ));
            }
            Ok(())
        }
        (expect, Outcome::Ok(value)) => Err(format!("succeeded with {value}, expected {expect:?}")),
        (expect, Outcome::Service { code, status, .. }) => Err(format!(
            "service error {code:?} (HTTP {status}), expected {expect:?}"
        )),
        (expect, Outcome::Other(error)) => Err(format!("{error}, expected {expect:?}")),
    }
}

async fn run_file(file_name: &str) {
    let file = load(file_name);
    let service = cloudspec_services::service(&file.service)
        .unwrap_or_else(|| panic!("no generated service {}", file.service));
    let entry = service
        .operations
        .iter()
        .find(|operation| operation.meta.name == file.operation)
        .unwrap_or_else(|| panic!("{} has no operation {}", file.service, file.operation));
    let operation = cloudspec_conformance::operation(&file.service, &file.operation);
    let state_text = state_json(&file, service).to_string();
    let mut failures = Vec::new();
    for case in &file.cases {
        let cited = cited_text(&file.service, operation, &case.cites);
        let state = State::from_yaml_str(&state_text)
            .unwrap_or_else(|error| panic!("{file_name}: state: {error}"));
        let emulator = Emulator::builder()
            .state(state)
            .start()
            .await
            .expect("emulator starts on 127.0.0.1");
        let before_images: BTreeSet<String> = emulator
            .images()
            .into_iter()
            .map(|image| image.id)
            .collect();
        let before_snapshots: BTreeSet<String> = emulator
            .snapshots()
            .into_iter()
            .map(|snapshot| snapshot.id)
            .collect();
        let secret = case
            .credentials
            .as_ref()
            .map_or(SECRET, |credentials| credentials.secret.as_str());
        let mut config = Config::new(Credentials::new(KEY_ID, secret))
            .with_endpoint(emulator.endpoint())
            .with_retry(RetryConfig::disabled());
        if let Some(region) = &file.region {
            config = config.with_region(region);
        }
        let input = Value::Object(case.input.clone());
        let mut result = Ok(());
        for attempt in 1..=case.calls {
            let outcome = call(entry, config.clone(), input.clone()).await;
            let expect = if attempt == case.calls {
                &case.expect
            } else {
                case.expect_each.as_ref().unwrap_or(&Expect::Ok(OkWord::Ok))
            };
            let output = if attempt == case.calls {
                &case.output
            } else {
                &BTreeMap::new()
            };
            if let Err(problem) = check(expect, &outcome, operation, output) {
                result = Err(format!("call {attempt} of {}: {problem}", case.calls));
                break;
            }
        }
        let after_images: BTreeSet<String> = emulator
            .images()
            .into_iter()
            .map(|image| image.id)
            .collect();
        let after_snapshots: BTreeSet<String> = emulator
            .snapshots()
            .into_iter()
            .map(|snapshot| snapshot.id)
            .collect();
        let expected_images: BTreeSet<String> = before_images
            .iter()
            .filter(|id| !case.deleted.contains(id))
            .cloned()
            .collect();
        let expected_snapshots: BTreeSet<String> = before_snapshots
            .iter()
            .filter(|id| !case.snapshots_deleted.contains(id))
            .cloned()
            .collect();
        if result.is_ok() && after_images != expected_images {
            result = Err(format!(
                "images afterwards {after_images:?}, expected {expected_images:?}"
            ));
        }
        if result.is_ok() && after_snapshots != expected_snapshots {
            result = Err(format!(
                "snapshots afterwards {after_snapshots:?}, expected {expected_snapshots:?}"
            ));
        }
        emulator.shutdown().await;
        match result {
            Ok(()) => println!("ok   {} {}: {}", file.service, case.name, one_line(&cited)),
            Err(problem) => failures.push(format!(
                "FAIL {} {}\n     the document: {}\n     {problem}",
                file.service,
                case.name,
                one_line(&cited)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases in {file_name} failed:\n{}",
        failures.len(),
        file.cases.len(),
        failures.join("\n")
    );
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_case_file_is_run() {
    let dir = cloudspec_conformance::workspace_root().join("conformance/cases");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("cases folder")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "alibaba-ecs.yaml",
            "alibaba-ens.yaml",
            "alibaba-swas.yaml",
            "baidu-bcc.yaml",
            "tencent-cvm.yaml"
        ],
        "add a #[tokio::test] below for each case file"
    );
}

#[tokio::test]
async fn alibaba_ecs() {
    run_file("alibaba-ecs.yaml").await;
}

#[tokio::test]
async fn alibaba_ens() {
    run_file("alibaba-ens.yaml").await;
}

#[tokio::test]
async fn alibaba_swas() {
    run_file("alibaba-swas.yaml").await;
}

#[tokio::test]
async fn tencent_cvm() {
    run_file("tencent-cvm.yaml").await;
}

#[tokio::test]
async fn baidu_bcc() {
    run_file("baidu-bcc.yaml").await;
}
