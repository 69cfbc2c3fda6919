//! The pre-upload check: refuse what the server would refuse, before sending a byte.

use crate::protocol::formats::{accepted_type, IMAGE_TYPES, UPLOAD_MIME_TYPES};
use crate::protocol::{text, Lang};

use super::ClientError;

/// Check a file before upload. Returns the container it will be taken as (from the extension,
/// else from the MIME type), or the error the server would give, with the same sentence.
///
/// The server still decides from the content; this only spares a doomed 500 MB upload.
pub fn check_file(
    name: &str,
    size: u64,
    mime: &str,
    max_bytes: u64,
    lang: Lang,
) -> Result<String, ClientError> {
    let ext = extension(name);
    let mime = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let container = if accepted_type(&ext) {
        Some(ext.clone())
    } else {
        UPLOAD_MIME_TYPES
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
            text::no_sound(lang, &kind.to_ascii_uppercase())
        } else {
            text::unsupported_type(lang)
        };
        return Err(ClientError::UnsupportedType { message });
    };
    if size > max_bytes {
        return Err(ClientError::TooLarge {
            message: text::too_large(lang, max_bytes),
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
