//! Tencent API 3.0 response decoding (errors inside a 200 `Response`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cloudspec_fuzz::decode::<cloudspec_tencent_cvm::operation::delete_images::DeleteImagesOutput>(
        &cloudspec_tencent_cvm::operation::delete_images::META,
        data,
    );
});
