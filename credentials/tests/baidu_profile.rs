//! Baidu credentials from the BCE CLI's files (`cloudspec_runtime::profile`) through the
//! chain's profile source, proven against the in-process emulator on 127.0.0.1: the keys
//! the chain reads from a temporary `~/.bce` sign a BCC `DeleteImage` that the emulator
//! accepts.
//!
//! The chain is built with an explicit order that includes [`Source::Profile`], so these
//! tests do not depend on Baidu's default order. The call goes through the generated
//! `cloudspec-baidu-bcc` client.

mod common;

use cloudspec_credentials::{CredentialsChain, Source};
use cloudspec_emulator::{
    AccessKey, Emulator, Provider as EmulatorProvider, Resource, RunningEmulator, Service, State,
};
use cloudspec_runtime::credentials::ProvideCredentials;
use cloudspec_runtime::profile::ProfileFiles;
use cloudspec_runtime::{Credentials, Provider, RetryConfig};
use common::{Home, with_sources};

const BD_KEY: &str = "long-lived-baidu-key";
const BD_SECRET: &str = "long-lived-baidu-secret";
const BD_ACCOUNT: &str = "baidu-account-1";

fn bcc() -> Service {
    Service::named("bcc").expect("bcc is in the registry")
}

async fn emulator() -> RunningEmulator {
    let mut state = State::new().with_access_key(AccessKey::new(
        EmulatorProvider::Baidu,
        BD_KEY,
        BD_SECRET,
        BD_ACCOUNT,
    ));
    for n in 1..=2 {
        state = state.with_resource(Resource::new(bcc(), format!("m-bce{n}"), BD_ACCOUNT));
    }
    Emulator::builder()
        .state(state)
        .start()
        .await
        .expect("the emulator starts")
}

/// The region the BCE CLI's profile `name` in `home` sets.
fn region(home: &Home, name: Option<&str>) -> Option<String> {
    ProfileFiles::new(&home.0, |_| None)
        .load(Provider::Baidu, name)
        .expect("a usable profile")
        .and_then(|profile| profile.region)
}

/// Baidu's chain over `home`: the environment (empty here), then the profile files.
fn chain_of(home: &Home) -> CredentialsChain {
    CredentialsChain::builder(Provider::Baidu)
        .environment(home.environment(&[]))
        .order([Source::Environment, Source::Profile])
        .build()
}

/// BCC `DeleteImage` of `id` through the generated client, signed with `credentials`:
/// `Err` with the HTTP status of the service's error.
async fn delete_image(
    emulator: &RunningEmulator,
    credentials: &Credentials,
    id: &str,
) -> Result<(), u16> {
    use cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput;
    let client = cloudspec_baidu_bcc::Client::new(
        cloudspec_baidu_bcc::Config::new(credentials.clone())
            .with_endpoint(emulator.endpoint())
            .with_retry(RetryConfig::disabled()),
    )
    .expect("a client");
    match client.delete_image(DeleteImageInput::new(id)).await {
        Ok(_) => Ok(()),
        Err(error) => Err(error
            .as_service()
            .map(|service| service.status())
            .unwrap_or_else(|| panic!("the emulator answers with a service error: {error}"))),
    }
}

fn bce_cli_config(current: &str) -> String {
    format!(
        r#"{{
  "current": "{current}",
  "profiles": [
    {{"name": "default", "mode": "AK", "access_key_id": "{BD_KEY}", "secret_access_key": "{BD_SECRET}", "region": "bj"}},
    {{"name": "other", "mode": "AK", "access_key_id": "not-in-the-emulator", "secret_access_key": "nope", "region": "gz"}}
  ]
}}"#
    )
}

#[tokio::test]
async fn bce_cli_config_json_keys_sign_a_bcc_call() {
    let emulator = emulator().await;
    let home = Home::new(
        "baidu-config-json",
        &[(".bce/config.json", &bce_cli_config("default"))],
    );
    let chain = chain_of(&home);
    let credentials = chain
        .provide_credentials()
        .await
        .expect("the profile's keys");
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
    assert_eq!(credentials.access_key_id(), BD_KEY);
    assert_eq!(region(&home, None).as_deref(), Some("bj"));
    assert_eq!(
        delete_image(&emulator, &credentials, "m-bce1").await,
        Ok(())
    );
    assert!(emulator.resource(bcc(), "m-bce1").is_none(), "deleted");
    assert!(emulator.resource(bcc(), "m-bce2").is_some());
}

#[tokio::test]
async fn a_named_bce_cli_profile_wins_over_current() {
    let emulator = emulator().await;
    let home = Home::new(
        "baidu-named",
        &[(".bce/config.json", &bce_cli_config("other"))],
    );
    let chain = CredentialsChain::builder(Provider::Baidu)
        .environment(home.environment(&[]))
        .order([Source::Profile])
        .profile("default")
        .build();
    let credentials = chain
        .provide_credentials()
        .await
        .expect("profile `default`");
    let current = chain_of(&home)
        .provide_credentials()
        .await
        .expect("current");
    assert_eq!(current.access_key_id(), "not-in-the-emulator");
    assert!(
        delete_image(&emulator, &current, "m-bce2").await.is_err(),
        "the emulator checks the keys"
    );
    assert!(emulator.resource(bcc(), "m-bce2").is_some());
    assert_eq!(
        delete_image(&emulator, &credentials, "m-bce2").await,
        Ok(())
    );
    assert!(emulator.resource(bcc(), "m-bce2").is_none());
    assert_eq!(region(&home, Some("other")).as_deref(), Some("gz"));
}

#[tokio::test]
async fn old_bce_cli_ini_files_sign_a_bcc_call() {
    let emulator = emulator().await;
    let credentials_ini =
        format!("[defaults]\nbce_access_key_id = {BD_KEY}\nbce_secret_access_key = {BD_SECRET}\n");
    let home = Home::new(
        "baidu-ini",
        &[
            (".bce/credentials", &credentials_ini),
            (
                ".bce/config",
                "[defaults]\ndomain = \nregion = bj\nhttps = no\n",
            ),
        ],
    );
    let chain = chain_of(&home);
    let credentials = chain
        .provide_credentials()
        .await
        .expect("the old files' keys");
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
    assert_eq!(region(&home, None).as_deref(), Some("bj"));
    assert_eq!(
        delete_image(&emulator, &credentials, "m-bce1").await,
        Ok(())
    );
    assert!(emulator.resource(bcc(), "m-bce1").is_none());
}

#[tokio::test]
async fn a_broken_bce_file_is_an_error_naming_it_not_a_fall_through() {
    let home = Home::new(
        "baidu-broken",
        &[(".bce/credentials", "[defaults]\nbce_access_key_id\n")],
    );
    let error = chain_of(&home).provide_credentials().await.unwrap_err();
    assert!(!error.is_not_loaded(), "{error}");
    let chain_of_causes = with_sources(&error);
    assert!(chain_of_causes.contains("credentials"), "{chain_of_causes}");
    assert!(chain_of_causes.contains("line 2"), "{chain_of_causes}");
}

#[tokio::test]
async fn no_bce_files_is_not_configured() {
    let home = Home::new("baidu-none", &[]);
    let error = chain_of(&home).provide_credentials().await.unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
    assert!(
        error.to_string().contains("Environment, Profile"),
        "{error}"
    );
}
