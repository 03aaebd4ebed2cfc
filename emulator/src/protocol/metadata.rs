//! Instance metadata: every `instance-metadata` service of the registry, routed by method
//! and path template, never authenticated (the real host answers only from inside an
//! instance), answered in plain text or JSON, errors as a status with a short text
//! (docs/protocols.md, "Instance metadata"). The spec's `instance_metadata:` section says
//! what each operation answers ([`crate::instance`]).

use cloudspec_runtime::Protocol;
use cloudspec_runtime::behaviour::{BodyFormat, SampleResponse};

use super::{Call, Common, Envelope as AnyEnvelope, Miss};
use crate::errors::ApiError;
use crate::http::{Reply, Request};

/// How answers are written: the metadata services send no request ID and no envelope.
#[derive(Debug, Clone)]
pub(crate) struct Envelope;

impl Envelope {
    /// The status, with the error's message as the text body.
    pub(crate) fn error(&self, error: &ApiError) -> Reply {
        Reply::text(error.status, error.message.clone())
    }

    /// The documented sample: text or JSON as the spec writes it.
    pub(crate) fn success(&self, samples: &[&'static SampleResponse]) -> Reply {
        match samples.first() {
            Some(sample) if sample.format == BodyFormat::Json => {
                Reply::json(sample.status, sample.body.to_owned())
            }
            Some(sample) => Reply::text(sample.status, sample.body),
            None => Reply::text(200, ""),
        }
    }
}

/// The metadata services' answer for `common`: they have no error codes, so each is a
/// status and a sentence (the emulator's wording; no SDK reads more than the status).
pub(crate) fn common(common: Common<'_>) -> ApiError {
    let (status, message) = match common {
        Common::MissingParameter(name) => (400, format!("`{name}` is required.")),
        Common::UnknownParameter(name) | Common::RepeatedParameter(name) => {
            (400, format!("`{name}` is not a parameter of this path."))
        }
        Common::InvalidParameter { name, why } => (400, format!("`{name}` is not valid: {why}")),
        Common::InvalidBody(why) => (400, format!("this path takes no body: {why}")),
        Common::Throttled(_) => (429, "Too many requests.".to_owned()),
        Common::Internal => (500, "Internal error.".to_owned()),
        Common::Unavailable => (503, "Service unavailable.".to_owned()),
        Common::IdempotentMismatch => (400, "The request was already made.".to_owned()),
    };
    ApiError {
        status,
        code: None,
        message,
    }
}

/// Whether `path` is one an instance-metadata operation serves (for any method).
pub(crate) fn serves_path(path: &str) -> bool {
    super::serves_path(Protocol::InstanceMetadata, path)
}

/// Routes a request to its operation; nothing is authenticated.
pub(crate) fn accept<'r>(req: &'r Request) -> Result<Call<'r>, Reply> {
    let envelope = Envelope;
    let (service, operation) =
        super::route_by_path(Protocol::InstanceMetadata, &req.method, &req.path).map_err(
            |miss| {
                let (status, message) = match miss {
                    Miss::Method => (
                        405,
                        format!("`{}` is not allowed on this path.", req.method),
                    ),
                    Miss::Version | Miss::Path => (404, format!("No metadata at `{}`.", req.path)),
                };
                Reply::text(status, message)
            },
        )?;
    Ok(Call {
        req,
        service,
        operation,
        account: String::new(),
        envelope: AnyEnvelope::Metadata(envelope),
    })
}
