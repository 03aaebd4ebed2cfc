//! The differential tier of the instance-metadata specs, whose operations no product SDK
//! calls: each provider's own instance-role credentials provider (alibabacloud-credentials'
//! EcsRamRoleCredentialsProvider, tencentcloud-sdk-python's CVMRoleCredential, driven by the
//! oracle's `instance_role` op) reads an emulator that plays an instance with a role,
//! through a relay on 127.0.0.1 that records every request.
//!
//! - The emulator serves the SDK: the SDK ends with credentials, expiring when the spec's
//!   `issues_credentials` says (its `default_duration_seconds`, by the emulator's clock).
//! - The generated client sends what the SDK sends: every request the SDK sent is routed to
//!   the spec's operation by method and path, its parameters are read back with the
//!   runtime's decoder, and the generated client sends them; the two canonical wire forms
//!   must be equal.
//! - The spec is all the SDK reads: every operation of the spec is one the SDK called.

use cloudspec_codegen::spec::model::{Operation, Protocol};
use cloudspec_conformance::capture::{CaptureServer, Captured};
use cloudspec_conformance::oracle::{self, Oracle};
use cloudspec_conformance::report::{self, Outcome, Record};
use cloudspec_conformance::wire_form::{WireForm, compare};
use cloudspec_emulator::{Emulator, Provider as EmulatorProvider};
use cloudspec_runtime::protocol::decode::match_path;
use cloudspec_runtime::protocol::decode_params;
use cloudspec_runtime::registry::OperationEntry;
use cloudspec_runtime::{Config, RetryConfig};
use serde_json::{Value, json};

/// The role of the instance the emulator plays, and its account.
const ROLE: &str = "conformance-instance-role";
const ACCOUNT: &str = "1000000000000001";

/// How far the SDK's expiry may be from the emulator's clock plus the spec's lifetime: the
/// emulator runs on the real clock here, and the SDK reads a moment after the mint.
const EXPIRY_SLACK_SECONDS: i64 = 60;

fn record(api: &str, case: String, reference: String, result: &Result<String, String>) {
    let (outcome, detail) = match result {
        Ok(detail) => (Outcome::Passed, detail.clone()),
        Err(problem) => (Outcome::Failed, problem.clone()),
    };
    report::record(&Record {
        api: api.to_owned(),
        tier: report::DIFFERENTIAL.to_owned(),
        case,
        outcome,
        reference,
        detail,
    });
}

/// Where a spec operation comes from, for the report.
fn reference(service: &str, operation: &Operation) -> String {
    match &operation.provenance {
        Some(provenance) => format!(
            "{} {} {}",
            provenance.name.as_deref().unwrap_or_default(),
            provenance.version.as_deref().unwrap_or_default(),
            provenance.file.as_deref().unwrap_or_default()
        ),
        None => cloudspec_conformance::spec(service)
            .spec
            .source
            .title
            .clone(),
    }
}

/// The operation of `entry` a request is for: its method, and a path its template matches.
fn route(entry: &'static [OperationEntry], captured: &Captured) -> Option<&'static OperationEntry> {
    entry.iter().find(|operation| {
        operation
            .meta
            .method
            .eq_ignore_ascii_case(&captured.request.method)
            && match_path(operation.meta.path, &captured.request.path).is_some()
    })
}

async fn run_service(service: &str) {
    let spec = &cloudspec_conformance::spec(service).spec;
    assert_eq!(spec.protocol.value, Protocol::InstanceMetadata, "{service}");
    let provider = spec.provider.as_str();
    let entry = cloudspec_services::service(service)
        .unwrap_or_else(|| panic!("no generated service {service}"));
    let emulator_provider = match provider {
        "alibaba" => EmulatorProvider::Alibaba,
        "tencent" => EmulatorProvider::Tencent,
        other => panic!("no instance role for provider {other}"),
    };
    let lifetime = spec
        .operations
        .iter()
        .find_map(|operation| operation.value.issues_credentials.as_ref())
        .map(|issues| i64::try_from(issues.value.default_duration_seconds).unwrap_or(i64::MAX))
        .unwrap_or_else(|| panic!("{service}: no operation issues credentials"));
    let mut failures = Vec::new();
    let mut families = 0;
    for family in oracle::instance_role_families_of(provider) {
        families += 1;
        let oracle = match Oracle::shared().and_then(|oracle| {
            oracle.check_family(family.name)?;
            Ok(oracle)
        }) {
            Ok(oracle) => oracle,
            Err(error) => {
                report::record(&Record {
                    api: service.to_owned(),
                    tier: report::DIFFERENTIAL.to_owned(),
                    case: format!("{} instance-role provider", family.name),
                    outcome: Outcome::Skipped,
                    reference: spec.source.title.clone(),
                    detail: error.to_string(),
                });
                println!("SKIPPED {} {service}: {error}", family.name);
                assert!(
                    !oracle::in_ci(),
                    "the instance-role tier must run in CI, but {}: {error}",
                    family.name
                );
                continue;
            }
        };
        let emulator = Emulator::builder()
            .instance_role(emulator_provider, ROLE, ACCOUNT)
            .start()
            .await
            .expect("emulator on 127.0.0.1");
        let relay = CaptureServer::relay(&emulator.endpoint())
            .await
            .expect("relay on 127.0.0.1");
        let host = relay.endpoint.trim_start_matches("http://").to_owned();

        // The emulator serves the SDK.
        let answer = oracle
            .ask(json!({ "op": "instance_role", "family": family.name, "endpoint": host, "role": null }))
            .await;
        let now = emulator.clock().now().as_second();
        let served = match answer {
            Err(error) => Err(format!("the oracle failed: {error}")),
            Ok(answer) if answer["outcome"] != "ok" => Err(format!(
                "the SDK's provider failed against the emulator: {} {}",
                answer["exception"], answer["text"]
            )),
            Ok(answer) => {
                let credentials = &answer["credentials"];
                let text = |name: &str| credentials[name].as_str().unwrap_or_default().to_owned();
                let expiration = credentials["expiration"].as_i64().unwrap_or_default();
                if text("id").is_empty() || text("secret").is_empty() || text("token").is_empty() {
                    Err(format!(
                        "the SDK's credentials are incomplete: {credentials}"
                    ))
                } else if (expiration - (now + lifetime)).abs() > EXPIRY_SLACK_SECONDS {
                    Err(format!(
                        "the SDK reads an expiry of {expiration}, the spec says {lifetime} s after {now}"
                    ))
                } else {
                    Ok(format!(
                        "the SDK read credentials expiring in {} s",
                        expiration - now
                    ))
                }
            }
        };
        if let Err(problem) = &served {
            failures.push(format!("FAIL {service} {}: {problem}", family.name));
        }
        record(
            service,
            format!("{} instance-role provider reads the emulator", family.name),
            format!(
                "{}: issues_credentials (default_duration_seconds {lifetime})",
                spec.source.title
            ),
            &served,
        );

        // The generated client sends what the SDK sent.
        let mut seen = 0;
        let sdk_sent = relay.take_new(&mut seen);
        let mut called = Vec::new();
        for (index, sdk_request) in sdk_sent.iter().enumerate() {
            let case = format!("{} request {}", family.name, index + 1);
            let Some(operation) = route(entry.operations, sdk_request) else {
                let problem = format!(
                    "the SDK sent {} {}, which no operation of the spec has",
                    sdk_request.request.method, sdk_request.request.path
                );
                failures.push(format!("FAIL {service} {case}: {problem}"));
                record(service, case, spec.source.title.clone(), &Err(problem));
                continue;
            };
            let spec_operation = cloudspec_conformance::operation(service, operation.meta.name);
            called.push(operation.meta.name);
            let result = match decode_params(operation.meta, operation.params, &sdk_request.request)
            {
                Err(problem) => Err(format!(
                    "the SDK's request does not read back as {}: {problem:?}",
                    operation.meta.name
                )),
                Ok(params) => {
                    let config = Config::without_credentials()
                        .with_endpoint(&relay.endpoint)
                        .with_retry(RetryConfig::disabled());
                    let ours = (operation.invoke)(config, Value::Object(params.clone())).await;
                    let ours_sent = relay.take_new(&mut seen);
                    match (ours, ours_sent.as_slice()) {
                        (Err(error), _) => Err(format!("the generated client failed: {error}")),
                        (Ok(_), [ours_request]) => {
                            let (unexplained, _) = compare(
                                &WireForm::of(ours_request, Protocol::InstanceMetadata, &[]),
                                &WireForm::of(sdk_request, Protocol::InstanceMetadata, &[]),
                                family.name,
                                std::iter::empty(),
                            );
                            if unexplained.is_empty() {
                                Ok(format!("{} {}", operation.meta.name, Value::Object(params)))
                            } else {
                                Err(unexplained
                                    .iter()
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join("; "))
                            }
                        }
                        (Ok(_), sent) => Err(format!(
                            "expected one request from the generated client, got {}",
                            sent.len()
                        )),
                    }
                }
            };
            if let Err(problem) = &result {
                failures.push(format!("FAIL {service} {case}: {problem}"));
            }
            record(
                service,
                format!("{case}: {}", operation.meta.name),
                reference(service, spec_operation),
                &result,
            );
        }

        // Every operation of the spec is one the SDK reads.
        for operation in &spec.operations {
            let name = &operation.value.name.value;
            let result = if called.contains(&name.as_str()) {
                Ok(String::new())
            } else {
                Err(format!("the SDK's provider never called {name}"))
            };
            if let Err(problem) = &result {
                failures.push(format!("FAIL {service} {}: {problem}", family.name));
            }
            record(
                service,
                format!("{} calls {name}", family.name),
                reference(service, &operation.value),
                &result,
            );
        }
        println!(
            "{service} {}: {} SDK requests compared",
            family.name,
            sdk_sent.len()
        );
        emulator.shutdown().await;
    }
    assert!(
        families > 0,
        "{service}: no instance-role family for {provider}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_instance_metadata_spec_is_run() {
    let mut services: Vec<&str> = cloudspec_services::SERVICES
        .iter()
        .filter(|service| service.meta.protocol == cloudspec_runtime::Protocol::InstanceMetadata)
        .map(|service| service.command)
        .collect();
    services.sort_unstable();
    assert_eq!(
        services,
        ["alibaba-metadata", "tencent-metadata"],
        "add a #[tokio::test] below for each instance-metadata spec"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_metadata() {
    run_service("alibaba-metadata").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_metadata() {
    run_service("tencent-metadata").await;
}
