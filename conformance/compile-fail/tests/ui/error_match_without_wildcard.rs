// ECS DeleteImage: the error enum is `#[non_exhaustive]`, so a match that lists every
// variant known today but has no wildcard arm must not compile.
use cloudspec_alibaba_ecs::operation::delete_image::DeleteImageError;

fn describe(error: &DeleteImageError) -> &'static str {
    match error {
        DeleteImageError::ImageUsingByInstance(_) => "in use",
        DeleteImageError::ImageUseShared(_) => "shared",
        DeleteImageError::OperationDeniedImageCopying(_) => "copying",
        DeleteImageError::ImageIsCreating(_) => "creating",
        DeleteImageError::ImageIsImporting(_) => "importing",
        DeleteImageError::ImageIsExporting(_) => "exporting",
        DeleteImageError::ImageIsPublic(_) => "public",
        DeleteImageError::Unhandled(_) => "other",
    }
}

fn main() {
    let _ = describe;
}
