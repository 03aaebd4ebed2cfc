//! The emulator's own endpoints under `/_emulator/`: inspect and save the state, inject
//! faults, reset, read and move a manual clock. They need no signature.

use crate::engine::Shared;
use crate::http::{Reply, Request};
use crate::state::{Fault, State};

/// Answers a request under `/_emulator/`.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    match (req.method.as_str(), req.path.trim_end_matches('/')) {
        ("GET", "/_emulator/health") => Reply::json(200, "{\"status\":\"ok\"}"),
        ("GET", "/_emulator/resources") => resources(shared),
        ("GET", "/_emulator/state") => {
            Reply::json(200, shared.current_state().to_json().to_string())
        }
        ("POST", "/_emulator/state/save") => save(shared),
        ("GET", "/_emulator/faults") => faults(shared),
        ("POST", "/_emulator/faults") => add_faults(shared, req),
        ("DELETE", "/_emulator/faults") => {
            shared.clear_faults();
            faults(shared)
        }
        ("POST", "/_emulator/reset") => reset(shared, req),
        ("GET", "/_emulator/clock") => clock(shared),
        ("POST", "/_emulator/clock") => move_clock(shared, req),
        (
            _,
            "/_emulator/health"
            | "/_emulator/resources"
            | "/_emulator/state"
            | "/_emulator/state/save"
            | "/_emulator/faults"
            | "/_emulator/reset"
            | "/_emulator/clock",
        ) => Reply::emulator_error(405, "method not allowed"),
        _ => Reply::emulator_error(
            404,
            "unknown emulator endpoint; see GET /_emulator/resources, GET /_emulator/state, \
             POST /_emulator/state/save, GET|POST|DELETE /_emulator/faults, POST /_emulator/reset, \
             GET|POST /_emulator/clock",
        ),
    }
}

/// `{"resources": [..]}`: every resource left, ordered by service, type and ID.
fn resources(shared: &Shared) -> Reply {
    let world = shared.world();
    let body = serde_json::json!({
        "resources": world.resources.values().collect::<Vec<_>>(),
    });
    drop(world);
    Reply::json(200, body.to_string())
}

/// `POST /_emulator/state/save`: writes the current state (what `GET /_emulator/state`
/// returns, as YAML) to the `--state-out` file and answers `{"saved": "<path>"}`.
fn save(shared: &Shared) -> Reply {
    let Some(path) = shared.state_out() else {
        return Reply::emulator_error(
            400,
            "this emulator has no file to save its state to: start it with \
             `cloudspec emulate --state-out FILE` (or `EmulatorBuilder::state_out`)",
        );
    };
    match shared.current_state().write_yaml_file(path) {
        Ok(()) => Reply::json(
            200,
            serde_json::json!({ "saved": path.display().to_string() }).to_string(),
        ),
        Err(error) => Reply::emulator_error(500, &error.to_string()),
    }
}

fn faults(shared: &Shared) -> Reply {
    Reply::json(
        200,
        serde_json::json!({ "faults": shared.pending_faults() }).to_string(),
    )
}

/// `POST /_emulator/faults` with one fault object or an array of them.
fn add_faults(shared: &Shared, req: &Request) -> Reply {
    let value: serde_json::Value = match serde_json::from_slice(&req.body) {
        Ok(value) => value,
        Err(error) => return Reply::emulator_error(400, &format!("body is not JSON: {error}")),
    };
    let list = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    let mut parsed = Vec::with_capacity(list.len());
    for item in list {
        match serde_json::from_value::<Fault>(item) {
            Ok(fault) => match fault.validate() {
                Ok(()) => parsed.push(fault),
                Err(message) => return Reply::emulator_error(400, &message),
            },
            Err(error) => return Reply::emulator_error(400, &format!("invalid fault: {error}")),
        }
    }
    for fault in parsed {
        if let Err(message) = shared.push_fault(fault) {
            return Reply::emulator_error(400, &message);
        }
    }
    faults(shared)
}

/// `POST /_emulator/reset`: back to the initial state, or (with a body in the state-file
/// format, JSON or YAML) to that state, which becomes the new initial state.
fn reset(shared: &Shared, req: &Request) -> Reply {
    let text = String::from_utf8_lossy(&req.body);
    if text.trim().is_empty() {
        shared.reset(None);
    } else {
        let parsed = if text.trim_start().starts_with('{') {
            State::from_json_str(&text)
        } else {
            State::from_yaml_str(&text)
        };
        match parsed {
            Ok(state) => shared.reset(Some(state)),
            Err(error) => return Reply::emulator_error(400, &error.to_string()),
        }
    }
    resources(shared)
}

/// `{"now": "<RFC 3339>", "manual": bool}`: the emulator's time.
fn clock(shared: &Shared) -> Reply {
    Reply::json(
        200,
        serde_json::json!({
            "now": cloudspec_sign::iso8601_utc(shared.clock.now()),
            "manual": shared.clock.is_manual(),
        })
        .to_string(),
    )
}

/// `POST /_emulator/clock` with `{"advance_seconds": N}` or `{"set": "<RFC 3339>"}`: moves a
/// manual clock (`cloudspec emulate --manual-clock`, `Clock::manual`), so that tests in any
/// language can expire temporary credentials or open a rate window without waiting. 409
/// for the system clock, which cannot be moved.
fn move_clock(shared: &Shared, req: &Request) -> Reply {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Move {
        advance_seconds: Option<u64>,
        set: Option<String>,
    }
    let change: Move = match serde_json::from_slice(&req.body) {
        Ok(change) => change,
        Err(error) => {
            return Reply::emulator_error(
                400,
                &format!(
                    "expected {{\"advance_seconds\": N}} or {{\"set\": \"2026-01-01T00:00:00Z\"}}: {error}"
                ),
            );
        }
    };
    if !shared.clock.is_manual() {
        return Reply::emulator_error(
            409,
            "this emulator follows the system clock, which cannot be moved: start it with \
             `cloudspec emulate --manual-clock` (or `EmulatorBuilder::clock(Clock::manual_now())`)",
        );
    }
    let moved = match (change.advance_seconds, change.set) {
        (Some(seconds), None) => shared
            .clock
            .advance(std::time::Duration::from_secs(seconds)),
        (None, Some(time)) => match time.parse::<jiff::Timestamp>() {
            Ok(time) => shared.clock.set(time),
            Err(error) => {
                return Reply::emulator_error(
                    400,
                    &format!("`set` is not an RFC 3339 time: {error}"),
                );
            }
        },
        _ => {
            return Reply::emulator_error(400, "give exactly one of `advance_seconds` and `set`");
        }
    };
    if !moved {
        return Reply::emulator_error(400, "the clock cannot move that far");
    }
    clock(shared)
}
