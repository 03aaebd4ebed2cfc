//! Instance-metadata role credentials: the Alibaba ECS RAM role and the Tencent CVM CAM
//! role, read from the instance's metadata service through the clients generated from
//! `specs/alibaba-metadata.yaml` and `specs/tencent-metadata.yaml`, in the order the
//! official SDKs read them:
//!
//! - Alibaba (alibabacloud-credentials 1.0.12, `provider/ecs_ram_role.py`):
//!   `GetMetadataToken` with a lifetime of 21600 s (lines 24, 128-146; without a token it
//!   reads without one, IMDSv1, unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`), the role name
//!   from `GetRamRoleName` unless given (`ALIBABA_CLOUD_ECS_METADATA` or the profile's
//!   `ram_role_name`, line 44), then `GetRamRoleCredentials`: `Code` must be `Success`
//!   (lines 205-224).
//! - Tencent (tencentcloud-sdk-python-common 3.1.195, `tencentcloud/common/credential.py`,
//!   `CVMRoleCredential`): the role name from `GetCamRoleName` unless given, then
//!   `GetCamRoleCredentials`, `Code` `Success` (lines 126-165).
//!
//! The SDK waits 1 s to connect and 1 s to read (`ecs_ram_role.py` lines 25-26), and so do
//! these clients, without retries: off an instance nothing answers, and the chain moves on.

use std::time::Duration;

use cloudspec_alibaba_metadata::operation::get_metadata_token::GetMetadataTokenInput;
use cloudspec_alibaba_metadata::operation::get_ram_role_credentials::{
    GetRamRoleCredentialsInput, GetRamRoleCredentialsOutput,
};
use cloudspec_alibaba_metadata::operation::get_ram_role_name::{
    GetRamRoleNameError, GetRamRoleNameInput,
};
use cloudspec_runtime::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use cloudspec_runtime::{Config, Credentials, Provider, RetryConfig, SdkError, Timeouts};
use cloudspec_tencent_metadata::operation::get_cam_role_credentials::{
    GetCamRoleCredentialsInput, GetCamRoleCredentialsOutput,
};
use cloudspec_tencent_metadata::operation::get_cam_role_name::{
    GetCamRoleNameError, GetCamRoleNameInput,
};

use crate::answer;

const NAME: &str = "instance-metadata";

/// `EcsRamRoleCredentialsProvider.DEFAULT_METADATA_TOKEN_DURATION` (line 24).
const TOKEN_TTL_SECONDS: i64 = 21600;

/// The metadata service's client: one generated crate per provider.
#[derive(Debug)]
enum MetadataClient {
    Alibaba(cloudspec_alibaba_metadata::Client),
    Tencent(cloudspec_tencent_metadata::Client),
}

/// Reads the instance's role credentials from its metadata service, each time it is asked
/// (the chain caches them).
#[derive(Debug)]
pub struct InstanceRoleProvider {
    client: MetadataClient,
    role: Option<String>,
    imds_v1_disabled: bool,
}

impl InstanceRoleProvider {
    /// `provider`'s instance role `role` (`None`: the one the metadata service names), from
    /// `endpoint` (`None`: the provider's metadata host from its spec; tests give
    /// `http://127.0.0.1:PORT`).
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotLoaded`] for Baidu, which has no such role here;
    /// [`CredentialsError::ProviderFailed`] when the client cannot be built (a bad
    /// endpoint).
    pub fn new(
        provider: Provider,
        role: Option<String>,
        endpoint: Option<String>,
    ) -> Result<Self, CredentialsError> {
        let mut config = Config::without_credentials()
            .with_retry(RetryConfig::disabled())
            .with_timeouts(Timeouts {
                connect: Duration::from_secs(1),
                attempt: Duration::from_secs(2),
                total: Duration::from_secs(2),
            });
        if let Some(endpoint) = endpoint {
            config = config.with_endpoint(endpoint);
        }
        let build_error = |error: cloudspec_runtime::ConfigError| {
            CredentialsError::failed(NAME, "cannot build the metadata client", error)
        };
        let client = match provider {
            Provider::Alibaba => MetadataClient::Alibaba(
                cloudspec_alibaba_metadata::Client::new(config).map_err(build_error)?,
            ),
            Provider::Tencent => MetadataClient::Tencent(
                cloudspec_tencent_metadata::Client::new(config).map_err(build_error)?,
            ),
            Provider::Baidu => {
                return Err(CredentialsError::NotLoaded {
                    provider: NAME,
                    reason: "Baidu AI Cloud has no instance role here".to_owned(),
                });
            }
        };
        Ok(Self {
            client,
            role,
            imds_v1_disabled: false,
        })
    }

    /// Refuses to read without an IMDSv2 token (`ALIBABA_CLOUD_IMDSV1_DISABLED=true`).
    pub fn with_imds_v1_disabled(mut self, disabled: bool) -> Self {
        self.imds_v1_disabled = disabled;
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        match &self.client {
            MetadataClient::Alibaba(client) => self.fetch_alibaba(client).await,
            MetadataClient::Tencent(client) => self.fetch_tencent(client).await,
        }
    }

    /// A session token, or `None` to read without one (IMDSv1) when that is allowed.
    async fn alibaba_token(
        &self,
        client: &cloudspec_alibaba_metadata::Client,
    ) -> Result<Option<String>, CredentialsError> {
        let answer = client
            .get_metadata_token(GetMetadataTokenInput::new(TOKEN_TTL_SECONDS))
            .await;
        match answer.ok().and_then(|output| output.token) {
            Some(token) if !token.is_empty() => Ok(Some(token)),
            _ if self.imds_v1_disabled => Err(CredentialsError::InvalidResponse {
                provider: NAME,
                reason: "no metadata token, and IMDSv1 is disabled".to_owned(),
            }),
            _ => Ok(None),
        }
    }

    async fn fetch_alibaba(
        &self,
        client: &cloudspec_alibaba_metadata::Client,
    ) -> Result<Credentials, CredentialsError> {
        let token = self.alibaba_token(client).await?;
        let role = match &self.role {
            Some(role) => role.clone(),
            None => {
                let mut input = GetRamRoleNameInput::new();
                if let Some(token) = &token {
                    input = input.with_metadata_token(token.clone());
                }
                let answer = client.get_ram_role_name(input).await;
                let no_role = matches!(
                    &answer,
                    Err(SdkError::Service(GetRamRoleNameError::NoRole(_)))
                );
                role_name(answer.map(|output| output.role_name), no_role)?
            }
        };
        let mut input = GetRamRoleCredentialsInput::new(role);
        if let Some(token) = token {
            input = input.with_metadata_token(token);
        }
        let output: GetRamRoleCredentialsOutput = client
            .get_ram_role_credentials(input)
            .await
            .map_err(failure)?;
        success(output.code.as_deref())?;
        let expiration = field(output.expiration, "Expiration")?;
        let expiry = answer::utc_time(NAME, "Expiration", &expiration)?;
        Ok(Credentials::new(
            field(output.access_key_id, "AccessKeyId")?,
            field(output.access_key_secret, "AccessKeySecret")?,
        )
        .with_security_token(field(output.security_token, "SecurityToken")?)
        .with_expiry(expiry))
    }

    async fn fetch_tencent(
        &self,
        client: &cloudspec_tencent_metadata::Client,
    ) -> Result<Credentials, CredentialsError> {
        let role = match &self.role {
            Some(role) => role.clone(),
            None => {
                let answer = client.get_cam_role_name(GetCamRoleNameInput::new()).await;
                let no_role = matches!(
                    &answer,
                    Err(SdkError::Service(GetCamRoleNameError::NoRole(_)))
                );
                role_name(answer.map(|output| output.role_name), no_role)?
            }
        };
        let output: GetCamRoleCredentialsOutput = client
            .get_cam_role_credentials(GetCamRoleCredentialsInput::new(role))
            .await
            .map_err(failure)?;
        success(output.code.as_deref())?;
        let expired = output
            .expired_time
            .ok_or_else(|| answer::missing(NAME, "ExpiredTime"))?;
        Ok(Credentials::new(
            field(output.tmp_secret_id, "TmpSecretId")?,
            field(output.tmp_secret_key, "TmpSecretKey")?,
        )
        .with_security_token(field(output.token, "Token")?)
        .with_expiry(answer::unix_seconds(NAME, expired)?))
    }
}

/// The role name a role-name answer gives: trimmed, one path segment. An instance without
/// a role (`no_role`) has no credentials here, and the chain goes on.
fn role_name<E: std::error::Error + Send + Sync + 'static>(
    answer: Result<Option<String>, SdkError<E>>,
    no_role: bool,
) -> Result<String, CredentialsError> {
    if no_role {
        return Err(CredentialsError::NotLoaded {
            provider: NAME,
            reason: "the instance has no role".to_owned(),
        });
    }
    let role = answer
        .map_err(failure)?
        .unwrap_or_default()
        .trim()
        .to_owned();
    if role.is_empty() || role.contains('/') {
        return Err(CredentialsError::InvalidResponse {
            provider: NAME,
            reason: "the metadata service names no usable role".to_owned(),
        });
    }
    Ok(role)
}

/// A failed call: nothing answered (not on an instance, so the source is not configured),
/// or the service answered with an error.
fn failure<E: std::error::Error + Send + Sync + 'static>(error: SdkError<E>) -> CredentialsError {
    match error {
        SdkError::Transport { source, .. } => CredentialsError::NotLoaded {
            provider: NAME,
            reason: format!("no metadata service answered ({})", transport_kind(&source)),
        },
        SdkError::Service(error) => CredentialsError::InvalidResponse {
            provider: NAME,
            reason: format!("the metadata service refused: {error}"),
        },
        other => CredentialsError::failed(NAME, "the metadata call failed", other),
    }
}

/// The kind of a transport failure, without its URL.
fn transport_kind(error: &cloudspec_runtime::TransportError) -> &'static str {
    match error {
        cloudspec_runtime::TransportError::Timeout(_) => "timed out",
        cloudspec_runtime::TransportError::Http(error) if error.is_connect() => "cannot connect",
        cloudspec_runtime::TransportError::Http(error) if error.is_timeout() => "timed out",
        _ => "request failed",
    }
}

/// `Code` must be `Success` (both SDKs check it).
fn success(code: Option<&str>) -> Result<(), CredentialsError> {
    if code == Some("Success") {
        Ok(())
    } else {
        Err(CredentialsError::InvalidResponse {
            provider: NAME,
            reason: "the role credentials' `Code` is not `Success`".to_owned(),
        })
    }
}

/// A text field the answer must carry.
fn field(value: Option<String>, name: &str) -> Result<String, CredentialsError> {
    value
        .filter(|text| !text.is_empty())
        .ok_or_else(|| answer::missing(NAME, name))
}

impl ProvideCredentials for InstanceRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
