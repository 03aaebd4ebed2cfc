//! `cloudspec-sign` must link no HTTP client and no async runtime (issue 8, item 5): the
//! emulator verifies signatures and `cloudspec sign` signs with this crate alone.
//!
//! The test asks `cargo tree` for the crate's normal (non-dev, non-build) dependency graph and
//! fails, printing that graph, when any crate of an HTTP stack or an async runtime is in it.

use std::path::Path;
use std::process::Command;

/// Crates of HTTP clients and servers, their protocol layers and async runtimes.
const FORBIDDEN: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "h2",
    "http",
    "http-body",
    "http-body-util",
    "tower",
    "tower-http",
    "ureq",
    "curl",
    "isahc",
    "surf",
    "tokio",
    "tokio-util",
    "mio",
    "async-std",
    "smol",
    "futures",
    "futures-util",
];

#[test]
fn sign_links_no_http_client_and_no_async_runtime() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let output = Command::new(cargo)
        .args(["tree", "-p", "cloudspec-sign", "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}", "--manifest-path"])
        .arg(&manifest)
        .output()
        .expect("cargo tree can be started");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    let names: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"cloudspec-sign") && names.contains(&"hmac"),
        "unexpected cargo tree output:\n{stdout}"
    );
    let found: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| FORBIDDEN.contains(name))
        .collect();
    assert!(
        found.is_empty(),
        "cloudspec-sign must not depend on an HTTP client or an async runtime, \
         but links {found:?}:\n{stdout}"
    );
}
