//! ENS `DeleteImage` (seed 001, "Deletes a custom image."), through the generated client and
//! raw signed requests.

mod common;

use cloudspec_alibaba_ens::Client;
use cloudspec_alibaba_ens::operation::delete_image::{DeleteImageError, DeleteImageInput};
use cloudspec_emulator::{Kind, Resource, RunningEmulator, State};
use common::*;

fn state() -> State {
    let image = |id: &str| Resource::new(svc("ens"), id, ALI_ACCOUNT);
    keys()
        .with_resource(image("m-ens-plain"))
        .with_resource(image("m-ens-plain-2"))
        .with_resource(image("m-ens-in-use").used_by("i-ens-1"))
        .with_resource(image("m-ens-creating").with_state("creating"))
        .with_resource(image("m-ens-importing").with_state("importing"))
        .with_resource(image("m-ens-system").with_kind(Kind::System))
        .with_resource(Resource::new(svc("ens"), "m-ens-other", ALI_OTHER_ACCOUNT))
}

fn client(emulator: &RunningEmulator) -> Client {
    Client::new(config(emulator, ALI_KEY, ALI_SECRET)).unwrap()
}

/// Success response `{"Code": 0, "RequestId": ...}`; exactly that image is deleted.
#[tokio::test]
async fn success_has_code_zero_and_deletes_the_image() {
    let emulator = start(state()).await;
    let output = client(&emulator)
        .delete_image(DeleteImageInput::new("m-ens-plain"))
        .await
        .unwrap();
    assert_eq!(output.code, Some(0));
    assert!(output.request_id.is_some());
    let mut expected: Vec<String> = state().resources.iter().map(|i| i.id.clone()).collect();
    expected.retain(|id| id != "m-ens-plain");
    expected.sort();
    assert_eq!(image_ids(&emulator, "alibaba").await, expected);
    // The raw body is exactly the documented shape.
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteImage"),
            ("Version", "2017-11-10"),
            ("ImageId", "m-ens-plain-2"),
        ],
    )
    .await;
    assert_eq!(resp.status, 200);
    let body = resp.json();
    assert_eq!(body["Code"], 0);
    assert!(body["RequestId"].is_string());
}

/// Error row 400 `Forbidden.DelerrorteImage` "The image cannot be deleted when used by
/// instance."
#[tokio::test]
async fn in_use_image_is_refused() {
    let emulator = start(state()).await;
    let error = service_error(
        client(&emulator)
            .delete_image(DeleteImageInput::new("m-ens-in-use"))
            .await,
    );
    assert!(
        matches!(error, DeleteImageError::ForbiddenDelerrorteImage(_)),
        "{error:?}"
    );
    assert_eq!(error.status(), 400);
    assert_eq!(
        error.message(),
        error.documented().and_then(|row| row.message)
    );
    assert!(emulator.resource(svc("ens"), "m-ens-in-use").is_some());
}

/// Error row 400 `IncorrectStatus.Image` "The current status of the image does not
/// support this operation."
#[tokio::test]
async fn wrong_state_is_refused() {
    let emulator = start(state()).await;
    for id in ["m-ens-creating", "m-ens-importing"] {
        let error = service_error(
            client(&emulator)
                .delete_image(DeleteImageInput::new(id))
                .await,
        );
        assert!(
            matches!(error, DeleteImageError::IncorrectStatusImage(_)),
            "{error:?}"
        );
        assert!(emulator.resource(svc("ens"), id).is_some());
    }
}

/// "You can delete only custom images that you created." → `NoPermission` for a system
/// image; another account's image is not found for the caller: `InvalidParameter.ImageId`.
#[tokio::test]
async fn only_own_custom_images() {
    let emulator = start(state()).await;
    let error = service_error(
        client(&emulator)
            .delete_image(DeleteImageInput::new("m-ens-system"))
            .await,
    );
    assert!(
        matches!(error, DeleteImageError::NoPermission(_)),
        "{error:?}"
    );
    let error = service_error(
        client(&emulator)
            .delete_image(DeleteImageInput::new("m-ens-other"))
            .await,
    );
    assert_eq!(error.code(), Some("InvalidParameter.ImageId"));
    assert!(emulator.resource(svc("ens"), "m-ens-system").is_some());
    assert!(emulator.resource(svc("ens"), "m-ens-other").is_some());
}

/// Error row 400 `MissingParameter` "The input parameters that is mandatory for processing
/// this request is not supplied." (ImageId is "Required: Yes").
#[tokio::test]
async fn missing_image_id() {
    let emulator = start(state()).await;
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[("Action", "DeleteImage"), ("Version", "2017-11-10")],
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "MissingParameter".to_owned())
    );
    assert_eq!(
        resp.json()["Message"],
        "The input parameters that is mandatory for processing this request is not supplied."
    );
}

/// Error row 400 `InvalidParameter.%s` "The specified field %s invalid. Please check it
/// again." and "You can specify only one image ID.": a list in ImageId, or a parameter ENS
/// does not have, fills the template.
#[tokio::test]
async fn malformed_or_unknown_parameters_fill_the_template() {
    let emulator = start(state()).await;
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteImage"),
            ("Version", "2017-11-10"),
            ("ImageId", "m-ens-plain,m-ens-plain-2"),
        ],
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "InvalidParameter.ImageId".to_owned())
    );
    assert_eq!(
        resp.json()["Message"],
        "The specified field ImageId invalid. Please check it again."
    );
    let resp = alibaba_v3(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        "DeleteImage",
        "2017-11-10",
        &[("ImageId", "m-ens-plain"), ("InstanceId", "i-5vb0001")],
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "InvalidParameter.InstanceId".to_owned())
    );
    assert!(emulator.resource(svc("ens"), "m-ens-plain").is_some());
    assert!(emulator.resource(svc("ens"), "m-ens-plain-2").is_some());
    // Through the generated client the typed error is the template's variant.
    let error = service_error(
        client(&emulator)
            .delete_image(DeleteImageInput::new("[\"m-ens-plain\"]"))
            .await,
    );
    assert_eq!(error.code(), Some("InvalidParameter.ImageId"));
    assert_eq!(
        error.documented().and_then(|row| row.code),
        Some("InvalidParameter.%s")
    );
}

/// ENS has no `RegionId`, but aliyun-python-sdk-core adds the client's region to every RPC
/// request (`aliyunsdkcore/request.py`, `RpcRequest.get_url`; the spec's
/// `sdk-sends-region-id` fact): the emulator accepts and ignores it, as the service that
/// SDK is used against must.
#[tokio::test]
async fn region_id_from_the_v1_sdk_is_ignored() {
    let emulator = start(state()).await;
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteImage"),
            ("Version", "2017-11-10"),
            ("ImageId", "m-ens-plain"),
            ("RegionId", "cn-hangzhou"),
        ],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.json());
    assert_eq!(resp.json()["Code"], 0);
    assert!(emulator.resource(svc("ens"), "m-ens-plain").is_none());
}
