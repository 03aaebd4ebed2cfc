//! The check pass: everything about a spec that the YAML shape alone cannot enforce.
//!
//! Each problem becomes a [`Diagnostic`] at the position of the offending value, with a hint
//! how to fix it. All problems in all specs are collected before anything is reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

mod behaviour;
mod metadata;
pub(crate) mod types;

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::names;
use crate::spec::SpecFile;
use crate::spec::model::{
    Fact, ListStyle, Location, Operation, ParamType, Parameter, Protocol, RuleKind, Spanned, Spec,
};

/// Checks every spec, and that no two specs claim the same crate.
pub fn check(specs: &[SpecFile]) -> Result<(), Diagnostics> {
    let mut problems = Vec::new();
    let mut crates: BTreeMap<String, &Path> = BTreeMap::new();
    for file in specs {
        let mut checker = Checker {
            file: &file.path,
            problems: Vec::new(),
        };
        checker.spec(&file.spec);
        let expected_stem = format!(
            "{}-{}",
            file.spec.provider.as_str(),
            file.spec.service.value
        );
        if file.stem != expected_stem {
            checker.error(
                pos(&file.spec.service),
                format!("the file is named `{}.yaml` but describes `{expected_stem}`", file.stem),
                format!("rename the file to `{expected_stem}.yaml`: the file name names the generated crate's folder"),
            );
        }
        if let Some(first) = crates.insert(expected_stem.clone(), &file.path) {
            checker.error(
                pos(&file.spec.service),
                format!(
                    "`{expected_stem}` is already described by {}",
                    first.display()
                ),
                "merge the operations into one spec per service",
            );
        }
        problems.extend(checker.problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

fn pos<T>(spanned: &Spanned<T>) -> Position {
    Position::of(&spanned.referenced)
}

struct Checker<'a> {
    file: &'a Path,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, position: Position, message: impl Into<String>, help: impl Into<String>) {
        self.problems
            .push(Diagnostic::new(self.file, position, message).help(help));
    }

    fn spec(&mut self, spec: &Spec) {
        let protocol = spec.protocol.value;
        if let Some(provider) = protocol.provider()
            && provider != spec.provider
        {
            self.error(
                pos(&spec.protocol),
                format!(
                    "protocol `{}` is not spoken by provider `{}`",
                    protocol.as_str(),
                    spec.provider.as_str()
                ),
                "pick the protocol of the provider: alibaba-rpc, tencent-api3 or baidu-rest (or instance-metadata, which every provider has)",
            );
        }
        let service = &spec.service.value;
        if service.is_empty()
            || !service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            self.error(
                pos(&spec.service),
                format!("service `{service}` must be lower-case letters and digits"),
                "use the service's short name as its hosts spell it, e.g. `ecs`",
            );
        }
        if spec.source.last_updated.is_none() && spec.source.note.is_none() {
            self.error(
                pos(&spec.service),
                "the source has no `last_updated` date and no `note` saying why",
                "copy the document's \"last updated\" date, or add `note:` saying the document states none",
            );
        }
        if spec.source.seed.is_none() && spec.source.sources.is_empty() {
            self.error(
                pos(&spec.service),
                "the source names no seed document and no other source",
                "add `seed:` (the document's file in shared/seeds/) or `sources:` citing the SDK files the spec is written from",
            );
        }
        if spec.endpoints.global.is_none() && spec.endpoints.regional.is_none() {
            self.error(
                pos(&spec.service),
                "the service has no endpoint",
                "add `endpoints.global` or `endpoints.regional`",
            );
        }
        if let Some(regional) = &spec.endpoints.regional
            && !regional.contains("{region}")
        {
            self.error(
                pos(&spec.service),
                format!("regional endpoint `{regional}` has no `{{region}}` placeholder"),
                "write it like `ecs.{region}.aliyuncs.com`",
            );
        }
        if let Some(vpc) = &spec.endpoints.vpc
            && !vpc.contains("{region}")
        {
            self.error(
                pos(&spec.service),
                format!("VPC endpoint `{vpc}` has no `{{region}}` placeholder"),
                "write it like `sts-vpc.{region}.aliyuncs.com`",
            );
        }
        if spec.operations.is_empty() {
            self.error(
                pos(&spec.service),
                "the spec has no operations",
                "add the operation the document describes under `operations:`",
            );
        }
        let mut actions = BTreeMap::new();
        for operation in &spec.operations {
            let Some(action) = &operation.value.action else {
                continue;
            };
            let version = names::operation_api_version(spec, &operation.value);
            if let Some(first) = actions.insert((version, action.value.as_str()), pos(action).line)
            {
                self.error(
                    pos(action),
                    format!(
                        "action `{}` of API version `{version}` is defined twice (first on line {first})",
                        action.value
                    ),
                    "an action is one operation per version: give one of them another `api_version:`, or remove it",
                );
            }
        }
        for operation in &spec.operations {
            if let (Some(version), Protocol::BaiduRest | Protocol::InstanceMetadata) =
                (&operation.value.api_version, spec.protocol.value)
            {
                self.error(
                    pos(version),
                    "REST operations have no `api_version` of their own",
                    "remove `api_version:`; a REST version is part of the path",
                );
            }
        }
        let mut seen = BTreeMap::new();
        for operation in &spec.operations {
            let name = &operation.value.name;
            if let Some(first) =
                seen.insert(names::operation_module(&operation.value), pos(name).line)
            {
                self.error(
                    pos(name),
                    format!(
                        "operation `{}` is defined twice (first on line {first})",
                        name.value
                    ),
                    "remove or rename one of them",
                );
            }
            self.operation(spec, &operation.value);
        }
        self.facts(&spec.facts);
        self.resources(spec);
        self.types(spec);
    }

    /// Facts from elsewhere: unique kebab-case ids, at least one source, wire differences
    /// that name what they allow.
    fn facts(&mut self, facts: &[Spanned<Fact>]) {
        let mut ids = BTreeMap::new();
        for fact in facts {
            let fact = &fact.value;
            let at = pos(&fact.id);
            if let Some(first) = ids.insert(fact.id.value.clone(), at.line) {
                self.error(
                    at,
                    format!(
                        "fact `{}` is defined twice (first on line {first})",
                        fact.id.value
                    ),
                    "give each fact its own id",
                );
            }
            if !is_kebab(&fact.id.value) {
                self.error(
                    at,
                    format!("fact id `{}` is not kebab-case", fact.id.value),
                    "use lower-case words joined by `-`",
                );
            }
            if fact.sources.is_empty() {
                self.error(
                    at,
                    format!("fact `{}` has no source", fact.id.value),
                    "add `sources:` naming the SDK, metadata or reference it comes from",
                );
            }
            for difference in &fact.wire {
                if difference.families.is_empty() {
                    self.error(
                        at,
                        format!(
                            "a wire difference of fact `{}` names no SDK family",
                            fact.id.value
                        ),
                        "list the families that differ this way under `families:`",
                    );
                }
                if difference.kind.needs_name() && difference.name.is_none() {
                    self.error(
                        at,
                        format!(
                            "wire difference `{}` of fact `{}` names no parameter or header",
                            difference.kind.as_str(),
                            fact.id.value
                        ),
                        "add `name:`",
                    );
                }
            }
        }
    }

    /// `issues_credentials`: the lifetime parameter is one of the operation's, every field
    /// path starts at a response field, and there is an expiry.
    fn issues_credentials(
        &mut self,
        operation: &Operation,
        issues: &Spanned<crate::spec::model::IssuesCredentials>,
    ) {
        let position = pos(issues);
        let value = &issues.value;
        if let Some(parameter) = &value.duration_parameter
            && !operation
                .parameters
                .iter()
                .any(|p| &p.value.name.value == parameter)
        {
            self.error(
                position,
                format!("`duration_parameter` `{parameter}` is not a parameter of the operation"),
                "name the documented parameter that gives the lifetime in seconds, or leave it out",
            );
        }
        if value.expiration.is_empty() {
            self.error(
                position,
                "`issues_credentials` names no expiration field",
                "add `expiration: [{ field: .., format: rfc3339 }]`",
            );
        }
        let fields = [
            &value.access_key_id,
            &value.access_key_secret,
            &value.security_token,
        ]
        .into_iter()
        .chain(value.expiration.iter().map(|field| &field.field));
        for path in fields {
            let top = path.split('.').next().unwrap_or_default();
            if !operation
                .response
                .fields
                .iter()
                .any(|field| field.name == top)
            {
                self.error(
                    position,
                    format!("credentials field `{path}` does not start at a response field"),
                    "write the path from a `response.fields[]` name, joined by `.` (`Credentials.AccessKeyId`)",
                );
            }
        }
    }

    /// `auth`: an anonymous operation says where that comes from, its identity token is a
    /// required parameter, and the protocol can send it unsigned.
    fn auth(
        &mut self,
        protocol: Protocol,
        operation: &Operation,
        auth: &Spanned<crate::spec::model::AuthDef>,
    ) {
        use crate::spec::model::AuthKind;
        let position = pos(auth);
        let value = &auth.value;
        if value.sources.is_empty() {
            self.error(
                position,
                "`auth` cites no source",
                "add `sources:` naming the SDK file that sends the call this way",
            );
        }
        if protocol == Protocol::InstanceMetadata {
            self.error(
                position,
                "instance-metadata operations are never signed, so they take no `auth`",
                "remove `auth:`; the protocol sends every request unsigned (docs/protocols.md)",
            );
        }
        match value.kind {
            AuthKind::Signed => {
                if value.identity_token.is_some() {
                    self.error(
                        position,
                        "a signed operation has no `identity_token`",
                        "remove `identity_token:`, or make the operation `kind: anonymous`",
                    );
                }
            }
            AuthKind::Anonymous => {
                if protocol == Protocol::BaiduRest {
                    self.error(
                        position,
                        "Baidu REST has no unsigned form",
                        "remove `auth:`; bce-auth-v1 signs every request",
                    );
                }
                match &value.identity_token {
                    Some(token) => {
                        let parameter = operation
                            .parameters
                            .iter()
                            .find(|p| &p.value.name.value == token);
                        match parameter {
                            None => self.error(
                                position,
                                format!("`identity_token` `{token}` is not a parameter of the operation"),
                                "name the parameter that carries the identity token",
                            ),
                            Some(parameter) if !parameter.value.required => self.error(
                                position,
                                format!("`identity_token` `{token}` is not a required parameter"),
                                "an unsigned call is authenticated by its token: mark the parameter `required: true`",
                            ),
                            Some(_) => {}
                        }
                    }
                    None if operation.issues_credentials.is_some() => self.error(
                        position,
                        "an anonymous operation that issues credentials names no `identity_token`",
                        "name the parameter whose token says whose credentials to issue",
                    ),
                    None => {}
                }
            }
        }
    }

    fn operation(&mut self, spec: &Spec, operation: &Operation) {
        let name = &operation.name;
        if names::pascal_name(&name.value) != name.value {
            self.error(
                pos(name),
                format!("operation name `{}` is not PascalCase", name.value),
                format!("write it as `{}`", names::pascal_name(&name.value)),
            );
        }
        self.generated_names(operation);
        if let Some(issues) = &operation.issues_credentials {
            self.issues_credentials(operation, issues);
        }
        let protocol = spec.protocol.value;
        if let Some(auth) = &operation.auth {
            self.auth(protocol, operation, auth);
        }
        self.instance_metadata(protocol, operation);
        match (&operation.action, protocol) {
            (None, Protocol::AlibabaRpc | Protocol::TencentApi3) => self.error(
                pos(name),
                format!("operation `{}` has no `action`", name.value),
                "RPC-style protocols send the action on every request: add `action:` with the document's action name",
            ),
            (Some(action), Protocol::BaiduRest | Protocol::InstanceMetadata) => self.error(
                pos(action),
                format!("`{}` operations have no `action`", protocol.as_str()),
                "remove `action:`; the method and path identify the operation",
            ),
            _ => {}
        }
        if matches!(protocol, Protocol::AlibabaRpc | Protocol::TencentApi3)
            && operation.http.path.value != "/"
        {
            self.error(
                pos(&operation.http.path),
                "RPC-style operations are sent to `/`",
                "set `path: /`",
            );
        }

        self.parameters(spec, operation);
        self.path_placeholders(operation);
        self.errors(operation);
        self.rules(operation);
        self.examples(operation);
        self.authorization(operation);
        self.facts(&operation.facts);
        self.behaviour(spec, operation);
    }

    /// The Rust names an operation gives (its marker type, `<Name>Input`/`Output`/`Error`,
    /// its module and client method) must be identifiers that do not collide with what
    /// every generated crate already has; response fields must be plain identifiers.
    fn generated_names(&mut self, operation: &Operation) {
        let name = &operation.name;
        let module = names::operation_module(operation);
        let at = pos(name);
        let rename = format!(
            "rename the operation (`name:`), e.g. to `Delete{}`; the wire action stays in `action:`",
            name.value
        );
        if names::is_keyword(&name.value) || !names::is_plain_ident(&module) {
            self.error(
                at,
                format!(
                    "operation name `{}` gives the Rust module and method `{module}`, which is a Rust keyword or not an identifier",
                    name.value
                ),
                &rename,
            );
        } else if let Some(taken) = names::RESERVED_MODULES
            .iter()
            .chain(names::RESERVED_METHODS)
            .find(|taken| **taken == module)
        {
            self.error(
                at,
                format!(
                    "operation name `{}` gives the module or client method `{taken}`, which every generated crate already has",
                    name.value
                ),
                &rename,
            );
        }
        let [input, output, error] = names::operation_types(&name.value);
        let types = [name.value.clone(), input, output, error];
        if let Some(taken) = types
            .iter()
            .find(|ty| names::RESERVED_TYPES.contains(&ty.as_str()))
        {
            self.error(
                at,
                format!(
                    "operation name `{}` gives the type `{taken}`, which every generated crate already has",
                    name.value
                ),
                rename,
            );
        }
        for field in &operation.response.fields {
            let rust = names::output_field_rust_name(field);
            if !names::is_plain_ident(&rust) {
                self.error(
                    at,
                    format!(
                        "response field `{}` of `{}` gives the Rust name `{rust}`, which is not a plain identifier",
                        field.name.escape_debug(),
                        name.value
                    ),
                    "set `rust_name:` on the field to a snake_case name that is not a Rust keyword",
                );
            }
        }
    }

    fn parameters(&mut self, spec: &Spec, operation: &Operation) {
        let mut seen_names = BTreeMap::new();
        let mut seen_fields = BTreeMap::new();
        for parameter in &operation.parameters {
            let parameter = &parameter.value;
            let at = pos(&parameter.name);
            let name = parameter.name.value.as_str();
            if let Some(first) = seen_names.insert(name.to_owned(), at.line) {
                self.error(
                    at,
                    format!("parameter `{name}` is listed twice (first on line {first})"),
                    "remove one of them",
                );
            }
            if parameter.constant.is_none() {
                let field = names::input_field_rust_name(parameter);
                if !names::is_plain_ident(&field) {
                    self.error(at, format!("parameter `{name}` gives the Rust name `{field}`, which is not a plain identifier"), "set `rust_name:` to a snake_case name");
                } else if let Some(first) = seen_fields.insert(field.clone(), at.line) {
                    self.error(at, format!("parameter `{name}` gives the Rust name `{field}`, already used on line {first}"), "set `rust_name:` to tell them apart");
                }
            }
            self.parameter_location(spec.protocol.value, parameter);
            self.parameter_value_rules(spec, operation, parameter);
        }
    }

    fn parameter_location(&mut self, protocol: Protocol, parameter: &Parameter) {
        let at = pos(&parameter.name);
        let allowed: &[Location] = match protocol {
            Protocol::AlibabaRpc => &[Location::Query, Location::Common],
            Protocol::TencentApi3 => &[Location::Body, Location::Header, Location::Common],
            Protocol::BaiduRest => &[
                Location::Path,
                Location::Query,
                Location::Header,
                Location::Body,
            ],
            Protocol::InstanceMetadata => &[Location::Path, Location::Query, Location::Header],
        };
        if !allowed.contains(&parameter.location) {
            self.error(
                at,
                format!(
                    "parameter `{}` is `in: {}`, which protocol `{}` does not use",
                    parameter.name.value,
                    parameter.location.as_str(),
                    protocol.as_str()
                ),
                format!(
                    "use one of: {}",
                    allowed
                        .iter()
                        .map(|l| l.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let ty = parameter.ty.value;
        match (ty, parameter.list_style) {
            (ParamType::StringList, None) => self.error(
                pos(&parameter.ty),
                format!(
                    "list parameter `{}` has no `list_style`",
                    parameter.name.value
                ),
                "add `list_style: flattened`, `json-in-string` or `json-array`",
            ),
            (ParamType::StringList, Some(style)) => {
                let fits = match style {
                    ListStyle::Flattened | ListStyle::JsonInString => {
                        parameter.location == Location::Query
                    }
                    ListStyle::JsonArray => parameter.location == Location::Body,
                };
                if !fits {
                    self.error(
                        pos(&parameter.ty),
                        format!("`list_style: {}` does not fit `in: {}`", style.as_str(), parameter.location.as_str()),
                        "flattened and json-in-string lists travel in the query; json-array lists in the body",
                    );
                }
            }
            // Structures and lists of them travel as JSON in a body, and per the style in a
            // query (flattened, or one JSON text).
            (ParamType::List | ParamType::Object | ParamType::Map, _) => {}
            (_, Some(_)) => self.error(
                pos(&parameter.ty),
                format!(
                    "`list_style` is set on `{}`, which is not a list",
                    parameter.name.value
                ),
                "remove `list_style:`, or make the type `string-list`",
            ),
            (_, None) => {}
        }
        if parameter.location == Location::Path && !parameter.required {
            self.error(
                at,
                format!("path parameter `{}` is optional", parameter.name.value),
                "path parameters are always required: set `required: true`",
            );
        }
    }

    fn parameter_value_rules(&mut self, spec: &Spec, operation: &Operation, parameter: &Parameter) {
        let name = parameter.name.value.as_str();
        let ty = parameter.ty.value;
        if let Some(default) = &parameter.default {
            if parameter.required {
                self.error(
                    pos(default),
                    format!("required parameter `{name}` has a default"),
                    "a caller must always give a required parameter, so a default is never used: remove `default:` or set `required: false`",
                );
            }
            if !value_fits(&default.value, ty) {
                self.error(
                    pos(default),
                    format!("the default of `{name}` is not a {}", type_name(ty)),
                    format!("write the default as a {}", type_name(ty)),
                );
            }
        }
        if let Some(constant) = &parameter.constant {
            let expected = match name {
                "Action" => operation
                    .action
                    .as_ref()
                    .map(|action| action.value.as_str()),
                "Version" => Some(names::operation_api_version(spec, operation)),
                _ => None,
            };
            if let Some(expected) = expected.filter(|expected| expected != constant) {
                self.error(
                    pos(&parameter.name),
                    format!("`{name}` is constant `{constant}`, but the spec says `{expected}`"),
                    format!("set `constant: {expected}`"),
                );
            }
            if parameter.default.is_some() || parameter.limits.is_some() {
                self.error(
                    pos(&parameter.name),
                    format!("constant parameter `{name}` has a default or limits"),
                    "a constant is never set by a caller: remove them",
                );
            }
        }
        if let Some(limits) = &parameter.limits {
            let at = pos(limits);
            let limits = &limits.value;
            let is_list = ty == ParamType::StringList;
            let is_string = ty == ParamType::String;
            if (limits.min_items.is_some() || limits.max_items.is_some()) && !is_list {
                self.error(at, format!("`{name}` is a {}, but has item limits", type_name(ty)), "`min_items`/`max_items` apply to `string-list` parameters only; use `min_length`/`max_length` for text");
            }
            if (limits.min_length.is_some()
                || limits.max_length.is_some()
                || limits.charset.is_some())
                && !is_string
            {
                self.error(
                    at,
                    format!("`{name}` is a {}, but has text limits", type_name(ty)),
                    "`min_length`, `max_length` and `charset` apply to `string` parameters only",
                );
            }
            for (low, high, what) in [
                (limits.min_items, limits.max_items, "items"),
                (limits.min_length, limits.max_length, "length"),
            ] {
                if let (Some(low), Some(high)) = (low, high)
                    && low > high
                {
                    self.error(
                        at,
                        format!(
                            "`{name}` has a minimum {what} of {low}, above its maximum of {high}"
                        ),
                        "check the document's numbers",
                    );
                }
            }
            if limits.max_items == Some(0) || limits.max_length == Some(0) {
                self.error(
                    at,
                    format!("`{name}` has a maximum of 0, which no value can meet"),
                    "check the document's numbers",
                );
            }
            if is_list && parameter.required && limits.min_items == Some(0) {
                self.error(
                    at,
                    format!("required list `{name}` allows 0 items"),
                    "a required list needs at least one item: set `min_items: 1`",
                );
            }
        }
    }

    fn path_placeholders(&mut self, operation: &Operation) {
        let path = &operation.http.path;
        let Some(found) = crate::template::placeholders(&path.value, "{") else {
            self.error(
                pos(path),
                format!("path `{}` has an unclosed `{{`", path.value),
                "close the placeholder with `}`",
            );
            return;
        };
        let placeholders: BTreeSet<String> = found.into_iter().map(str::to_owned).collect();
        let path_params: BTreeSet<String> = operation
            .parameters
            .iter()
            .filter(|p| p.value.location == Location::Path)
            .map(|p| {
                p.value
                    .wire_name
                    .clone()
                    .unwrap_or_else(|| p.value.name.value.clone())
            })
            .collect();
        for missing in placeholders.difference(&path_params) {
            self.error(
                pos(path),
                format!("path placeholder `{{{missing}}}` has no `in: path` parameter"),
                format!("add a parameter named `{missing}` with `in: path`"),
            );
        }
        for unused in path_params.difference(&placeholders) {
            self.error(
                pos(path),
                format!("path parameter `{unused}` has no `{{{unused}}}` in the path"),
                "add the placeholder to `http.path` or move the parameter",
            );
        }
    }

    fn errors(&mut self, operation: &Operation) {
        let mut codes = BTreeMap::new();
        let mut variants = BTreeMap::new();
        for error in &operation.errors {
            let at = pos(error);
            let error = &error.value;
            let Some(variant) = names::error_variant(error) else {
                self.error(
                    at,
                    "an error without a `code` has no `variant`",
                    "name the variant, e.g. `variant: ImageNotFound`",
                );
                continue;
            };
            let mut duplicate_code = false;
            if let Some(code) = &error.code {
                let code_at = pos(code);
                let first = *codes.entry(code.value.clone()).or_insert(code_at.line);
                if first != code_at.line {
                    duplicate_code = true;
                    self.error(code_at, format!("error code `{}` is listed twice (first on line {first})", code.value), "keep one entry per code; a code with several meanings keeps one entry whose description says so");
                }
                if code.value.matches("%s").count() > 1 {
                    self.error(
                        code_at,
                        format!("error code `{}` has more than one `%s`", code.value),
                        "templates may have one `%s` part",
                    );
                }
                if code.value.trim().is_empty() {
                    self.error(code_at, "error code is empty", "copy the code from the document, or remove `code:` and set `variant:` and `status:`");
                }
            } else if error.status.is_none() {
                self.error(at, format!("error `{variant}` has neither a code nor an HTTP status"), "an error is recognised by its code or, without one, by its status: add `status:`");
            }
            if duplicate_code {
                // Already reported as a duplicate code; the variant clash follows from it.
            } else if !names::is_plain_ident(&variant) || names::pascal_name(&variant) != variant {
                self.error(
                    at,
                    format!("error variant name `{variant}` is not a PascalCase identifier"),
                    "set `variant:` to a PascalCase name",
                );
            } else if variant == "Unhandled" {
                self.error(
                    at,
                    "the variant name `Unhandled` is reserved for undocumented errors",
                    "set `variant:` to another name",
                );
            } else if let Some(first) = variants.insert(variant.clone(), at.line) {
                self.error(
                    at,
                    format!("two errors give the variant name `{variant}` (first on line {first})"),
                    "set `variant:` on one of them",
                );
            }
            if let Some(status) = error.status
                && !(100..=599).contains(&status)
            {
                self.error(
                    at,
                    format!("HTTP status {status} is not a status code"),
                    "use the document's status (100-599)",
                );
            }
        }
    }

    fn rules(&mut self, operation: &Operation) {
        let parameters: BTreeSet<&str> = operation
            .parameters
            .iter()
            .map(|p| p.value.name.value.as_str())
            .collect();
        let mut ids = BTreeMap::new();
        for rule in &operation.rules {
            let rule = &rule.value;
            let at = pos(&rule.id);
            if let Some(first) = ids.insert(rule.id.value.clone(), at.line) {
                self.error(
                    at,
                    format!(
                        "rule `{}` is defined twice (first on line {first})",
                        rule.id.value
                    ),
                    "give each rule its own id",
                );
            }
            if !is_kebab(&rule.id.value) {
                self.error(
                    at,
                    format!("rule id `{}` is not kebab-case", rule.id.value),
                    "use lower-case words joined by `-`",
                );
            }
            if rule.kind == RuleKind::RateLimit && rule.requests_per_second.is_none() {
                self.error(
                    at,
                    format!(
                        "rate-limit rule `{}` has no `requests_per_second`",
                        rule.id.value
                    ),
                    "add the documented number",
                );
            }
            if rule.kind == RuleKind::Idempotency && rule.parameter.is_none() {
                self.error(
                    at,
                    format!("idempotency rule `{}` names no `parameter`", rule.id.value),
                    "name the token parameter, e.g. `parameter: ClientToken`",
                );
            }
            if let Some(parameter) = &rule.parameter
                && !parameters.contains(parameter.as_str())
            {
                self.error(at, format!("rule `{}` names parameter `{parameter}`, which the operation does not have", rule.id.value), "use a documented parameter name");
            }
        }
    }

    fn examples(&mut self, operation: &Operation) {
        let parameters: BTreeMap<&str, &Parameter> = operation
            .parameters
            .iter()
            .map(|p| (p.value.name.value.as_str(), &p.value))
            .collect();
        let mut seen = BTreeMap::new();
        for example in &operation.examples {
            let example = &example.value;
            let at = pos(&example.name);
            if let Some(first) = seen.insert(example.name.value.clone(), at.line) {
                self.error(
                    at,
                    format!(
                        "example `{}` is defined twice (first on line {first})",
                        example.name.value
                    ),
                    "give each example its own name",
                );
            }
            if !is_kebab(&example.name.value) {
                self.error(
                    at,
                    format!("example name `{}` is not kebab-case", example.name.value),
                    "use lower-case words joined by `-`",
                );
            }
            let Some(request) = &example.request else {
                continue;
            };
            for (key, value) in &request.input {
                match parameters.get(key.as_str()) {
                    None => self.error(
                        at,
                        format!(
                            "example `{}` sets `{key}`, which is not a parameter",
                            example.name.value
                        ),
                        "use the documented parameter names in `input`",
                    ),
                    Some(parameter) if parameter.constant.is_some() => self.error(
                        at,
                        format!("example `{}` sets constant `{key}`", example.name.value),
                        "constants are not part of the input; remove it",
                    ),
                    Some(parameter) if !value_fits(value, parameter.ty.value) => self.error(
                        at,
                        format!(
                            "example `{}` sets `{key}` to a value that is not a {}",
                            example.name.value,
                            type_name(parameter.ty.value)
                        ),
                        "write the value as the parameter's type",
                    ),
                    Some(_) => {}
                }
            }
            for (name, parameter) in &parameters {
                if parameter.required
                    && parameter.constant.is_none()
                    && !request.input.contains_key(*name)
                    && !request.input.is_empty()
                {
                    self.error(
                        at,
                        format!(
                            "example `{}` leaves out required `{name}`",
                            example.name.value
                        ),
                        "add it to `input` with the sample's value",
                    );
                }
            }
        }
    }

    fn authorization(&mut self, operation: &Operation) {
        let Some(authorization) = &operation.authorization else {
            return;
        };
        let arn = &authorization.resource_arn;
        let parameters: Vec<String> = operation
            .parameters
            .iter()
            .map(|p| p.value.name.value.to_lowercase())
            .collect();
        let Some(found) = crate::template::placeholders(&arn.value, "{#") else {
            self.error(
                pos(arn),
                "the ARN template has an unclosed `{#`",
                "close the placeholder with `}`",
            );
            return;
        };
        for placeholder in found {
            if placeholder != "accountId" && !parameters.contains(&placeholder.to_lowercase()) {
                self.error(
                    pos(arn),
                    format!("ARN placeholder `{{#{placeholder}}}` matches no parameter"),
                    "placeholders name a parameter of the operation, or `accountId`",
                );
            }
        }
    }
}

fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn value_fits(value: &Value, ty: ParamType) -> bool {
    match ty {
        ParamType::String | ParamType::Timestamp | ParamType::Enum => value.is_string(),
        ParamType::Boolean => value.is_boolean(),
        ParamType::Integer => value.is_i64(),
        ParamType::Uint64 => value.is_u64(),
        ParamType::Float => value.is_number(),
        ParamType::List => value.is_array(),
        ParamType::Object | ParamType::Map => value.is_object(),
        ParamType::StringList => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
    }
}

fn type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String => "string",
        ParamType::Boolean => "boolean",
        ParamType::Integer => "integer",
        ParamType::Uint64 => "uint64",
        ParamType::Float => "float",
        ParamType::Timestamp => "timestamp",
        ParamType::StringList => "string list",
        ParamType::List => "list",
        ParamType::Object => "object",
        ParamType::Map => "map",
        ParamType::Enum => "enum",
    }
}
