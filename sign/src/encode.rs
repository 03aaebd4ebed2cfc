//! RFC 3986 percent-encoding, as every signing scheme here requires it.
//!
//! Only the unreserved characters `A-Z a-z 0-9 - _ . ~` are kept; every other byte of
//! the UTF-8 form is written `%XX` with upper-case hex. So a space is `%20` (never `+`),
//! `*` is `%2A`, `~` stays `~` and `é` is `%C3%A9`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything except the RFC 3986 unreserved characters.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// [`RFC3986`] with `/` kept, for paths.
const RFC3986_PATH: &AsciiSet = &RFC3986.remove(b'/');

/// Percent-encodes `s` per RFC 3986: unreserved characters kept, everything else
/// (including `/`) as `%XX` over its UTF-8 bytes, upper-case hex.
pub fn rfc3986(s: &str) -> String {
    encode_with(s, RFC3986)
}

/// Like [`rfc3986`], but `/` is kept, for encoding a path.
pub fn rfc3986_path(s: &str) -> String {
    encode_with(s, RFC3986_PATH)
}

/// Collects the encoded pieces directly (faster than going through `Display`, which
/// matters on the signing path: every query pair is encoded for the signature and the URL).
fn encode_with(s: &str, set: &'static AsciiSet) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    encode_into(&mut out, s, set);
    out
}

/// Appends `s` percent-encoded with `set` to `out`. A run of bytes that need no encoding is
/// copied as one piece; `percent_encoding` yields exactly such pieces.
fn encode_into(out: &mut String, s: &str, set: &'static AsciiSet) {
    for piece in utf8_percent_encode(s, set) {
        out.push_str(piece);
    }
}

/// The canonical URI of a path: [`rfc3986_path`] of it, with `/` for an empty path and a
/// leading `/` added when missing.
pub(crate) fn canonical_uri(path: &str) -> String {
    if path.starts_with('/') {
        rfc3986_path(path)
    } else {
        format!("/{}", rfc3986_path(path))
    }
}

/// Query pairs encoded with [`rfc3986`], sorted by raw name and then raw value (byte
/// order), each written `name=value` (`name=` for an empty value) and joined by `&`: the
/// query string the Alibaba, TC3 (GET) and Baidu signers sign, and the one the runtime sends.
pub fn sorted_query<'a>(query: impl IntoIterator<Item = &'a (String, String)>) -> String {
    let mut pairs: Vec<&(String, String)> = query.into_iter().collect();
    pairs.sort();
    let length: usize = pairs.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(length + length / 4);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, name, RFC3986);
        out.push('=');
        encode_into(&mut out, value, RFC3986);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reserved_and_non_ascii_characters() {
        assert_eq!(rfc3986(" "), "%20");
        assert_eq!(rfc3986("*"), "%2A");
        assert_eq!(rfc3986("~"), "~");
        assert_eq!(rfc3986("é"), "%C3%A9");
        assert_eq!(rfc3986("+"), "%2B");
        assert_eq!(rfc3986("/"), "%2F");
        assert_eq!(rfc3986("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(rfc3986("AZaz09"), "AZaz09");
        assert_eq!(rfc3986("=&?#%:"), "%3D%26%3F%23%25%3A");
        assert_eq!(rfc3986("未命名"), "%E6%9C%AA%E5%91%BD%E5%90%8D");
        assert_eq!(rfc3986("2016-02-23T12:46:24Z"), "2016-02-23T12%3A46%3A24Z");
        assert_eq!(rfc3986(""), "");
    }

    #[test]
    fn paths_keep_slashes() {
        assert_eq!(
            rfc3986_path("/v1/test/my folder/readme.txt"),
            "/v1/test/my%20folder/readme.txt"
        );
        assert_eq!(rfc3986_path("/a*b/~c/é"), "/a%2Ab/~c/%C3%A9");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("x/y"), "/x/y");
        assert_eq!(canonical_uri("/"), "/");
    }

    #[test]
    fn query_sorts_by_raw_name_then_value() {
        let q = vec![
            ("b".to_owned(), "2".to_owned()),
            ("a".to_owned(), "z".to_owned()),
            ("a".to_owned(), "y y".to_owned()),
            ("empty".to_owned(), String::new()),
        ];
        assert_eq!(sorted_query(&q), "a=y%20y&a=z&b=2&empty=");
        assert_eq!(sorted_query(&Vec::new()), "");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn output_is_unreserved_or_escapes(s in any::<String>()) {
            let e = rfc3986(&s);
            prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
            let decoded = percent_encoding::percent_decode_str(&e).decode_utf8();
            prop_assert_eq!(decoded.as_deref().ok(), Some(s.as_str()));
            // Upper-case hex only.
            prop_assert!(!e.split('%').skip(1).any(|chunk| chunk.chars().take(2).any(|c| c.is_ascii_lowercase())));
        }

        #[test]
        fn path_encoding_differs_only_in_slashes(s in any::<String>()) {
            prop_assert_eq!(rfc3986_path(&s).replace('/', "%2F"), rfc3986(&s));
        }
    }
}
