//! What the tiers that run the documented-behaviour cases share: a fresh emulator per case,
//! the state it ends in, and the record and report line of each case.

use std::collections::BTreeSet;

use cloudspec_conformance::cases::Case;
use cloudspec_conformance::report::{self, Outcome, Record};
use cloudspec_emulator::{Emulator, RunningEmulator, State};

/// A fresh emulator on 127.0.0.1 in the state `state_text` (state-file form).
pub async fn start(file_name: &str, state_text: &str) -> RunningEmulator {
    let state = State::from_yaml_str(state_text)
        .unwrap_or_else(|error| panic!("{file_name}: state: {error}"));
    Emulator::builder()
        .state(state)
        .start()
        .await
        .expect("emulator starts on 127.0.0.1")
}

/// The IDs of the emulator's images and snapshots (the resource types the case files
/// speak of: `images:`, `deleted`, `snapshots_deleted`).
pub fn ids(emulator: &RunningEmulator) -> (BTreeSet<String>, BTreeSet<String>) {
    let of_type = |resource_type: &str| {
        emulator
            .resources()
            .into_iter()
            .filter(|resource| resource.resource_type == resource_type)
            .map(|resource| resource.id)
            .collect()
    };
    (of_type("image"), of_type("snapshot"))
}

/// Records how `case` of `api` ended in `tier`, prints its line, and keeps a failure for
/// the test's final assertion.
pub fn finish_case(
    (api, tier): (&str, &str),
    case: &Case,
    reference: &str,
    result: Result<(), String>,
    failures: &mut Vec<String>,
) {
    report::record(&Record {
        api: api.to_owned(),
        tier: tier.to_owned(),
        case: case.name.clone(),
        outcome: if result.is_ok() {
            Outcome::Passed
        } else {
            Outcome::Failed
        },
        reference: reference.to_owned(),
        detail: result.clone().err().unwrap_or_default(),
    });
    match result {
        Ok(()) => println!("ok   {tier} {api} {}: {reference}", case.name),
        Err(problem) => failures.push(format!(
            "FAIL {tier} {api} {}\n     the document: {reference}\n     {problem}",
            case.name
        )),
    }
}

/// Every case file has its test: the list a tier's tests must match.
pub const CASE_FILES: [&str; 7] = [
    "alibaba-ecs.yaml",
    "alibaba-ens.yaml",
    "alibaba-sts.yaml",
    "alibaba-swas.yaml",
    "baidu-bcc.yaml",
    "tencent-cvm.yaml",
    "tencent-sts.yaml",
];
