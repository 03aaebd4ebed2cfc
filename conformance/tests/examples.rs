//! Every documented example request builds a typed input (from the parameter values the
//! sample carries, keyed by documented names) that passes validation, and serializes back to
//! the same documented names: the generated types speak the document's vocabulary.

use serde::Serialize;
use serde::de::DeserializeOwned;

fn check_examples<Input>(service: &str, operation: &str, validate: impl Fn(&Input) -> bool)
where
    Input: DeserializeOwned + Serialize + std::fmt::Debug,
{
    let documented = cloudspec_conformance::operation(service, operation);
    let mut checked = 0;
    for example in documented.examples.iter().map(|example| &example.value) {
        if example.request.is_none() {
            continue;
        }
        let json = cloudspec_conformance::example_input(example);
        let input: Input = serde_json::from_value(json.clone()).unwrap_or_else(|error| {
            panic!(
                "{service} example `{}` does not build a typed input: {error}",
                example.name.value
            )
        });
        assert!(
            validate(&input),
            "{service} example `{}` must validate: {input:?}",
            example.name.value
        );
        assert_eq!(
            serde_json::to_value(&input).ok(),
            Some(json),
            "{service} example `{}` round-trips",
            example.name.value
        );
        checked += 1;
    }
    assert!(
        checked > 0
            || documented
                .examples
                .iter()
                .all(|e| e.value.request.is_none())
    );
}

/// ECS "Sample requests": ImageId=m-bp67acfmxazb4p****, RegionId=cn-hangzhou, Force=false.
#[test]
fn ecs_sample_request() {
    cloudspec_conformance::example("alibaba-ecs", "DeleteImage", "delete-image");
    check_examples::<cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput>(
        "alibaba-ecs",
        "DeleteImage",
        |input| input.validate().is_ok(),
    );
}

/// SWAS: the documented example values of RegionId, ImageIds and ClientToken.
#[test]
fn swas_sample_request() {
    cloudspec_conformance::example("alibaba-swas", "DeleteCustomImages", "delete-custom-images");
    check_examples::<
        cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput,
    >("alibaba-swas", "DeleteCustomImages", |input| {
        input.validate().is_ok()
    });
}

/// CVM Example1 "Deleting an image" and Example2 "Checking whether the specified image can be deleted".
#[test]
fn cvm_sample_requests() {
    cloudspec_conformance::example("tencent-cvm", "DeleteImages", "deleting-an-image");
    cloudspec_conformance::example(
        "tencent-cvm",
        "DeleteImages",
        "checking-whether-image-can-be-deleted",
    );
    check_examples::<cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput>(
        "tencent-cvm",
        "DeleteImages",
        |input| input.validate().is_ok(),
    );
}

/// BCC "Request Instance": DELETE /v2/image/m-nky7qeom.
#[test]
fn bcc_sample_request() {
    cloudspec_conformance::example("baidu-bcc", "DeleteImage", "delete-image");
    check_examples::<cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput>(
        "baidu-bcc",
        "DeleteImage",
        |input| input.validate().is_ok(),
    );
}

/// SWAS RAM authorization: `swas-open:DeleteCustomImages` on
/// `acs:swas-open:{#regionId}:{#accountId}:customimage/{#ImageIds}`: one resource per image.
#[test]
fn swas_policy_statement_covers_each_image() {
    let input =
        cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(
            "cn-hangzhou",
            ["m-1", "m-2"],
        );
    let statement = input.policy_statement("1234567890").to_json();
    assert_eq!(
        statement,
        serde_json::json!({
            "Effect": "Allow",
            "Action": ["swas-open:DeleteCustomImages"],
            "Resource": [
                "acs:swas-open:cn-hangzhou:1234567890:customimage/m-1",
                "acs:swas-open:cn-hangzhou:1234567890:customimage/m-2"
            ]
        })
    );
}

/// ENS RAM authorization: `ens:DeleteImage`, resource type "*All Resource": resource `*`.
#[test]
fn ens_policy_statement_is_all_resources() {
    let statement = cloudspec_alibaba_ens::operation::delete_image::DeleteImageInput::new("m-1")
        .policy_statement()
        .to_json();
    assert_eq!(statement["Action"], serde_json::json!(["ens:DeleteImage"]));
    assert_eq!(statement["Resource"], serde_json::json!(["*"]));
}
