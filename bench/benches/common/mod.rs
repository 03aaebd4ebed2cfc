//! The work both benchmark harnesses measure, written once: the generator on either side,
//! validate + encode + sign on cloudspec's side and `sign()` on aws-sigv4's.

#![allow(dead_code)] // each harness uses its own subset

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use cloudspec_runtime::config::AlibabaSignature;
use cloudspec_runtime::protocol::{RequestContext, build_request};
use cloudspec_runtime::sign::{SigningCredentials, SigningRequest};
use cloudspec_runtime::{Credentials, Operation};

pub const KEY_ID: &str = "bench-access-key-id";
pub const KEY_SECRET: &str = "bench-access-key-secret";
pub const NONCE: &str = "3156853299f313e23d1673dc12e1703d";
pub const EPOCH_SECONDS: i64 = 1_700_000_000;

/// cloudspec: parse the YAML spec, then check + lower + emit every file (formatted).
pub fn cloudspec_generate(yaml: &str) -> usize {
    let file = cloudspec_codegen::spec::load_str(Path::new(cloudspec_bench::SYNTHETIC_PATH), yaml)
        .expect("the synthetic spec parses");
    let files = cloudspec_codegen::generate(std::slice::from_ref(&file)).expect("it generates");
    files.iter().map(|file| file.contents.len()).sum()
}

/// progenitor: parse the OpenAPI JSON, generate the client's tokens, format them (the same
/// syn + prettyplease step cloudspec ends with), positional interface as its CLI defaults to.
pub fn progenitor_generate(json: &str) -> usize {
    let spec: openapiv3::OpenAPI = serde_json::from_str(json).expect("the OpenAPI document parses");
    let settings = progenitor_impl::GenerationSettings::default();
    let mut generator = progenitor_impl::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .expect("progenitor generates");
    let file: syn::File = syn::parse2(tokens).expect("progenitor's output parses");
    prettyplease::unparse(&file).len()
}

/// The inputs of the build-and-sign benchmarks: one request per protocol.
pub struct SignInputs {
    pub credentials: Credentials,
    pub ecs: cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput,
    pub swas: cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput,
    pub cvm: cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput,
    pub bcc: cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput,
}

impl SignInputs {
    pub fn new() -> Self {
        SignInputs {
            credentials: Credentials::new(KEY_ID, KEY_SECRET),
            ecs: cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
                "m-bp67acfmxazb4p****",
                "cn-hangzhou",
            )
            .with_force(false),
            swas: cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(
                "cn-hangzhou",
                (0..15).map(|i| format!("m-2zehv38jjmwva1e{i:03}")),
            )
            .with_client_token("123e4567-e89b-12d3-a456-426655440000"),
            cvm: cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput::new(["img-mfih409y"])
                .with_dry_run(true)
                .with_delete_binded_snap(true),
            bcc: cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput::new("m-nky7qeom"),
        }
    }
}

impl SignInputs {
    /// The inputs after one request of each has been signed with the credentials: a
    /// client's steady state, with the keys signing derives from the secret already kept
    /// (`cloudspec_sign::keys`). [`SignInputs::new`] is the first request of new credentials.
    pub fn warmed() -> Self {
        let inputs = Self::new();
        ecs_v3(&inputs);
        ecs_v1(&inputs);
        swas_v3(&inputs);
        cvm_tc3(&inputs);
        bcc_bce(&inputs);
        inputs
    }
}

impl Default for SignInputs {
    fn default() -> Self {
        Self::new()
    }
}

/// Validate, encode and sign one request, as the generated client does before sending.
pub fn build_and_sign<O: Operation>(
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
        credentials: Some(credentials),
        timestamp: jiff::Timestamp::from_second(EPOCH_SECONDS).expect("valid time"),
        nonce: NONCE,
        alibaba_signature: signature,
    };
    build_request(&context).expect("builds").headers.len()
}

pub fn ecs_v3(inputs: &SignInputs) -> usize {
    build_and_sign::<cloudspec_alibaba_ecs::operation::delete_image::DeleteImage>(
        black_box(&inputs.ecs),
        &inputs.credentials,
        "ecs.cn-hangzhou.aliyuncs.com",
        AlibabaSignature::V3,
    )
}

pub fn ecs_v1(inputs: &SignInputs) -> usize {
    build_and_sign::<cloudspec_alibaba_ecs::operation::delete_image::DeleteImage>(
        black_box(&inputs.ecs),
        &inputs.credentials,
        "ecs.cn-hangzhou.aliyuncs.com",
        AlibabaSignature::V1,
    )
}

pub fn swas_v3(inputs: &SignInputs) -> usize {
    build_and_sign::<cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImages>(
        black_box(&inputs.swas),
        &inputs.credentials,
        "swas.cn-hangzhou.aliyuncs.com",
        AlibabaSignature::V3,
    )
}

pub fn cvm_tc3(inputs: &SignInputs) -> usize {
    build_and_sign::<cloudspec_tencent_cvm::operation::delete_images::DeleteImages>(
        black_box(&inputs.cvm),
        &inputs.credentials,
        "cvm.tencentcloudapi.com",
        AlibabaSignature::V3,
    )
}

pub fn bcc_bce(inputs: &SignInputs) -> usize {
    build_and_sign::<cloudspec_baidu_bcc::operation::delete_image::DeleteImage>(
        black_box(&inputs.bcc),
        &inputs.credentials,
        "bcc.bj.baidubce.com",
        AlibabaSignature::V3,
    )
}

/// The request the signers alone sign: ECS `DeleteImage` as a V3 POST, already encoded.
pub fn ecs_signing_request() -> SigningRequest {
    let mut req = SigningRequest::new("POST", "ecs.cn-hangzhou.aliyuncs.com", "/");
    req.query = vec![
        ("Force".into(), "false".into()),
        ("ImageId".into(), "m-bp67acfmxazb4p****".into()),
        ("RegionId".into(), "cn-hangzhou".into()),
    ];
    req.set_header("x-acs-action", "DeleteImage");
    req.set_header("x-acs-version", "2014-05-26");
    req
}

/// The signer alone: Alibaba ACS3-HMAC-SHA256 on an encoded request.
pub fn sign_alibaba_v3(mut req: SigningRequest) -> usize {
    let creds = SigningCredentials::new(KEY_ID, KEY_SECRET);
    let time = jiff::Timestamp::from_second(EPOCH_SECONDS).expect("valid time");
    cloudspec_runtime::sign::alibaba_v3::sign(&mut req, &creds, time, NONCE).expect("signs");
    req.headers.len()
}

/// The signer alone: Alibaba V1 (HMAC-SHA1 over the query).
pub fn sign_alibaba_v1(mut req: SigningRequest) -> usize {
    req.method = "GET".into();
    req.query.push(("Action".into(), "DeleteImage".into()));
    req.query.push(("Version".into(), "2014-05-26".into()));
    req.query.push(("Format".into(), "JSON".into()));
    let creds = SigningCredentials::new(KEY_ID, KEY_SECRET);
    let time = jiff::Timestamp::from_second(EPOCH_SECONDS).expect("valid time");
    cloudspec_runtime::sign::alibaba_v1::sign(&mut req, &creds, time, NONCE).expect("signs");
    req.query.len()
}

/// The request TC3 signs: CVM `DeleteImages`, a JSON POST.
pub fn tc3_signing_request() -> SigningRequest {
    let mut req = SigningRequest::new("POST", "cvm.tencentcloudapi.com", "/");
    req.set_header("Content-Type", "application/json");
    req.set_header("X-TC-Action", "DeleteImages");
    req.set_header("X-TC-Version", "2017-03-12");
    req.body = br#"{"ImageIds":["img-mfih409y"],"DryRun":true}"#.to_vec();
    req
}

/// The signer alone: Tencent TC3-HMAC-SHA256.
pub fn sign_tencent_tc3(mut req: SigningRequest) -> usize {
    let creds = SigningCredentials::new(KEY_ID, KEY_SECRET);
    cloudspec_runtime::sign::tencent_tc3::sign(&mut req, &creds, "cvm", EPOCH_SECONDS, None)
        .expect("signs");
    req.headers.len()
}

/// The request bce-auth-v1 signs: BCC `DeleteImage`.
pub fn baidu_signing_request() -> SigningRequest {
    SigningRequest::new("DELETE", "bcc.bj.baidubce.com", "/v2/image/m-nky7qeom")
}

/// The signer alone: Baidu bce-auth-v1.
pub fn sign_baidu(mut req: SigningRequest) -> usize {
    let creds = SigningCredentials::new(KEY_ID, KEY_SECRET);
    let time = jiff::Timestamp::from_second(EPOCH_SECONDS).expect("valid time");
    cloudspec_runtime::sign::baidu::sign(&mut req, &creds, time, 1800, None).expect("signs");
    req.headers.len()
}

/// The anchor: aws-sigv4 `sign()` on the equivalent small POST (the same query and two
/// custom headers, an empty body), signing parameters built per call as an SDK does.
pub fn aws_sigv4_sign(identity: &aws_smithy_runtime_api::client::identity::Identity) -> usize {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region("cn-hangzhou")
        .name("ecs")
        .time(SystemTime::UNIX_EPOCH + Duration::from_secs(EPOCH_SECONDS as u64))
        .settings(SigningSettings::default())
        .build()
        .expect("valid signing parameters")
        .into();
    let headers = [
        ("host", "ecs.cn-hangzhou.aliyuncs.com"),
        ("x-acs-action", "DeleteImage"),
        ("x-acs-version", "2014-05-26"),
    ];
    let request = SignableRequest::new(
        "POST",
        "https://ecs.cn-hangzhou.aliyuncs.com/?Force=false&ImageId=m-bp67acfmxazb4p%2A%2A%2A%2A&RegionId=cn-hangzhou",
        headers.into_iter(),
        SignableBody::Bytes(b""),
    )
    .expect("a signable request");
    let (instructions, signature) = sign(request, &params).expect("signs").into_parts();
    instructions.headers().count() + signature.len()
}

/// The identity aws-sigv4 signs with.
pub fn aws_identity() -> aws_smithy_runtime_api::client::identity::Identity {
    aws_credential_types::Credentials::new(KEY_ID, KEY_SECRET, None, None, "bench").into()
}
