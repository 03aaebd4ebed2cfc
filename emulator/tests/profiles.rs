//! Credentials from the providers' own profile files, end to end: a temporary home holds the
//! files as `aliyun configure` and `tccli configure` write them (formats:
//! `cloudspec_runtime::profile`, from alibabacloud-credentials 1.0.12 and tccli 3.1.189.1),
//! `Config::from_sources` reads them in the documented order, and the generated clients'
//! signed calls are accepted by the emulator, which knows the keys.

mod common;

use cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput;
use cloudspec_emulator::{Resource, State};
use cloudspec_runtime::profile::ProfileFiles;
use cloudspec_runtime::{Config, ConfigError, Provider};
use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;
use common::*;

/// A temporary home folder, removed when dropped.
struct Home(std::path::PathBuf);

impl Home {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("cloudspec-home-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temporary home");
        Self(path)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
        std::fs::write(path, text).expect("profile file");
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn state() -> State {
    keys()
        .with_resource(Resource::new(svc("ecs"), "m-profile", ALI_ACCOUNT).in_region("cn-hangzhou"))
        .with_resource(
            Resource::new(svc("cvm"), "img-profile1", TC_ACCOUNT).in_region("ap-guangzhou"),
        )
}

/// No variables are set: the chain's second source, the profile file, gives the keys and
/// the region.
fn no_variables(_: &str) -> Option<String> {
    None
}

#[tokio::test]
async fn an_aliyun_profile_signs_calls_the_emulator_accepts() {
    let emulator = start(state()).await;
    let home = Home::new("aliyun");
    home.write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "work", "profiles": [{{"name": "work", "mode": "AK", "access_key_id": "{ALI_KEY}", "access_key_secret": "{ALI_SECRET}", "region_id": "cn-hangzhou"}}]}}"#
        ),
    );
    let files = ProfileFiles::new(&home.0, no_variables);
    let config = Config::from_sources(Provider::Alibaba, None, Some(&files), no_variables)
        .expect("the profile is found");
    let client = cloudspec_alibaba_ecs::Client::new(config.with_endpoint(emulator.endpoint()))
        .expect("client");
    client
        .delete_image(DeleteImageInput::new("m-profile", "cn-hangzhou"))
        .await
        .expect("the emulator accepts the profile's keys");
    assert!(emulator.resource(svc("ecs"), "m-profile").is_none());
}

#[tokio::test]
async fn a_tccli_profile_gives_keys_and_region_and_the_environment_wins() {
    let emulator = start(state()).await;
    let home = Home::new("tccli");
    home.write(
        ".tccli/ci.credential",
        &format!(r#"{{"secretId": "{TC_KEY}", "secretKey": "{TC_SECRET}"}}"#),
    );
    home.write(
        ".tccli/ci.configure",
        r#"{"_sys_param": {"region": "ap-guangzhou", "output": "json"}}"#,
    );
    let env = |name: &str| (name == "TCCLI_PROFILE").then(|| "ci".to_owned());
    let files = ProfileFiles::new(&home.0, env);
    let config = Config::from_sources(Provider::Tencent, None, Some(&files), env)
        .expect("TCCLI_PROFILE picks the profile");
    let client = cloudspec_tencent_cvm::Client::new(config.with_endpoint(emulator.endpoint()))
        .expect("client");
    // The region comes from the profile: the image of ap-guangzhou is found there.
    client
        .delete_images(DeleteImagesInput::new(["img-profile1"]))
        .await
        .expect("the emulator accepts the profile's keys");
    assert!(emulator.resource(svc("cvm"), "img-profile1").is_none());

    // Keys in the environment come first: a wrong pair there is what gets sent.
    let wrong_env = |name: &str| match name {
        "TENCENTCLOUD_SECRET_ID" => Some(TC_KEY.to_owned()),
        "TENCENTCLOUD_SECRET_KEY" => Some("not-the-secret".to_owned()),
        _ => None,
    };
    let files = ProfileFiles::new(&home.0, wrong_env);
    let config = Config::from_sources(Provider::Tencent, None, Some(&files), wrong_env)
        .expect("the environment's keys");
    let client = cloudspec_tencent_cvm::Client::new(config.with_endpoint(emulator.endpoint()))
        .expect("client");
    let error = client
        .delete_images(DeleteImagesInput::new(["img-profile1"]))
        .await
        .expect_err("the environment's wrong secret is used, not the profile");
    assert!(error.to_string().contains("AuthFailure"), "{error}");

    // A named profile that no file holds is an error, not a silent fallback.
    let error = Config::from_sources(
        Provider::Tencent,
        Some("absent"),
        Some(&files),
        no_variables,
    )
    .expect_err("no such profile");
    assert!(matches!(error, ConfigError::NoSuchProfile { ref name } if name == "absent"));
}

#[test]
fn a_profile_that_needs_a_role_is_refused_with_its_file_named() {
    let home = Home::new("role");
    home.write(
        ".aliyun/config.json",
        r#"{"current": "role", "profiles": [{"name": "role", "mode": "EcsRamRole", "ram_role_name": "r"}]}"#,
    );
    let files = ProfileFiles::new(&home.0, no_variables);
    let error = Config::from_sources(Provider::Alibaba, None, Some(&files), no_variables)
        .expect_err("a role profile is not replaced by another source");
    assert!(matches!(error, ConfigError::Profile(_)), "{error:?}");
    let source = std::error::Error::source(&error).expect("the profile error is the source");
    assert!(source.to_string().contains("EcsRamRole"), "{source}");
    assert!(source.to_string().contains("config.json"), "{source}");
}
