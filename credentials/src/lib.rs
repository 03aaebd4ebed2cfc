//! The credential provider chain of cloudspec clients, in the manner of aws-config: the
//! sources each provider's own SDK reads, in a documented order that can be changed, with
//! temporary credentials cached and refreshed shortly before they expire.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudspec_credentials::CredentialsChain;
//! use cloudspec_runtime::{Config, Provider};
//!
//! let chain = CredentialsChain::builder(Provider::Alibaba).build();
//! let config = Config::from_credentials_provider(chain).with_region("cn-hangzhou");
//! # let _ = config;
//! # Ok(())
//! # }
//! ```
//!
//! # The sources and their default order
//!
//! The default order is the provider's own SDK's ([`default_order`]):
//!
//! | provider | order | from |
//! | --- | --- | --- |
//! | Alibaba Cloud | environment, web identity, profile, instance metadata | alibabacloud-credentials 1.0.12, `provider/default.py` lines 17-30 (environment, then OIDC when its variables are set, then the CLI profile, then the ECS RAM role) |
//! | Tencent Cloud | environment, profile, instance metadata, web identity | tencentcloud-sdk-python-common 3.1.195, `tencentcloud/common/credential.py` lines 343-376 (`DefaultCredentialProvider`: environment, profile, CVM role, TKE OIDC) |
//! | Baidu AI Cloud | environment, profile | bce-python-sdk 0.9.79 has no chain and reads no file; the profile is the BCE CLI's `~/.bce/config.json` (else the old CLI's `~/.bce/credentials`), tried after the environment as for the other providers and as `Config::from_env` does (the BCE CLI itself lets its file win, taking `BCE_*` variables only for members it leaves empty: bce-cli 84951d9, `internal/config/credential.go` lines 51-64) |
//!
//! - [`Source::Environment`]: the variables of
//!   [`Credentials::env_vars`](cloudspec_runtime::Credentials::env_vars)
//!   (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`/`_SECURITY_TOKEN`, `TENCENTCLOUD_SECRET_ID`/
//!   `_KEY`/`_SESSION_TOKEN`, `BAIDUBCE_ACCESS_KEY_ID`/...).
//! - [`Source::Profile`]: the provider's tool's profile file
//!   ([`cloudspec_runtime::profile`]): aliyun `~/.aliyun/config.json` (profile
//!   `ALIBABA_CLOUD_PROFILE`, else the file's `current`; modes `AK`, `StsToken` and
//!   `RamRoleArn`, the last by STS AssumeRole signed with the profile's keys), tccli
//!   `~/.tccli/<TCCLI_PROFILE or default>.credential` (keys, and `role-arn` with
//!   `role-session-name` by STS AssumeRole), BCE CLI `~/.bce/config.json` (the profile
//!   asked for, else the file's `current`, else `default`; modes `AK` and `StsToken`), else,
//!   when no profile is asked for, the old BCE CLI's `~/.bce/credentials` `[defaults]` keys
//!   (`bce_access_key_id`, `bce_secret_access_key`) and `~/.bce/config`'s `region`; aliyun `EcsRamRole` (`ram_role_name`) and
//!   tccli `cvm-role` read the instance's role as [`Source::InstanceMetadata`] does, and
//!   aliyun `OIDC` (`ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`) exchanges its
//!   token as [`Source::WebIdentity`] does. A mode this crate does not serve is an error
//!   naming the profile, never silently replaced by the next source.
//! - [`Source::WebIdentity`]: a workload's OIDC token file exchanged for a role's
//!   credentials by an unsigned STS call ([`web_identity`]): Alibaba `AssumeRoleWithOIDC`
//!   (ACK RRSA: `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
//!   `ALIBABA_CLOUD_OIDC_TOKEN_FILE`), Tencent `AssumeRoleWithWebIdentity` (TKE:
//!   `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`). The
//!   token file is read again on every refresh.
//! - [`Source::InstanceMetadata`]: the instance's role ([`imds`]): Alibaba
//!   `http://100.100.100.200/latest/meta-data/ram/security-credentials/<role>` with an
//!   IMDSv2 token (role from `ALIBABA_CLOUD_ECS_METADATA`, else the service's; skipped when
//!   `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`; no IMDSv1 fallback when
//!   `ALIBABA_CLOUD_IMDSV1_DISABLED=true`), Tencent
//!   `http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/<role>`. No
//!   metadata service answering (not on an instance) counts as not configured.
//!
//! The first source that is configured decides: one that is not configured (no
//! variables, no file) is skipped; one that is configured but fails is the chain's error.
//! The chain remembers the source that answered and asks only it from then on.
//!
//! Change the order with [`ChainBuilder::order`]. Point STS and the metadata service at
//! another endpoint (the local emulator) with [`ChainBuilder::sts_endpoint`] and
//! [`ChainBuilder::imds_endpoint`], and give the clock that decides freshness
//! and signs STS calls with [`ChainBuilder::time_source`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cloudspec_runtime::credentials::{
    CredentialsCache, CredentialsError, DEFAULT_REFRESH_BEFORE, ProvideCredentials, ProvideFuture,
    SharedCredentialsProvider, SharedTimeSource, SystemTimeSource,
};
use cloudspec_runtime::profile::{ProfileFiles, ProfileSource};
use cloudspec_runtime::{Credentials, Provider};

mod answer;
pub mod imds;
pub mod sts;
pub mod web_identity;

pub use imds::InstanceRoleProvider;
pub use sts::{AssumeRole, AssumeRoleProvider, StsOptions};
pub use web_identity::{WebIdentity, WebIdentityProvider};

/// A source of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// The provider's environment variables.
    Environment,
    /// The provider's tool's profile file (keys, a role assumed with STS, or the
    /// instance's role).
    Profile,
    /// The instance's role from the metadata service (Alibaba ECS RAM role, Tencent CVM CAM
    /// role).
    InstanceMetadata,
    /// A workload's OIDC token exchanged for a role's credentials ([`web_identity`]: ACK
    /// RRSA, TKE).
    WebIdentity,
}

/// The provider's own SDK's order (see the crate docs).
pub fn default_order(provider: Provider) -> &'static [Source] {
    match provider {
        Provider::Alibaba => &[
            Source::Environment,
            Source::WebIdentity,
            Source::Profile,
            Source::InstanceMetadata,
        ],
        Provider::Tencent => &[
            Source::Environment,
            Source::Profile,
            Source::InstanceMetadata,
            Source::WebIdentity,
        ],
        Provider::Baidu => &[Source::Environment, Source::Profile],
    }
}

/// Reads an environment variable: its value, or `None`.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// How environment variables and the home folder are read: the process's, or a test's.
#[derive(Clone)]
pub struct Environment {
    home: Option<PathBuf>,
    lookup: Lookup,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

impl Environment {
    /// The process's variables and home folder (`HOME`, else `USERPROFILE`).
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from);
        Self {
            home,
            lookup: Arc::new(|name| std::env::var(name).ok()),
        }
    }

    /// Variables read through `lookup`, profile files under `home`.
    pub fn new(
        home: impl Into<PathBuf>,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            home: Some(home.into()),
            lookup: Arc::new(lookup),
        }
    }

    /// The variable `name`, when set and not empty.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.is_empty())
    }

    fn profile_files(&self) -> Option<ProfileFiles<'_>> {
        let home = self.home.clone()?;
        Some(ProfileFiles::new(home, |name| (self.lookup)(name)))
    }
}

/// Builds a [`CredentialsChain`].
#[derive(Debug)]
pub struct ChainBuilder {
    provider: Provider,
    order: Vec<Source>,
    environment: Environment,
    profile: Option<String>,
    sts: StsOptions,
    imds_endpoint: Option<String>,
    clock: SharedTimeSource,
    refresh_before: Duration,
}

impl ChainBuilder {
    /// Tries `order` instead of [`default_order`] (a source may be left out).
    pub fn order(mut self, order: impl IntoIterator<Item = Source>) -> Self {
        self.order = order.into_iter().collect();
        self
    }

    /// Reads variables and profile files through `environment` (default: the process's).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Uses the profile `name` (the CLIs' `--profile`) instead of the tool's default one.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Sends STS calls to `endpoint` (`http://127.0.0.1:PORT` for the local emulator).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts.endpoint = Some(endpoint.into());
        self
    }

    /// Reads instance metadata from `endpoint` (`http://127.0.0.1:PORT` for the local
    /// emulator) instead of the provider's metadata host.
    pub fn imds_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.imds_endpoint = Some(endpoint.into());
        self
    }

    /// The clock that decides when cached credentials are refreshed and that times STS
    /// signatures (default: the system clock).
    pub fn time_source(mut self, clock: SharedTimeSource) -> Self {
        self.sts.time_source = Some(clock.clone());
        self.clock = clock;
        self
    }

    /// How long before expiry temporary credentials are refreshed (default 5 minutes).
    pub fn refresh_before(mut self, before: Duration) -> Self {
        self.refresh_before = before;
        self
    }

    /// The chain.
    pub fn build(self) -> CredentialsChain {
        CredentialsChain {
            builder: self,
            chosen: tokio::sync::Mutex::new(None),
        }
    }
}

/// Tries its sources in order and then keeps to the one that answered (see the crate
/// docs). Temporary credentials are cached and refreshed before they expire.
#[derive(Debug)]
pub struct CredentialsChain {
    builder: ChainBuilder,
    chosen: tokio::sync::Mutex<Option<(Source, SharedCredentialsProvider)>>,
}

impl CredentialsChain {
    /// A builder of `provider`'s chain, with the default order.
    pub fn builder(provider: Provider) -> ChainBuilder {
        ChainBuilder {
            provider,
            order: default_order(provider).to_vec(),
            environment: Environment::process(),
            profile: None,
            sts: StsOptions::default(),
            imds_endpoint: None,
            clock: Arc::new(SystemTimeSource),
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }

    /// The source that answered, once one has.
    pub async fn chosen_source(&self) -> Option<Source> {
        self.chosen.lock().await.as_ref().map(|(source, _)| *source)
    }

    fn cached(&self, provider: impl ProvideCredentials + 'static) -> SharedCredentialsProvider {
        SharedCredentialsProvider::new(
            CredentialsCache::builder(provider)
                .time_source(ClockRef(self.builder.clock.clone()))
                .refresh_before(self.builder.refresh_before)
                .build(),
        )
    }

    /// The provider of `source`, or `None` when the source is not configured here.
    fn resolve(
        &self,
        source: Source,
    ) -> Result<Option<SharedCredentialsProvider>, CredentialsError> {
        let builder = &self.builder;
        match source {
            Source::Environment => {
                Ok(
                    Credentials::from_lookup(builder.provider, |name| {
                        builder.environment.var(name)
                    })
                    .map(SharedCredentialsProvider::new),
                )
            }
            Source::WebIdentity => {
                match WebIdentity::from_environment(builder.provider, &builder.environment)? {
                    None => Ok(None),
                    Some(identity) => Ok(Some(self.cached(WebIdentityProvider::new(
                        builder.provider,
                        identity,
                        &builder.sts,
                    )?))),
                }
            }
            Source::InstanceMetadata => {
                // alibabacloud-credentials 1.0.12, provider/default.py line 26.
                if builder.provider == Provider::Alibaba
                    && builder
                        .environment
                        .var("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
                        .is_some_and(|value| value.eq_ignore_ascii_case("true"))
                {
                    return Ok(None);
                }
                Ok(Some(self.instance_role(None)?))
            }
            Source::Profile => {
                let Some(files) = builder.environment.profile_files() else {
                    return Ok(None);
                };
                let loaded = files
                    .load_source(builder.provider, builder.profile.as_deref())
                    .map_err(|error| {
                        CredentialsError::failed("profile", "the profile cannot be used", error)
                    })?;
                match loaded {
                    None => Ok(None),
                    Some(ProfileSource::Static(profile)) => {
                        Ok(Some(SharedCredentialsProvider::new(profile.credentials)))
                    }
                    Some(ProfileSource::AssumeRole(profile)) => {
                        let role = AssumeRole {
                            role_arn: profile.role_arn,
                            session_name: profile.session_name,
                            duration_seconds: profile.duration_seconds,
                            policy: profile.policy,
                            external_id: profile.external_id,
                            sts_region: profile.sts_region,
                            vpc: profile
                                .enable_vpc
                                .unwrap_or_else(|| sts::vpc_enabled(&builder.environment)),
                        };
                        let provider = AssumeRoleProvider::new(
                            builder.provider,
                            profile.credentials,
                            role,
                            &builder.sts,
                        )?;
                        Ok(Some(self.cached(provider)))
                    }
                    Some(ProfileSource::InstanceRole(profile)) => {
                        Ok(Some(self.instance_role(profile.role_name)?))
                    }
                    Some(ProfileSource::Oidc(profile)) => {
                        let identity = WebIdentity {
                            role_arn: profile.role_arn,
                            identity_provider: profile.oidc_provider_arn,
                            token_file: profile.oidc_token_file,
                            session_name: profile.session_name,
                            duration_seconds: profile.duration_seconds,
                            policy: profile.policy,
                            sts_region: profile.sts_region,
                            vpc: profile
                                .enable_vpc
                                .unwrap_or_else(|| sts::vpc_enabled(&builder.environment)),
                        };
                        Ok(Some(self.cached(WebIdentityProvider::new(
                            builder.provider,
                            identity,
                            &builder.sts,
                        )?)))
                    }
                    Some(_) => Err(CredentialsError::NotLoaded {
                        provider: "profile",
                        reason: "a profile source this version does not know".to_owned(),
                    }),
                }
            }
        }
    }

    /// The instance-role provider, cached.
    fn instance_role(
        &self,
        role: Option<String>,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        let environment = &self.builder.environment;
        let alibaba = self.builder.provider == Provider::Alibaba;
        // alibabacloud-credentials 1.0.12, utils/auth_util.py lines 12-14.
        let role = role.or_else(|| {
            alibaba
                .then(|| environment.var("ALIBABA_CLOUD_ECS_METADATA"))
                .flatten()
        });
        let v1_disabled = alibaba
            && environment
                .var("ALIBABA_CLOUD_IMDSV1_DISABLED")
                .is_some_and(|value| value.eq_ignore_ascii_case("true"));
        let provider = InstanceRoleProvider::new(
            self.builder.provider,
            role,
            self.builder.imds_endpoint.clone(),
        )?
        .with_imds_v1_disabled(v1_disabled);
        Ok(self.cached(provider))
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let mut chosen = self.chosen.lock().await;
        if let Some((_, provider)) = chosen.as_ref() {
            let provider = provider.clone();
            drop(chosen);
            return provider.provide_credentials().await;
        }
        let mut skipped = Vec::new();
        for &source in &self.builder.order {
            let Some(provider) = self.resolve(source)? else {
                skipped.push(format!("{source:?}"));
                continue;
            };
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(?source, "credentials from the chain");
                    *chosen = Some((source, provider));
                    return Ok(credentials);
                }
                Err(error) if error.is_not_loaded() => skipped.push(format!("{source:?}")),
                Err(error) => return Err(error),
            }
        }
        Err(CredentialsError::NotLoaded {
            provider: "credentials chain",
            reason: format!(
                "no source is configured (tried: {})",
                if skipped.is_empty() {
                    "none".to_owned()
                } else {
                    skipped.join(", ")
                }
            ),
        })
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.get())
    }
}

/// A shared clock as a [`cloudspec_runtime::credentials::TimeSource`].
#[derive(Debug)]
struct ClockRef(SharedTimeSource);

impl cloudspec_runtime::credentials::TimeSource for ClockRef {
    fn now(&self) -> std::time::SystemTime {
        self.0.now()
    }
}
