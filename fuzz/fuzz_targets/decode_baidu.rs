//! Baidu REST response decoding (empty success, header request id, JSON errors).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cloudspec_fuzz::decode::<cloudspec_baidu_bcc::operation::delete_image::DeleteImageOutput>(
        &cloudspec_baidu_bcc::operation::delete_image::META,
        data,
    );
});
