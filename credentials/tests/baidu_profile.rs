//! Baidu credentials from the BCE CLI's files (`cloudspec_runtime::profile`) through the
//! chain's profile source, proven against the in-process emulator on 127.0.0.1: the keys
//! the chain reads from a temporary `~/.bce` sign a BCC `DeleteImage` that the emulator
//! accepts.
//!
//! The chain is built with an explicit order that includes [`Source::Profile`], so these
//! tests do not depend on Baidu's default order. The call is signed with the runtime's
//! `bce-auth-v1` signer and sent by hand, as BCC's document gives it (`DELETE
//! /v2/image/{imageId}`): this crate's dev-dependencies do not include the generated
//! `cloudspec-baidu-bcc` client.

use std::path::PathBuf;
use std::time::Duration;

use cloudspec_credentials::{CredentialsChain, Environment, Source};
use cloudspec_emulator::{
    AccessKey, Emulator, Provider as EmulatorProvider, Resource, RunningEmulator, Service, State,
};
use cloudspec_runtime::credentials::ProvideCredentials;
use cloudspec_runtime::profile::ProfileFiles;
use cloudspec_runtime::sign::{SigningCredentials, SigningRequest, baidu};
use cloudspec_runtime::{Credentials, Provider};

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

/// A temporary home folder with the given files.
struct Home(PathBuf);

impl Home {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let path = std::env::temp_dir().join(format!(
            "cloudspec-credentials-baidu-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("home folder");
        for (relative, text) in files {
            let file = path.join(relative);
            std::fs::create_dir_all(file.parent().expect("a parent")).expect("folder");
            std::fs::write(file, text).expect("file");
        }
        Self(path)
    }

    /// No environment variables, profile files under this home.
    fn environment(&self) -> Environment {
        Environment::new(&self.0, |_| None)
    }

    /// The region the BCE CLI's profile `name` sets.
    fn region(&self, name: Option<&str>) -> Option<String> {
        ProfileFiles::new(&self.0, |_| None)
            .load(Provider::Baidu, name)
            .expect("a usable profile")
            .and_then(|profile| profile.region)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Baidu's chain over `home`: the environment (empty here), then the profile files.
fn chain_of(home: &Home) -> CredentialsChain {
    CredentialsChain::builder(Provider::Baidu)
        .environment(home.environment())
        .order([Source::Environment, Source::Profile])
        .build()
}

/// `DELETE /v2/image/{id}` signed with `credentials` (bce-auth-v1, valid 1800 s): the
/// emulator's HTTP status.
async fn delete_image(emulator: &RunningEmulator, credentials: &Credentials, id: &str) -> u16 {
    let path = format!("/v2/image/{id}");
    let mut request = SigningRequest::new("DELETE", emulator.addr().to_string(), &path);
    let mut signing =
        SigningCredentials::new(credentials.access_key_id(), credentials.access_key_secret());
    if let Some(token) = credentials.security_token() {
        signing = signing.with_security_token(token);
    }
    baidu::sign(&mut request, &signing, jiff::Timestamp::now(), 1800, None).expect("signs");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client");
    let mut builder = client.delete(format!("{}{path}", emulator.endpoint()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    builder
        .send()
        .await
        .expect("the emulator answers")
        .status()
        .as_u16()
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
        "config-json",
        &[(".bce/config.json", &bce_cli_config("default"))],
    );
    let chain = chain_of(&home);
    let credentials = chain
        .provide_credentials()
        .await
        .expect("the profile's keys");
    assert_eq!(chain.chosen_source().await, Some(Source::Profile));
    assert_eq!(credentials.access_key_id(), BD_KEY);
    assert_eq!(home.region(None).as_deref(), Some("bj"));
    assert_eq!(delete_image(&emulator, &credentials, "m-bce1").await, 200);
    assert!(emulator.resource(bcc(), "m-bce1").is_none(), "deleted");
    assert!(emulator.resource(bcc(), "m-bce2").is_some());
}

#[tokio::test]
async fn a_named_bce_cli_profile_wins_over_current() {
    let emulator = emulator().await;
    let home = Home::new("named", &[(".bce/config.json", &bce_cli_config("other"))]);
    let chain = CredentialsChain::builder(Provider::Baidu)
        .environment(home.environment())
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
    assert_ne!(
        delete_image(&emulator, &current, "m-bce2").await,
        200,
        "the emulator checks the keys"
    );
    assert!(emulator.resource(bcc(), "m-bce2").is_some());
    assert_eq!(delete_image(&emulator, &credentials, "m-bce2").await, 200);
    assert!(emulator.resource(bcc(), "m-bce2").is_none());
    assert_eq!(home.region(Some("other")).as_deref(), Some("gz"));
}

#[tokio::test]
async fn old_bce_cli_ini_files_sign_a_bcc_call() {
    let emulator = emulator().await;
    let credentials_ini =
        format!("[defaults]\nbce_access_key_id = {BD_KEY}\nbce_secret_access_key = {BD_SECRET}\n");
    let home = Home::new(
        "ini",
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
    assert_eq!(home.region(None).as_deref(), Some("bj"));
    assert_eq!(delete_image(&emulator, &credentials, "m-bce1").await, 200);
    assert!(emulator.resource(bcc(), "m-bce1").is_none());
}

#[tokio::test]
async fn a_broken_bce_file_is_an_error_naming_it_not_a_fall_through() {
    let home = Home::new(
        "broken",
        &[(".bce/credentials", "[defaults]\nbce_access_key_id\n")],
    );
    let error = chain_of(&home).provide_credentials().await.unwrap_err();
    assert!(!error.is_not_loaded(), "{error}");
    let chain_of_causes = {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        text
    };
    assert!(chain_of_causes.contains("credentials"), "{chain_of_causes}");
    assert!(chain_of_causes.contains("line 2"), "{chain_of_causes}");
}

#[tokio::test]
async fn no_bce_files_is_not_configured() {
    let home = Home::new("none", &[]);
    let error = chain_of(&home).provide_credentials().await.unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
    assert!(
        error.to_string().contains("Environment, Profile"),
        "{error}"
    );
}
