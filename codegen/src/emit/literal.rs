//! Rust data literals (struct expressions, slices, string literals, paths) written straight
//! to text. The registry's tables grow with every operation of every spec and hold no code,
//! so they skip the round trip through tokens, syn and prettyplease that the generator's
//! largest cost is: a literal that fits the line is written on one line, anything else one
//! field or item per line, four spaces deeper, as rustfmt lays such literals out.

use std::fmt::Write as _;

/// The width a line may reach.
const WIDTH: usize = 100;

/// A Rust data literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    /// A string literal holding the text.
    Str(String),
    /// Code as it is written: a path, a number, `true`, `None`.
    Code(String),
    /// `Name { field: value, .. }`.
    Struct(String, Vec<(&'static str, Lit)>),
    /// `Name(value, ..)`: a tuple variant or `Some`.
    Call(String, Vec<Lit>),
    /// `(value, ..)`.
    Tuple(Vec<Lit>),
    /// `&[value, ..]`.
    Slice(Vec<Lit>),
    /// `&value`.
    Ref(Box<Lit>),
}

impl Lit {
    /// A string literal.
    pub(crate) fn str(text: impl Into<String>) -> Lit {
        Lit::Str(text.into())
    }

    /// Code as written.
    pub(crate) fn code(text: impl Into<String>) -> Lit {
        Lit::Code(text.into())
    }

    /// `Name { fields }`.
    pub(crate) fn record(name: impl Into<String>, fields: Vec<(&'static str, Lit)>) -> Lit {
        Lit::Struct(name.into(), fields)
    }

    /// `Some(value)`, or `None`.
    pub(crate) fn option(value: Option<Lit>) -> Lit {
        match value {
            Some(value) => Lit::Call("Some".to_owned(), vec![value]),
            None => Lit::code("None"),
        }
    }

    /// `Some("text")`, or `None`.
    pub(crate) fn option_str(text: Option<&str>) -> Lit {
        Lit::option(text.map(Lit::str))
    }

    /// `&[items]`.
    pub(crate) fn slice(items: impl IntoIterator<Item = Lit>) -> Lit {
        Lit::Slice(items.into_iter().collect())
    }

    /// `&[..]` of string literals.
    pub(crate) fn str_slice<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Lit {
        Lit::slice(items.into_iter().map(|item| Lit::str(item.as_ref())))
    }

    /// `&value`.
    pub(crate) fn by_ref(value: Lit) -> Lit {
        Lit::Ref(Box::new(value))
    }

    /// The literal at `indent` spaces (the column its first line starts at, after whatever
    /// precedes it on that line: `lead` characters).
    pub(crate) fn write(&self, out: &mut String, indent: usize, lead: usize) {
        let budget = WIDTH.saturating_sub(indent + lead);
        if matches!(self, Lit::Str(_) | Lit::Code(_)) || self.flat_fits(budget).is_some() {
            self.write_flat(out);
            return;
        }
        let inner = indent + 4;
        let pad = |out: &mut String, width: usize| out.extend(std::iter::repeat_n(' ', width));
        match self {
            Lit::Str(_) | Lit::Code(_) => self.write_flat(out),
            // A single literal argument continues on the call's line (`Some(&Behaviour {`),
            // as rustfmt writes it.
            Lit::Call(name, items)
                if items.len() == 1
                    && matches!(items[0], Lit::Struct(..) | Lit::Ref(_) | Lit::Slice(_)) =>
            {
                out.push_str(name);
                out.push('(');
                items[0].write(out, indent, lead + name.len() + 1);
                out.push(')');
            }
            Lit::Struct(name, fields) => {
                out.push_str(name);
                out.push_str(" {\n");
                for (field, value) in fields {
                    pad(out, inner);
                    out.push_str(field);
                    out.push_str(": ");
                    value.write(out, inner, field.len() + 2);
                    out.push_str(",\n");
                }
                pad(out, indent);
                out.push('}');
            }
            Lit::Call(name, items) => {
                out.push_str(name);
                Self::items(out, "(", items, ")", indent);
            }
            Lit::Tuple(items) => Self::items(out, "(", items, ")", indent),
            Lit::Slice(items) => Self::items(out, "&[", items, "]", indent),
            Lit::Ref(value) => {
                out.push('&');
                value.write(out, indent, lead + 1);
            }
        }
    }

    /// `open`, one item per line four spaces deeper, `close` at `indent`.
    fn items(out: &mut String, open: &str, items: &[Lit], close: &str, indent: usize) {
        out.push_str(open);
        out.push('\n');
        for item in items {
            out.extend(std::iter::repeat_n(' ', indent + 4));
            item.write(out, indent + 4, 0);
            out.push_str(",\n");
        }
        out.extend(std::iter::repeat_n(' ', indent));
        out.push_str(close);
    }

    /// The length of the literal on one line, when it is at most `budget`; `None` as soon
    /// as it is longer (so a deep table is not measured whole
    /// at every level).
    fn flat_fits(&self, budget: usize) -> Option<usize> {
        let list = |items: &[Lit], open: usize, budget: usize| {
            let mut used = open;
            for (index, item) in items.iter().enumerate() {
                used += if index > 0 { 2 } else { 0 };
                used += item.flat_fits(budget.checked_sub(used)?)?;
            }
            (used <= budget).then_some(used)
        };
        let used = match self {
            Lit::Str(text) => {
                if text.len() + 2 > budget {
                    return None;
                }
                format!("{text:?}").len()
            }
            Lit::Code(code) => code.len(),
            Lit::Struct(name, fields) if fields.is_empty() => name.len() + 3,
            Lit::Struct(name, fields) => {
                let mut used = name.len() + 3;
                for (index, (field, value)) in fields.iter().enumerate() {
                    used += if index > 0 { 2 } else { 0 } + field.len() + 2;
                    used += value.flat_fits(budget.checked_sub(used)?)?;
                }
                used + 2
            }
            Lit::Call(name, items) => list(items, name.len() + 1, budget)? + 1,
            Lit::Tuple(items) => list(items, 1, budget)? + 1,
            Lit::Slice(items) => list(items, 2, budget)? + 1,
            Lit::Ref(value) => value.flat_fits(budget.checked_sub(1)?)? + 1,
        };
        (used <= budget).then_some(used)
    }

    fn write_flat(&self, out: &mut String) {
        let list = |out: &mut String, items: &[Lit]| {
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                item.write_flat(out);
            }
        };
        match self {
            // `{:?}` of a `str` is a Rust string literal: quotes, backslashes and control
            // characters escaped.
            Lit::Str(text) => {
                let _ = write!(out, "{text:?}");
            }
            Lit::Code(code) => out.push_str(code),
            Lit::Struct(name, fields) if fields.is_empty() => {
                out.push_str(name);
                out.push_str(" {}");
            }
            Lit::Struct(name, fields) => {
                out.push_str(name);
                out.push_str(" { ");
                for (index, (field, value)) in fields.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(field);
                    out.push_str(": ");
                    value.write_flat(out);
                }
                out.push_str(" }");
            }
            Lit::Call(name, items) => {
                out.push_str(name);
                out.push('(');
                list(out, items);
                out.push(')');
            }
            Lit::Tuple(items) => {
                out.push('(');
                list(out, items);
                out.push(')');
            }
            Lit::Slice(items) => {
                out.push_str("&[");
                list(out, items);
                out.push(']');
            }
            Lit::Ref(value) => {
                out.push('&');
                value.write_flat(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(lit: &Lit) -> String {
        let mut out = String::new();
        lit.write(&mut out, 0, 0);
        out
    }

    #[test]
    fn short_literals_stay_on_one_line_and_strings_are_escaped() {
        let lit = Lit::record(
            "Entry",
            vec![
                ("name", Lit::str("a \"quoted\" \\ name\n")),
                ("items", Lit::str_slice(["x"])),
                ("none", Lit::option_str(None)),
            ],
        );
        assert_eq!(
            written(&lit),
            r#"Entry { name: "a \"quoted\" \\ name\n", items: &["x"], none: None }"#
        );
        assert_eq!(written(&Lit::record("Empty", vec![])), "Empty {}");
    }

    #[test]
    fn long_literals_break_one_field_or_item_per_line() {
        let long = "x".repeat(90);
        let lit = Lit::record(
            "Entry",
            vec![
                ("name", Lit::str(&long)),
                ("items", Lit::slice([Lit::code("1"), Lit::str(&long)])),
            ],
        );
        let expected = format!(
            "Entry {{\n    name: \"{long}\",\n    items: &[\n        1,\n        \"{long}\",\n    ],\n}}"
        );
        assert_eq!(written(&lit), expected);
    }
}
