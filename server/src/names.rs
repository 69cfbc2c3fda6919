//! File names people see: derived from the upload's name, made safe for any file system and
//! for a Content-Disposition header.

use v2a_protocol::AudioStream;
use v2a_wording::{ExtractionSpec, OutputFormat};

/// Keep letters, digits and a few harmless marks; everything else becomes `_`. Never empty,
/// never hidden (leading dot), at most 120 characters.
pub fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_.()[]+,".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "audio".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The name without its last extension ("lecture.final.mp4" → "lecture.final").
pub fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => stem,
        _ => name,
    }
}

/// The stem of the output: the spec's name if given, else the upload's name.
pub fn output_stem(spec: &ExtractionSpec, upload_name: &str) -> String {
    let given = spec.output_name.as_deref().map(|n| stem(n).to_owned());
    sanitize(&given.unwrap_or_else(|| stem(upload_name).to_owned()))
}

/// The extension an extraction is expected to produce, shown while it runs; the finished file
/// is named after what ffmpeg actually wrote.
pub fn expected_extension(spec: &ExtractionSpec, streams: &[AudioStream]) -> String {
    match spec.format {
        Some(f) if f != OutputFormat::Original => f.extension().to_owned(),
        _ => natural_extension(streams.first().map(|s| s.codec.as_str()).unwrap_or("")).to_owned(),
    }
}

/// The container an audio codec is copied into without re-encoding.
pub fn natural_extension(codec: &str) -> &'static str {
    match codec {
        "aac" | "alac" => "m4a",
        "mp3" => "mp3",
        "opus" => "opus",
        "vorbis" => "ogg",
        "flac" => "flac",
        c if c.starts_with("pcm_") => "wav",
        _ => "mp3",
    }
}

/// A human size: "3.1 MB", "812 KB".
pub fn human_size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KB", (b / 1024.0).max(1.0))
    }
}

/// A human duration: "2:15", "1:02:03".
pub fn human_duration(secs: f64) -> String {
    let total = secs.round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_words_and_drops_path_tricks() {
        assert_eq!(sanitize("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(sanitize("Lecture 1 (final).mp3"), "Lecture 1 (final).mp3");
        assert_eq!(sanitize("讲座\"x\".mp3"), "讲座_x_.mp3");
        assert_eq!(sanitize("..."), "audio");
    }

    #[test]
    fn stems_and_human_texts() {
        assert_eq!(stem("lecture.final.mp4"), "lecture.final");
        assert_eq!(stem("noext"), "noext");
        assert_eq!(human_duration(135.2), "2:15");
        assert_eq!(human_duration(3723.0), "1:02:03");
        assert_eq!(human_size(3_250_000), "3.1 MB");
    }
}
