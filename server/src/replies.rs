//! Texts the server answers with in `/run_sse` beyond the wording crate's help and refusal
//! replies (`v2a_wording::{help_text, unsupported_text}`), in the answer's language; the
//! sentences are keys of `v2a_protocol::text`.

use v2a_protocol::paths;
use v2a_protocol::text::{say, Key};
use v2a_wording::Lang;

use crate::db::{self, MediaRow, OutputRow};

/// How to upload, in plain words.
pub fn upload_how(session_id: &str, lang: Lang) -> String {
    say(
        lang,
        Key::UploadHow,
        &[("path", &paths::upload(session_id))],
    )
}

/// The answer to "credits".
pub fn credits(available: i64, frozen: i64, lang: Lang) -> String {
    let (available, frozen) = (available.to_string(), frozen.to_string());
    say(
        lang,
        Key::Credits,
        &[("available", &available), ("frozen", &frozen)],
    )
}

/// The answer to "status": the uploads and results of the session.
pub fn status(uploads: &[MediaRow], outputs: &[OutputRow], lang: Lang) -> String {
    if uploads.is_empty() {
        return say(lang, Key::NothingUploaded, &[]);
    }
    // List punctuation, not a sentence: the Chinese list takes the full-width semicolon.
    let sep = match lang {
        Lang::En => "; ",
        Lang::Zh => "；",
    };
    let ups = uploads
        .iter()
        .map(|m| {
            format!(
                "{} ({}, {})",
                m.name,
                m.container.to_uppercase(),
                v2a_protocol::units::duration(m.duration)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let results = if outputs.is_empty() {
        say(lang, Key::NoResultsYet, &[])
    } else {
        outputs
            .iter()
            .map(|o| format!("{} ({})", o.name, db::status_str(o.status)))
            .collect::<Vec<_>>()
            .join(sep)
    };
    say(
        lang,
        Key::StatusReport,
        &[("uploads", &ups), ("results", &results)],
    )
}

/// The answer to an extraction request in a session without uploads.
pub fn upload_first(session_id: &str, lang: Lang) -> String {
    let how = upload_how(session_id, lang);
    say(lang, Key::UploadFirst, &[("how", &how)])
}
