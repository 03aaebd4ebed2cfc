//! Concurrency: every call's check-and-delete is atomic. Many concurrent deletes of distinct
//! images and of the same images: each image is deleted exactly once and the final state
//! is consistent (no lost update, no half-applied batch).

mod common;

use std::collections::{BTreeSet, HashSet};

use cloudspec_emulator::{Resource, State};
use common::*;

const REGION: &str = "cn-hangzhou";

/// ECS: 200 concurrent deletes of 200 distinct images all succeed and leave nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distinct_images_are_all_deleted() {
    let mut state = keys();
    for i in 0..200 {
        state = state.with_resource(
            Resource::new(svc("ecs"), format!("m-{i:03}"), ALI_ACCOUNT).in_region(REGION),
        );
    }
    let emulator = start(state).await;
    let client =
        cloudspec_alibaba_ecs::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .delete_image(
                    cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
                        format!("m-{i:03}"),
                        REGION,
                    ),
                )
                .await
                .is_ok()
        });
    }
    let mut ok = 0;
    while let Some(done) = tasks.join_next().await {
        ok += usize::from(done.unwrap());
    }
    assert_eq!(ok, 200);
    assert!(emulator.resources().is_empty());
}

/// BCC: 50 concurrent deletes of the same image: exactly one 200, every other one the
/// document's 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_image_is_deleted_once() {
    let state = keys()
        .with_resource(Resource::new(svc("bcc"), "m-bcc-1", BD_ACCOUNT))
        .with_resource(Resource::new(svc("bcc"), "m-bcc-2", BD_ACCOUNT));
    let emulator = std::sync::Arc::new(start(state).await);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let emulator = emulator.clone();
        tasks.spawn(async move {
            baidu_delete(&emulator, BD_KEY, BD_SECRET, "m-bcc-1")
                .await
                .status
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = tasks.join_next().await {
        statuses.push(done.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 404).count(),
        49,
        "{statuses:?}"
    );
    assert_eq!(image_ids(&emulator, "baidu").await, ["m-bcc-2"]);
}

/// SWAS: overlapping batches race. Each batch is all-or-nothing, so the successful batches
/// are disjoint, their union is exactly what was deleted, and a refused batch deleted
/// nothing (what is left is exactly what no successful batch named).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_batches_are_all_or_nothing() {
    let n = 60;
    let mut state = keys();
    for i in 0..n {
        state = state.with_resource(
            Resource::new(svc("swas"), format!("m-{i:03}"), ALI_ACCOUNT).in_region(REGION),
        );
    }
    let emulator = start(state).await;
    let client =
        cloudspec_alibaba_swas::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..3 {
        for start in 0..n - 2 {
            let client = client.clone();
            let ids: Vec<String> = (start..start + 3).map(|i| format!("m-{i:03}")).collect();
            let ids = if round % 2 == 0 {
                ids
            } else {
                ids.into_iter().rev().collect()
            };
            tasks.spawn(async move {
                let result = client
                    .delete_custom_images(cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(
                        REGION,
                        ids.clone(),
                    ))
                    .await;
                match result {
                    Ok(_) => Some(ids),
                    Err(error) => {
                        let error = error.into_service().expect("a service error");
                        assert!(matches!(
                            error,
                            cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesError::InvalidImageIdNotFound(
                                _
                            )
                        ));
                        None
                    }
                }
            });
        }
    }
    let mut deleted = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Some(ids) = done.unwrap() {
            deleted.extend(ids);
        }
    }
    let unique: HashSet<&String> = deleted.iter().collect();
    assert_eq!(unique.len(), deleted.len(), "an image was deleted twice");
    let left: BTreeSet<String> = emulator.resources().into_iter().map(|i| i.id).collect();
    let all: BTreeSet<String> = (0..n).map(|i| format!("m-{i:03}")).collect();
    let gone: BTreeSet<String> = all.difference(&left).cloned().collect();
    assert_eq!(gone, deleted.iter().cloned().collect::<BTreeSet<_>>());
}

/// SWAS: 30 concurrent calls with one ClientToken and the same parameters all get the
/// first result (one RequestId) and the images are deleted once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_with_one_client_token() {
    let state = keys()
        .with_resource(Resource::new(svc("swas"), "m-a", ALI_ACCOUNT).in_region(REGION))
        .with_resource(Resource::new(svc("swas"), "m-b", ALI_ACCOUNT).in_region(REGION))
        .with_resource(Resource::new(svc("swas"), "m-c", ALI_ACCOUNT).in_region(REGION));
    let emulator = start(state).await;
    let client =
        cloudspec_alibaba_swas::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .delete_custom_images(
                    cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput::new(REGION, ["m-a", "m-b"])
                        .with_client_token("one-token"),
                )
                .await
                .unwrap()
                .request_id
        });
    }
    let mut ids = HashSet::new();
    while let Some(done) = tasks.join_next().await {
        ids.insert(done.unwrap());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(image_ids(&emulator, "alibaba").await, ["m-c"]);
}

/// All five services at once, distinct images: nothing is lost across providers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_services_at_once() {
    let mut state: State = keys();
    for i in 0..20 {
        state = state
            .with_resource(
                Resource::new(svc("ecs"), format!("m-ecs-{i}"), ALI_ACCOUNT).in_region(REGION),
            )
            .with_resource(Resource::new(svc("ens"), format!("m-ens-{i}"), ALI_ACCOUNT))
            .with_resource(Resource::new(svc("bcc"), format!("m-bcc-{i}"), BD_ACCOUNT));
    }
    let emulator = std::sync::Arc::new(start(state).await);
    let ecs = cloudspec_alibaba_ecs::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let ens = cloudspec_alibaba_ens::Client::new(config(&emulator, ALI_KEY, ALI_SECRET)).unwrap();
    let bcc = cloudspec_baidu_bcc::Client::new(config(&emulator, BD_KEY, BD_SECRET)).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (ecs, ens, bcc) = (ecs.clone(), ens.clone(), bcc.clone());
        tasks.spawn(async move {
            ecs.delete_image(
                cloudspec_alibaba_ecs::operation::delete_image::DeleteImageInput::new(
                    format!("m-ecs-{i}"),
                    REGION,
                ),
            )
            .await
            .unwrap();
            ens.delete_image(
                cloudspec_alibaba_ens::operation::delete_image::DeleteImageInput::new(format!(
                    "m-ens-{i}"
                )),
            )
            .await
            .unwrap();
            bcc.delete_image(
                cloudspec_baidu_bcc::operation::delete_image::DeleteImageInput::new(format!(
                    "m-bcc-{i}"
                )),
            )
            .await
            .unwrap();
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    assert!(emulator.resources().is_empty());
}
