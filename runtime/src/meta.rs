//! Static descriptions of services and operations, emitted by the generator.
//!
//! Generated crates describe each service and operation with these types; the runtime reads
//! them to encode, sign, route and decode. Nothing here is provider-specific logic: that lives
//! in [`crate::protocol`].

/// A cloud provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Alibaba Cloud.
    Alibaba,
    /// Tencent Cloud.
    Tencent,
    /// Baidu AI Cloud.
    Baidu,
}

impl Provider {
    /// The lower-case name (`alibaba`, `tencent`, `baidu`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Alibaba => "alibaba",
            Provider::Tencent => "tencent",
            Provider::Baidu => "baidu",
        }
    }
}

impl Provider {
    /// The provider in the variable table of [`cloudspec_provider_env`].
    pub(crate) fn env_table(self) -> cloudspec_provider_env::Provider {
        match self {
            Provider::Alibaba => cloudspec_provider_env::Provider::Alibaba,
            Provider::Tencent => cloudspec_provider_env::Provider::Tencent,
            Provider::Baidu => cloudspec_provider_env::Provider::Baidu,
        }
    }
}

/// A wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Alibaba Cloud RPC: query parameters, signature V3 (default) or V1.
    AlibabaRpc,
    /// Tencent Cloud API 3.0: JSON body, `TC3-HMAC-SHA256`.
    TencentApi3,
    /// Baidu AI Cloud REST: `bce-auth-v1`.
    BaiduRest,
    /// An instance-metadata service: plain HTTP from inside an instance, method and path
    /// from the operation, never signed, text or JSON answers, errors by status
    /// (docs/protocols.md, "Instance metadata").
    InstanceMetadata,
}

impl Protocol {
    /// The scheme requests go out with when no endpoint is configured: `http` for the
    /// instance-metadata hosts, which serve nothing else, `https` for every API.
    pub fn default_scheme(self) -> &'static str {
        match self {
            Protocol::InstanceMetadata => "http",
            Protocol::AlibabaRpc | Protocol::TencentApi3 | Protocol::BaiduRest => "https",
        }
    }
}

/// Where a service's requests go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoints {
    /// Host used when no region is configured.
    pub global: Option<&'static str>,
    /// Host template with a `{region}` placeholder.
    pub regional: Option<&'static str>,
    /// Regions named for the regional template (empty when the source names none).
    pub regions: &'static [&'static str],
    /// Host template inside a VPC, with a `{region}` placeholder, when the spec names one.
    pub vpc: Option<&'static str>,
}

impl Endpoints {
    /// The host for `region`, or the global host when `region` is `None`.
    ///
    /// Returns `None` when the service has no endpoint of the needed kind (a regional-only
    /// service called without a region).
    pub fn host(&self, region: Option<&str>) -> Option<String> {
        match (region, self.regional, self.global) {
            (Some(region), Some(template), _) => Some(template.replace("{region}", region)),
            (_, _, Some(global)) => Some(global.to_owned()),
            (None, Some(_), None) | (_, None, None) => None,
        }
    }
}

impl Endpoints {
    /// The VPC host for `region` ([`Endpoints::vpc`]), `None` when the service names no VPC
    /// endpoint.
    pub fn vpc_host(&self, region: &str) -> Option<String> {
        self.vpc
            .map(|template| template.replace("{region}", region))
    }
}

/// A service, as a generated crate describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceMeta {
    /// The provider.
    pub provider: Provider,
    /// Short service name (`ecs`).
    pub name: &'static str,
    /// Product code used for signing (Tencent service name) and RAM actions.
    pub product_code: &'static str,
    /// Human name of the product.
    pub title: &'static str,
    /// API version sent with every request.
    pub api_version: &'static str,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Endpoints.
    pub endpoints: Endpoints,
    /// Name of the generated crate, for the user agent.
    pub crate_name: &'static str,
    /// Version of the generated crate, for the user agent.
    pub crate_version: &'static str,
}

/// An operation, as a generated crate describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// The service the operation belongs to.
    pub service: &'static ServiceMeta,
    /// The operation's name (`DeleteImage`).
    pub name: &'static str,
    /// The wire action for RPC-style protocols.
    pub action: Option<&'static str>,
    /// The API version the operation belongs to (`Version`, `X-TC-Version`): the service's
    /// `api_version` unless the spec gives the operation its own, for a service that keeps
    /// several versions.
    pub api_version: &'static str,
    /// HTTP method (`GET`, `POST`, `DELETE`, ...).
    pub method: &'static str,
    /// Path template; `{name}` segments are filled from path parameters.
    pub path: &'static str,
    /// Response fields that arrive as headers (decoded into the output under these names).
    pub response_headers: &'static [&'static str],
    /// The response field that is the whole body, as text (an instance-metadata answer);
    /// `None`: the body is the protocol's JSON (or XML).
    pub text_body: Option<&'static str>,
    /// Wire name of the idempotency-token parameter, when the document names one. The
    /// runtime fills it when the caller left it empty and keeps it across retries.
    pub idempotency_token: Option<&'static str>,
    /// The documented request-rate limit, in requests per second.
    pub rate_limit_per_second: Option<u32>,
    /// How the caller is authenticated: signed (every operation of the documents), or sent
    /// unsigned without credentials (an STS call authenticated by an identity token).
    pub auth: Auth,
}

/// How an operation authenticates its caller ([`OperationMeta::auth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Signed with the caller's credentials, as the protocol signs.
    Signed,
    /// Sent unsigned, and no credentials are needed: Alibaba RPC without `AccessKeyId` and
    /// `Signature`, Tencent with `Authorization: SKIP` (docs/protocols.md, "Unsigned calls").
    Anonymous {
        /// The wire name of the parameter that proves the caller's identity instead
        /// (`OIDCToken`), if any.
        identity_token: Option<&'static str>,
    },
}

impl Auth {
    /// Whether requests are sent unsigned.
    pub fn is_anonymous(self) -> bool {
        matches!(self, Auth::Anonymous { .. })
    }
}
