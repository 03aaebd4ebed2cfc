//! Load benchmark: N concurrent signed clients on loopback, a bounded number of requests,
//! then a report of requests per second and errors. Stops by itself.
//!
//! ```sh
//! cargo run --release -p cloudspec-emulator --example load -- --requests 100000 --concurrency 64
//! cargo run --release -p cloudspec-emulator --example load -- --services ecs-v1,bcc
//! ```
//!
//! Every request deletes a distinct existing image (real check-and-delete work under the
//! state lock), signed with the runtime's sign module (the same code the generated clients
//! use). Services: `ecs-v3`, `ecs-v1`, `ens`, `swas`, `bcc` (default: all five), and `cvm`
//! (opt-in: its documented limit of 10 requests per second per account throttles it, so it
//! runs with one account per client and throttled answers are counted apart).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cloudspec_emulator::{AccessKey, Emulator, Provider, Resource, Service, State};
use cloudspec_runtime::sign::encode::{rfc3986, rfc3986_path};
use cloudspec_runtime::sign::{
    SigningCredentials, SigningRequest, alibaba_v1, alibaba_v3, baidu, tencent_tc3,
};

const ALI: (&str, &str, &str) = (
    "load-alibaba-key",
    "load-alibaba-secret",
    "1000000000000001",
);
const BD: (&str, &str, &str) = ("load-baidu-key", "load-baidu-secret", "baidu-load");
const REGION: &str = "cn-hangzhou";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    EcsV3,
    EcsV1,
    Ens,
    Swas,
    Bcc,
    Cvm,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "ecs-v3" | "ecs" => Kind::EcsV3,
            "ecs-v1" => Kind::EcsV1,
            "ens" => Kind::Ens,
            "swas" => Kind::Swas,
            "bcc" => Kind::Bcc,
            "cvm" => Kind::Cvm,
            _ => return None,
        })
    }

    fn service(self) -> Service {
        match self {
            Kind::EcsV3 | Kind::EcsV1 => svc("ecs"),
            Kind::Ens => svc("ens"),
            Kind::Swas => svc("swas"),
            Kind::Bcc => svc("bcc"),
            Kind::Cvm => svc("cvm"),
        }
    }

    fn image_id(self, i: usize) -> String {
        match self {
            Kind::Cvm => format!("img-{i:08x}"),
            _ => format!("m-load-{i}"),
        }
    }
}

struct Args {
    requests: usize,
    concurrency: usize,
    kinds: Vec<Kind>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        requests: 100_000,
        concurrency: 64,
        kinds: vec![Kind::EcsV3, Kind::EcsV1, Kind::Ens, Kind::Swas, Kind::Bcc],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--requests" => args.requests = value.parse().map_err(|_| "--requests: a number")?,
            "--concurrency" => {
                args.concurrency = value.parse().map_err(|_| "--concurrency: a number")?;
            }
            "--services" => {
                args.kinds = value
                    .split(',')
                    .map(|name| Kind::parse(name.trim()).ok_or(format!("unknown service {name}")))
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.kinds.is_empty() || args.concurrency == 0 {
        return Err("need at least one service and one client".into());
    }
    Ok(args)
}

fn tencent_key(worker: usize) -> (String, String, String) {
    (
        format!("load-tencent-key-{worker}"),
        format!("load-tencent-secret-{worker}"),
        format!("1000{worker:08}"),
    )
}

/// The state: one image per request, each owned by the account its client signs as.
fn state(args: &Args) -> State {
    let mut state = State::new()
        .with_access_key(AccessKey::new(Provider::Alibaba, ALI.0, ALI.1, ALI.2))
        .with_access_key(AccessKey::new(Provider::Baidu, BD.0, BD.1, BD.2));
    for worker in 0..args.concurrency {
        let (id, secret, account) = tencent_key(worker);
        state = state.with_access_key(AccessKey::new(Provider::Tencent, id, secret, account));
    }
    let mut images = Vec::with_capacity(args.requests);
    for i in 0..args.requests {
        let kind = args.kinds[i % args.kinds.len()];
        let account = match kind {
            Kind::Bcc => BD.2.to_owned(),
            // CVM images are created for the worker that will take request i (see `worker`).
            Kind::Cvm => String::new(),
            _ => ALI.2.to_owned(),
        };
        let mut image = Resource::new(kind.service(), kind.image_id(i), account);
        if matches!(kind, Kind::EcsV3 | Kind::EcsV1 | Kind::Swas) {
            image = image.in_region(REGION);
        }
        images.push(image);
    }
    state.resources = images;
    state
}

#[derive(Default)]
struct Tally {
    ok: AtomicUsize,
    throttled: AtomicUsize,
    errors: AtomicUsize,
}

fn nonce(i: usize) -> String {
    format!("load-{i}-{}", std::process::id())
}

fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", rfc3986(n), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Builds and signs request `i`.
fn build(
    client: &reqwest::Client,
    endpoint: &str,
    host: &str,
    kind: Kind,
    i: usize,
    worker: usize,
) -> reqwest::RequestBuilder {
    let id = kind.image_id(i);
    let now = jiff::Timestamp::now();
    let ali = SigningCredentials::new(ALI.0, ALI.1);
    match kind {
        Kind::EcsV3 => {
            let mut req = SigningRequest::new("POST", host, "/");
            req.query = vec![("ImageId".into(), id), ("RegionId".into(), REGION.into())];
            req.set_header("x-acs-action", "DeleteImage");
            req.set_header("x-acs-version", svc("ecs").meta().api_version);
            let _ = alibaba_v3::sign(&mut req, &ali, now, &nonce(i));
            let mut builder = client.post(format!("{endpoint}/?{}", query_string(&req.query)));
            for (n, v) in &req.headers {
                builder = builder.header(n, v);
            }
            builder
        }
        Kind::EcsV1 | Kind::Ens | Kind::Swas => {
            let service = kind.service();
            let mut req = SigningRequest::new("GET", host, "/");
            req.query = vec![
                (
                    "Action".into(),
                    service.operations()[0]
                        .meta
                        .action
                        .unwrap_or_default()
                        .into(),
                ),
                ("Version".into(), service.meta().api_version.into()),
                ("Format".into(), "JSON".into()),
            ];
            match kind {
                Kind::Ens => req.query.push(("ImageId".into(), id)),
                Kind::Swas => {
                    req.query.push(("RegionId".into(), REGION.into()));
                    req.query.push(("ImageIds".into(), format!("[\"{id}\"]")));
                }
                _ => {
                    req.query.push(("RegionId".into(), REGION.into()));
                    req.query.push(("ImageId".into(), id));
                }
            }
            let _ = alibaba_v1::sign(&mut req, &ali, now, &nonce(i));
            client.get(format!("{endpoint}/?{}", query_string(&req.query)))
        }
        Kind::Bcc => {
            let path = format!("/v2/image/{id}");
            let mut req = SigningRequest::new("DELETE", host, path.clone());
            let _ = baidu::sign(
                &mut req,
                &SigningCredentials::new(BD.0, BD.1),
                now,
                1800,
                None,
            );
            let mut builder = client.delete(format!("{endpoint}{}", rfc3986_path(&path)));
            for (n, v) in &req.headers {
                builder = builder.header(n, v);
            }
            builder
        }
        Kind::Cvm => {
            let (key, secret, _) = tencent_key(worker);
            let body = format!("{{\"ImageIds\":[\"{id}\"]}}");
            let mut req = SigningRequest::new("POST", host, "/");
            req.set_header("Content-Type", "application/json");
            req.set_header("X-TC-Action", "DeleteImages");
            req.set_header("X-TC-Version", svc("cvm").meta().api_version);
            req.body = body.clone().into_bytes();
            let _ = tencent_tc3::sign(
                &mut req,
                &SigningCredentials::new(&key, &secret),
                svc("cvm").meta().product_code,
                now.as_second(),
                None,
            );
            let mut builder = client.post(format!("{endpoint}/")).body(body);
            for (n, v) in &req.headers {
                builder = builder.header(n, v);
            }
            builder
        }
    }
}

/// Whether an answer is the success of its protocol; `Some(true)` for throttling.
async fn classify(kind: Kind, response: reqwest::Response) -> Result<(), bool> {
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|_| false)?;
    match kind {
        Kind::Cvm => {
            let text = String::from_utf8_lossy(&body);
            if text.contains("\"Error\"") {
                Err(text.contains("RequestLimitExceeded"))
            } else {
                Ok(())
            }
        }
        _ if status == 200 => Ok(()),
        _ => Err(false),
    }
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("load: {message}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("load: cannot start tokio: {error}");
            std::process::exit(1);
        }
    };
    runtime.block_on(run(args));
}

async fn run(args: Args) {
    let args = Arc::new(args);
    let mut state = state(&args);
    // CVM images go to the account of the worker that takes request i; with a shared counter
    // that is unknown in advance, so CVM requests are taken per worker (i ≡ worker mod C).
    let concurrency = args.concurrency;
    for (i, image) in state.resources.iter_mut().enumerate() {
        if image.service == svc("cvm") {
            image.account = tencent_key(i % concurrency).2;
        }
    }
    let total_images = state.resources.len();
    let emulator = match Emulator::builder().state(state).start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("load: {error}");
            std::process::exit(1);
        }
    };
    let endpoint = emulator.endpoint();
    let host = emulator.addr().to_string();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default();
    let tally = Arc::new(Tally::default());
    let names: Vec<String> = args.kinds.iter().map(|k| format!("{k:?}")).collect();
    println!(
        "cloudspec emulator load: {} requests, {} concurrent clients, services {}",
        args.requests,
        args.concurrency,
        names.join(",")
    );
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..args.concurrency {
        let (args, client, tally) = (args.clone(), client.clone(), tally.clone());
        let (endpoint, host) = (endpoint.clone(), host.clone());
        workers.spawn(async move {
            // Worker w takes requests w, w + C, w + 2C, ...: bounded and disjoint.
            let mut i = worker;
            while i < args.requests {
                let kind = args.kinds[i % args.kinds.len()];
                let request = build(&client, &endpoint, &host, kind, i, worker);
                let counter = match request.send().await {
                    Ok(response) => match classify(kind, response).await {
                        Ok(()) => &tally.ok,
                        Err(true) => &tally.throttled,
                        Err(false) => &tally.errors,
                    },
                    Err(_) => &tally.errors,
                };
                counter.fetch_add(1, Ordering::Relaxed);
                i += args.concurrency;
            }
        });
    }
    while workers.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    let done = tally.ok.load(Ordering::Relaxed)
        + tally.throttled.load(Ordering::Relaxed)
        + tally.errors.load(Ordering::Relaxed);
    let left = emulator.resources().len();
    println!(
        "elapsed {:.2} s, {:.0} requests/s",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    println!(
        "ok {}, throttled {} (CVM's documented 10/s per account), errors {}",
        tally.ok.load(Ordering::Relaxed),
        tally.throttled.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed)
    );
    println!(
        "state: {left} of {total_images} images left (expected {}: one per throttled request)",
        tally.throttled.load(Ordering::Relaxed) + tally.errors.load(Ordering::Relaxed)
    );
    emulator.shutdown().await;
}

/// The registry's service named `name` (its short name or command).
fn svc(name: &str) -> cloudspec_emulator::Service {
    cloudspec_emulator::Service::named(name).expect("a service of the registry")
}
