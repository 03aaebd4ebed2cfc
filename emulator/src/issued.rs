//! Operations that give temporary credentials (a spec's `issues_credentials`, STS
//! AssumeRole): the emulator mints a key, a secret and a token for the caller's account (for
//! an unsigned operation, the account of its identity token),
//! valid for the call's lifetime parameter (or the spec's default) from the emulator's clock,
//! and writes them into the success answer at the fields the spec names. The engine then
//! accepts requests signed with them and carrying the token until they expire
//! ([`crate::engine::Shared::key_with_token`]). Nothing here names a service or an operation.

use cloudspec_runtime::Protocol;
use cloudspec_runtime::behaviour::{IssuedCredentials, TimeFormat};
use serde_json::{Map, Value};

use crate::engine::Shared;
use crate::errors::ApiError;
use crate::http::Reply;
use crate::protocol::{Call, Common};

/// The success `reply` of `call` with freshly minted credentials written into it.
pub(crate) fn mint(
    shared: &Shared,
    call: &Call<'_>,
    account: &str,
    issues: &IssuedCredentials,
    params: &Map<String, Value>,
    reply: Reply,
) -> Result<Reply, ApiError> {
    let seconds = match issues.duration_parameter.and_then(|name| params.get(name)) {
        None | Some(Value::Null) => issues.default_duration_seconds,
        Some(value) => value
            .as_u64()
            .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
            .filter(|seconds| *seconds > 0)
            .ok_or_else(|| {
                call.envelope.common(Common::InvalidParameter {
                    name: issues.duration_parameter.unwrap_or_default(),
                    why: "expected a positive number of seconds.",
                })
            })?,
    };
    let Ok(mut body) = serde_json::from_slice::<Value>(&reply.body) else {
        // An XML answer (Alibaba `Format=XML`) is left as it is: nothing is minted.
        return Ok(reply);
    };
    let lifetime = jiff::SignedDuration::from_secs(i64::try_from(seconds).unwrap_or(i64::MAX));
    let expires = shared.clock.now().checked_add(lifetime).map_err(|_| {
        call.envelope.common(Common::InvalidParameter {
            name: issues.duration_parameter.unwrap_or_default(),
            why: "the lifetime is out of range.",
        })
    })?;
    let provider = call.service.provider();
    let minted = shared.mint_key(provider, account, expires);
    // The answer's root: inside Tencent API 3.0's `Response`, else the body itself.
    let root = match call.service.protocol() {
        Protocol::TencentApi3 => body.get_mut("Response"),
        Protocol::AlibabaRpc | Protocol::BaiduRest | Protocol::InstanceMetadata => Some(&mut body),
    };
    let Some(root) = root else {
        return Ok(reply);
    };
    put(root, issues.access_key_id, Value::from(minted.id));
    put(root, issues.access_key_secret, Value::from(minted.secret));
    put(root, issues.security_token, Value::from(minted.token));
    for (path, format) in issues.expiration {
        let value = match format {
            TimeFormat::Rfc3339 => Value::from(cloudspec_sign::iso8601_utc(expires)),
            TimeFormat::UnixSeconds => Value::from(expires.as_second()),
        };
        put(root, path, value);
    }
    Ok(reply.with_body(body.to_string()))
}

/// Sets the field at `path` (`A.B.C`) of `root`, making the objects on the way.
fn put(root: &mut Value, path: &str, value: Value) {
    let mut at = root;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(object) = at else {
            return;
        };
        if parts.peek().is_none() {
            object.insert(part.to_owned(), value);
            return;
        }
        at = object
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_makes_the_objects_on_the_way_and_keeps_the_rest() {
        let mut root = serde_json::json!({ "RequestId": "r", "Credentials": { "Other": 1 } });
        put(&mut root, "Credentials.AccessKeyId", Value::from("id"));
        put(&mut root, "Deep.Er.Field", Value::from(2));
        assert_eq!(
            root,
            serde_json::json!({
                "RequestId": "r",
                "Credentials": { "Other": 1, "AccessKeyId": "id" },
                "Deep": { "Er": { "Field": 2 } }
            })
        );
    }
}
