//! ECS `DeleteImage` (seed 000, "You can call this operation to delete a custom image."),
//! through the generated client and raw signed requests.

mod common;

use cloudspec_alibaba_ecs::AlibabaSignature;
use cloudspec_alibaba_ecs::Client;
use cloudspec_alibaba_ecs::operation::delete_image::{DeleteImageError, DeleteImageInput};
use cloudspec_emulator::{Kind, Resource, RunningEmulator, State};
use common::*;

const REGION: &str = "cn-hangzhou";

/// An image ID, the variant it must get, and the code of that variant.
type Case = (&'static str, fn(&DeleteImageError) -> bool, &'static str);

fn state() -> State {
    let image = |id: &str| Resource::new(svc("ecs"), id, ALI_ACCOUNT).in_region(REGION);
    keys()
        .with_resource(image("m-plain"))
        .with_resource(image("m-plain-2"))
        .with_resource(image("m-in-use").used_by("i-1"))
        .with_resource(image("m-in-use-state").with_state("in-use"))
        .with_resource(image("m-shared").shared_with(ALI_OTHER_ACCOUNT))
        .with_resource(image("m-public").with_kind(Kind::Public))
        .with_resource(image("m-copying").with_state("copying"))
        .with_resource(image("m-creating").with_state("creating"))
        .with_resource(image("m-importing").with_state("importing"))
        .with_resource(image("m-exporting").with_state("exporting"))
        .with_resource(image("m-system").with_kind(Kind::System))
        .with_resource(Resource::new(svc("ecs"), "m-other", ALI_OTHER_ACCOUNT).in_region(REGION))
        .with_resource(image("m-beijing").in_region("cn-beijing"))
}

fn client(emulator: &RunningEmulator) -> Client {
    Client::new(config(emulator, ALI_KEY, ALI_SECRET)).unwrap()
}

async fn delete(
    emulator: &RunningEmulator,
    id: &str,
) -> Result<
    cloudspec_alibaba_ecs::operation::delete_image::DeleteImageOutput,
    cloudspec_runtime::SdkError<DeleteImageError>,
> {
    client(emulator)
        .delete_image(DeleteImageInput::new(id, REGION))
        .await
}

/// Sample success response `{"RequestId": ...}`: a successful delete removes exactly the
/// image asked for.
#[tokio::test]
async fn success_deletes_exactly_the_image() {
    let emulator = start(state()).await;
    let before = image_ids(&emulator, "alibaba").await;
    let output = delete(&emulator, "m-plain").await.unwrap();
    assert!(output.request_id.is_some_and(|id| !id.is_empty()));
    let after = image_ids(&emulator, "alibaba").await;
    let expected: Vec<String> = before.into_iter().filter(|id| id != "m-plain").collect();
    assert_eq!(after, expected);
}

/// ImageId: "If the specified custom image does not exist, the request is ignored."
#[tokio::test]
async fn missing_image_is_ignored() {
    let emulator = start(state()).await;
    let before = emulator.resources();
    let output = delete(&emulator, "m-does-not-exist").await.unwrap();
    assert!(output.request_id.is_some());
    assert_eq!(emulator.resources(), before);
}

/// Images belong to an account and a region: another account's image and an image of
/// another region are "the specified custom image does not exist" for the caller, so the
/// request is ignored and they stay. A system image is not a custom image either.
#[tokio::test]
async fn other_accounts_regions_and_system_images_are_ignored() {
    let emulator = start(state()).await;
    for id in ["m-other", "m-beijing", "m-system"] {
        delete(&emulator, id).await.unwrap();
        assert!(
            emulator.resource(svc("ecs"), id).is_some(),
            "{id} must stay"
        );
    }
    // The owner in its region deletes it.
    Client::new(config(&emulator, ALI_OTHER_KEY, ALI_OTHER_SECRET))
        .unwrap()
        .delete_image(DeleteImageInput::new("m-other", REGION))
        .await
        .unwrap();
    assert!(emulator.resource(svc("ecs"), "m-other").is_none());
    client(&emulator)
        .delete_image(DeleteImageInput::new("m-beijing", "cn-beijing"))
        .await
        .unwrap();
    assert!(emulator.resource(svc("ecs"), "m-beijing").is_none());
}

/// Force "false: verifies that the image is not being used by other instances and then
/// deletes the image." and error row 403 `ImageUsingByInstance`.
#[tokio::test]
async fn in_use_image_is_refused_without_force() {
    let emulator = start(state()).await;
    for id in ["m-in-use", "m-in-use-state"] {
        let error = service_error(delete(&emulator, id).await);
        assert!(
            matches!(error, DeleteImageError::ImageUsingByInstance(_)),
            "{error:?}"
        );
        assert_eq!(error.status(), 403);
        assert_eq!(
            error.message(),
            cloudspec_alibaba_ecs::operation::delete_image::ERRORS[0].message
        );
        assert!(emulator.resource(svc("ecs"), id).is_some());
    }
    let error = service_error(
        client(&emulator)
            .delete_image(DeleteImageInput::new("m-in-use", REGION).with_force(false))
            .await,
    );
    assert!(matches!(error, DeleteImageError::ImageUsingByInstance(_)));
}

/// Force "true: forcibly deletes the custom image, regardless of whether the image is being
/// used by other instances."
#[tokio::test]
async fn force_deletes_an_in_use_image() {
    let emulator = start(state()).await;
    client(&emulator)
        .delete_image(DeleteImageInput::new("m-in-use", REGION).with_force(true))
        .await
        .unwrap();
    assert!(emulator.resource(svc("ecs"), "m-in-use").is_none());
}

/// Error rows 403 `ImageUseShared`, `ImageIsPublic`, `OperationDenied.ImageCopying`,
/// `ImageIsCreating`, `ImageIsImporting`, `ImageIsExporting`: refused, even with Force,
/// and the image stays.
#[tokio::test]
async fn documented_refusals() {
    let emulator = start(state()).await;
    let cases: [Case; 6] = [
        (
            "m-shared",
            |e| matches!(e, DeleteImageError::ImageUseShared(_)),
            "ImageUseShared",
        ),
        (
            "m-public",
            |e| matches!(e, DeleteImageError::ImageIsPublic(_)),
            "ImageIsPublic",
        ),
        (
            "m-copying",
            |e| matches!(e, DeleteImageError::OperationDeniedImageCopying(_)),
            "OperationDenied.ImageCopying",
        ),
        (
            "m-creating",
            |e| matches!(e, DeleteImageError::ImageIsCreating(_)),
            "ImageIsCreating",
        ),
        (
            "m-importing",
            |e| matches!(e, DeleteImageError::ImageIsImporting(_)),
            "ImageIsImporting",
        ),
        (
            "m-exporting",
            |e| matches!(e, DeleteImageError::ImageIsExporting(_)),
            "ImageIsExporting",
        ),
    ];
    for (id, is_variant, code) in cases {
        let error = service_error(
            client(&emulator)
                .delete_image(DeleteImageInput::new(id, REGION).with_force(true))
                .await,
        );
        assert!(is_variant(&error), "{id}: {error:?}");
        let row = error.documented().expect("a documented row");
        assert_eq!(row.code, Some(code));
        assert_eq!(error.code(), Some(code));
        assert_eq!(error.message(), row.message, "{id}");
        assert_eq!(Some(error.status()), row.status, "{id}");
        assert!(error.request_id().is_some());
        assert!(
            emulator.resource(svc("ecs"), id).is_some(),
            "{id} must stay"
        );
    }
}

/// The same call signed with signature V1 (`Format=JSON` in the query) works the same.
#[tokio::test]
async fn signature_v1_through_the_generated_client() {
    let emulator = start(state()).await;
    let client = Client::new(
        config(&emulator, ALI_KEY, ALI_SECRET).with_alibaba_signature(AlibabaSignature::V1),
    )
    .unwrap();
    client
        .delete_image(DeleteImageInput::new("m-plain", REGION))
        .await
        .unwrap();
    let error = service_error(
        client
            .delete_image(DeleteImageInput::new("m-public", REGION))
            .await,
    );
    assert!(matches!(error, DeleteImageError::ImageIsPublic(_)));
    assert!(emulator.resource(svc("ecs"), "m-plain").is_none());
}

/// Request parameters: ImageId and RegionId are "Required: Yes"; Force is a Boolean. A
/// missing one is `MissingParameter`, a malformed or unknown one `InvalidParameter` (400).
#[tokio::test]
async fn parameter_errors() {
    let emulator = start(state()).await;
    let base = [("Action", "DeleteImage"), ("Version", "2014-05-26")];
    let call = |extra: Vec<(&'static str, &'static str)>| {
        let mut params = base.to_vec();
        params.extend(extra);
        params
    };
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &call(vec![("RegionId", REGION)]),
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "MissingParameter".to_owned())
    );
    assert!(resp.json()["Message"].as_str().unwrap().contains("ImageId"));
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &call(vec![("ImageId", "m-plain")]),
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "MissingParameter".to_owned())
    );
    assert!(
        resp.json()["Message"]
            .as_str()
            .unwrap()
            .contains("RegionId")
    );
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &call(vec![
            ("ImageId", "m-in-use"),
            ("RegionId", REGION),
            ("Force", "maybe"),
        ]),
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "InvalidParameter".to_owned())
    );
    assert!(resp.json()["Message"].as_str().unwrap().contains("Force"));
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &call(vec![
            ("ImageId", "m-plain"),
            ("RegionId", REGION),
            ("Colour", "blue"),
        ]),
    )
    .await;
    assert_eq!(
        (resp.status, resp.code()),
        (400, "InvalidParameter".to_owned())
    );
    let body = resp.json();
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(body[key].is_string(), "{key} in {body}");
    }
    assert_eq!(
        emulator.resources().len(),
        state().resources.len(),
        "nothing deleted"
    );
}

/// Raw V1 and V3 requests; `Force=True` is read case-insensitively; `Format=XML` answers the
/// document's XML sample shape.
#[tokio::test]
async fn raw_requests_and_xml() {
    let emulator = start(state()).await;
    let resp = alibaba_v3(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        "DeleteImage",
        "2014-05-26",
        &[
            ("ImageId", "m-in-use"),
            ("RegionId", REGION),
            ("Force", "True"),
        ],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(resp.json()["RequestId"].is_string());
    assert!(emulator.resource(svc("ecs"), "m-in-use").is_none());
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteImage"),
            ("Version", "2014-05-26"),
            ("Format", "XML"),
            ("ImageId", "m-plain"),
            ("RegionId", REGION),
        ],
    )
    .await;
    assert_eq!(resp.status, 200);
    assert!(
        resp.body.contains("<DeleteImageResponse><RequestId>"),
        "{}",
        resp.body
    );
    let resp = alibaba_v1(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        &[
            ("Action", "DeleteImage"),
            ("Version", "2014-05-26"),
            ("Format", "XML"),
            ("ImageId", "m-shared"),
            ("RegionId", REGION),
        ],
    )
    .await;
    assert_eq!(resp.status, 403);
    assert!(
        resp.body.contains("<Code>ImageUseShared</Code>"),
        "{}",
        resp.body
    );
}

/// aliyun-python-sdk-core signs V1 in the query and also sends `x-acs-action` and
/// `x-acs-version` headers: the emulator verifies it as V1 (it once took the headers to
/// mean V3 and answered `IncompleteSignature`).
#[tokio::test]
async fn v1_with_acs_headers_is_verified_as_v1() {
    let emulator = start(state()).await;
    let resp = alibaba_v1_with_acs_headers(
        &emulator,
        ALI_KEY,
        ALI_SECRET,
        "DeleteImage",
        "2014-05-26",
        &[("ImageId", "m-plain"), ("RegionId", REGION)],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.json());
    assert!(emulator.resource(svc("ecs"), "m-plain").is_none());
    let tampered = alibaba_v1_with_acs_headers(
        &emulator,
        ALI_KEY,
        "not-the-secret",
        "DeleteImage",
        "2014-05-26",
        &[("ImageId", "m-plain-2"), ("RegionId", REGION)],
    )
    .await;
    assert_eq!(
        (tampered.status, tampered.code()),
        (400, "SignatureDoesNotMatch".to_owned())
    );
    assert!(emulator.resource(svc("ecs"), "m-plain-2").is_some());
}
