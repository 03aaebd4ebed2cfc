//! Proptest strategies shared by the signing tests.

use proptest::prelude::*;

/// Query parameters with distinct names; names and values include reserved, space,
/// `*`, `~` and non-ASCII characters.
pub fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map(
        "[A-Za-z][A-Za-z0-9._~ *é/=&+-]{0,8}",
        "[ -~éü中]{0,10}",
        0..5,
    )
    .prop_map(|m| m.into_iter().collect())
}

/// A printable header value (no control characters), possibly with surrounding spaces.
pub fn header_value() -> impl Strategy<Value = String> {
    "[ -~éü]{0,16}"
}

/// Headers whose lower-cased names are `prefix` followed by 1 to 8 letters, with mixed
/// case and distinct case-insensitively.
pub fn prefixed_headers(prefix: &'static str) -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[a-zA-Z]{1,8}", header_value()), 0..4).prop_map(move |pairs| {
        let mut seen = std::collections::BTreeSet::new();
        pairs
            .into_iter()
            .filter(|(suffix, _)| seen.insert(suffix.to_ascii_lowercase()))
            .map(|(suffix, value)| (format!("{prefix}{suffix}"), value))
            .collect()
    })
}

/// A vector and a shuffled copy of it.
pub fn with_shuffle<T: Clone + std::fmt::Debug>(
    items: impl Strategy<Value = Vec<T>>,
) -> impl Strategy<Value = (Vec<T>, Vec<T>)> {
    items.prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
}

/// A string different from `s` (appends a character, or changes the last one).
pub fn changed(s: &str, how: u8) -> String {
    match (how % 3, s.chars().last()) {
        (0, _) | (_, None) => format!("{s}x"),
        (1, Some(last)) => {
            let mut out: String = s[..s.len() - last.len_utf8()].to_owned();
            out.push(if last.eq_ignore_ascii_case(&'q') {
                'r'
            } else {
                'q'
            });
            out
        }
        _ => format!("é{s}"),
    }
}
