//! Sending an [`HttpRequest`] with reqwest.

use super::{HttpRequest, HttpResponse};
use crate::error::TransportError;

/// Sends `request` with `client` and reads the whole body.
///
/// The `Host` header is left to reqwest, which derives it from the URL (the same
/// `host[:port]` that was signed).
pub(super) async fn send_reqwest(
    client: &reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let HttpRequest {
        method,
        url,
        headers,
        body,
    } = request;
    let builder = match reqwest::Method::from_bytes(method.as_bytes()) {
        Ok(method) => client.request(method, url.as_str()),
        // Unreachable for requests from `build_request`, which checks the method; a
        // request reqwest cannot build fails as a builder error, which is never retried.
        Err(_) => client.request(
            reqwest::Method::GET,
            format!("invalid-http-method:{}", method.escape_debug()),
        ),
    };
    let mut builder = builder;
    for (name, value) in &headers {
        if !name.eq_ignore_ascii_case("host") {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    let response = builder.body(body).send().await?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response.bytes().await?.to_vec();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}
