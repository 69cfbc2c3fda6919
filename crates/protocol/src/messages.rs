//! Sentences both sides give: for refused uploads, so that the client's pre-upload check and
//! the server's answer (4001 / 4002) read the same (they mirror the server's `ApiError`), and
//! for a job cut short by a restart.

use super::{ACCEPTED_AUDIO_TYPES, ACCEPTED_VIDEO_TYPES};

/// The list of accepted types, as the server appends it to every 4001.
pub fn accepted() -> String {
    format!(
        "Accepted: {} video, or {} audio.",
        ACCEPTED_VIDEO_TYPES.join(", "),
        ACCEPTED_AUDIO_TYPES.join(", ")
    )
}
/// 4001 for an image (`kind`: "PNG", "JPEG", …): there is no sound to extract.
pub fn no_sound(kind: &str) -> String {
    format!(
        "This is an image ({kind}); it has no sound to extract. {}",
        accepted()
    )
}
/// 4001 for anything else that is not an accepted type.
pub fn unsupported_type() -> String {
    format!(
        "This file is not a video or audio type this service can read. {}",
        accepted()
    )
}
/// 4002: over the size limit (`max_bytes`, written by [`crate::units::size`]).
pub fn too_large(max_bytes: u64) -> String {
    format!(
        "The file is larger than the {} limit. Trim or compress it first.",
        crate::units::size(max_bytes)
    )
}
/// The `error` of an output whose job was cut short by a server restart.
pub const RESTARTED: &str = "The server restarted before this file was finished. \
    Its credit was returned; ask again to make it.";
