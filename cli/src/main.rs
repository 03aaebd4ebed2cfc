//! `cloudspec`: call any generated operation from a shell, sign arbitrary requests, and run
//! the local emulator.
//!
//! ```text
//! cloudspec tencent-cvm delete-images --image-ids img-1 --image-ids img-2 --dry-run --region ap-guangzhou
//! cloudspec sign --scheme tencent-tc3 --method POST --url https://cvm.tencentcloudapi.com/ ...
//! cloudspec emulate --state examples/state.yaml
//! ```
//!
//! Exit codes: 0 success; 2 bad usage or an input that breaks a documented limit (nothing
//! sent); 3 the service refused; 4 any other failure.
#![forbid(unsafe_code)]

mod call;
mod emulate;
mod sign;

use std::process::ExitCode;

use clap::{Args, Command, FromArgMatches};

fn cli() -> Command {
    let mut command = Command::new("cloudspec")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call cloud APIs generated from their documentation, sign requests, run the local emulator")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(sign::SignArgs::augment_args(Command::new("sign")))
        .subcommand(emulate::EmulateArgs::augment_args(Command::new("emulate")));
    for service in cloudspec_services::SERVICES {
        let mut service_command = call::service_command(service);
        for arg in call::common_args() {
            service_command = service_command.arg(arg);
        }
        command = command.subcommand(service_command);
    }
    command
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(4);
        }
    };
    match matches.subcommand() {
        Some(("sign", sub)) => match sign::SignArgs::from_arg_matches(sub) {
            Ok(args) => runtime.block_on(run_sign(args)),
            Err(error) => error.exit(),
        },
        Some(("emulate", sub)) => match emulate::EmulateArgs::from_arg_matches(sub) {
            Ok(args) => runtime.block_on(emulate::run(args)),
            Err(error) => error.exit(),
        },
        Some((name, sub)) => match cloudspec_services::service(name) {
            Some(service) => runtime.block_on(run_operation(service, sub)),
            None => {
                eprintln!("error: unknown command `{name}`");
                ExitCode::from(2)
            }
        },
        None => ExitCode::from(2),
    }
}

async fn run_sign(args: sign::SignArgs) -> ExitCode {
    let signed = match sign::sign_request(&args) {
        Ok(signed) => signed,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if !args.send {
        println!("{}", pretty(&signed.to_json()));
        return ExitCode::SUCCESS;
    }
    match send(&signed).await {
        Ok((status, headers, body)) => {
            println!("HTTP {status}");
            for (name, value) in headers {
                println!("{name}: {value}");
            }
            println!();
            println!("{body}");
            if (200..300).contains(&status) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(4)
        }
    }
}

async fn send(
    signed: &sign::SignedRequest,
) -> Result<(u16, Vec<(String, String)>, String), reqwest::Error> {
    let client = reqwest::Client::builder()
        .user_agent(concat!("cloudspec/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let method =
        reqwest::Method::from_bytes(signed.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut request = client
        .request(method, &signed.url)
        .body(signed.body.clone());
    for (name, value) in &signed.headers {
        if !name.eq_ignore_ascii_case("host") {
            request = request.header(name, value);
        }
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response.text().await?;
    Ok((status, headers, body))
}

async fn run_operation(
    service: &'static cloudspec_runtime::registry::ServiceEntry,
    matches: &clap::ArgMatches,
) -> ExitCode {
    let Some((operation_name, operation_matches)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    let Some(operation) = service.operation(operation_name) else {
        eprintln!("error: unknown operation `{operation_name}`");
        return ExitCode::from(2);
    };
    let result = async {
        let config = call::config_from_matches(service, operation_matches)?;
        let input = call::input_from_matches(operation, operation_matches);
        call::call(operation, config, input).await
    }
    .await;
    match result {
        Ok(output) => {
            println!("{}", pretty(&output));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
