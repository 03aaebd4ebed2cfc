//! Credentials and region from the profile files of each provider's own tools, read the way
//! those tools read them (the facts below are from the pinned packages and commits named; the
//! oracles' `conformance/oracles/requirements.txt` and CI's tccli pin hold the same versions
//! of the Python ones):
//!
//! | provider | file | profile | keys |
//! | --- | --- | --- | --- |
//! | Alibaba Cloud | `~/.aliyun/config.json` (aliyun CLI) | the one asked for, else `ALIBABA_CLOUD_PROFILE`, else the file's `current` | `profiles[]`: `name`, `mode`, `access_key_id`, `access_key_secret`, `sts_token`, `region_id` |
//! | Alibaba Cloud, when there is no `config.json` | `~/.alibabacloud/credentials.ini` (alibabacloud-credentials), or `ALIBABA_CLOUD_CREDENTIALS_FILE` | the one asked for, else `ALIBABA_CLOUD_PROFILE`, else `default` (a section) | `type` (`access_key`, `ram_role_arn`, `oidc_role_arn`, `ecs_ram_role`), `access_key_id`, `access_key_secret`, `role_arn`, ... |
//! | Tencent Cloud | `~/.tccli/<profile>.credential` and `.configure` (tccli) | the one asked for, else `TCCLI_PROFILE`, else `default` | `secretId`, `secretKey`, `token`; `_sys_param.region` |
//! | Baidu AI Cloud | `~/.bce/config.json` (BCE CLI, `bce configure set`) | the one asked for, else the file's `current`, else `default` | `profiles[]`: `name`, `mode` (`AK`, `StsToken`), `access_key_id`, `secret_access_key`, `security_token`, `region` |
//! | Baidu AI Cloud, when there is no `config.json` and no profile is asked for | `~/.bce/credentials` and `~/.bce/config`, INI (the old BCE CLI's `bce -c`, `bsam config`) | section `[defaults]` | `bce_access_key_id`, `bce_secret_access_key`; `config`'s `region` |
//!
//! - Alibaba: alibabacloud-credentials 1.0.12, `alibabacloud_credentials/provider/cli_profile.py`
//!   (`CLIProfileCredentialsProvider`: the path, `ALIBABA_CLOUD_PROFILE`, the `current`
//!   fallback, the modes `AK` and `StsToken` with `sts_token`, and
//!   `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turning the file off).
//! - Alibaba, when there is no `~/.aliyun/config.json` (or `ALIBABA_CLOUD_CLI_PROFILE_DISABLED`
//!   is `true`): `~/.alibabacloud/credentials.ini`, or the file `ALIBABA_CLOUD_CREDENTIALS_FILE`
//!   names, INI, as alibabacloud-credentials 1.0.12 reads it next in its chain
//!   (`provider/profile.py`: lines 48-49 the path, 57-58 the variable and the section
//!   `ALIBABA_CLOUD_PROFILE` else `default` (`utils/auth_util.py` line 5), lines 40-43 a value
//!   cut at its first `#`, lines 103-141 the `type`s: `access_key` (`access_key_id`,
//!   `access_key_secret`), `ram_role_arn` (those and `role_arn`, `role_session_name`,
//!   `policy`), `oidc_role_arn` (`role_arn`, `oidc_provider_arn`, `oidc_token_file_path`,
//!   `role_session_name`, `policy`), `ecs_ram_role` (`role_name`); `rsa_key_pair` and any
//!   other type are refused). The INI syntax is the one below for the old BCE CLI's files.
//! - Tencent: tccli 3.1.189.1, `tccli/configure.py` (`~/.tccli`, `<profile>.credential` and
//!   `<profile>.configure`, `TCCLI_PROFILE`, region under `_sys_param`) and
//!   `tccli/options_define.py` (the key names).
//! - Baidu, `config.json`: the BCE CLI (`github.com/baidubce/bce-cli`, a Go program, at commit
//!   `84951d92718f54c48c28d3a8c8b59129cdc884bc`): `internal/config/config.go` lines 11-12
//!   (the folder `.bce` under the home folder, the file `config.json`), lines 16-19 (`current`
//!   and `profiles`), line 35 (no file: the current profile is `default`) and `GetProfile`
//!   (no name asked for: the one named by `current`); `internal/config/credential.go`
//!   lines 16-19 (the modes `AK` and `StsToken`), lines 22-31 (the members) and lines 67-87
//!   (`Credentials`: mode `AK` or none needs both keys, `StsToken` also `security_token`, any
//!   other mode is refused); `cmd/configure.go` lines 36-41 (`configure set` without a name
//!   writes the `current` profile, else `default`); `cmd/root.go` (the flag `--profile` picks another
//!   one); `README_en.md`, "Environment Variables" (only `BCE_ACCESS_KEY_ID`,
//!   `BCE_SECRET_ACCESS_KEY`, `BCE_SECURITY_TOKEN`, `BCE_REGION` and `BCE_LANGUAGE`: no
//!   variable picks the profile or moves the folder). Baidu's page "配置 BCE
//!   CLI" (<https://cloud.baidu.com/doc/OpenAPI-Explorer/s/vmq6cs4ku>) states the same file:
//!   "Linux / macOS | ~/.bce/config.json", and the token: `bce configure set --mode StsToken
//!   ... --security-token STS_TOKEN`.
//! - Baidu, the INI files: Baidu's page "配置BCE-CLI"
//!   (<https://cloud.baidu.com/doc/VPC/s/Kjwvyup9a>): "`bce -c [<conf-path>]`"; "`不指定
//!   <conf-path>时,CLI在配置完成后将配置文件自动写到当前用户主目录~/.bce`". bce-sam-cli 0.8.1
//!   (PyPI), `bsamcli/lib/samlib/cfc_credential_helper.py` lines 12-22 (`~/.bce/config`,
//!   `~/.bce/credentials`, section `defaults`, `bce_access_key_id`,
//!   `bce_secret_access_key`, `DEFAULT_REGION = "bj"`), lines 41-43 (the two keys, no token),
//!   lines 54-58 (`region` from `config`'s `defaults`, else `bj`) and lines 82-97 (`bsam
//!   config` writes both files). It reads them with
//!   Python's `configparser`, whose defaults are the syntax read here (CPython 3.11.7,
//!   `Lib/configparser.py` lines 611-615: `=` and `:` separate a key from its value, `#` and
//!   `;` start whole-line comments only, duplicates are refused (`strict=True`); lines
//!   574-578: a section's name is what lies between `[` and `]`, as written; line 891: key
//!   names are lower-cased). Values are taken as written (`configparser` would expand `%`),
//!   a value continued on an indented line is refused rather than joined, and a leading
//!   byte-order mark is skipped.
//! - Not read for Baidu: `bcecmd`'s `~/.go-bcecli/credentials` (the BOS tool,
//!   `github.com/baidubce/bce-cmd` 0.3.0, `src/bceconf/config.go` line 33), folders given to
//!   the old CLI with `bce -c <conf-path>` (no variable names them), and the BCE
//!   CLI's filling of empty members from `BCE_ACCESS_KEY_ID`, `BCE_SECRET_ACCESS_KEY`,
//!   `BCE_SECURITY_TOKEN` and `BCE_REGION` (`credential.go` lines 51-64, `Resolve`): those
//!   variables are the environment source's ([`Credentials::env_vars`]).
//!
//! Profile modes that need a call to get credentials (Alibaba `RamRoleArn`, `EcsRamRole`,
//! `OIDC`; tccli's `type: cvm-role` and `role-arn`) are read by [`ProfileFiles::load_source`]
//! as a [`ProfileSource`] saying what to call; the `cloudspec-credentials` crate makes the
//! call. [`ProfileFiles::load`], which gives keys only, refuses them with
//! [`ProfileError::UnsupportedMode`] rather than skipping them, so a configured role is
//! never silently replaced by another source. Other modes (`ChainableRamRoleArn`,
//! `CloudSSO`, `OAuth`, tccli `sso`/`oauth`, any BCE CLI mode but `AK` and `StsToken`) are
//! refused by both.
//!
//! The members of the role modes, as alibabacloud-credentials 1.0.12 reads them
//! (`provider/cli_profile.py`, `_get_credentials_provider`): `RamRoleArn`: `access_key_id`,
//! `access_key_secret`, `ram_role_arn`, `ram_session_name`, `expired_seconds`, `policy`,
//! `external_id`, `sts_region`, `enable_vpc`; `EcsRamRole`: `ram_role_name`; `OIDC`:
//! `ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`, `role_session_name`,
//! `expired_seconds`, `policy`, `sts_region`, `enable_vpc`. tccli 3.1.189.1 (`configure.py`, `action_caller.py`): `type: cvm-role`
//! (`--use-cvm-role true`), and `role-arn` with `role-session-name` beside `secretId` and
//! `secretKey` (STS AssumeRole with those keys).

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
    /// Keys (Alibaba `AK` and `StsToken`, a tccli profile with keys, BCE CLI `AK` and
    /// `StsToken`, the old BCE CLI's `[defaults]`).
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
    /// Whether to call the STS region's VPC endpoint (`enable_vpc`), if set.
    pub enable_vpc: Option<bool>,
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
    /// Whether to call the STS region's VPC endpoint (`enable_vpc`), if set.
    pub enable_vpc: Option<bool>,
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
        /// Why (with the line and column).
        #[source]
        source: serde_json::Error,
    },
    /// The file is not the INI the provider's tool writes (the old BCE CLI's
    /// `~/.bce/credentials` and `~/.bce/config`). The message names the line, never its text,
    /// which may hold a secret.
    #[error("the profile file {path} is not valid INI at line {line}: {reason}")]
    IniSyntax {
        /// The file.
        path: PathBuf,
        /// The line, counted from 1.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
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
            Provider::Baidu => self.bce(name),
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
            return self.alibabacloud_ini(name);
        }
        let path = self.home.join(".aliyun").join("config.json");
        let Some(config) = read_json(&path)? else {
            return self.alibabacloud_ini(name);
        };
        let name = name
            .map(str::to_owned)
            .or_else(|| self.env("ALIBABA_CLOUD_PROFILE"))
            .or_else(|| text(&config, "current"))
            .unwrap_or_else(|| "default".to_owned());
        let profile = profile_named(&config, &name, &path)?;
        let mode = text(profile, "mode").unwrap_or_else(|| "AK".to_owned());
        let key = |key: &'static str| required(text(profile, key), &path, &name, key);
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
                    enable_vpc: profile.get("enable_vpc").and_then(Value::as_bool),
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
                    enable_vpc: profile.get("enable_vpc").and_then(Value::as_bool),
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

    /// `~/.alibabacloud/credentials.ini` (or the file `ALIBABA_CLOUD_CREDENTIALS_FILE`
    /// names), which alibabacloud-credentials reads after the aliyun CLI's file: section
    /// `name`, else `ALIBABA_CLOUD_PROFILE`, else `default`; its `type` says what to do.
    fn alibabacloud_ini(&self, name: Option<&str>) -> Result<Option<ProfileSource>, ProfileError> {
        let path = self
            .env("ALIBABA_CLOUD_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.home.join(".alibabacloud").join("credentials.ini"));
        let Some(ini) = read_ini(&path)? else {
            return Ok(None);
        };
        let name = name
            .map(str::to_owned)
            .or_else(|| self.env("ALIBABA_CLOUD_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        if !ini.sections.contains_key(&name) {
            return Err(ProfileError::NoSuchProfile { path, name });
        }
        // provider/profile.py lines 40-43: a value is cut at its first `#`, then trimmed.
        let value = |key: &str| {
            ini.value(&name, key)
                .map(|value| {
                    value
                        .split('#')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_owned()
                })
                .filter(|value| !value.is_empty())
        };
        let key = |key: &'static str| required(value(key), &path, &name, key);
        let kind = value("type").unwrap_or_default();
        let source = match kind.as_str() {
            "access_key" => ProfileSource::Static(Profile {
                credentials: Credentials::new(key("access_key_id")?, key("access_key_secret")?),
                region: None,
                name,
                path,
            }),
            "ram_role_arn" => ProfileSource::AssumeRole(AssumeRoleProfile {
                credentials: Credentials::new(key("access_key_id")?, key("access_key_secret")?),
                role_arn: key("role_arn")?,
                session_name: value("role_session_name"),
                duration_seconds: None,
                policy: value("policy"),
                external_id: None,
                sts_region: None,
                enable_vpc: None,
                region: None,
                name,
                path,
            }),
            "oidc_role_arn" => ProfileSource::Oidc(OidcProfile {
                role_arn: key("role_arn")?,
                oidc_provider_arn: key("oidc_provider_arn")?,
                oidc_token_file: PathBuf::from(key("oidc_token_file_path")?),
                session_name: value("role_session_name"),
                duration_seconds: None,
                policy: value("policy"),
                sts_region: None,
                enable_vpc: None,
                region: None,
                name,
                path,
            }),
            "ecs_ram_role" => ProfileSource::InstanceRole(InstanceRoleProfile {
                role_name: value("role_name"),
                region: None,
                name,
                path,
            }),
            _ => {
                return Err(ProfileError::UnsupportedMode {
                    path,
                    name,
                    mode: kind,
                });
            }
        };
        Ok(Some(source))
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
        let key = |key: &'static str| required(text(&credential, key), &path, &name, key);
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
                enable_vpc: None,
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

    /// `~/.bce/config.json` (the BCE CLI); without it, and when no profile is asked for,
    /// the old BCE CLI's `~/.bce/credentials` and `~/.bce/config`, which hold one set of
    /// keys and no profile names.
    fn bce(&self, name: Option<&str>) -> Result<Option<ProfileSource>, ProfileError> {
        let folder = self.home.join(".bce");
        let path = folder.join("config.json");
        if let Some(config) = read_json(&path)? {
            return bce_cli_profile(&config, path, name)
                .map(|profile| Some(ProfileSource::Static(profile)));
        }
        if name.is_some() {
            return Ok(None);
        }
        Ok(bce_legacy_profile(&folder)?.map(ProfileSource::Static))
    }
}

/// The profile `name` (else the file's `current`, else `default`) of the BCE CLI's
/// `config.json`: `config`, as read from `path`.
fn bce_cli_profile(
    config: &Value,
    path: PathBuf,
    name: Option<&str>,
) -> Result<Profile, ProfileError> {
    let name = name
        .map(str::to_owned)
        .or_else(|| text(config, "current"))
        .unwrap_or_else(|| "default".to_owned());
    let profile = profile_named(config, &name, &path)?;
    let key = |key: &'static str| required(text(profile, key), &path, &name, key);
    // credential.go lines 67-87: no mode is `AK`; the mode's case matters.
    let credentials = match text(profile, "mode").as_deref() {
        None | Some("AK") => Credentials::new(key("access_key_id")?, key("secret_access_key")?),
        Some("StsToken") => Credentials::new(key("access_key_id")?, key("secret_access_key")?)
            .with_security_token(key("security_token")?),
        Some(mode) => {
            return Err(ProfileError::UnsupportedMode {
                mode: mode.to_owned(),
                path,
                name,
            });
        }
    };
    Ok(Profile {
        region: text(profile, "region"),
        credentials,
        name,
        path,
    })
}

/// The old BCE CLI's `credentials` and `config` in `folder`: its one set of keys, section
/// `defaults` (the profile's name here). `None` when there is no `credentials` file.
fn bce_legacy_profile(folder: &Path) -> Result<Option<Profile>, ProfileError> {
    const SECTION: &str = "defaults";
    let path = folder.join("credentials");
    let Some(credentials) = read_ini(&path)? else {
        return Ok(None);
    };
    let key = |key: &'static str| required(credentials.value(SECTION, key), &path, SECTION, key);
    let credentials = Credentials::new(key("bce_access_key_id")?, key("bce_secret_access_key")?);
    // No `config`, or no `region` in it: the old CLI and bsam then use `bj`; the profile
    // sets none.
    let region =
        read_ini(&folder.join("config"))?.and_then(|config| config.value(SECTION, "region"));
    Ok(Some(Profile {
        name: SECTION.to_owned(),
        path,
        credentials,
        region,
    }))
}

/// The member of `config`'s `profiles` array whose `name` is `name` (the layout of the aliyun
/// CLI's and the BCE CLI's `config.json`), else [`ProfileError::NoSuchProfile`].
fn profile_named<'config>(
    config: &'config Value,
    name: &str,
    path: &Path,
) -> Result<&'config Value, ProfileError> {
    config
        .get("profiles")
        .and_then(Value::as_array)
        .and_then(|profiles| {
            profiles
                .iter()
                .find(|profile| profile.get("name").and_then(Value::as_str) == Some(name))
        })
        .ok_or_else(|| ProfileError::NoSuchProfile {
            path: path.to_owned(),
            name: name.to_owned(),
        })
}

/// `value`, else [`ProfileError::MissingKey`]: the profile `name` in `path` lacks `key` or
/// leaves it empty.
fn required(
    value: Option<String>,
    path: &Path,
    name: &str,
    key: &'static str,
) -> Result<String, ProfileError> {
    value.ok_or_else(|| ProfileError::MissingKey {
        path: path.to_owned(),
        name: name.to_owned(),
        key,
    })
}

/// The bytes of `path`, `None` when there is no such file.
fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, ProfileError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ProfileError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// The JSON of `path`, `None` when there is no such file. Bytes that are not UTF-8 are a
/// [`ProfileError::Parse`] with their line, as any other JSON mistake.
fn read_json(path: &Path) -> Result<Option<Value>, ProfileError> {
    let Some(bytes) = read_bytes(path)? else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| ProfileError::Parse {
            path: path.to_owned(),
            source,
        })
}

/// The INI of `path`, `None` when there is no such file.
fn read_ini(path: &Path) -> Result<Option<IniFile>, ProfileError> {
    let Some(bytes) = read_bytes(path)? else {
        return Ok(None);
    };
    IniFile::parse(&bytes)
        .map(Some)
        .map_err(|error| ProfileError::IniSyntax {
            path: path.to_owned(),
            line: error.line,
            reason: error.reason,
        })
}

/// An INI file read with the rules of Python's `configparser` defaults (see the module
/// docs): `[section]` headers, `key = value` or `key: value` lines, whole-line `#` and `;`
/// comments; key names lower-cased, values trimmed.
#[derive(Debug, Default)]
struct IniFile {
    /// The sections by name, each its keys and values.
    sections: std::collections::HashMap<String, std::collections::HashMap<String, String>>,
}

/// Where and why an INI file cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IniSyntaxError {
    /// The line, counted from 1.
    line: usize,
    /// What is wrong with it.
    reason: &'static str,
}

impl IniFile {
    /// The sections of `bytes` (UTF-8, a leading byte-order mark skipped).
    fn parse(bytes: &[u8]) -> Result<Self, IniSyntaxError> {
        let text = std::str::from_utf8(bytes).map_err(|error| IniSyntaxError {
            line: line_at(bytes, error.valid_up_to()),
            reason: "it holds bytes that are not UTF-8",
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut file = Self::default();
        // The section the lines below a header belong to.
        let mut current: Option<String> = None;
        // The indentation of the last key line of the section, for telling continuation lines.
        let mut key_indent: Option<usize> = None;
        for (index, raw) in text.lines().enumerate() {
            let fail = |reason| IniSyntaxError {
                line: index + 1,
                reason,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
            if key_indent.is_some_and(|key_indent| indent > key_indent) {
                return Err(fail("an indented line continues the value above it"));
            }
            if let Some(name) = section_header(line) {
                if file.sections.contains_key(name) {
                    return Err(fail("a `[section]` header repeats an earlier one"));
                }
                file.sections.insert(name.to_owned(), Default::default());
                current = Some(name.to_owned());
                key_indent = None;
                continue;
            }
            let Some(entries) = current
                .as_ref()
                .and_then(|name| file.sections.get_mut(name))
            else {
                return Err(fail("a line comes before the first `[section]` header"));
            };
            let Some(separator) = line.find(['=', ':']) else {
                return Err(fail(
                    "a line is neither a `[section]` header nor `key = value`",
                ));
            };
            let key = line[..separator].trim_end().to_lowercase();
            if key.is_empty() {
                return Err(fail("a line has a value but no key"));
            }
            if entries.contains_key(&key) {
                return Err(fail("a key repeats an earlier one of its section"));
            }
            entries.insert(key, line[separator + 1..].trim().to_owned());
            key_indent = Some(indent);
        }
        Ok(file)
    }

    /// The non-empty value of `key` (lower-case) in `section`.
    fn value(&self, section: &str, key: &str) -> Option<String> {
        self.sections
            .get(section)?
            .get(key)
            .filter(|value| !value.is_empty())
            .cloned()
    }
}

/// The name of a `[section]` header line (trimmed): what lies between its first `[` and its
/// last `]`, as written; `None` for any other line.
fn section_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    Some(&rest[..end]).filter(|name| !name.is_empty())
}

/// The line (counted from 1) of byte `offset` of `bytes`.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
        + 1
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
            self.write_bytes(relative, text.as_bytes());
        }

        fn write_bytes(&self, relative: &str, bytes: &[u8]) {
            let path = self.0.join(relative);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
            std::fs::write(path, bytes).expect("file");
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
    fn alibabacloud_credentials_ini_is_read_when_there_is_no_cli_file() {
        let home = Home::new("alibabacloud-ini");
        home.write(
            ".alibabacloud/credentials.ini",
            "[default]\ntype = access_key  # the SDK cuts at `#`\naccess_key_id = AKID\naccess_key_secret = secret # comment\n\n\
             [role]\ntype = ram_role_arn\naccess_key_id = AK2\naccess_key_secret = S2\nrole_arn = acs:ram::1:role/r\nrole_session_name = s\n\n\
             [oidc]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/o\noidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = /var/run/token\n\n\
             [ecs]\ntype = ecs_ram_role\nrole_name = EcsRole\n\n[rsa]\ntype = rsa_key_pair\n",
        );
        let profile = home
            .files(&[])
            .load(Provider::Alibaba, None)
            .unwrap()
            .unwrap();
        assert_eq!(keys(&profile.credentials), ("AKID", "secret", None));
        assert_eq!(profile.name, "default");
        let env = [("ALIBABA_CLOUD_PROFILE", "role")];
        let Some(ProfileSource::AssumeRole(role)) = home
            .files(&env)
            .load_source(Provider::Alibaba, None)
            .unwrap()
        else {
            panic!("ram_role_arn is an AssumeRole source");
        };
        assert_eq!(
            (role.role_arn.as_str(), role.session_name.as_deref()),
            ("acs:ram::1:role/r", Some("s"))
        );
        let Some(ProfileSource::Oidc(oidc)) = home
            .files(&[])
            .load_source(Provider::Alibaba, Some("oidc"))
            .unwrap()
        else {
            panic!("oidc_role_arn is an OIDC source");
        };
        assert_eq!(oidc.oidc_token_file, PathBuf::from("/var/run/token"));
        let Some(ProfileSource::InstanceRole(ecs)) = home
            .files(&[])
            .load_source(Provider::Alibaba, Some("ecs"))
            .unwrap()
        else {
            panic!("ecs_ram_role is an instance role");
        };
        assert_eq!(ecs.role_name.as_deref(), Some("EcsRole"));
        assert!(matches!(
            home.files(&[]).load_source(Provider::Alibaba, Some("rsa")),
            Err(ProfileError::UnsupportedMode { .. })
        ));
        assert!(matches!(
            home.files(&[])
                .load_source(Provider::Alibaba, Some("missing")),
            Err(ProfileError::NoSuchProfile { .. })
        ));
        // The aliyun CLI's file comes first when it is there, and turning it off leaves this one.
        home.write(".aliyun/config.json", ALIYUN);
        let cli = home
            .files(&[])
            .load(Provider::Alibaba, None)
            .unwrap()
            .unwrap();
        assert!(cli.path.ends_with("config.json"), "{:?}", cli.path);
        let env = [("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")];
        let ini = home
            .files(&env)
            .load(Provider::Alibaba, None)
            .unwrap()
            .unwrap();
        assert!(ini.path.ends_with("credentials.ini"), "{:?}", ini.path);
        // ALIBABA_CLOUD_CREDENTIALS_FILE names another file.
        home.write(
            "elsewhere.ini",
            "[default]\ntype = access_key\naccess_key_id = OTHER\naccess_key_secret = x\n",
        );
        let path = home.0.join("elsewhere.ini").display().to_string();
        let env = [
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
            ("ALIBABA_CLOUD_CREDENTIALS_FILE", path.as_str()),
        ];
        let other = home
            .files(&env)
            .load(Provider::Alibaba, None)
            .unwrap()
            .unwrap();
        assert_eq!(keys(&other.credentials).0, "OTHER");
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

    /// The shape `bce configure set` writes (the BCE CLI's README, "Configuration File
    /// Format"), with the mistakes its `Credentials` refuses.
    const BCE_CLI: &str = r#"{
        "current": "prod",
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "ak-default", "secret_access_key": "sk-default", "region": "bj"},
            {"name": "prod", "access_key_id": "ak-prod", "secret_access_key": "sk-prod", "region": "gz", "endpoint": "bcc.gz.baidubce.com", "language": "en-US"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "ak-sts", "secret_access_key": "sk-sts", "security_token": "token-sts", "region": "su"},
            {"name": "sts-no-token", "mode": "StsToken", "access_key_id": "ak", "secret_access_key": "sk"},
            {"name": "empty", "mode": "AK", "access_key_id": "ak", "secret_access_key": ""},
            {"name": "role", "mode": "AssumeRole", "access_key_id": "ak", "secret_access_key": "sk"},
            {"name": "lower", "mode": "ak", "access_key_id": "ak", "secret_access_key": "sk"}
        ]
    }"#;

    /// What `bce -c` and `bsam config` write (bce-sam-cli 0.8.1, `cfc_credential_helper.py`).
    const BCE_LEGACY_CREDENTIALS: &str =
        "[defaults]\nbce_access_key_id = ak-legacy\nbce_secret_access_key = sk-legacy\n\n";
    const BCE_LEGACY_CONFIG: &str = "[defaults]\ndomain = \nregion = gz\nbreakpoint_file_expiration = 7\nhttps = no\nmulti_upload_thread_num = 10\n\n[domains]\nbj = bj.bcebos.com\n";

    #[test]
    fn bce_cli_profiles_by_name_and_current_with_region_and_token() {
        let home = Home::new("bce-cli");
        home.write(".bce/config.json", BCE_CLI);
        let files = home.files(&[]);
        let current = files.load(Provider::Baidu, None).unwrap().unwrap();
        assert_eq!(current.name, "prod");
        assert_eq!(
            keys(&current.credentials),
            ("ak-prod", "sk-prod", None),
            "no mode is AK"
        );
        assert_eq!(current.region.as_deref(), Some("gz"));
        assert!(current.path.ends_with(".bce/config.json"));

        let named = files
            .load(Provider::Baidu, Some("default"))
            .unwrap()
            .unwrap();
        assert_eq!(keys(&named.credentials), ("ak-default", "sk-default", None));
        assert_eq!(named.region.as_deref(), Some("bj"));

        let Some(ProfileSource::Static(sts)) =
            files.load_source(Provider::Baidu, Some("sts")).unwrap()
        else {
            panic!("StsToken is keys");
        };
        assert_eq!(
            keys(&sts.credentials),
            ("ak-sts", "sk-sts", Some("token-sts"))
        );
        assert_eq!(sts.region.as_deref(), Some("su"));
        let shown = format!("{sts:?}");
        assert!(
            !shown.contains("sk-sts") && !shown.contains("token-sts"),
            "{shown}"
        );

        home.write(
            ".bce/config.json",
            r#"{"profiles": [{"name": "default", "access_key_id": "a", "secret_access_key": "b"}]}"#,
        );
        let fallback = files.load(Provider::Baidu, None).unwrap().unwrap();
        assert_eq!(fallback.name, "default", "no `current`: `default`");
        assert_eq!(fallback.region, None);
    }

    #[test]
    fn bce_cli_mistakes_are_errors_that_name_the_file() {
        let home = Home::new("bce-cli-bad");
        home.write(".bce/config.json", BCE_CLI);
        let files = home.files(&[]);
        let missing = |name| files.load(Provider::Baidu, Some(name)).unwrap_err();
        assert!(matches!(
            missing("empty"),
            ProfileError::MissingKey {
                key: "secret_access_key",
                ..
            }
        ));
        assert!(matches!(
            missing("sts-no-token"),
            ProfileError::MissingKey {
                key: "security_token",
                ..
            }
        ));
        for (name, mode) in [("role", "AssumeRole"), ("lower", "ak")] {
            let error = files.load_source(Provider::Baidu, Some(name)).unwrap_err();
            assert!(
                matches!(&error, ProfileError::UnsupportedMode { mode: found, .. } if found == mode),
                "{error}"
            );
        }
        let error = missing("nobody");
        assert!(matches!(error, ProfileError::NoSuchProfile { ref name, .. } if name == "nobody"));
        assert!(error.to_string().contains("config.json"), "{error}");

        home.write(
            ".bce/config.json",
            "{\n  \"current\": \"prod\",\n  \"profiles\": [\n",
        );
        let error = files.load(Provider::Baidu, None).unwrap_err();
        assert!(matches!(error, ProfileError::Parse { .. }));
        assert!(error.to_string().contains("config.json"), "{error}");
        let source = std::error::Error::source(&error)
            .expect("the JSON error")
            .to_string();
        assert!(source.contains("line 4"), "{source}");

        home.write_bytes(".bce/config.json", b"{\"current\": \"\xff\xfe\x00\"}");
        let error = files.load(Provider::Baidu, None).unwrap_err();
        assert!(matches!(error, ProfileError::Parse { .. }), "{error}");
        home.write(".bce/config.json", "[]");
        assert!(matches!(
            files.load(Provider::Baidu, None).unwrap_err(),
            ProfileError::NoSuchProfile { .. }
        ));
    }

    #[test]
    fn bce_legacy_files_give_keys_and_region() {
        let home = Home::new("bce-legacy");
        home.write(".bce/credentials", BCE_LEGACY_CREDENTIALS);
        home.write(".bce/config", BCE_LEGACY_CONFIG);
        let files = home.files(&[]);
        let legacy = files.load(Provider::Baidu, None).unwrap().unwrap();
        assert_eq!(legacy.name, "defaults");
        assert!(legacy.path.ends_with(".bce/credentials"));
        assert_eq!(keys(&legacy.credentials), ("ak-legacy", "sk-legacy", None));
        assert_eq!(legacy.region.as_deref(), Some("gz"));
        assert!(
            files
                .load(Provider::Baidu, Some("defaults"))
                .unwrap()
                .is_none(),
            "the old files have no profile names"
        );

        // configparser's syntax: `:` too, key names in any case, comments, other sections.
        home.write(
            ".bce/credentials",
            "\u{feff}# written by hand\n[other]\nbce_access_key_id = not-this\n\n[defaults]\n  ; indented comment\n  BCE_Access_Key_ID: ak-hand\n  bce_secret_access_key=sk-hand\n",
        );
        std::fs::remove_file(home.0.join(".bce/config")).expect("removed");
        let hand = files.load(Provider::Baidu, None).unwrap().unwrap();
        assert_eq!(keys(&hand.credentials), ("ak-hand", "sk-hand", None));
        assert_eq!(hand.region, None, "no `config`: the profile sets no region");

        home.write(".bce/config.json", r#"{"current": "default", "profiles": [{"name": "default", "access_key_id": "ak-new", "secret_access_key": "sk-new"}]}"#);
        let newer = files.load(Provider::Baidu, None).unwrap().unwrap();
        assert_eq!(
            newer.credentials.access_key_id(),
            "ak-new",
            "config.json comes first"
        );
    }

    #[test]
    fn bce_files_absent_is_no_profile() {
        let home = Home::new("bce-none");
        let files = home.files(&[]);
        assert!(files.load(Provider::Baidu, None).unwrap().is_none());
        assert!(files.load(Provider::Baidu, Some("prod")).unwrap().is_none());
        assert!(files.load_source(Provider::Baidu, None).unwrap().is_none());
        // Only the region file: no keys, so no profile.
        home.write(".bce/config", BCE_LEGACY_CONFIG);
        assert!(files.load(Provider::Baidu, None).unwrap().is_none());
    }

    #[test]
    fn bce_legacy_mistakes_and_hostile_files_are_errors_naming_file_and_line() {
        let home = Home::new("bce-hostile");
        let files = home.files(&[]);
        let syntax = |bytes: &[u8]| {
            home.write_bytes(".bce/credentials", bytes);
            let error = files.load(Provider::Baidu, None).unwrap_err();
            let message = error.to_string();
            assert!(message.contains("credentials"), "{message}");
            match error {
                ProfileError::IniSyntax { line, reason, .. } => (line, reason, message),
                other => panic!("not a syntax error: {other}"),
            }
        };
        let (line, _, message) = syntax(b"[defaults]\nbce_access_key_id = sk-\xff\xfe-secret\n");
        assert_eq!(line, 2, "{message}");
        assert!(
            message.contains("UTF-8") && !message.contains("secret"),
            "{message}"
        );
        assert_eq!(syntax(b"\x00\x01\x02binary\x7f").0, 1);
        assert_eq!(syntax(b"bce_access_key_id = ak\n[defaults]\n").0, 1);
        assert_eq!(syntax(b"[defaults]\nbce_access_key_id ak\n").0, 2);
        assert_eq!(syntax(b"[defaults]\n= value\n").0, 2);
        assert_eq!(syntax(b"[defaults]\na = 1\n[defaults]\n").0, 3);
        assert_eq!(syntax(b"[defaults]\nA = 1\na = 2\n").0, 3);
        assert_eq!(syntax(b"[defaults]\nbce_access_key_id = a\n   b\n").0, 3);
        assert_eq!(syntax(b"[]\n").0, 1);

        let huge = "x".repeat(4 << 20);
        let (line, _, message) = syntax(format!("[defaults]\n\n{huge}\n").as_bytes());
        assert_eq!(line, 3);
        assert!(
            message.len() < 300,
            "the line is not repeated: {} bytes",
            message.len()
        );

        home.write(
            ".bce/credentials",
            &format!("[defaults]\nbce_access_key_id = {huge}\n"),
        );
        assert!(matches!(
            files.load(Provider::Baidu, None).unwrap_err(),
            ProfileError::MissingKey {
                key: "bce_secret_access_key",
                ..
            }
        ));
        for (text, key) in [
            ("", "bce_access_key_id"),
            (
                "[Defaults]\nbce_access_key_id = a\nbce_secret_access_key = b\n",
                "bce_access_key_id",
            ),
            (
                "[defaults]\nbce_access_key_id =\nbce_secret_access_key = b\n",
                "bce_access_key_id",
            ),
            (
                "[defaults]\nbce_access_key_id = a\n",
                "bce_secret_access_key",
            ),
        ] {
            home.write(".bce/credentials", text);
            let error = files.load(Provider::Baidu, None).unwrap_err();
            assert!(
                matches!(&error, ProfileError::MissingKey { key: found, name, .. } if *found == key && name == "defaults"),
                "{text:?}: {error}"
            );
        }

        home.write(".bce/credentials", BCE_LEGACY_CREDENTIALS);
        home.write(".bce/config", "[defaults]\nregion\n");
        let error = files.load(Provider::Baidu, None).unwrap_err();
        assert!(
            matches!(error, ProfileError::IniSyntax { line: 2, .. }),
            "{error}"
        );
        assert!(error.to_string().contains(".bce/config "), "{error}");
    }

    proptest::proptest! {
        /// Any bytes: an INI file or a syntax error with a line inside the file, never a panic.
        #[test]
        fn ini_parse_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            if let Err(error) = IniFile::parse(&bytes) {
                let lines = bytes.iter().filter(|byte| **byte == b'\n').count() + 1;
                proptest::prop_assert!(error.line >= 1 && error.line <= lines);
            }
        }

        /// Text made of the INI's own characters, which reaches every rule.
        #[test]
        fn ini_parse_of_ini_like_text_never_panics(text in "[\\[\\]=:;# \\tab\\n\\r\u{feff}é]{0,200}") {
            let _ = IniFile::parse(text.as_bytes());
        }
    }
}
