//! Protocol runtime shared by every cloudspec-generated client.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod sign;
