//! The emulator's own endpoints under `/_emulator/`: inspect and save the state, inject
//! faults, reset. They need no signature.

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
        (
            _,
            "/_emulator/health"
            | "/_emulator/resources"
            | "/_emulator/state"
            | "/_emulator/state/save"
            | "/_emulator/faults"
            | "/_emulator/reset",
        ) => Reply::emulator_error(405, "method not allowed"),
        _ => Reply::emulator_error(
            404,
            "unknown emulator endpoint; see GET /_emulator/resources, GET /_emulator/state, \
             POST /_emulator/state/save, GET|POST|DELETE /_emulator/faults, POST /_emulator/reset",
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
