//! One line per request served (`cloudspec emulate` prints them; `--quiet` turns them off):
//! method, service, action, outcome and latency, as LocalStack logs. The service and the
//! action are found through the generated registry, so no service is named here.

use std::time::Duration;

use cloudspec_runtime::Provider;
use cloudspec_runtime::protocol::decode::match_path;

use crate::http::{Reply, Request};

/// The line for `req`, answered with `reply` (or dropped, when `reply` is `None`) after
/// `latency`.
pub(crate) fn line(req: &Request, reply: Option<&Reply>, latency: Duration) -> String {
    let (service, action) = identify(req);
    let outcome = match reply {
        None => "dropped".to_owned(),
        Some(reply) => match error_code(reply) {
            Some(code) => format!("{} {code}", reply.status),
            None => reply.status.to_string(),
        },
    };
    format!(
        "{} {service} {action} -> {outcome} in {:.1} ms",
        req.method,
        latency.as_secs_f64() * 1000.0
    )
    .escape_default()
    .to_string()
}

/// The registry's command name of the service a request is for, and its action (or the
/// operation, for REST), as far as the request says.
fn identify(req: &Request) -> (String, String) {
    if req.path.starts_with("/_emulator") {
        return ("emulator".to_owned(), req.path.clone());
    }
    let query = |name: &str| {
        req.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let services = cloudspec_services::SERVICES;
    let header = |name: &str| req.header(name).map(str::to_owned);
    if let Some(action) = header("x-tc-action") {
        // TC3's credential scope names the signing service: `.../DATE/cvm/tc3_request`.
        let scope = req
            .header("authorization")
            .and_then(|value| value.split('/').nth(2))
            .unwrap_or_default();
        let service = services
            .iter()
            .find(|service| {
                service.meta.provider == Provider::Tencent && service.meta.product_code == scope
            })
            .map_or("tencent", |service| service.command);
        return (service.to_owned(), action);
    }
    let version = header("x-acs-version").or_else(|| query("Version"));
    let action = header("x-acs-action").or_else(|| query("Action"));
    if let (Some(version), Some(action)) = (version, action) {
        let service = services
            .iter()
            .find(|service| {
                service.meta.provider == Provider::Alibaba && service.has_version(&version)
            })
            .map_or("alibaba", |service| service.command);
        return (service.to_owned(), action);
    }
    for service in services
        .iter()
        .filter(|service| service.meta.provider == Provider::Baidu)
    {
        for operation in service.operations {
            if operation.meta.method.eq_ignore_ascii_case(&req.method)
                && match_path(operation.meta.path, &req.path).is_some()
            {
                return (service.command.to_owned(), operation.meta.name.to_owned());
            }
        }
    }
    ("unknown".to_owned(), req.path.clone())
}

/// The error code of an answer in any provider's envelope, if it is an error.
fn error_code(reply: &Reply) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(&reply.body).ok()?;
    let code = body
        .pointer("/Response/Error/Code")
        .or_else(|| body.get("Code").filter(|code| code.is_string()))
        .or_else(|| body.get("code"))
        .or_else(|| body.get("error"))?;
    code.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        query: &[(&str, &str)],
    ) -> Request {
        Request {
            method: method.to_owned(),
            host: "127.0.0.1:1".to_owned(),
            path: path.to_owned(),
            raw_path: path.to_owned(),
            query: query
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: bytes::Bytes::new(),
        }
    }

    /// The first service of the registry that speaks `protocol`, and its first operation.
    fn first_of(
        protocol: cloudspec_runtime::Protocol,
    ) -> (
        &'static cloudspec_runtime::registry::ServiceEntry,
        &'static cloudspec_runtime::OperationMeta,
    ) {
        let service = cloudspec_services::SERVICES
            .iter()
            .find(|service| service.meta.protocol == protocol)
            .expect("a service of each protocol");
        (service, service.operations[0].meta)
    }

    #[test]
    fn lines_name_service_action_outcome_and_latency() {
        use cloudspec_runtime::Protocol;
        let (service, operation) = first_of(Protocol::AlibabaRpc);
        let action = operation.action.unwrap_or_default();
        let rpc = request(
            "GET",
            "/",
            &[],
            &[("Action", action), ("Version", service.meta.api_version)],
        );
        let refused = Reply::json(403, r#"{"Code":"Refused","RequestId":"r"}"#);
        assert_eq!(
            line(&rpc, Some(&refused), Duration::from_micros(1500)),
            format!("GET {} {action} -> 403 Refused in 1.5 ms", service.command)
        );
        let (service, operation) = first_of(Protocol::TencentApi3);
        let action = operation.action.unwrap_or_default();
        let authorization = format!(
            "TC3-HMAC-SHA256 Credential=k/2026-01-01/{}/tc3_request, SignedHeaders=a, Signature=b",
            service.meta.product_code
        );
        let tc3 = request(
            "POST",
            "/",
            &[("x-tc-action", action), ("authorization", &authorization)],
            &[],
        );
        let tencent_error = Reply::json(
            200,
            r#"{"Response":{"Error":{"Code":"Some.Code","Message":"m"},"RequestId":"r"}}"#,
        );
        assert!(
            line(&tc3, Some(&tencent_error), Duration::ZERO).starts_with(&format!(
                "POST {} {action} -> 200 Some.Code",
                service.command
            ))
        );
        let (service, operation) = first_of(Protocol::BaiduRest);
        // Every placeholder filled with some value.
        let path: String = operation
            .path
            .split('{')
            .enumerate()
            .map(|(index, part)| match part.split_once('}') {
                Some((_, rest)) if index > 0 => format!("p1{rest}"),
                _ => part.to_owned(),
            })
            .collect();
        let bcc = request(operation.method, &path, &[], &[]);
        assert!(
            line(&bcc, Some(&Reply::empty(200)), Duration::ZERO).starts_with(&format!(
                "{} {} {} -> 200 in",
                operation.method, service.command, operation.name
            ))
        );
        assert!(line(&bcc, None, Duration::ZERO).contains("-> dropped"));
        // A hostile path cannot forge a second line or control the terminal.
        let hostile = request("GET", "/x\n\u{1b}[2J", &[], &[]);
        let text = line(&hostile, None, Duration::ZERO);
        assert!(!text.contains('\n') && !text.contains('\u{1b}'), "{text}");
    }
}
