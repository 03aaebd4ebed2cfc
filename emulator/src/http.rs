//! A received request, read whole, and the reply to send: the plain data the provider
//! modules work on, independent of hyper.

use bytes::Bytes;
use cloudspec_sign::SigningRequest;
use percent_encoding::percent_decode_str;

/// A received HTTP request.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// Method, upper-case.
    pub method: String,
    /// The `Host` header as received (`127.0.0.1:PORT`).
    pub host: String,
    /// Path, percent-decoded.
    pub path: String,
    /// Path as received (still percent-encoded).
    pub raw_path: String,
    /// Query pairs, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers other than `Host`, names lower-case, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl Request {
    /// The first header called `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the body is `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.header("content-type").is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
    }

    /// Whether the body is JSON.
    pub fn is_json(&self) -> bool {
        self.header("content-type").is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        })
    }

    /// The request as the signing schemes see it: method, host, path, query, headers, body.
    pub fn signing_request(&self) -> SigningRequest {
        SigningRequest {
            method: self.method.clone(),
            host: self.host.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.to_vec(),
        }
    }
}

/// Decodes an `application/x-www-form-urlencoded` string (a query string or a form body):
/// `+` is a space, `%XX` a byte; invalid UTF-8 is replaced.
pub(crate) fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (decode_component(name), decode_component(value))
        })
        .collect()
}

fn decode_component(text: &str) -> String {
    let text = text.replace('+', " ");
    percent_decode_str(&text).decode_utf8_lossy().into_owned()
}

/// Percent-decodes a path (`+` stays `+`).
pub(crate) fn decode_path(path: &str) -> String {
    percent_decode_str(path).decode_utf8_lossy().into_owned()
}

/// A reply to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Extra headers (`Content-Type` included when there is a body).
    pub headers: Vec<(&'static str, String)>,
    /// Body.
    pub body: Bytes,
}

impl Reply {
    /// A JSON reply, `Content-Type: application/json;charset=utf-8` (Alibaba's and
    /// Baidu's form).
    pub fn json(status: u16, body: impl Into<Bytes>) -> Reply {
        Reply::json_as(status, "application/json;charset=utf-8", body)
    }

    /// A JSON reply with the given `Content-Type`.
    pub fn json_as(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.into(),
        }
    }

    /// An XML reply.
    pub fn xml(status: u16, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "text/xml;charset=utf-8".to_owned())],
            body: body.into(),
        }
    }

    /// A plain-text reply (an instance-metadata answer).
    pub fn text(status: u16, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "text/plain".to_owned())],
            body: body.into(),
        }
    }

    /// A reply with no body.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// The same reply (status and headers) with `body` instead of its own.
    #[must_use]
    pub fn with_body(self, body: impl Into<Bytes>) -> Reply {
        Reply {
            body: body.into(),
            ..self
        }
    }

    /// The same reply with one more header.
    #[must_use]
    pub fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    /// An emulator (not provider) error: `{"error": message}`.
    pub fn emulator_error(status: u16, message: &str) -> Reply {
        Reply::json(status, serde_json::json!({ "error": message }).to_string())
    }
}

/// Escapes text for XML content.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_plus_percent_and_bare_names() {
        assert_eq!(
            parse_form("a=1+2&b=%5B%22x%22%5D&&c&d=%E6%9C%AA"),
            vec![
                ("a".to_owned(), "1 2".to_owned()),
                ("b".to_owned(), "[\"x\"]".to_owned()),
                ("c".to_owned(), String::new()),
                ("d".to_owned(), "未".to_owned()),
            ]
        );
        assert_eq!(decode_path("/v2/image/m%2D1+x"), "/v2/image/m-1+x");
        assert_eq!(xml_escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
    }
}
