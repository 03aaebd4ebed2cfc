//! Text from a server or a user, made safe for a terminal.

/// `text` with every control character (newlines included) and every bidirectional
/// override written as an escape (`\n`, `\u{1b}`, `\u{202e}`): a server cannot clear the
/// screen, move the cursor, reorder what is shown or start a line of its own.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_bidi_control(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`escape_controls`], but keeps newlines and tabs: for a response body printed as it
/// came.
pub fn escape_controls_keep_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split('\t')
                .map(escape_controls)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `error`'s message followed by each cause in its `source()` chain that the message does
/// not already show, one `caused by:` line each, all escaped.
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = escape_controls(&error.to_string());
    let mut source = error.source();
    while let Some(cause) = source {
        let shown = escape_controls(&cause.to_string());
        if !text.contains(&shown) {
            text.push_str("\n  caused by: ");
            text.push_str(&shown);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped() {
        assert_eq!(
            escape_controls("a\u{1b}[2J\nerror: forged\r\u{202e}b"),
            "a\\u{1b}[2J\\nerror: forged\\r\\u{202e}b"
        );
        assert_eq!(escape_controls("plain ümlaut 中文"), "plain ümlaut 中文");
        assert_eq!(
            escape_controls_keep_lines("x\u{7}\n\ty\u{1b}"),
            "x\\u{7}\n\ty\\u{1b}"
        );
    }

    #[derive(Debug, thiserror::Error)]
    #[error("outer: {0}")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("inner")]
    struct Inner(#[source] std::io::Error);

    #[test]
    fn causes_are_listed_once() {
        let error = Outer(Inner(std::io::Error::other("connection refused")));
        assert_eq!(
            with_causes(&error),
            "outer: inner\n  caused by: connection refused"
        );
    }
}
