//! The spec parser, the checker and (for specs that pass) lowering and emission.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(spec) = cloudspec_codegen::spec::load_str(Path::new("specs/alibaba-demo.yaml"), text) {
        let _ = cloudspec_codegen::generate(&[spec]);
    }
});
