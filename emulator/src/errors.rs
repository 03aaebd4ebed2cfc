//! Service errors before they are put in a provider's envelope, and the lookup of the
//! documents' error rows in the generated `ERRORS` tables (codes, statuses and messages are
//! never retyped here).

use crate::state::Service;

/// An error answer: HTTP status (for the envelopes that carry one), code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The error code; `None` for a documented status-only error (BCC's 404).
    pub code: Option<String>,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error that is not in a document's table (a provider's common error).
    pub fn common(status: u16, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: Some(code.to_owned()),
            message: message.into(),
        }
    }

    /// The row of `service`'s error table whose code is exactly `code`: its status (or
    /// `default_status` when the row has none, as Tencent's rows), its code and its message
    /// (or, when the document gives only a description, the description).
    pub fn documented(service: Service, code: &str, default_status: u16) -> ApiError {
        match service.errors().iter().find(|row| row.code == Some(code)) {
            Some(row) => ApiError {
                status: row.status.unwrap_or(default_status),
                code: row.code.map(str::to_owned),
                message: row.message.unwrap_or(row.description).to_owned(),
            },
            None => missing_row(service, code),
        }
    }

    /// The row of `service`'s table whose code is the template `template` (`InvalidParameter.%s`),
    /// with `%s` replaced by `part` in the code and the message.
    pub fn templated(service: Service, template: &str, part: &str) -> ApiError {
        match service
            .errors()
            .iter()
            .find(|row| row.code == Some(template))
        {
            Some(row) => ApiError {
                status: row.status.unwrap_or(400),
                code: Some(template.replacen("%s", part, 1)),
                message: row
                    .message
                    .unwrap_or(row.description)
                    .replacen("%s", part, 1),
            },
            None => missing_row(service, template),
        }
    }

    /// The row of `service`'s table that `code` names, exactly or through a `%s` template
    /// (`InvalidParameter.ImageId`), for faults of kind `error`.
    pub fn for_code(service: Service, code: &str, default_status: u16) -> ApiError {
        let template = service.errors().iter().find_map(|row| {
            let documented = row.code?;
            let part = cloudspec_runtime::error::match_template(code, documented)?;
            documented.contains("%s").then_some((documented, part))
        });
        match template {
            Some((documented, part)) => ApiError::templated(service, documented, &part),
            None => ApiError::documented(service, code, default_status),
        }
    }

    /// An optional `"Code"`-style value for JSON envelopes.
    pub fn code_str(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }
}

/// The answer when the emulator needs a row the generated table does not have (the spec
/// changed under it): a 500 that says so, never a made-up message.
fn missing_row(service: Service, code: &str) -> ApiError {
    ApiError {
        status: 500,
        code: Some("InternalError".to_owned()),
        message: format!(
            "cloudspec emulator: the generated error table of {} has no row `{code}`; \
             regenerate the crates or update the emulator",
            service.as_str()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every documented row the emulator answers with must be in the generated tables.
    #[test]
    fn every_row_the_emulator_uses_exists() {
        let rows: &[(Service, &str)] = &[
            (Service::Ecs, "ImageUsingByInstance"),
            (Service::Ecs, "ImageUseShared"),
            (Service::Ecs, "OperationDenied.ImageCopying"),
            (Service::Ecs, "ImageIsCreating"),
            (Service::Ecs, "ImageIsImporting"),
            (Service::Ecs, "ImageIsExporting"),
            (Service::Ecs, "ImageIsPublic"),
            (Service::Ens, "MissingParameter"),
            (Service::Ens, "NoPermission"),
            (Service::Ens, "Forbidden.DelerrorteImage"),
            (Service::Ens, "IncorrectStatus.Image"),
            (Service::Ens, "InvalidParameter.%s"),
            (Service::Swas, "CustomImageInShare"),
            (Service::Swas, "InternalError"),
            (Service::Swas, "InvalidImageId.NotFound"),
            (Service::Cvm, "InvalidImageId.InShared"),
            (Service::Cvm, "InvalidImageId.IncorrectState"),
            (Service::Cvm, "InvalidImageId.Malformed"),
            (Service::Cvm, "InvalidImageId.NotFound"),
            (Service::Cvm, "InvalidParameterValue.InvalidImageId"),
            (Service::Bcc, "Image.UnCustomImageCannotBeDeleted"),
            (Service::Bcc, "Image.CreatingImageCannotBeDeleted"),
            (Service::Bcc, "Image.ImageHasBeenSharedToOthers"),
        ];
        for (service, code) in rows {
            let error = ApiError::documented(*service, code, 200);
            assert_eq!(error.code.as_deref(), Some(*code), "{service:?} {code}");
        }
    }

    #[test]
    fn templates_fill_code_and_message() {
        let error = ApiError::templated(Service::Ens, "InvalidParameter.%s", "ImageId");
        assert_eq!(error.code.as_deref(), Some("InvalidParameter.ImageId"));
        assert_eq!(
            error.message,
            "The specified field ImageId invalid. Please check it again."
        );
        assert_eq!(error.status, 400);
    }

    #[test]
    fn a_missing_row_is_an_internal_error_that_says_so() {
        let error = ApiError::documented(Service::Ecs, "NoSuchRow", 400);
        assert_eq!(error.status, 500);
        assert!(error.message.contains("NoSuchRow"));
    }
}
