//! Every documented error code maps to its own variant, carrying the document's row; any
//! other code lands in `Unhandled` with nothing lost. Cases are driven by the specs' error
//! tables, so a new row in a document is checked as soon as it is transcribed.

use cloudspec_runtime::ServiceError;

fn received(code: Option<&str>, status: u16) -> ServiceError {
    ServiceError {
        code: code.map(str::to_owned),
        message: Some("as received".to_owned()),
        status,
        request_id: Some("req-1".to_owned()),
        attempts: 1,
    }
}

/// For each row of the error table of `$service`/`$operation`, a `ServiceError` with the
/// documented code (a `%s` template filled with `ImageId`) and status maps to a variant whose
/// `documented()` row is that row.
macro_rules! documented_errors_map_to_variants {
    ($test:ident, $service:literal, $operation:literal, $error:ty) => {
        #[test]
        fn $test() {
            let operation = cloudspec_conformance::operation($service, $operation);
            assert!(
                !operation.errors.is_empty(),
                "{} {} documents errors",
                $service,
                $operation
            );
            for row in operation.errors.iter().map(|row| &row.value) {
                let code = row
                    .code
                    .as_ref()
                    .map(|code| code.value.replace("%s", "ImageId"));
                let status = row.status.unwrap_or(200);
                let error = <$error>::from(received(code.as_deref(), status));
                let documented = error.documented().unwrap_or_else(|| {
                    panic!("{:?} is documented but maps to {error:?}", row.code)
                });
                assert_eq!(
                    documented.code,
                    row.code.as_ref().map(|code| code.value.as_str()),
                    "{error:?}"
                );
                assert_eq!(documented.status, row.status);
                assert_eq!(documented.description, row.description);
                assert_eq!(error.code(), code.as_deref());
                assert_eq!(error.request_id(), Some("req-1"));
                assert_eq!(error.status(), status);
            }
            let unknown = <$error>::from(received(Some("SomethingNew.NotInTheDocument"), 400));
            assert!(
                unknown.documented().is_none(),
                "an undocumented code is unhandled: {unknown:?}"
            );
            assert_eq!(unknown.code(), Some("SomethingNew.NotInTheDocument"));
            assert_eq!(unknown.message(), Some("as received"));
            let shown = unknown.to_string();
            assert!(
                shown.contains("SomethingNew.NotInTheDocument")
                    && shown.contains("as received")
                    && shown.contains("req-1"),
                "{shown}"
            );
        }
    };
}

documented_errors_map_to_variants!(
    ecs_errors,
    "alibaba-ecs",
    "DeleteImage",
    cloudspec_alibaba_ecs::operation::delete_image::DeleteImageError
);
documented_errors_map_to_variants!(
    ens_errors,
    "alibaba-ens",
    "DeleteImage",
    cloudspec_alibaba_ens::operation::delete_image::DeleteImageError
);
documented_errors_map_to_variants!(
    swas_errors,
    "alibaba-swas",
    "DeleteCustomImages",
    cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesError
);
documented_errors_map_to_variants!(
    cvm_errors,
    "tencent-cvm",
    "DeleteImages",
    cloudspec_tencent_cvm::operation::delete_images::DeleteImagesError
);
documented_errors_map_to_variants!(
    bcc_errors,
    "baidu-bcc",
    "DeleteImage",
    cloudspec_baidu_bcc::operation::delete_image::DeleteImageError
);

/// ENS error table, row `InvalidParameter.%s` ("The specified field %s invalid."): the code
/// is a template; `InvalidParameter.ImageId` matches it and keeps `ImageId`.
#[test]
fn ens_invalid_parameter_template_keeps_the_field() {
    cloudspec_conformance::error("alibaba-ens", "DeleteImage", "InvalidParameter.%s");
    let error = cloudspec_alibaba_ens::operation::delete_image::DeleteImageError::from(received(
        Some("InvalidParameter.ImageId"),
        400,
    ));
    match error {
        cloudspec_alibaba_ens::operation::delete_image::DeleteImageError::InvalidParameter {
            field,
            ..
        } => {
            assert_eq!(field, "ImageId")
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

/// ENS error table keeps the document's typo `Forbidden.DelerrorteImage` verbatim.
#[test]
fn ens_typo_code_is_kept_verbatim() {
    cloudspec_conformance::error("alibaba-ens", "DeleteImage", "Forbidden.DelerrorteImage");
    let error = cloudspec_alibaba_ens::operation::delete_image::DeleteImageError::from(received(
        Some("Forbidden.DelerrorteImage"),
        400,
    ));
    assert!(matches!(
        error,
        cloudspec_alibaba_ens::operation::delete_image::DeleteImageError::ForbiddenDelerrorteImage(
            _
        )
    ));
}

/// BCC: "The image specified by imageId does not exist, and it prompts an error 404." A 404
/// with no documented code is `ImageNotFound`; a documented code keeps its own variant.
#[test]
fn bcc_bare_404_is_image_not_found() {
    cloudspec_conformance::rule("baidu-bcc", "DeleteImage", "missing-image-404");
    use cloudspec_baidu_bcc::operation::delete_image::DeleteImageError;
    assert!(matches!(
        DeleteImageError::from(received(None, 404)),
        DeleteImageError::ImageNotFound(_)
    ));
    assert!(matches!(
        DeleteImageError::from(received(Some("NoSuchImage"), 404)),
        DeleteImageError::ImageNotFound(_)
    ));
    assert!(matches!(
        DeleteImageError::from(received(None, 500)),
        DeleteImageError::Unhandled(_)
    ));
}

/// docs/protocols.md "Retrying a delete is subtle": a not-found after a retry says how many attempts
/// were made, so a caller can treat it as "already gone".
#[test]
fn not_found_after_retry_reports_attempts() {
    let mut error = received(Some("InvalidImageId.NotFound"), 200);
    error.attempts = 2;
    let typed = cloudspec_tencent_cvm::operation::delete_images::DeleteImagesError::from(error);
    assert!(matches!(
        typed,
        cloudspec_tencent_cvm::operation::delete_images::DeleteImagesError::InvalidImageIdNotFound(
            _
        )
    ));
    assert_eq!(typed.attempts(), 2);
    assert!(typed.to_string().contains("after 2 attempts"), "{typed}");
}

/// Retryable: throttling and server errors only (docs/protocols.md, "Alibaba Cloud RPC": "Retry only on InternalError 500,
/// ServiceUnavailable 503, no response, or Throttling*"; Tencent `RequestLimitExceeded`).
#[test]
fn only_server_errors_and_throttling_are_retryable() {
    use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesError;
    assert!(DeleteImagesError::from(received(Some("RequestLimitExceeded"), 200)).is_retryable());
    assert!(
        !DeleteImagesError::from(received(Some("InvalidImageId.InShared"), 200)).is_retryable()
    );
    use cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesError;
    assert!(DeleteCustomImagesError::from(received(Some("InternalError"), 500)).is_retryable());
    assert!(
        !DeleteCustomImagesError::from(received(Some("CustomImageInShare"), 400)).is_retryable()
    );
}
