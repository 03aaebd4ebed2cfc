//! Building and signing one request per protocol, no network: validate, encode, sign.
//! Target: under 10 µs each. Run with `cargo bench -p cloudspec-conformance`.

use std::hint::black_box;

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::protocol::{RequestContext, build_request};
use cloudspec_runtime::{Credentials, Operation};
use criterion::{Criterion, criterion_group, criterion_main};

fn build_and_sign<O: Operation>(
    input: &O::Input,
    credentials: &Credentials,
    host: &str,
    signature: AlibabaSignature,
) -> usize {
    O::validate(input).expect("the benchmark input is valid");
    let params = O::encode(input);
    let context = RequestContext {
        meta: O::meta(),
        params: &params,
        scheme: "https",
        host,
        region: Some("cn-hangzhou"),
        credentials,
        timestamp: jiff::Timestamp::from_second(1_700_000_000).expect("valid time"),
        nonce: "3156853299f313e23d1673dc12e1703d",
        alibaba_signature: signature,
    };
    build_request(&context).expect("builds").body.len()
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::new("bench-access-key-id", "bench-access-key-secret");
    let ecs = cloudspec_alibaba_ecs::DeleteImageInput::new("m-bp67acfmxazb4p****", "cn-hangzhou")
        .with_force(false);
    c.bench_function("alibaba-ecs DeleteImage, signature V3", |b| {
        b.iter(|| {
            build_and_sign::<cloudspec_alibaba_ecs::delete_image::DeleteImage>(
                black_box(&ecs),
                &credentials,
                "ecs.cn-hangzhou.aliyuncs.com",
                AlibabaSignature::V3,
            )
        })
    });
    c.bench_function("alibaba-ecs DeleteImage, signature V1", |b| {
        b.iter(|| {
            build_and_sign::<cloudspec_alibaba_ecs::delete_image::DeleteImage>(
                black_box(&ecs),
                &credentials,
                "ecs.cn-hangzhou.aliyuncs.com",
                AlibabaSignature::V1,
            )
        })
    });
    let swas = cloudspec_alibaba_swas::DeleteCustomImagesInput::new(
        "cn-hangzhou",
        (0..15).map(|i| format!("m-2zehv38jjmwva1e{i:03}")),
    )
    .with_client_token("123e4567-e89b-12d3-a456-426655440000");
    c.bench_function(
        "alibaba-swas DeleteCustomImages (15 IDs), signature V3",
        |b| {
            b.iter(|| {
                build_and_sign::<cloudspec_alibaba_swas::delete_custom_images::DeleteCustomImages>(
                    black_box(&swas),
                    &credentials,
                    "swas.cn-hangzhou.aliyuncs.com",
                    AlibabaSignature::V3,
                )
            })
        },
    );
    let cvm = cloudspec_tencent_cvm::DeleteImagesInput::new(["img-mfih409y"])
        .with_dry_run(true)
        .with_delete_binded_snap(true);
    c.bench_function("tencent-cvm DeleteImages, TC3", |b| {
        b.iter(|| {
            build_and_sign::<cloudspec_tencent_cvm::delete_images::DeleteImages>(
                black_box(&cvm),
                &credentials,
                "cvm.tencentcloudapi.com",
                AlibabaSignature::V3,
            )
        })
    });
    let bcc = cloudspec_baidu_bcc::DeleteImageInput::new("m-nky7qeom");
    c.bench_function("baidu-bcc DeleteImage, bce-auth-v1", |b| {
        b.iter(|| {
            build_and_sign::<cloudspec_baidu_bcc::delete_image::DeleteImage>(
                black_box(&bcc),
                &credentials,
                "bcc.bj.baidubce.com",
                AlibabaSignature::V3,
            )
        })
    });
}

criterion_group!(build_and_sign_benches, benches);
criterion_main!(build_and_sign_benches);
