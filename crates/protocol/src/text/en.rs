//! English.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Accepted => "Accepted: {video} video, or {audio} audio.",
        Key::NoSound => "This is an image ({kind}); it has no sound to extract. {accepted}",
        Key::UnsupportedType => {
            "This file is not a video or audio type this service can read. {accepted}"
        }
        Key::TooLarge => "The file is larger than the {max} limit. Trim or compress it first.",
        Key::Restarted => {
            "The server restarted before this file was finished. Its credit was returned; ask again to make it."
        }
        // --- reliability (issue 11) ---
        Key::RequestTooLarge => {
            "This request is larger than the {max} this endpoint accepts, so it was not read. Send a shorter request; files go to the upload endpoint."
        }
        Key::RequestTooSlow => {
            "Your request stopped arriving part-way, so the server stopped waiting for it. Check your connection and send it again."
        }
        Key::DiskFull => {
            "The server ran out of disk space while storing your file, so it was not kept. Try again later, or send a smaller file."
        }
        Key::UrlHasCredentials => {
            "The URL holds a user name or password, which this server never sends on. Download the file and upload it instead, or use a link that needs no password."
        }
        Key::FfmpegStalled => {
            "ffmpeg made no progress for {seconds} seconds and was stopped, so the file may be damaged. Its credit was returned; try again, or upload the file again."
        }
    }
}
