//! Spec prose is documentation, never code (issue 10, item 1): code samples in
//! descriptions, notes, error meanings and examples reach rustdoc as `text` blocks, so
//! `cargo test` never compiles or runs them. The only doctest of a generated crate is the
//! client example the generator writes, whose spec values are string literals.

use std::path::Path;

use cloudspec_codegen::generate_dir;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// The doc comments of a Rust file, one Markdown text per item (consecutive `///` or `//!`
/// lines), as rustdoc reads them.
fn doc_blocks(source: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        let doc = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"));
        match (doc, current.as_mut()) {
            (Some(text), Some(block)) => {
                block.push_str(text.strip_prefix(' ').unwrap_or(text));
                block.push('\n');
            }
            (Some(text), None) => {
                current = Some(format!("{}\n", text.strip_prefix(' ').unwrap_or(text)));
            }
            (None, _) => blocks.extend(current.take()),
        }
    }
    blocks.extend(current);
    blocks
}

/// The info strings of the code blocks rustdoc would compile (`""` for an indented block).
fn doctests(markdown: &str) -> Vec<String> {
    const INERT: &[&str] = &[
        "text", "json", "xml", "yaml", "sh", "shell", "bash", "console", "http",
    ];
    Parser::new_ext(markdown, Options::empty())
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(String::new()),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if !INERT.contains(&info.trim()) =>
            {
                Some(info.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn prose_code_samples_never_become_doctests() {
    let files = generate_dir(Path::new("tests/fixtures/hostile-prose")).expect("the spec is fine");
    let mut all_docs = String::new();
    let mut live = Vec::new();
    for file in files.iter().filter(|file| file.path.ends_with(".rs")) {
        for block in doc_blocks(&file.contents) {
            for info in doctests(&block) {
                live.push((file.path.clone(), info));
            }
            all_docs.push_str(&block);
        }
    }
    assert_eq!(
        live,
        vec![(
            "generated/alibaba-demo/src/client.rs".to_owned(),
            "no_run".to_owned()
        )],
        "only the generator's client example is a doctest"
    );
    // 3 is in the source note, which the docs show only when there is no date; 4 is the
    // region, checked below.
    for exit in [1, 2, 5, 6, 7, 8] {
        assert!(
            all_docs.contains(&format!("std::process::exit({exit})")),
            "sample {exit} is still shown, as text:\n{all_docs}"
        );
    }
    let client = files
        .iter()
        .find(|file| file.path.ends_with("src/client.rs"))
        .expect("a client file");
    assert!(
        client
            .contents
            .contains(r#".with_region("cn-hangzhou\"); std::process::exit(4); (\"");"#),
        "a region in the example is a string literal:\n{}",
        client.contents
    );
}
