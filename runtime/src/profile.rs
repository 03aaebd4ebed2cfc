//! Credentials and region from the profile files of each provider's own tools, read the way
//! those tools read them (the facts below are from the pinned packages named; the oracles'
//! `conformance/oracles/requirements.txt` and CI's tccli pin hold the same versions):
//!
//! | provider | file | profile | keys |
//! | --- | --- | --- | --- |
//! | Alibaba Cloud | `~/.aliyun/config.json` (aliyun CLI) | the one asked for, else `ALIBABA_CLOUD_PROFILE`, else the file's `current` | `profiles[]`: `name`, `mode`, `access_key_id`, `access_key_secret`, `sts_token`, `region_id` |
//! | Tencent Cloud | `~/.tccli/<profile>.credential` and `.configure` (tccli) | the one asked for, else `TCCLI_PROFILE`, else `default` | `secretId`, `secretKey`, `token`; `_sys_param.region` |
//!
//! - Alibaba: alibabacloud-credentials 1.0.12, `alibabacloud_credentials/provider/cli_profile.py`
//!   (`CLIProfileCredentialsProvider`: the path, `ALIBABA_CLOUD_PROFILE`, the `current`
//!   fallback, the modes `AK` and `StsToken` with `sts_token`, and
//!   `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turning the file off).
//! - Tencent: tccli 3.1.189.1, `tccli/configure.py` (`~/.tccli`, `<profile>.credential` and
//!   `<profile>.configure`, `TCCLI_PROFILE`, region under `_sys_param`) and
//!   `tccli/options_define.py` (the key names).
//!
//! Profile modes that need a call to get credentials (Alibaba `RamRoleArn`, `EcsRamRole`,
//! `OIDC`; tccli's `type: cvm-role` and `role-arn`) are read by [`ProfileFiles::load_source`]
//! as a [`ProfileSource`] saying what to call; the `cloudspec-credentials` crate makes the
//! call. [`ProfileFiles::load`], which gives keys only, refuses them with
//! [`ProfileError::UnsupportedMode`] rather than skipping them, so a configured role is
//! never silently replaced by another source. Other modes (`ChainableRamRoleArn`,
//! `CloudSSO`, `OAuth`, tccli `sso`/`oauth`) are refused by both.
//!
//! The members of the role modes, as alibabacloud-credentials 1.0.12 reads them
//! (`provider/cli_profile.py`, `_get_credentials_provider`): `RamRoleArn`: `access_key_id`,
//! `access_key_secret`, `ram_role_arn`, `ram_session_name`, `expired_seconds`, `policy`,
//! `external_id`, `sts_region`; `EcsRamRole`: `ram_role_name`; `OIDC`: `ram_role_arn`,
//! `oidc_provider_arn`, `oidc_token_file`, `role_session_name`, `expired_seconds`, `policy`,
//! `sts_region`. tccli 3.1.189.1 (`configure.py`, `action_caller.py`): `type: cvm-role`
//! (`--use-cvm-role true`), and `role-arn` with `role-session-name` beside `secretId` and
//! `secretKey` (STS AssumeRole with those keys).
//! Baidu's tools keep no profile file that the pinned bce-python-sdk reads; Baidu
//! credentials come from the environment or are given explicitly.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Credentials, Provider};

/// Credentials and region read from a profile file.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// The file the credentials came from.
    pub path: PathBuf,
    /// The credentials.
    pub credentials: Credentials,
    /// The profile's region, if it sets one.
    pub region: Option<String>,
}

/// What a profile says to do to get credentials: use its keys, or make a call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ProfileSource {
    /// Keys (Alibaba `AK` and `StsToken`, a tccli profile with keys).
    Static(Profile),
    /// STS AssumeRole with the profile's keys (Alibaba `RamRoleArn`; tccli `role-arn`).
    AssumeRole(AssumeRoleProfile),
    /// The instance's role, from the metadata service (Alibaba `EcsRamRole`, tccli
    /// `cvm-role`).
    InstanceRole(InstanceRoleProfile),
    /// STS AssumeRoleWithOIDC with a token file (Alibaba `OIDC`).
    Oidc(OidcProfile),
}

impl ProfileSource {
    /// The profile's region, if it sets one.
    pub fn region(&self) -> Option<&str> {
        match self {
            ProfileSource::Static(profile) => profile.region.as_deref(),
            ProfileSource::AssumeRole(profile) => profile.region.as_deref(),
            ProfileSource::InstanceRole(profile) => profile.region.as_deref(),
            ProfileSource::Oidc(profile) => profile.region.as_deref(),
        }
    }
}

/// A profile that assumes a role with STS.
#[derive(Debug, Clone)]
pub struct AssumeRoleProfile {
    /// The profile's name.
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// The keys that sign the AssumeRole call.
    pub credentials: Credentials,
    /// The role (`ram_role_arn`, tccli `role-arn`).
    pub role_arn: String,
    /// The session name (`ram_session_name`, tccli `role-session-name`), if set.
    pub session_name: Option<String>,
    /// The lifetime asked for, in seconds (`expired_seconds`), if set.
    pub duration_seconds: Option<u64>,
    /// A policy narrowing the role (`policy`), if set.
    pub policy: Option<String>,
    /// The external id (`external_id`), if set.
    pub external_id: Option<String>,
    /// The STS region (`sts_region`), if set.
    pub sts_region: Option<String>,
    /// The profile's region, if set.
    pub region: Option<String>,
}

/// A profile that uses the instance's role.
#[derive(Debug, Clone)]
pub struct InstanceRoleProfile {
    /// The profile's name.
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// The role's name (`ram_role_name`); `None`: ask the metadata service.
    pub role_name: Option<String>,
    /// The profile's region, if set.
    pub region: Option<String>,
}

/// A profile that exchanges an OIDC token for a role.
#[derive(Debug, Clone)]
pub struct OidcProfile {
    /// The profile's name.
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// The role (`ram_role_arn`).
    pub role_arn: String,
    /// The identity provider (`oidc_provider_arn`).
    pub oidc_provider_arn: String,
    /// The file holding the token (`oidc_token_file`).
    pub oidc_token_file: PathBuf,
    /// The session name (`role_session_name`), if set.
    pub session_name: Option<String>,
    /// The lifetime asked for, in seconds (`expired_seconds`), if set.
    pub duration_seconds: Option<u64>,
    /// A policy narrowing the role (`policy`), if set.
    pub policy: Option<String>,
    /// The STS region (`sts_region`), if set.
    pub sts_region: Option<String>,
    /// The profile's region, if set.
    pub region: Option<String>,
}

/// A profile file that exists but cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file exists but could not be read.
    #[error("cannot read the profile file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not the JSON the provider's tool writes.
    #[error("the profile file {path} is not valid JSON")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The file has no profile of that name.
    #[error("the profile file {path} has no profile `{name}`")]
    NoSuchProfile {
        /// The file.
        path: PathBuf,
        /// The profile asked for.
        name: String,
    },
    /// The profile gets its credentials in a way this reader does not: by a call (a role,
    /// OIDC; the `cloudspec-credentials` crate makes those) from [`ProfileFiles::load`], or
    /// a mode nothing here supports.
    #[error(
        "profile `{name}` in {path} uses mode `{mode}`, which needs a call to get credentials; use the cloudspec-credentials provider chain for role and OIDC modes, or a profile of mode AK or StsToken"
    )]
    UnsupportedMode {
        /// The file.
        path: PathBuf,
        /// The profile.
        name: String,
        /// Its mode.
        mode: String,
    },
    /// The profile lacks a key or leaves it empty.
    #[error("profile `{name}` in {path} has no `{key}`")]
    MissingKey {
        /// The file.
        path: PathBuf,
        /// The profile.
        name: String,
        /// The key.
        key: &'static str,
    },
}

/// Where profile files are looked for: the home folder, and how environment variables are
/// read (so tests can give both).
pub struct ProfileFiles<'a> {
    home: PathBuf,
    lookup: Box<EnvLookup<'a>>,
}

/// How environment variables are read: a variable's value, or `None`.
type EnvLookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

impl std::fmt::Debug for ProfileFiles<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ProfileFiles")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

impl ProfileFiles<'static> {
    /// The user's home folder (`HOME`, else `USERPROFILE`) and the process environment.
    /// `None` when neither variable is set.
    pub fn from_env() -> Option<Self> {
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
        Some(Self::new(PathBuf::from(home), |name| {
            std::env::var(name).ok()
        }))
    }
}

impl<'a> ProfileFiles<'a> {
    /// Profile files under `home`, environment variables read through `lookup`.
    pub fn new(home: impl Into<PathBuf>, lookup: impl Fn(&str) -> Option<String> + 'a) -> Self {
        Self {
            home: home.into(),
            lookup: Box::new(lookup),
        }
    }

    /// The profile for `provider`: the one named `name`, else the tool's default. `Ok(None)`
    /// when the provider's tool keeps no such file here (or it is turned off); an error when
    /// the file exists but the profile cannot be used.
    pub fn load(
        &self,
        provider: Provider,
        name: Option<&str>,
    ) -> Result<Option<Profile>, ProfileError> {
        let tencent = provider == Provider::Tencent;
        let (name, path, mode) = match self.load_source(provider, name)? {
            None => return Ok(None),
            Some(ProfileSource::Static(profile)) => return Ok(Some(profile)),
            Some(ProfileSource::AssumeRole(p)) => (
                p.name,
                p.path,
                if tencent { "role-arn" } else { "RamRoleArn" },
            ),
            Some(ProfileSource::InstanceRole(p)) => (
                p.name,
                p.path,
                if tencent { "cvm-role" } else { "EcsRamRole" },
            ),
            Some(ProfileSource::Oidc(p)) => (p.name, p.path, "OIDC"),
        };
        Err(ProfileError::UnsupportedMode {
            path,
            name,
            mode: mode.to_owned(),
        })
    }

    /// What the profile for `provider` says to do: use its keys, or call STS or the
    /// metadata service ([`ProfileSource`]). `Ok(None)` as for [`ProfileFiles::load`].
    pub fn load_source(
        &self,
        provider: Provider,
        name: Option<&str>,
    ) -> Result<Option<ProfileSource>, ProfileError> {
        match provider {
            Provider::Alibaba => self.aliyun(name),
            Provider::Tencent => self.tccli(name),
            Provider::Baidu => Ok(None),
        }
    }

    fn env(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.is_empty())
    }

    /// `~/.aliyun/config.json`.
    fn aliyun(&self, name: Option<&str>) -> Result<Option<ProfileSource>, ProfileError> {
        if self
            .env("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        let path = self.home.join(".aliyun").join("config.json");
        let Some(config) = read_json(&path)? else {
            return Ok(None);
        };
        let name = name
            .map(str::to_owned)
            .or_else(|| self.env("ALIBABA_CLOUD_PROFILE"))
            .or_else(|| text(&config, "current"))
            .unwrap_or_else(|| "default".to_owned());
        let profile = config
            .get("profiles")
            .and_then(Value::as_array)
            .and_then(|profiles| {
                profiles
                    .iter()
                    .find(|profile| profile.get("name").and_then(Value::as_str) == Some(&name))
            })
            .ok_or_else(|| ProfileError::NoSuchProfile {
                path: path.clone(),
                name: name.clone(),
            })?;
        let mode = text(profile, "mode").unwrap_or_else(|| "AK".to_owned());
        let key = |key: &'static str| {
            text(profile, key).ok_or_else(|| ProfileError::MissingKey {
                path: path.clone(),
                name: name.clone(),
                key,
            })
        };
        let region = text(profile, "region_id");
        let seconds = |key: &str| profile.get(key).and_then(seconds_value);
        let credentials = match mode.as_str() {
            "AK" => Credentials::new(key("access_key_id")?, key("access_key_secret")?),
            "StsToken" => Credentials::new(key("access_key_id")?, key("access_key_secret")?)
                .with_security_token(key("sts_token")?),
            "RamRoleArn" => {
                let credentials =
                    Credentials::new(key("access_key_id")?, key("access_key_secret")?);
                return Ok(Some(ProfileSource::AssumeRole(AssumeRoleProfile {
                    role_arn: key("ram_role_arn")?,
                    session_name: text(profile, "ram_session_name"),
                    duration_seconds: seconds("expired_seconds"),
                    policy: text(profile, "policy"),
                    external_id: text(profile, "external_id"),
                    sts_region: text(profile, "sts_region"),
                    credentials,
                    region,
                    name,
                    path,
                })));
            }
            "EcsRamRole" => {
                return Ok(Some(ProfileSource::InstanceRole(InstanceRoleProfile {
                    role_name: text(profile, "ram_role_name"),
                    region,
                    name,
                    path,
                })));
            }
            "OIDC" => {
                return Ok(Some(ProfileSource::Oidc(OidcProfile {
                    role_arn: key("ram_role_arn")?,
                    oidc_provider_arn: key("oidc_provider_arn")?,
                    oidc_token_file: PathBuf::from(key("oidc_token_file")?),
                    session_name: text(profile, "role_session_name"),
                    duration_seconds: seconds("expired_seconds"),
                    policy: text(profile, "policy"),
                    sts_region: text(profile, "sts_region"),
                    region,
                    name,
                    path,
                })));
            }
            _ => {
                return Err(ProfileError::UnsupportedMode { path, name, mode });
            }
        };
        Ok(Some(ProfileSource::Static(Profile {
            region,
            name,
            path,
            credentials,
        })))
    }

    /// `~/.tccli/<profile>.credential` and `.configure`.
    fn tccli(&self, name: Option<&str>) -> Result<Option<ProfileSource>, ProfileError> {
        let name = name
            .map(str::to_owned)
            .or_else(|| self.env("TCCLI_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let folder = self.home.join(".tccli");
        let path = folder.join(format!("{name}.credential"));
        let Some(credential) = read_json(&path)? else {
            return Ok(None);
        };
        let kind = text(&credential, "type").filter(|kind| kind != "default");
        if let Some(kind) = kind.as_deref().filter(|kind| *kind != "cvm-role") {
            return Err(ProfileError::UnsupportedMode {
                path,
                name,
                mode: kind.to_owned(),
            });
        }
        let region = read_json(&folder.join(format!("{name}.configure")))?.and_then(|configure| {
            configure
                .get("_sys_param")
                .and_then(|sys| text(sys, "region"))
                // tccli before 3.0.30 wrote the region at the top level; it still reads it.
                .or_else(|| text(&configure, "region"))
        });
        if kind.is_some() {
            return Ok(Some(ProfileSource::InstanceRole(InstanceRoleProfile {
                name,
                path,
                role_name: None,
                region,
            })));
        }
        let key = |key: &'static str| {
            text(&credential, key).ok_or_else(|| ProfileError::MissingKey {
                path: path.clone(),
                name: name.clone(),
                key,
            })
        };
        let mut credentials = Credentials::new(key("secretId")?, key("secretKey")?);
        if let Some(token) = text(&credential, "token") {
            credentials = credentials.with_security_token(token);
        }
        // tccli assumes the role when both are set (action_caller.py, `_create_client`).
        if let (Some(role_arn), Some(session_name)) = (
            text(&credential, "role-arn"),
            text(&credential, "role-session-name"),
        ) {
            return Ok(Some(ProfileSource::AssumeRole(AssumeRoleProfile {
                name,
                path,
                credentials,
                role_arn,
                session_name: Some(session_name),
                duration_seconds: None,
                policy: None,
                external_id: None,
                sts_region: None,
                region,
            })));
        }
        Ok(Some(ProfileSource::Static(Profile {
            name,
            path,
            credentials,
            region,
        })))
    }
}

/// The JSON of `path`, `None` when there is no such file.
fn read_json(path: &Path) -> Result<Option<Value>, ProfileError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ProfileError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|source| ProfileError::Parse {
            path: path.to_owned(),
            source,
        })
}

/// A number of seconds written as a number or as text (the aliyun CLI writes
/// `expired_seconds` as a number; alibabacloud-credentials passes it on as given).
fn seconds_value(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
        .filter(|seconds| *seconds > 0)
}

/// A non-empty text member of `value`.
fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(credentials: &Credentials) -> (&str, &str, Option<&str>) {
        (
            credentials.access_key_id(),
            credentials.access_key_secret(),
            credentials.security_token(),
        )
    }

    struct Home(PathBuf);

    impl Home {
        fn new(name: &str) -> Self {
            let path = std::env::temp_dir()
                .join(format!("cloudspec-profile-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("temporary home");
            Self(path)
        }

        fn write(&self, relative: &str, text: &str) {
            let path = self.0.join(relative);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
            std::fs::write(path, text).expect("file");
        }

        fn files<'a>(&self, env: &'a [(&'a str, &'a str)]) -> ProfileFiles<'a> {
            ProfileFiles::new(&self.0, move |name| {
                env.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            })
        }
    }

    impl Drop for Home {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// The shape `aliyun configure` writes (alibabacloud-credentials reads `current`,
    /// `profiles[].name`, `mode` and the key members).
    const ALIYUN: &str = r#"{
        "current": "dev",
        "profiles": [
            {"name": "dev", "mode": "AK", "access_key_id": "ak-dev", "access_key_secret": "sk-dev", "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "ak-sts", "access_key_secret": "sk-sts", "sts_token": "token-sts", "region_id": "cn-beijing"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b", "ram_role_arn": "acs:ram::1:role/x"},
            {"name": "empty", "mode": "AK", "access_key_id": "ak", "access_key_secret": ""}
        ]
    }"#;

    #[test]
    fn aliyun_profiles_by_name_env_and_current() {
        let home = Home::new("aliyun");
        home.write(".aliyun/config.json", ALIYUN);
        let current = home
            .files(&[])
            .load(Provider::Alibaba, None)
            .unwrap()
            .unwrap();
        assert_eq!(current.name, "dev");
        assert_eq!(keys(&current.credentials), ("ak-dev", "sk-dev", None));
        assert_eq!(current.region.as_deref(), Some("cn-hangzhou"));
        assert!(current.path.ends_with(".aliyun/config.json"));

        let env = [("ALIBABA_CLOUD_PROFILE", "sts")];
        let sts = home
            .files(&env)
            .load(Provider::Alibaba, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            keys(&sts.credentials),
            ("ak-sts", "sk-sts", Some("token-sts"))
        );
        assert_eq!(sts.region.as_deref(), Some("cn-beijing"));

        let named = home
            .files(&env)
            .load(Provider::Alibaba, Some("dev"))
            .unwrap();
        assert_eq!(
            named.unwrap().name,
            "dev",
            "the name asked for wins over the variable"
        );
    }

    #[test]
    fn aliyun_mistakes_are_errors_that_name_the_file() {
        let home = Home::new("aliyun-bad");
        home.write(".aliyun/config.json", ALIYUN);
        let files = home.files(&[]);
        let error = files.load(Provider::Alibaba, Some("role")).unwrap_err();
        assert!(
            matches!(&error, ProfileError::UnsupportedMode { mode, .. } if mode == "RamRoleArn")
        );
        assert!(error.to_string().contains("config.json"), "{error}");
        let error = files.load(Provider::Alibaba, Some("empty")).unwrap_err();
        assert!(matches!(
            error,
            ProfileError::MissingKey {
                key: "access_key_secret",
                ..
            }
        ));
        let error = files.load(Provider::Alibaba, Some("nobody")).unwrap_err();
        assert!(matches!(error, ProfileError::NoSuchProfile { ref name, .. } if name == "nobody"));

        home.write(".aliyun/config.json", "{ not json");
        let error = files.load(Provider::Alibaba, None).unwrap_err();
        assert!(matches!(error, ProfileError::Parse { .. }));
        assert!(
            std::error::Error::source(&error).is_some(),
            "the JSON error is the source"
        );
    }

    #[test]
    fn aliyun_file_absent_or_disabled_is_no_profile() {
        let home = Home::new("aliyun-none");
        assert!(
            home.files(&[])
                .load(Provider::Alibaba, None)
                .unwrap()
                .is_none()
        );
        home.write(".aliyun/config.json", ALIYUN);
        let env = [("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")];
        assert!(
            home.files(&env)
                .load(Provider::Alibaba, None)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn tccli_profiles_with_region_and_token() {
        let home = Home::new("tccli");
        home.write(
            ".tccli/default.credential",
            r#"{"secretId": "AKID-default", "secretKey": "key-default"}"#,
        );
        home.write(
            ".tccli/default.configure",
            r#"{"_sys_param": {"region": "ap-guangzhou", "output": "json"}, "cvm": {"endpoint": "cvm.tencentcloudapi.com", "version": "2017-03-12"}}"#,
        );
        home.write(
            ".tccli/ci.credential",
            r#"{"secretId": "AKID-ci", "secretKey": "key-ci", "token": "token-ci"}"#,
        );
        home.write(".tccli/ci.configure", r#"{"region": "ap-shanghai"}"#);
        home.write(
            ".tccli/role.credential",
            r#"{"type": "cvm-role", "secretId": "", "secretKey": ""}"#,
        );

        let default = home
            .files(&[])
            .load(Provider::Tencent, None)
            .unwrap()
            .unwrap();
        assert_eq!(default.name, "default");
        assert_eq!(
            keys(&default.credentials),
            ("AKID-default", "key-default", None)
        );
        assert_eq!(default.region.as_deref(), Some("ap-guangzhou"));

        let env = [("TCCLI_PROFILE", "ci")];
        let ci = home
            .files(&env)
            .load(Provider::Tencent, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            keys(&ci.credentials),
            ("AKID-ci", "key-ci", Some("token-ci"))
        );
        assert_eq!(
            ci.region.as_deref(),
            Some("ap-shanghai"),
            "the old top-level form"
        );

        let error = home
            .files(&[])
            .load(Provider::Tencent, Some("role"))
            .unwrap_err();
        assert!(
            matches!(error, ProfileError::UnsupportedMode { ref mode, .. } if mode == "cvm-role")
        );
        assert!(
            home.files(&[])
                .load(Provider::Tencent, Some("absent"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn role_modes_are_read_as_what_to_call() {
        let home = Home::new("roles");
        home.write(
            ".aliyun/config.json",
            r#"{"current": "role", "profiles": [
                {"name": "role", "mode": "RamRoleArn", "access_key_id": "ak-base", "access_key_secret": "sk-base",
                 "ram_role_arn": "acs:ram::1:role/dev", "ram_session_name": "s1", "expired_seconds": 1800,
                 "sts_region": "cn-shanghai", "region_id": "cn-hangzhou"},
                {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "ecs-role"},
                {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/o", "oidc_provider_arn": "acs:ram::1:oidc-provider/p",
                 "oidc_token_file": "/var/run/token", "expired_seconds": "900"},
                {"name": "sso", "mode": "CloudSSO"}
            ]}"#,
        );
        let files = home.files(&[]);
        let Some(ProfileSource::AssumeRole(role)) =
            files.load_source(Provider::Alibaba, None).unwrap()
        else {
            panic!("RamRoleArn is an AssumeRole source");
        };
        assert_eq!(keys(&role.credentials), ("ak-base", "sk-base", None));
        assert_eq!(role.role_arn, "acs:ram::1:role/dev");
        assert_eq!(role.session_name.as_deref(), Some("s1"));
        assert_eq!(role.duration_seconds, Some(1800));
        assert_eq!(role.sts_region.as_deref(), Some("cn-shanghai"));
        assert_eq!(role.region.as_deref(), Some("cn-hangzhou"));
        let Some(ProfileSource::InstanceRole(ecs)) =
            files.load_source(Provider::Alibaba, Some("ecs")).unwrap()
        else {
            panic!("EcsRamRole is an instance-role source");
        };
        assert_eq!(ecs.role_name.as_deref(), Some("ecs-role"));
        let Some(ProfileSource::Oidc(oidc)) =
            files.load_source(Provider::Alibaba, Some("oidc")).unwrap()
        else {
            panic!("OIDC is an OIDC source");
        };
        assert_eq!(oidc.oidc_token_file, PathBuf::from("/var/run/token"));
        assert_eq!(oidc.duration_seconds, Some(900), "a number written as text");
        let error = files
            .load_source(Provider::Alibaba, Some("sso"))
            .unwrap_err();
        assert!(
            matches!(error, ProfileError::UnsupportedMode { ref mode, .. } if mode == "CloudSSO")
        );

        home.write(
            ".tccli/default.credential",
            r#"{"secretId": "AKID-base", "secretKey": "key-base", "role-arn": "qcs::cam::uin/1:roleName/r", "role-session-name": "tccli"}"#,
        );
        home.write(".tccli/cvm.credential", r#"{"type": "cvm-role"}"#);
        let Some(ProfileSource::AssumeRole(tc)) =
            files.load_source(Provider::Tencent, None).unwrap()
        else {
            panic!("role-arn is an AssumeRole source");
        };
        assert_eq!(tc.role_arn, "qcs::cam::uin/1:roleName/r");
        assert_eq!(tc.session_name.as_deref(), Some("tccli"));
        assert!(matches!(
            files.load_source(Provider::Tencent, Some("cvm")).unwrap(),
            Some(ProfileSource::InstanceRole(_))
        ));
    }

    #[test]
    fn baidu_has_no_profile_file() {
        let home = Home::new("baidu");
        assert!(
            home.files(&[])
                .load(Provider::Baidu, None)
                .unwrap()
                .is_none()
        );
    }
}
