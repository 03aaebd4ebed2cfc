// CVM DeleteImages: `ImageIds.N` is required; the input cannot be built field by field
// (it is `#[non_exhaustive]`), so the constructor is the only way and it needs the IDs.
use cloudspec_tencent_cvm::operation::delete_images::DeleteImagesInput;

fn main() {
    let _input = DeleteImagesInput { image_ids: Vec::new(), delete_binded_snap: None, dry_run: None, region: None };
}
