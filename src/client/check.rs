//! The pre-upload check: refuse what the server would refuse, before sending a byte.

use crate::protocol::{messages, ACCEPTED_AUDIO_TYPES, ACCEPTED_VIDEO_TYPES, IMAGE_TYPES};

use super::ClientError;

/// MIME types browsers give the accepted containers, mapped to the container name.
const MIME_TYPES: &[(&str, &str)] = &[
    ("video/mp4", "mp4"),
    ("video/quicktime", "mov"),
    ("video/x-msvideo", "avi"),
    ("video/avi", "avi"),
    ("video/msvideo", "avi"),
    ("video/webm", "webm"),
    ("video/x-matroska", "mkv"),
    ("video/matroska", "mkv"),
    ("audio/mpeg", "mp3"),
    ("audio/mp3", "mp3"),
    ("audio/wav", "wav"),
    ("audio/x-wav", "wav"),
    ("audio/wave", "wav"),
    ("audio/vnd.wave", "wav"),
    ("audio/mp4", "m4a"),
    ("audio/x-m4a", "m4a"),
    ("audio/m4a", "m4a"),
    ("audio/aac", "aac"),
    ("audio/x-aac", "aac"),
    ("audio/webm", "webm"),
];

/// Check a file before upload. Returns the container it will be taken as (from the extension,
/// else from the MIME type), or the error the server would give, with the same sentence.
///
/// The server still decides from the content; this only spares a doomed 500 MB upload.
pub fn check_file(
    name: &str,
    size: u64,
    mime: &str,
    max_bytes: u64,
) -> Result<String, ClientError> {
    let ext = extension(name);
    let mime = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let accepted = |t: &str| ACCEPTED_VIDEO_TYPES.contains(&t) || ACCEPTED_AUDIO_TYPES.contains(&t);
    let container = if accepted(&ext) {
        Some(ext.clone())
    } else {
        MIME_TYPES
            .iter()
            .find(|(m, _)| *m == mime)
            .map(|(_, c)| c.to_string())
    };
    let Some(container) = container else {
        let is_image = IMAGE_TYPES.contains(&ext.as_str()) || mime.starts_with("image/");
        let message = if is_image {
            let kind = if ext.is_empty() {
                mime.trim_start_matches("image/")
            } else {
                &ext
            };
            messages::no_sound(&kind.to_ascii_uppercase())
        } else {
            messages::unsupported_type()
        };
        return Err(ClientError::UnsupportedType { message });
    };
    if size > max_bytes {
        return Err(ClientError::TooLarge {
            message: messages::too_large(max_bytes),
        });
    }
    Ok(container)
}

/// The lower-case extension of a file name ("" when there is none).
fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}
