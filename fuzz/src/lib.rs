//! Helpers shared by the fuzz targets: turning fuzzer bytes into HTTP responses and
//! signing requests.

use cloudspec_runtime::OperationMeta;
use cloudspec_runtime::protocol::{Decoded, HttpResponse, decode_response};
use cloudspec_runtime::sign::SigningRequest;

/// Splits `text` at the first blank line: `name: value` header lines, then the rest.
fn head_and_body(text: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let headers = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    (headers, body)
}

/// A response from fuzzer bytes: two bytes of status (any u16), then headers and body as
/// [`head_and_body`] reads them.
pub fn response(data: &[u8]) -> HttpResponse {
    let (status, rest) = match data {
        [high, low, rest @ ..] => (u16::from_be_bytes([*high, *low]), rest),
        _ => (200, data),
    };
    let text = String::from_utf8_lossy(rest);
    let (headers, body) = head_and_body(&text);
    HttpResponse {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// Decodes `data` as an answer to `meta` and, on success, deserializes output type `O`, as
/// the client does. Neither may panic.
pub fn decode<O: serde::de::DeserializeOwned>(meta: &OperationMeta, data: &[u8]) {
    let response = response(data);
    if let Decoded::Success(value) = decode_response(meta, &response) {
        let _ = O::deserialize(&value);
    }
}

/// A signing request from fuzzer text: `METHOD host path` on the first line, then query
/// pairs `name=value` separated by `&` on the second, then headers and body.
pub fn signing_request(text: &str) -> SigningRequest {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let (query_line, rest) = rest.split_once('\n').unwrap_or((rest, ""));
    let mut words = first.split(' ');
    let method = words.next().unwrap_or("GET").to_owned();
    let host = words.next().unwrap_or("").to_owned();
    let path = words.next().unwrap_or("/").to_owned();
    let query = query_line
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let (headers, body) = head_and_body(rest);
    SigningRequest {
        method,
        host,
        path,
        query,
        headers,
        body: body.as_bytes().to_vec(),
    }
}
