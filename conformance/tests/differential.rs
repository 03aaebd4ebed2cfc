//! The differential tier and the signer cross-check.
//!
//! For every operation of every spec, for each documented example input and
//! [`GENERATED_INPUTS`] property-generated valid inputs, the generated client and each
//! official SDK family of the provider send the same input to a capture listener on
//! 127.0.0.1. Their canonical wire forms (`cloudspec_conformance::wire_form`) must be equal;
//! a difference is accepted only where a spec `fact` declares it (with its source), and is
//! then reported as explained by that fact.
//!
//! The signers are checked both ways on the same requests: the SDK's own signing code
//! (through the oracle's `sign`) recomputes the signature the generated client sent, and
//! the runtime's verifiers recompute the signature the SDK sent.

use std::sync::Arc;

use base64::Engine as _;
use cloudspec_codegen::spec::model::{
    AuthKind, BodyFormat, Fact, ListStyle, Location, Operation, Protocol,
};
use cloudspec_conformance::capture::{CaptureServer, Captured};
use cloudspec_conformance::oracle::{self, Family, Keys, Oracle, SdkOutcome};
use cloudspec_conformance::report::{self, Outcome, Record};
use cloudspec_conformance::wire_form::{WireForm, compare};
use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::sign::{self, alibaba_v1, constant_time_eq, tencent_tc3};
use cloudspec_runtime::{Config, Credentials, RetryConfig};
use serde_json::{Map, Value, json};

/// Property-generated inputs per operation (and per SDK family).
const GENERATED_INPUTS: usize = 256;

/// Generated inputs per imported operation (besides its examples).
const IMPORTED_GENERATED_INPUTS: usize = 4;

const KEY_ID: &str = "differential-key";
const SECRET: &str = "differential-secret";

/// One input to send both ways.
struct NamedInput {
    name: String,
    reference: String,
    input: Map<String, Value>,
}

fn inputs(service: &str, operation: &Operation) -> Vec<NamedInput> {
    // An imported operation's examples and parameter table are the metadata's, not the
    // seed document's.
    let seed = match &operation.provenance {
        Some(provenance) => format!(
            "{} {} {}",
            provenance.name.as_deref().unwrap_or("metadata"),
            provenance.version.as_deref().unwrap_or_default(),
            provenance.file.as_deref().unwrap_or_default()
        ),
        None => {
            let source = &cloudspec_conformance::spec(service).spec.source;
            match &source.seed {
                Some(seed) => format!("seed {seed}"),
                None => source.title.clone(),
            }
        }
    };
    let mut inputs: Vec<NamedInput> = operation
        .examples
        .iter()
        .map(|example| &example.value)
        .filter_map(|example| {
            let request = example.request.as_ref()?;
            // A sample whose body does not fit the parameter table (the import keeps its
            // raw text only) has no input to send.
            let needs_input = operation.parameters.iter().any(|parameter| {
                let parameter = &parameter.value;
                parameter.required
                    && parameter.constant.is_none()
                    && parameter.location != Location::Common
            });
            if request.input.is_empty() && needs_input {
                return None;
            }
            Some(NamedInput {
                name: format!("example {}", example.name.value),
                reference: format!(
                    "{seed}: example {}{}",
                    example.name.value,
                    example
                        .title
                        .as_ref()
                        .map(|title| format!(" ({title})"))
                        .unwrap_or_default()
                ),
                input: request.input.clone().into_iter().collect(),
            })
        })
        .collect();
    // An operation imported from the provider's metadata is checked with its examples
    // (`examples.json`) and a few generated inputs; a documented one (or one written from
    // an SDK's code) with many.
    let count = if operation.provenance.as_ref().is_some_and(|provenance| {
        provenance.kind == cloudspec_codegen::spec::model::ProvenanceKind::Metadata
    }) {
        IMPORTED_GENERATED_INPUTS
    } else {
        GENERATED_INPUTS
    };
    let structures = &cloudspec_conformance::spec(service).spec.structures;
    for (index, input) in cloudspec_conformance::inputs::generated(operation, structures, count)
        .into_iter()
        .enumerate()
    {
        inputs.push(NamedInput {
            name: format!("generated {index}"),
            reference: format!(
                "{seed}: the parameter table of {} (a generated valid input)",
                operation.name.value
            ),
            input,
        });
    }
    inputs
}

/// The success answer the capture listener gives: the first documented 200 example
/// response, else the protocol's minimal success.
fn success_response(protocol: Protocol, operation: &Operation) -> (Vec<(String, String)>, String) {
    let documented = operation
        .examples
        .iter()
        .flat_map(|example| &example.value.responses)
        .find(|response| {
            response.status.is_none_or(|status| status == 200)
                && (protocol == Protocol::BaiduRest || response.format == BodyFormat::Json)
        });
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let body = match documented {
        Some(response) => {
            headers.extend(response.headers.clone());
            response.body.clone()
        }
        None => match protocol {
            Protocol::AlibabaRpc => {
                r#"{"RequestId":"D1FFE4E5-0000-0000-0000-000000000001"}"#.into()
            }
            Protocol::TencentApi3 => {
                r#"{"Response":{"RequestId":"d1ffe4e5-0000-0000-0000-000000000001"}}"#.into()
            }
            Protocol::BaiduRest | Protocol::InstanceMetadata => String::new(),
        },
    };
    if protocol == Protocol::BaiduRest && !headers.iter().any(|(n, _)| n == "x-bce-request-id") {
        headers.push((
            "x-bce-request-id".into(),
            "d1ffe4e5-0000-0000-0000-000000000001".into(),
        ));
    }
    (headers, body)
}

/// The Alibaba signature version a family signs with.
fn alibaba_signature(family: &Family) -> AlibabaSignature {
    if family.name == "aliyun-python-sdk-core" {
        AlibabaSignature::V1
    } else {
        AlibabaSignature::V3
    }
}

/// Recomputes the signature of an SDK's request with the runtime's verifiers.
fn runtime_verifies(
    protocol: Protocol,
    family: &Family,
    captured: &Captured,
) -> Result<(), String> {
    let request = &captured.request;
    let authorization = || {
        request
            .header("authorization")
            .ok_or_else(|| "no Authorization header".to_owned())
    };
    let verdict = |expected: Result<String, sign::SignError>, sent: &str| match expected {
        Ok(expected) if constant_time_eq(&expected, sent) => Ok(()),
        Ok(expected) => Err(format!(
            "the runtime computes {expected}, the SDK sent {sent}"
        )),
        Err(error) => Err(format!("the runtime cannot recompute it: {error}")),
    };
    match (protocol, alibaba_signature(family)) {
        (Protocol::AlibabaRpc, AlibabaSignature::V1) => {
            let mut params = request.query.clone();
            params.extend(
                url::form_urlencoded::parse(&request.body)
                    .map(|(n, v)| (n.into_owned(), v.into_owned())),
            );
            if sign::alibaba_v1::verify(&request.method, &params, SECRET) {
                Ok(())
            } else {
                Err("the runtime's V1 verifier refuses the SDK's signature".into())
            }
        }
        (Protocol::AlibabaRpc, _) => {
            let header = authorization()?;
            let auth = sign::alibaba_v3::parse_authorization(header)
                .ok_or_else(|| format!("unparsable {header}"))?;
            verdict(
                sign::alibaba_v3::expected_signature(request, &auth, SECRET),
                auth.signature,
            )
        }
        (Protocol::TencentApi3, _) => {
            let header = authorization()?;
            let auth = sign::tencent_tc3::parse_authorization(header)
                .ok_or_else(|| format!("unparsable {header}"))?;
            verdict(
                sign::tencent_tc3::expected_signature(request, &auth, SECRET),
                auth.signature,
            )
        }
        (Protocol::InstanceMetadata, _) => {
            Err("instance-metadata requests carry no signature".to_owned())
        }
        (Protocol::BaiduRest, _) => {
            let header = authorization()?;
            let auth = sign::baidu::parse_authorization(header)
                .ok_or_else(|| format!("unparsable {header}"))?;
            verdict(
                sign::baidu::expected_signature(request, &auth, SECRET),
                auth.signature,
            )
        }
    }
}

/// Asks the SDK's own signer to recompute the signature of a request the generated client
/// sent.
async fn sdk_verifies(
    oracle: &Arc<Oracle>,
    family: &Family,
    captured: &Captured,
) -> Result<(), String> {
    let request = &captured.request;
    let mut headers = vec![json!(["host", request.host])];
    headers.extend(request.headers.iter().map(|(n, v)| json!([n, v])));
    let answer = oracle
        .ask(json!({
            "op": "sign",
            "family": family.name,
            "request": {
                "method": request.method,
                "url": format!("http://{}{}", request.host, captured.target),
                "headers": headers,
                "body_base64": base64::engine::general_purpose::STANDARD.encode(&request.body),
            },
            "credentials": { "id": KEY_ID, "secret": SECRET },
        }))
        .await
        .map_err(|error| error.to_string())?;
    match answer.get("match") {
        Some(Value::Bool(true)) => Ok(()),
        Some(Value::Bool(false)) => Err(format!(
            "the SDK's signer computes {}, the generated client sent {}",
            answer["signature"], answer["sent"]
        )),
        _ => Err(format!("the SDK's signer answered {answer}")),
    }
}

fn record(api: &str, tier: &str, case: String, reference: &str, result: &Result<String, String>) {
    let (outcome, detail) = match result {
        Ok(detail) => (Outcome::Passed, detail.clone()),
        Err(problem) => (Outcome::Failed, problem.clone()),
    };
    report::record(&Record {
        api: api.to_owned(),
        tier: tier.to_owned(),
        case,
        outcome,
        reference: reference.to_owned(),
        detail,
    });
}

fn skip(api: &str, family: &Family, inputs: &[NamedInput], reason: &str) {
    for tier in [report::DIFFERENTIAL, report::SIGNER_CROSS_CHECK] {
        for input in inputs {
            report::record(&Record {
                api: api.to_owned(),
                tier: tier.to_owned(),
                case: format!("{} {}", family.name, input.name),
                outcome: Outcome::Skipped,
                reference: input.reference.clone(),
                detail: reason.to_owned(),
            });
        }
    }
    println!("SKIPPED {} {api}: {reason}", family.name);
    assert!(
        !oracle::in_ci(),
        "the differential tier must run in CI, but {}: {reason}",
        family.name
    );
}

/// `captured` with one signed value changed: the last query value, else the body, else
/// the path.
/// Whether `captured` carries no signature: Alibaba RPC with neither `Authorization` nor a
/// `Signature` parameter, Tencent with `Authorization: SKIP` (docs/protocols.md, "Unsigned
/// calls").
fn is_unsigned(protocol: Protocol, captured: &Captured) -> bool {
    let request = &captured.request;
    let authorization = request.header("authorization");
    match protocol {
        Protocol::AlibabaRpc => {
            let form = url::form_urlencoded::parse(&request.body)
                .any(|(name, _)| name == alibaba_v1::SIGNATURE_PARAM);
            authorization.is_none()
                && !form
                && !request
                    .query
                    .iter()
                    .any(|(name, _)| name == alibaba_v1::SIGNATURE_PARAM)
        }
        Protocol::TencentApi3 => authorization == Some(tencent_tc3::SKIP_AUTHORIZATION),
        Protocol::BaiduRest => false,
        Protocol::InstanceMetadata => authorization.is_none(),
    }
}

fn tampered(captured: &Captured) -> Captured {
    let mut copy = captured.clone();
    if let Some((_, value)) = copy.request.query.last_mut() {
        value.push('x');
        let (path, _) = copy
            .target
            .split_once('?')
            .unwrap_or((&captured.target, ""));
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(copy.request.query.iter())
            .finish();
        copy.target = format!("{path}?{query}");
    } else if !copy.request.body.is_empty() {
        copy.request.body.push(b' ');
    } else {
        copy.request.path.push('x');
        copy.target.push('x');
    }
    copy
}

async fn run_service(service: &str) {
    let spec = &cloudspec_conformance::spec(service).spec;
    let protocol = spec.protocol.value;
    let provider = spec.provider.as_str();
    let entry = cloudspec_services::service(service)
        .unwrap_or_else(|| panic!("no generated service {service}"));
    let region = cloudspec_conformance::cases::load(&format!("{service}.yaml")).region;
    let mut failures = Vec::new();
    for operation in spec.operations.iter().map(|operation| &operation.value) {
        let invoke = entry
            .operations
            .iter()
            .find(|candidate| candidate.meta.name == operation.name.value)
            .unwrap_or_else(|| panic!("{service} has no generated {}", operation.name.value))
            .invoke;
        let anonymous = operation
            .auth
            .as_ref()
            .is_some_and(|auth| auth.value.kind == AuthKind::Anonymous);
        let facts: Vec<&Fact> = spec
            .facts
            .iter()
            .chain(&operation.facts)
            .map(|fact| &fact.value)
            .collect();
        let json_params: Vec<&str> = operation
            .parameters
            .iter()
            .map(|parameter| &parameter.value)
            .filter(|parameter| parameter.list_style == Some(ListStyle::JsonInString))
            .map(|parameter| {
                parameter
                    .wire_name
                    .as_deref()
                    .unwrap_or(&parameter.name.value)
            })
            .collect();
        let inputs = inputs(service, operation);
        let (headers, body) = success_response(protocol, operation);
        let server = CaptureServer::start(200, headers, body)
            .await
            .expect("capture listener on 127.0.0.1");
        let mut seen = 0;
        for family in oracle::families_of(provider) {
            let oracle = match Oracle::shared().and_then(|oracle| {
                oracle.check_family(family.name)?;
                Ok(oracle)
            }) {
                Ok(oracle) => oracle,
                Err(error) => {
                    skip(service, family, &inputs, &error.to_string());
                    continue;
                }
            };
            let mut explained_total = 0;
            for input in &inputs {
                let case = format!("{} {}", family.name, input.name);
                let mut config = Config::new(Credentials::new(KEY_ID, SECRET))
                    .with_endpoint(&server.endpoint)
                    .with_retry(RetryConfig::disabled())
                    .with_alibaba_signature(alibaba_signature(family));
                if let Some(region) = &region {
                    config = config.with_region(region);
                }
                let ours = invoke(config, Value::Object(input.input.clone())).await;
                let ours_sent = server.take_new(&mut seen);
                let answer = oracle
                    .ask(oracle::call_request(
                        family,
                        service,
                        &operation.name.value,
                        &server.endpoint,
                        region.as_deref(),
                        Keys {
                            id: KEY_ID,
                            secret: SECRET,
                        },
                        &input.input,
                    ))
                    .await;
                let sdk_sent = server.take_new(&mut seen);
                let outcome = answer.map(|answer| SdkOutcome::from_answer(&answer));
                let result = match (&ours, &outcome, ours_sent.as_slice(), sdk_sent.as_slice()) {
                    (Err(error), _, _, _) => Err(format!("the generated client failed: {error}")),
                    (_, Err(error), _, _) => Err(format!("the oracle failed: {error}")),
                    (_, Ok(SdkOutcome::Crash(text)), _, _) => {
                        Err(format!("the SDK failed: {text}"))
                    }
                    (_, _, [ours_request], [sdk_request]) => {
                        let (unexplained, explained) = compare(
                            &WireForm::of(ours_request, protocol, &json_params),
                            &WireForm::of(sdk_request, protocol, &json_params),
                            family.name,
                            facts.iter().copied(),
                        );
                        explained_total += explained.len();
                        if unexplained.is_empty() {
                            Ok(explained
                                .iter()
                                .map(|(difference, fact)| {
                                    format!("{difference} (explained by fact `{fact}`)")
                                })
                                .collect::<Vec<_>>()
                                .join("; "))
                        } else {
                            Err(unexplained
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join("; "))
                        }
                    }
                    (_, _, ours_sent, sdk_sent) => Err(format!(
                        "expected one request from each side, got {} from the generated client and {} from the SDK",
                        ours_sent.len(),
                        sdk_sent.len()
                    )),
                };
                if let Err(problem) = &result {
                    failures.push(format!(
                        "FAIL differential {service} {case}: {problem}\n     input {:?}",
                        input.input
                    ));
                }
                record(
                    service,
                    report::DIFFERENTIAL,
                    case.clone(),
                    &input.reference,
                    &result,
                );
                // An unsigned operation (the spec's `auth: anonymous`; docs/protocols.md,
                // "Unsigned calls"): the generated client must send it without a signature,
                // and an SDK that sends it unsigned too has nothing to cross-check; one that
                // signs it (aliyun-python-sdk-core) is cross-checked below as usual.
                if anonymous {
                    if let [ours_request] = ours_sent.as_slice() {
                        let result = if is_unsigned(protocol, ours_request) {
                            Ok(String::new())
                        } else {
                            Err(
                                "the operation is unsigned, and the generated client signed it"
                                    .to_owned(),
                            )
                        };
                        if let Err(problem) = &result {
                            failures.push(format!("FAIL unsigned on {service} {case}: {problem}"));
                        }
                        record(
                            service,
                            report::SIGNER_CROSS_CHECK,
                            format!(
                                "{case}: the generated client sends the unsigned operation without a signature"
                            ),
                            &input.reference,
                            &result,
                        );
                    }
                    if let [sdk_request] = sdk_sent.as_slice()
                        && is_unsigned(protocol, sdk_request)
                    {
                        continue;
                    }
                }
                // The signers, both ways.
                if let ([ours_request], false) = (ours_sent.as_slice(), anonymous) {
                    let result = sdk_verifies(&oracle, family, ours_request)
                        .await
                        .map(|()| String::new());
                    if let Err(problem) = &result {
                        failures.push(format!("FAIL SDK signer on {service} {case}: {problem}"));
                    }
                    record(
                        service,
                        report::SIGNER_CROSS_CHECK,
                        format!("{case}: the SDK's signer accepts the generated client's request"),
                        &input.reference,
                        &result,
                    );
                }
                // A negative control, once per family: a request changed after signing must be
                // refused by both signers, or the checks above prove nothing.
                if let ([ours_request], [sdk_request], true, false) = (
                    ours_sent.as_slice(),
                    sdk_sent.as_slice(),
                    std::ptr::eq(input, &inputs[0]),
                    anonymous,
                ) {
                    let ours_tampered = tampered(ours_request);
                    let sdk_tampered = tampered(sdk_request);
                    let refused_by_sdk =
                        sdk_verifies(&oracle, family, &ours_tampered).await.is_err();
                    let refused_by_runtime =
                        runtime_verifies(protocol, family, &sdk_tampered).is_err();
                    let result = if refused_by_sdk && refused_by_runtime {
                        Ok(String::new())
                    } else {
                        Err(format!(
                            "a tampered request was accepted (by the SDK's signer: {}, by the runtime: {})",
                            !refused_by_sdk, !refused_by_runtime
                        ))
                    };
                    if let Err(problem) = &result {
                        failures.push(format!("FAIL negative control {service} {case}: {problem}"));
                    }
                    record(
                        service,
                        report::SIGNER_CROSS_CHECK,
                        format!("{case}: both signers refuse a request changed after signing"),
                        &input.reference,
                        &result,
                    );
                }
                if let [sdk_request] = sdk_sent.as_slice() {
                    let result =
                        runtime_verifies(protocol, family, sdk_request).map(|()| String::new());
                    if let Err(problem) = &result {
                        failures.push(format!(
                            "FAIL runtime verifier on {service} {case}: {problem}"
                        ));
                    }
                    record(
                        service,
                        report::SIGNER_CROSS_CHECK,
                        format!("{case}: the runtime's verifier accepts the SDK's request"),
                        &input.reference,
                        &result,
                    );
                }
            }
            println!(
                "{service} {} {}: {} inputs, {explained_total} differences explained by spec facts",
                operation.name.value,
                family.name,
                inputs.len()
            );
        }
    }
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_spec_is_run() {
    // The instance-metadata specs are run by tests/instance_roles.rs: no product SDK calls
    // their operations, the SDKs' credentials providers do.
    let mut services: Vec<&str> = cloudspec_services::SERVICES
        .iter()
        .filter(|service| service.meta.protocol != cloudspec_runtime::Protocol::InstanceMetadata)
        .map(|service| service.command)
        .collect();
    services.sort_unstable();
    assert_eq!(
        services,
        [
            "alibaba-ecs",
            "alibaba-ens",
            "alibaba-sts",
            "alibaba-swas",
            "baidu-bcc",
            "tencent-cvm",
            "tencent-sts"
        ],
        "add a #[tokio::test] below for each spec"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_ecs() {
    run_service("alibaba-ecs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_ens() {
    run_service("alibaba-ens").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_swas() {
    run_service("alibaba-swas").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_cvm() {
    run_service("tencent-cvm").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baidu_bcc() {
    run_service("baidu-bcc").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_sts() {
    run_service("alibaba-sts").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_sts() {
    run_service("tencent-sts").await;
}
