//! Operations that issue temporary credentials (a spec's `issues_credentials`: Alibaba and
//! Tencent STS `AssumeRole`, written from the official SDKs): the emulator mints a key,
//! secret and token with an expiry from its clock, accepts requests signed with them and
//! carrying the token until then, and answers the provider's expired-token error after.

mod common;

use std::time::Duration;

use cloudspec_emulator::{Clock, Emulator, Resource, RunningEmulator, State};
use cloudspec_runtime::{Credentials, SdkError};
use common::*;

fn state() -> State {
    keys()
        .with_resource(Resource::new(svc("ecs"), "m-ecs1", ALI_ACCOUNT).in_region("cn-hangzhou"))
        .with_resource(Resource::new(svc("ecs"), "m-ecs2", ALI_ACCOUNT).in_region("cn-hangzhou"))
        .with_resource(
            Resource::new(svc("cvm"), "img-aaaa0001", TC_ACCOUNT).in_region("ap-guangzhou"),
        )
        .with_resource(
            Resource::new(svc("cvm"), "img-aaaa0002", TC_ACCOUNT).in_region("ap-guangzhou"),
        )
}

async fn start_manual() -> RunningEmulator {
    Emulator::builder()
        .state(state())
        .clock(Clock::manual_now())
        .start()
        .await
        .expect("the emulator starts")
}

fn alibaba_error_code<E: std::fmt::Debug + std::fmt::Display>(error: &SdkError<E>) -> String {
    format!("{error} {error:?}")
}

#[tokio::test]
async fn alibaba_assume_role_mints_credentials_accepted_until_they_expire() {
    use cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput;
    use cloudspec_alibaba_sts::operation::assume_role::AssumeRoleInput;
    let emulator = start_manual().await;
    let sts = cloudspec_alibaba_sts::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let issued_at = emulator.clock().now();
    let output = sts
        .assume_role(
            AssumeRoleInput::new("acs:ram::1000000000000001:role/dev", "session-1")
                .with_duration_seconds(900),
        )
        .await
        .unwrap();
    let minted = output.credentials.expect("Credentials in the answer");
    let (id, secret, token) = (
        minted.access_key_id.expect("AccessKeyId"),
        minted.access_key_secret.expect("AccessKeySecret"),
        minted.security_token.expect("SecurityToken"),
    );
    assert_ne!(id, ALI_KEY);
    let expiration: jiff::Timestamp = minted
        .expiration
        .expect("Expiration")
        .parse()
        .expect("an RFC 3339 time");
    assert_eq!(
        expiration.as_second() - issued_at.as_second(),
        900,
        "DurationSeconds from the emulator's clock"
    );
    assert!(output.request_id.is_some());

    let temporary = Credentials::new(&id, &secret).with_security_token(&token);
    let ecs = cloudspec_alibaba_ecs::Client::new(
        cloudspec_alibaba_ecs::Config::new(temporary.clone())
            .with_endpoint(emulator.endpoint())
            .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    ecs.delete_image(DeleteImageInput::new("m-ecs1", "cn-hangzhou"))
        .await
        .expect("the temporary key signs for the caller's account");
    assert!(emulator.resource(svc("ecs"), "m-ecs1").is_none());

    // Without its token the key is refused.
    let tokenless = cloudspec_alibaba_ecs::Client::new(
        cloudspec_alibaba_ecs::Config::new(Credentials::new(&id, &secret))
            .with_endpoint(emulator.endpoint())
            .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    let error = tokenless
        .delete_image(DeleteImageInput::new("m-ecs2", "cn-hangzhou"))
        .await
        .unwrap_err();
    assert!(
        alibaba_error_code(&error).contains("InvalidSecurityToken.MismatchWithAccessKey"),
        "{error:?}"
    );

    emulator.clock().advance(Duration::from_secs(900));
    let error = ecs
        .delete_image(DeleteImageInput::new("m-ecs2", "cn-hangzhou"))
        .await
        .unwrap_err();
    assert!(
        alibaba_error_code(&error).contains("InvalidSecurityToken.Expired"),
        "{error:?}"
    );
    assert!(
        emulator.resource(svc("ecs"), "m-ecs2").is_some(),
        "an expired key changes nothing"
    );
}

#[tokio::test]
async fn tencent_assume_role_mints_credentials_accepted_until_they_expire() {
    use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;
    use cloudspec_tencent_sts::operation::assume_role::AssumeRoleInput;
    let emulator = start_manual().await;
    let sts = cloudspec_tencent_sts::Client::new(
        config(&emulator, TC_KEY, TC_SECRET).with_region("ap-guangzhou"),
    )
    .unwrap();
    let issued_at = emulator.clock().now();
    let output = sts
        .assume_role(AssumeRoleInput::new(
            "qcs::cam::uin/100000000001:roleName/dev",
            "session-1",
        ))
        .await
        .unwrap();
    let minted = output.credentials.expect("Credentials in the answer");
    assert_eq!(
        output.expired_time.expect("ExpiredTime") - issued_at.as_second(),
        7200,
        "the spec's default lifetime when the call gives none"
    );
    let temporary = Credentials::new(
        minted.tmp_secret_id.expect("TmpSecretId"),
        minted.tmp_secret_key.expect("TmpSecretKey"),
    )
    .with_security_token(minted.token.expect("Token"));
    let cvm = cloudspec_tencent_cvm::Client::new(
        cloudspec_tencent_cvm::Config::new(temporary)
            .with_endpoint(emulator.endpoint())
            .with_region("ap-guangzhou")
            .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    cvm.delete_images(DeleteImagesInput::new(["img-aaaa0001"]))
        .await
        .expect("the temporary key signs for the caller's account");
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_none());

    emulator.clock().advance(Duration::from_secs(7200));
    let error = cvm
        .delete_images(DeleteImagesInput::new(["img-aaaa0002"]))
        .await
        .unwrap_err();
    assert!(
        format!("{error:?}").contains("AuthFailure.TokenFailure"),
        "{error:?}"
    );
    assert!(emulator.resource(svc("cvm"), "img-aaaa0002").is_some());
}

/// The identity tokens the unsigned STS calls accept in these tests.
const ALI_OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.ack-rrsa.sig";
const TC_OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.tke.sig";

async fn start_with_identities() -> RunningEmulator {
    use cloudspec_emulator::Provider;
    Emulator::builder()
        .state(state())
        .clock(Clock::manual_now())
        .web_identity(Provider::Alibaba, ALI_OIDC_TOKEN, ALI_ACCOUNT)
        .web_identity(Provider::Tencent, TC_OIDC_TOKEN, TC_ACCOUNT)
        .start()
        .await
        .expect("the emulator starts")
}

#[tokio::test]
async fn alibaba_assume_role_with_oidc_is_sent_unsigned_and_mints_for_the_tokens_account() {
    use cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput;
    use cloudspec_alibaba_sts::operation::assume_role_with_oidc::AssumeRoleWithOidcInput;
    let emulator = start_with_identities().await;
    // No credentials at all: specs/alibaba-sts.yaml AssumeRoleWithOidc `auth: anonymous`.
    let sts = cloudspec_alibaba_sts::Client::new(
        cloudspec_alibaba_sts::Config::without_credentials()
            .with_endpoint(emulator.endpoint())
            .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    let input = |token: &str| {
        AssumeRoleWithOidcInput::new(
            "acs:ram::1000000000000001:role/ack",
            "acs:ram::1000000000000001:oidc-provider/ack-rrsa",
            token,
        )
        .with_role_session_name("pod-1")
    };
    let minted = sts
        .assume_role_with_oidc(input(ALI_OIDC_TOKEN))
        .await
        .expect("an unsigned call with a known identity token")
        .credentials
        .expect("Credentials in the answer");
    let temporary = Credentials::new(
        minted.access_key_id.expect("AccessKeyId"),
        minted.access_key_secret.expect("AccessKeySecret"),
    )
    .with_security_token(minted.security_token.expect("SecurityToken"));
    let ecs = cloudspec_alibaba_ecs::Client::new(
        cloudspec_alibaba_ecs::Config::new(temporary)
            .with_endpoint(emulator.endpoint())
            .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    ecs.delete_image(DeleteImageInput::new("m-ecs1", "cn-hangzhou"))
        .await
        .expect("the minted key acts for the identity token's account");
    assert!(emulator.resource(svc("ecs"), "m-ecs1").is_none());

    let error = sts
        .assume_role_with_oidc(input("eyJ.someone-else.sig"))
        .await
        .unwrap_err();
    assert!(
        alibaba_error_code(&error).contains("InvalidParameter"),
        "{error:?}"
    );

    // A signed operation still needs a signature: the same client cannot call AssumeRole.
    let error = sts
        .assume_role(
            cloudspec_alibaba_sts::operation::assume_role::AssumeRoleInput::new(
                "acs:ram::1000000000000001:role/dev",
                "s",
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, SdkError::Construction(_)),
        "nothing is sent without credentials: {error:?}"
    );
}

#[tokio::test]
async fn tencent_assume_role_with_web_identity_says_skip_and_mints_for_the_tokens_account() {
    use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;
    use cloudspec_tencent_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityInput;
    let emulator = start_with_identities().await;
    let sts = cloudspec_tencent_sts::Client::new(
        cloudspec_tencent_sts::Config::without_credentials()
            .with_endpoint(emulator.endpoint())
            .with_region("ap-guangzhou")
            .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    let issued_at = emulator.clock().now();
    let output = sts
        .assume_role_with_web_identity(
            AssumeRoleWithWebIdentityInput::new(
                "OIDC",
                TC_OIDC_TOKEN,
                "qcs::cam::uin/100000000001:roleName/tke",
                "tencentcloud-python-sdk-1",
            )
            .with_duration_seconds(1800),
        )
        .await
        .expect("an unsigned call with a known identity token");
    assert_eq!(
        output.expired_time.expect("ExpiredTime") - issued_at.as_second(),
        1800
    );
    let expiration: jiff::Timestamp = output
        .expiration
        .expect("Expiration")
        .parse()
        .expect("an RFC 3339 time");
    assert_eq!(expiration.as_second() - issued_at.as_second(), 1800);
    let minted = output.credentials.expect("Credentials");
    let cvm = cloudspec_tencent_cvm::Client::new(
        cloudspec_tencent_cvm::Config::new(
            Credentials::new(
                minted.tmp_secret_id.expect("TmpSecretId"),
                minted.tmp_secret_key.expect("TmpSecretKey"),
            )
            .with_security_token(minted.token.expect("Token")),
        )
        .with_endpoint(emulator.endpoint())
        .with_region("ap-guangzhou")
        .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    cvm.delete_images(DeleteImagesInput::new(["img-aaaa0001"]))
        .await
        .expect("the minted key acts for the identity token's account");

    let error = sts
        .assume_role_with_web_identity(AssumeRoleWithWebIdentityInput::new(
            "OIDC",
            "eyJ.unknown.sig",
            "qcs::cam::uin/100000000001:roleName/tke",
            "s",
        ))
        .await
        .unwrap_err();
    assert!(
        format!("{error:?}").contains("InvalidParameterValue"),
        "{error:?}"
    );
}

#[tokio::test]
async fn skip_is_refused_for_an_operation_that_takes_a_signature() {
    let emulator = start_with_identities().await;
    let response = reqwest::Client::new()
        .post(format!("{}/", emulator.endpoint()))
        .header("Authorization", "SKIP")
        .header("Content-Type", "application/json")
        .header("X-TC-Action", "DeleteImages")
        .header("X-TC-Version", "2017-03-12")
        .header(
            "X-TC-Timestamp",
            emulator.clock().now().as_second().to_string(),
        )
        .body(r#"{"ImageIds":["img-aaaa0002"]}"#)
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(body.contains("AuthFailure.InvalidAuthorization"), "{body}");
    assert!(emulator.resource(svc("cvm"), "img-aaaa0002").is_some());
}

/// `POST /_emulator/clock` moves a manual clock from outside the process (any language's
/// tests), so minted credentials expire without waiting; the system clock cannot be moved.
#[tokio::test]
async fn the_admin_clock_endpoint_expires_minted_credentials() {
    use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;
    use cloudspec_tencent_sts::operation::assume_role::AssumeRoleInput;
    let emulator = start_manual().await;
    let sts = cloudspec_tencent_sts::Client::new(
        config(&emulator, TC_KEY, TC_SECRET).with_region("ap-guangzhou"),
    )
    .unwrap();
    let minted = sts
        .assume_role(
            AssumeRoleInput::new("qcs::cam::uin/100000000001:roleName/dev", "s")
                .with_duration_seconds(900),
        )
        .await
        .unwrap()
        .credentials
        .unwrap();
    let http = reqwest::Client::new();
    let before = emulator.clock().now();
    let answer = http
        .post(format!("{}/_emulator/clock", emulator.endpoint()))
        .body(r#"{"advance_seconds": 900}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["manual"], serde_json::json!(true));
    assert_eq!(emulator.clock().now().as_second() - before.as_second(), 900);
    let cvm = cloudspec_tencent_cvm::Client::new(
        cloudspec_tencent_cvm::Config::new(
            Credentials::new(
                minted.tmp_secret_id.unwrap(),
                minted.tmp_secret_key.unwrap(),
            )
            .with_security_token(minted.token.unwrap()),
        )
        .with_endpoint(emulator.endpoint())
        .with_region("ap-guangzhou")
        .with_time_source(std::sync::Arc::new(emulator.clock().clone()))
        .with_retry(cloudspec_runtime::RetryConfig::disabled()),
    )
    .unwrap();
    let error = cvm
        .delete_images(DeleteImagesInput::new(["img-aaaa0001"]))
        .await
        .unwrap_err();
    assert!(
        format!("{error:?}").contains("AuthFailure.TokenFailure"),
        "{error:?}"
    );

    let system = Emulator::builder().state(state()).start().await.unwrap();
    let response = http
        .post(format!("{}/_emulator/clock", system.endpoint()))
        .body(r#"{"advance_seconds": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 409);
    let response = http
        .post(format!("{}/_emulator/clock", emulator.endpoint()))
        .body(r#"{"advance_seconds": 1, "set": "2026-01-01T00:00:00Z"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
}
