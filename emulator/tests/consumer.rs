//! The emulator as a consumer's `cargo test` uses it (the example of emulator/README.md,
//! "In a consumer's tests", compiled and run here): start it in-process with the keys and
//! resources the test needs, point the generated client at it, inject a fault, check the
//! client's retry, and reset between cases.

use cloudspec_alibaba_ecs::operation::delete_image::{DeleteImageError, DeleteImageInput};
use cloudspec_alibaba_ecs::{Client, Config, Credentials, RetryConfig, SdkError};
use cloudspec_emulator::{
    AccessKey, Emulator, Fault, FaultKind, Provider, Resource, Service, State,
};

const KEY: &str = "consumer-key";
const SECRET: &str = "consumer-secret";
const ACCOUNT: &str = "1000000000000042";

#[tokio::test]
async fn deletes_retries_a_throttle_and_resets() {
    let ecs = Service::named("ecs").expect("ECS is in the registry");
    let state = State::new()
        .with_access_key(AccessKey::new(Provider::Alibaba, KEY, SECRET, ACCOUNT))
        .with_resource(Resource::new(ecs, "m-consumer01", ACCOUNT).in_region("cn-hangzhou"));
    let emulator = Emulator::builder()
        .state(state)
        .start() // 127.0.0.1, a free port
        .await
        .expect("emulator");
    let client = Client::new(
        Config::new(Credentials::new(KEY, SECRET))
            .with_endpoint(emulator.endpoint())
            .with_retry(RetryConfig {
                max_attempts: 3,
                ..RetryConfig::default()
            }),
    )
    .expect("client");

    // One throttled answer: the client retries it, and the second attempt deletes.
    emulator
        .inject_fault(Fault::new(ecs, FaultKind::Throttle))
        .expect("a valid fault");
    let deleted = client
        .delete_image(DeleteImageInput::new("m-consumer01", "cn-hangzhou"))
        .await
        .expect("deleted after one retry");
    assert!(deleted.request_id.is_some());
    assert!(emulator.resource(ecs, "m-consumer01").is_none());
    assert!(emulator.pending_faults().is_empty());

    // A documented error on demand, as the typed variant.
    emulator.reset(); // back to the initial state: the image is there again
    assert!(emulator.resource(ecs, "m-consumer01").is_some());
    emulator
        .inject_fault(Fault::new(ecs, FaultKind::Error).documented_error("ImageIsCreating"))
        .expect("a documented row");
    let refused = client
        .delete_image(DeleteImageInput::new("m-consumer01", "cn-hangzhou"))
        .await
        .expect_err("the injected error");
    assert!(
        matches!(
            &refused,
            SdkError::Service(DeleteImageError::ImageIsCreating(_))
        ),
        "{refused:?}"
    );
    assert!(
        emulator.resource(ecs, "m-consumer01").is_some(),
        "a fault changes nothing"
    );
    emulator.shutdown().await;
}
