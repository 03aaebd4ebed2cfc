//! SWAS `DeleteCustomImages` (seed 002, "Deletes custom images."), through the generated
//! client and raw signed requests.

mod common;

use cloudspec_alibaba_swas::Client;
use cloudspec_alibaba_swas::operation::delete_custom_images::{
    DeleteCustomImagesError, DeleteCustomImagesInput,
};
use cloudspec_emulator::{Resource, RunningEmulator, State};
use cloudspec_runtime::ValidationMode;
use common::*;

const REGION: &str = "cn-hangzhou";

fn state() -> State {
    let image = |id: &str| Resource::new(svc("swas"), id, ALI_ACCOUNT).in_region(REGION);
    let mut state = keys()
        .with_resource(image("m-swas-1"))
        .with_resource(image("m-swas-2"))
        .with_resource(image("m-swas-3"))
        .with_resource(image("m-swas-in-use").used_by("swas-server-1"))
        .with_resource(image("m-swas-creating").with_state("creating"))
        .with_resource(image("m-swas-shared").shared_with(ALI_OTHER_ACCOUNT))
        .with_resource(
            Resource::new(svc("swas"), "m-swas-other", ALI_OTHER_ACCOUNT).in_region(REGION),
        )
        .with_resource(image("m-swas-beijing").in_region("cn-beijing"));
    for i in 0..16 {
        state = state.with_resource(image(&format!("m-swas-bulk-{i:02}")));
    }
    state
}

fn client(emulator: &RunningEmulator) -> Client {
    Client::new(config(emulator, ALI_KEY, ALI_SECRET)).unwrap()
}

fn swas_ids(emulator: &RunningEmulator) -> Vec<String> {
    emulator
        .resources()
        .into_iter()
        .filter(|i| i.service == svc("swas"))
        .map(|i| i.id)
        .collect()
}

/// "You can also call this operation to delete multiple custom images at the same time."
/// Only the images asked for are deleted. After deletion, "you cannot use the custom image
/// to reset the simple application servers": an image in use is deletable.
#[tokio::test]
async fn deletes_several_images_at_once() {
    let emulator = start(state()).await;
    let before = swas_ids(&emulator);
    let output = client(&emulator)
        .delete_custom_images(DeleteCustomImagesInput::new(
            REGION,
            ["m-swas-1", "m-swas-2", "m-swas-in-use"],
        ))
        .await
        .unwrap();
    assert!(output.request_id.is_some());
    let expected: Vec<String> = before
        .into_iter()
        .filter(|id| !["m-swas-1", "m-swas-2", "m-swas-in-use"].contains(&id.as_str()))
        .collect();
    assert_eq!(swas_ids(&emulator), expected);
}

/// "The value can be a JSON array that consists of up to 15 image IDs.": 15 are deleted;
/// 16 are refused with `InvalidParameter` and nothing is deleted.
#[tokio::test]
async fn up_to_fifteen_ids() {
    let emulator = start(state()).await;
    let sixteen: Vec<String> = (0..16).map(|i| format!("m-swas-bulk-{i:02}")).collect();
    let unchecked =
        Client::new(config(&emulator, ALI_KEY, ALI_SECRET).with_validation(ValidationMode::Off))
            .unwrap();
    let error = service_error(
        unchecked
            .delete_custom_images(DeleteCustomImagesInput::new(REGION, sixteen.clone()))
            .await,
    );
    assert_eq!(error.code(), Some("InvalidParameter"));
    assert_eq!(error.status(), 400);
    assert!(
        error
            .message()
            .unwrap_or_default()
            .contains("up to 15 image IDs")
    );
    assert_eq!(emulator.resources().len(), state().resources.len());
    client(&emulator)
        .delete_custom_images(DeleteCustomImagesInput::new(REGION, sixteen[..15].to_vec()))
        .await
        .unwrap();
    assert_eq!(
        swas_ids(&emulator)
            .iter()
            .filter(|id| id.starts_with("m-swas-bulk-"))
            .collect::<Vec<_>>(),
        ["m-swas-bulk-15"]
    );
}

/// ImageIds travels as one JSON array in one query string; an unparsable value is
/// `InvalidParameter`. "Separate multiple image IDs with commas": a plain comma list works.
#[tokio::test]
async fn image_ids_parsing() {
    let emulator = start(state()).await;
    let call = |ids: &'static str| {
        [
            ("Action", "DeleteCustomImages"),
            ("Version", "2020-06-01"),
            ("RegionId", REGION),
            ("ImageIds", ids),
        ]
    };
    for bad in ["[\"m-swas-1\"", "[1, 2]", "m-swas-1,,m-swas-2"] {
        let resp = alibaba_v1(&emulator, ALI_KEY, ALI_SECRET, &call(bad)).await;
        assert_eq!(
            (resp.status, resp.code()),
            (400, "InvalidParameter".to_owned()),
            "{bad}"
        );
    }
    assert!(emulator.resource(svc("swas"), "m-swas-1").is_some());
    let resp = alibaba_v1(&emulator, ALI_KEY, ALI_SECRET, &call("m-swas-1, m-swas-2")).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let resp = alibaba_v3(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        "DeleteCustomImages",
        "2020-06-01",
        &[("RegionId", REGION), ("ImageIds", "[\"m-swas-3\"]")],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    for id in ["m-swas-1", "m-swas-2", "m-swas-3"] {
        assert!(emulator.resource(svc("swas"), id).is_none());
    }
}

/// "If a custom image is shared, you must unshare the image before you can delete it." and
/// error row 400 `CustomImageInShare`; the whole request is refused: nothing is deleted.
#[tokio::test]
async fn shared_image_refuses_the_whole_request() {
    let emulator = start(state()).await;
    let error = service_error(
        client(&emulator)
            .delete_custom_images(DeleteCustomImagesInput::new(
                REGION,
                ["m-swas-1", "m-swas-shared"],
            ))
            .await,
    );
    assert!(
        matches!(error, DeleteCustomImagesError::CustomImageInShare(_)),
        "{error:?}"
    );
    assert_eq!(error.status(), 400);
    assert_eq!(error.message(), error.documented().and_then(|r| r.message));
    assert!(emulator.resource(svc("swas"), "m-swas-1").is_some());
    assert!(emulator.resource(svc("swas"), "m-swas-shared").is_some());
}

/// Error row 404 `InvalidImageId.NotFound` "The specified ImageId does not exist.": an
/// unknown ID, another account's image or another region's image; nothing is deleted.
#[tokio::test]
async fn unknown_ids_refuse_the_whole_request() {
    let emulator = start(state()).await;
    for missing in ["m-swas-nope", "m-swas-other", "m-swas-beijing"] {
        let error = service_error(
            client(&emulator)
                .delete_custom_images(DeleteCustomImagesInput::new(REGION, ["m-swas-1", missing]))
                .await,
        );
        assert!(
            matches!(error, DeleteCustomImagesError::InvalidImageIdNotFound(_)),
            "{missing}: {error:?}"
        );
        assert_eq!(error.status(), 404);
    }
    assert_eq!(emulator.resources().len(), state().resources.len());
}

/// ClientToken "ensure[s] the idempotence of the request": the same token with the same
/// parameters answers the first result again (same RequestId) and deletes nothing twice.
#[tokio::test]
async fn client_token_replays_the_first_result() {
    let emulator = start(state()).await;
    let input = DeleteCustomImagesInput::new(REGION, ["m-swas-1", "m-swas-2"])
        .with_client_token("123e4567-e89b-12d3-a456-426655440000");
    let first = client(&emulator)
        .delete_custom_images(input.clone())
        .await
        .unwrap();
    let after_first = emulator.resources();
    assert!(emulator.resource(svc("swas"), "m-swas-1").is_none());
    let second = client(&emulator).delete_custom_images(input).await.unwrap();
    assert_eq!(second.request_id, first.request_id);
    assert_eq!(emulator.resources(), after_first);
    // Another account's identical token is its own.
    let other = Client::new(config(&emulator, ALI_OTHER_KEY, ALI_OTHER_SECRET)).unwrap();
    let error = service_error(
        other
            .delete_custom_images(
                DeleteCustomImagesInput::new(REGION, ["m-swas-1"])
                    .with_client_token("123e4567-e89b-12d3-a456-426655440000"),
            )
            .await,
    );
    assert!(matches!(
        error,
        DeleteCustomImagesError::InvalidImageIdNotFound(_)
    ));
}

/// The same ClientToken with other parameters is refused with
/// `IdempotentParameterMismatch` (a fact from Alibaba's "Ensure idempotence" page, not from
/// this document); nothing is deleted.
#[tokio::test]
async fn client_token_with_other_parameters_is_refused() {
    let emulator = start(state()).await;
    let token = "token-1";
    client(&emulator)
        .delete_custom_images(
            DeleteCustomImagesInput::new(REGION, ["m-swas-1"]).with_client_token(token),
        )
        .await
        .unwrap();
    let error = service_error(
        client(&emulator)
            .delete_custom_images(
                DeleteCustomImagesInput::new(REGION, ["m-swas-2"]).with_client_token(token),
            )
            .await,
    );
    assert_eq!(error.code(), Some("IdempotentParameterMismatch"));
    assert_eq!(error.status(), 400);
    assert!(emulator.resource(svc("swas"), "m-swas-2").is_some());
}

/// A refused request records no token: the client may retry it with the same token once
/// the cause is gone (here: a fault answered `InternalError`, the document's 500 row).
#[tokio::test]
async fn a_refused_request_records_no_token() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(cloudspec_emulator::Fault::new(
            svc("swas"),
            cloudspec_emulator::FaultKind::Error500,
        ))
        .unwrap();
    let input = DeleteCustomImagesInput::new(REGION, ["m-swas-3"]).with_client_token("retry-me");
    let error = service_error(client(&emulator).delete_custom_images(input.clone()).await);
    assert!(
        matches!(error, DeleteCustomImagesError::InternalError(_)),
        "{error:?}"
    );
    assert_eq!(error.message(), error.documented().and_then(|r| r.message));
    assert!(emulator.resource(svc("swas"), "m-swas-3").is_some());
    client(&emulator).delete_custom_images(input).await.unwrap();
    assert!(emulator.resource(svc("swas"), "m-swas-3").is_none());
}

/// RegionId and ImageIds are "Required: Yes"; ClientToken "can contain only ASCII
/// characters and cannot exceed 64 characters in length".
#[tokio::test]
async fn parameter_errors() {
    let emulator = start(state()).await;
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteCustomImages"),
            ("Version", "2020-06-01"),
            ("ImageIds", "[\"m-swas-1\"]"),
        ],
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "MissingParameter".to_owned())
    );
    let long = "x".repeat(65);
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteCustomImages"),
            ("Version", "2020-06-01"),
            ("RegionId", REGION),
            ("ImageIds", "[\"m-swas-1\"]"),
            ("ClientToken", &long),
        ],
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "InvalidParameter".to_owned())
    );
    assert!(emulator.resource(svc("swas"), "m-swas-1").is_some());
}
