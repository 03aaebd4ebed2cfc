//! How the providers and their CLIs name things: the facts the command uses to catch a
//! habit from another tool. They are data, kept here in one place, because the specs do not
//! carry them yet; they ought to move into the specs (a provider-level region naming rule,
//! and each service's `endpoints.regions`), after which this file goes.

use cloudspec_runtime::Provider;

/// How one provider names its regions.
#[derive(Debug, Clone, Copy)]
pub struct RegionNaming {
    /// The provider.
    pub provider: Provider,
    /// Its name for people.
    pub title: &'static str,
    /// A region it names, for the hint.
    pub example: &'static str,
    /// Whether `region` can only be this provider's (never another's).
    pub only_ours: fn(&str) -> bool,
}

/// The region naming of each provider.
///
/// - Alibaba Cloud: mainland regions are `cn-<city>`: `cn-hangzhou` is the `RegionId` example
///   of the ECS and SWAS documents (`specs/alibaba-*.yaml`), `cn-shanghai` the region of the
///   official V3 signature example (docs/protocols.md).
/// - Tencent Cloud: `<area>-<city>`, and none starts with `cn-`: the DescribeRegions sample
///   answer in `specs/imported/tencent-cvm.yaml` names `ap-beijing`, `ap-guangzhou`,
///   `ap-hongkong`, `ap-shanghai`, `ap-shanghai-fsi`, `ap-shenzhen-fsi`, `ap-singapore`,
///   `na-siliconvalley`. A name like `ap-guangzhou` cannot be told from Alibaba's
///   `ap-southeast-1` by its form alone, so Tencent has no rule of its own.
/// - Baidu AI Cloud: short codes without a hyphen: `bj`, `gz`, `su`, `hkg`, `fwh`, `bd`,
///   `sin`, `fsh` (`specs/baidu-bcc.yaml` `endpoints.regions`, from docs/protocols.md);
///   every Alibaba and Tencent region name above has a hyphen.
pub const REGION_NAMING: &[RegionNaming] = &[
    RegionNaming {
        provider: Provider::Alibaba,
        title: "Alibaba Cloud",
        example: "cn-hangzhou",
        only_ours: |region| region.starts_with("cn-"),
    },
    RegionNaming {
        provider: Provider::Tencent,
        title: "Tencent Cloud",
        example: "ap-guangzhou",
        only_ours: |_| false,
    },
    RegionNaming {
        provider: Provider::Baidu,
        title: "Baidu AI Cloud",
        example: "bj",
        only_ours: |region| !region.is_empty() && region.chars().all(|c| c.is_ascii_lowercase()),
    },
];

/// The naming of `provider`.
pub fn region_naming(provider: Provider) -> Option<&'static RegionNaming> {
    REGION_NAMING
        .iter()
        .find(|naming| naming.provider == provider)
}

/// The provider other than `ours` whose naming `region` has, when its form says so.
pub fn foreign_region(region: &str, ours: Provider) -> Option<&'static RegionNaming> {
    REGION_NAMING
        .iter()
        .find(|naming| naming.provider != ours && (naming.only_ours)(region))
}

/// Common flags of the providers' CLIs that cloudspec spells differently, as
/// `(their flag, cloudspec's flag)`. tccli: `--secretId` and `--secretKey` (TCCLI's
/// documentation, "Configuring TCCLI": `tccli cvm DescribeInstances --secretId ...
/// --secretKey ...`); aliyun's `--access-key-id`,
/// `--access-key-secret`, `--region` and tccli's `--region`, `--endpoint`, `--output`,
/// `--filter`, `--timeout` are cloudspec's own spellings already.
pub const CLI_FLAG_ALIASES: &[(&str, &str)] = &[
    ("secretId", "access-key-id"),
    ("secretKey", "access-key-secret"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_has_one_naming() {
        for provider in [Provider::Alibaba, Provider::Tencent, Provider::Baidu] {
            let naming = region_naming(provider).expect("a naming");
            // Each example is its own provider's, and no other provider claims it.
            assert!(
                foreign_region(naming.example, provider).is_none(),
                "{naming:?}"
            );
        }
    }

    #[test]
    fn another_providers_region_is_recognised_by_its_form() {
        let alibaba = foreign_region("cn-hangzhou", Provider::Tencent).expect("Alibaba's");
        assert_eq!(alibaba.provider, Provider::Alibaba);
        let baidu = foreign_region("bj", Provider::Tencent).expect("Baidu's");
        assert_eq!(baidu.provider, Provider::Baidu);
        assert_eq!(
            foreign_region("bj", Provider::Alibaba).map(|naming| naming.provider),
            Some(Provider::Baidu)
        );
        // Tencent's and Alibaba's `ap-` names cannot be told apart: no hint.
        assert!(foreign_region("ap-guangzhou", Provider::Alibaba).is_none());
        assert!(foreign_region("ap-southeast-1", Provider::Tencent).is_none());
        assert!(foreign_region("cn-hangzhou", Provider::Alibaba).is_none());
    }
}
