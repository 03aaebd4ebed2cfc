//! The environment variables each cloud provider's own tools read for credentials and
//! region, as one table: `cloudspec-runtime` reads them (`Credentials::from_env`,
//! `Config::from_env`) and `cloudspec-codegen` lists them on every generated crate's front
//! page, so the two never disagree.
//!
//! | provider | access key id | secret | session token | region |
//! | --- | --- | --- | --- | --- |
//! | Alibaba Cloud | `ALIBABA_CLOUD_ACCESS_KEY_ID`, else `ALICLOUD_ACCESS_KEY` | `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, else `ALICLOUD_SECRET_KEY` | `ALIBABA_CLOUD_SECURITY_TOKEN`, else `ALICLOUD_SECURITY_TOKEN` | none |
//! | Tencent Cloud | `TENCENTCLOUD_SECRET_ID` | `TENCENTCLOUD_SECRET_KEY` | `TENCENTCLOUD_SESSION_TOKEN` | `TENCENTCLOUD_REGION` |
//! | Baidu AI Cloud | `BAIDUBCE_ACCESS_KEY_ID`, else `BCE_ACCESS_KEY_ID` | `BAIDUBCE_SECRET_ACCESS_KEY`, else `BCE_SECRET_ACCESS_KEY` | `BAIDUBCE_SESSION_TOKEN`, else `BCE_SESSION_TOKEN` | none |
//!
//! The Tencent region variable is tccli 3.1.189.1's (`tccli/options_define.py`, `ENV_REGION`);
//! Alibaba's and Baidu's pinned tools read none.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// A cloud provider, as this table knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Alibaba Cloud.
    Alibaba,
    /// Tencent Cloud.
    Tencent,
    /// Baidu AI Cloud.
    Baidu,
}

/// One set of credential variables: the access key id's, the secret's and the session
/// token's (`None`: the set has no token variable).
pub type CredentialVars = (&'static str, &'static str, Option<&'static str>);

/// The credential variables of `provider`, in the order they are tried (module docs).
pub fn credential_vars(provider: Provider) -> &'static [CredentialVars] {
    match provider {
        Provider::Alibaba => &[
            (
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                Some("ALIBABA_CLOUD_SECURITY_TOKEN"),
            ),
            (
                "ALICLOUD_ACCESS_KEY",
                "ALICLOUD_SECRET_KEY",
                Some("ALICLOUD_SECURITY_TOKEN"),
            ),
        ],
        Provider::Tencent => &[(
            "TENCENTCLOUD_SECRET_ID",
            "TENCENTCLOUD_SECRET_KEY",
            Some("TENCENTCLOUD_SESSION_TOKEN"),
        )],
        Provider::Baidu => &[
            (
                "BAIDUBCE_ACCESS_KEY_ID",
                "BAIDUBCE_SECRET_ACCESS_KEY",
                Some("BAIDUBCE_SESSION_TOKEN"),
            ),
            (
                "BCE_ACCESS_KEY_ID",
                "BCE_SECRET_ACCESS_KEY",
                Some("BCE_SESSION_TOKEN"),
            ),
        ],
    }
}

/// The variables that set the region for `provider`, in the order read (module docs).
pub fn region_vars(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Tencent => &["TENCENTCLOUD_REGION"],
        Provider::Alibaba | Provider::Baidu => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_has_a_first_set_with_a_token_and_no_name_twice() {
        let mut seen = std::collections::HashSet::new();
        for provider in [Provider::Alibaba, Provider::Tencent, Provider::Baidu] {
            let sets = credential_vars(provider);
            assert!(
                sets.first().is_some_and(|set| set.2.is_some()),
                "{provider:?}"
            );
            for (id, secret, token) in sets {
                for name in [Some(*id), Some(*secret), *token].into_iter().flatten() {
                    assert!(seen.insert(name), "{name} is listed twice");
                }
            }
            for name in region_vars(provider) {
                assert!(seen.insert(name), "{name} is listed twice");
            }
        }
    }
}
