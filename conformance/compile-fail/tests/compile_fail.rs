//! What the compiler enforces for generated code (trybuild):
//!
//! - leaving out a required parameter does not compile (SWAS `ImageIds`, CVM `ImageIds.N`);
//! - matching a generated error enum without a wildcard arm does not compile
//!   (`#[non_exhaustive]`: a newer document may list more errors).

#[test]
fn compile_fail() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
