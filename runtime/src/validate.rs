//! Client-side validation of documented limits.
//!
//! Generated validators call these checks with the limits the document states and the
//! document's own sentence, and report every violation at once. Validation is on by default
//! and can be turned off with [`ValidationMode::Off`]: a service may relax a limit before the
//! spec catches up, and a client must not refuse valid requests because of an old document.

use std::fmt;

/// Whether a client checks documented limits before sending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ValidationMode {
    /// Check every documented limit and refuse a request that breaks one (the default).
    #[default]
    Enforce,
    /// Send requests unchecked; the service has the last word.
    Off,
}

/// One broken limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The parameter as the document names it.
    pub parameter: &'static str,
    /// The documented limit, in words (`at most 15 items`).
    pub limit: String,
    /// What the input had (`16 items`).
    pub found: String,
    /// The document's sentence stating the limit.
    pub quote: &'static str,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must have {}, found {} (the document: \"{}\")",
            self.parameter, self.limit, self.found, self.quote
        )
    }
}

/// Every documented limit an input breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors {
    /// The operation whose input was checked.
    pub operation: &'static str,
    /// The broken limits, in parameter order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} input: ", self.operation)?;
        for (index, violation) in self.violations.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl ValidationErrors {
    /// The violation for `parameter`, if any.
    pub fn for_parameter(&self, parameter: &str) -> Option<&Violation> {
        self.violations
            .iter()
            .find(|violation| violation.parameter == parameter)
    }
}

/// Collects violations while a validator runs.
#[derive(Debug)]
pub struct Validator {
    operation: &'static str,
    violations: Vec<Violation>,
}

impl Validator {
    /// A validator for an input of `operation`.
    pub fn new(operation: &'static str) -> Self {
        Self {
            operation,
            violations: Vec::new(),
        }
    }

    /// Checks a list's length against `min` and `max` items.
    pub fn items(
        &mut self,
        parameter: &'static str,
        len: usize,
        min: Option<u64>,
        max: Option<u64>,
        quote: &'static str,
    ) {
        let len = len as u64;
        if let Some(min) = min.filter(|min| len < *min) {
            self.push(
                parameter,
                format!("at least {min} item{}", plural(min)),
                format!("{len}"),
                quote,
            );
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.push(
                parameter,
                format!("at most {max} item{}", plural(max)),
                format!("{len}"),
                quote,
            );
        }
    }

    /// Checks a string's length in characters against `min` and `max`.
    pub fn length(
        &mut self,
        parameter: &'static str,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
        quote: &'static str,
    ) {
        let len = value.chars().count() as u64;
        if let Some(min) = min.filter(|min| len < *min) {
            self.push(
                parameter,
                format!("at least {min} character{}", plural(min)),
                format!("{len}"),
                quote,
            );
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.push(
                parameter,
                format!("at most {max} character{}", plural(max)),
                format!("{len}"),
                quote,
            );
        }
    }

    /// Checks that a string holds ASCII characters only.
    pub fn ascii(&mut self, parameter: &'static str, value: &str, quote: &'static str) {
        if let Some(bad) = value.chars().find(|c| !c.is_ascii()) {
            self.push(
                parameter,
                "ASCII characters only".to_owned(),
                format!("{bad:?}"),
                quote,
            );
        }
    }

    fn push(&mut self, parameter: &'static str, limit: String, found: String, quote: &'static str) {
        self.violations.push(Violation {
            parameter,
            limit,
            found,
            quote,
        });
    }

    /// `Ok` when nothing was broken, else every violation.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                operation: self.operation,
                violations: self.violations,
            })
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_violation_naming_parameter_and_limit() {
        let mut validator = Validator::new("DeleteCustomImages");
        validator.items("ImageIds", 16, Some(1), Some(15), "up to 15 image IDs");
        validator.length(
            "ClientToken",
            &"é".repeat(65),
            None,
            Some(64),
            "64 characters",
        );
        validator.ascii("ClientToken", "é", "ASCII");
        let errors = validator.finish().unwrap_err();
        assert_eq!(errors.violations.len(), 3);
        assert_eq!(errors.violations[0].limit, "at most 15 items");
        assert_eq!(errors.violations[0].found, "16");
        assert_eq!(errors.violations[1].limit, "at most 64 characters");
        assert_eq!(errors.violations[1].found, "65");
        assert_eq!(errors.violations[2].limit, "ASCII characters only");
        let text = errors.to_string();
        assert!(
            text.starts_with(
                "invalid DeleteCustomImages input: `ImageIds` must have at most 15 items, found 16"
            ),
            "{text}"
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut validator = Validator::new("Op");
        validator.length("Token", &"é".repeat(64), None, Some(64), "q");
        assert!(validator.finish().is_ok());
    }

    #[test]
    fn empty_required_list_fails_minimum() {
        let mut validator = Validator::new("Op");
        validator.items("ImageIds", 0, Some(1), None, "q");
        let errors = validator.finish().unwrap_err();
        assert_eq!(
            errors.for_parameter("ImageIds").map(|v| v.limit.as_str()),
            Some("at least 1 item")
        );
    }
}
