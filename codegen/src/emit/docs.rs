//! Rustdoc from spec prose.

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use quote::quote;

/// Outer doc attributes (`///`) for `text`, one per line. Code blocks become `text`
/// blocks ([`inert_code_blocks`]): spec prose is never compiled or run as a doctest.
pub(crate) fn outer(text: &str) -> TokenStream {
    let lines = lines(&inert_code_blocks(&html_as_markdown(text)));
    quote! { #( #[doc = #lines] )* }
}

/// Outer doc attributes for a doctest the generator wrote itself (never spec prose): a
/// blank line, then `code` in a `no_run` block, so it is compiled by `cargo test`.
pub(crate) fn outer_doctest(code: &str) -> TokenStream {
    let lines = lines(&format!("\n```no_run\n{}\n```", code.trim_end()));
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`) for `text`, one per line, code blocks made inert as in
/// [`outer`].
pub(crate) fn inner(text: &str) -> TokenStream {
    let lines = lines(&inert_code_blocks(&html_as_markdown(text)));
    quote! { #( #![doc = #lines] )* }
}

/// Info strings of fenced blocks that rustdoc does not compile and that are kept as
/// written (for highlighting); every other fenced block, and every indented block, would be
/// a doctest.
const INERT_LANGUAGES: &[&str] = &[
    "text", "json", "xml", "yaml", "sh", "shell", "bash", "console", "http",
];

/// Whether a code block of `kind` is one rustdoc would not compile.
fn is_inert(kind: &CodeBlockKind<'_>) -> bool {
    match kind {
        CodeBlockKind::Indented => false,
        CodeBlockKind::Fenced(info) => INERT_LANGUAGES.contains(&info.trim()),
    }
}

/// `text` (Markdown) with every code block that rustdoc would compile as a doctest
/// rewritten as a `text` block: a fenced block keeps its fence and gets the info string
/// `text`, an indented block is fenced. This is what prost-build does to the code samples
/// in the documents it copies. Markdown that still has such a block after a few rounds (it
/// cannot happen with the rewrites above, but prose is hostile) is fenced whole.
pub(crate) fn inert_code_blocks(text: &str) -> String {
    // A code block needs a fence or a line indented by four columns (after any container
    // prefix such as `> `): text with no fence, no four spaces in a row and no tab has
    // none, and is not scanned.
    if !text.contains("```")
        && !text.contains("~~~")
        && !text.contains("    ")
        && !text.contains('\t')
    {
        return text.to_owned();
    }
    let mut text = text.to_owned();
    for _ in 0..4 {
        let edits = inert_edits(&text);
        if edits.is_empty() {
            return text;
        }
        for (range, replacement) in edits.into_iter().rev() {
            text.replace_range(range, &replacement);
        }
    }
    if inert_edits(&text).is_empty() {
        text
    } else {
        block("text", &text)
    }
}

/// The replacements that make each live code block of `text` inert, in text order.
fn inert_edits(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut edits = Vec::new();
    let mut parser = Parser::new_ext(text, Options::empty()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            continue;
        };
        if is_inert(&kind) {
            continue;
        }
        let line_start = text[..range.start].rfind('\n').map_or(0, |index| index + 1);
        match kind {
            CodeBlockKind::Fenced(_) => {
                // The opening line is `fence info`: replace the info string.
                let line = &text[range.start..];
                let fence_char = line.chars().next().unwrap_or('`');
                let fence_len = line.len() - line.trim_start_matches(fence_char).len();
                let info_start = range.start + fence_len;
                let info_end = text[info_start..]
                    .find('\n')
                    .map_or(text.len(), |index| info_start + index);
                edits.push((info_start..info_end, "text".to_owned()));
            }
            CodeBlockKind::Indented => {
                // `range` starts after the four columns of code indentation; what comes
                // before them on the line is the container's prefix (`> `, list indentation).
                let prefix = &text[line_start..range.start];
                let container = prefix.strip_suffix("    ").unwrap_or(prefix);
                let fence = fence_for(&text[range.clone()]);
                let mut closing = String::new();
                if !text[..range.end].ends_with('\n') {
                    closing.push('\n');
                }
                closing.push_str(&format!("{container}{fence}\n"));
                edits.push((line_start..line_start, format!("{container}{fence}text\n")));
                edits.push((range.end..range.end, closing));
            }
        }
        // Skip to the end of this block.
        for (event, _) in parser.by_ref() {
            if matches!(event, Event::End(TagEnd::CodeBlock)) {
                break;
            }
        }
    }
    edits
}

/// A backtick fence longer than any run of backticks in `content` (at least three).
fn fence_for(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Prose with HTML in it (the providers' metadata writes `<br>`, `<li>`, `<p>`, `<code>`,
/// `<a href>`, often unbalanced) as Markdown rustdoc renders: those tags become line breaks,
/// list items, paragraphs, code spans, emphasis and links; any other `<` is written `&lt;`,
/// so no stray tag breaks the page. Fenced blocks and code spans are left as they are.
pub(crate) fn html_as_markdown(text: &str) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence || line.trim_start().starts_with("```") {
            out.push_str(line);
            continue;
        }
        // Code spans (between unescaped backticks) stay as written.
        for (code, part) in code_spans(line) {
            if code {
                out.push_str(part);
            } else {
                out.push_str(&escape_brackets(&html_segment(part)));
            }
        }
    }
    out
}

/// `line` cut into code spans (with their backticks) and the text between them; a
/// backslash-escaped backtick is text, and an unmatched one is text too.
fn code_spans(line: &str) -> Vec<(bool, &str)> {
    let bytes = line.as_bytes();
    let ticks: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i] == b'`' && (i == 0 || bytes[i - 1] != b'\\'))
        .collect();
    let mut out = Vec::new();
    let mut start = 0;
    for pair in ticks.chunks(2) {
        let [open, close] = pair else { break };
        out.push((false, &line[start..*open]));
        out.push((true, &line[*open..=*close]));
        start = close + 1;
    }
    out.push((false, &line[start..]));
    out
}

/// `[text]` that is not a Markdown link (`[text](url)`) written `\[text\]`, so rustdoc
/// does not read it as a link to an item (`metadata=[k2:v3]`). Only a pair whose both
/// brackets are in `text` is escaped: a `[` whose `]` lies past a code span is an
/// intra-doc link (`[`Client`]`). Brackets already escaped stay as they are.
fn escape_brackets(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut escape = vec![false; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        match chars[index] {
            '\\' => index += 1,
            '[' => open.push(index),
            ']' => {
                if let Some(start) = open.pop()
                    && chars.get(index + 1) != Some(&'(')
                {
                    escape[start] = true;
                    escape[index] = true;
                }
            }
            _ => {}
        }
        index += 1;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (c, escaped) in chars.into_iter().zip(escape) {
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    wrap_bare_urls(&out)
}

/// Bare `http://` and `https://` URLs written `<URL>`, as rustdoc wants them. A URL that
/// is a link's target (after `(`) or already in `<>` is left alone; a URL ends at white
/// space, a quote, a closing bracket or full-width punctuation.
fn wrap_bare_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let found = [rest.find("https://"), rest.find("http://")]
            .into_iter()
            .flatten()
            .min();
        let Some(start) = found else {
            out.push_str(rest);
            return out;
        };
        let before = rest[..start].chars().last();
        let end = rest[start..]
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '"' | '\''
                            | ')'
                            | ']'
                            | '>'
                            | '<'
                            | '，'
                            | '。'
                            | '；'
                            | '）'
                            | '、'
                            | '：'
                    )
            })
            .map_or(rest.len(), |offset| start + offset);
        out.push_str(&rest[..start]);
        if matches!(before, Some('(' | '<' | '"' | '\'' | '=')) {
            out.push_str(&rest[start..end]);
        } else {
            out.push('<');
            out.push_str(&rest[start..end]);
            out.push('>');
        }
        rest = &rest[end..];
    }
}

fn html_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            out.push_str("&lt;");
            rest = &after[1..];
            continue;
        };
        let tag = &after[1..close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        let replacement = match (name.as_str(), closing) {
            ("br", _) => Some("\n".to_owned()),
            ("li", false) => Some("\n- ".to_owned()),
            ("li", true) | ("span", _) | ("div", _) | ("font", _) => Some(String::new()),
            ("ul" | "ol", _) => Some("\n".to_owned()),
            ("p", false) => Some("\n\n".to_owned()),
            ("p", true) => Some("\n".to_owned()),
            ("code", _) => Some("`".to_owned()),
            ("strong" | "b", _) => Some("**".to_owned()),
            ("em" | "i", _) => Some("*".to_owned()),
            ("a", true) => Some(String::new()),
            ("a", false) => {
                // `<a href="URL" ...>TEXT</a>` becomes `[TEXT](URL)`.
                let href = tag
                    .split("href=")
                    .nth(1)
                    .and_then(|value| {
                        let quote = value.chars().next()?;
                        let value = value.strip_prefix(quote)?;
                        value.split(quote).next()
                    })
                    .unwrap_or_default();
                let inner = &after[close + 1..];
                match inner.find("</a>") {
                    Some(end) if !href.is_empty() => {
                        out.push_str(&format!("[{}]({href})", html_segment(&inner[..end])));
                        rest = &inner[end + "</a>".len()..];
                        continue;
                    }
                    _ => Some(String::new()),
                }
            }
            _ => None,
        };
        match replacement {
            Some(replacement) => {
                out.push_str(&replacement);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str("&lt;");
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a Markdown line starts a list item (`- `, `* `, `+ `, `1. `).
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("- ")
        || line.starts_with("* ")
        || line.starts_with("+ ")
        || line.split_once(". ").is_some_and(|(number, _)| {
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
        })
}

/// The doc lines of `text`: tabs as four spaces, and a blank line between a list item and
/// an unindented line after it (which Markdown would fold into the item), so that prose
/// from anywhere renders as written.
fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The indentation a line needs to continue the list item above it.
    let mut item_indent: Option<usize> = None;
    let mut in_fence = false;
    for line in text.trim_end().lines() {
        let line = line.trim_end().replace('\t', "    ");
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if line.is_empty() {
            item_indent = None;
            out.push(String::new());
            continue;
        }
        if !in_fence {
            let indent = line.len() - line.trim_start().len();
            if is_list_item(&line) {
                let marker = line.trim_start().find(' ').map_or(2, |space| space + 1);
                item_indent = Some(indent + marker);
            } else if item_indent.is_some_and(|needed| indent < needed) {
                out.push(String::new());
                item_indent = None;
            }
        }
        out.push(format!(" {line}"));
    }
    out
}

/// The first sentence of `text`: up to and including the first `. ` or `。` (the Chinese
/// full stop of the providers' metadata), or the first line.
pub(crate) fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let western = line.find(". ").map(|index| index + 1);
    let chinese = line.find('。').map(|index| index + '。'.len_utf8());
    match western.into_iter().chain(chinese).min() {
        Some(end) => line[..end].to_owned(),
        None => line.to_owned(),
    }
}

/// `text` as one line: newlines and runs of spaces folded, for list items and table cells.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inline code: `text` in backticks, with a longer fence when the text holds backticks.
pub(crate) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The "Facts from elsewhere" section for `facts`: each fact with its sources, and any
/// conflict with the document's value in bold, so that a reader tells documented facts from
/// derived ones. Empty for no facts.
/// One cited source as a line: `source (sdk): name version, `location`: `quote``.
pub(crate) fn source_line(source: &crate::spec::model::FactSource) -> String {
    let mut line = format!("source ({}): {}", source.kind.as_str(), source.name);
    if let Some(version) = &source.version {
        line.push_str(&format!(" {version}"));
    }
    if let Some(location) = &source.location {
        line.push_str(&format!(", {}", code(&one_line(location))));
    }
    if let Some(quote) = &source.quote {
        let language = source
            .language
            .as_ref()
            .map(|language| format!(" ({language})"))
            .unwrap_or_default();
        line.push_str(&format!(": {}{language}", code(&one_line(quote))));
    }
    line
}

pub(crate) fn facts_section(facts: &[crate::spec::model::Fact]) -> String {
    if facts.is_empty() {
        return String::new();
    }
    let mut doc = String::from(
        "\n# Facts from elsewhere\n\n\
         Not stated in the document; each names its source.\n\n",
    );
    for fact in facts {
        doc.push_str(&format!(
            "- `{}`: {}\n",
            fact.id.value,
            one_line(&fact.text)
        ));
        for source in &fact.sources {
            doc.push_str(&format!("  - {}\n", source_line(source)));
        }
        if let Some(conflict) = &fact.conflict {
            doc.push_str(&format!(
                "  - **conflict**: the spec says {}; the source says {}. {}\n",
                code(&one_line(&conflict.spec)),
                code(&one_line(&conflict.source)),
                one_line(&conflict.resolution)
            ));
        }
    }
    doc
}

/// A fenced code block, its fence longer than any run of backticks in `text` (so an
/// example holding ```` ``` ```` cannot close it).
pub(crate) fn block(language: &str, text: &str) -> String {
    let fence = fence_for(text);
    format!("{fence}{language}\n{}\n{fence}\n", text.trim_end())
}

/// Where a value comes from, as one rustdoc line (`Source: tccli 3.1.189.1 metadata,
/// tccli/services/cvm/v20170312/api.json; text in zh.`).
pub(crate) fn provenance_line(provenance: &crate::spec::model::Provenance) -> String {
    use crate::spec::model::ProvenanceKind;
    let kind = match provenance.kind {
        ProvenanceKind::Document => "the document",
        ProvenanceKind::Metadata => "the provider's metadata",
        ProvenanceKind::Sdk => "an official SDK",
        ProvenanceKind::Inference => "an inference",
    };
    let mut line = format!("Source: {kind}");
    let named: Vec<&str> = [&provenance.name, &provenance.version, &provenance.file]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !named.is_empty() {
        line.push_str(&format!(" ({})", named.join(" ")));
    }
    if let Some(text) = &provenance.text {
        line.push_str(&format!(": {}", one_line(text)));
    }
    line.push('.');
    if let Some(language) = &provenance.language {
        line.push_str(&format!(" Its text is in `{language}`, verbatim."));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_period() {
        assert_eq!(
            first_sentence("Deletes a custom image. More."),
            "Deletes a custom image."
        );
        assert_eq!(first_sentence("No period"), "No period");
    }

    /// The code blocks rustdoc would compile: indented ones, and fenced ones whose info
    /// string is not an inert language.
    fn live_blocks(text: &str) -> usize {
        Parser::new_ext(text, Options::empty())
            .filter(|event| matches!(event, Event::Start(Tag::CodeBlock(kind)) if !is_inert(kind)))
            .count()
    }

    #[test]
    fn prose_code_blocks_become_text_blocks() {
        let hostile = [
            "Run this:\n\n```\nfn main() { std::process::exit(1) }\n```\n",
            "```rust\npanic!()\n```",
            "~~~ignore\nx\n~~~",
            "  ```no_run,should_panic\nx\n  ```",
            "Para\n\n    let x = 1;\n    panic!();\n\nafter",
            "- item\n\n      code in a list\n\n- b",
            "> quote\n>\n>     code in a quote\n",
            "````\n```\nnested\n```\n````",
            "```\nunclosed fence swallowing the rest",
            "\t\ttabbed code\n",
            "    ```\n    indented fence\n    ```",
        ];
        for text in hostile {
            assert!(live_blocks(text) > 0, "the fixture has a doctest: {text:?}");
            let inert = inert_code_blocks(text);
            assert_eq!(live_blocks(&inert), 0, "{text:?} became {inert:?}");
        }
        assert!(inert_code_blocks(hostile[0]).contains("```text\nfn main()"));
        assert!(inert_code_blocks(hostile[4]).contains("    let x = 1;"));
    }

    #[test]
    fn prose_without_doctests_is_unchanged() {
        for text in [
            "Deletes a custom image. `code` stays.",
            "```json\n{\"a\": 1}\n```",
            "| a | b |\n| --- | --- |\n| 1 | 2 |",
        ] {
            assert_eq!(inert_code_blocks(text), text);
        }
    }

    #[test]
    fn example_blocks_outlast_backticks_in_the_example() {
        let text = block("text", "a\n```\nfn main() {}\n```\nb");
        assert!(text.starts_with("````text\n"), "{text}");
        assert_eq!(live_blocks(&text), 0);
        let parsed: Vec<_> = Parser::new_ext(&text, Options::empty()).collect();
        assert_eq!(
            parsed
                .iter()
                .filter(|event| matches!(event, Event::Start(Tag::CodeBlock(_))))
                .count(),
            1,
            "one block holds the whole example: {text}"
        );
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("m-bp67****"), "`m-bp67****`");
    }
}
