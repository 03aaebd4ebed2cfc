//! BCC "Delete a Custom Image" (seed 004, `DELETE /v{version}/image/{imageId}`), through the
//! generated client and raw signed requests.

mod common;

use cloudspec_baidu_bcc::{Client, DeleteImageError, DeleteImageInput};
use cloudspec_emulator::{Image, ImageKind, ImageState, RunningEmulator, Service, State};
use common::*;

fn state() -> State {
    let image = |id: &str| Image::new(Service::Bcc, id, BD_ACCOUNT).in_region("bj");
    keys()
        .with_image(image("m-nky7qeom"))
        .with_image(image("m-bcc-plain"))
        .with_image(image("m-bcc-in-use").used_by("i-bcc-1"))
        .with_image(image("m-bcc-system").with_kind(ImageKind::System))
        .with_image(image("m-bcc-integration").with_kind(ImageKind::ServiceIntegration))
        .with_image(image("m-bcc-creating").with_state(ImageState::Creating))
        .with_image(image("m-bcc-shared").shared_with(BD_OTHER_ACCOUNT))
        .with_image(Image::new(Service::Bcc, "m-bcc-other", BD_OTHER_ACCOUNT).in_region("bj"))
}

fn client(emulator: &RunningEmulator) -> Client {
    Client::new(config(emulator, BD_KEY, BD_SECRET)).unwrap()
}

/// Request instance `DELETE /v2/image/m-nky7qeom`; return instance: 200, empty body,
/// `x-bce-request-id`. Exactly that image is deleted; an image used by instances is a custom
/// image and is deleted too ("The deleted image can not be ... used to create or reset the
/// instance").
#[tokio::test]
async fn deletes_a_custom_image() {
    let emulator = start(state()).await;
    let output = client(&emulator)
        .delete_image(DeleteImageInput::new("m-nky7qeom"))
        .await
        .unwrap();
    assert!(output.request_id.is_some());
    let mut expected: Vec<String> = state().images.iter().map(|i| i.id.clone()).collect();
    expected.retain(|id| id != "m-nky7qeom");
    expected.sort();
    assert_eq!(image_ids(&emulator, "baidu").await, expected);
    let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-in-use").await;
    assert_eq!(resp.status, 200);
    assert!(resp.body.is_empty());
    assert!(resp.header("x-bce-request-id").is_some());
    assert!(emulator.image(Service::Bcc, "m-bcc-in-use").is_none());
}

/// "The image specified by imageId does not exist, and it prompts an error 404." The
/// document gives no code, so the body carries none; the client maps it to `ImageNotFound`.
/// Another account's image does not exist for the caller.
#[tokio::test]
async fn missing_image_is_404() {
    let emulator = start(state()).await;
    for id in ["m-bcc-nope", "m-bcc-other"] {
        let error = service_error(
            client(&emulator)
                .delete_image(DeleteImageInput::new(id))
                .await,
        );
        assert!(
            matches!(error, DeleteImageError::ImageNotFound(_)),
            "{id}: {error:?}"
        );
        assert_eq!(error.status(), 404);
        assert_eq!(error.code(), None);
        assert!(error.request_id().is_some());
    }
    let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-nope").await;
    assert_eq!(resp.status, 404);
    let body = resp.json();
    assert!(body.get("code").is_none(), "{body}");
    assert_eq!(
        Some(body["requestId"].as_str().unwrap()),
        resp.header("x-bce-request-id")
    );
    assert!(emulator.image(Service::Bcc, "m-bcc-other").is_some());
}

/// "The system image and service integration image can not be deleted." → 403
/// `Image.UnCustomImageCannotBeDeleted`; "The creating image can not be deleted" → 409
/// `Image.CreatingImageCannotBeDeleted`; "The image is shared with other users and can not
/// be deleted" → 409 `Image.ImageHasBeenSharedToOthers`.
#[tokio::test]
async fn documented_refusals() {
    let emulator = start(state()).await;
    let cases: [(&str, &str, u16); 4] = [
        ("m-bcc-system", "Image.UnCustomImageCannotBeDeleted", 403),
        (
            "m-bcc-integration",
            "Image.UnCustomImageCannotBeDeleted",
            403,
        ),
        ("m-bcc-creating", "Image.CreatingImageCannotBeDeleted", 409),
        ("m-bcc-shared", "Image.ImageHasBeenSharedToOthers", 409),
    ];
    for (id, code, status) in cases {
        let error = service_error(
            client(&emulator)
                .delete_image(DeleteImageInput::new(id))
                .await,
        );
        assert_eq!(error.code(), Some(code), "{id}");
        assert_eq!(error.status(), status, "{id}");
        assert_eq!(
            error.message(),
            error.documented().and_then(|r| r.message),
            "{id}"
        );
        assert!(emulator.image(Service::Bcc, id).is_some(), "{id} must stay");
    }
    assert!(matches!(
        service_error(
            client(&emulator)
                .delete_image(DeleteImageInput::new("m-bcc-shared"))
                .await
        ),
        DeleteImageError::ImageImageHasBeenSharedToOthers(_)
    ));
}

/// A query parameter the API does not know → 400 `InvalidParameter`; a wrong version in the
/// path → 404; nothing is deleted.
#[tokio::test]
async fn parameter_and_route_errors() {
    let emulator = start(state()).await;
    let resp = baidu_at(
        &emulator,
        (BD_KEY, BD_SECRET),
        "DELETE",
        "/v2/image/m-bcc-plain",
        &[("force", "true")],
        jiff::Timestamp::now(),
        1800,
    )
    .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["code"], "InvalidParameter");
    let resp = baidu_at(
        &emulator,
        (BD_KEY, BD_SECRET),
        "DELETE",
        "/v1/image/m-bcc-plain",
        &[],
        jiff::Timestamp::now(),
        1800,
    )
    .await;
    assert_eq!(resp.status, 404);
    assert!(emulator.image(Service::Bcc, "m-bcc-plain").is_some());
}
