//! `cargo xtask bench`: generator speed on the real specs and on a synthetic spec;
//! `cargo xtask bench --compare`: every benchmark beside its anchor, with the ratios.

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

/// A spec with `operations` operations shaped like SWAS `DeleteCustomImages` (shared with
/// the comparison benchmarks, which also build its OpenAPI twin for progenitor).
fn synthetic_spec(operations: usize) -> String {
    cloudspec_bench::synthetic_spec(operations)
}

/// Benchmark groups of `cloudspec-bench`'s `wall` harness, as criterion names its folders.
const WALL_GROUPS: [&str; 4] = ["generator", "sign", "client", "emulator"];

/// How a ratio is judged.
#[derive(Clone, Copy)]
enum Target {
    /// The ratio must be at most this.
    AtMost(f64),
    /// The ratio must be at least this.
    AtLeast(f64),
    /// Shown for information.
    None,
}

/// How a figure reads.
#[derive(Clone, Copy)]
enum Unit {
    /// Nanoseconds per call.
    Time,
    /// Nanoseconds per load run of `requests` requests, shown as requests per second.
    Throughput(f64),
    /// Instructions (callgrind `Ir`).
    Instructions,
}

/// One line of the table.
struct Row {
    what: String,
    ours: f64,
    anchor: f64,
    unit: Unit,
    target: Target,
}

impl Row {
    /// cloudspec's figure over the anchor's; for throughput, the rate over the anchor's rate.
    fn ratio(&self) -> f64 {
        match self.unit {
            Unit::Throughput(_) => self.anchor / self.ours,
            Unit::Time | Unit::Instructions => self.ours / self.anchor,
        }
    }
}

fn show(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Time if value >= 1e9 => format!("{:.2} s", value / 1e9),
        Unit::Time if value >= 1e6 => format!("{:.1} ms", value / 1e6),
        Unit::Time if value >= 1e3 => format!("{:.2} µs", value / 1e3),
        Unit::Time => format!("{value:.0} ns"),
        Unit::Throughput(requests) => format!("{:.0} req/s", requests / (value / 1e9)),
        Unit::Instructions if value >= 1e6 => format!("{:.1} M instr", value / 1e6),
        Unit::Instructions => format!("{:.1} k instr", value / 1e3),
    }
}

/// `cargo xtask bench --compare`: runs the comparison benchmarks once and prints every
/// figure beside its anchor, the ratio, the target and whether it is met.
pub fn compare(root: &Path, operations: usize, instructions: bool) -> anyhow::Result<ExitCode> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let logs = target_dir.join("cloudspec-bench");
    std::fs::create_dir_all(&logs)?;

    // Peak memory of one parse + regen of the synthetic spec, measured in this process
    // before anything else runs in it.
    let text = synthetic_spec(operations);
    let file = cloudspec_codegen::spec::load_str(Path::new(cloudspec_bench::SYNTHETIC_PATH), &text)
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let files = cloudspec_codegen::generate(std::slice::from_ref(&file))?;
    let bytes: usize = files.iter().map(|file| file.contents.len()).sum();
    drop((file, files));
    let peak = peak_rss_kib();

    for group in WALL_GROUPS {
        let _ = std::fs::remove_dir_all(target_dir.join("criterion").join(group));
    }
    let wall_log = logs.join("wall.log");
    println!(
        "wall-time benchmarks (criterion), {operations}-operation synthetic spec; log: {}",
        wall_log.display()
    );
    cargo_bench(root, "wall", operations, &wall_log, &[])?;
    let criterion = |group: &str, name: &str| criterion_median(&target_dir, group, name);
    let mut rows = Vec::new();
    rows.push(Row {
        what: format!("generator: parse + generate + format, {operations} operations"),
        ours: criterion("generator", "cloudspec")?,
        anchor: criterion("generator", "progenitor")?,
        unit: Unit::Time,
        target: Target::AtMost(0.5),
    });
    let aws = criterion("sign", "aws_sigv4")?;
    for (name, what, target) in SIGN_ROWS {
        rows.push(Row {
            what: what.to_string(),
            ours: criterion("sign", name)?,
            anchor: aws,
            unit: Unit::Time,
            target,
        });
    }
    rows.push(Row {
        what: "generated client call vs raw reqwest, loopback bare server".into(),
        ours: criterion("client", "generated")?,
        anchor: criterion("client", "reqwest")?,
        unit: Unit::Time,
        target: Target::AtMost(1.10),
    });
    rows.push(Row {
        what: "emulator vs bare axum, signed ECS DeleteImage, 32 clients (throughput)".into(),
        ours: criterion("emulator", "cloudspec")?,
        anchor: criterion("emulator", "axum")?,
        unit: Unit::Throughput(2_000.0),
        target: Target::AtLeast(0.5),
    });

    if instructions {
        if which_runner() {
            let iai_log = logs.join("instructions.log");
            println!(
                "instruction-count benchmarks (iai-callgrind, valgrind), 100-operation spec; log: {}",
                iai_log.display()
            );
            cargo_bench(
                root,
                "instructions",
                operations,
                &iai_log,
                &[("IAI_CALLGRIND_SAVE_SUMMARY", "json")],
            )?;
            let counts = iai_counts(&target_dir.join("iai"))?;
            let count = |name: &str| {
                counts
                    .get(name)
                    .copied()
                    .ok_or_else(|| anyhow::anyhow!("no instruction count for {name}"))
            };
            rows.push(Row {
                what: "generator, 100 operations (instructions)".into(),
                ours: count("generator_cloudspec")?,
                anchor: count("generator_progenitor")?,
                unit: Unit::Instructions,
                target: Target::AtMost(0.5),
            });
            let aws = count("aws_sigv4")?;
            for (name, what, target) in SIGN_ROWS.into_iter().chain(FIRST_REQUEST_ROWS) {
                rows.push(Row {
                    what: format!("{what} (instructions)"),
                    ours: count(name)?,
                    anchor: aws,
                    unit: Unit::Instructions,
                    target,
                });
            }
        } else {
            println!(
                "instruction counts skipped: install the runner of the library's version with \
                 `cargo install iai-callgrind-runner --version 0.16.1`"
            );
        }
    }

    println!();
    println!("| what | cloudspec | anchor | ratio | target | met |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for row in &rows {
        let ratio = row.ratio();
        let (target, met) = match row.target {
            Target::AtMost(limit) => (
                format!("≤ {limit:.2}"),
                if ratio <= limit {
                    "met".to_owned()
                } else {
                    format!("gap: {:.2}× too slow", ratio / limit)
                },
            ),
            Target::AtLeast(limit) => (
                format!("≥ {limit:.2}"),
                if ratio >= limit {
                    "met".to_owned()
                } else {
                    format!("gap: needs {:.2}× more", limit / ratio)
                },
            ),
            Target::None => ("–".to_owned(), "–".to_owned()),
        };
        println!(
            "| {} | {} | {} | {ratio:.2} | {target} | {met} |",
            row.what,
            show(row.ours, row.unit),
            show(row.anchor, row.unit)
        );
    }
    println!();
    println!(
        "anchors: progenitor-impl 0.15 (same spec as OpenAPI), aws-sigv4 1.6 sign() on an \
         equivalent small POST, reqwest 0.12 replaying the generated client's request, \
         axum 0.8 answering a static body under the same load generator"
    );
    match peak {
        Some(kib) => println!(
            "peak memory (VmHWM) of parse + regen of {operations} operations ({} files, {:.1} MB written): {:.0} MiB",
            operations + 4,
            bytes as f64 / 1e6,
            kib as f64 / 1024.0
        ),
        None => println!("peak memory: /proc/self/status has no VmHWM on this system"),
    }
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism().map_or(1, usize::from),
        cpu_model()
    );
    Ok(ExitCode::SUCCESS)
}

/// The `sign` rows: benchmark name, what it measures, target. Every one is against
/// aws-sigv4 `sign()`; the target applies to validate + encode + sign.
const SIGN_ROWS: [(&str, &str, Target); 9] = [
    (
        "build_ecs_v3",
        "validate + encode + sign: ECS DeleteImage, Alibaba V3",
        Target::AtMost(0.5),
    ),
    (
        "build_ecs_v1",
        "validate + encode + sign: ECS DeleteImage, Alibaba V1",
        Target::AtMost(0.5),
    ),
    (
        "build_swas_v3",
        "validate + encode + sign: SWAS DeleteCustomImages (15 ids), V3",
        Target::AtMost(0.5),
    ),
    (
        "build_cvm_tc3",
        "validate + encode + sign: CVM DeleteImages, Tencent TC3",
        Target::AtMost(0.5),
    ),
    (
        "build_bcc_bce",
        "validate + encode + sign: BCC DeleteImage, bce-auth-v1",
        Target::AtMost(0.5),
    ),
    (
        "alibaba_v3",
        "signer alone: Alibaba ACS3-HMAC-SHA256",
        Target::None,
    ),
    (
        "alibaba_v1",
        "signer alone: Alibaba V1 HMAC-SHA1",
        Target::None,
    ),
    (
        "tencent_tc3",
        "signer alone: Tencent TC3-HMAC-SHA256",
        Target::None,
    ),
    ("baidu_bce", "signer alone: Baidu bce-auth-v1", Target::None),
];

/// Instruction counts only: the first request of new credentials, which derives the keys
/// the `build_*` rows (a client's steady state, as criterion's loop measures) already hold.
const FIRST_REQUEST_ROWS: [(&str, &str, Target); 3] = [
    (
        "first_ecs_v3",
        "first request of new credentials: ECS DeleteImage, Alibaba V3",
        Target::None,
    ),
    (
        "first_cvm_tc3",
        "first request of new credentials: CVM DeleteImages, Tencent TC3",
        Target::None,
    ),
    (
        "first_bcc_bce",
        "first request of new credentials: BCC DeleteImage, bce-auth-v1",
        Target::None,
    ),
];

/// Runs one harness of `cloudspec-bench` in release, its output into `log`.
fn cargo_bench(
    root: &Path,
    bench: &str,
    operations: usize,
    log: &Path,
    env: &[(&str, &str)],
) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::fs::File::create(log)?;
    let err = out.try_clone()?;
    let mut command = std::process::Command::new(cargo);
    command
        .current_dir(root)
        .args(["bench", "-p", "cloudspec-bench", "--bench", bench])
        .env("CLOUDSPEC_BENCH_OPERATIONS", operations.to_string())
        .stdout(out)
        .stderr(err);
    for (name, value) in env {
        command.env(name, value);
    }
    let status = command.status()?;
    anyhow::ensure!(
        status.success(),
        "cargo bench --bench {bench} failed ({status}); see {}",
        log.display()
    );
    Ok(())
}

/// Criterion's median estimate (ns per iteration) of `group/name` from this run.
fn criterion_median(target_dir: &Path, group: &str, name: &str) -> anyhow::Result<f64> {
    let path = target_dir
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?;
    let estimates: serde_json::Value = serde_json::from_str(&text)?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| anyhow::anyhow!("{}: no median", path.display()))
}

/// Whether `iai-callgrind-runner` is on `PATH` (it has no `--version` of its own).
fn which_runner() -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("iai-callgrind-runner").is_file())
    })
}

/// Instructions (callgrind `Ir`) per benchmark function, from the `summary.json` files
/// iai-callgrind saved under `dir`.
fn iai_counts(dir: &Path) -> anyhow::Result<std::collections::BTreeMap<String, f64>> {
    let mut counts = std::collections::BTreeMap::new();
    let mut pending = vec![dir.join("cloudspec-bench").join("instructions")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|name| name == "summary.json") {
                let summary: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path)?)?;
                let name = summary["function_name"].as_str().unwrap_or_default();
                let ir = &summary["profiles"][0]["summaries"]["total"]["summary"]["Callgrind"]["Ir"]
                    ["metrics"];
                if let Some(value) = first_number(ir) {
                    counts.insert(name.to_owned(), value);
                }
            }
        }
    }
    Ok(counts)
}

/// The first number in `value`, depth first (iai-callgrind wraps the new count as
/// `{"Left": {"Int": n}}` or `{"Both": [{"Int": new}, {"Int": old}]}`).
fn first_number(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(number) => number.as_f64(),
        serde_json::Value::Array(items) => items.iter().find_map(first_number),
        serde_json::Value::Object(map) => map.values().find_map(first_number),
        _ => None,
    }
}

/// The peak resident set of this process in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}
