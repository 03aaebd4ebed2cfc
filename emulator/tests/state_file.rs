//! The documented example state (`examples/state.yaml`) and the emulator's own endpoints:
//! `GET /_emulator/resources`, `GET /_emulator/state`, `POST /_emulator/reset`.

mod common;

use std::path::PathBuf;

use cloudspec_emulator::{Fault, FaultKind, Service, State};
use common::*;

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/state.yaml")
}

/// The example state loads, has images of every service that keeps resources (STS keeps
/// none: it mints credentials), and works with its keys: one call per provider through the
/// generated clients, each with the answer its comment says.
#[tokio::test]
async fn example_state_works_as_documented() {
    let state = State::from_yaml_file(example_path()).unwrap();
    for service in Service::all().filter(|service| service.default_resource_type().is_some()) {
        assert!(
            state
                .resources
                .iter()
                .filter(|i| i.service == service)
                .count()
                >= 4,
            "{service:?} needs images in several situations"
        );
    }
    let emulator = start(state).await;
    let ecs = cloudspec_alibaba_ecs::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    ecs.delete_image(
        cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
            "m-bp67acfmxazb4p0001",
            "cn-hangzhou",
        ),
    )
    .await
    .unwrap();
    let error = service_error(
        ecs.delete_image(
            cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
                "m-bp67acfmxazb4p0004",
                "cn-hangzhou",
            ),
        )
        .await,
    );
    assert_eq!(error.code(), Some("ImageIsPublic"));
    let cvm = cloudspec_tencent_cvm::Client::new(
        config(&emulator, TC_KEY, TC_SECRET).with_region("ap-guangzhou"),
    )
    .unwrap();
    let error = service_error(
        cvm.delete_images(
            cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput::new([
                "img-fromb001",
            ]),
        )
        .await,
    );
    assert_eq!(error.code(), Some("InvalidParameterValue.InvalidImageId"));
    cvm.delete_images(
        cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput::new(["img-mfih409y"])
            .with_delete_binded_snap(true),
    )
    .await
    .unwrap();
    assert_eq!(
        snapshot_ids(&emulator).await,
        ["snap-aaaa0001", "snap-aaaa0002", "snap-unbound1"]
    );
    let bcc = cloudspec_baidu_bcc::Client::new(config(&emulator, BD_KEY, BD_SECRET)).unwrap();
    let error = service_error(
        bcc.delete_image(
            cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput::new("m-bccint01"),
        )
        .await,
    );
    assert_eq!(
        (error.code(), error.status()),
        (Some("Image.UnCustomImageCannotBeDeleted"), 403)
    );
}

/// `GET /_emulator/state` is the state-file format (JSON): read back, it is the current
/// state. `GET /_emulator/resources` lists every resource with its service and type.
#[tokio::test]
async fn state_endpoint_round_trips() {
    let emulator = start(State::from_yaml_file(example_path()).unwrap()).await;
    baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-nky7qeom").await;
    let resp = raw(&emulator, "GET", "/_emulator/state", &[], "").await;
    assert_eq!(resp.status, 200);
    let read_back = State::from_json_str(&resp.body).unwrap();
    assert_eq!(read_back, emulator.state());
    assert!(
        !image_ids(&emulator, "baidu")
            .await
            .contains(&"m-nky7qeom".to_owned())
    );
    let resources = images_json(&emulator).await;
    let cvm = resources["resources"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|resource| resource["id"] == "img-mfih409y")
        .expect("Example2's image");
    assert_eq!(
        (&cvm["service"], &cvm["type"]),
        (&"cvm".into(), &"image".into())
    );
}

/// `POST /_emulator/reset` restores the initial state; with a body (state-file format) it
/// replaces it.
#[tokio::test]
async fn reset_restores_or_replaces() {
    let state = State::from_yaml_file(example_path()).unwrap();
    let emulator = start(state.clone()).await;
    baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-nky7qeom").await;
    assert_ne!(emulator.resources(), state.resources_sorted());
    let resp = raw(&emulator, "POST", "/_emulator/reset", &[], "").await;
    assert_eq!(resp.status, 200);
    assert_eq!(emulator.resources(), state.resources_sorted());
    let replacement = format!(
        "access_keys: [ {{ provider: baidu, id: {BD_KEY}, secret: {BD_SECRET}, account: {BD_ACCOUNT} }} ]\n\
         resources: [ {{ service: bcc, id: m-only, account: {BD_ACCOUNT} }} ]\n"
    );
    let resp = raw(&emulator, "POST", "/_emulator/reset", &[], &replacement).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(image_ids(&emulator, "baidu").await, ["m-only"]);
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[("Action", "DeleteImage"), ("Version", "2014-05-26")],
    )
    .await;
    assert_eq!(
        resp.code(),
        "InvalidAccessKeyId.NotFound",
        "keys are replaced too"
    );
    let resp = raw(&emulator, "POST", "/_emulator/reset", &[], "resources: 3").await;
    assert_eq!(resp.status, 400);
    let resp = raw(&emulator, "GET", "/_emulator/nothing", &[], "").await;
    assert_eq!(resp.status, 404);
    let resp = raw(&emulator, "GET", "/somewhere", &[], "").await;
    assert_eq!(resp.status, 404);
}

trait Sorted {
    fn resources_sorted(&self) -> Vec<cloudspec_emulator::Resource>;
}

impl Sorted for State {
    fn resources_sorted(&self) -> Vec<cloudspec_emulator::Resource> {
        let mut resources = self.resources.clone();
        resources.sort_by(|a, b| {
            (a.service, &a.resource_type, &a.id).cmp(&(b.service, &b.resource_type, &b.id))
        });
        resources
    }
}

/// Shutdown stops the server: the port no longer answers.
#[tokio::test]
async fn shutdown_stops_serving() {
    let emulator = start(keys()).await;
    let endpoint = emulator.endpoint();
    emulator.shutdown().await;
    let result = reqwest::Client::new()
        .get(format!("{endpoint}/_emulator/health"))
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await;
    assert!(result.is_err());
}

/// The state-file format read from YAML and written as JSON reads back equal; aliases
/// become canonical names and bound IDs become resources of the bound type.
#[test]
fn yaml_state_round_trips_through_json() {
    let yaml = r#"
access_keys:
  - { provider: alibaba, id: ak, secret: sk, account: "1" }
resources:
  - { service: ecs, id: m-1, account: "1", region: cn-hangzhou, state: in-use }
  - { service: cvm, id: img-00000001, account: "2", state: using, bound: [snap-1] }
faults:
  - { service: cvm, kind: throttle, count: 2 }
"#;
    let state = State::from_yaml_str(yaml).unwrap();
    assert_eq!(state.resources.len(), 3, "the bound snapshot is added");
    assert_eq!(state.resources[1].service, svc("tencent-cvm"));
    assert_eq!(
        state.resources[1].state, "in-use",
        "aliases become canonical names"
    );
    assert_eq!(state.resources[2].resource_type, "snapshot");
    let again = State::from_json_str(&state.to_json().to_string()).unwrap();
    assert_eq!(again, state);
}

/// Every rule checked at load (emulator/README.md, "The state file") refuses what breaks it.
#[test]
fn inconsistent_states_are_refused() {
    for (yaml, needle) in [
        ("resources: [ { id: m, account: a } ]", "service"),
        (
            "resources: [ { service: nope, id: m, account: a } ]",
            "unknown service",
        ),
        (
            "resources: [ { service: ens, id: m, account: a, region: r } ]",
            "no regions",
        ),
        (
            "resources: [ { service: ecs, id: m, account: a, state: melting } ]",
            "not a state",
        ),
        (
            "resources: [ { service: ecs, type: volcano, id: m, account: a } ]",
            "no resource type",
        ),
        (
            "resources: [ { service: ecs, id: m, account: a, bound: [s] } ]",
            "nothing can be bound",
        ),
        (
            "resources: [ { service: ecs, id: m, account: a }, { service: ecs, id: m, account: b } ]",
            "twice",
        ),
        (
            "faults: [ { service: ecs, kind: error, code: Nope } ]",
            "not in the document",
        ),
        (
            "faults: [ { service: ecs, operation: Nope, kind: drop } ]",
            "unknown operation",
        ),
        ("bogus: 1", "bogus"),
    ] {
        let error = State::from_yaml_str(yaml).unwrap_err();
        assert!(error.to_string().contains(needle), "{yaml}: {error}");
    }
}

/// A fault may name a code through a `%s` template row (ENS `InvalidParameter.%s`).
#[test]
fn templated_documented_codes_are_valid_fault_codes() {
    let fault =
        Fault::new(svc("ens"), FaultKind::Error).documented_error("InvalidParameter.ImageId");
    assert_eq!(fault.validate(), Ok(()));
}
