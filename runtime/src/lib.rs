//! Protocol runtime shared by every cloudspec-generated client.
//!
//! Generated crates describe their services and operations as data ([`meta`]) and encode
//! inputs into [`wire`] parameters; this crate does the rest, once per protocol: signing
//! ([`sign`], which is the `cloudspec-sign` crate), request encoding and error envelopes
//! ([`protocol`]), transport, retries and credentials.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod behaviour;
pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
pub mod meta;
pub mod operation;
pub mod policy;
pub mod profile;
pub mod protocol;
pub mod registry;
pub mod retry;
pub mod validate;
pub mod wire;

/// Request signing and signature verification: the `cloudspec-sign` crate, re-exported so
/// that `cloudspec_runtime::sign::...` paths (used by generated code and tools) keep working.
/// Programs that only sign or verify can depend on `cloudspec-sign` alone, without the
/// transport.
pub use cloudspec_sign as sign;

pub use client::Client;
pub use config::{Config, ConfigError, RetryConfig, Timeouts};
pub use credentials::Credentials;
pub use credentials::{
    CredentialsCache, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
pub use error::{DocumentedError, OperationError, SdkError, ServiceError, TransportError};
pub use meta::{Auth, Endpoints, OperationMeta, Protocol, Provider, ServiceMeta};
pub use operation::Operation;
pub use policy::{Authorization, PolicyStatement};
pub use validate::{ValidationErrors, ValidationMode, Validator, Violation};
pub use wire::{ListStyle, ParamLocation, WireParam, WireValue};
