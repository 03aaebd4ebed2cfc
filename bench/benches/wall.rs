//! Wall-time benchmarks (criterion): each cloudspec figure beside its anchor, in one run.
//!
//! Run by `cargo xtask bench --compare`, which reads criterion's estimates and prints the
//! ratios. Groups: `generator`, `sign`, `client`, `emulator`. Every server binds 127.0.0.1
//! only; every load run is a bounded number of requests.

mod common;

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Operations in the synthetic spec (`CLOUDSPEC_BENCH_OPERATIONS`, default 1,000).
fn operations() -> usize {
    std::env::var("CLOUDSPEC_BENCH_OPERATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1000)
}

fn generator(c: &mut Criterion) {
    let operations = operations();
    let yaml = cloudspec_bench::synthetic_spec(operations);
    let json = cloudspec_bench::synthetic_openapi(operations);
    let mut group = c.benchmark_group("generator");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    group.bench_function("cloudspec", |b| {
        b.iter(|| common::cloudspec_generate(black_box(&yaml)))
    });
    group.bench_function("progenitor", |b| {
        b.iter(|| common::progenitor_generate(black_box(&json)))
    });
    group.finish();
}

fn sign(c: &mut Criterion) {
    let inputs = common::SignInputs::new();
    let identity = common::aws_identity();
    let mut group = c.benchmark_group("sign");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("build_ecs_v3", |b| b.iter(|| common::ecs_v3(&inputs)));
    group.bench_function("build_ecs_v1", |b| b.iter(|| common::ecs_v1(&inputs)));
    group.bench_function("build_swas_v3", |b| b.iter(|| common::swas_v3(&inputs)));
    group.bench_function("build_cvm_tc3", |b| b.iter(|| common::cvm_tc3(&inputs)));
    group.bench_function("build_bcc_bce", |b| b.iter(|| common::bcc_bce(&inputs)));
    let batched = |b: &mut criterion::Bencher<'_>,
                   make: fn() -> cloudspec_runtime::sign::SigningRequest,
                   sign: fn(cloudspec_runtime::sign::SigningRequest) -> usize| {
        b.iter_batched(make, sign, BatchSize::SmallInput)
    };
    group.bench_function("alibaba_v3", |b| {
        batched(b, common::ecs_signing_request, common::sign_alibaba_v3)
    });
    group.bench_function("alibaba_v1", |b| {
        batched(b, common::ecs_signing_request, common::sign_alibaba_v1)
    });
    group.bench_function("tencent_tc3", |b| {
        batched(b, common::tc3_signing_request, common::sign_tencent_tc3)
    });
    group.bench_function("baidu_bce", |b| {
        batched(b, common::baidu_signing_request, common::sign_baidu)
    });
    group.bench_function("aws_sigv4", |b| {
        b.iter(|| common::aws_sigv4_sign(black_box(&identity)))
    });
    group.finish();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// What the bare server saw of the first request, so the raw reqwest call can send it again.
#[derive(Clone)]
struct Captured {
    method: http::Method,
    uri: http::Uri,
    headers: http::HeaderMap,
}

/// A bare axum server on 127.0.0.1 answering every request with one static JSON body.
async fn bare_axum(capture: Option<Arc<Mutex<Option<Captured>>>>) -> SocketAddr {
    const BODY: &str = r#"{"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"}"#;
    let handler = move |request: axum::extract::Request| {
        let capture = capture.clone();
        async move {
            if let Some(capture) = capture {
                let mut slot = capture.lock().expect("not poisoned");
                slot.get_or_insert_with(|| Captured {
                    method: request.method().clone(),
                    uri: request.uri().clone(),
                    headers: request.headers().clone(),
                });
            }
            ([("content-type", "application/json")], BODY)
        }
    };
    let app = axum::Router::new().fallback(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds loopback");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// The response a hand-written call decodes.
#[derive(serde::Deserialize)]
struct RawOutput {
    #[serde(rename = "RequestId")]
    #[allow(dead_code)]
    request_id: Option<String>,
}

fn client(c: &mut Criterion) {
    let rt = runtime();
    let capture = Arc::new(Mutex::new(None));
    let addr = rt.block_on(bare_axum(Some(capture.clone())));
    let config = cloudspec_runtime::Config::new(cloudspec_runtime::Credentials::new(
        common::KEY_ID,
        common::KEY_SECRET,
    ))
    .with_endpoint(format!("http://{addr}"))
    .with_region("cn-hangzhou")
    .with_retry(cloudspec_runtime::RetryConfig::disabled())
    .with_client_rate_limit(false);
    let generated = cloudspec_alibaba_ecs::Client::new(config).expect("a client");
    let input = cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
        "m-bp67acfmxazb4p****",
        "cn-hangzhou",
    )
    .with_force(false);
    // One call first: it fills the capture the raw call replays.
    rt.block_on(generated.delete_image(input.clone()))
        .expect("the bare server answers");
    let captured = capture
        .lock()
        .expect("not poisoned")
        .clone()
        .expect("captured");
    let mut headers = captured.headers.clone();
    headers.remove(http::header::HOST);
    headers.remove(http::header::CONTENT_LENGTH);
    let url = format!("http://{addr}{}", captured.uri);
    let raw = reqwest::Client::new();

    let mut group = c.benchmark_group("client");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let output = generated
                        .delete_image(input.clone())
                        .await
                        .expect("answered");
                    black_box(output);
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("reqwest", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let response = raw
                        .request(captured.method.clone(), &url)
                        .headers(headers.clone())
                        .send()
                        .await
                        .expect("answered");
                    let status = response.status();
                    let body = response.bytes().await.expect("a body");
                    assert!(status.is_success());
                    let output: RawOutput = serde_json::from_slice(&body).expect("JSON");
                    black_box(output);
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

/// Requests per load run and concurrent clients (`CLOUDSPEC_BENCH_CONCURRENCY`, default 32).
const BATCH: usize = 2_000;

fn concurrency() -> usize {
    std::env::var("CLOUDSPEC_BENCH_CONCURRENCY")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(32)
}

const ALI: (&str, &str, &str) = (
    "load-alibaba-key",
    "load-alibaba-secret",
    "1000000000000001",
);
const REGION: &str = "cn-hangzhou";

/// The load generator both servers face: `requests` signed ECS `DeleteImage` calls (V3,
/// the default signature), each for a distinct image, spread over `clients` concurrent
/// clients sharing one connection pool; every answer must be a 200.
async fn load(endpoint: &str, host: &str, requests: usize, clients: usize) -> Duration {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a reqwest client");
    let start = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..clients {
        let (client, endpoint, host) = (client.clone(), endpoint.to_owned(), host.to_owned());
        workers.spawn(async move {
            let creds = cloudspec_runtime::sign::SigningCredentials::new(ALI.0, ALI.1);
            let mut i = worker;
            while i < requests {
                let mut req = cloudspec_runtime::sign::SigningRequest::new("POST", &host, "/");
                req.query = vec![
                    ("ImageId".into(), format!("m-bench-{i}")),
                    ("RegionId".into(), REGION.into()),
                ];
                req.set_header("x-acs-action", "DeleteImage");
                req.set_header("x-acs-version", "2014-05-26");
                cloudspec_runtime::sign::alibaba_v3::sign(
                    &mut req,
                    &creds,
                    jiff::Timestamp::now(),
                    &format!("bench-{i}"),
                )
                .expect("signs");
                let mut builder =
                    client.post(format!("{endpoint}/?ImageId=m-bench-{i}&RegionId={REGION}"));
                for (name, value) in &req.headers {
                    builder = builder.header(name, value);
                }
                let response = builder.send().await.expect("answered");
                let status = response.status();
                response.bytes().await.expect("a body");
                assert_eq!(status, 200, "request {i} was refused");
                i += clients;
            }
        });
    }
    while let Some(joined) = workers.join_next().await {
        joined.expect("a load worker finished");
    }
    start.elapsed()
}

fn emulator(c: &mut Criterion) {
    use cloudspec_emulator::{AccessKey, Emulator, Provider, Resource, State};
    let rt = runtime();
    let clients = concurrency();
    let mut group = c.benchmark_group("emulator");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(BATCH as u64))
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("cloudspec", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // A fresh emulator per run, holding one image per request (not timed).
                    let mut state = State::new().with_access_key(AccessKey::new(
                        Provider::Alibaba,
                        ALI.0,
                        ALI.1,
                        ALI.2,
                    ));
                    state.resources = (0..BATCH)
                        .map(|i| {
                            Resource::new(svc("ecs"), format!("m-bench-{i}"), ALI.2)
                                .in_region(REGION)
                        })
                        .collect();
                    let running = Emulator::builder()
                        .state(state)
                        .start()
                        .await
                        .expect("the emulator starts");
                    let host = running.addr().to_string();
                    total += load(&running.endpoint(), &host, BATCH, clients).await;
                    running.shutdown().await;
                }
                total
            })
        })
    });
    let addr = rt.block_on(bare_axum(None));
    group.bench_function("axum", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let host = addr.to_string();
                    total += load(&format!("http://{addr}"), &host, BATCH, clients).await;
                }
                total
            })
        })
    });
    group.finish();
}

fn main() {
    // `CLOUDSPEC_BENCH_GROUPS=sign,client` runs a subset (the default is all four).
    let groups = std::env::var("CLOUDSPEC_BENCH_GROUPS").unwrap_or_default();
    let wanted = |name: &str| groups.is_empty() || groups.split(',').any(|g| g.trim() == name);
    let mut criterion = Criterion::default().configure_from_args();
    if wanted("generator") {
        generator(&mut criterion);
    }
    if wanted("sign") {
        sign(&mut criterion);
    }
    if wanted("client") {
        client(&mut criterion);
    }
    if wanted("emulator") {
        emulator(&mut criterion);
    }
    criterion.final_summary();
}

/// The registry's service named `name` (its short name or command).
fn svc(name: &str) -> cloudspec_emulator::Service {
    cloudspec_emulator::Service::named(name).expect("a service of the registry")
}
