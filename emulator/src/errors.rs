//! Service errors before they are put in a provider's envelope, and the lookup of the
//! documents' error rows in the generated `ERRORS` tables (codes, statuses and messages are
//! never retyped here).

use cloudspec_runtime::DocumentedError;

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

    /// The answer of a documented row: its status (or `default_status` when the row has
    /// none, as Tencent's rows), its code and its message (or, when the document gives only
    /// a description, the description). Rows are the generated crates' typed constants
    /// (`DeleteImageError::IMAGE_IS_PUBLIC`), so a misspelt code does not compile.
    pub fn row(row: &DocumentedError, default_status: u16) -> ApiError {
        ApiError {
            status: row.status.unwrap_or(default_status),
            code: row.code.map(str::to_owned),
            message: row.message.unwrap_or(row.description).to_owned(),
        }
    }

    /// The answer of a `%s` template row (`InvalidParameter.%s`), with `%s` replaced by
    /// `part` in the code and the message.
    pub fn filled(row: &DocumentedError, part: &str) -> ApiError {
        let mut error = ApiError::row(row, 400);
        error.code = row.code.map(|code| code.replacen("%s", part, 1));
        error.message = error.message.replacen("%s", part, 1);
        error
    }

    /// The row of `service`'s table that `code` names, by the runtime's one classifier
    /// (exactly, or through a `%s` template, which is then filled: `InvalidParameter.ImageId`),
    /// for faults of kind `error`, whose codes come from a state file at run time.
    pub fn for_code(service: Service, code: &str, default_status: u16) -> ApiError {
        match cloudspec_runtime::error::classify_code(service.errors(), code) {
            Some(row) => match row.template_part(code) {
                Some(part) => ApiError::filled(row, &part),
                None => ApiError::row(row, default_status),
            },
            None => missing_row(service, code),
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

    #[test]
    fn faults_name_rows_through_the_classifier() {
        let error = ApiError::for_code(Service::Cvm, "InvalidImageId.NotFound", 200);
        assert_eq!(
            (error.status, error.code.as_deref()),
            (200, Some("InvalidImageId.NotFound"))
        );
        let error = ApiError::for_code(Service::Ecs, "ImageIsPublic", 400);
        assert_eq!(error.status, 403, "the row's own status wins");
    }

    #[test]
    fn templates_fill_code_and_message() {
        let error = ApiError::for_code(Service::Ens, "InvalidParameter.ImageId", 400);
        assert_eq!(error.code.as_deref(), Some("InvalidParameter.ImageId"));
        assert_eq!(
            error.message,
            "The specified field ImageId invalid. Please check it again."
        );
        assert_eq!(error.status, 400);
    }

    #[test]
    fn a_missing_row_is_an_internal_error_that_says_so() {
        let error = ApiError::for_code(Service::Ecs, "NoSuchRow", 400);
        assert_eq!(error.status, 500);
        assert!(error.message.contains("NoSuchRow"));
    }
}
