//! Runs the emulator until Ctrl-C (what `cloudspec emulate` does).
//!
//! ```sh
//! cargo run -p cloudspec-emulator --example serve -- examples/state.yaml 127.0.0.1:8080
//! ```
//!
//! Arguments: the state file (default: an empty state) and the address (default
//! `127.0.0.1:0`, a free port). It prints the address it listens on.

use std::net::SocketAddr;

use cloudspec_emulator::State;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let state = match args.next() {
        Some(path) => match State::from_yaml_file(&path) {
            Ok(state) => state,
            Err(error) => {
                eprintln!("serve: {error}");
                std::process::exit(2);
            }
        },
        None => State::new(),
    };
    let addr: SocketAddr = match args.next().map(|a| a.parse()) {
        None => SocketAddr::from(([127, 0, 0, 1], 0)),
        Some(Ok(addr)) => addr,
        Some(Err(error)) => {
            eprintln!("serve: invalid address: {error}");
            std::process::exit(2);
        }
    };
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(error) = cloudspec_emulator::serve(addr, state, ctrl_c).await {
        eprintln!("serve: {error}");
        std::process::exit(1);
    }
}
