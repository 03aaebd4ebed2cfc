//! Properties of the generated validators against the documented limits: every input within
//! the limits validates; every input outside them is rejected with an error naming the
//! parameter and the documented limit; nothing the document does not state is enforced.

use cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput as EcsDeleteImage;
use cloudspec_alibaba_ens::operation::delete_image::DeleteImageInput as EnsDeleteImage;
use cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput;
use cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput as BccDeleteImage;
use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;
use proptest::prelude::*;

const SWAS: &str = "alibaba-swas";

fn image_ids(count: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("m-[a-z0-9]{8,20}", count)
}

fn swas_limit_quote(parameter: &str) -> String {
    let operation = cloudspec_conformance::operation(SWAS, "DeleteCustomImages");
    let parameter = operation
        .parameters
        .iter()
        .map(|p| &p.value)
        .find(|p| p.name.value == parameter)
        .expect("documented parameter");
    parameter
        .limits
        .as_ref()
        .map(|limits| limits.value.quote.clone())
        .expect("documented limits")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// SWAS DeleteCustomImages, `ImageIds` row: "The value can be a JSON array that consists
    /// of up to 15 image IDs." — 1 to 15 IDs validate.
    #[test]
    fn swas_up_to_15_image_ids_validate(ids in image_ids(1..=15)) {
        prop_assert!(DeleteCustomImagesInput::new("cn-hangzhou", ids).validate().is_ok());
    }

    /// Same row: 16 or more IDs are rejected, naming `ImageIds` and the documented limit.
    #[test]
    fn swas_more_than_15_image_ids_fail(ids in image_ids(16..=40)) {
        let count = ids.len();
        let errors = DeleteCustomImagesInput::new("cn-hangzhou", ids).validate().expect_err("over the documented limit");
        let violation = errors.for_parameter("ImageIds").expect("names ImageIds");
        prop_assert_eq!(&violation.limit, "at most 15 items");
        prop_assert_eq!(violation.found.clone(), count.to_string());
        prop_assert_eq!(violation.quote.to_owned(), swas_limit_quote("ImageIds"));
    }

    /// SWAS `ClientToken` row: "The token can contain only ASCII characters and cannot exceed
    /// 64 characters in length." — ASCII tokens of at most 64 characters validate.
    #[test]
    fn swas_ascii_client_token_up_to_64_validates(token in "[\\x20-\\x7e]{0,64}") {
        let input = DeleteCustomImagesInput::new("cn-hangzhou", ["m-1"]).with_client_token(token);
        prop_assert!(input.validate().is_ok());
    }

    /// Same row: 65 or more characters are rejected, naming `ClientToken`.
    #[test]
    fn swas_client_token_over_64_fails(token in "[\\x20-\\x7e]{65,120}") {
        let errors = DeleteCustomImagesInput::new("cn-hangzhou", ["m-1"]).with_client_token(token).validate().expect_err("too long");
        let violation = errors.for_parameter("ClientToken").expect("names ClientToken");
        prop_assert_eq!(&violation.limit, "at most 64 characters");
        prop_assert_eq!(violation.quote.to_owned(), swas_limit_quote("ClientToken"));
    }

    /// Same row: a token with any non-ASCII character is rejected, naming `ClientToken`.
    #[test]
    fn swas_non_ascii_client_token_fails(prefix in "[a-z]{0,30}", bad in "[\\u{80}-\\u{10FFFF}]", suffix in "[a-z]{0,30}") {
        let token = format!("{prefix}{bad}{suffix}");
        let errors = DeleteCustomImagesInput::new("cn-hangzhou", ["m-1"]).with_client_token(token).validate().expect_err("not ASCII");
        prop_assert!(errors.violations.iter().any(|v| v.parameter == "ClientToken" && v.limit == "ASCII characters only"));
    }

    /// Every violation is reported at once: too many IDs and a bad token together.
    #[test]
    fn swas_reports_every_violation_at_once(ids in image_ids(16..=20), token in "[\\x20-\\x7e]{65,70}") {
        let errors = DeleteCustomImagesInput::new("cn-hangzhou", ids).with_client_token(token).validate().expect_err("two violations");
        prop_assert!(errors.for_parameter("ImageIds").is_some());
        prop_assert!(errors.for_parameter("ClientToken").is_some());
    }

    /// CVM DeleteImages, `ImageIds.N` row: required, "Array of String", and no documented
    /// maximum: any non-empty list validates (the validator never invents a limit).
    #[test]
    fn cvm_any_non_empty_image_ids_validate(ids in prop::collection::vec("img-[a-z0-9]{8}", 1..=60)) {
        prop_assert!(DeleteImagesInput::new(ids).validate().is_ok());
    }

    /// ECS, ENS and BCC document no limit on their IDs: no string is refused client-side.
    #[test]
    fn undocumented_limits_are_never_enforced(id in ".{0,300}", region in ".{0,40}") {
        prop_assert!(EcsDeleteImage::new(id.clone(), region.clone()).validate().is_ok());
        prop_assert!(EnsDeleteImage::new(id.clone()).validate().is_ok());
        prop_assert!(BccDeleteImage::new(id).validate().is_ok());
    }
}

/// SWAS `ImageIds` is required ("Required: Yes"): an empty list is refused, naming it.
#[test]
fn swas_empty_image_ids_fail() {
    let errors = DeleteCustomImagesInput::new("cn-hangzhou", Vec::<String>::new())
        .validate()
        .expect_err("empty required list");
    assert_eq!(
        errors.for_parameter("ImageIds").map(|v| v.limit.as_str()),
        Some("at least 1 item")
    );
}

/// CVM `ImageIds.N` is required ("ImageIds.N Yes Array of String"): an empty list is refused.
#[test]
fn cvm_empty_image_ids_fail() {
    let errors = DeleteImagesInput::new(Vec::<String>::new())
        .validate()
        .expect_err("empty required list");
    assert_eq!(
        errors.for_parameter("ImageIds.N").map(|v| v.limit.as_str()),
        Some("at least 1 item")
    );
}

/// The boundaries themselves: exactly 15 IDs and exactly 64 ASCII characters pass; 16 and 65 fail.
#[test]
fn swas_boundaries_are_exact() {
    let fifteen: Vec<String> = (0..15).map(|i| format!("m-{i:08}")).collect();
    let sixteen: Vec<String> = (0..16).map(|i| format!("m-{i:08}")).collect();
    assert!(
        DeleteCustomImagesInput::new("cn-hangzhou", fifteen)
            .with_client_token("a".repeat(64))
            .validate()
            .is_ok()
    );
    let errors = DeleteCustomImagesInput::new("cn-hangzhou", sixteen)
        .with_client_token("a".repeat(65))
        .validate()
        .expect_err("both over");
    assert_eq!(errors.violations.len(), 2, "{errors}");
}
