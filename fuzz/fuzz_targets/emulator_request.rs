//! The emulator's request handling end to end: raw bytes on a TCP connection to an
//! in-process emulator on 127.0.0.1 (hyper's parsing, request reading, routing, signature
//! verification, the operations). A panic in the server task aborts the process (the panic
//! hook of libfuzzer-sys), so the fuzzer sees it.
#![no_main]

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use cloudspec_emulator::{ConnectionTimeouts, Emulator, State};
use libfuzzer_sys::fuzz_target;

/// The emulator, started once on a runtime that lives as long as the process.
fn emulator() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let state = State::from_yaml_str(include_str!("../../examples/state.yaml"))
            .expect("the example state");
        let running = runtime
            .block_on(
                Emulator::builder()
                    .state(state)
                    .timeouts(ConnectionTimeouts {
                        header_read: Duration::from_secs(1),
                        body: Duration::from_secs(1),
                    })
                    .start(),
            )
            .expect("emulator on 127.0.0.1");
        let addr = running.addr();
        // Keep both for the life of the process.
        std::mem::forget(running);
        std::mem::forget(runtime);
        addr
    })
}

fuzz_target!(|data: &[u8]| {
    let addr = emulator();
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(data);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
});
