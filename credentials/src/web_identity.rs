//! OIDC web identity: a workload's identity token exchanged for a role's temporary
//! credentials, by an STS call sent unsigned (the token is the proof): Alibaba
//! `AssumeRoleWithOIDC` (ACK RRSA) and Tencent `AssumeRoleWithWebIdentity` (TKE), through the
//! generated clients (`auth: anonymous` in `specs/alibaba-sts.yaml` and
//! `specs/tencent-sts.yaml`).
//!
//! The token is read from its file on every call, as both SDKs read it on every refresh (the
//! platform rotates the file): alibabacloud-credentials 1.0.12 `provider/oidc.py` line 104,
//! tencentcloud-sdk-python-common 3.1.195 `tencentcloud/common/credential.py` lines 482-483
//! and 521-522.
//!
//! The variables, as the SDKs read them:
//!
//! | provider | variables | from |
//! | --- | --- | --- |
//! | Alibaba Cloud | `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (all three, else the source is not configured), `ALIBABA_CLOUD_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_STS_REGION` | alibabacloud-credentials 1.0.12, `utils/auth_util.py` lines 18-21, 27 and 30-32 |
//! | Tencent Cloud | `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN` (all four) | tencentcloud-sdk-python-common 3.1.195, `credential.py` lines 508-528 (`_init_from_tke`) |
//!
//! An aliyun profile of mode `OIDC` gives the same facts from `~/.aliyun/config.json`
//! ([`cloudspec_runtime::profile::OidcProfile`]).

use std::path::PathBuf;

use cloudspec_runtime::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use cloudspec_runtime::{Config, Credentials, Provider};

use crate::Environment;
use crate::sts::{StsClient, StsOptions, alibaba_credentials, lifetime, tencent_credentials};

/// The provider name in errors and logs.
const NAME: &str = "web-identity";

/// The Tencent variables, all needed (credential.py lines 509-526).
const TKE_VARIABLES: [&str; 4] = [
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
];

/// Which role to assume with which identity token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentity {
    /// The role (Alibaba `acs:ram::<account>:role/<name>`, Tencent
    /// `qcs::cam::uin/<account>:roleName/<name>`).
    pub role_arn: String,
    /// The identity provider: Alibaba's `OIDCProviderArn`, Tencent's `ProviderId`.
    pub identity_provider: String,
    /// The file holding the token, read again on every call.
    pub token_file: PathBuf,
    /// The session name; default `cloudspec-<unix seconds>`.
    pub session_name: Option<String>,
    /// The lifetime asked for, in seconds; default: the service's (3600 Alibaba, 7200 Tencent).
    pub duration_seconds: Option<u64>,
    /// A policy narrowing the role (Alibaba only).
    pub policy: Option<String>,
    /// The STS region: Alibaba `sts.<region>.aliyuncs.com` (else `sts.aliyuncs.com`), Tencent
    /// `X-TC-Region` (`TKE_REGION`; else [`TENCENT_DEFAULT_STS_REGION`](crate::sts::TENCENT_DEFAULT_STS_REGION)).
    pub sts_region: Option<String>,
    /// Alibaba only: the VPC endpoint of the STS region, as for
    /// [`AssumeRole::vpc`](crate::AssumeRole::vpc) (`provider/oidc.py` lines 71-83).
    pub vpc: bool,
}

impl WebIdentity {
    /// The web identity `environment` configures for `provider` (table above): `None` when
    /// it configures none.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::ProviderFailed`] when only some of Tencent's four variables are
    /// set, naming the missing ones (the SDK refuses them one by one).
    pub fn from_environment(
        provider: Provider,
        environment: &Environment,
    ) -> Result<Option<Self>, CredentialsError> {
        match provider {
            Provider::Alibaba => {
                let (Some(role_arn), Some(identity_provider), Some(token_file)) = (
                    environment.var("ALIBABA_CLOUD_ROLE_ARN"),
                    environment.var("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
                    environment.var("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
                ) else {
                    return Ok(None);
                };
                Ok(Some(Self {
                    role_arn,
                    identity_provider,
                    token_file: PathBuf::from(token_file),
                    session_name: environment.var("ALIBABA_CLOUD_ROLE_SESSION_NAME"),
                    duration_seconds: None,
                    policy: None,
                    sts_region: environment.var("ALIBABA_CLOUD_STS_REGION"),
                    vpc: crate::sts::vpc_enabled(environment),
                }))
            }
            Provider::Tencent => {
                let values = TKE_VARIABLES.map(|name| environment.var(name));
                match values {
                    [None, None, None, None] => Ok(None),
                    [
                        Some(region),
                        Some(identity_provider),
                        Some(token_file),
                        Some(role_arn),
                    ] => Ok(Some(Self {
                        role_arn,
                        identity_provider,
                        token_file: PathBuf::from(token_file),
                        session_name: None,
                        duration_seconds: None,
                        policy: None,
                        sts_region: Some(region),
                        vpc: false,
                    })),
                    _ => {
                        let missing: Vec<&str> = TKE_VARIABLES
                            .iter()
                            .zip(&values)
                            .filter(|(_, value)| value.is_none())
                            .map(|(name, _)| *name)
                            .collect();
                        Err(CredentialsError::failed(
                            NAME,
                            format!(
                                "TKE web identity is half configured: {} not set",
                                missing.join(", ")
                            ),
                            std::io::Error::other("missing variables"),
                        ))
                    }
                }
            }
            Provider::Baidu => Ok(None),
        }
    }
}

/// Reads the identity token and calls STS each time it is asked (the chain caches the
/// answers until shortly before they expire).
#[derive(Debug)]
pub struct WebIdentityProvider {
    identity: WebIdentity,
    client: StsClient,
}

impl WebIdentityProvider {
    /// A provider of `provider`'s role for `identity`. Its STS client has no credentials:
    /// the calls are sent unsigned.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotLoaded`] for Baidu (no STS there);
    /// [`CredentialsError::ProviderFailed`] for a client that cannot be built (a bad
    /// endpoint override).
    pub fn new(
        provider: Provider,
        identity: WebIdentity,
        options: &StsOptions,
    ) -> Result<Self, CredentialsError> {
        let client = StsClient::new(
            NAME,
            provider,
            Config::without_credentials(),
            identity.sts_region.as_deref(),
            identity.vpc,
            options,
        )?;
        Ok(Self { identity, client })
    }

    /// The token, as the file holds it now.
    fn token(&self) -> Result<String, CredentialsError> {
        let path = &self.identity.token_file;
        let token = std::fs::read_to_string(path).map_err(|error| {
            CredentialsError::failed(
                NAME,
                format!("cannot read the identity token file {}", path.display()),
                error,
            )
        })?;
        if token.trim().is_empty() {
            return Err(CredentialsError::failed(
                NAME,
                format!("the identity token file {} is empty", path.display()),
                std::io::Error::other("empty token"),
            ));
        }
        Ok(token)
    }

    fn session_name(&self) -> String {
        crate::sts::session_name_or_default(self.identity.session_name.as_deref())
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token()?;
        let identity = &self.identity;
        let context = || {
            format!(
                "the web identity call for role `{}` failed",
                identity.role_arn
            )
        };
        match &self.client {
            StsClient::Alibaba(client) => {
                use cloudspec_alibaba_sts::operation::assume_role_with_oidc::AssumeRoleWithOidcInput;
                let mut input = AssumeRoleWithOidcInput::new(
                    &identity.role_arn,
                    &identity.identity_provider,
                    token,
                )
                .with_role_session_name(self.session_name());
                input.duration_seconds = lifetime(identity.duration_seconds);
                input.policy = identity.policy.clone();
                let output = client
                    .assume_role_with_oidc(input)
                    .await
                    .map_err(|error| CredentialsError::failed(NAME, context(), error))?;
                alibaba_credentials(NAME, output.credentials)
            }
            StsClient::Tencent(client) => {
                use cloudspec_tencent_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityInput;
                let mut input = AssumeRoleWithWebIdentityInput::new(
                    &identity.identity_provider,
                    token,
                    &identity.role_arn,
                    self.session_name(),
                );
                input.duration_seconds = lifetime(identity.duration_seconds);
                let output = client
                    .assume_role_with_web_identity(input)
                    .await
                    .map_err(|error| CredentialsError::failed(NAME, context(), error))?;
                tencent_credentials(NAME, output.credentials, output.expired_time)
            }
        }
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.assume())
    }
}
