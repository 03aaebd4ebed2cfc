//! `cloudspec emulate`: serve the local emulator of every service until Ctrl-C or SIGTERM,
//! then (with `--state-out`) write its state to a file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use cloudspec_emulator::{Emulator, Error, State};

/// Run the local emulator of every generated service (Alibaba RPC, Tencent API 3.0, Baidu REST) on one port.
///
/// The state lives in memory only and is lost when the process ends, unless `--state-out`
/// names a file to keep it in.
#[derive(Debug, Clone, Args)]
pub struct EmulateArgs {
    /// Address to listen on (loopback only is recommended).
    #[arg(long, default_value = "127.0.0.1:9470")]
    pub listen: SocketAddr,
    /// YAML state file: access keys, resources, faults (see emulator/README.md). Default: empty.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Keep the state in FILE (the state-file format, readable with `--state`): written on
    /// Ctrl-C and SIGTERM, and by `POST /_emulator/state/save`. Replaced atomically.
    #[arg(long, value_name = "FILE")]
    pub state_out: Option<PathBuf>,
    /// Print no line per request served (by default each request gets one on standard
    /// error: method, service, action, outcome, latency).
    #[arg(long)]
    pub quiet: bool,
    /// Start a manual clock at the current time, which stands still until
    /// `POST /_emulator/clock` moves it (`{"advance_seconds": N}`), to expire temporary
    /// credentials without waiting.
    #[arg(long)]
    pub manual_clock: bool,
    /// Accept an identity token for the unsigned web-identity STS calls, as
    /// `PROVIDER:ACCOUNT:TOKEN` (`alibaba:1000000000000001:eyJ...`); repeatable.
    #[arg(long, value_name = "PROVIDER:ACCOUNT:TOKEN", value_parser = parse_web_identity)]
    pub web_identity: Vec<(cloudspec_emulator::Provider, String, String)>,
    /// Play an instance with this role, as `PROVIDER:ACCOUNT:ROLE`
    /// (`alibaba:1000000000000001:EcsRole`): the instance-metadata operations name it and
    /// give credentials of the account for it; repeatable.
    #[arg(long, value_name = "PROVIDER:ACCOUNT:ROLE", value_parser = parse_instance_role)]
    pub instance_role: Vec<(cloudspec_emulator::Provider, String, String)>,
}

/// `PROVIDER:ACCOUNT:TOKEN`, the token being everything after the second colon.
fn parse_web_identity(
    text: &str,
) -> Result<(cloudspec_emulator::Provider, String, String), String> {
    parse_triple(text, "TOKEN", "eyJ...", "web identity")
}

/// `PROVIDER:ACCOUNT:ROLE`, the role being everything after the second colon.
fn parse_instance_role(
    text: &str,
) -> Result<(cloudspec_emulator::Provider, String, String), String> {
    parse_triple(text, "ROLE", "EcsRole", "instance role")
}

/// `PROVIDER:ACCOUNT:<what>` for Alibaba or Tencent, the last part being everything after
/// the second colon; `example` and `kind` phrase the errors.
fn parse_triple(
    text: &str,
    what: &str,
    example: &str,
    kind: &str,
) -> Result<(cloudspec_emulator::Provider, String, String), String> {
    let mut parts = text.splitn(3, ':');
    let (Some(provider), Some(account), Some(last)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "expected PROVIDER:ACCOUNT:{what}, e.g. alibaba:1000000000000001:{example}"
        ));
    };
    let provider = match provider {
        "alibaba" => cloudspec_emulator::Provider::Alibaba,
        "tencent" => cloudspec_emulator::Provider::Tencent,
        other => {
            return Err(format!(
                "`{other}` has no {kind} here: use alibaba or tencent"
            ));
        }
    };
    if account.is_empty() || last.is_empty() {
        return Err(format!(
            "the account and the {} must not be empty",
            what.to_ascii_lowercase()
        ));
    }
    Ok((provider, account.to_owned(), last.to_owned()))
}

/// Serves until Ctrl-C or SIGTERM. Exit codes: 0 stopped (and the state written, with
/// `--state-out`); 2 the state file cannot be read or the `--state-out` file cannot be
/// written; 4 the address cannot be bound or the final state cannot be written.
pub async fn run(args: EmulateArgs) -> ExitCode {
    let state = match &args.state {
        Some(path) => match State::from_yaml_file(path) {
            Ok(state) => state,
            Err(error) => {
                eprintln!("error: {}: {error}", path.display());
                return ExitCode::from(2);
            }
        },
        None => State::default(),
    };
    if state.access_keys.is_empty() {
        eprintln!(
            "warning: the emulator has no access keys, so every signed call will be refused \
             (Tencent SecretIdNotFound, Alibaba InvalidAccessKeyId.NotFound, Baidu \
             InvalidAccessKeyId); give it a state file with keys: --state examples/state.yaml"
        );
    }
    // Installed before the address is printed, so a signal sent as soon as the emulator
    // says it listens is never the default (fatal) action.
    let signals = StopSignals::install();
    let shutdown = async move {
        let which = signals.wait().await;
        eprintln!("cloudspec emulator: stopping ({which})");
    };
    let mut builder = Emulator::builder()
        .addr(args.listen)
        .state(state)
        .log_requests(!args.quiet);
    if let Some(path) = &args.state_out {
        builder = builder.state_out(path);
    }
    if args.manual_clock {
        builder = builder.clock(cloudspec_emulator::Clock::manual_now());
    }
    for (provider, account, token) in &args.web_identity {
        builder = builder.web_identity(*provider, token, account);
    }
    for (provider, account, role) in &args.instance_role {
        builder = builder.instance_role(*provider, role, account);
    }
    match builder.serve(shutdown).await {
        Ok(()) => {
            if let Some(path) = &args.state_out {
                eprintln!("cloudspec emulator: state written to {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error @ Error::StateOut(_)) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(4)
        }
    }
}

/// The signals that stop the emulator: Ctrl-C (SIGINT) and, on unix, SIGTERM.
struct StopSignals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    /// Installs the handlers now. A handler that cannot be installed is left out (that
    /// signal keeps its default action).
    fn install() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            StopSignals {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            StopSignals {}
        }
    }

    /// Waits for the first stop signal and names it.
    async fn wait(self) -> &'static str {
        #[cfg(unix)]
        {
            let StopSignals {
                mut interrupt,
                mut terminate,
            } = self;
            tokio::select! {
                () = next(interrupt.as_mut()) => "Ctrl-C",
                () = next(terminate.as_mut()) => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                // No signal handler: serve until the process is killed.
                std::future::pending::<()>().await;
            }
            "Ctrl-C"
        }
    }
}

/// Completes when `signal` arrives; never when it has no handler.
#[cfg(unix)]
async fn next(signal: Option<&mut tokio::signal::unix::Signal>) {
    let arrived = match signal {
        Some(signal) => signal.recv().await.is_some(),
        None => false,
    };
    if !arrived {
        std::future::pending::<()>().await;
    }
}
