//! CVM `DeleteImages` (seed 003, "This API is used to delete one or more images."),
//! through the generated client and raw signed requests.

mod common;

use std::time::Duration;

use cloudspec_emulator::{Clock, Emulator, Kind, Resource, RunningEmulator, State};
use cloudspec_runtime::ValidationMode;
use cloudspec_tencent_cvm::Client;
use cloudspec_tencent_cvm::operation::delete_images::{DeleteImagesError, DeleteImagesInput};
use common::*;

const REGION: &str = "ap-guangzhou";

fn state() -> State {
    let image = |id: &str| Resource::new(svc("cvm"), id, TC_ACCOUNT).in_region(REGION);
    keys()
        .with_resource(image("img-aaaa0001").with_bound("snap-aaaa0001"))
        .with_resource(image("img-aaaa0002").with_bound("snap-aaaa0002"))
        .with_resource(image("img-aaaa0003"))
        .with_resource(image("img-mfih409y").with_bound("snap-mfih409y"))
        .with_resource(image("img-shared01").shared_with(TC_OTHER_ACCOUNT))
        .with_resource(image("img-create01").with_state("creating"))
        .with_resource(image("img-using001").with_state("in-use"))
        .with_resource(image("img-used0001").used_by("ins-00000001"))
        .with_resource(image("img-system01").with_kind(Kind::System))
        .with_resource(
            Resource::new(svc("cvm"), "img-other001", TC_OTHER_ACCOUNT).in_region(REGION),
        )
        .with_resource(image("img-shanghai").in_region("ap-shanghai"))
}

fn client(emulator: &RunningEmulator) -> Client {
    Client::new(config(emulator, TC_KEY, TC_SECRET).with_region(REGION)).unwrap()
}

async fn delete(
    emulator: &RunningEmulator,
    input: DeleteImagesInput,
) -> Result<
    cloudspec_tencent_cvm::operation::delete_images::DeleteImagesOutput,
    cloudspec_runtime::SdkError<DeleteImagesError>,
> {
    client(emulator).delete_images(input).await
}

/// Output `{"Response": {"RequestId": ...}}`; "delete one or more images": exactly those
/// are deleted. Without DeleteBindedSnap their snapshots stay.
#[tokio::test]
async fn deletes_one_or_more_images() {
    let emulator = start(state()).await;
    let output = delete(
        &emulator,
        DeleteImagesInput::new(["img-aaaa0001", "img-aaaa0002"]),
    )
    .await
    .unwrap();
    assert!(output.request_id.is_some());
    let mut expected: Vec<String> = state().resources.iter().map(|i| i.id.clone()).collect();
    expected.retain(|id| id != "img-aaaa0001" && id != "img-aaaa0002");
    expected.sort();
    assert_eq!(image_ids(&emulator, "tencent").await, expected);
    assert_eq!(
        snapshot_ids(&emulator).await,
        ["snap-aaaa0001", "snap-aaaa0002", "snap-mfih409y"]
    );
}

/// DeleteBindedSnap "Whether to delete the snapshot associated with the image": with
/// `true` the bound snapshots are gone from the state.
#[tokio::test]
async fn delete_binded_snap_removes_bound() {
    let emulator = start(state()).await;
    delete(
        &emulator,
        DeleteImagesInput::new(["img-aaaa0001"]).with_delete_binded_snap(true),
    )
    .await
    .unwrap();
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_none());
    assert_eq!(
        snapshot_ids(&emulator).await,
        ["snap-aaaa0002", "snap-mfih409y"]
    );
    delete(
        &emulator,
        DeleteImagesInput::new(["img-aaaa0002"]).with_delete_binded_snap(false),
    )
    .await
    .unwrap();
    assert_eq!(
        snapshot_ids(&emulator).await,
        ["snap-aaaa0002", "snap-mfih409y"]
    );
}

/// DryRun "Check whether deleting an image is supported" (Example2): success without
/// deleting when deletable, the same errors as a real call otherwise.
#[tokio::test]
async fn dry_run_changes_nothing() {
    let emulator = start(state()).await;
    let before = emulator.state();
    delete(
        &emulator,
        DeleteImagesInput::new(["img-aaaa0001"])
            .with_dry_run(true)
            .with_delete_binded_snap(true),
    )
    .await
    .unwrap();
    let error = service_error(
        delete(
            &emulator,
            DeleteImagesInput::new(["img-shared01"]).with_dry_run(true),
        )
        .await,
    );
    assert!(
        matches!(error, DeleteImagesError::InvalidImageIdInShared(_)),
        "{error:?}"
    );
    let error = service_error(
        delete(
            &emulator,
            DeleteImagesInput::new(["img-nope0000"]).with_dry_run(true),
        )
        .await,
    );
    assert!(
        matches!(error, DeleteImagesError::InvalidImageIdNotFound(_)),
        "{error:?}"
    );
    assert_eq!(emulator.state(), before);
}

/// Example2 verbatim: `"DryRun": "True", "DeleteBindedSnap": "True"` strings are read as
/// Booleans, and the image stays.
#[tokio::test]
async fn example2_body_with_string_booleans() {
    let emulator = start(state()).await;
    let body = r#"{
    "ImageIds": [
        "img-mfih409y"
    ],
    "DryRun": "True",
    "DeleteBindedSnap": "True"
}"#;
    let resp = tencent_post(&emulator, TC_KEY, TC_SECRET, body, None).await;
    assert_eq!(resp.status, 200);
    let json = resp.json();
    assert!(json["Response"]["RequestId"].is_string(), "{json}");
    assert!(json["Response"]["Error"].is_null(), "{json}");
    assert!(emulator.resource(svc("cvm"), "img-mfih409y").is_some());
    assert_eq!(snapshot_ids(&emulator).await.len(), 3);
}

/// Example1: `GET ...?Action=DeleteImages&ImageIds.0=...` (0-based list in the query).
#[tokio::test]
async fn example1_get_with_flattened_ids() {
    let emulator = start(state()).await;
    let resp = tencent_get(
        &emulator,
        TC_KEY,
        TC_SECRET,
        &[
            ("Action", "DeleteImages"),
            ("ImageIds.0", "img-aaaa0001"),
            ("ImageIds.1", "img-aaaa0003"),
        ],
    )
    .await;
    assert_eq!(resp.status, 200);
    assert!(resp.tc_code().is_none(), "{}", resp.body);
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_none());
    assert!(emulator.resource(svc("cvm"), "img-aaaa0003").is_none());
}

/// "A shared image cannot be deleted." → `InvalidImageId.InShared`; "If the ImageState of
/// an image is CREATING or USING, the image cannot be deleted." →
/// `InvalidImageId.IncorrectState`; a system image → `InvalidParameterValue.InvalidImageId`
/// ("The image does not support this operation."). Errors arrive with HTTP 200.
#[tokio::test]
async fn documented_refusals() {
    let emulator = start(state()).await;
    let cases: [(&str, &str); 5] = [
        ("img-shared01", "InvalidImageId.InShared"),
        ("img-create01", "InvalidImageId.IncorrectState"),
        ("img-using001", "InvalidImageId.IncorrectState"),
        ("img-used0001", "InvalidImageId.IncorrectState"),
        ("img-system01", "InvalidParameterValue.InvalidImageId"),
    ];
    for (id, code) in cases {
        let error = service_error(delete(&emulator, DeleteImagesInput::new([id])).await);
        assert_eq!(error.code(), Some(code), "{id}");
        assert_eq!(error.status(), 200);
        let row = error.documented().expect("documented");
        assert_eq!(error.message(), Some(row.description), "{id}");
        assert!(
            emulator.resource(svc("cvm"), id).is_some(),
            "{id} must stay"
        );
    }
}

/// `InvalidImageId.NotFound` "The image cannot be found.": unknown, another account's,
/// another region's. "If ... the image ID does not exist, no operation will be performed":
/// the valid image in the same request stays.
#[tokio::test]
async fn not_found_changes_nothing() {
    let emulator = start(state()).await;
    for missing in ["img-nope0000", "img-other001", "img-shanghai"] {
        let error = service_error(
            delete(&emulator, DeleteImagesInput::new(["img-aaaa0001", missing])).await,
        );
        assert!(
            matches!(error, DeleteImagesError::InvalidImageIdNotFound(_)),
            "{missing}: {error:?}"
        );
    }
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
    // Without a region the caller's images of every region are found.
    let all_regions = Client::new(config(&emulator, TC_KEY, TC_SECRET)).unwrap();
    all_regions
        .delete_images(DeleteImagesInput::new(["img-shanghai"]))
        .await
        .unwrap();
    assert!(emulator.resource(svc("cvm"), "img-shanghai").is_none());
}

/// `InvalidImageId.Malformed` "Invalid image ID format." (the emulator's rule: `img-` and at
/// least 8 lower-case letters or digits, so Example1's `img-34vaef8fe` is well formed).
#[tokio::test]
async fn malformed_ids() {
    let emulator = start(state()).await;
    for bad in ["m-aaaa0001", "img-AAAA0001", "img-aaaa001", "img-"] {
        let error =
            service_error(delete(&emulator, DeleteImagesInput::new(["img-aaaa0001", bad])).await);
        assert!(
            matches!(error, DeleteImagesError::InvalidImageIdMalformed(_)),
            "{bad}: {error:?}"
        );
    }
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
    // CVM Example1 "Deleting an image": `img-34vaef8fe` is not malformed; absent here, it is
    // not found.
    let error = service_error(delete(&emulator, DeleteImagesInput::new(["img-34vaef8fe"])).await);
    assert!(
        matches!(error, DeleteImagesError::InvalidImageIdNotFound(_)),
        "{error:?}"
    );
}

/// Parameters the API does not know → `UnknownParameter`; a value of the wrong type →
/// `InvalidParameterValue`; ImageIds.N is "Required: Yes" → `MissingParameter`.
#[tokio::test]
async fn parameter_errors() {
    let emulator = start(state()).await;
    let cases = [
        (
            r#"{"ImageIds": ["img-aaaa0001"], "Force": true}"#,
            "UnknownParameter",
        ),
        (
            r#"{"ImageIds": ["img-aaaa0001"], "DryRun": "maybe"}"#,
            "InvalidParameterValue",
        ),
        (r#"{"ImageIds": "img-aaaa0001"}"#, "InvalidParameterValue"),
        (r#"{"ImageIds": []}"#, "InvalidParameterValue"),
        (r#"{"DryRun": true}"#, "MissingParameter"),
        ("not json", "InvalidParameter"),
    ];
    for (body, code) in cases {
        let resp = tencent_post(&emulator, TC_KEY, TC_SECRET, body, Some(REGION)).await;
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.tc_code().as_deref(),
            Some(code),
            "{body}: {}",
            resp.body
        );
        assert!(resp.json()["Response"]["RequestId"].is_string());
    }
    // The generated client validates ImageIds (at least one item) unless told not to.
    let unchecked =
        Client::new(config(&emulator, TC_KEY, TC_SECRET).with_validation(ValidationMode::Off))
            .unwrap();
    let error = service_error(
        unchecked
            .delete_images(DeleteImagesInput::new(Vec::<String>::new()))
            .await,
    );
    assert_eq!(error.code(), Some("InvalidParameterValue"));
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
}

/// "A maximum of 10 requests can be initiated per second for this API." The 11th request
/// of an account within one second is `RequestLimitExceeded` and changes nothing; another
/// account has its own window; a second later requests pass again. A manual clock makes
/// the window exact without sleeping.
#[tokio::test]
async fn rate_limit_per_account() {
    let emulator = Emulator::builder()
        .state(state())
        .clock(Clock::manual_now())
        .start()
        .await
        .unwrap();
    for _ in 0..10 {
        delete(
            &emulator,
            DeleteImagesInput::new(["img-aaaa0001"]).with_dry_run(true),
        )
        .await
        .unwrap();
    }
    let error = service_error(delete(&emulator, DeleteImagesInput::new(["img-aaaa0001"])).await);
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert!(error.is_retryable());
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
    let other = Client::new(config(&emulator, TC_OTHER_KEY, TC_OTHER_SECRET)).unwrap();
    other
        .delete_images(DeleteImagesInput::new(["img-other001"]))
        .await
        .unwrap();
    emulator.clock().advance(Duration::from_millis(1000));
    delete(&emulator, DeleteImagesInput::new(["img-aaaa0001"]))
        .await
        .unwrap();
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_none());
}

/// Every answer, errors included, has `Content-Type: application/json` exactly:
/// tencentcloud-sdk-python reads an error only for that type or `text/plain`
/// (`_check_error` in `tencentcloud/common/abstract_client.py`) and returned the emulator's
/// refusals to its callers as successes while they carried `;charset=utf-8`.
#[tokio::test]
async fn answers_are_exactly_application_json() {
    let emulator = start(state()).await;
    let refused = tencent_post(
        &emulator,
        TC_KEY,
        TC_SECRET,
        r#"{"ImageIds":["img-shared01"]}"#,
        Some(REGION),
    )
    .await;
    assert_eq!(
        refused.tc_code().as_deref(),
        Some("InvalidImageId.InShared")
    );
    assert_eq!(refused.header("content-type"), Some("application/json"));
    let ok = tencent_post(
        &emulator,
        TC_KEY,
        TC_SECRET,
        r#"{"ImageIds":["img-aaaa0003"]}"#,
        Some(REGION),
    )
    .await;
    assert!(ok.tc_code().is_none(), "{}", ok.json());
    assert_eq!(ok.header("content-type"), Some("application/json"));
}
