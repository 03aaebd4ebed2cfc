//! The chain end to end against the in-process emulator on 127.0.0.1: each source gives
//! credentials that the emulator accepts for a real call, and temporary credentials from
//! STS AssumeRole are refreshed before they expire, driven by the emulator's manual clock
//! (never by sleeping).

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cloudspec_credentials::{CredentialsChain, Environment, Source};
use cloudspec_emulator::{
    AccessKey, Clock, Emulator, Provider as EmulatorProvider, Resource, RunningEmulator, Service,
    State,
};
use cloudspec_runtime::credentials::{ProvideCredentials, SharedTimeSource};
use cloudspec_runtime::{Config, Credentials, Provider, RetryConfig, SdkError};
use common::{Home, with_sources};

const ALI_KEY: &str = "long-lived-alibaba-key";
const ALI_SECRET: &str = "long-lived-alibaba-secret";
const ALI_ACCOUNT: &str = "1000000000000001";
const TC_KEY: &str = "long-lived-tencent-key";
const TC_SECRET: &str = "long-lived-tencent-secret";
const TC_ACCOUNT: &str = "100000000001";

/// Whole seconds since the Unix epoch (the answers give expiries to the second).
fn unix(time: SystemTime) -> i64 {
    jiff::Timestamp::try_from(time).expect("a time").as_second()
}

fn service(name: &str) -> Service {
    Service::named(name).expect("a service of the registry")
}

async fn emulator() -> RunningEmulator {
    emulator_with_roles(&[]).await
}

async fn emulator_with_roles(roles: &[(EmulatorProvider, &str, &str)]) -> RunningEmulator {
    emulator_with(roles, &[]).await
}

/// The emulator with instance `roles` and web `identities` (provider, token, account).
async fn emulator_with(
    roles: &[(EmulatorProvider, &str, &str)],
    identities: &[(EmulatorProvider, &str, &str)],
) -> RunningEmulator {
    let mut state = State::new()
        .with_access_key(AccessKey::new(
            EmulatorProvider::Alibaba,
            ALI_KEY,
            ALI_SECRET,
            ALI_ACCOUNT,
        ))
        .with_access_key(AccessKey::new(
            EmulatorProvider::Tencent,
            TC_KEY,
            TC_SECRET,
            TC_ACCOUNT,
        ));
    for n in 1..=4 {
        state = state
            .with_resource(
                Resource::new(service("ecs"), format!("m-chain{n}"), ALI_ACCOUNT)
                    .in_region("cn-hangzhou"),
            )
            .with_resource(
                Resource::new(service("cvm"), format!("img-chain00{n}"), TC_ACCOUNT)
                    .in_region("ap-guangzhou"),
            );
    }
    let mut builder = Emulator::builder().state(state).clock(Clock::manual_now());
    for (provider, role, account) in roles {
        builder = builder.instance_role(*provider, *role, *account);
    }
    for (provider, token, account) in identities {
        builder = builder.web_identity(*provider, *token, *account);
    }
    builder.start().await.expect("the emulator starts")
}

fn chain(
    provider: Provider,
    emulator: &RunningEmulator,
    environment: Environment,
) -> Arc<CredentialsChain> {
    let clock: SharedTimeSource = Arc::new(emulator.clock().clone());
    Arc::new(
        CredentialsChain::builder(provider)
            .environment(environment)
            .sts_endpoint(emulator.endpoint())
            .imds_endpoint(emulator.endpoint())
            .time_source(clock)
            .refresh_before(Duration::from_secs(300))
            .build(),
    )
}

fn client_config(emulator: &RunningEmulator, chain: &Arc<CredentialsChain>) -> Config {
    Config::from_credentials_provider(chain.clone())
        .with_endpoint(emulator.endpoint())
        .with_time_source(Arc::new(emulator.clock().clone()))
        .with_retry(RetryConfig::disabled())
}

async fn delete_ecs(
    emulator: &RunningEmulator,
    config: Config,
    id: &str,
) -> Result<(), SdkError<cloudspec_alibaba_ecs::operation::delete_image::DeleteImageError>> {
    use cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput;
    let client = cloudspec_alibaba_ecs::Client::new(config).expect("a client");
    client
        .delete_image(DeleteImageInput::new(id, "cn-hangzhou"))
        .await?;
    assert!(
        emulator.resource(service("ecs"), id).is_none(),
        "{id} is gone"
    );
    Ok(())
}

async fn delete_cvm(
    emulator: &RunningEmulator,
    config: Config,
    id: &str,
) -> Result<(), SdkError<cloudspec_tencent_cvm::operation::delete_images::DeleteImagesError>> {
    use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;
    let client =
        cloudspec_tencent_cvm::Client::new(config.with_region("ap-guangzhou")).expect("a client");
    client.delete_images(DeleteImagesInput::new([id])).await?;
    assert!(
        emulator.resource(service("cvm"), id).is_none(),
        "{id} is gone"
    );
    Ok(())
}

fn aliyun_config(profiles: &str) -> String {
    format!(r#"{{"current": "main", "profiles": [{profiles}]}}"#)
}

#[tokio::test]
async fn environment_keys_come_first_and_sign_a_call() {
    let emulator = emulator().await;
    let home = Home::new(
        "env-first",
        &[(
            ".aliyun/config.json",
            &aliyun_config(
                r#"{"name": "main", "mode": "AK", "access_key_id": "profile-key", "access_key_secret": "profile-secret"}"#,
            ),
        )],
    );
    let environment = home.environment(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ALI_KEY),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ALI_SECRET),
    ]);
    let chain = chain(Provider::Alibaba, &emulator, environment);
    delete_ecs(&emulator, client_config(&emulator, &chain), "m-chain1")
        .await
        .expect("the environment's keys are the emulator's");
    assert_eq!(chain.chosen_source().await, Some(Source::Environment));
}

#[tokio::test]
async fn the_order_can_be_changed() {
    let emulator = emulator().await;
    let home = Home::new(
        "order",
        &[(
            ".aliyun/config.json",
            &aliyun_config(&format!(
                r#"{{"name": "main", "mode": "AK", "access_key_id": "{ALI_KEY}", "access_key_secret": "{ALI_SECRET}"}}"#
            )),
        )],
    );
    let environment = home.environment(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-key-not-in-the-emulator"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]);
    let clock: SharedTimeSource = Arc::new(emulator.clock().clone());
    let chain = Arc::new(
        CredentialsChain::builder(Provider::Alibaba)
            .environment(environment)
            .time_source(clock)
            .order([Source::Profile, Source::Environment])
            .build(),
    );
    delete_ecs(&emulator, client_config(&emulator, &chain), "m-chain1")
        .await
        .expect("the profile's keys, tried first");
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
}

#[tokio::test]
async fn aliyun_ram_role_arn_profile_assumes_the_role_and_refreshes_before_expiry() {
    let emulator = emulator().await;
    let home = Home::new(
        "ram-role-arn",
        &[(
            ".aliyun/config.json",
            &aliyun_config(&format!(
                r#"{{"name": "main", "mode": "RamRoleArn", "access_key_id": "{ALI_KEY}", "access_key_secret": "{ALI_SECRET}",
                    "ram_role_arn": "acs:ram::{ALI_ACCOUNT}:role/dev", "ram_session_name": "chain-test", "expired_seconds": 900}}"#
            )),
        )],
    );
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let config = client_config(&emulator, &chain);

    let first = chain
        .provide_credentials()
        .await
        .expect("AssumeRole answers");
    assert_ne!(
        first.access_key_id(),
        ALI_KEY,
        "temporary, not the profile's key"
    );
    assert!(first.security_token().is_some());
    assert_eq!(
        unix(first.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        900,
        "expired_seconds of the profile, from the emulator's clock"
    );
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
    delete_ecs(&emulator, config.clone(), "m-chain1")
        .await
        .expect("the temporary credentials sign a call");

    // 601 s later the credentials are within 300 s of expiry: the next call refreshes.
    emulator.clock().advance(Duration::from_secs(601));
    delete_ecs(&emulator, config.clone(), "m-chain2")
        .await
        .expect("refreshed credentials sign the call");
    let second = chain.provide_credentials().await.expect("cached");
    assert_ne!(second.access_key_id(), first.access_key_id(), "refreshed");

    // Past the first credentials' expiry, the emulator refuses them; the chain's still work.
    emulator.clock().advance(Duration::from_secs(300));
    let stale = Config::new(first.clone())
        .with_endpoint(emulator.endpoint())
        .with_time_source(Arc::new(emulator.clock().clone()))
        .with_retry(RetryConfig::disabled());
    let error = delete_ecs(&emulator, stale, "m-chain3").await.unwrap_err();
    assert!(
        format!("{error:?}").contains("InvalidSecurityToken.Expired"),
        "{error:?}"
    );
    delete_ecs(&emulator, config, "m-chain3")
        .await
        .expect("the chain's current credentials");
}

#[tokio::test]
async fn tccli_role_arn_profile_assumes_the_role_and_refreshes_before_expiry() {
    let emulator = emulator().await;
    let credential = format!(
        r#"{{"secretId": "{TC_KEY}", "secretKey": "{TC_SECRET}", "role-arn": "qcs::cam::uin/{TC_ACCOUNT}:roleName/dev", "role-session-name": "chain-test"}}"#
    );
    let home = Home::new("tccli-role", &[(".tccli/default.credential", &credential)]);
    let chain = chain(Provider::Tencent, &emulator, home.environment(&[]));
    let config = client_config(&emulator, &chain);
    delete_cvm(&emulator, config.clone(), "img-chain001")
        .await
        .expect("the temporary credentials sign a call");
    let first = chain.provide_credentials().await.expect("cached");
    assert_eq!(
        unix(first.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        7200,
        "the spec's default lifetime, what tccli asks for"
    );
    // Bounded: a few steps of the emulator clock, no real waiting.
    for _ in 0..3 {
        emulator.clock().advance(Duration::from_secs(2300));
    }
    delete_cvm(&emulator, config, "img-chain002")
        .await
        .expect("refreshed credentials");
    let second = chain.provide_credentials().await.expect("cached");
    assert_ne!(second.access_key_id(), first.access_key_id(), "refreshed");
}

#[tokio::test]
async fn tencent_environment_keys_sign_a_call() {
    let emulator = emulator().await;
    let home = Home::new("tc-env", &[]);
    let environment = home.environment(&[
        ("TENCENTCLOUD_SECRET_ID", TC_KEY),
        ("TENCENTCLOUD_SECRET_KEY", TC_SECRET),
    ]);
    let chain = chain(Provider::Tencent, &emulator, environment);
    delete_cvm(&emulator, client_config(&emulator, &chain), "img-chain003")
        .await
        .expect("the environment's keys");
    assert_eq!(chain.chosen_source().await, Some(Source::Environment));
}

#[tokio::test]
async fn a_profile_mode_not_implemented_is_an_error_naming_it_not_a_fall_through() {
    let emulator = emulator().await;
    let home = Home::new(
        "cloud-sso",
        &[(
            ".aliyun/config.json",
            &aliyun_config(
                r#"{"name": "main", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://signin.example/login"}"#,
            ),
        )],
    );
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let error = chain.provide_credentials().await.unwrap_err();
    assert!(!error.is_not_loaded(), "{error}");
    let text = with_sources(&error);
    assert!(text.contains("main"), "{text}");
    assert!(text.contains("config.json"), "{text}");
    assert!(text.contains("CloudSSO"), "{text}");
}

#[tokio::test]
async fn no_source_configured_says_what_was_tried() {
    let emulator = emulator().await;
    let home = Home::new("nothing", &[]);
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let error = chain.provide_credentials().await.unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
    assert!(
        error
            .to_string()
            .contains("Environment, WebIdentity, Profile, InstanceMetadata"),
        "{error}"
    );
    // The client reports it as a credentials error, nothing sent.
    let error = delete_ecs(&emulator, client_config(&emulator, &chain), "m-chain4")
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Credentials(_)), "{error:?}");
    assert!(emulator.resource(service("ecs"), "m-chain4").is_some());
}

#[test]
fn debug_of_a_chain_shows_no_secret() {
    let home = Home::new("debug", &[]);
    let chain = CredentialsChain::builder(Provider::Alibaba)
        .environment(home.environment(&[("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "top-secret-value")]))
        .build();
    let shown = format!("{chain:?}");
    assert!(!shown.contains("top-secret-value"), "{shown}");
    let _ = Credentials::new("a", "b");
}

#[tokio::test]
async fn ecs_ram_role_from_instance_metadata_with_refresh() {
    let emulator =
        emulator_with_roles(&[(EmulatorProvider::Alibaba, "web-role", ALI_ACCOUNT)]).await;
    let home = Home::new("ecs-imds", &[]);
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let config = client_config(&emulator, &chain);
    delete_ecs(&emulator, config.clone(), "m-chain1")
        .await
        .expect("the instance role's credentials sign a call");
    assert_eq!(chain.chosen_source().await, Some(Source::InstanceMetadata));
    let first = chain.provide_credentials().await.expect("cached");
    assert_eq!(
        unix(first.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        21600,
        "the six-hour lifetime of specs/alibaba-metadata.yaml (GetRamRoleCredentials, issues_credentials)"
    );
    emulator.clock().advance(Duration::from_secs(21400));
    delete_ecs(&emulator, config, "m-chain2")
        .await
        .expect("refreshed 200 s before expiry");
    let second = chain.provide_credentials().await.expect("cached");
    assert_ne!(second.access_key_id(), first.access_key_id());
}

#[tokio::test]
async fn aliyun_ecs_ram_role_profile_names_the_role() {
    let emulator = emulator_with_roles(&[
        (EmulatorProvider::Alibaba, "first-role", "9999999999999999"),
        (EmulatorProvider::Alibaba, "web-role", ALI_ACCOUNT),
    ])
    .await;
    let home = Home::new(
        "ecs-profile",
        &[(
            ".aliyun/config.json",
            &aliyun_config(
                r#"{"name": "main", "mode": "EcsRamRole", "ram_role_name": "web-role"}"#,
            ),
        )],
    );
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    delete_ecs(&emulator, client_config(&emulator, &chain), "m-chain1")
        .await
        .expect("the named role's account owns the image");
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
}

#[tokio::test]
async fn cvm_cam_role_from_tccli_cvm_role_profile() {
    let emulator =
        emulator_with_roles(&[(EmulatorProvider::Tencent, "cvm-role", TC_ACCOUNT)]).await;
    let home = Home::new(
        "cvm-role",
        &[(".tccli/default.credential", r#"{"type": "cvm-role"}"#)],
    );
    let chain = chain(Provider::Tencent, &emulator, home.environment(&[]));
    let config = client_config(&emulator, &chain);
    delete_cvm(&emulator, config.clone(), "img-chain001")
        .await
        .expect("the CVM role's credentials sign a call");
    let first = chain.provide_credentials().await.expect("cached");
    // specs/tencent-metadata.yaml: six hours (GetCamRoleCredentials, issues_credentials).
    assert_eq!(
        unix(first.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        21600
    );
    emulator.clock().advance(Duration::from_secs(21500));
    delete_cvm(&emulator, config, "img-chain002")
        .await
        .expect("refreshed before expiry");
    let second = chain.provide_credentials().await.expect("cached");
    assert_ne!(second.access_key_id(), first.access_key_id());
}

#[tokio::test]
async fn the_instance_metadata_source_can_be_turned_off() {
    let emulator =
        emulator_with_roles(&[(EmulatorProvider::Alibaba, "web-role", ALI_ACCOUNT)]).await;
    let home = Home::new("imds-off", &[]);
    let chain = chain(
        Provider::Alibaba,
        &emulator,
        home.environment(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]),
    );
    let error = chain.provide_credentials().await.unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
}

const ALI_OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.ack-rrsa-pod.sig";
const ALI_ROTATED_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.ack-rrsa-pod-rotated.sig";
const TC_OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.tke-pod.sig";

/// ACK RRSA: the three variables of alibabacloud-credentials (utils/auth_util.py lines
/// 18-20) make the chain call AssumeRoleWithOIDC unsigned with the token file's content,
/// before any profile; the token file is read again on refresh, as the platform rotates it.
#[tokio::test]
async fn alibaba_oidc_variables_exchange_the_token_file_and_reread_it_on_refresh() {
    let emulator = emulator_with(
        &[],
        &[
            (EmulatorProvider::Alibaba, ALI_OIDC_TOKEN, ALI_ACCOUNT),
            (EmulatorProvider::Alibaba, ALI_ROTATED_TOKEN, ALI_ACCOUNT),
        ],
    )
    .await;
    let home = Home::new(
        "ack-rrsa",
        &[
            ("token", ALI_OIDC_TOKEN),
            // A profile too: the OIDC variables come first (provider/default.py lines 21-24).
            (
                ".aliyun/config.json",
                &aliyun_config(
                    r#"{"name": "main", "mode": "AK", "access_key_id": "unknown", "access_key_secret": "unknown"}"#,
                ),
            ),
        ],
    );
    let token_file = home.0.join("token");
    let token_path: &'static str = Box::leak(token_file.display().to_string().into_boxed_str());
    let environment = home.environment(&[
        (
            "ALIBABA_CLOUD_ROLE_ARN",
            "acs:ram::1000000000000001:role/ack",
        ),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1000000000000001:oidc-provider/ack-rrsa",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_path),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-1"),
    ]);
    let chain = chain(Provider::Alibaba, &emulator, environment);
    let config = client_config(&emulator, &chain);
    delete_ecs(&emulator, config.clone(), "m-chain1")
        .await
        .expect("the exchanged credentials sign a call");
    assert_eq!(chain.chosen_source().await, Some(Source::WebIdentity));
    let first = chain.provide_credentials().await.expect("cached");
    assert_eq!(
        unix(first.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        3600,
        "the spec's default lifetime"
    );

    // The platform rotates the token; past the refresh point the chain sends the new one.
    std::fs::write(&token_file, ALI_ROTATED_TOKEN).expect("rotate");
    emulator.clock().advance(Duration::from_secs(3600 - 299));
    delete_ecs(&emulator, config.clone(), "m-chain2")
        .await
        .expect("refreshed with the rotated token");
    let second = chain.provide_credentials().await.expect("cached");
    assert_ne!(second.access_key_id(), first.access_key_id(), "refreshed");

    // A token the identity provider never issued is refused, and the error says so (past
    // the expiry: until then the cache keeps the credentials it has when a refresh fails).
    std::fs::write(&token_file, "eyJ.forged.sig").expect("forge");
    emulator.clock().advance(Duration::from_secs(3600));
    let error = chain.provide_credentials().await.unwrap_err();
    let text = with_sources(&error);
    assert!(text.contains("web identity"), "{text}");
    assert!(
        text.contains("OIDCToken"),
        "the emulator's error names the parameter: {text}"
    );
}

/// An aliyun profile of mode OIDC (alibabacloud-credentials 1.0.12,
/// provider/cli_profile.py lines 177-187): its role, provider, token file and lifetime.
#[tokio::test]
async fn aliyun_oidc_profile_exchanges_its_token_file() {
    let emulator = emulator_with(
        &[],
        &[(EmulatorProvider::Alibaba, ALI_OIDC_TOKEN, ALI_ACCOUNT)],
    )
    .await;
    let home = Home::new("aliyun-oidc", &[("token", ALI_OIDC_TOKEN)]);
    let token_file = home.0.join("token");
    let profile = format!(
        r#"{{"name": "main", "mode": "OIDC", "ram_role_arn": "acs:ram::{ALI_ACCOUNT}:role/ack", "oidc_provider_arn": "acs:ram::{ALI_ACCOUNT}:oidc-provider/p",
            "oidc_token_file": "{}", "role_session_name": "from-profile", "expired_seconds": 900}}"#,
        token_file.display()
    );
    std::fs::create_dir_all(home.0.join(".aliyun")).expect("folder");
    std::fs::write(home.0.join(".aliyun/config.json"), aliyun_config(&profile)).expect("file");
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let credentials = chain
        .provide_credentials()
        .await
        .expect("the profile's OIDC token");
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
    assert_eq!(
        unix(credentials.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        900,
        "expired_seconds of the profile"
    );
    delete_ecs(&emulator, client_config(&emulator, &chain), "m-chain3")
        .await
        .expect("the exchanged credentials sign a call");

    // A missing token file is an error naming it, not a fall-through.
    std::fs::remove_file(&token_file).expect("remove");
    let chain = self::chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let error = chain.provide_credentials().await.unwrap_err();
    assert!(!error.is_not_loaded(), "{error}");
    assert!(error.to_string().contains("token"), "{error}");
}

/// TKE: the four variables of tencentcloud-sdk-python (credential.py lines 508-528), after
/// environment, profile and instance role (lines 343-376), and the call is sent with
/// `Authorization: SKIP` to TKE_REGION.
#[tokio::test]
async fn tke_variables_exchange_the_token_file_for_a_cam_role() {
    let emulator = emulator_with(
        &[],
        &[(EmulatorProvider::Tencent, TC_OIDC_TOKEN, TC_ACCOUNT)],
    )
    .await;
    let home = Home::new("tke", &[("token", TC_OIDC_TOKEN)]);
    let token_path: &'static str =
        Box::leak(home.0.join("token").display().to_string().into_boxed_str());
    let environment = home.environment(&[
        ("TKE_REGION", "ap-guangzhou"),
        ("TKE_PROVIDER_ID", "OIDC"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_path),
        ("TKE_ROLE_ARN", "qcs::cam::uin/100000000001:roleName/tke"),
    ]);
    // No metadata service answers in a test: the chain goes on past the instance role.
    let chain = Arc::new(
        CredentialsChain::builder(Provider::Tencent)
            .environment(environment)
            .sts_endpoint(emulator.endpoint())
            .time_source(Arc::new(emulator.clock().clone()))
            .order([Source::Environment, Source::Profile, Source::WebIdentity])
            .build(),
    );
    let credentials = chain.provide_credentials().await.expect("the TKE token");
    assert_eq!(chain.chosen_source().await, Some(Source::WebIdentity));
    assert_eq!(
        unix(credentials.expiry().expect("an expiry")) - emulator.clock().now().as_second(),
        7200,
        "the spec's default lifetime"
    );
    delete_cvm(&emulator, client_config(&emulator, &chain), "img-chain001")
        .await
        .expect("the exchanged credentials sign a call");
}

#[tokio::test]
async fn half_configured_tke_variables_are_an_error_naming_the_missing_ones() {
    let home = Home::new("tke-half", &[]);
    let chain = CredentialsChain::builder(Provider::Tencent)
        .environment(
            home.environment(&[("TKE_REGION", "ap-guangzhou"), ("TKE_PROVIDER_ID", "OIDC")]),
        )
        .order([Source::WebIdentity])
        .build();
    let error = chain.provide_credentials().await.unwrap_err();
    assert!(!error.is_not_loaded(), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("TKE_WEB_IDENTITY_TOKEN_FILE") && text.contains("TKE_ROLE_ARN"),
        "{text}"
    );
}

/// `~/.alibabacloud/credentials.ini` (alibabacloud-credentials 1.0.12, provider/profile.py),
/// read when the aliyun CLI keeps no file: `type = ram_role_arn` assumes the role with the
/// section's keys, against the emulator.
#[tokio::test]
async fn alibabacloud_credentials_ini_assumes_its_role() {
    let emulator = emulator().await;
    let ini = format!(
        "[default]\ntype = ram_role_arn\naccess_key_id = {ALI_KEY}\naccess_key_secret = {ALI_SECRET}\nrole_arn = acs:ram::{ALI_ACCOUNT}:role/dev\nrole_session_name = ini-test\n"
    );
    let home = Home::new(
        "alibabacloud-ini",
        &[(".alibabacloud/credentials.ini", &ini)],
    );
    let chain = chain(Provider::Alibaba, &emulator, home.environment(&[]));
    let credentials = chain
        .provide_credentials()
        .await
        .expect("AssumeRole answers");
    assert_ne!(
        credentials.access_key_id(),
        ALI_KEY,
        "temporary, not the file's key"
    );
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
    delete_ecs(&emulator, client_config(&emulator, &chain), "m-chain4")
        .await
        .expect("the temporary credentials sign a call");
}
