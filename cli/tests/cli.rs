//! End-to-end tests of the `cloudspec` command: the built binary against the in-process
//! emulator on 127.0.0.1, checking output, exit code and the emulator's state afterwards.

mod common;

use std::process::Command;

use common::{cloudspec, emulator, http_response, raw_server, stderr, stdout_json, svc};

/// `cloudspec baidu-bcc delete-image --image-id m-1 --endpoint ENDPOINT`: the call the
/// hostile-server tests point at their canned servers.
fn bcc_delete_at(endpoint: &str) -> std::process::Output {
    cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "m-1",
        "--endpoint",
        endpoint,
    ])
}

/// ECS "Sample requests": a delete succeeds, prints the typed output as JSON, exits 0, and
/// removes exactly the image asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ecs_delete_prints_output_and_changes_state() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let output = {
        cloudspec(&[
            "alibaba-ecs",
            "delete-image",
            "--image-id",
            "m-free",
            "--region-id",
            "cn-hangzhou",
            "--endpoint",
            &endpoint,
        ])
    };
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout_json(&output)["RequestId"].is_string());
    assert!(emulator.resource(svc("ecs"), "m-free").is_none());
    assert!(emulator.resource(svc("ecs"), "m-used").is_some());
}

/// ECS error row `ImageUsingByInstance` (403): printed with code, message, HTTP status and
/// request id; exit code 3; the image stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ecs_documented_refusal_exits_3_with_code_message_status_and_request_id() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let output = {
        cloudspec(&[
            "alibaba-ecs",
            "delete-image",
            "--image-id",
            "m-used",
            "--region-id",
            "cn-hangzhou",
            "--endpoint",
            &endpoint,
        ])
    };
    assert_eq!(output.status.code(), Some(3));
    let text = stderr(&output);
    assert!(text.contains("ImageUsingByInstance"), "{text}");
    assert!(
        text.contains("The specified image has been used to create instances."),
        "{text}"
    );
    assert!(text.contains("HTTP:       403"), "{text}");
    assert!(text.contains("request id: "), "{text}");
    assert!(emulator.resource(svc("ecs"), "m-used").is_some());
}

/// SWAS `ClientToken` row ("cannot exceed 64 characters"): refused before anything is sent,
/// exit code 2, nothing deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swas_validation_error_exits_2_before_sending() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let token = "x".repeat(65);
    let output = {
        cloudspec(&[
            "alibaba-swas",
            "delete-custom-images",
            "--region-id",
            "cn-hangzhou",
            "--image-ids",
            "m-s1",
            "--client-token",
            &token,
            "--endpoint",
            &endpoint,
        ])
    };
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`ClientToken` must have at most 64 characters"),
        "{}",
        stderr(&output)
    );
    assert!(emulator.resource(svc("swas"), "m-s1").is_some());
}

/// SWAS: "You can also call this operation to delete multiple custom images at the same
/// time." Repeated `--image-ids` flags make the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swas_repeated_flags_delete_several_images() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let output = {
        cloudspec(&[
            "alibaba-swas",
            "delete-custom-images",
            "--region-id",
            "cn-hangzhou",
            "--image-ids",
            "m-s1",
            "--image-ids",
            "m-s2",
            "--region",
            "cn-hangzhou",
            "--endpoint",
            &endpoint,
        ])
    };
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(emulator.resource(svc("swas"), "m-s1").is_none());
    assert!(emulator.resource(svc("swas"), "m-s2").is_none());
}

/// CVM `DryRun` ("Check whether deleting an image is supported"): succeeds, deletes nothing;
/// without it the image goes. A shared image is refused (`InvalidImageId.InShared`, exit 3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cvm_dry_run_then_delete_then_shared_refusal() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let base = [
        "tencent-cvm",
        "delete-images",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        endpoint.as_str(),
    ];
    let dry = cloudspec(&[&base[..], &["--image-ids", "img-aaaa0001", "--dry-run"]].concat());
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert!(
        emulator.resource(svc("cvm"), "img-aaaa0001").is_some(),
        "a dry run deletes nothing"
    );
    let real = cloudspec(&[&base[..], &["--image-ids", "img-aaaa0001"]].concat());
    assert_eq!(real.status.code(), Some(0), "{}", stderr(&real));
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_none());
    let shared = cloudspec(&[&base[..], &["--image-ids", "img-shared01"]].concat());
    assert_eq!(shared.status.code(), Some(3));
    assert!(
        stderr(&shared).contains("InvalidImageId.InShared"),
        "{}",
        stderr(&shared)
    );
    assert!(emulator.resource(svc("cvm"), "img-shared01").is_some());
}

/// CVM `DescribeImages` (imported from tccli's metadata, no behaviour rules): a nested
/// parameter takes JSON, as tccli does, and the emulator answers with the metadata's
/// example response (`examples.json`, "已经知道镜像ID，查询镜像相关信息。"); JSON that does
/// not parse is a usage error before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cvm_describe_images_takes_json_filters_and_gets_the_documented_example() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let base = [
        "tencent-cvm",
        "describe-images",
        "--region",
        "ap-guangzhou",
        "--endpoint",
        endpoint.as_str(),
        "--filters",
    ];
    let output = cloudspec(
        &[
            &base[..],
            &[r#"[{"Name":"image-id","Values":["img-9qabwvbn"]}]"#],
        ]
        .concat(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answer: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the typed output as JSON");
    assert_eq!(answer["TotalCount"], 1);
    assert_eq!(answer["ImageSet"][0]["ImageId"], "img-9qabwvbn");
    assert_eq!(answer["ImageSet"][0]["Tags"][0]["Key"], "myKey");
    let bad = cloudspec(&[&base[..], &["not json"]].concat());
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("not JSON"), "{}", stderr(&bad));
}

/// BCC "Request Instance" / "Return Instance": 200 with `x-bce-request-id`; a missing image
/// is a 404 ("prompts an error 404"), exit 3.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bcc_delete_then_missing_image_404() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let (first, second) = {
        let args = [
            "baidu-bcc",
            "delete-image",
            "--image-id",
            "m-nky7qeom",
            "--endpoint",
            endpoint.as_str(),
        ];
        (cloudspec(&args), cloudspec(&args))
    };
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout_json(&first)["x-bce-request-id"].is_string());
    assert_eq!(second.status.code(), Some(3));
    assert!(
        stderr(&second).contains("HTTP:       404"),
        "{}",
        stderr(&second)
    );
}

/// A missing required flag is a usage error (exit 2), nothing sent.
#[test]
fn missing_required_flag_is_a_usage_error() {
    let output = cloudspec(&[
        "tencent-cvm",
        "delete-images",
        "--endpoint",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--image-ids"),
        "{}",
        stderr(&output)
    );
}

/// docs/protocols.md "Official worked examples", Tencent TC3, through `cloudspec sign`.
#[test]
fn sign_prints_the_official_tencent_example() {
    let output = cloudspec(&[
        "sign",
        "--scheme",
        "tencent-tc3",
        "--method",
        "POST",
        "--url",
        "https://cvm.tencentcloudapi.com/",
        "--header",
        "Content-Type: application/json; charset=utf-8",
        "--body",
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#,
        "--access-key-id",
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "--access-key-secret",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "--time",
        "1551113065",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json = stdout_json(&output);
    assert_eq!(json["method"], "POST");
    assert_eq!(json["url"], "https://cvm.tencentcloudapi.com/");
    let authorization = json["headers"]["Authorization"]
        .as_str()
        .unwrap_or_default();
    assert!(
        authorization.ends_with(
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        ),
        "{authorization}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"),
        "the secret is never printed"
    );
}

/// `cloudspec emulate` prints the address it listens on, serves, and stops cleanly on Ctrl-C
/// (SIGINT).
#[test]
fn emulate_prints_its_address_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudspec"))
        .args(["emulate", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads the first line");
    assert!(
        line.starts_with("cloudspec emulator listening on http://127.0.0.1:"),
        "{line}"
    );
    let address = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap_or_default()
        .to_owned();
    let health = std::net::TcpStream::connect(&address).is_ok();
    assert!(health, "it listens on {address}");
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(0), "stops cleanly on Ctrl-C");
}

/// CVM's `Region` is a common parameter ("Common Params."): the command has one `--region`,
/// the common flag (`cvm_dry_run_then_delete_then_shared_refusal` shows it reaching the
/// emulator as `X-TC-Region`: its images are in `ap-guangzhou`).
#[test]
fn cvm_region_is_the_common_flag() {
    let help = cloudspec(&["tencent-cvm", "delete-images", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert_eq!(text.matches("--region ").count(), 1, "{text}");
    assert!(text.contains("picks the regional endpoint"), "{text}");
}

// --- Hostile input and hostile servers (issue 10) ---------------------------------------------

/// Issue 10 item 8: a huge `--timeout` is a usage error (exit 2), not a panic.
#[test]
fn a_huge_timeout_is_a_usage_error_not_a_panic() {
    for timeout in ["9223372036854775807", "18446744073709551615", "0"] {
        let output = cloudspec(&[
            "baidu-bcc",
            "delete-image",
            "--image-id",
            "m-1",
            "--endpoint",
            "http://127.0.0.1:9",
            "--timeout",
            timeout,
        ]);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "--timeout {timeout}: {text}");
        assert!(!text.contains("panicked"), "{text}");
        assert!(text.contains("--timeout"), "{text}");
    }
}

/// Issue 10 item 11: usage errors exit 2 as README says: `--max-attempts 0`, an invalid
/// `--endpoint`, an empty `--access-key-id`.
#[test]
fn bad_common_flags_are_usage_errors() {
    let base = ["baidu-bcc", "delete-image", "--image-id", "m-1"];
    let cases: [&[&str]; 4] = [
        &["--max-attempts", "0", "--endpoint", "http://127.0.0.1:9"],
        &["--endpoint", "not a url"],
        &["--endpoint", "ftp://127.0.0.1:9"],
        &[
            "--access-key-id",
            "",
            "--access-key-secret",
            "s",
            "--endpoint",
            "http://127.0.0.1:9",
        ],
    ];
    for flags in cases {
        let args: Vec<&str> = base.iter().chain(flags.iter()).copied().collect();
        let output = cloudspec(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{flags:?}: {}",
            stderr(&output)
        );
    }
}

/// Issue 10 item 11: a transport error shows its cause (connection refused), not just
/// "error sending request".
#[test]
fn transport_errors_show_their_cause_chain() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = closed.local_addr().expect("address");
    drop(closed);
    let endpoint = format!("http://{address}");
    let output = cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "m-1",
        "--endpoint",
        &endpoint,
        "--max-attempts",
        "1",
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(text.contains("caused by:"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection refused"),
        "{text}"
    );
}

/// Issue 10 item 10: codes, messages and request ids from a server are escaped, so a
/// server can neither send terminal escapes nor forge an `error:` line.
#[test]
fn server_text_is_escaped() {
    let body = r#"{"code":"Evil\u001b[2J","message":"gone\nerror: forged line\r\u202e","requestId":"r\u0007"}"#;
    let (endpoint, _) = raw_server(http_response("400 Bad Request", "", body), 1);
    let output = bcc_delete_at(&endpoint);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(text.contains("Evil\\u{1b}[2J"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(!text.contains('\u{202e}'), "{text:?}");
    assert!(
        text.lines()
            .filter(|line| line.starts_with("error:"))
            .count()
            == 1,
        "{text}"
    );
}

/// Issue 10 item 2: a redirect is reported, not followed, and exits non-zero.
#[test]
fn operations_report_redirects_and_do_not_follow_them() {
    let (evil, evil_hits) = raw_server(http_response("200 OK", "", "{}"), 1);
    let location = format!("Location: {evil}/steal\r\n");
    let (endpoint, _) = raw_server(http_response("307 Temporary Redirect", &location, ""), 1);
    let output = bcc_delete_at(&endpoint);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(text.contains("redirect (HTTP 307)"), "{text}");
    assert_eq!(evil_hits.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// Issue 10 item 9: `sign --send` does not follow redirects and gives up after `--timeout`.
#[test]
fn sign_send_has_a_timeout_and_does_not_follow_redirects() {
    let (evil, evil_hits) = raw_server(http_response("200 OK", "", "{}"), 1);
    let location = format!("Location: {evil}/steal\r\n");
    let (endpoint, _) = raw_server(http_response("302 Found", &location, ""), 1);
    let sign = |url: &str, extra: &[&str]| {
        let mut args = vec![
            "sign",
            "--scheme",
            "baidu-v1",
            "--method",
            "DELETE",
            "--url",
            url,
            "--access-key-id",
            "ak",
            "--access-key-secret",
            "sk",
            "--security-token",
            "session-token",
            "--send",
        ];
        args.extend_from_slice(extra);
        cloudspec(&args)
    };
    let output = sign(&format!("{endpoint}/v2/image/m-1"), &[]);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(3),
        "{printed}{}",
        stderr(&output)
    );
    assert!(printed.starts_with("HTTP 302"), "{printed}");
    assert_eq!(evil_hits.load(std::sync::atomic::Ordering::SeqCst), 0);

    let (silent, _) = raw_server(Vec::new(), 1);
    let output = sign(&format!("{silent}/v2/image/m-1"), &["--timeout", "1"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(text.contains("no response"), "{text}");
}

/// Issue 10 item 4: a BCC image id cannot climb out of `/v2/image/`: `../../_emulator/faults`
/// is one encoded path segment, so the emulator answers BCC's 404 instead of running its
/// `DELETE /_emulator/faults` admin endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bcc_image_ids_cannot_climb_the_path() {
    let emulator = emulator().await;
    let endpoint = emulator.endpoint();
    let output = cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "../../_emulator/faults",
        "--endpoint",
        &endpoint,
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(text.contains("HTTP:       404"), "{text}");
    let output = cloudspec(&[
        "baidu-bcc",
        "delete-image",
        "--image-id",
        "..",
        "--endpoint",
        &endpoint,
    ]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(emulator.resource(svc("bcc"), "m-nky7qeom").is_some());
}
