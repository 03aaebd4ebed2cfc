//! `cloudspec emulate`: serve the local emulator of every service until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Run the local emulator of all five services (Alibaba RPC, Tencent API 3.0, Baidu REST) on one port.
#[derive(Debug, Clone, Args)]
pub struct EmulateArgs {
    /// Address to listen on (loopback only is recommended).
    #[arg(long, default_value = "127.0.0.1:9470")]
    pub listen: SocketAddr,
    /// YAML state file: access keys, images, faults (see emulator/README.md). Default: empty.
    #[arg(long)]
    pub state: Option<PathBuf>,
}

/// Serves until Ctrl-C.
pub async fn run(args: EmulateArgs) -> ExitCode {
    let state = match &args.state {
        Some(path) => match cloudspec_emulator::State::from_yaml_file(path) {
            Ok(state) => state,
            Err(error) => {
                eprintln!("error: {}: {error}", path.display());
                return ExitCode::from(2);
            }
        },
        None => cloudspec_emulator::State::default(),
    };
    let shutdown = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handler: serve until the process is killed.
            std::future::pending::<()>().await;
        }
        eprintln!("cloudspec emulator: stopping");
    };
    match cloudspec_emulator::serve(args.listen, state, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(4)
        }
    }
}
