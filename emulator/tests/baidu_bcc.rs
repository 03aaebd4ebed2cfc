//! BCC "Delete a Custom Image" (seed 004, `DELETE /v{version}/image/{imageId}`), through the
//! generated client and raw signed requests.

mod common;

use cloudspec_baidu_bcc::Client;
use cloudspec_baidu_bcc::operation::delete_image::{DeleteImageError, DeleteImageInput};
use cloudspec_emulator::{Kind, Resource, RunningEmulator, State};
use common::*;

fn state() -> State {
    let image = |id: &str| Resource::new(svc("bcc"), id, BD_ACCOUNT).in_region("bj");
    keys()
        .with_resource(image("m-nky7qeom"))
        .with_resource(image("m-bcc-plain"))
        .with_resource(image("m-bcc-in-use").used_by("i-bcc-1"))
        .with_resource(image("m-bcc-system").with_kind(Kind::System))
        .with_resource(image("m-bcc-integration").with_kind(Kind::ServiceIntegration))
        .with_resource(image("m-bcc-creating").with_state("creating"))
        .with_resource(image("m-bcc-shared").shared_with(BD_OTHER_ACCOUNT))
        .with_resource(Resource::new(svc("bcc"), "m-bcc-other", BD_OTHER_ACCOUNT).in_region("bj"))
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
    let mut expected: Vec<String> = state().resources.iter().map(|i| i.id.clone()).collect();
    expected.retain(|id| id != "m-nky7qeom");
    expected.sort();
    assert_eq!(image_ids(&emulator, "baidu").await, expected);
    let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-in-use").await;
    assert_eq!(resp.status, 200);
    assert!(resp.body.is_empty());
    assert!(resp.header("x-bce-request-id").is_some());
    assert!(emulator.resource(svc("bcc"), "m-bcc-in-use").is_none());
}

/// "The image specified by imageId does not exist, and it prompts an error 404." The
/// document gives no code; the body carries BCC's `NoSuchKey` (its "Error Return" page),
/// because bce-python-sdk reads `code` from every error body. The client maps any 404
/// without a documented code to `ImageNotFound`. Another account's image does not exist
/// for the caller.
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
        assert_eq!(error.code(), Some("NoSuchKey"));
        assert!(error.request_id().is_some());
    }
    let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-nope").await;
    assert_eq!(resp.status, 404);
    let body = resp.json();
    assert_eq!(body["code"], "NoSuchKey", "{body}");
    assert_eq!(
        Some(body["requestId"].as_str().unwrap()),
        resp.header("x-bce-request-id")
    );
    assert!(emulator.resource(svc("bcc"), "m-bcc-other").is_some());
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
        assert!(
            emulator.resource(svc("bcc"), id).is_some(),
            "{id} must stay"
        );
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
    assert!(emulator.resource(svc("bcc"), "m-bcc-plain").is_some());
}

/// bce-python-sdk signs `bce-auth-v1/AK/TS/1800//SIG`: an empty signed-headers field, which
/// means the default set (host, content-length, content-type, content-md5, x-bce-*;
/// `_get_canonical_headers` in `baidubce/auth/bce_v1_signer.py`). The emulator verifies it
/// against that set; it once refused it for not naming host.
#[tokio::test]
async fn empty_signed_headers_field_is_the_default_set() {
    use cloudspec_runtime::sign::{SigningRequest, baidu};
    let emulator = start(state()).await;
    let send = |secret: &'static str| {
        let date = "x-bce-date";
        let now = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let mut req = SigningRequest::new(
            "DELETE",
            emulator.addr().to_string(),
            "/v2/image/m-bcc-plain",
        );
        req.set_header(date, &now);
        // Signed as the SDK signs: the canonical request of the empty list, and an
        // Authorization header whose signed-headers field is empty.
        let prefix = baidu::auth_string_prefix(BD_KEY, &now, 1800);
        let canonical = baidu::canonical_request(&req, &[]).expect("canonical request");
        let signature = baidu::signature(&baidu::signing_key(secret, &prefix), &canonical);
        let authorization = baidu::authorization(&prefix, &[], &signature);
        assert!(authorization.contains("/1800//"), "{authorization}");
        let emulator = &emulator;
        async move {
            raw(
                emulator,
                "DELETE",
                "/v2/image/m-bcc-plain",
                &[
                    (date, now.as_str()),
                    ("authorization", authorization.as_str()),
                ],
                "",
            )
            .await
        }
    };
    let wrong = send("not-the-secret").await;
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    assert!(emulator.resource(svc("bcc"), "m-bcc-plain").is_some());
    let resp = send(BD_SECRET).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(emulator.resource(svc("bcc"), "m-bcc-plain").is_none());
}
