//! Hints for habits from the providers' own CLIs. A command line in tccli's or the aliyun
//! CLI's form (`cloudspec cvm DeleteImages --ImageIds '["img-1"]'`) is translated into
//! cloudspec's (`cloudspec tencent-cvm delete-images --image-ids img-1`) from the registry's
//! names (services, operations, parameters), and shown with what was changed.

use std::fmt;

use clap::ArgMatches;
use cloudspec_runtime::registry::{OperationEntry, ParamEntry, ParamKind, ServiceEntry};
use serde_json::Value;

use crate::naming::CLI_FLAG_ALIASES;
use crate::text::escape_controls;

/// A command line in cloudspec's form, and what was changed to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The command lines (more than one when a service name is ambiguous), shell-quoted.
    pub commands: Vec<String>,
    /// One line per kind of change.
    pub notes: Vec<String>,
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, command) in self.commands.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "hint: {command}")?;
        }
        for note in &self.notes {
            write!(f, "\n  - {note}")?;
        }
        Ok(())
    }
}

/// `name` without a list suffix (`.N`, `.1`), lower-case, letters and digits only: the
/// form in which `ImageIds`, `image-ids`, `ImageIds.N` and `imageIds` are equal.
fn squash(name: &str) -> String {
    let name = match name.rsplit_once('.') {
        Some((base, suffix)) if suffix == "N" || suffix.chars().all(|c| c.is_ascii_digit()) => base,
        _ => name,
    };
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The services a word names: the command itself, else those whose short name or product
/// code it is (`cvm`, `ecs`, `swas-open`).
fn services_named(word: &str) -> Vec<&'static ServiceEntry> {
    if let Some(service) = cloudspec_services::service(word) {
        return vec![service];
    }
    cloudspec_services::SERVICES
        .iter()
        .filter(|service| {
            service.meta.name.eq_ignore_ascii_case(word)
                || service.meta.product_code.eq_ignore_ascii_case(word)
        })
        .collect()
}

/// The operation of `service` a word names: its command, its documented name or its action
/// (`DeleteImages`), in any case or separator style.
fn operation_named(service: &ServiceEntry, word: &str) -> Option<&'static OperationEntry> {
    let wanted = squash(word);
    service.operation(word).or_else(|| {
        service.operations.iter().find(|operation| {
            squash(operation.meta.name) == wanted
                || operation
                    .meta
                    .action
                    .is_some_and(|action| squash(action) == wanted)
                || squash(operation.command) == wanted
        })
    })
}

/// The operation's parameter a flag names: `--image-ids`, `--ImageIds`, `--ImageIds.1`.
fn param_named(operation: &OperationEntry, name: &str) -> Option<&'static ParamEntry> {
    let wanted = squash(name);
    operation
        .params
        .iter()
        .filter(|param| !param.common)
        .find(|param| {
            param.flag == name
                || squash(param.documented_name) == wanted
                || squash(param.wire_name) == wanted
                || squash(param.flag) == wanted
        })
}

/// A common flag of every operation command (`--region`, `--output`), with whether it takes
/// a value; tccli's spellings (`--secretId`) are matched through [`CLI_FLAG_ALIASES`].
fn common_flag_named(name: &str) -> Option<(String, bool)> {
    let wanted = squash(name);
    let alias = CLI_FLAG_ALIASES
        .iter()
        .find(|(theirs, _)| squash(theirs) == wanted)
        .map(|(_, ours)| *ours);
    if wanted == "help" {
        return Some(("help".to_owned(), false));
    }
    crate::call::common_args().into_iter().find_map(|arg| {
        let long = arg.get_long()?;
        let matches = long == name || alias == Some(long) || squash(long) == wanted;
        matches.then(|| (long.to_owned(), arg.get_action().takes_values()))
    })
}

/// A list flag whose items are identifiers (`--image-ids`), which never contain a comma, so
/// a comma in one of its values is a list written the wrong way.
pub fn is_identifier_list(param: &ParamEntry) -> bool {
    param.kind == ParamKind::StringList && param.flag.ends_with("-ids")
}

/// The first value of an identifier-list flag of `operation` that is a whole list written
/// the way another CLI takes it: with commas (`--image-ids a,b`, the aliyun habit) or as
/// JSON (`--image-ids '["a"]'`, tccli's), as `(flag, value)`.
pub fn list_mistake(
    operation: &OperationEntry,
    matches: &ArgMatches,
) -> Option<(&'static str, String)> {
    operation
        .params
        .iter()
        .filter(|param| !param.common && is_identifier_list(param))
        .find_map(|param| {
            matches
                .get_many::<String>(param.flag)?
                .find(|value| {
                    value.contains(',')
                        || matches!(serde_json::from_str::<Value>(value), Ok(Value::Array(_)))
                })
                .map(|value| (param.flag, value.clone()))
        })
}

/// What the translation changed, gathered into notes.
#[derive(Default)]
struct Changes {
    service: Option<String>,
    renamed: Vec<String>,
    list: Option<String>,
    boolean: Option<String>,
    unknown: Vec<String>,
}

impl Changes {
    fn rename(&mut self, from: &str, to: &str) {
        let line = format!("`{}` is `{}`", escape_controls(from), to);
        if !self.renamed.contains(&line) {
            self.renamed.push(line);
        }
    }

    fn notes(self, service: &ServiceEntry, operation: &OperationEntry) -> Vec<String> {
        let mut notes = Vec::new();
        notes.extend(self.service);
        if !self.renamed.is_empty() {
            notes.push(format!(
                "operations and flags are kebab-case: {}",
                self.renamed.join(", ")
            ));
        }
        if let Some(flag) = self.list {
            notes.push(format!(
                "a list flag takes one item and repeats (`--{flag} a --{flag} b`), not a JSON \
                 list or commas"
            ));
        }
        if let Some(flag) = self.boolean {
            notes.push(format!(
                "boolean flags take no value: `--{flag}` is true, `--{flag}=false` false"
            ));
        }
        for flag in self.unknown {
            notes.push(format!(
                "`{}` is not a flag of `{} {}` (see `cloudspec {} {} --help`)",
                escape_controls(&flag),
                service.command,
                operation.command,
                service.command,
                operation.command
            ));
        }
        notes
    }
}

fn is_boolean_word(text: &str) -> bool {
    text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")
}

/// The items of a list value: a JSON list (tccli), or items separated by commas for an
/// identifier list; `None` when the value is one item.
fn list_items(param: &ParamEntry, value: &str) -> Option<Vec<String>> {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(value) {
        return Some(
            items
                .into_iter()
                .map(|item| match item {
                    Value::String(text) => text,
                    other => other.to_string(),
                })
                .collect(),
        );
    }
    (is_identifier_list(param) && value.contains(',')).then(|| {
        value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    })
}

/// The flags after `service operation`, in cloudspec's form.
fn translate_flags(
    operation: &OperationEntry,
    tokens: &[String],
    changes: &mut Changes,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        index += 1;
        if token == "--" {
            out.extend(tokens[index - 1..].iter().cloned());
            break;
        }
        let Some(body) = token.strip_prefix("--") else {
            out.push(token.clone());
            continue;
        };
        let (name, inline) = match body.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (body, None),
        };
        let next_value = |index: &mut usize, accept: &dyn Fn(&str) -> bool| {
            let next = tokens.get(*index).filter(|next| accept(next)).cloned();
            if next.is_some() {
                *index += 1;
            }
            next
        };
        let not_a_flag = |next: &str| !next.starts_with("--");
        if let Some(param) = param_named(operation, name) {
            if param.flag != name {
                changes.rename(&format!("--{name}"), &format!("--{}", param.flag));
            }
            let flag = format!("--{}", param.flag);
            match param.kind {
                ParamKind::Boolean => {
                    let value = inline.or_else(|| next_value(&mut index, &is_boolean_word));
                    match value {
                        None => out.push(flag),
                        Some(value) if value.eq_ignore_ascii_case("true") => {
                            changes.boolean.get_or_insert(param.flag.to_owned());
                            out.push(flag);
                        }
                        Some(value) if value.eq_ignore_ascii_case("false") => {
                            changes.boolean.get_or_insert(param.flag.to_owned());
                            out.push(format!("{flag}=false"));
                        }
                        Some(other) => out.push(format!("{flag}={other}")),
                    }
                }
                ParamKind::StringList => {
                    match inline.or_else(|| next_value(&mut index, &not_a_flag)) {
                        None => out.push(flag),
                        Some(value) => match list_items(param, &value) {
                            Some(items) => {
                                changes.list.get_or_insert(param.flag.to_owned());
                                for item in items {
                                    out.push(flag.clone());
                                    out.push(item);
                                }
                            }
                            None => {
                                out.push(flag);
                                out.push(value);
                            }
                        },
                    }
                }
                _ => {
                    out.push(flag);
                    out.extend(inline.or_else(|| next_value(&mut index, &not_a_flag)));
                }
            }
        } else if let Some((flag, takes_value)) = common_flag_named(name) {
            if flag != name {
                changes.rename(&format!("--{name}"), &format!("--{flag}"));
            }
            out.push(format!("--{flag}"));
            if takes_value {
                out.extend(inline.or_else(|| next_value(&mut index, &not_a_flag)));
            }
        } else {
            changes.unknown.push(format!("--{name}"));
            out.push(token.clone());
            out.extend(next_value(&mut index, &not_a_flag));
        }
    }
    out
}

/// `args` (the words after the program name) in cloudspec's form, when they are another
/// CLI's form of a known service; `None` when the first word names no service, or when
/// nothing would change (clap's error then says what is wrong).
pub fn translate(args: &[String]) -> Option<Hint> {
    let (service_word, rest) = args.split_first()?;
    let services = services_named(service_word);
    if services.is_empty() {
        return None;
    }
    let exact_service = services.len() == 1 && services[0].command == service_word;
    let operation_word = rest.first().filter(|word| !word.starts_with('-'));
    let found: Vec<(&ServiceEntry, &OperationEntry)> = services
        .iter()
        .filter_map(|service| {
            operation_word
                .and_then(|word| operation_named(service, word))
                .map(|operation| (*service, operation))
        })
        .collect();
    if found.is_empty() {
        if exact_service {
            return None;
        }
        // A known service in another CLI's name, with no operation it has: its help.
        let mut notes = vec![service_note(service_word, &services)];
        if let Some(word) = operation_word {
            notes.push(format!(
                "`{}` is not an operation of {}",
                escape_controls(word),
                services
                    .iter()
                    .map(|service| format!("`{}`", service.command))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
        }
        return Some(Hint {
            commands: services
                .iter()
                .map(|service| format!("cloudspec {} --help", service.command))
                .collect(),
            notes,
        });
    }
    let mut commands = Vec::new();
    let mut notes = Vec::new();
    for (service, operation) in &found {
        let mut changes = Changes::default();
        if !exact_service {
            changes.service = Some(service_note(service_word, &services));
        }
        let word = operation_word.map(String::as_str).unwrap_or_default();
        if operation.command != word {
            changes.rename(word, operation.command);
        }
        let mut words = vec![service.command.to_owned(), operation.command.to_owned()];
        words.extend(translate_flags(operation, &rest[1..], &mut changes));
        if words.as_slice() == args {
            continue;
        }
        commands.push(format!("cloudspec {}", shell_words(&words)?));
        for note in changes.notes(service, operation) {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    (!commands.is_empty()).then_some(Hint { commands, notes })
}

/// `words` as one shell line. Flags come from the registry's names (letters, digits,
/// hyphens, and `=false`) and stay as they are; every other word is quoted where the
/// shell needs it.
fn shell_words(words: &[String]) -> Option<String> {
    let quoted: Option<Vec<String>> = words
        .iter()
        .map(|word| {
            let plain_flag = word.starts_with("--")
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '=');
            if plain_flag {
                Some(word.clone())
            } else {
                shlex::try_quote(word)
                    .ok()
                    .map(|quoted| quoted.into_owned())
            }
        })
        .collect();
    quoted.map(|words| words.join(" "))
}

fn service_note(word: &str, services: &[&ServiceEntry]) -> String {
    let names: Vec<String> = services
        .iter()
        .map(|service| format!("`{}`", service.command))
        .collect();
    format!(
        "`{}` is {} (cloudspec names each service after its provider)",
        escape_controls(word),
        names.join(" or ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        shlex::split(line).expect("a shell line")
    }

    fn hint_for(line: &str) -> Hint {
        translate(&words(line)).unwrap_or_else(|| panic!("a hint for {line}"))
    }

    #[test]
    fn tccli_form_becomes_cloudspec_form() {
        let hint = hint_for(r#"cvm DeleteImages --ImageIds '["img-1"]'"#);
        assert_eq!(
            hint.commands,
            ["cloudspec tencent-cvm delete-images --image-ids img-1"]
        );
        let shown = hint.to_string();
        assert!(shown.contains("`cvm` is `tencent-cvm`"), "{shown}");
        assert!(
            shown.contains("`DeleteImages` is `delete-images`, `--ImageIds` is `--image-ids`"),
            "{shown}"
        );
        assert!(
            shown.contains("a list flag takes one item and repeats"),
            "{shown}"
        );
        let several = hint_for(
            r#"cvm DeleteImages --ImageIds '["img-1","img-2"]' --DryRun True --region ap-guangzhou"#,
        );
        assert_eq!(
            several.commands,
            [
                "cloudspec tencent-cvm delete-images --image-ids img-1 --image-ids img-2 --dry-run --region ap-guangzhou"
            ]
        );
    }

    #[test]
    fn aliyun_form_becomes_cloudspec_form() {
        let hint = hint_for("ecs DeleteImage --ImageId m-1 --RegionId cn-hangzhou");
        assert_eq!(
            hint.commands,
            ["cloudspec alibaba-ecs delete-image --image-id m-1 --region-id cn-hangzhou"]
        );
        // aliyun's product code for SWAS, and its numbered list items.
        let swas = hint_for(
            "swas-open DeleteCustomImages --RegionId cn-hangzhou --ImageIds.1 m-1 --ImageIds.2 m-2",
        );
        assert_eq!(
            swas.commands,
            [
                "cloudspec alibaba-swas delete-custom-images --region-id cn-hangzhou --image-ids m-1 --image-ids m-2"
            ]
        );
    }

    #[test]
    fn boolean_values_and_comma_lists_are_corrected() {
        let hint = hint_for("tencent-cvm delete-images --image-ids img-1 --dry-run true");
        assert_eq!(
            hint.commands,
            ["cloudspec tencent-cvm delete-images --image-ids img-1 --dry-run"]
        );
        assert!(
            hint.to_string()
                .contains("boolean flags take no value: `--dry-run` is true"),
            "{hint}"
        );
        let off = hint_for("tencent-cvm delete-images --image-ids img-1 --dry-run false");
        assert_eq!(
            off.commands,
            ["cloudspec tencent-cvm delete-images --image-ids img-1 --dry-run=false"]
        );
        let commas = hint_for("tencent-cvm delete-images --image-ids a,b");
        assert_eq!(
            commas.commands,
            ["cloudspec tencent-cvm delete-images --image-ids a --image-ids b"]
        );
    }

    #[test]
    fn tccli_credentials_flags_and_unknown_flags() {
        let hint =
            hint_for("cvm DeleteImages --ImageIds img-1 --secretId AKID --secretKey s --profile p");
        assert_eq!(
            hint.commands,
            [
                "cloudspec tencent-cvm delete-images --image-ids img-1 --access-key-id AKID --access-key-secret s --profile p"
            ]
        );
        assert!(
            !hint.to_string().contains("`--profile` is not a flag"),
            "tccli's --profile is cloudspec's too: {hint}"
        );
    }

    #[test]
    fn values_are_shell_quoted() {
        let hint =
            hint_for(r#"cvm DescribeImages --Filters '[{"Name":"image-id","Values":["img-1"]}]'"#);
        assert_eq!(
            hint.commands,
            [
                r#"cloudspec tencent-cvm describe-images --filters '[{"Name":"image-id","Values":["img-1"]}]'"#
            ]
        );
    }

    #[test]
    fn no_hint_for_unknown_words_or_the_right_form() {
        assert_eq!(translate(&words("nosuchservice DeleteImages")), None);
        assert_eq!(
            translate(&words("tencent-cvm delete-images --image-ids img-1")),
            None
        );
        assert_eq!(translate(&words("tencent-cvm NoSuchOperation")), None);
        // A known short name with an unknown operation points at the service's help.
        let help = hint_for("cvm NoSuchOperation");
        assert_eq!(help.commands, ["cloudspec tencent-cvm --help"]);
        assert_eq!(translate(&[]), None);
    }
}
