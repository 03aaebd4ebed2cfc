//! No code: the crate holds the compile-fail tests of generated code (`tests/compile_fail.rs`,
//! cases in `tests/ui/`), apart from the conformance suite so that trybuild checks only the
//! generated crates they use.
#![forbid(unsafe_code)]
