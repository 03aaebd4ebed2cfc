//! Checks of instance-metadata operations: a text answer is the only body field, and the
//! `instance_metadata:` section names parameters, errors and fields the operation has.

use super::{Checker, pos};
use crate::spec::model::{
    FieldLocation, InstanceMetadataDef, Location, MetadataAnswer, Operation, ParamType, Protocol,
    Spanned,
};

impl Checker<'_> {
    /// `in: text-body` fields and the `instance_metadata:` section of `operation`.
    pub(super) fn instance_metadata(&mut self, protocol: Protocol, operation: &Operation) {
        let at = pos(&operation.name);
        let text_fields: Vec<_> = operation
            .response
            .fields
            .iter()
            .filter(|field| field.location == FieldLocation::TextBody)
            .collect();
        if !text_fields.is_empty() {
            let body_fields = operation
                .response
                .fields
                .iter()
                .filter(|field| field.location != FieldLocation::Header)
                .count();
            if protocol != Protocol::InstanceMetadata {
                self.error(
                    at,
                    format!(
                        "`{}` has a `text-body` response field, which only instance-metadata answers have",
                        operation.name.value
                    ),
                    "answers of this protocol are JSON (or XML): use `in: body`",
                );
            } else if body_fields > 1 {
                self.error(
                    at,
                    format!(
                        "`{}` has a `text-body` field and other body fields",
                        operation.name.value
                    ),
                    "a text answer is the whole body: keep one `text-body` field and no `body` fields",
                );
            }
            if let Some(field) = text_fields
                .iter()
                .find(|field| field.ty != ParamType::String)
            {
                self.error(
                    at,
                    format!("text-body field `{}` is not a string", field.name),
                    "set `type: string`: the whole body is text",
                );
            }
        }
        let Some(section) = &operation.instance_metadata else {
            return;
        };
        if protocol != Protocol::InstanceMetadata {
            self.error(
                pos(section),
                "`instance_metadata` is set on an operation of another protocol",
                "remove it, or set `protocol: instance-metadata`",
            );
            return;
        }
        self.metadata_section(operation, section, !text_fields.is_empty());
    }

    fn metadata_section(
        &mut self,
        operation: &Operation,
        section: &Spanned<InstanceMetadataDef>,
        text_answer: bool,
    ) {
        let at = pos(section);
        let value = &section.value;
        let parameter = |name: &str| {
            operation
                .parameters
                .iter()
                .map(|parameter| &parameter.value)
                .find(|parameter| parameter.name.value == name)
        };
        let expect = |name: &Option<String>, what: &str, location: Location| {
            let name = name.as_deref()?;
            match parameter(name) {
                None => Some(format!(
                    "{what} `{name}` is not a parameter of the operation"
                )),
                Some(found) if found.location != location => Some(format!(
                    "{what} `{name}` is `in: {}`, not `in: {}`",
                    found.location.as_str(),
                    location.as_str()
                )),
                Some(_) => None,
            }
        };
        let problems = [
            expect(&value.ttl_parameter, "`ttl_parameter`", Location::Header),
            expect(&value.role_parameter, "`role_parameter`", Location::Path),
            expect(
                &value.session_token_parameter,
                "`session_token_parameter`",
                Location::Header,
            ),
        ];
        for problem in problems.into_iter().flatten() {
            self.error(
                at,
                problem,
                "name a parameter of the operation, where it travels",
            );
        }
        for (name, what) in [
            (&value.no_role, "`no_role`"),
            (&value.unauthorized, "`unauthorized`"),
        ] {
            let Some(name) = name else { continue };
            let row = operation
                .errors
                .iter()
                .map(|error| &error.value)
                .find(|error| {
                    error.code.is_none() && error.variant.as_deref() == Some(name.as_str())
                });
            match row {
                None => self.error(
                    at,
                    format!("{what} `{name}` is not a status-only error of the operation"),
                    "add it under `errors:` with `variant:` and `status:` and no `code:` (these answers carry no code)",
                ),
                Some(row) if row.status.is_none() => self.error(
                    at,
                    format!("{what} `{name}` has no `status`"),
                    "give the error row the HTTP status the service answers with",
                ),
                Some(_) => {}
            }
        }
        let needs_text = matches!(
            value.answers,
            MetadataAnswer::SessionToken | MetadataAnswer::RoleName
        );
        if needs_text && !text_answer {
            self.error(
                at,
                "a session token or a role name is answered as text, and the response has no `text-body` field",
                "add a response field with `in: text-body`",
            );
        }
        match value.answers {
            MetadataAnswer::RoleCredentials => {
                if value.role_parameter.is_none() {
                    self.error(
                        at,
                        "`answers: role-credentials` names no `role_parameter`",
                        "name the path parameter that carries the role's name",
                    );
                }
                if operation.issues_credentials.is_none() {
                    self.error(
                        at,
                        "`answers: role-credentials` without `issues_credentials`",
                        "add `issues_credentials:` saying which fields carry the key, secret, token and expiry",
                    );
                }
            }
            MetadataAnswer::SessionToken | MetadataAnswer::RoleName => {
                if value.role_parameter.is_some() {
                    self.error(
                        at,
                        "only `answers: role-credentials` takes a `role_parameter`",
                        "remove `role_parameter:`",
                    );
                }
            }
        }
        if value.answers != MetadataAnswer::SessionToken && value.ttl_parameter.is_some() {
            self.error(
                at,
                "only `answers: session-token` takes a `ttl_parameter`",
                "remove `ttl_parameter:`",
            );
        }
        if value.answers == MetadataAnswer::RoleName && value.no_role.is_none() {
            self.error(
                at,
                "`answers: role-name` names no `no_role` error",
                "name the status-only error an instance without a role answers",
            );
        }
        if value.session_token_parameter.is_some() != value.unauthorized.is_some() {
            self.error(
                at,
                "`session_token_parameter` and `unauthorized` go together",
                "a request with a bad session token is refused with `unauthorized`: give both, or neither",
            );
        }
    }
}
