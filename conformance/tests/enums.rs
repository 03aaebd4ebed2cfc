//! Enumerations with an unknown fallback. `specs/tencent-cvm.yaml` types two string members
//! of the imported `Image` structure with the values their metadata descriptions list
//! (tccli 3.1.189.1, `tccli/services/cvm/v20170312/api.json`):
//!
//! - `Image.ImageType`: "镜像类型。镜像类型返回值包括：* `PUBLIC_IMAGE` 公共镜像 *
//!   `PRIVATE_IMAGE` 自定义镜像 * `SHARED_IMAGE` 共享镜像";
//! - `Image.ImageState`: "镜像状态: CREATING-创建中 NORMAL-正常 CREATEFAILED-创建失败
//!   SYNCING-复制中 IMPORTING-导入中 IMPORTFAILED-导入失败".
//!
//! A known value reads as its variant; any other text reads as `Unknown` and is written
//! back unchanged, so a value the provider adds later never fails a response.

use cloudspec_tencent_cvm::operation::describe_images::DescribeImagesInput;
use cloudspec_tencent_cvm::types::{Filter, Image, ImageState, ImageType};
use cloudspec_tencent_cvm::{Client, Config, Credentials};

const KEY: &str = "enums-key";
const SECRET: &str = "enums-secret";

#[test]
fn the_known_values_are_the_metadata_lists() {
    assert_eq!(
        ImageType::VALUES,
        ["PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE"]
    );
    assert_eq!(
        ImageState::VALUES,
        [
            "CREATING",
            "NORMAL",
            "CREATEFAILED",
            "SYNCING",
            "IMPORTING",
            "IMPORTFAILED"
        ]
    );
    assert_eq!(ImageType::from("SHARED_IMAGE"), ImageType::SharedImage);
    assert_eq!(ImageState::from("CREATEFAILED"), ImageState::CreateFailed);
    assert_eq!(ImageState::ImportFailed.as_str(), "IMPORTFAILED");
}

#[test]
fn an_unknown_value_reads_and_is_written_back_unchanged() {
    let text = r#"{"ImageType":"FUTURE_IMAGE","ImageState":"ARCHIVED"}"#;
    let image: Image = serde_json::from_str(text).expect("an unknown value still reads");
    assert_eq!(
        image.image_type,
        Some(ImageType::Unknown("FUTURE_IMAGE".to_owned()))
    );
    assert_eq!(
        image.image_state,
        Some(ImageState::Unknown("ARCHIVED".to_owned()))
    );
    assert_eq!(
        image.image_type.as_ref().map(ImageType::as_str),
        Some("FUTURE_IMAGE")
    );
    assert_eq!(serde_json::to_string(&image).expect("serializes"), text);
    // Values are case-sensitive on the wire: another case is another value.
    assert_eq!(
        ImageType::from("public_image"),
        ImageType::Unknown("public_image".to_owned())
    );
}

/// The DescribeImages example of the metadata (`examples.json`, the request filtering on
/// `image-id` `img-9qabwvbn`) answers `"ImageType": "PUBLIC_IMAGE"` and
/// `"ImageState": "NORMAL"`; the emulator serves that example, and the typed client reads
/// the variants.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_describe_images_example_reads_as_variants() {
    let state = cloudspec_emulator::State::new().with_access_key(
        cloudspec_emulator::AccessKey::new(cloudspec_emulator::Provider::Tencent, KEY, SECRET, "1"),
    );
    let emulator = cloudspec_emulator::Emulator::builder()
        .state(state)
        .start()
        .await
        .expect("emulator on 127.0.0.1");
    let client = Client::new(
        Config::new(Credentials::new(KEY, SECRET))
            .with_endpoint(emulator.endpoint())
            .with_region("ap-guangzhou"),
    )
    .expect("client");
    let filter = Filter {
        name: Some("image-id".to_owned()),
        values: Some(vec!["img-9qabwvbn".to_owned()]),
    };
    let output = client
        .describe_images(DescribeImagesInput::new().with_filters(vec![filter]))
        .await
        .expect("the documented example");
    let images = output.image_set.expect("ImageSet");
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].image_id.as_deref(), Some("img-9qabwvbn"));
    assert_eq!(images[0].image_type, Some(ImageType::PublicImage));
    assert_eq!(images[0].image_state, Some(ImageState::Normal));
}
