//! The providers' official Python SDKs as independent oracles.
//!
//! `conformance/oracles/oracle.py` drives tencentcloud-sdk-python, alibabacloud-tea-openapi,
//! aliyun-python-sdk-core and bce-python-sdk (pinned in
//! `conformance/oracles/requirements.txt`); this module starts it once per test process
//! and speaks its protocol: one JSON request a line on its stdin, one JSON answer a line on
//! its stdout (`conformance/oracles/README.md`).
//!
//! The Python interpreter is `$CLOUDSPEC_ORACLE_PYTHON`, else `.venv-oracles/bin/python`
//! under the workspace root (what `.ci/run` creates). Where neither exists, or the SDKs do
//! not import, the SDK tiers are skipped with that reason, and fail when `CI` is set: CI
//! must never skip them.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

/// An official SDK family: its name (the report's tier) and the provider it speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// The family's name, as the oracle and the report call it.
    pub name: &'static str,
    /// The provider (`alibaba`, `tencent`, `baidu`).
    pub provider: &'static str,
}

/// Every official SDK family the oracle drives.
pub const FAMILIES: &[Family] = &[
    Family {
        name: "tencentcloud-sdk-python",
        provider: "tencent",
    },
    Family {
        name: "alibabacloud-tea-openapi",
        provider: "alibaba",
    },
    Family {
        name: "aliyun-python-sdk-core",
        provider: "alibaba",
    },
    Family {
        name: "bce-python-sdk",
        provider: "baidu",
    },
];

/// The official SDK families whose instance-role credentials providers the oracle drives
/// (its `instance_role` op): they read the instance-metadata specs' operations.
pub const INSTANCE_ROLE_FAMILIES: &[Family] = &[
    Family {
        name: "alibabacloud-credentials",
        provider: "alibaba",
    },
    Family {
        name: "tencentcloud-sdk-python",
        provider: "tencent",
    },
];

/// The instance-role families of `provider`.
pub fn instance_role_families_of(provider: &str) -> impl Iterator<Item = &'static Family> + '_ {
    INSTANCE_ROLE_FAMILIES
        .iter()
        .filter(move |family| family.provider == provider)
}

/// The families of `provider`.
pub fn families_of(provider: &str) -> impl Iterator<Item = &'static Family> + '_ {
    FAMILIES
        .iter()
        .filter(move |family| family.provider == provider)
}

/// Why the oracle cannot be used here.
#[derive(Debug, Clone, thiserror::Error)]
pub enum OracleError {
    /// No Python interpreter with the SDKs.
    #[error(
        "no Python for the official SDKs: {0} (run `.ci/run`, or create .venv-oracles with `python3 -m venv .venv-oracles && .venv-oracles/bin/pip install -r conformance/oracles/requirements.txt`)"
    )]
    NoPython(String),
    /// The process could not be started or talked to.
    #[error("the oracle process failed: {0}")]
    Process(String),
    /// The family's SDK did not import.
    #[error("{family} is not available: {reason}")]
    FamilyUnavailable {
        /// The family.
        family: String,
        /// What the oracle said.
        reason: String,
    },
}

struct Pipes {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Drop for Pipes {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running oracle process, shared by the tests of one process.
pub struct Oracle {
    pipes: Mutex<Pipes>,
    /// The `families` object of the oracle's ready line: availability and package versions.
    pub families: Value,
}

impl std::fmt::Debug for Oracle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oracle")
            .field("families", &self.families)
            .finish_non_exhaustive()
    }
}

fn python() -> Result<PathBuf, OracleError> {
    if let Some(path) = std::env::var_os("CLOUDSPEC_ORACLE_PYTHON").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.exists() {
            Ok(path)
        } else {
            Err(OracleError::NoPython(format!(
                "CLOUDSPEC_ORACLE_PYTHON={} does not exist",
                path.display()
            )))
        };
    }
    let default = crate::workspace_root().join(".venv-oracles/bin/python");
    if default.exists() {
        Ok(default)
    } else {
        Err(OracleError::NoPython(format!(
            "CLOUDSPEC_ORACLE_PYTHON is not set and {} does not exist",
            default.display()
        )))
    }
}

impl Oracle {
    /// The oracle of this process, started on first use.
    pub fn shared() -> Result<Arc<Oracle>, OracleError> {
        static ORACLE: OnceLock<Result<Arc<Oracle>, OracleError>> = OnceLock::new();
        ORACLE.get_or_init(|| Oracle::start().map(Arc::new)).clone()
    }

    /// Starts `oracle.py` and reads its ready line.
    pub fn start() -> Result<Oracle, OracleError> {
        let python = python()?;
        let script = crate::workspace_root().join("conformance/oracles/oracle.py");
        let mut child = Command::new(&python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| {
                OracleError::Process(format!(
                    "{} {}: {error}",
                    python.display(),
                    script.display()
                ))
            })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(OracleError::Process("no pipes to the oracle".into()));
        };
        let mut pipes = Pipes {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            next_id: 1,
        };
        let ready = read_line(&mut pipes.stdout)?;
        if ready.get("ready") != Some(&Value::Bool(true)) {
            return Err(OracleError::Process(format!(
                "unexpected first line: {ready}"
            )));
        }
        let families = ready.get("families").cloned().unwrap_or(Value::Null);
        Ok(Oracle {
            pipes: Mutex::new(pipes),
            families,
        })
    }

    /// Whether `family` imported; its reason when not.
    pub fn check_family(&self, family: &str) -> Result<(), OracleError> {
        let entry = &self.families[family];
        if entry["available"] == Value::Bool(true) {
            Ok(())
        } else {
            Err(OracleError::FamilyUnavailable {
                family: family.to_owned(),
                reason: entry["reason"]
                    .as_str()
                    .unwrap_or("not reported by the oracle")
                    .to_owned(),
            })
        }
    }

    /// The package versions of `family`, for the report (`name==version, ...`).
    pub fn versions(&self, family: &str) -> String {
        self.families[family]["packages"]
            .as_object()
            .map(|packages| {
                packages
                    .iter()
                    .map(|(name, version)| format!("{name}=={}", version.as_str().unwrap_or("?")))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    }

    /// Sends one request object (an `id` is added) and waits for its answer. Blocking: call
    /// it from [`Oracle::ask`] in async code.
    pub fn ask_blocking(&self, mut request: Value) -> Result<Value, OracleError> {
        let mut pipes = self
            .pipes
            .lock()
            .map_err(|_| OracleError::Process("the oracle lock is poisoned".into()))?;
        let id = pipes.next_id;
        pipes.next_id += 1;
        request["id"] = json!(id);
        let line = format!("{request}\n");
        pipes
            .stdin
            .write_all(line.as_bytes())
            .and_then(|()| pipes.stdin.flush())
            .map_err(|error| OracleError::Process(format!("writing to the oracle: {error}")))?;
        let answer = read_line(&mut pipes.stdout)?;
        if answer.get("id") != Some(&json!(id)) {
            return Err(OracleError::Process(format!(
                "answer to request {id} has another id: {answer}"
            )));
        }
        Ok(answer)
    }

    /// [`Oracle::ask_blocking`] on a blocking thread, so that an emulator or capture
    /// listener on the caller's runtime keeps serving while the SDK calls it.
    pub async fn ask(self: &Arc<Self>, request: Value) -> Result<Value, OracleError> {
        let oracle = Arc::clone(self);
        tokio::task::spawn_blocking(move || oracle.ask_blocking(request))
            .await
            .map_err(|error| OracleError::Process(format!("oracle task: {error}")))?
    }
}

fn read_line(stdout: &mut BufReader<ChildStdout>) -> Result<Value, OracleError> {
    let mut line = String::new();
    let read = stdout
        .read_line(&mut line)
        .map_err(|error| OracleError::Process(format!("reading from the oracle: {error}")))?;
    if read == 0 {
        return Err(OracleError::Process(
            "the oracle exited (its stderr is above)".into(),
        ));
    }
    serde_json::from_str(&line)
        .map_err(|error| OracleError::Process(format!("unreadable answer {line:?}: {error}")))
}

/// Whether this run is CI's (`CI` set to anything but `false` or empty), where a skipped
/// SDK tier is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false")
}

/// How a call through an SDK ended, from the oracle's `call` answer.
#[derive(Debug, Clone, PartialEq)]
pub enum SdkOutcome {
    /// Success, with the SDK's output and the HTTP status where it exposes one.
    Ok {
        /// The output as the SDK returns it.
        output: Value,
        /// HTTP status, when the SDK exposes it.
        status: Option<u16>,
    },
    /// The SDK's normal service exception.
    Error {
        /// The error code.
        code: Option<String>,
        /// HTTP status, when the SDK's exception carries it.
        status: Option<u16>,
        /// The message.
        message: Option<String>,
        /// The request id.
        request_id: Option<String>,
    },
    /// Anything else: an SDK crash, a client-side exception, a broken answer.
    Crash(String),
}

impl SdkOutcome {
    /// Reads the oracle's answer to a `call`.
    pub fn from_answer(answer: &Value) -> SdkOutcome {
        let text = |key: &str| answer.get(key).and_then(Value::as_str).map(str::to_owned);
        let status = answer
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|status| u16::try_from(status).ok());
        match answer.get("outcome").and_then(Value::as_str) {
            Some("ok") => SdkOutcome::Ok {
                output: answer.get("output").cloned().unwrap_or(Value::Null),
                status,
            },
            Some("error") => SdkOutcome::Error {
                code: text("code"),
                status,
                message: text("message"),
                request_id: text("request_id"),
            },
            Some("crash") => SdkOutcome::Crash(format!(
                "{}: {}",
                text("exception").unwrap_or_default(),
                text("text").unwrap_or_default()
            )),
            _ => SdkOutcome::Crash(format!("unexpected answer {answer}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_outcomes() {
        let ok = json!({"id": 1, "outcome": "ok", "status": 200, "output": {"RequestId": "r"}});
        assert_eq!(
            SdkOutcome::from_answer(&ok),
            SdkOutcome::Ok {
                output: json!({"RequestId": "r"}),
                status: Some(200)
            }
        );
        let error = json!({"id": 2, "outcome": "error", "code": "X", "status": null,
                           "message": "m", "request_id": "r"});
        assert_eq!(
            SdkOutcome::from_answer(&error),
            SdkOutcome::Error {
                code: Some("X".into()),
                status: None,
                message: Some("m".into()),
                request_id: Some("r".into())
            }
        );
        let crash = json!({"id": 3, "outcome": "crash", "exception": "KeyError", "text": "'code'"});
        assert_eq!(
            SdkOutcome::from_answer(&crash),
            SdkOutcome::Crash("KeyError: 'code'".into())
        );
        assert!(matches!(
            SdkOutcome::from_answer(&json!({"id": 4})),
            SdkOutcome::Crash(_)
        ));
    }

    #[test]
    fn every_provider_has_a_family() {
        for provider in ["alibaba", "tencent", "baidu"] {
            assert!(families_of(provider).next().is_some(), "{provider}");
        }
    }
}

/// Credentials for a call through an SDK.
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    /// Access key id.
    pub id: &'a str,
    /// Secret.
    pub secret: &'a str,
}

/// The oracle's `call` request for `operation` of spec `service` (documented input names
/// turned into wire names, common parameters left to the SDK's own configuration).
pub fn call_request(
    family: &Family,
    service: &str,
    operation: &str,
    endpoint: &str,
    region: Option<&str>,
    keys: Keys<'_>,
    input: &serde_json::Map<String, Value>,
) -> Value {
    use cloudspec_codegen::spec::model::Location;
    let spec = &crate::spec(service).spec;
    let op = crate::operation(service, operation);
    let mut params = serde_json::Map::new();
    let mut path_params = Vec::new();
    for param in op.parameters.iter().map(|param| &param.value) {
        let wire = param
            .wire_name
            .clone()
            .unwrap_or_else(|| param.name.value.clone());
        if param.location == Location::Path && param.constant.is_none() {
            path_params.push(wire.clone());
        }
        if param.location == Location::Common || param.constant.is_some() {
            continue;
        }
        if let Some(value) = input.get(&param.name.value) {
            params.insert(wire, value.clone());
        }
    }
    json!({
        "op": "call",
        "family": family.name,
        "provider": spec.provider.as_str(),
        "product": spec.product_code.clone().unwrap_or_else(|| spec.service.value.clone()),
        "service": spec.service.value,
        "version": cloudspec_codegen::names::operation_api_version(spec, op),
        "operation": op.name.value,
        "action": op.action.as_ref().map_or(&op.name.value, |action| &action.value),
        "http_method": op.http.method.as_str(),
        "path": op.http.path.value,
        "path_params": path_params,
        "endpoint": endpoint.trim_start_matches("http://"),
        "region": region,
        "credentials": { "id": keys.id, "secret": keys.secret, "token": null },
        // An unsigned operation is sent as the SDK sends it unsigned (oracle.py).
        "anonymous": op.auth.as_ref().is_some_and(|auth| auth.value.kind == cloudspec_codegen::spec::model::AuthKind::Anonymous),
        "params": params,
    })
}
