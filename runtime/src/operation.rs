//! The contract between a generated operation and the runtime.

use serde::de::DeserializeOwned;

use crate::error::ServiceError;
use crate::meta::OperationMeta;
use crate::validate::ValidationErrors;
use crate::wire::WireParam;

/// One API operation, as a generated crate implements it.
///
/// Generated code implements this trait on a unit struct per operation; user code calls the
/// generated client's methods, which call [`crate::Client::invoke`].
pub trait Operation {
    /// The typed input.
    type Input: Send + Sync;
    /// The typed output, decoded from the success body (and the headers named in
    /// [`OperationMeta::response_headers`]).
    type Output: DeserializeOwned;
    /// The typed error, built from a [`ServiceError`].
    type Error: From<ServiceError> + std::error::Error + Send + Sync + 'static;

    /// The static description of the operation.
    fn meta() -> &'static OperationMeta;

    /// Checks the documented limits, reporting every violation.
    fn validate(input: &Self::Input) -> Result<(), ValidationErrors>;

    /// The input's parameters as they travel (constants like `Action` are added by the
    /// protocol, not here).
    fn encode(input: &Self::Input) -> Vec<WireParam>;
}
