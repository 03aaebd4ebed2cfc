//! The instance-metadata services' role-credential paths, so that credential providers can
//! be tested against the emulator: the Alibaba ECS RAM role and the Tencent CVM CAM role of
//! the roles given to [`crate::EmulatorBuilder::instance_role`]. Each answer mints temporary
//! credentials as an `issues_credentials` operation does, accepted until they expire.
//!
//! Paths, headers and fields are those the official SDKs use:
//!
//! - Alibaba: alibabacloud-credentials 1.0.12, `provider/ecs_ram_role.py` lines 37-41
//!   (`/latest/meta-data/ram/security-credentials/`, `/latest/api/token`), 88-89 and 133
//!   (`X-aliyun-ecs-metadata-token`, `X-aliyun-ecs-metadata-token-ttl-seconds`), 206-224
//!   (`Code` `Success`, `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`
//!   as `%Y-%m-%dT%H:%M:%SZ`).
//! - Tencent: tencentcloud-sdk-python-common 3.1.195, `tencentcloud/common/credential.py`
//!   lines 85-86 (`/latest/meta-data/cam/security-credentials/`), 126-135 (the role name,
//!   the body of that path) and 150-159 (`Code` `Success`, `TmpSecretId`, `TmpSecretKey`,
//!   `Token`, `ExpiredTime` in Unix seconds).
//!
//! Choices (the SDKs cannot say): the credentials live one hour; a metadata token (IMDSv2)
//! is any non-empty text the emulator issued, and a request without one is served too
//! (IMDSv1), unless it carries a token the emulator did not issue.

use crate::engine::Shared;
use crate::http::{Reply, Request};
use crate::state::Provider;

/// How long minted instance-role credentials live (a choice).
const LIFETIME_SECONDS: i64 = 3600;

const ALIBABA_TOKEN_PATH: &str = "/latest/api/token";
const ALIBABA_ROLES: &str = "/latest/meta-data/ram/security-credentials/";
const TENCENT_ROLES: &str = "/latest/meta-data/cam/security-credentials/";

/// Whether `path` is one of the metadata paths served here.
pub(crate) fn serves(path: &str) -> bool {
    path == ALIBABA_TOKEN_PATH || path.starts_with(ALIBABA_ROLES) || path.starts_with(TENCENT_ROLES)
}

/// Answers a metadata request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    if req.path == ALIBABA_TOKEN_PATH {
        if req.method != "PUT" {
            return Reply::emulator_error(405, "the metadata token is issued by PUT");
        }
        return text(200, shared.issue_metadata_token());
    }
    if req.method != "GET" {
        return Reply::emulator_error(405, "metadata is read by GET");
    }
    let (provider, rest) = match req.path.strip_prefix(ALIBABA_ROLES) {
        Some(rest) => (Provider::Alibaba, rest),
        None => match req.path.strip_prefix(TENCENT_ROLES) {
            Some(rest) => (Provider::Tencent, rest),
            None => return Reply::emulator_error(404, "no such metadata"),
        },
    };
    if provider == Provider::Alibaba
        && let Some(token) = req.header("x-aliyun-ecs-metadata-token")
        && !shared.knows_metadata_token(token)
    {
        return Reply::emulator_error(401, "the metadata token was not issued here");
    }
    let roles = shared.instance_roles(provider);
    if rest.is_empty() {
        return match roles.first() {
            Some((role, _)) => text(200, role.clone()),
            None => Reply::emulator_error(404, "this instance has no role"),
        };
    }
    let Some((_, account)) = roles.iter().find(|(role, _)| role == rest) else {
        return Reply::emulator_error(404, "no such role on this instance");
    };
    let Ok(expires) = shared
        .clock
        .now()
        .checked_add(jiff::SignedDuration::from_secs(LIFETIME_SECONDS))
    else {
        return Reply::emulator_error(500, "the clock is out of range");
    };
    let minted = shared.mint_key(provider, account, expires);
    let expiration = cloudspec_sign::iso8601_utc(expires);
    let body = match provider {
        Provider::Tencent => serde_json::json!({
            "Code": "Success",
            "TmpSecretId": minted.id,
            "TmpSecretKey": minted.secret,
            "Token": minted.token,
            "ExpiredTime": expires.as_second(),
            "Expiration": expiration,
        }),
        Provider::Alibaba | Provider::Baidu => serde_json::json!({
            "Code": "Success",
            "AccessKeyId": minted.id,
            "AccessKeySecret": minted.secret,
            "SecurityToken": minted.token,
            "Expiration": expiration,
        }),
    };
    Reply::json(200, body.to_string())
}

fn text(status: u16, body: String) -> Reply {
    Reply {
        status,
        headers: vec![("content-type", "text/plain".to_owned())],
        body: body.into(),
    }
}
