//! Errors: the service's own errors, and everything else that can go wrong in a call.

use std::fmt;

use crate::validate::ValidationErrors;

/// An error response from a service, as received: code, message, HTTP status, request id.
///
/// Every generated error enum keeps one of these in each variant, so nothing the service
/// said is lost, whether or not the document lists the code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceError {
    /// The error code (`InvalidImageId.NotFound`); `None` when the response carried none
    /// (an empty or unparsable error body).
    pub code: Option<String>,
    /// The error message, when the response carried one.
    pub message: Option<String>,
    /// The HTTP status of the response (200 for Tencent, whose errors arrive with 200).
    pub status: u16,
    /// The request id the service assigned, from the body or a header.
    pub request_id: Option<String>,
    /// How many attempts the call made, this one included. More than one means an
    /// earlier attempt may have succeeded with its answer lost: a "not found" after a
    /// retried delete may mean "already deleted".
    pub attempts: u32,
}

impl ServiceError {
    /// The code, or `""` when there is none.
    pub fn code_str(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// Whether a retry may succeed: server-side failures and throttling.
    ///
    /// `InternalError`, `ServiceUnavailable`, any `Throttling*` code, Tencent's
    /// `RequestLimitExceeded*`, HTTP 429 (throttling whatever the code), and a
    /// 500/502/503/504 without a code.
    pub fn is_retryable(&self) -> bool {
        if self.status == 429 {
            return true;
        }
        match self.code.as_deref() {
            Some(code) => is_retryable_code(code),
            None => matches!(self.status, 500 | 502 | 503 | 504),
        }
    }

    /// Whether the error is throttling (callers should slow down, not just retry): a
    /// throttling code, or HTTP 429 Too Many Requests.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || self.code.as_deref().is_some_and(is_throttling_code)
    }
}

/// Whether an error code names a retryable condition.
pub fn is_retryable_code(code: &str) -> bool {
    matches!(
        code,
        "InternalError" | "ServiceUnavailable" | "InternalError.Unknown"
    ) || is_throttling_code(code)
}

/// Whether an error code is a throttling code.
pub fn is_throttling_code(code: &str) -> bool {
    code.starts_with("Throttling") || code.starts_with("RequestLimitExceeded")
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("(no error code)"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        match &self.request_id {
            Some(id) => write!(f, ", request id {id}")?,
            None => f.write_str(", no request id")?,
        }
        if self.attempts > 1 {
            write!(f, ", after {} attempts", self.attempts)?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ServiceError {}

/// A generated operation's error enum, as tools that call operations by name read it
/// ([`crate::registry`]): the error as received and the document's row it matched. Every
/// generated error enum implements it with its own methods of the same names.
pub trait OperationError {
    /// The error as received: code, message, HTTP status, request id and attempts.
    fn service_error(&self) -> &ServiceError;
    /// The document's row for this error; `None` for an undocumented code.
    fn documented(&self) -> Option<&'static DocumentedError>;
}

/// A documented error: one row of the document's error table, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentedError {
    /// The generated variant's name.
    pub variant: &'static str,
    /// The code verbatim (`%s` marks a template part); `None` for a status-only error.
    pub code: Option<&'static str>,
    /// The documented HTTP status, where the document gives one.
    pub status: Option<u16>,
    /// The documented message, verbatim.
    pub message: Option<&'static str>,
    /// The documented meaning, verbatim.
    pub description: &'static str,
}

impl DocumentedError {
    /// Whether `code` is this error's code (templates match any text for `%s`).
    pub fn matches_code(&self, code: &str) -> bool {
        match self.code {
            Some(documented) if documented.contains("%s") => {
                match_template(code, documented).is_some()
            }
            Some(documented) => documented == code,
            None => false,
        }
    }
}

impl DocumentedError {
    /// For a `%s` template row, what `%s` stands for in `code` (`ImageId` in
    /// `InvalidParameter.ImageId` for `InvalidParameter.%s`); `None` for other rows.
    pub fn template_part(&self, code: &str) -> Option<String> {
        self.code
            .filter(|documented| documented.contains("%s"))
            .and_then(|documented| match_template(code, documented))
    }
}

/// Which row of a documented error table an answer matches. This is the one rule, used by
/// the generated clients (their `From<ServiceError>`), the emulator and the conformance
/// suite:
///
/// 1. the row whose code is exactly `code`;
/// 2. else the first `%s` template row that `code` fills (`InvalidParameter.ImageId` for
///    `InvalidParameter.%s`);
/// 3. else the first status-only row (no documented code) whose status is `status`: the
///    document knows that error only by its status (BCC's 404), so any code the service
///    sends with it is taken as that error.
///
/// ```
/// use cloudspec_runtime::error::{DocumentedError, classify};
///
/// static TABLE: [DocumentedError; 3] = [
///     DocumentedError { variant: "Exact", code: Some("InvalidParameter.ImageId"), status: Some(400), message: None, description: "" },
///     DocumentedError { variant: "Template", code: Some("InvalidParameter.%s"), status: Some(400), message: None, description: "" },
///     DocumentedError { variant: "NotFound", code: None, status: Some(404), message: None, description: "" },
/// ];
/// let variant = |code, status| classify(&TABLE, code, status).map(|row| row.variant);
/// assert_eq!(variant(Some("InvalidParameter.ImageId"), 400), Some("Exact"));
/// assert_eq!(variant(Some("InvalidParameter.RegionId"), 400), Some("Template"));
/// assert_eq!(variant(Some("NoSuchKey"), 404), Some("NotFound"));
/// assert_eq!(variant(None, 404), Some("NotFound"));
/// assert_eq!(variant(Some("Throttling"), 400), None);
/// ```
pub fn classify(
    table: &'static [DocumentedError],
    code: Option<&str>,
    status: u16,
) -> Option<&'static DocumentedError> {
    code.and_then(|code| classify_code(table, code))
        .or_else(|| {
            table
                .iter()
                .find(|row| row.code.is_none() && row.status == Some(status))
        })
}

/// Steps 1 and 2 of [`classify`]: the row a code names, exactly or through a `%s` template,
/// whatever the status.
pub fn classify_code(
    table: &'static [DocumentedError],
    code: &str,
) -> Option<&'static DocumentedError> {
    table
        .iter()
        .find(|row| row.code == Some(code))
        .or_else(|| table.iter().find(|row| row.template_part(code).is_some()))
}

/// Matches `code` against a template with one `%s` (`InvalidParameter.%s`), returning what
/// `%s` stands for (`ImageId` in `InvalidParameter.ImageId`). The part must not be empty.
pub fn match_template(code: &str, template: &str) -> Option<String> {
    let (prefix, suffix) = template.split_once("%s")?;
    let middle = code.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (!middle.is_empty()).then(|| middle.to_owned())
}

/// Everything that can go wrong in a call to operation with error type `E`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input breaks a documented limit; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The request could not be built: no credentials, no endpoint for the region, a bad
    /// endpoint override. Nothing was sent.
    #[error("cannot build the request: {0}")]
    Construction(String),
    /// The credentials provider ([`Config::with_credentials_provider`](crate::Config::with_credentials_provider))
    /// gave no credentials. Nothing was sent on that attempt.
    #[error("cannot get credentials")]
    Credentials(#[source] crate::credentials::CredentialsError),
    /// No response arrived (connection refused or dropped, timeout) after every attempt.
    #[error("no response after {attempts} attempt{}: {source}", if *attempts == 1 { "" } else { "s" })]
    Transport {
        /// What failed on the last attempt.
        #[source]
        source: TransportError,
        /// Attempts made.
        attempts: u32,
    },
    /// The service answered with an error.
    #[error(transparent)]
    Service(E),
    /// The service answered, but not in a form the protocol allows (malformed JSON, an HTML
    /// page, a truncated body).
    #[error("unreadable response (HTTP {status}{}): {reason}", request_id.as_deref().map(|id| format!(", request id {id}")).unwrap_or_default())]
    Response {
        /// HTTP status.
        status: u16,
        /// Request id from the headers, if any.
        request_id: Option<String>,
        /// What was wrong.
        reason: String,
        /// The first bytes of the body, lossily decoded, for diagnosis.
        body_excerpt: String,
    },
}

impl<E> SdkError<E> {
    /// The service error, if the service answered with one.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            SdkError::Service(error) => Some(error),
            _ => None,
        }
    }

    /// Maps the service error, keeping every other variant.
    pub fn map_service<F>(self, map: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Validation(error) => SdkError::Validation(error),
            SdkError::Construction(reason) => SdkError::Construction(reason),
            SdkError::Credentials(source) => SdkError::Credentials(source),
            SdkError::Transport { source, attempts } => SdkError::Transport { source, attempts },
            SdkError::Service(error) => SdkError::Service(map(error)),
            SdkError::Response {
                status,
                request_id,
                reason,
                body_excerpt,
            } => SdkError::Response {
                status,
                request_id,
                reason,
                body_excerpt,
            },
        }
    }

    /// Turns the error into the service error, if it is one.
    pub fn into_service(self) -> Result<E, Self> {
        match self {
            SdkError::Service(error) => Ok(error),
            other => Err(other),
        }
    }
}

/// A failure to get any response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The HTTP client failed (connect, TLS, reset, body read).
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    /// An attempt, or the whole call, took longer than configured.
    #[error("timed out after {0:?}")]
    Timeout(std::time::Duration),
    /// The response body was longer than the configured cap
    /// ([`crate::Config::with_max_response_body`]); reading stopped there. Never retried.
    #[error("the response body exceeds the cap of {limit} bytes")]
    BodyTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// The HTTP client followed a redirect (a custom `reqwest::Client` whose redirect policy
    /// is not `Policy::none()`); the answer came from `to`, not from the service. Never
    /// retried. Query values that carry secrets are redacted in `to`.
    #[error(
        "the HTTP client followed a redirect to {to}; cloudspec never follows redirects (set reqwest::redirect::Policy::none())"
    )]
    Redirected {
        /// Where the answer came from, query secrets redacted.
        to: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_matches_documented_example() {
        assert_eq!(
            match_template("InvalidParameter.ImageId", "InvalidParameter.%s").as_deref(),
            Some("ImageId")
        );
        assert_eq!(
            match_template("InvalidParameter.", "InvalidParameter.%s"),
            None
        );
        assert_eq!(
            match_template("MissingParameter", "InvalidParameter.%s"),
            None
        );
    }

    #[test]
    fn display_shows_code_message_status_request_id_attempts() {
        let error = ServiceError {
            code: Some("InvalidImageId.NotFound".into()),
            message: Some("The image cannot be found.".into()),
            status: 200,
            request_id: Some("req-1".into()),
            attempts: 2,
        };
        assert_eq!(
            error.to_string(),
            "InvalidImageId.NotFound: The image cannot be found. (HTTP 200, request id req-1, after 2 attempts)"
        );
    }

    #[test]
    fn retryable_codes_are_exactly_the_documented_ones() {
        for code in [
            "InternalError",
            "ServiceUnavailable",
            "Throttling.User",
            "RequestLimitExceeded",
        ] {
            assert!(is_retryable_code(code), "{code}");
        }
        for code in [
            "InvalidImageId.NotFound",
            "ImageUsingByInstance",
            "SignatureDoesNotMatch",
        ] {
            assert!(!is_retryable_code(code), "{code}");
        }
        let empty_503 = ServiceError {
            status: 503,
            ..ServiceError::default()
        };
        assert!(empty_503.is_retryable());
        let empty_404 = ServiceError {
            status: 404,
            ..ServiceError::default()
        };
        assert!(!empty_404.is_retryable());
    }
}
