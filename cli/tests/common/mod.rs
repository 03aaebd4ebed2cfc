//! Helpers shared by the command's integration tests.
#![allow(dead_code)]

use std::process::Command;

/// The built `cloudspec`, with nothing from the caller's cloud environment.
pub fn clean_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cloudspec"));
    for (name, _) in std::env::vars() {
        if ["ALIBABA", "ALICLOUD", "TENCENTCLOUD", "BAIDUBCE", "BCE_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name);
        }
    }
    command
}

/// Reads a request head (up to the blank line, at most 64 KiB) from `stream`.
pub fn read_head(stream: &mut impl std::io::Read) -> Vec<u8> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    head
}
