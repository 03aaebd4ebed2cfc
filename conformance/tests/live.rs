//! Live runs against the real cloud endpoints: opt-in, never part of the default run.
//!
//! Each test is `#[ignore]`d with the reason shown by the test runner. To run them:
//!
//! ```sh
//! CLOUDSPEC_LIVE=1 ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=... \
//! TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... \
//! BAIDUBCE_ACCESS_KEY_ID=... BAIDUBCE_SECRET_ACCESS_KEY=... \
//!     cargo test -p cloudspec-conformance --test live -- --ignored
//! ```
//!
//! Every call names an image ID that cannot exist, so nothing real is ever deleted; a test
//! passes when the service answers with the documented outcome for a missing image (which
//! also proves the request was signed correctly: a signature error fails the test).
//! `CLOUDSPEC_LIVE_REGION_ALIBABA`, `CLOUDSPEC_LIVE_REGION_TENCENT` and
//! `CLOUDSPEC_LIVE_REGION_BAIDU` choose regions (defaults: cn-hangzhou, ap-guangzhou, bj).

use cloudspec_runtime::{Config, Provider, SdkError};

const MISSING_ALIBABA_IMAGE: &str = "m-cloudspeclivenotexist0";
const MISSING_TENCENT_IMAGE: &str = "img-cloudspec0";
const MISSING_BAIDU_IMAGE: &str = "m-cloudspec0";

/// The configuration for a live run, or a panic that says exactly what to set.
fn live_config(provider: Provider, region_var: &str, default_region: &str) -> (Config, String) {
    assert_eq!(
        std::env::var("CLOUDSPEC_LIVE").as_deref(),
        Ok("1"),
        "live runs need CLOUDSPEC_LIVE=1 (they call the real {} endpoints)",
        provider.as_str()
    );
    let config = Config::from_env(provider).unwrap_or_else(|error| panic!("live run: {error}"));
    let region = std::env::var(region_var).unwrap_or_else(|_| default_region.to_owned());
    (config.with_region(&region), region)
}

/// ECS: "If the specified custom image does not exist, the request is ignored."
#[tokio::test]
#[ignore = "live run against Alibaba Cloud ECS: set CLOUDSPEC_LIVE=1 and Alibaba credentials, run with --ignored"]
async fn live_ecs_missing_image_is_ignored() {
    let (config, region) = live_config(
        Provider::Alibaba,
        "CLOUDSPEC_LIVE_REGION_ALIBABA",
        "cn-hangzhou",
    );
    let client = cloudspec_alibaba_ecs::Client::new(config).expect("client");
    let input = cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
        MISSING_ALIBABA_IMAGE,
        region,
    );
    let output = client
        .delete_image(input)
        .await
        .expect("a missing image is ignored");
    assert!(output.request_id.is_some());
}

/// SWAS error table: `InvalidImageId.NotFound` (404) "The specified ImageId does not exist."
#[tokio::test]
#[ignore = "live run against Alibaba Cloud SWAS: set CLOUDSPEC_LIVE=1 and Alibaba credentials, run with --ignored"]
async fn live_swas_missing_image_is_not_found() {
    let (config, region) = live_config(
        Provider::Alibaba,
        "CLOUDSPEC_LIVE_REGION_ALIBABA",
        "cn-hangzhou",
    );
    let client = cloudspec_alibaba_swas::Client::new(config).expect("client");
    let input =
        cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(
            region,
            [MISSING_ALIBABA_IMAGE],
        );
    match client.delete_custom_images(input).await {
        Err(SdkError::Service(
            cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesError::InvalidImageIdNotFound(_),
        )) => {}
        other => panic!("expected InvalidImageId.NotFound, got {other:?}"),
    }
}

/// ENS: a documented refusal for an image the caller does not own (any documented error;
/// the document does not say which one a missing image gets).
#[tokio::test]
#[ignore = "live run against Alibaba Cloud ENS: set CLOUDSPEC_LIVE=1 and Alibaba credentials, run with --ignored"]
async fn live_ens_missing_image_is_refused_with_a_documented_error() {
    let (config, _) = live_config(
        Provider::Alibaba,
        "CLOUDSPEC_LIVE_REGION_ALIBABA",
        "cn-hangzhou",
    );
    let client = cloudspec_alibaba_ens::Client::new(config).expect("client");
    match client
        .delete_image(
            cloudspec_alibaba_ens::operation::delete_image::DeleteImageInput::new(
                MISSING_ALIBABA_IMAGE,
            ),
        )
        .await
    {
        Err(SdkError::Service(error)) => {
            assert!(error.documented().is_some(), "undocumented answer: {error}")
        }
        other => panic!("expected a documented error, got {other:?}"),
    }
}

/// CVM Example2 with `DryRun`: "If the image is in use or the image ID does not exist, no
/// operation will be performed and an error code will be returned."
#[tokio::test]
#[ignore = "live run against Tencent Cloud CVM: set CLOUDSPEC_LIVE=1 and Tencent credentials, run with --ignored"]
async fn live_cvm_dry_run_of_a_missing_image() {
    let (config, _) = live_config(
        Provider::Tencent,
        "CLOUDSPEC_LIVE_REGION_TENCENT",
        "ap-guangzhou",
    );
    let client = cloudspec_tencent_cvm::Client::new(config).expect("client");
    let input = cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput::new([
        MISSING_TENCENT_IMAGE,
    ])
    .with_dry_run(true);
    match client.delete_images(input).await {
        Err(SdkError::Service(error)) => {
            assert!(error.documented().is_some(), "undocumented answer: {error}")
        }
        other => panic!("expected a documented error, got {other:?}"),
    }
}

/// BCC: "The image specified by imageId does not exist, and it prompts an error 404."
#[tokio::test]
#[ignore = "live run against Baidu AI Cloud BCC: set CLOUDSPEC_LIVE=1 and Baidu credentials, run with --ignored"]
async fn live_bcc_missing_image_is_404() {
    let (config, _) = live_config(Provider::Baidu, "CLOUDSPEC_LIVE_REGION_BAIDU", "bj");
    let client = cloudspec_baidu_bcc::Client::new(config).expect("client");
    match client
        .delete_image(
            cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput::new(
                MISSING_BAIDU_IMAGE,
            ),
        )
        .await
    {
        Err(SdkError::Service(error)) => assert_eq!(error.status(), 404, "{error}"),
        other => panic!("expected HTTP 404, got {other:?}"),
    }
}
