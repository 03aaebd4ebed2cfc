//! Instruction-count benchmarks (iai-callgrind, under valgrind's callgrind): the generator
//! and the signers beside their anchors. A ratio of instruction counts does not drift with
//! the machine's load. Run by `cargo xtask bench --compare` (it needs `iai-callgrind-runner`
//! of the library's version on PATH).

mod common;

use std::hint::black_box;

use iai_callgrind::{
    Callgrind, EntryPoint, LibraryBenchmarkConfig, library_benchmark, library_benchmark_group, main,
};

/// The generator renders its files on worker threads, which the default entry point (a
/// toggle on the benchmark function, in the main thread) would not count. Count the whole
/// benchmark process instead, every thread, for both generators alike: setup (building
/// the spec text) and process start are then in both counts too, and small beside them.
fn whole_process() -> LibraryBenchmarkConfig {
    let mut config = LibraryBenchmarkConfig::default();
    config.tool(Callgrind::with_args(["--collect-atstart=yes"]).entry_point(EntryPoint::None));
    config
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Operations in the synthetic spec under callgrind (it runs about 50 times slower).
const OPERATIONS: usize = 100;

fn yaml() -> String {
    cloudspec_bench::synthetic_spec(OPERATIONS)
}

fn json() -> String {
    cloudspec_bench::synthetic_openapi(OPERATIONS)
}

#[library_benchmark(config = whole_process())]
#[bench::ops100(setup = yaml)]
fn generator_cloudspec(text: String) -> usize {
    common::cloudspec_generate(black_box(&text))
}

#[library_benchmark(config = whole_process())]
#[bench::ops100(setup = json)]
fn generator_progenitor(text: String) -> usize {
    common::progenitor_generate(black_box(&text))
}

library_benchmark_group!(name = generator; benchmarks = generator_cloudspec, generator_progenitor);

#[library_benchmark]
#[bench::ecs_v3(setup = common::SignInputs::warmed)]
fn build_ecs_v3(inputs: common::SignInputs) -> usize {
    common::ecs_v3(black_box(&inputs))
}

#[library_benchmark]
#[bench::ecs_v1(setup = common::SignInputs::warmed)]
fn build_ecs_v1(inputs: common::SignInputs) -> usize {
    common::ecs_v1(black_box(&inputs))
}

#[library_benchmark]
#[bench::swas_v3(setup = common::SignInputs::warmed)]
fn build_swas_v3(inputs: common::SignInputs) -> usize {
    common::swas_v3(black_box(&inputs))
}

#[library_benchmark]
#[bench::cvm_tc3(setup = common::SignInputs::warmed)]
fn build_cvm_tc3(inputs: common::SignInputs) -> usize {
    common::cvm_tc3(black_box(&inputs))
}

#[library_benchmark]
#[bench::bcc_bce(setup = common::SignInputs::warmed)]
fn build_bcc_bce(inputs: common::SignInputs) -> usize {
    common::bcc_bce(black_box(&inputs))
}

// The first request of new credentials: the keys signing derives from the secret are
// derived in the measured call (the rows above have them from an earlier request).

#[library_benchmark]
#[bench::ecs_v3(setup = common::SignInputs::new)]
fn first_ecs_v3(inputs: common::SignInputs) -> usize {
    common::ecs_v3(black_box(&inputs))
}

#[library_benchmark]
#[bench::cvm_tc3(setup = common::SignInputs::new)]
fn first_cvm_tc3(inputs: common::SignInputs) -> usize {
    common::cvm_tc3(black_box(&inputs))
}

#[library_benchmark]
#[bench::bcc_bce(setup = common::SignInputs::new)]
fn first_bcc_bce(inputs: common::SignInputs) -> usize {
    common::bcc_bce(black_box(&inputs))
}

#[library_benchmark]
#[bench::request(setup = common::ecs_signing_request)]
fn alibaba_v3(req: cloudspec_runtime::sign::SigningRequest) -> usize {
    common::sign_alibaba_v3(black_box(req))
}

#[library_benchmark]
#[bench::request(setup = common::ecs_signing_request)]
fn alibaba_v1(req: cloudspec_runtime::sign::SigningRequest) -> usize {
    common::sign_alibaba_v1(black_box(req))
}

#[library_benchmark]
#[bench::request(setup = common::tc3_signing_request)]
fn tencent_tc3(req: cloudspec_runtime::sign::SigningRequest) -> usize {
    common::sign_tencent_tc3(black_box(req))
}

#[library_benchmark]
#[bench::request(setup = common::baidu_signing_request)]
fn baidu_bce(req: cloudspec_runtime::sign::SigningRequest) -> usize {
    common::sign_baidu(black_box(req))
}

#[library_benchmark]
#[bench::request(setup = common::aws_identity)]
fn aws_sigv4(identity: aws_smithy_runtime_api::client::identity::Identity) -> usize {
    common::aws_sigv4_sign(black_box(&identity))
}

library_benchmark_group!(
    name = sign;
    benchmarks = build_ecs_v3, build_ecs_v1, build_swas_v3, build_cvm_tc3, build_bcc_bce,
        first_ecs_v3, first_cvm_tc3, first_bcc_bce, alibaba_v3, alibaba_v1, tencent_tc3, baidu_bce, aws_sigv4
);

main!(library_benchmark_groups = generator, sign);
