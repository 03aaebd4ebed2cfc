//! The runtime's request decoder (`cloudspec_runtime::protocol::decode_params`, which the
//! emulator reads requests with) is the inverse of its request builder: for every operation
//! of every spec and 256 property-generated valid inputs each, building the signed request
//! (with each signature the protocol has) and decoding it gives back the input, and the
//! decoded input passes the generated validator.

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::protocol::{RequestContext, build_request, decode_params};
use cloudspec_runtime::{Credentials, Protocol};
use serde_json::Value;

const INPUTS: usize = 256;
/// Inputs per operation imported from the provider's metadata.
const IMPORTED_INPUTS: usize = 32;

#[test]
fn decoding_a_built_request_gives_back_its_input() {
    let credentials = Credentials::new("round-trip-key", "round-trip-secret");
    let timestamp: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("a timestamp");
    let mut checked = 0;
    for service in cloudspec_services::SERVICES {
        for entry in service.operations {
            let operation = cloudspec_conformance::operation(service.command, entry.meta.name);
            let signatures: &[AlibabaSignature] = match service.meta.protocol {
                Protocol::AlibabaRpc => &[AlibabaSignature::V1, AlibabaSignature::V3],
                _ => &[AlibabaSignature::V3],
            };
            let structures = &cloudspec_conformance::spec(service.command).spec.structures;
            // Imported operations (many, and nested) get fewer inputs each.
            let count = if operation.provenance.is_some() {
                IMPORTED_INPUTS
            } else {
                INPUTS
            };
            for (index, input) in
                cloudspec_conformance::inputs::generated(operation, structures, count)
                    .into_iter()
                    .enumerate()
            {
                let params = (entry.encode)(Value::Object(input.clone()))
                    .unwrap_or_else(|error| panic!("{} input {index}: {error}", service.command));
                for &signature in signatures {
                    let context = RequestContext {
                        meta: entry.meta,
                        params: &params,
                        scheme: "http",
                        host: "127.0.0.1:9",
                        region: Some("cn-hangzhou"),
                        credentials: Some(&credentials),
                        timestamp,
                        nonce: "0123456789abcdef",
                        alibaba_signature: signature,
                    };
                    let request = build_request(&context).unwrap_or_else(|error| {
                        panic!("{} input {index}: {error}", service.command)
                    });
                    let decoded = decode_params(entry.meta, entry.params, &request.signing_request())
                        .unwrap_or_else(|problem| {
                            panic!(
                                "{} {} input {index} ({signature:?}): {problem}\n  input {input:?}\n  request {request:?}",
                                service.command, entry.meta.name
                            )
                        });
                    assert_eq!(
                        decoded, input,
                        "{} {} input {index} ({signature:?}): decoded differs\n  request {request:?}",
                        service.command, entry.meta.name
                    );
                    (entry.validate)(Value::Object(decoded)).unwrap_or_else(|problem| {
                        panic!(
                            "{} input {index}: the decoded input is invalid: {problem}",
                            service.command
                        )
                    });
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked >= 5 * INPUTS,
        "every operation ran ({checked} round trips)"
    );
}

#[test]
fn unknown_missing_and_mistyped_parameters_are_named() {
    use cloudspec_runtime::protocol::ParamProblem;
    let service = cloudspec_services::service("alibaba-ecs").expect("the ECS registry entry");
    let entry = &service.operations[0];
    let request = |query: &[(&str, &str)]| {
        let mut request = cloudspec_runtime::sign::SigningRequest::new("GET", "127.0.0.1:9", "/");
        request.query = query
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        request
    };
    let decode = |query: &[(&str, &str)]| decode_params(entry.meta, entry.params, &request(query));
    // ECS document: ImageId and RegionId are "Required: Yes".
    assert_eq!(
        decode(&[("RegionId", "cn-hangzhou")]),
        Err(ParamProblem::Missing("ImageId".into()))
    );
    assert_eq!(
        decode(&[("ImageId", "m-1"), ("RegionId", "r"), ("Colour", "red")]),
        Err(ParamProblem::Unknown("Colour".into()))
    );
    assert_eq!(
        decode(&[("ImageId", "m-1"), ("ImageId", "m-2"), ("RegionId", "r")]),
        Err(ParamProblem::Repeated("ImageId".into()))
    );
    assert!(matches!(
        decode(&[("ImageId", "m-1"), ("RegionId", "r"), ("Force", "maybe")]),
        Err(ParamProblem::Invalid { name, .. }) if name == "Force"
    ));
    // The protocol's own parameters are not the API's, and Python's `True` is a boolean.
    let decoded = decode(&[
        ("Action", "DeleteImage"),
        ("Signature", "x"),
        ("ImageId", "m-1"),
        ("RegionId", "r"),
        ("Force", "True"),
    ])
    .expect("decodes");
    assert_eq!(decoded["Force"], Value::Bool(true));
}

#[test]
fn tencent_bodies_and_get_queries_decode_as_the_cvm_document_writes_them() {
    use cloudspec_runtime::protocol::ParamProblem;
    let service = cloudspec_services::service("tencent-cvm").expect("the CVM registry entry");
    let entry = &service.operations[0];
    let post = |body: &str| {
        let mut request = cloudspec_runtime::sign::SigningRequest::new("POST", "127.0.0.1:9", "/");
        request.set_header("Content-Type", "application/json");
        request.body = body.as_bytes().to_vec();
        decode_params(entry.meta, entry.params, &request)
    };
    // CVM Example2 sends `"DryRun": "True"`, a string.
    let decoded =
        post(r#"{"ImageIds": ["img-mfih409y"], "DryRun": "True", "DeleteBindedSnap": true}"#)
            .expect("Example2's body decodes");
    assert_eq!(decoded["ImageIds.N"], serde_json::json!(["img-mfih409y"]));
    assert_eq!(decoded["DryRun"], Value::Bool(true));
    assert_eq!(
        post(r#"{"ImageIds": ["a"], "Force": true}"#),
        Err(ParamProblem::Unknown("Force".into()))
    );
    assert!(matches!(
        post(r#"{"ImageIds": ["a"], "DryRun": "maybe"}"#),
        Err(ParamProblem::Invalid { name, .. }) if name == "DryRun"
    ));
    assert!(matches!(post("[1]"), Err(ParamProblem::Body(_))));
    // Example1 is a GET with `ImageIds.0=` (0-based) and common parameters in the query.
    let get = |query: &[(&str, &str)]| {
        let mut request = cloudspec_runtime::sign::SigningRequest::new("GET", "127.0.0.1:9", "/");
        request.query = query
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        decode_params(entry.meta, entry.params, &request)
    };
    let decoded = get(&[
        ("Action", "DeleteImages"),
        ("ImageIds.1", "img-b"),
        ("ImageIds.0", "img-a"),
        ("DryRun", "false"),
    ])
    .expect("Example1's query decodes");
    assert_eq!(decoded["ImageIds.N"], serde_json::json!(["img-a", "img-b"]));
    assert_eq!(
        get(&[("ImageIds.x", "a"), ("ImageIds.0", "b")]),
        Err(ParamProblem::Unknown("ImageIds.x".into()))
    );
}
