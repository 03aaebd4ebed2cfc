//! `cargo xtask bench`: generator speed on the real specs and on a synthetic spec.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Runs the benchmark and prints the figures.
pub fn run(root: &Path, operations: usize) -> anyhow::Result<ExitCode> {
    let specs = cloudspec_codegen::spec::load_dir(&root.join("specs"))
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    let real = measure(10, || {
        let files = cloudspec_codegen::generate(&specs)?;
        Ok(files.len())
    })?;
    println!(
        "regen of {} checked-in specs (parse excluded): median {:?} over 10 runs",
        specs.len(),
        real
    );

    let text = synthetic_spec(operations);
    let synthetic = measure(5, || {
        let file = cloudspec_codegen::spec::load_str(Path::new("specs/alibaba-bench.yaml"), &text)?;
        let files = cloudspec_codegen::generate(std::slice::from_ref(&file))?;
        Ok(files.len())
    })?;
    println!(
        "parse + regen of a synthetic spec with {operations} operations: median {synthetic:?} over 5 runs"
    );
    let parsed = cloudspec_codegen::spec::load_str(Path::new("specs/alibaba-bench.yaml"), &text)
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let parse_only = measure(5, || {
        Ok(
            cloudspec_codegen::spec::load_str(Path::new("specs/alibaba-bench.yaml"), &text)?
                .spec
                .operations
                .len(),
        )
    })?;
    let generate_only = measure(5, || {
        Ok(cloudspec_codegen::generate(std::slice::from_ref(&parsed))?.len())
    })?;
    println!("  of which parse {parse_only:?}, check + lower + emit {generate_only:?}");
    let half = synthetic_spec(operations / 2);
    let synthetic_half = measure(5, || {
        let file = cloudspec_codegen::spec::load_str(Path::new("specs/alibaba-bench.yaml"), &half)?;
        Ok(cloudspec_codegen::generate(std::slice::from_ref(&file))?.len())
    })?;
    println!(
        "parse + regen with {} operations: median {synthetic_half:?} (ratio {:.2} for 2x the operations)",
        operations / 2,
        synthetic.as_secs_f64() / synthetic_half.as_secs_f64().max(f64::EPSILON)
    );
    Ok(ExitCode::SUCCESS)
}

fn measure(
    runs: usize,
    mut work: impl FnMut() -> anyhow::Result<usize>,
) -> anyhow::Result<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(work()?);
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// A spec with `operations` operations shaped like SWAS `DeleteCustomImages`.
fn synthetic_spec(operations: usize) -> String {
    let mut text = String::from(
        "provider: alibaba\nservice: bench\ntitle: Bench\napi_version: \"2020-01-01\"\nprotocol: alibaba-rpc\n\
         source:\n  title: synthetic\n  seed: none\n  note: synthetic benchmark spec\n\
         endpoints:\n  global: bench.example.com\noperations:\n",
    );
    for index in 0..operations {
        text.push_str(&format!(
            "  - name: DeleteThing{index}\n    action: DeleteThing{index}\n    description: Deletes thing {index}.\n    http: {{ method: GET, path: / }}\n\
             \x20   parameters:\n\
             \x20     - {{ name: RegionId, in: query, type: string, required: true, description: The region. }}\n\
             \x20     - {{ name: ThingIds, in: query, type: string-list, list_style: json-in-string, required: true, description: Ids., limits: {{ min_items: 1, max_items: 15, quote: up to 15 }} }}\n\
             \x20     - {{ name: ClientToken, in: query, type: string, required: false, description: Token., limits: {{ max_length: 64, charset: ascii, quote: at most 64 ASCII }} }}\n\
             \x20   response:\n      fields:\n        - {{ name: RequestId, type: string, description: The request ID. }}\n\
             \x20   errors:\n\
             \x20     - {{ code: ThingInShare, status: 400, message: shared, description: The thing is shared. }}\n\
             \x20     - {{ code: InvalidThingId.NotFound, status: 404, message: missing, description: No such thing. }}\n\
             \x20     - {{ code: InvalidParameter.%s, status: 400, message: bad, description: Bad parameter. }}\n"
        ));
    }
    text
}
