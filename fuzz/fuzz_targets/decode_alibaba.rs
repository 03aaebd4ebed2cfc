//! Alibaba RPC response decoding (ECS: JSON or XML errors; ENS: `Code: 0` success).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cloudspec_fuzz::decode::<cloudspec_alibaba_ecs::operation::delete_image::DeleteImageOutput>(
        &cloudspec_alibaba_ecs::operation::delete_image::META,
        data,
    );
    cloudspec_fuzz::decode::<cloudspec_alibaba_ens::operation::delete_image::DeleteImageOutput>(
        &cloudspec_alibaba_ens::operation::delete_image::META,
        data,
    );
});
