//! Sending an [`HttpRequest`] with reqwest.

use super::{HttpRequest, HttpResponse, redacted_url};
use crate::error::TransportError;

/// Sends `request` with `client` and reads the body, at most `max_body` bytes of it.
///
/// The `Host` header is left to reqwest, which derives it from the URL (the same
/// `host[:port]` that was signed). Errors never carry the full URL: reqwest puts it in its
/// errors, and a signature V1 query holds `Signature` and `SecurityToken`, so the URL in an
/// error has those values redacted. An answer that came from another URL (a custom client
/// that follows redirects) is refused.
pub(super) async fn send_reqwest(
    client: &reqwest::Client,
    request: HttpRequest,
    max_body: usize,
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
    let redact = |error: reqwest::Error| redact_error(error, &url);
    let mut response = builder.body(body).send().await.map_err(redact)?;
    if reqwest::Url::parse(&url).is_ok_and(|sent| &sent != response.url()) {
        return Err(TransportError::Redirected {
            to: redacted_url(response.url().as_str()),
        });
    }
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
    if response
        .content_length()
        .is_some_and(|length| length > max_body as u64)
    {
        return Err(TransportError::BodyTooLarge { limit: max_body });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(redact)? {
        if body.len() + chunk.len() > max_body {
            return Err(TransportError::BodyTooLarge { limit: max_body });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// `error` with its URL replaced by `url` with secret query values redacted.
fn redact_error(error: reqwest::Error, url: &str) -> TransportError {
    let error = match reqwest::Url::parse(&redacted_url(url)) {
        Ok(redacted) => error.with_url(redacted),
        Err(_) => error.without_url(),
    };
    TransportError::Http(error)
}
