//! State that can be kept (issue 8, item 6): the state written as a state file reads back
//! equal, `POST /_emulator/state/save` writes it to the `state_out` file, and a file that
//! cannot be written is a clear error before serving starts.

use std::path::{Path, PathBuf};

use cloudspec_emulator::{
    AccessKey, Emulator, Error, Fault, FaultKind, Kind, Provider, Resource, SaveStateError, State,
};

/// A fresh, empty folder under Cargo's scratch folder for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("state-out")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn example_state() -> State {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/state.yaml");
    State::from_yaml_file(path).expect("examples/state.yaml")
}

/// Strings YAML would read as something else when written bare. Images are listed grouped
/// by provider (Alibaba, Tencent, Baidu), as a state file lists them.
fn tricky_state() -> State {
    let mut state = State::new()
        .with_access_key(AccessKey::new(Provider::Tencent, "true", "null", "0123"))
        .with_access_key(AccessKey::new(
            Provider::Alibaba,
            "~",
            "# not a comment",
            "1e3",
        ))
        .with_access_key(AccessKey::new(
            Provider::Baidu,
            "- a",
            "key: value",
            " spaced ",
        ))
        .with_resource(Resource::new(svc("ens"), "m-ens", "12").with_kind(Kind::Public));
    for (index, id) in ["yes", "-1", "0x10", "'quoted'", "[a]", "{b}", "a\"b", "é中"]
        .into_iter()
        .enumerate()
    {
        state = state.with_resource(
            Resource::new(svc("cvm"), id, "0123")
                .in_region(format!("ap-{index}"))
                .with_state("in-use")
                .shared_with("1.0")
                .used_by("null"),
        );
    }
    state
        .with_resource(Resource::new(svc("bcc"), "m-bcc", "off"))
        .with_resource(Resource::new(svc("cvm"), "img-bound", "off").with_bound("s-1"))
        .with_resource(
            Resource::new(svc("cvm"), "false", "2")
                .of_type("snapshot")
                .in_region("cn-hangzhou"),
        )
        .with_fault(Fault::new(svc("ecs"), FaultKind::Throttle).times(3))
        .validated()
        .expect("a valid state")
}

/// State → file → state: equal, for the example state and for strings YAML would misread.
#[test]
fn written_state_reads_back_equal() {
    let dir = scratch("round-trip");
    for (name, state) in [("example", example_state()), ("tricky", tricky_state())] {
        let path = dir.join(format!("{name}.yaml"));
        state.write_yaml_file(&path).expect("written");
        let again = State::from_yaml_file(&path).expect("reads back");
        assert_eq!(again, state, "{name}");
        // One serialization: the YAML file holds the document GET /_emulator/state returns.
        assert_eq!(
            State::from_json_str(&state.to_json().to_string()).expect("JSON reads back"),
            again,
            "{name}"
        );
        // Nothing is left beside the file (the temporary file was renamed).
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("lists")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert!(
            names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
            "{names:?}"
        );
    }
}

/// Writing over an existing file replaces it whole.
#[test]
fn writing_replaces_an_existing_file() {
    let dir = scratch("replace");
    let path = dir.join("state.yaml");
    std::fs::write(&path, "left over: [").expect("old file");
    let state = tricky_state();
    state.write_yaml_file(&path).expect("replaced");
    assert_eq!(State::from_yaml_file(&path).expect("reads back"), state);
}

#[cfg(unix)]
#[test]
fn the_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let path = scratch("mode").join("state.yaml");
    example_state().write_yaml_file(&path).expect("written");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "it holds secrets");
}

#[test]
fn unwritable_paths_are_errors_naming_the_path() {
    let dir = scratch("unwritable");
    let missing = dir.join("no-such-folder").join("state.yaml");
    let error = example_state().write_yaml_file(&missing).unwrap_err();
    assert!(matches!(error, SaveStateError::Write { .. }), "{error:?}");
    assert!(error.to_string().contains("no-such-folder"), "{error}");
    assert!(
        std::error::Error::source(&error).is_some(),
        "the io error is the source"
    );

    let error = example_state().write_yaml_file(&dir).unwrap_err();
    assert!(
        matches!(error, SaveStateError::NotAFile { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("names a folder"), "{error}");
}

#[tokio::test]
async fn an_unwritable_state_out_stops_the_start() {
    let missing = scratch("start").join("no-such-folder").join("state.yaml");
    let error = Emulator::builder()
        .state_out(&missing)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::StateOut(SaveStateError::Write { .. })),
        "{error:?}"
    );
    assert!(error.to_string().contains("no-such-folder"), "{error}");
    assert!(!missing.exists());
}

async fn post(url: String) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(url)
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).expect("a JSON body");
    (status, body)
}

/// `POST /_emulator/state/save` writes the current state (changes and pending faults
/// included) to the `state_out` file and names it.
#[tokio::test]
async fn admin_save_writes_the_current_state() {
    let path = scratch("admin").join("kept.yaml");
    let emulator = Emulator::builder()
        .state(example_state())
        .state_out(&path)
        .start()
        .await
        .expect("started");
    assert_eq!(emulator.state_out(), Some(path.as_path()));
    assert!(!path.exists(), "nothing is written before it is asked for");

    let smaller = State::new()
        .with_access_key(AccessKey::new(Provider::Tencent, "k", "s", "100000000001"))
        .with_resource(Resource::new(svc("cvm"), "img-kept0001", "100000000001"));
    emulator.replace_state(smaller).expect("replaced");
    emulator
        .inject_fault(Fault::new(svc("cvm"), FaultKind::Error503).times(2))
        .expect("fault");

    let (status, body) = post(format!("{}/_emulator/state/save", emulator.endpoint())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["saved"], path.display().to_string());
    let saved = State::from_yaml_file(&path).expect("reads back");
    assert_eq!(saved, emulator.state());
    assert_eq!(saved.resources.len(), 1);
    assert_eq!(saved.faults.len(), 1);

    emulator.shutdown().await;
}

/// Without a `state_out` file the admin call is refused, saying how to give one.
#[tokio::test]
async fn admin_save_without_state_out_is_a_400() {
    let emulator = Emulator::builder()
        .state(example_state())
        .start()
        .await
        .expect("started");
    let (status, body) = post(format!("{}/_emulator/state/save", emulator.endpoint())).await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"].as_str().unwrap_or_default();
    assert!(message.contains("--state-out"), "{message}");

    let response = reqwest::get(format!("{}/_emulator/state/save", emulator.endpoint()))
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 405);
    emulator.shutdown().await;
}

/// `state` with its resources in the emulator's order (by service, type, then ID).
fn in_emulator_order(mut state: State) -> State {
    state.resources.sort_by(|a, b| {
        (a.service, &a.resource_type, &a.id).cmp(&(b.service, &b.resource_type, &b.id))
    });
    state
}

/// [`cloudspec_emulator::EmulatorBuilder::serve`] writes the final state when it stops.
#[tokio::test]
async fn serve_writes_the_state_when_it_stops() {
    let path = scratch("serve").join("final.yaml");
    Emulator::builder()
        .state(tricky_state())
        .state_out(&path)
        .serve(async {})
        .await
        .expect("served and saved");
    assert_eq!(
        State::from_yaml_file(&path).expect("reads back"),
        in_emulator_order(tricky_state())
    );
}

/// The registry's service named `name` (its short name or command).
fn svc(name: &str) -> cloudspec_emulator::Service {
    cloudspec_emulator::Service::named(name).expect("a service of the registry")
}
