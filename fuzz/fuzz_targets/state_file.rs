//! The emulator's state-file parser and validation, as YAML and as JSON.
#![no_main]

use cloudspec_emulator::State;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(state) = State::from_yaml_str(text) {
        let _ = state.validated();
    }
    if let Ok(state) = State::from_json_str(text) {
        let _ = state.validated();
    }
});
