//! STS AssumeRole through the generated clients (`cloudspec-alibaba-sts`,
//! `cloudspec-tencent-sts`): long-lived keys in, temporary credentials with an expiry out.

use crate::answer;

use cloudspec_runtime::credentials::{
    CredentialsError, ProvideCredentials, ProvideFuture, SharedTimeSource,
};
use cloudspec_runtime::{Config, Credentials, Provider, RetryConfig};

/// The provider name in errors and logs.
const NAME: &str = "sts-assume-role";

/// The region tencentcloud-sdk-python's STSAssumeRoleCredential sends AssumeRole with
/// (tencentcloud-sdk-python-common 3.1.195, `tencentcloud/common/credential.py` line 192,
/// `_region = "ap-guangzhou"`), used when no STS region is given.
pub const TENCENT_DEFAULT_STS_REGION: &str = "ap-guangzhou";

/// Which role to assume, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssumeRole {
    /// The role (Alibaba `acs:ram::<account>:role/<name>`, Tencent
    /// `qcs::cam::uin/<account>:roleName/<name>`).
    pub role_arn: String,
    /// The session name; default `cloudspec-<unix seconds>` (the SDKs make one up the same
    /// way: alibabacloud-credentials 1.0.12 `ram_role_arn.py` line 62).
    pub session_name: Option<String>,
    /// The lifetime asked for, in seconds; default: the service's (the spec's
    /// `default_duration_seconds`, what the SDKs send: 3600 Alibaba, 7200 Tencent).
    pub duration_seconds: Option<u64>,
    /// A policy narrowing the role (Alibaba only).
    pub policy: Option<String>,
    /// The role's external id (Alibaba only).
    pub external_id: Option<String>,
    /// The STS region: Alibaba `sts.<region>.aliyuncs.com` (else `sts.aliyuncs.com`),
    /// Tencent `X-TC-Region` (else [`TENCENT_DEFAULT_STS_REGION`]).
    pub sts_region: Option<String>,
    /// Alibaba only: call the VPC endpoint of the STS region (`sts-vpc.<region>.aliyuncs.com`,
    /// the spec's `endpoints.vpc`), as `enable_vpc` or `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`
    /// asks alibabacloud-credentials 1.0.12 (`provider/ram_role_arn.py` lines 70-82); without
    /// an STS region the global host is used, as there.
    pub vpc: bool,
}

impl AssumeRole {
    /// The role `role_arn`, everything else default.
    pub fn new(role_arn: impl Into<String>) -> Self {
        Self {
            role_arn: role_arn.into(),
            ..Self::default()
        }
    }
}

/// Where STS calls go and which clock signs them (tests point both at an emulator).
#[derive(Debug, Clone, Default)]
pub struct StsOptions {
    /// An endpoint override (`http://127.0.0.1:PORT`) instead of the STS host.
    pub endpoint: Option<String>,
    /// The clock of signature timestamps, if not the system clock.
    pub time_source: Option<SharedTimeSource>,
}

impl StsOptions {
    /// `config` with these options' endpoint and clock.
    pub(crate) fn apply(&self, mut config: Config) -> Config {
        if let Some(endpoint) = &self.endpoint {
            config = config.with_endpoint(endpoint);
        }
        if let Some(clock) = &self.time_source {
            config = config.with_time_source(clock.clone());
        }
        config
    }
}

/// `config` for Alibaba STS in `region`: `sts.<region>.aliyuncs.com`, or with `vpc` the
/// spec's VPC host of that region (an endpoint override in `options` wins over both).
fn alibaba_sts_region(
    mut config: Config,
    region: Option<&str>,
    vpc: bool,
    options: &StsOptions,
) -> Config {
    let Some(region) = region else {
        return config;
    };
    config = config.with_region(region);
    if vpc
        && options.endpoint.is_none()
        && let Some(host) = cloudspec_alibaba_sts::SERVICE.endpoints.vpc_host(region)
    {
        config = config.with_endpoint(format!("https://{host}"));
    }
    config
}

/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true` (alibabacloud-credentials 1.0.12,
/// `utils/auth_util.py` line 28, read as `.lower() == 'true'` in `provider/oidc.py` line 77).
pub(crate) fn vpc_enabled(environment: &crate::Environment) -> bool {
    environment
        .var("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED")
        .is_some_and(|value| value.eq_ignore_ascii_case("true"))
}

/// `name`, else `cloudspec-<unix seconds>` (the SDKs make one up the same way:
/// alibabacloud-credentials 1.0.12 `ram_role_arn.py` line 62).
pub(crate) fn session_name_or_default(name: Option<&str>) -> String {
    name.map(str::to_owned)
        .unwrap_or_else(|| format!("cloudspec-{}", jiff::Timestamp::now().as_second()))
}

/// The generated STS client of a provider, built for its STS region: what AssumeRole and
/// the web-identity calls both go through.
#[derive(Debug)]
pub(crate) enum StsClient {
    Alibaba(cloudspec_alibaba_sts::Client),
    Tencent(cloudspec_tencent_sts::Client),
}

impl StsClient {
    /// `provider`'s STS client over `config` (its credentials: a base provider, or none for
    /// the unsigned calls), with retries, `options`' endpoint and clock, and the STS region:
    /// Alibaba `sts.<region>` or with `vpc` its VPC host ([`alibaba_sts_region`]), Tencent
    /// `X-TC-Region` (else [`TENCENT_DEFAULT_STS_REGION`]). `name` is the caller's provider
    /// name for errors.
    pub(crate) fn new(
        name: &'static str,
        provider: Provider,
        config: Config,
        sts_region: Option<&str>,
        vpc: bool,
        options: &StsOptions,
    ) -> Result<Self, CredentialsError> {
        let config = options.apply(config.with_retry(RetryConfig::default()));
        let build_error = |error: cloudspec_runtime::ConfigError| {
            CredentialsError::failed(name, "cannot build the STS client", error)
        };
        match provider {
            Provider::Alibaba => {
                let config = alibaba_sts_region(config, sts_region, vpc, options);
                Ok(StsClient::Alibaba(
                    cloudspec_alibaba_sts::Client::new(config).map_err(build_error)?,
                ))
            }
            Provider::Tencent => {
                let region = sts_region.unwrap_or(TENCENT_DEFAULT_STS_REGION);
                Ok(StsClient::Tencent(
                    cloudspec_tencent_sts::Client::new(config.with_region(region))
                        .map_err(build_error)?,
                ))
            }
            Provider::Baidu => Err(CredentialsError::NotLoaded {
                provider: name,
                reason: "Baidu AI Cloud has no STS spec here".to_owned(),
            }),
        }
    }
}

/// A lifetime in seconds as the STS inputs take it (`DurationSeconds`, an `i64`).
pub(crate) fn lifetime(seconds: Option<u64>) -> Option<i64> {
    seconds.map(|seconds| i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// Calls STS AssumeRole each time it is asked (wrap it in a
/// [`CredentialsCache`](cloudspec_runtime::CredentialsCache) to reuse its answers until
/// shortly before they expire; the chain does).
#[derive(Debug)]
pub struct AssumeRoleProvider {
    role: AssumeRole,
    client: StsClient,
}

impl AssumeRoleProvider {
    /// A provider of `provider`'s role `role`, signing AssumeRole with `base`.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::ProviderFailed`] for a provider without STS here (Baidu) or a
    /// client that cannot be built (a bad endpoint override).
    pub fn new(
        provider: Provider,
        base: impl ProvideCredentials + 'static,
        role: AssumeRole,
        options: &StsOptions,
    ) -> Result<Self, CredentialsError> {
        let client = StsClient::new(
            NAME,
            provider,
            Config::from_credentials_provider(base),
            role.sts_region.as_deref(),
            role.vpc,
            options,
        )?;
        Ok(Self { role, client })
    }

    fn session_name(&self) -> String {
        session_name_or_default(self.role.session_name.as_deref())
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let context = || format!("AssumeRole of `{}` failed", self.role.role_arn);
        match &self.client {
            StsClient::Alibaba(client) => {
                use cloudspec_alibaba_sts::operation::assume_role::AssumeRoleInput;
                let mut input = AssumeRoleInput::new(&self.role.role_arn, self.session_name());
                input.duration_seconds = lifetime(self.role.duration_seconds);
                input.policy = self.role.policy.clone();
                input.external_id = self.role.external_id.clone();
                let output = client
                    .assume_role(input)
                    .await
                    .map_err(|error| CredentialsError::failed(NAME, context(), error))?;
                alibaba_credentials(NAME, output.credentials)
            }
            StsClient::Tencent(client) => {
                use cloudspec_tencent_sts::operation::assume_role::AssumeRoleInput;
                let mut input = AssumeRoleInput::new(&self.role.role_arn, self.session_name());
                input.duration_seconds = lifetime(self.role.duration_seconds);
                let output = client
                    .assume_role(input)
                    .await
                    .map_err(|error| CredentialsError::failed(NAME, context(), error))?;
                tencent_credentials(NAME, output.credentials, output.expired_time)
            }
        }
    }
}

/// The credentials of an Alibaba STS answer (AssumeRole, AssumeRoleWithOIDC: one
/// `Credentials` structure in specs/alibaba-sts.yaml), read as alibabacloud-credentials
/// reads them; `name` is the provider's name for errors.
pub(crate) fn alibaba_credentials(
    name: &'static str,
    given: Option<cloudspec_alibaba_sts::types::AssumedCredentials>,
) -> Result<Credentials, CredentialsError> {
    let given = given.ok_or_else(|| answer::missing(name, "Credentials"))?;
    let expiration = given
        .expiration
        .ok_or_else(|| answer::missing(name, "Credentials.Expiration"))?;
    let expiry = answer::utc_time(name, "Credentials.Expiration", &expiration)?;
    Ok(Credentials::new(
        given
            .access_key_id
            .ok_or_else(|| answer::missing(name, "Credentials.AccessKeyId"))?,
        given
            .access_key_secret
            .ok_or_else(|| answer::missing(name, "Credentials.AccessKeySecret"))?,
    )
    .with_security_token(
        given
            .security_token
            .ok_or_else(|| answer::missing(name, "Credentials.SecurityToken"))?,
    )
    .with_expiry(expiry))
}

/// The credentials of a Tencent STS answer (AssumeRole, AssumeRoleWithWebIdentity: one
/// `Credentials` structure in specs/tencent-sts.yaml, expiry in `ExpiredTime`), read as
/// tencentcloud-sdk-python reads them.
pub(crate) fn tencent_credentials(
    name: &'static str,
    given: Option<cloudspec_tencent_sts::types::TemporaryCredentials>,
    expired_time: Option<i64>,
) -> Result<Credentials, CredentialsError> {
    let given = given.ok_or_else(|| answer::missing(name, "Credentials"))?;
    let expired = expired_time.ok_or_else(|| answer::missing(name, "ExpiredTime"))?;
    let expiry = answer::unix_seconds(name, expired)?;
    Ok(Credentials::new(
        given
            .tmp_secret_id
            .ok_or_else(|| answer::missing(name, "Credentials.TmpSecretId"))?,
        given
            .tmp_secret_key
            .ok_or_else(|| answer::missing(name, "Credentials.TmpSecretKey"))?,
    )
    .with_security_token(
        given
            .token
            .ok_or_else(|| answer::missing(name, "Credentials.Token"))?,
    )
    .with_expiry(expiry))
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.assume())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vpc_endpoint_is_the_specs_template_for_the_sts_region_and_an_override_wins() {
        let options = StsOptions::default();
        let vpc = alibaba_sts_region(
            Config::without_credentials(),
            Some("cn-shanghai"),
            true,
            &options,
        );
        assert_eq!(
            vpc.endpoint(),
            Some("https://sts-vpc.cn-shanghai.aliyuncs.com")
        );
        assert_eq!(vpc.region(), Some("cn-shanghai"));
        let public = alibaba_sts_region(
            Config::without_credentials(),
            Some("cn-shanghai"),
            false,
            &options,
        );
        assert_eq!(
            public.endpoint(),
            None,
            "the spec's regional host, chosen by the client"
        );
        let global = alibaba_sts_region(Config::without_credentials(), None, true, &options);
        assert_eq!(
            (global.endpoint(), global.region()),
            (None, None),
            "no STS region: the global host, as the SDK does"
        );
        let local = StsOptions {
            endpoint: Some("http://127.0.0.1:9".to_owned()),
            time_source: None,
        };
        let overridden = alibaba_sts_region(
            Config::without_credentials().with_endpoint("http://127.0.0.1:9"),
            Some("cn-shanghai"),
            true,
            &local,
        );
        assert_eq!(overridden.endpoint(), Some("http://127.0.0.1:9"));
    }
}
