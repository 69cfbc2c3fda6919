//! The extension's JavaScript reads the format table, the upload limit and the default
//! instructions from a file generated here, so it holds no copy of its own: this test fails
//! when the file and the tables differ.
//! To regenerate: `V2A_WRITE_GENERATED=1 cargo test -p v2a-protocol --test generated`.

use std::path::PathBuf;

use serde_json::json;
use v2a_protocol::formats::{FORMATS, MAX_UPLOAD_BYTES, ORIGINAL_LABEL};
use v2a_protocol::instruction::{default_instruction, format_phrase, DEFAULT_QUALITIES, ORIGINAL};
use v2a_protocol::Lang;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../extension/formats.generated.js")
}

fn render() -> String {
    let mut rows: Vec<_> = FORMATS
        .iter()
        .map(|f| {
            json!({
                "id": f.extension(),
                "name": f.name,
                "label": f.label,
                "extension": f.extension(),
                "mime": f.mime,
                "lossless": f.lossless(),
            })
        })
        .collect();
    // "original": the source's own audio, untouched; its extension depends on the codec.
    rows.push(json!({
        "id": "original",
        "name": ORIGINAL_LABEL,
        "label": ORIGINAL_LABEL,
        "extension": "",
        "mime": "",
        "lossless": true,
    }));
    let mut out = String::from(
        "// Generated from crates/protocol/src/formats.rs by\n\
         // `V2A_WRITE_GENERATED=1 cargo test -p v2a-protocol --test generated`; do not edit.\n\n\
         /** Largest upload, in bytes (500 MB: decimal SI units, 1 MB = 1,000,000 bytes). */\n",
    );
    out.push_str(&format!(
        "export const MAX_UPLOAD_BYTES = {MAX_UPLOAD_BYTES};\n\n"
    ));
    out.push_str("/** The output formats: id (as a request's spec names it), name, label, extension, mime, lossless. */\n");
    out.push_str("export const OUTPUT_FORMATS = Object.freeze([\n");
    for row in rows {
        out.push_str(&format!("  {row},\n"));
    }
    out.push_str("]);\n");
    out.push_str(&instructions());
    out
}

/// Every default instruction, by catalog language, format id and quality id.
fn instructions() -> String {
    let formats: Vec<&str> = FORMATS
        .iter()
        .map(|f| f.extension())
        .chain([ORIGINAL])
        .collect();
    let (mut table, mut phrases) = (serde_json::Map::new(), serde_json::Map::new());
    for (name, lang) in [("en", Lang::En), ("zh", Lang::Zh)] {
        let by_format: serde_json::Map<String, serde_json::Value> = formats
            .iter()
            .map(|&f| (f.to_owned(), json!(format_phrase(lang, f))))
            .collect();
        phrases.insert(name.to_owned(), by_format.into());
        let by_format: serde_json::Map<String, serde_json::Value> = formats
            .iter()
            .map(|&f| {
                let by_quality: serde_json::Map<String, serde_json::Value> = DEFAULT_QUALITIES
                    .iter()
                    .map(|&q| (q.to_owned(), json!(default_instruction(lang, f, q))))
                    .collect();
                (f.to_owned(), by_quality.into())
            })
            .collect();
        table.insert(name.to_owned(), by_format.into());
    }
    let table = serde_json::to_string_pretty(&table).expect("JSON");
    let phrases = serde_json::to_string_pretty(&phrases).expect("JSON");
    format!(
        "\n/** The default qualities the options offer (a number is a bitrate in kbit/s). */\n\
         export const DEFAULT_QUALITIES = Object.freeze({});\n\n\
         /** The instruction for a default format and quality: [catalog language][format][quality]\n \
         * (crates/protocol/src/instruction.rs). */\n\
         export const DEFAULT_INSTRUCTIONS = Object.freeze({table});\n\n\
         /** The words that ask for a format: [catalog language][format]. */\n\
         export const FORMAT_PHRASES = Object.freeze({phrases});\n",
        json!(DEFAULT_QUALITIES)
    )
}

#[test]
fn the_extensions_format_file_is_generated_from_the_table() {
    let want = render();
    if std::env::var_os("V2A_WRITE_GENERATED").is_some() {
        std::fs::write(path(), &want).expect("write the generated file");
        return;
    }
    let have = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        have == want,
        "extension/formats.generated.js is out of date: run \
         V2A_WRITE_GENERATED=1 cargo test -p v2a-protocol --test generated"
    );
}
