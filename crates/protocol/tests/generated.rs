//! The extension's JavaScript reads the format table and the upload limit from a file generated
//! here, so it holds no copy of its own: this test fails when the file and the table differ.
//! To regenerate: `V2A_WRITE_GENERATED=1 cargo test -p v2a-protocol --test generated`.

use std::path::PathBuf;

use serde_json::json;
use v2a_protocol::formats::{FORMATS, MAX_UPLOAD_BYTES, ORIGINAL_LABEL};

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
    out
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
