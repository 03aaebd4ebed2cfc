//! Instance-metadata role credentials: the Alibaba ECS RAM role and the Tencent CVM CAM
//! role, read from the instance's metadata service as the official SDKs read them.
//!
//! - Alibaba (alibabacloud-credentials 1.0.12, `provider/ecs_ram_role.py`): `PUT
//!   /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds: 21600` (lines 129-146;
//!   without a token it falls back to IMDSv1 unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`),
//!   the role name from `GET /latest/meta-data/ram/security-credentials/` unless given
//!   (`ALIBABA_CLOUD_ECS_METADATA` or the profile's `ram_role_name`, line 44), then
//!   `GET /latest/meta-data/ram/security-credentials/<role>` with
//!   `X-aliyun-ecs-metadata-token` (lines 85-92, 191-196): `Code` must be `Success`, and
//!   `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration` (lines 206-224). Host
//!   `100.100.100.200` (line 41).
//! - Tencent (tencentcloud-sdk-python-common 3.1.195, `tencentcloud/common/credential.py`,
//!   `CVMRoleCredential`): `http://metadata.tencentyun.com/latest/meta-data/` +
//!   `cam/security-credentials/` (lines 85-86), the role name as that path's body (lines
//!   126-135), then `.../<role>` with `Code` `Success`, `TmpSecretId`, `TmpSecretKey`,
//!   `Token`, `ExpiredTime` (lines 150-159).

use crate::answer;
use std::time::Duration;

use cloudspec_runtime::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use cloudspec_runtime::{Credentials, Provider};

const NAME: &str = "instance-metadata";

/// The Alibaba ECS metadata service (`ecs_ram_role.py` line 41).
pub const ALIBABA_ENDPOINT: &str = "http://100.100.100.200";
/// The Tencent CVM metadata service (`credential.py` line 85).
pub const TENCENT_ENDPOINT: &str = "http://metadata.tencentyun.com";

const ALIBABA_ROLES: &str = "/latest/meta-data/ram/security-credentials/";
const ALIBABA_TOKEN: &str = "/latest/api/token";
const TENCENT_ROLES: &str = "/latest/meta-data/cam/security-credentials/";
/// `EcsRamRoleCredentialsProvider.DEFAULT_METADATA_TOKEN_DURATION` (line 24).
const TOKEN_TTL_SECONDS: &str = "21600";

/// Reads the instance's role credentials from its metadata service, each time it is asked
/// (the chain caches them).
#[derive(Debug)]
pub struct InstanceRoleProvider {
    provider: Provider,
    endpoint: String,
    role: Option<String>,
    imds_v1_disabled: bool,
    http: reqwest::Client,
}

impl InstanceRoleProvider {
    /// `provider`'s instance role `role` (`None`: the one the metadata service names), from
    /// `endpoint` (`None`: the provider's metadata host; tests give `http://127.0.0.1:PORT`).
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotLoaded`] for Baidu, which has no such role here;
    /// [`CredentialsError::ProviderFailed`] when the HTTP client cannot be built.
    pub fn new(
        provider: Provider,
        role: Option<String>,
        endpoint: Option<String>,
    ) -> Result<Self, CredentialsError> {
        let endpoint = match (endpoint, provider) {
            (Some(endpoint), _) => endpoint,
            (None, Provider::Alibaba) => ALIBABA_ENDPOINT.to_owned(),
            (None, Provider::Tencent) => TENCENT_ENDPOINT.to_owned(),
            (None, Provider::Baidu) => {
                return Err(CredentialsError::NotLoaded {
                    provider: NAME,
                    reason: "Baidu AI Cloud has no instance role here".to_owned(),
                });
            }
        };
        // alibabacloud-credentials waits 1 s to connect and 1 s to read (lines 25-26).
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(2))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| {
                CredentialsError::failed(NAME, "cannot build the HTTP client", error)
            })?;
        Ok(Self {
            provider,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            role,
            imds_v1_disabled: false,
            http,
        })
    }

    /// Refuses to read without an IMDSv2 token (`ALIBABA_CLOUD_IMDSV1_DISABLED=true`).
    pub fn with_imds_v1_disabled(mut self, disabled: bool) -> Self {
        self.imds_v1_disabled = disabled;
        self
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<String, CredentialsError> {
        let mut request = self.http.get(format!("{}{path}", self.endpoint));
        if let Some(token) = token {
            request = request.header("X-aliyun-ecs-metadata-token", token);
        }
        let response = request.send().await.map_err(unreachable_service)?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|error| CredentialsError::failed(NAME, "cannot read the answer", error))?;
        if status == reqwest::StatusCode::NOT_FOUND && path.ends_with('/') {
            return Err(CredentialsError::NotLoaded {
                provider: NAME,
                reason: "the instance has no role".to_owned(),
            });
        }
        if !status.is_success() {
            return Err(CredentialsError::InvalidResponse {
                provider: NAME,
                reason: format!("the metadata service answered HTTP {}", status.as_u16()),
            });
        }
        Ok(body)
    }

    async fn token(&self) -> Result<Option<String>, CredentialsError> {
        let answer = self
            .http
            .put(format!("{}{ALIBABA_TOKEN}", self.endpoint))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
            .send()
            .await;
        let token = match answer {
            Ok(response) if response.status().is_success() => response.text().await.ok(),
            _ => None,
        };
        match token {
            Some(token) if !token.is_empty() => Ok(Some(token)),
            _ if self.imds_v1_disabled => Err(CredentialsError::InvalidResponse {
                provider: NAME,
                reason: "no metadata token, and IMDSv1 is disabled".to_owned(),
            }),
            _ => Ok(None),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let (roles, token) = match self.provider {
            Provider::Tencent => (TENCENT_ROLES, None),
            _ => (ALIBABA_ROLES, self.token().await?),
        };
        let role = match &self.role {
            Some(role) => role.clone(),
            None => self.get(roles, token.as_deref()).await?.trim().to_owned(),
        };
        if role.is_empty() || role.contains('/') {
            return Err(CredentialsError::InvalidResponse {
                provider: NAME,
                reason: "the metadata service names no usable role".to_owned(),
            });
        }
        let body = self
            .get(&format!("{roles}{role}"), token.as_deref())
            .await?;
        let value: serde_json::Value =
            serde_json::from_str(&body).map_err(|_| CredentialsError::InvalidResponse {
                provider: NAME,
                reason: "the role credentials are not JSON".to_owned(),
            })?;
        let field = |name: &str| {
            value
                .get(name)
                .and_then(serde_json::Value::as_str)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| answer::missing(NAME, name))
        };
        if value.get("Code").and_then(serde_json::Value::as_str) != Some("Success") {
            return Err(CredentialsError::InvalidResponse {
                provider: NAME,
                reason: "the role credentials' `Code` is not `Success`".to_owned(),
            });
        }
        match self.provider {
            Provider::Tencent => {
                let expired = value
                    .get("ExpiredTime")
                    .and_then(serde_json::Value::as_i64)
                    .ok_or_else(|| answer::missing(NAME, "ExpiredTime"))?;
                Ok(
                    Credentials::new(field("TmpSecretId")?, field("TmpSecretKey")?)
                        .with_security_token(field("Token")?)
                        .with_expiry(answer::unix_seconds(NAME, expired)?),
                )
            }
            _ => {
                let expiration = field("Expiration")?;
                let expiry = answer::utc_time(NAME, "Expiration", &expiration)?;
                Ok(
                    Credentials::new(field("AccessKeyId")?, field("AccessKeySecret")?)
                        .with_security_token(field("SecurityToken")?)
                        .with_expiry(expiry),
                )
            }
        }
    }
}

/// No metadata service answered: not on an instance, so the source is not configured.
fn unreachable_service(error: reqwest::Error) -> CredentialsError {
    CredentialsError::NotLoaded {
        provider: NAME,
        reason: format!("no metadata service answered ({})", without_url(&error)),
    }
}

/// The error's kind, without a URL.
fn without_url(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    }
}

impl ProvideCredentials for InstanceRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
