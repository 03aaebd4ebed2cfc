//! Documented behaviour against the local emulator, driven by the case files in
//! `conformance/cases/` (format: `conformance/cases/README.md`). Each case cites the spec rule
//! or documented error it checks; a failure prints the document's sentence.

mod common;

use cloudspec_codegen::spec::model::Operation;
use cloudspec_conformance::cases::{self, Expect, KEY_ID};
use cloudspec_conformance::report;
use cloudspec_runtime::registry::{InvokeError, OperationEntry};
use cloudspec_runtime::{Config, Credentials, RetryConfig, SdkError};
use serde_json::Value;
use std::collections::BTreeMap;

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
    file_service: &str,
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
            let in_document =
                cases::documented_row(file_service, &operation.name.value, error).is_some();
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
    let file = cases::load(file_name);
    let service = cloudspec_services::service(&file.service)
        .unwrap_or_else(|| panic!("no generated service {}", file.service));
    let entry = service
        .operations
        .iter()
        .find(|operation| operation.meta.name == file.operation)
        .unwrap_or_else(|| panic!("{} has no operation {}", file.service, file.operation));
    let operation = file.spec_operation();
    let state_text = file.state_json(service.meta.provider.as_str()).to_string();
    let mut failures = Vec::new();
    for case in &file.cases {
        let reference = file.reference(case);
        let emulator = common::start(file_name, &state_text).await;
        let before = common::ids(&emulator);
        let mut config = Config::new(Credentials::new(KEY_ID, case.secret()))
            .with_endpoint(emulator.endpoint())
            .with_retry(RetryConfig::disabled());
        if let Some(region) = &file.region {
            config = config.with_region(region);
        }
        let input = Value::Object(case.input.clone());
        let mut result = Ok(());
        for attempt in 1..=case.calls {
            let outcome = call(entry, config.clone(), input.clone()).await;
            let (expect, output) = case.expectation(attempt);
            if let Err(problem) = check(
                expect,
                &outcome,
                &file.service,
                operation,
                output.unwrap_or(&BTreeMap::new()),
            ) {
                result = Err(format!("call {attempt} of {}: {problem}", case.calls));
                break;
            }
        }
        let after = common::ids(&emulator);
        emulator.shutdown().await;
        let result =
            result.and_then(|()| case.check_state((&before.0, &before.1), (&after.0, &after.1)));
        common::finish_case(
            (&file.service, report::GENERATED_CLIENT),
            case,
            &reference,
            result,
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases in {file_name} failed:\n{}",
        failures.len(),
        file.cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_file_is_run() {
    assert_eq!(
        cases::files(),
        common::CASE_FILES,
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

#[tokio::test]
async fn alibaba_sts() {
    run_file("alibaba-sts.yaml").await;
}

#[tokio::test]
async fn tencent_sts() {
    run_file("tencent-sts.yaml").await;
}
