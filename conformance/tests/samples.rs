//! "Every operation is callable from day one": an operation whose spec has no `behaviour:`
//! (every CVM action imported from tccli's metadata), issues no credentials and is not an
//! instance-metadata answer (both computed by the emulator) is answered by the emulator from its
//! documented example response, after authentication and validation. For each such
//! operation and each example with a request input, the generated client (called by name
//! through the registry) gets the example's response as its typed output; the reference is
//! the example's own response body in the spec, not anything the emulator computed.

use cloudspec_runtime::registry::InvokeError;
use cloudspec_runtime::{Config, Credentials, Provider};
use serde_json::Value;

const KEY: &str = "samples-key";
const SECRET: &str = "samples-secret";

/// The documented response's members (for Tencent, inside `Response`), without the
/// request ID, which the emulator replaces with its own.
fn documented_members(
    protocol: cloudspec_runtime::Protocol,
    body: &str,
) -> Option<serde_json::Map<String, Value>> {
    let value: Value = serde_json::from_str(body).ok()?;
    let mut members = match protocol {
        cloudspec_runtime::Protocol::TencentApi3 => value.get("Response")?.as_object()?.clone(),
        _ => value.as_object()?.clone(),
    };
    members.remove("RequestId");
    Some(members)
}

/// The typed output as JSON, without `null` members and the request ID (the output type
/// leaves unset fields out; the sample has only what it shows).
fn output_members(output: Value) -> serde_json::Map<String, Value> {
    let mut members = output.as_object().cloned().unwrap_or_default();
    members.retain(|_, value| !value.is_null());
    members.remove("RequestId");
    members
}

/// Where `got` differs from `documented` (a path such as `InstanceSet[0].CPU: 1 vs "1"`),
/// numbers compared by value (the typed `f64` writes `40.0` where the sample writes `40`)
/// and `null` members of the output ignored (the output type leaves unset fields out).
fn difference(got: &Value, documented: &Value, path: &str) -> Option<String> {
    match (got, documented) {
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => None,
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(index, (x, y))| difference(x, y, &format!("{path}[{index}]"))),
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, _)| key)
                .chain(y.keys())
                .collect();
            keys.into_iter().find_map(|key| {
                let (a, b) = (
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                );
                difference(a, b, &format!("{path}.{key}"))
            })
        }
        _ if got == documented => None,
        _ => Some(format!("{path}: {got} vs {documented}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_without_rules_answer_their_documented_example() {
    let mut state = cloudspec_emulator::State::new();
    for provider in [
        cloudspec_emulator::Provider::Alibaba,
        cloudspec_emulator::Provider::Tencent,
        cloudspec_emulator::Provider::Baidu,
    ] {
        state = state.with_access_key(cloudspec_emulator::AccessKey::new(
            provider, KEY, SECRET, "1",
        ));
    }
    let emulator = cloudspec_emulator::Emulator::builder()
        .state(state)
        .start()
        .await
        .expect("emulator on 127.0.0.1");
    let (mut checked, mut failures) = (0, Vec::new());
    for service in cloudspec_services::SERVICES {
        for entry in service
            .operations
            .iter()
            // Operations whose answer the emulator computes are not answered from their
            // example: minted credentials, and what the emulated instance says.
            .filter(|entry| {
                entry.behaviour.is_none()
                    && entry.issues_credentials.is_none()
                    && entry.instance_metadata.is_none()
            })
        {
            let operation = cloudspec_conformance::operation(service.command, entry.meta.name);
            let mut inputs_seen = Vec::new();
            for example in operation.examples.iter().map(|example| &example.value) {
                let Some(request) = &example.request else {
                    continue;
                };
                // Examples that differ only outside the parameters (DescribeZones in
                // English, by `X-TC-Language`) get the first one's answer.
                if inputs_seen.contains(&&request.input) {
                    continue;
                }
                inputs_seen.push(&request.input);
                if request.input.is_empty() && entry.params.iter().any(|p| p.required && !p.common)
                {
                    continue;
                }
                let Some(response) = example.responses.first() else {
                    continue;
                };
                let Some(expected) = documented_members(service.meta.protocol, &response.body)
                else {
                    continue;
                };
                let mut config =
                    Config::new(Credentials::new(KEY, SECRET)).with_endpoint(emulator.endpoint());
                if service.meta.provider == Provider::Tencent {
                    config = config.with_region("ap-guangzhou");
                }
                let input = Value::Object(request.input.clone().into_iter().collect());
                let label = format!(
                    "{} {} example {}",
                    service.command, entry.meta.name, example.name.value
                );
                match (entry.invoke)(config, input).await {
                    Ok(output) => {
                        let got = output_members(output);
                        if let Some(path) =
                            difference(&Value::Object(got), &Value::Object(expected), "")
                        {
                            failures.push(format!(
                                "{label}: the output differs from the documented response at {path}"
                            ));
                        }
                    }
                    Err(InvokeError::Input(reason)) => {
                        failures.push(format!("{label}: input {reason}"))
                    }
                    Err(error) => failures.push(format!("{label}: {error}")),
                }
                checked += 1;
            }
        }
    }
    emulator.shutdown().await;
    println!("{checked} examples of operations without rules answered from the document");
    assert!(
        checked >= 50,
        "the imported CVM actions have examples ({checked} checked)"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
