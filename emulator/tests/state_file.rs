//! The documented example state (`examples/state.yaml`) and the emulator's own endpoints:
//! `GET /_emulator/images`, `GET /_emulator/state`, `POST /_emulator/reset`.

mod common;

use std::path::PathBuf;

use cloudspec_emulator::{Service, State};
use common::*;

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/state.yaml")
}

/// The example state loads, has images of every service, and works with its keys: one
/// call per provider through the generated clients, each with the answer its comment says.
#[tokio::test]
async fn example_state_works_as_documented() {
    let state = State::from_yaml_file(example_path()).unwrap();
    for service in Service::ALL {
        assert!(
            state.images.iter().filter(|i| i.service == service).count() >= 4,
            "{service:?} needs images in several situations"
        );
    }
    let emulator = start(state).await;
    let ecs = cloudspec_alibaba_ecs::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    ecs.delete_image(cloudspec_alibaba_ecs::DeleteImageInput::new(
        "m-bp67acfmxazb4p0001",
        "cn-hangzhou",
    ))
    .await
    .unwrap();
    let error = service_error(
        ecs.delete_image(cloudspec_alibaba_ecs::DeleteImageInput::new(
            "m-bp67acfmxazb4p0004",
            "cn-hangzhou",
        ))
        .await,
    );
    assert_eq!(error.code(), Some("ImageIsPublic"));
    let cvm = cloudspec_tencent_cvm::Client::new(
        config(&emulator, TC_KEY, TC_SECRET).with_region("ap-guangzhou"),
    )
    .unwrap();
    let error = service_error(
        cvm.delete_images(cloudspec_tencent_cvm::DeleteImagesInput::new([
            "img-fromb001",
        ]))
        .await,
    );
    assert_eq!(error.code(), Some("InvalidParameterValue.InvalidImageId"));
    cvm.delete_images(
        cloudspec_tencent_cvm::DeleteImagesInput::new(["img-mfih409y"])
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
        bcc.delete_image(cloudspec_baidu_bcc::DeleteImageInput::new("m-bccint01"))
            .await,
    );
    assert_eq!(
        (error.code(), error.status()),
        (Some("Image.UnCustomImageCannotBeDeleted"), 403)
    );
}

/// `GET /_emulator/state` is the state-file format (JSON): read back, it is the current
/// state. `GET /_emulator/images` groups images by provider.
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
    let images = images_json(&emulator).await;
    assert!(images["images"]["alibaba"][0]["service"].is_string());
    assert_eq!(images["images"]["tencent"][0]["service"], "cvm");
}

/// `POST /_emulator/reset` restores the initial state; with a body (state-file format) it
/// replaces it.
#[tokio::test]
async fn reset_restores_or_replaces() {
    let state = State::from_yaml_file(example_path()).unwrap();
    let emulator = start(state.clone()).await;
    baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-nky7qeom").await;
    assert_ne!(emulator.images(), state.images_sorted());
    let resp = raw(&emulator, "POST", "/_emulator/reset", &[], "").await;
    assert_eq!(resp.status, 200);
    assert_eq!(emulator.images(), state.images_sorted());
    let replacement = format!(
        "access_keys: [ {{ provider: baidu, id: {BD_KEY}, secret: {BD_SECRET}, account: {BD_ACCOUNT} }} ]\n\
         images: {{ baidu: [ {{ id: m-only, account: {BD_ACCOUNT} }} ] }}\n"
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
    let resp = raw(&emulator, "POST", "/_emulator/reset", &[], "images: 3").await;
    assert_eq!(resp.status, 400);
    let resp = raw(&emulator, "GET", "/_emulator/nothing", &[], "").await;
    assert_eq!(resp.status, 404);
    let resp = raw(&emulator, "GET", "/somewhere", &[], "").await;
    assert_eq!(resp.status, 404);
}

trait Sorted {
    fn images_sorted(&self) -> Vec<cloudspec_emulator::Image>;
}

impl Sorted for State {
    fn images_sorted(&self) -> Vec<cloudspec_emulator::Image> {
        let mut images = self.images.clone();
        images.sort_by(|a, b| (a.service, &a.id).cmp(&(b.service, &b.id)));
        images
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
