//! `cloudspec`: call any generated operation from a shell, sign arbitrary requests, and run
//! the local emulator.
//!
//! ```text
//! cloudspec tencent-cvm delete-images --image-ids img-1 --image-ids img-2 --dry-run --region ap-guangzhou
//! cloudspec tencent-cvm describe-images --region ap-guangzhou --filter 'ImageSet[*].ImageId' --output text
//! cloudspec tencent-cvm delete-images --image-ids img-1 --region ap-guangzhou --show-request
//! cloudspec sign --scheme tencent-tc3 --method POST --url https://cvm.tencentcloudapi.com/ ...
//! cloudspec emulate --state examples/state.yaml
//! cloudspec completions bash
//! ```
//!
//! Exit codes: 0 success; 2 bad usage or an input that breaks a documented limit (nothing
//! sent); 3 the service refused; 4 any other failure.
#![forbid(unsafe_code)]

mod call;
mod emulate;
mod hints;
mod naming;
mod output;
mod show;
mod sign;
mod text;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, Args, Command, FromArgMatches};
use cloudspec_runtime::TransportError;
use cloudspec_runtime::protocol::{HttpRequest, HttpResponse, Transport};

fn cli() -> Command {
    let mut command = Command::new("cloudspec")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call cloud APIs generated from their documentation, sign requests, run the local emulator")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(sign::SignArgs::augment_args(Command::new("sign")))
        .subcommand(emulate::EmulateArgs::augment_args(Command::new("emulate")))
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script (e.g. `source <(cloudspec completions bash)`)")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        );
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
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The words after the program name, for the hints (which only compare and show them).
    let args: Vec<String> = raw
        .iter()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let matches = match cli().try_get_matches_from(raw) {
        Ok(matches) => matches,
        Err(error) => return usage_error(error, &args),
    };
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
        Some(("completions", sub)) => match sub.get_one::<clap_complete::Shell>("shell") {
            Some(shell) => completions(*shell),
            None => ExitCode::from(2),
        },
        Some((name, sub)) => match cloudspec_services::service(name) {
            Some(service) => runtime.block_on(run_operation(service, sub, &args)),
            None => {
                eprintln!("error: unknown command `{name}`");
                ExitCode::from(2)
            }
        },
        None => ExitCode::from(2),
    }
}

/// A command line clap refused: clap's message, and, when the line is another CLI's form
/// of a known service (tccli, aliyun), the same line in cloudspec's form (exit 2). Help and
/// version requests are printed as clap prints them.
fn usage_error(error: clap::Error, args: &[String]) -> ExitCode {
    if !error.use_stderr() {
        error.exit();
    }
    match hints::translate(args) {
        Some(hint) => {
            let message = error.to_string();
            let first = message
                .lines()
                .next()
                .unwrap_or("error: invalid command line");
            eprintln!("{first}\n\n{hint}");
            ExitCode::from(2)
        }
        None => error.exit(),
    }
}

/// `cloudspec completions SHELL`: the script on standard output.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli(), "cloudspec", &mut script);
    print_out(&script)
}

/// Writes `bytes` to standard output. A reader that has gone (`| head`) ends the output
/// quietly, as SIGPIPE would; any other failure is exit 4.
fn print_out(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write to standard output: {error}");
            ExitCode::from(4)
        }
    }
}

async fn run_sign(args: sign::SignArgs) -> ExitCode {
    let signed = match sign::sign_request(&args) {
        Ok(signed) => signed,
        Err(error) => {
            eprintln!("error: {}", text::with_causes(&error));
            return ExitCode::from(2);
        }
    };
    if !args.send {
        println!("{}", pretty(&signed.to_json()));
        return ExitCode::SUCCESS;
    }
    match send(signed, Duration::from_secs(args.timeout)).await {
        Ok(response) => {
            println!("HTTP {}", response.status);
            for (name, value) in &response.headers {
                println!("{name}: {}", text::escape_controls(value));
            }
            println!();
            println!(
                "{}",
                text::escape_controls_keep_lines(&String::from_utf8_lossy(&response.body))
            );
            if (200..300).contains(&response.status) {
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

/// Why `sign --send` got no answer.
#[derive(Debug, thiserror::Error)]
enum SendError {
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {}", text::with_causes(.0))]
    Client(#[source] reqwest::Error),
    /// No answer: connection, TLS, body too large (the chain says which).
    #[error("no response: {}", text::with_causes(.0))]
    Transport(#[source] TransportError),
    /// No answer within `--timeout`.
    #[error("no response within {0:?} (--timeout)")]
    Timeout(Duration),
}

/// Sends `signed` with no redirects, at most `timeout` in all, through the runtime's
/// transport (body cap, secrets redacted from errors).
async fn send(signed: sign::SignedRequest, timeout: Duration) -> Result<HttpResponse, SendError> {
    let client = reqwest::Client::builder()
        .user_agent(concat!("cloudspec/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .build()
        .map_err(SendError::Client)?;
    let request = HttpRequest {
        method: signed.method,
        url: signed.url,
        headers: signed.headers,
        body: signed.body,
    };
    match tokio::time::timeout(timeout, Transport::Reqwest(client).send(request)).await {
        Ok(sent) => sent.map_err(SendError::Transport),
        Err(_) => Err(SendError::Timeout(timeout)),
    }
}

async fn run_operation(
    service: &'static cloudspec_runtime::registry::ServiceEntry,
    matches: &clap::ArgMatches,
    args: &[String],
) -> ExitCode {
    let Some((operation_name, operation_matches)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    let Some(operation) = service.operation(operation_name) else {
        eprintln!("error: unknown operation `{operation_name}`");
        return ExitCode::from(2);
    };
    let format = operation_matches
        .get_one::<output::OutputFormat>("output")
        .copied()
        .unwrap_or_default();
    let filter = operation_matches.get_one::<String>("filter");
    let result = async {
        if let Some((flag, value)) = hints::list_mistake(operation, operation_matches) {
            let hint = hints::translate(args)
                .map(|hint| format!("\n\n{hint}"))
                .unwrap_or_default();
            return Err(call::CallFailure::Invalid(format!(
                "--{flag} takes one identifier per flag, and `{}` is a list{hint}",
                text::escape_controls(&value)
            )));
        }
        let config = call::config_from_matches(
            service,
            operation.meta.auth.is_anonymous(),
            operation_matches,
        )?;
        let input = call::input_from_matches(operation, operation_matches);
        let config = call::region_for_host(service, config, &input)?;
        if operation_matches.get_flag("show-request") {
            let request = show::request(operation, config, input).await?;
            return Ok(show::render(&request));
        }
        let answer = call::call(operation, config, input).await?;
        let answer = match filter {
            Some(expression) => output::apply_filter(expression, &answer)
                .map_err(|error| call::CallFailure::Invalid(error.to_string()))?,
            None => answer,
        };
        Ok(output::render(&answer, format))
    }
    .await;
    match result {
        Ok(text) if text.is_empty() => ExitCode::SUCCESS,
        Ok(text) => print_out(format!("{text}\n").as_bytes()),
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
