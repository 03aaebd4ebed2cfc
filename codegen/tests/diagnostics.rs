//! Bad specs get `file:line:col` diagnostics with a hint, all problems at once, and
//! generation writes nothing. One fixture per mistake, in `tests/fixtures/bad/<mistake>/`.

use std::path::{Path, PathBuf};

use cloudspec_codegen::{GenerateError, generate_dir};

fn diagnostics_for(mistake: &str) -> String {
    let dir = PathBuf::from("tests/fixtures/bad").join(mistake);
    match generate_dir(&dir) {
        Ok(files) => panic!("{mistake}: expected diagnostics, got {} files", files.len()),
        Err(GenerateError::Spec(diagnostics)) => diagnostics.to_string(),
        Err(other) => panic!("{mistake}: expected spec diagnostics, got {other}"),
    }
}

macro_rules! bad_spec {
    ($test:ident, $mistake:literal, $expect:literal) => {
        #[test]
        fn $test() {
            let text = diagnostics_for($mistake);
            let location = format!("tests/fixtures/bad/{}/alibaba-demo.yaml:", $mistake);
            assert!(
                text.contains(&location),
                "diagnostic names the file:\n{text}"
            );
            assert!(
                text.contains($expect),
                "diagnostic says {:?}:\n{text}",
                $expect
            );
            assert!(
                text.contains("= help:") || $mistake == "malformed-yaml",
                "diagnostic says how to fix it:\n{text}"
            );
            insta::assert_snapshot!($mistake, text);
        }
    };
}

bad_spec!(malformed_yaml, "malformed-yaml", "error:");
bad_spec!(unknown_field, "unknown-field", "unknown field `requird`");
bad_spec!(wrong_type, "wrong-type", "invalid boolean");
bad_spec!(unknown_protocol, "unknown-protocol", "alibaba-soap");
bad_spec!(
    duplicate_error_code,
    "duplicate-error-code",
    "error code `ThingInUse` is listed twice"
);
bad_spec!(
    default_on_required,
    "default-on-required",
    "required parameter `Force` has a default"
);
bad_spec!(
    limit_contradicts_type,
    "limit-contradicts-type",
    "`Force` is a boolean, but has item limits"
);

bad_spec!(
    keyword_operation_name,
    "keyword-operation-name",
    "gives the Rust module and method `gen`, which is a Rust keyword"
);
bad_spec!(
    carriage_return_in_prose,
    "carriage-return-in-prose",
    "U+000D CARRIAGE RETURN"
);
bad_spec!(
    bidi_override_in_prose,
    "bidi-override-in-prose",
    "U+202E RIGHT-TO-LEFT OVERRIDE"
);

/// Every name a `behaviour:` uses is checked, and its pattern compiled: all of its mistakes
/// are reported together, each with a hint.
#[test]
fn behaviour_names_are_checked() {
    let text = diagnostics_for("behaviour-names");
    for expected in [
        "target parameter `ThingIds` is not a parameter of `DeleteThing`",
        "ID pattern `^(t-` is not a regular expression",
        "`state: melting` is not a state of resource type `thing`",
        "`found: lost` is not one of missing, foreign, owned",
        "`ThingIsUsed` is not a documented error of `DeleteThing`",
        "condition on `Force`, which is not a parameter of `DeleteThing`",
        "rule `no-such-rule` is not a rule of `DeleteThing`",
        "resource type `thing` has no bound `part`",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
    insta::assert_snapshot!("behaviour-names", text);
}

/// `Type`, `Self`, `Crate` and `Super` are keywords as modules; `Client` and `Config`
/// collide with what every crate has. Each gets a positioned diagnostic, not an internal
/// error.
#[test]
fn reserved_operation_names_are_refused_with_positions() {
    let text = diagnostics_for("reserved-operation-names");
    for name in ["Type", "Self", "Crate", "Super", "Client", "Config"] {
        assert!(
            text.lines().any(|line| line.contains(": error: ")
                && line.contains(&format!("operation name `{name}`"))),
            "`{name}` is refused:\n{text}"
        );
    }
    assert!(!text.contains("internal error"), "{text}");
    insta::assert_snapshot!("reserved-operation-names", text);
}

#[test]
fn several_problems_are_reported_together_in_file_order() {
    let text = diagnostics_for("several-problems");
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.contains(": error: "))
        .collect();
    assert!(lines.len() >= 6, "every problem is reported:\n{text}");
    let positions: Vec<(u64, u64)> = lines
        .iter()
        .map(|line| {
            let mut parts = line.split(':').skip(1);
            let line_no = parts.next().and_then(|part| part.parse().ok()).unwrap_or(0);
            let column = parts.next().and_then(|part| part.parse().ok()).unwrap_or(0);
            (line_no, column)
        })
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted, "diagnostics are in file order");
    insta::assert_snapshot!("several-problems", text);
}

#[test]
fn nothing_is_written_when_a_spec_is_bad() {
    // The library never writes; `cargo xtask regen` writes only after `generate_dir`
    // succeeded. Check the error carries no partial output: it is an error, not files.
    let result = generate_dir(Path::new("tests/fixtures/bad/default-on-required"));
    assert!(matches!(result, Err(GenerateError::Spec(_))));
}

#[test]
fn a_missing_specs_folder_is_a_diagnostic_not_a_panic() {
    let text = match generate_dir(Path::new("tests/fixtures/does-not-exist")) {
        Err(GenerateError::Spec(diagnostics)) => diagnostics.to_string(),
        other => panic!("expected a diagnostic, got {other:?}"),
    };
    assert!(text.contains("cannot read the specs folder"), "{text}");
}

bad_spec!(
    fact_without_source,
    "fact-without-source",
    "fact `sdk-sends-post` has no source"
);

/// Every mistake of an `enums:` entry and of an `enum:` reference is reported together:
/// names, values, variants (`Unknown` is every enum's own) and `applies_to` targets.
#[test]
fn enum_mistakes_are_checked() {
    let text = diagnostics_for("enum-mistakes");
    for expected in [
        "enum `ThingKind` lists the value `BIG` twice",
        "two values of enum `ThingKind` give the variant `Big`",
        "gives the variant `Unknown`, which every enum keeps for values it does not know",
        "value `1` of enum `ThingKind` gives the variant `1`, which is not a PascalCase identifier",
        "enum `ThingKind` applies to `Thing.Missing`",
        "enum `ThingKind` applies to `DeleteThing.Force`",
        "enum `empty_kind` is not a PascalCase identifier",
        "enum `empty_kind` lists no values",
        "field `Kind` of `Thing` is an enum without `enum`",
        "field `Size` of `Thing` names enum `ThingSize`, which `enums:` does not define",
        "parameter `ThingId` has `enum` but is not of type `enum`",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
    insta::assert_snapshot!("enum-mistakes", text);
}

/// Several API versions of one service: an action is one operation per version, and a
/// `Version` constant must be the operation's own version.
#[test]
fn version_mistakes_are_checked() {
    let text = diagnostics_for("version-mistakes");
    for expected in [
        "action `DeleteThing` of API version `2020-01-01` is defined twice",
        "`Version` is constant `2020-01-01`, but the spec says `2024-01-01`",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("of API version `2024-01-01` is defined twice"),
        "the same action in another version is allowed:\n{text}"
    );
    insta::assert_snapshot!("version-mistakes", text);
}

/// An operation's `auth`: an unsigned one cites its source, and its identity token is a
/// required parameter of its own; a signed one has no identity token.
#[test]
fn auth_mistakes_are_checked() {
    let text = diagnostics_for("auth-mistakes");
    for expected in [
        "`auth` cites no source",
        "a signed operation has no `identity_token`",
        "`identity_token` `Token` is not a parameter of the operation",
        "`identity_token` `Token` is not a required parameter",
        "an anonymous operation that issues credentials names no `identity_token`",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
    insta::assert_snapshot!("auth-mistakes", text);
}

/// Instance-metadata operations: a text answer is the only body field and a string; the
/// protocol has no body parameters, actions or `auth`; `instance_metadata:` names
/// parameters where they travel and status-only errors with a status.
#[test]
fn instance_metadata_mistakes_are_checked() {
    let text = diagnostics_for("instance-metadata-mistakes");
    for expected in [
        "`TextWithBody` has a `text-body` field and other body fields",
        "text-body field `Token` is not a string",
        "parameter `Payload` is `in: body`, which protocol `instance-metadata` does not use",
        "`instance-metadata` operations have no `action`",
        "instance-metadata operations are never signed, so they take no `auth`",
        "`ttl_parameter` `Missing` is not a parameter of the operation",
        "`session_token_parameter` `Token` is `in: query`, not `in: header`",
        "`no_role` `NoRole` is not a status-only error of the operation",
        "a session token or a role name is answered as text, and the response has no `text-body` field",
        "only `answers: session-token` takes a `ttl_parameter`",
        "`session_token_parameter` and `unauthorized` go together",
        "`answers: role-credentials` names no `role_parameter`",
        "`answers: role-credentials` without `issues_credentials`",
        "`unauthorized` `Unauthorized` has no `status`",
        "`session_token_parameter` `Token` is not a parameter of the operation",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
    insta::assert_snapshot!("instance-metadata-mistakes", text);
}
