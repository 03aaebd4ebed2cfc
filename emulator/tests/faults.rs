//! Fault injection: throttling, 500/503, documented errors, slow answers, dropped
//! connections and lost answers for the next N calls of an operation, from the state file
//! or at run time (`POST /_emulator/faults` or the library). docs/protocols.md:
//! "Retry only on `InternalError` 500, `ServiceUnavailable` 503, no response, or
//! `Throttling*`"; "a missing image is 404".

mod common;

use std::time::Duration;

use cloudspec_emulator::{Fault, FaultKind, Resource, RunningEmulator, State};
use cloudspec_runtime::{RetryConfig, SdkError};
use common::*;

fn state() -> State {
    keys()
        .with_resource(Resource::new(svc("ecs"), "m-ecs-1", ALI_ACCOUNT).in_region("cn-hangzhou"))
        .with_resource(Resource::new(svc("ecs"), "m-ecs-2", ALI_ACCOUNT).in_region("cn-hangzhou"))
        .with_resource(Resource::new(svc("ens"), "m-ens-1", ALI_ACCOUNT))
        .with_resource(Resource::new(svc("cvm"), "img-aaaa0001", TC_ACCOUNT))
        .with_resource(Resource::new(svc("bcc"), "m-bcc-1", BD_ACCOUNT))
        .with_resource(Resource::new(svc("bcc"), "m-bcc-2", BD_ACCOUNT))
}

fn retrying() -> RetryConfig {
    RetryConfig {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

fn ecs(emulator: &RunningEmulator) -> cloudspec_alibaba_ecs::Client {
    cloudspec_alibaba_ecs::Client::new(config(emulator, ALI_KEY, ALI_SECRET)).unwrap()
}

async fn ecs_delete(
    client: &cloudspec_alibaba_ecs::Client,
    id: &str,
) -> Result<
    cloudspec_alibaba_ecs::operation::delete_image::DeleteImageOutput,
    SdkError<cloudspec_alibaba_ecs::operation::delete_image::DeleteImageError>,
> {
    client
        .delete_image(
            cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
                id,
                "cn-hangzhou",
            ),
        )
        .await
}

/// Throttling in each provider's envelope: Alibaba `Throttling` (HTTP 400), Tencent
/// `RequestLimitExceeded` (HTTP 200), Baidu `RequestRateExceeded` (HTTP 429). Nothing is
/// deleted; the fault hits only `count` calls.
#[tokio::test]
async fn throttling_in_each_envelope() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(Fault::new(svc("ecs"), FaultKind::Throttle).times(2))
        .unwrap();
    emulator
        .inject_fault(Fault::new(svc("cvm"), FaultKind::Throttle))
        .unwrap();
    emulator
        .inject_fault(Fault::new(svc("bcc"), FaultKind::Throttle))
        .unwrap();
    for _ in 0..2 {
        let error = service_error(ecs_delete(&ecs(&emulator), "m-ecs-1").await);
        assert_eq!((error.code(), error.status()), (Some("Throttling"), 400));
        assert!(error.is_retryable());
    }
    assert!(emulator.resource(svc("ecs"), "m-ecs-1").is_some());
    ecs_delete(&ecs(&emulator), "m-ecs-1").await.unwrap();
    assert!(emulator.resource(svc("ecs"), "m-ecs-1").is_none());

    let resp = tencent_post(
        &emulator,
        TC_KEY,
        TC_SECRET,
        r#"{"ImageIds":["img-aaaa0001"]}"#,
        None,
    )
    .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.tc_code().as_deref(), Some("RequestLimitExceeded"));
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());

    let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-1").await;
    assert_eq!(resp.status, 429);
    assert_eq!(resp.json()["code"], "RequestRateExceeded");
    assert!(resp.header("x-bce-request-id").is_some());
    assert!(emulator.resource(svc("bcc"), "m-bcc-1").is_some());
    assert!(emulator.pending_faults().is_empty());
}

/// 500 `InternalError` and 503 `ServiceUnavailable` in each envelope (Tencent: HTTP 200).
#[tokio::test]
async fn server_errors_in_each_envelope() {
    let emulator = start(state()).await;
    for (kind, status, code) in [
        (FaultKind::Error500, 500, "InternalError"),
        (FaultKind::Error503, 503, "ServiceUnavailable"),
    ] {
        emulator.inject_fault(Fault::new(svc("ecs"), kind)).unwrap();
        emulator.inject_fault(Fault::new(svc("cvm"), kind)).unwrap();
        emulator.inject_fault(Fault::new(svc("bcc"), kind)).unwrap();
        let error = service_error(ecs_delete(&ecs(&emulator), "m-ecs-1").await);
        assert_eq!((error.code(), error.status()), (Some(code), status));
        assert!(error.is_retryable());
        let resp = tencent_post(
            &emulator,
            TC_KEY,
            TC_SECRET,
            r#"{"ImageIds":["img-aaaa0001"]}"#,
            None,
        )
        .await;
        assert_eq!((resp.status, resp.tc_code().as_deref()), (200, Some(code)));
        let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-1").await;
        assert_eq!(resp.status, status);
        assert_eq!(resp.json()["code"], code);
    }
    assert_eq!(emulator.resources().len(), state().resources.len());
}

/// A fault of kind `error` answers a row of the document's table: CVM
/// `MutexOperation.TaskRunning` "An identical job is running."; ENS `Error.DeleteImage`.
#[tokio::test]
async fn documented_error_faults() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(
            Fault::new(svc("cvm"), FaultKind::Error).documented_error("MutexOperation.TaskRunning"),
        )
        .unwrap();
    emulator
        .inject_fault(
            Fault::new(svc("ens"), FaultKind::Error).documented_error("Error.DeleteImage"),
        )
        .unwrap();
    let cvm = cloudspec_tencent_cvm::Client::new(config(&emulator, TC_KEY, TC_SECRET)).unwrap();
    let error = service_error(
        cvm.delete_images(
            cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput::new([
                "img-aaaa0001",
            ]),
        )
        .await,
    );
    assert!(matches!(
        error,
        cloudspec_tencent_cvm::operation::delete_images::DeleteImagesError::MutexOperationTaskRunning(_)
    ));
    assert_eq!(error.message(), Some("An identical job is running."));
    let ens = cloudspec_alibaba_ens::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let error = service_error(
        ens.delete_image(
            cloudspec_alibaba_ens::operation::delete_image::DeleteImageInput::new("m-ens-1"),
        )
        .await,
    );
    assert!(matches!(
        error,
        cloudspec_alibaba_ens::operation::delete_image::DeleteImageError::ErrorDeleteImage(_)
    ));
    assert_eq!(error.status(), 400);
    assert!(emulator.resource(svc("ens"), "m-ens-1").is_some());
    assert!(emulator.resource(svc("cvm"), "img-aaaa0001").is_some());
    assert!(
        emulator
            .inject_fault(
                Fault::new(svc("cvm"), FaultKind::Error).documented_error("NotInTheTable")
            )
            .is_err()
    );
}

/// A throttled call is retried by the client ("Retry only on ... `Throttling*`") and the
/// image is deleted exactly once.
#[tokio::test]
async fn retried_after_throttling() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(Fault::new(svc("ecs"), FaultKind::Throttle))
        .unwrap();
    let client = cloudspec_alibaba_ecs::Client::new(
        config(&emulator, ALI_KEY, ALI_SECRET).with_retry(retrying()),
    )
    .unwrap();
    ecs_delete(&client, "m-ecs-1").await.unwrap();
    assert!(emulator.resource(svc("ecs"), "m-ecs-1").is_none());
    assert!(emulator.resource(svc("ecs"), "m-ecs-2").is_some());
}

/// `slow`: the call waits, then is processed normally.
#[tokio::test]
async fn slow_answers_still_process() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(Fault::new(svc("bcc"), FaultKind::Slow).delay_ms(50))
        .unwrap();
    let resp = baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-1").await;
    assert_eq!(resp.status, 200);
    assert!(emulator.resource(svc("bcc"), "m-bcc-1").is_none());
}

/// `drop`: the connection closes without an answer and nothing happens.
#[tokio::test]
async fn dropped_connection_changes_nothing() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(Fault::new(svc("ecs"), FaultKind::Drop))
        .unwrap();
    match ecs_delete(&ecs(&emulator), "m-ecs-1").await {
        Err(SdkError::Transport { attempts, .. }) => assert_eq!(attempts, 1),
        other => panic!("expected no response, got {other:?}"),
    }
    assert!(emulator.resource(svc("ecs"), "m-ecs-1").is_some());
    ecs_delete(&ecs(&emulator), "m-ecs-1").await.unwrap();
    assert!(emulator.resource(svc("ecs"), "m-ecs-1").is_none());
}

/// `lose-response`: the delete happens, its answer is lost. A retry then sees BCC's 404 (
/// "The image specified by imageId does not exist, and it prompts an error 404."), and the
/// error says it came after more than one attempt (docs/protocols.md, "Retrying a delete is subtle").
#[tokio::test]
async fn lost_answer_then_retry_sees_not_found() {
    let emulator = start(state()).await;
    emulator
        .inject_fault(Fault::new(svc("bcc"), FaultKind::LoseResponse))
        .unwrap();
    let client = cloudspec_baidu_bcc::Client::new(
        config(&emulator, BD_KEY, BD_SECRET).with_retry(retrying()),
    )
    .unwrap();
    let error = service_error(
        client
            .delete_image(
                cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput::new("m-bcc-1"),
            )
            .await,
    );
    assert!(
        matches!(
            error,
            cloudspec_baidu_bcc::operation::delete_image::DeleteImageError::ImageNotFound(_)
        ),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 2);
    assert!(emulator.resource(svc("bcc"), "m-bcc-1").is_none());
    assert!(emulator.resource(svc("bcc"), "m-bcc-2").is_some());
}

/// Faults from the state file apply from the first call.
#[tokio::test]
async fn faults_from_the_state_file() {
    let yaml = format!(
        r#"
access_keys:
  - {{ provider: alibaba, id: {ALI_KEY}, secret: {ALI_SECRET}, account: "{ALI_ACCOUNT}" }}
resources:
  - {{ id: m-ecs-1, service: ecs, account: "{ALI_ACCOUNT}", region: cn-hangzhou }}
faults:
  - {{ service: ecs, operation: DeleteImage, kind: error503, count: 1 }}
"#
    );
    let emulator = start(State::from_yaml_str(&yaml).unwrap()).await;
    let error = service_error(ecs_delete(&ecs(&emulator), "m-ecs-1").await);
    assert_eq!(error.code(), Some("ServiceUnavailable"));
    ecs_delete(&ecs(&emulator), "m-ecs-1").await.unwrap();
    assert!(emulator.resources().is_empty());
}

/// `POST /_emulator/faults` queues faults (one object or a list), `GET` lists them with
/// their remaining counts, `DELETE` clears them; an invalid fault is a 400.
#[tokio::test]
async fn admin_fault_endpoint() {
    let emulator = start(state()).await;
    let resp = raw(
        &emulator,
        "POST",
        "/_emulator/faults",
        &[("content-type", "application/json")],
        r#"{"service":"ecs","operation":"DeleteImage","kind":"throttle","count":3}"#,
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.json()["faults"][0]["count"], 3);
    ecs_delete(&ecs(&emulator), "m-ecs-1").await.unwrap_err();
    let resp = raw(&emulator, "GET", "/_emulator/faults", &[], "").await;
    assert_eq!(resp.json()["faults"][0]["count"], 2);
    let resp = raw(
        &emulator,
        "POST",
        "/_emulator/faults",
        &[],
        r#"[{"service":"bcc","kind":"drop"},{"service":"cvm","kind":"slow","delay_ms":1}]"#,
    )
    .await;
    assert_eq!(resp.json()["faults"].as_array().unwrap().len(), 3);
    for bad in [
        r#"{"service":"ecs","kind":"explode"}"#,
        r#"{"service":"ecs","operation":"DeleteImages","kind":"drop"}"#,
        r#"{"service":"ecs","kind":"error"}"#,
        r#"{"service":"ecs","kind":"drop","count":0}"#,
        "not json",
    ] {
        let resp = raw(&emulator, "POST", "/_emulator/faults", &[], bad).await;
        assert_eq!(resp.status, 400, "{bad}: {}", resp.body);
        assert!(resp.json()["error"].is_string());
    }
    let resp = raw(&emulator, "DELETE", "/_emulator/faults", &[], "").await;
    assert_eq!(resp.json()["faults"], serde_json::json!([]));
    ecs_delete(&ecs(&emulator), "m-ecs-1").await.unwrap();
}
