//! Signature verification as the emulator does it: parse each scheme's `Authorization`
//! (or the V1 query) and recompute the expected signature of an arbitrary request.
#![no_main]

use cloudspec_runtime::sign::{alibaba_v1, alibaba_v3, baidu, constant_time_eq, tencent_tc3};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-secret";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let request = cloudspec_fuzz::signing_request(text);
    let _ = alibaba_v1::verify(&request.method, &request.query, SECRET);
    for (_, value) in &request.headers {
        if let Some(auth) = alibaba_v3::parse_authorization(value) {
            if let Ok(expected) = alibaba_v3::expected_signature(&request, &auth, SECRET) {
                let _ = constant_time_eq(auth.signature, &expected);
            }
        }
        if let Some(auth) = tencent_tc3::parse_authorization(value) {
            if let Ok(expected) = tencent_tc3::expected_signature(&request, &auth, SECRET) {
                let _ = constant_time_eq(auth.signature, &expected);
            }
        }
        if let Some(auth) = baidu::parse_authorization(value) {
            if let Ok(expected) = baidu::expected_signature(&request, &auth, SECRET) {
                let _ = constant_time_eq(auth.signature, &expected);
            }
        }
    }
});
