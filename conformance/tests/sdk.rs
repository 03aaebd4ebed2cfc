//! The SDK tier: every documented-behaviour case of `conformance/cases/` runs through each
//! official SDK family of its provider (`cloudspec_conformance::oracle`), against a fresh
//! emulator, with the same expectations as the generated clients: outcome, code, HTTP status
//! (where the SDK exposes it and the document states it) and the state afterwards.
//!
//! An emulator written from the same reading of the documents as the clients proves only
//! self-agreement; the SDKs were written by the providers, so a case that passes here and
//! through the generated client is the document's behaviour as the providers' own code sees
//! it. Without the SDKs (no `.venv-oracles`) every case is recorded as skipped with the
//! reason, and the test fails when `CI` is set.

mod common;

use std::collections::BTreeMap;

use cloudspec_conformance::cases::{self, CaseFile, Expect, KEY_ID};
use cloudspec_conformance::oracle::{self, Family, Keys, Oracle, SdkOutcome};
use cloudspec_conformance::report::{self, Outcome, Record};
use serde_json::Value;

/// Compares one SDK outcome with the case's expectation.
fn check(
    file: &CaseFile,
    expect: &Expect,
    outcome: &SdkOutcome,
    output: Option<&BTreeMap<String, Value>>,
) -> Result<(), String> {
    match (expect, outcome) {
        (Expect::Ok(_), SdkOutcome::Ok { output: got, .. }) => {
            for (key, expected) in output.into_iter().flatten() {
                if got.get(key) != Some(expected) {
                    return Err(format!(
                        "output `{key}` is {:?}, expected {expected} (SDK output {got})",
                        got.get(key)
                    ));
                }
            }
            Ok(())
        }
        (Expect::Error { error }, SdkOutcome::Error { code, status, .. }) => {
            if code.as_deref() != Some(error.as_str()) {
                return Err(format!("the SDK raised code {code:?}, expected {error}"));
            }
            let documented = cases::documented_row(&file.service, &file.operation, error)
                .and_then(|row| row.status);
            match (documented, status) {
                (Some(documented), Some(status)) if documented != *status => Err(format!(
                    "the SDK saw HTTP {status}, the document's row says {documented}"
                )),
                _ => Ok(()),
            }
        }
        (Expect::Status { status }, SdkOutcome::Error { status: got, .. }) => match got {
            Some(got) if got == status => Ok(()),
            Some(got) => Err(format!("the SDK saw HTTP {got}, expected {status}")),
            None => Err(format!(
                "the SDK's exception carries no HTTP status; expected {status}"
            )),
        },
        (expect, SdkOutcome::Ok { output, .. }) => Err(format!(
            "the SDK returned success {output}, expected {expect:?}"
        )),
        (
            expect,
            SdkOutcome::Error {
                code,
                status,
                message,
                ..
            },
        ) => Err(format!(
            "the SDK raised {code:?} (HTTP {status:?}: {message:?}), expected {expect:?}"
        )),
        (expect, SdkOutcome::Crash(text)) => Err(format!(
            "the SDK failed abnormally: {text}; expected {expect:?}"
        )),
    }
}

/// Runs every case of `file_name` through `family`; the failures.
async fn run_family(
    oracle: &std::sync::Arc<Oracle>,
    file_name: &str,
    family: &Family,
) -> Vec<String> {
    let file = cases::load(file_name);
    let provider = cloudspec_conformance::spec(&file.service)
        .spec
        .provider
        .as_str();
    let state_text = file.state_json(provider).to_string();
    let mut failures = Vec::new();
    for case in &file.cases {
        let reference = file.reference(case);
        let emulator = common::start(file_name, &state_text).await;
        let before = common::ids(&emulator);
        let request = oracle::call_request(
            family,
            &file.service,
            &file.operation,
            &emulator.endpoint(),
            file.region.as_deref(),
            Keys {
                id: KEY_ID,
                secret: case.secret(),
            },
            &case.input,
        );
        let mut result = Ok(());
        for attempt in 1..=case.calls {
            let outcome = match oracle.ask(request.clone()).await {
                Ok(answer) => SdkOutcome::from_answer(&answer),
                Err(error) => SdkOutcome::Crash(error.to_string()),
            };
            let (mut expect, output) = case.expectation(attempt);
            let sdk_reading = case.sdk.get(family.name).filter(|_| attempt == case.calls);
            if let Some(reading) = sdk_reading {
                println!(
                    "     {}: {}",
                    family.name,
                    cases::one_line(&reading.because)
                );
                expect = &reading.expect;
            }
            if let Err(problem) = check(&file, expect, &outcome, output) {
                result = Err(format!("call {attempt} of {}: {problem}", case.calls));
                break;
            }
        }
        let after = common::ids(&emulator);
        emulator.shutdown().await;
        let result =
            result.and_then(|()| case.check_state((&before.0, &before.1), (&after.0, &after.1)));
        common::finish_case(
            (&file.service, family.name),
            case,
            &reference,
            result,
            &mut failures,
        );
    }
    failures
}

/// Records every case of `file_name` for `family` as skipped, and fails in CI.
fn skip(file_name: &str, family: &Family, reason: &str) {
    let file = cases::load(file_name);
    for case in &file.cases {
        report::record(&Record {
            api: file.service.clone(),
            tier: family.name.to_owned(),
            case: case.name.clone(),
            outcome: Outcome::Skipped,
            reference: file.reference(case),
            detail: reason.to_owned(),
        });
    }
    println!("SKIPPED {} {}: {reason}", family.name, file.service);
    assert!(
        !oracle::in_ci(),
        "the SDK tier must run in CI, but {}: {reason}",
        family.name
    );
}

async fn run_file(file_name: &str) {
    let file = cases::load(file_name);
    let provider = cloudspec_conformance::spec(&file.service)
        .spec
        .provider
        .as_str();
    let mut failures = Vec::new();
    let mut ran = 0;
    for family in oracle::families_of(provider) {
        let oracle = match Oracle::shared() {
            Ok(oracle) => oracle,
            Err(error) => {
                skip(file_name, family, &error.to_string());
                continue;
            }
        };
        if let Err(error) = oracle.check_family(family.name) {
            skip(file_name, family, &error.to_string());
            continue;
        }
        println!("{}: {}", family.name, oracle.versions(family.name));
        failures.extend(run_family(&oracle, file_name, family).await);
        ran += 1;
    }
    assert!(
        failures.is_empty(),
        "{} SDK case runs of {file_name} failed ({ran} families ran):\n{}",
        failures.len(),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_ecs() {
    run_file("alibaba-ecs.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_ens() {
    run_file("alibaba-ens.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_swas() {
    run_file("alibaba-swas.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_cvm() {
    run_file("tencent-cvm.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baidu_bcc() {
    run_file("baidu-bcc.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_sts() {
    run_file("alibaba-sts.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_sts() {
    run_file("tencent-sts.yaml").await;
}
