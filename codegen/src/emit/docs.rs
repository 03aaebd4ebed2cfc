//! Rustdoc from spec prose.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`///`) for `text`, one per line.
pub(crate) fn outer(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`) for `text`, one per line.
pub(crate) fn inner(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #( #![doc = #lines] )* }
}

fn lines(text: &str) -> Vec<String> {
    text.trim_end()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// The first sentence of `text` (up to and including the first `. `, or the first line).
pub(crate) fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    match line.find(". ") {
        Some(index) => line[..=index].to_owned(),
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
            let mut line = format!("  - source ({}): {}", source.kind.as_str(), source.name);
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
            doc.push_str(&line);
            doc.push('\n');
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

/// A fenced code block.
pub(crate) fn block(language: &str, text: &str) -> String {
    format!("```{language}\n{}\n```\n", text.trim_end())
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

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("m-bp67****"), "`m-bp67****`");
    }
}
