//! Alibaba RPC response decoding (ECS: JSON or XML errors; ENS: `Code: 0` success).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cloudspec_fuzz::decode::<cloudspec_alibaba_ecs::DeleteImageOutput>(
        &cloudspec_alibaba_ecs::delete_image::META,
        data,
    );
    cloudspec_fuzz::decode::<cloudspec_alibaba_ens::DeleteImageOutput>(
        &cloudspec_alibaba_ens::delete_image::META,
        data,
    );
});
