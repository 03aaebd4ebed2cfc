//! Service errors before they are put in a provider's envelope, and the lookup of the
//! documents' error rows in the generated `ERRORS` tables (codes, statuses and messages are
//! never retyped here).

use cloudspec_runtime::DocumentedError;
use cloudspec_runtime::behaviour::ErrorAnswer;

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

    /// The answer a spec's behaviour names: its row (filled with `parameter` when the row
    /// is a `%s` template), with the code and message the spec's fact gives instead, if any.
    pub fn answer(answer: &ErrorAnswer, parameter: &str, default_status: u16) -> ApiError {
        let mut error = if answer.row.code.is_some_and(|code| code.contains("%s")) {
            let mut error = ApiError::filled(answer.row, parameter);
            error.status = answer.row.status.unwrap_or(default_status);
            error
        } else {
            ApiError::row(answer.row, default_status)
        };
        if let Some(code) = answer.code {
            error.code = Some(code.to_owned());
        }
        if let Some(message) = answer.message {
            error.message = message.to_owned();
        }
        error
    }

    /// The row of an operation's `errors` table that `code` names, by the runtime's one
    /// classifier (exactly, or through a `%s` template, which is then filled:
    /// `InvalidParameter.ImageId`), for faults of kind `error` and hook refusals, whose codes
    /// come at run time.
    pub fn for_code(
        errors: &'static [DocumentedError],
        code: &str,
        default_status: u16,
    ) -> ApiError {
        match cloudspec_runtime::error::classify_code(errors, code) {
            Some(row) => match row.template_part(code) {
                Some(part) => {
                    let mut error = ApiError::filled(row, &part);
                    error.status = row.status.unwrap_or(default_status);
                    error
                }
                None => ApiError::row(row, default_status),
            },
            None => missing_row(code),
        }
    }

    /// An optional `"Code"`-style value for JSON envelopes.
    pub fn code_str(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }
}

/// The answer when the emulator needs a row the generated table does not have (the spec
/// changed under it): a 500 that says so, never a made-up message.
fn missing_row(code: &str) -> ApiError {
    ApiError {
        status: 500,
        code: Some("InternalError".to_owned()),
        message: format!(
            "cloudspec emulator: the operation's generated error table has no row `{code}`; \
             regenerate the crates"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ROWS: [DocumentedError; 3] = [
        DocumentedError {
            variant: "NotFound",
            code: Some("Thing.NotFound"),
            status: None,
            message: None,
            description: "The thing cannot be found.",
        },
        DocumentedError {
            variant: "Public",
            code: Some("ThingIsPublic"),
            status: Some(403),
            message: Some("You can not delete a public thing."),
            description: "Public.",
        },
        DocumentedError {
            variant: "InvalidParameter",
            code: Some("InvalidParameter.%s"),
            status: Some(400),
            message: Some("The specified field %s invalid. Please check it again."),
            description: "Invalid.",
        },
    ];

    #[test]
    fn faults_name_rows_through_the_classifier() {
        let error = ApiError::for_code(&ROWS, "Thing.NotFound", 200);
        assert_eq!(
            (error.status, error.code.as_deref(), error.message.as_str()),
            (200, Some("Thing.NotFound"), "The thing cannot be found."),
            "no status: the provider's; no message: the description"
        );
        let error = ApiError::for_code(&ROWS, "ThingIsPublic", 400);
        assert_eq!(error.status, 403, "the row's own status wins");
    }

    #[test]
    fn templates_fill_code_and_message() {
        let error = ApiError::for_code(&ROWS, "InvalidParameter.ImageId", 200);
        assert_eq!(error.code.as_deref(), Some("InvalidParameter.ImageId"));
        assert_eq!(
            error.message,
            "The specified field ImageId invalid. Please check it again."
        );
        assert_eq!(error.status, 400);
    }

    #[test]
    fn answers_take_a_facts_code_and_message_for_a_status_only_row() {
        static STATUS_ONLY: DocumentedError = DocumentedError {
            variant: "Missing",
            code: None,
            status: Some(404),
            message: None,
            description: "It does not exist, and it prompts an error 404.",
        };
        let answer = ErrorAnswer {
            row: &STATUS_ONLY,
            code: Some("NoSuchKey"),
            message: Some("The resource you requested does not exist"),
            fact: Some("missing-code"),
        };
        let error = ApiError::answer(&answer, "id", 400);
        assert_eq!(
            (error.status, error.code.as_deref(), error.message.as_str()),
            (
                404,
                Some("NoSuchKey"),
                "The resource you requested does not exist"
            )
        );
    }

    #[test]
    fn a_missing_row_is_an_internal_error_that_says_so() {
        let error = ApiError::for_code(&ROWS, "NoSuchRow", 400);
        assert_eq!(error.status, 500);
        assert!(error.message.contains("NoSuchRow"));
    }
}
