// SWAS DeleteCustomImages: `RegionId` and `ImageIds` are "Required: Yes"; an input without
// `ImageIds` must not compile.
use cloudspec_alibaba_swas::operation::delete_custom_images::DeleteCustomImagesInput;

fn main() {
    let _input = DeleteCustomImagesInput::new("cn-hangzhou");
}
