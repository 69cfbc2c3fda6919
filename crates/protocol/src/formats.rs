//! The one table of audio formats and what derives from it: output formats with their
//! extensions, MIME types, labels, ffmpeg encoders and muxers; each codec's natural container
//! for a copy; quality words → encoder settings; the upload types accepted; the upload limit.
//!
//! The server's ffmpeg plan, the wording parser, the client's pre-upload check and the
//! extension (through the wasm) all read these; nothing else spells them out.

use crate::spec::{OutputFormat, Quality};

/// Largest upload either side accepts by default: 500 MB in decimal SI units (1 MB =
/// 1,000,000 bytes), the unit browsers, the extension and the hosted service's "500MB" use;
/// every size people read is written by [`crate::units::size`] in the same units.
pub const MAX_UPLOAD_BYTES: u64 = 500_000_000;

/// Encoder settings for a re-encode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateControl {
    /// `-b:a Nk` (constant for MP3, target for AAC/Opus/Vorbis).
    Bitrate(u32),
    /// `-q:a N` (MP3 VBR 0–9, lower is better; Vorbis 0–10, higher is better).
    Quality(f32),
    /// A lossless codec: nothing to set.
    Lossless,
}

/// What each quality word means for a lossy format, and the bitrates it takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub default: RateControl,
    pub high: RateControl,
    pub small: RateControl,
    pub voice: RateControl,
    /// Explicit bitrates accepted, kbit/s (inclusive).
    pub kbps: (u32, u32),
}

/// One output format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormatInfo {
    pub format: OutputFormat,
    /// File extensions, the output's first ("aac" files are read as M4A).
    pub extensions: &'static [&'static str],
    /// Other words naming the format ("wave", "vorbis").
    pub words: &'static [&'static str],
    /// Content-Type of a file of this format.
    pub mime: &'static str,
    /// Short label for people ("M4A (AAC)").
    pub label: &'static str,
    /// The format's name as people say it in a request ("M4A"): the extension's chips.
    pub name: &'static str,
    /// ffmpeg encoder used when re-encoding.
    pub encoder: &'static str,
    /// Codec written when re-encoding, as ffprobe names it.
    pub codec: &'static str,
    /// ffmpeg muxer (`-f`): the file is written under a `.part` name, so it must be said.
    pub muxer: &'static str,
    /// `None` for lossless formats, which have no quality setting.
    pub rates: Option<Rates>,
}

impl FormatInfo {
    /// The output's extension ("mp3").
    pub fn extension(&self) -> &'static str {
        self.extensions[0]
    }
    pub fn lossless(&self) -> bool {
        self.rates.is_none()
    }
}

use RateControl::{Bitrate, Quality as Q};

/// Every concrete output format ([`OutputFormat::Original`] is resolved to one of these).
pub const FORMATS: &[FormatInfo] = &[
    FormatInfo {
        format: OutputFormat::Mp3,
        extensions: &["mp3"],
        words: &[],
        mime: "audio/mpeg",
        label: "MP3",
        name: "MP3",
        encoder: "libmp3lame",
        codec: "mp3",
        muxer: "mp3",
        rates: Some(Rates {
            default: Q(2.0),
            high: Bitrate(320),
            small: Bitrate(96),
            voice: Bitrate(64),
            kbps: (8, 320),
        }),
    },
    FormatInfo {
        format: OutputFormat::M4a,
        extensions: &["m4a", "aac"],
        words: &[],
        mime: "audio/mp4",
        label: "M4A (AAC)",
        name: "M4A",
        encoder: "aac",
        codec: "aac",
        // The iPod flavour of the MP4 muxer writes the M4A brand players expect.
        muxer: "ipod",
        rates: Some(Rates {
            default: Bitrate(192),
            high: Bitrate(256),
            small: Bitrate(96),
            voice: Bitrate(64),
            kbps: (16, 512),
        }),
    },
    FormatInfo {
        format: OutputFormat::Wav,
        extensions: &["wav"],
        words: &["wave", "pcm"],
        mime: "audio/wav",
        label: "WAV",
        name: "WAV",
        encoder: "pcm_s16le",
        codec: "pcm_s16le",
        muxer: "wav",
        rates: None,
    },
    FormatInfo {
        format: OutputFormat::Flac,
        extensions: &["flac"],
        words: &[],
        mime: "audio/flac",
        label: "FLAC",
        name: "FLAC",
        encoder: "flac",
        codec: "flac",
        muxer: "flac",
        rates: None,
    },
    FormatInfo {
        format: OutputFormat::Ogg,
        extensions: &["ogg"],
        words: &["vorbis"],
        mime: "audio/ogg",
        label: "Ogg Vorbis",
        name: "Ogg",
        encoder: "libvorbis",
        codec: "vorbis",
        muxer: "ogg",
        // libvorbis's managed bitrate fails below ~45 kbit/s on 44.1 kHz stereo.
        rates: Some(Rates {
            default: Q(5.0),
            high: Q(8.0),
            small: Q(2.0),
            voice: Q(1.0),
            kbps: (45, 500),
        }),
    },
    FormatInfo {
        format: OutputFormat::Opus,
        extensions: &["opus"],
        words: &[],
        mime: "audio/ogg",
        label: "Opus",
        name: "Opus",
        encoder: "libopus",
        codec: "opus",
        muxer: "opus",
        rates: Some(Rates {
            default: Bitrate(128),
            high: Bitrate(192),
            small: Bitrate(64),
            voice: Bitrate(32),
            kbps: (6, 510),
        }),
    },
];

/// The label of [`OutputFormat::Original`].
pub const ORIGINAL_LABEL: &str = "Original quality";

impl OutputFormat {
    /// The format's row; `None` for [`OutputFormat::Original`].
    pub fn info(self) -> Option<&'static FormatInfo> {
        FORMATS.iter().find(|f| f.format == self)
    }
    /// The file extension of the output ("" for `Original`, whose extension depends on the
    /// source's codec: see [`natural`]).
    pub fn extension(self) -> &'static str {
        self.info().map_or("", FormatInfo::extension)
    }
    /// A short label for people.
    pub fn label(self) -> &'static str {
        self.info().map_or(ORIGINAL_LABEL, |f| f.label)
    }
    /// The encoder and its settings for `quality` (an explicit bitrate is clamped to the
    /// format's range); `None` for `Original`.
    pub fn rate_control(self, quality: Quality) -> Option<(&'static str, RateControl)> {
        let info = self.info()?;
        let Some(r) = info.rates else {
            return Some((info.encoder, RateControl::Lossless));
        };
        let rate = match quality {
            Quality::Default => r.default,
            Quality::High => r.high,
            Quality::Small => r.small,
            Quality::Voice => r.voice,
            Quality::Bitrate(k) => Bitrate(k.clamp(r.kbps.0, r.kbps.1)),
        };
        Some((info.encoder, rate))
    }
}

/// The format a word or file extension names ("mp3", "AAC", "wave"), if any.
pub fn format_named(word: &str) -> Option<OutputFormat> {
    FORMATS
        .iter()
        .find(|f| {
            f.extensions
                .iter()
                .chain(f.words)
                .any(|w| w.eq_ignore_ascii_case(word))
        })
        .map(|f| f.format)
}

/// The format an audio file extension stands for ("m4a", "aac" → M4A), if any.
pub fn format_of_extension(ext: &str) -> Option<OutputFormat> {
    FORMATS
        .iter()
        .find(|f| f.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
        .map(|f| f.format)
}

/// Where a codec goes when the request names no format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Natural {
    /// The container its packets are copied into.
    pub container: OutputFormat,
    /// Whether the packets can be copied as they are.
    pub copyable: bool,
    /// What it is re-encoded to when the sound must change: the same family, lossless for a
    /// lossless codec.
    pub family: OutputFormat,
}

/// The natural container of an audio codec (as ffprobe names it), `None` when it has none
/// (AC-3, DTS, WMA…).
pub fn natural(codec: &str) -> Option<Natural> {
    let n = |container, copyable, family| Natural {
        container,
        copyable,
        family,
    };
    Some(match codec {
        "aac" => n(OutputFormat::M4a, true, OutputFormat::M4a),
        // ALAC is copied into .m4a as Apple's players expect it, and stays lossless (FLAC)
        // when re-encoded.
        "alac" => n(OutputFormat::M4a, true, OutputFormat::Flac),
        "mp3" => n(OutputFormat::Mp3, true, OutputFormat::Mp3),
        "opus" => n(OutputFormat::Opus, true, OutputFormat::Opus),
        "vorbis" => n(OutputFormat::Ogg, true, OutputFormat::Ogg),
        "flac" => n(OutputFormat::Flac, true, OutputFormat::Flac),
        "pcm_s16le" | "pcm_s24le" | "pcm_s32le" | "pcm_u8" | "pcm_f32le" | "pcm_f64le" => {
            n(OutputFormat::Wav, true, OutputFormat::Wav)
        }
        // Big-endian or odd PCM (QuickTime "twos") is re-encoded to WAV's little-endian PCM.
        c if c.starts_with("pcm_") => n(OutputFormat::Wav, false, OutputFormat::Wav),
        _ => return None,
    })
}

/// The extension a copy of `codec` gets, and MP3 (what such a source becomes) otherwise.
pub fn natural_extension(codec: &str) -> &'static str {
    natural(codec)
        .map_or(OutputFormat::Mp3, |n| n.container)
        .extension()
}

/// Codecs [`OutputFormat::Original`] keeps as a raw stream when they have no natural
/// container: (codec, extension, muxer, MIME).
pub const RAW_STREAMS: &[(&str, &str, &str, &str)] = &[
    ("ac3", "ac3", "ac3", "audio/ac3"),
    ("eac3", "eac3", "eac3", "audio/eac3"),
    ("dts", "dts", "dts", "audio/vnd.dts"),
    ("mp2", "mp2", "mp2", "audio/mpeg"),
];

/// Content-Type of an output file by its extension.
pub fn mime_of_extension(ext: &str) -> &'static str {
    format_of_extension(ext)
        .and_then(OutputFormat::info)
        .map(|f| f.mime)
        .or_else(|| {
            RAW_STREAMS
                .iter()
                .find(|r| r.1.eq_ignore_ascii_case(ext))
                .map(|r| r.3)
        })
        .unwrap_or("application/octet-stream")
}

/// A label for an output's extension: the format's ("M4A (AAC)"), else the extension in
/// capitals ("AC3").
pub fn label_of_extension(ext: &str) -> String {
    format_of_extension(ext)
        .map(|f| f.label().to_owned())
        .unwrap_or_else(|| ext.to_ascii_uppercase())
}

/// Container names accepted for upload, as the reference lists them (minus the images, which
/// have no audio).
pub const ACCEPTED_VIDEO_TYPES: &[&str] = &["mp4", "mov", "avi", "webm", "mkv"];
pub const ACCEPTED_AUDIO_TYPES: &[&str] = &["mp3", "wav", "m4a", "aac"];
/// Image types the hosted API accepts for its editor; they carry no sound.
pub const IMAGE_TYPES: &[&str] = &["jpg", "jpeg", "png", "gif", "webp"];
/// Every video file extension people name in a request ("interview.mp4"), accepted or not.
pub const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "mov", "m4v", "avi", "mkv", "webm", "flv", "wmv", "mpg", "mpeg", "3gp", "mts", "ts",
];

/// MIME types browsers give the accepted containers, mapped to the container name.
pub const UPLOAD_MIME_TYPES: &[(&str, &str)] = &[
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

/// Whether `container` ("mp4", "wav") is an accepted upload type.
pub fn accepted_type(container: &str) -> bool {
    ACCEPTED_VIDEO_TYPES.contains(&container) || ACCEPTED_AUDIO_TYPES.contains(&container)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_concrete_format_has_one_row() {
        for f in [
            OutputFormat::Mp3,
            OutputFormat::M4a,
            OutputFormat::Wav,
            OutputFormat::Flac,
            OutputFormat::Ogg,
            OutputFormat::Opus,
        ] {
            let rows = FORMATS.iter().filter(|r| r.format == f).count();
            assert_eq!(rows, 1, "{f:?}");
            assert_eq!(format_named(f.extension()), Some(f));
        }
        assert!(OutputFormat::Original.info().is_none());
        // Serde's name is the extension, so the spec and the file agree.
        for f in FORMATS {
            let json = serde_json::to_value(f.format).expect("serialize");
            assert_eq!(json, f.extension());
        }
    }

    #[test]
    fn names_and_extensions() {
        assert_eq!(format_named("AAC"), Some(OutputFormat::M4a));
        assert_eq!(format_named("vorbis"), Some(OutputFormat::Ogg));
        assert_eq!(format_of_extension("wave"), None);
        assert_eq!(mime_of_extension("opus"), "audio/ogg");
        assert_eq!(mime_of_extension("ac3"), "audio/ac3");
        assert_eq!(mime_of_extension("exe"), "application/octet-stream");
        assert_eq!(label_of_extension("m4a"), "M4A (AAC)");
        assert_eq!(label_of_extension("dts"), "DTS");
    }

    #[test]
    fn alac_is_copied_into_m4a_and_stays_lossless() {
        assert_eq!(natural_extension("alac"), "m4a");
        let n = natural("alac").expect("alac has a container");
        assert!(n.copyable);
        assert_eq!(n.family, OutputFormat::Flac);
        assert_eq!(natural_extension("aac"), "m4a");
        assert_eq!(natural_extension("pcm_s24le"), "wav");
        assert_eq!(natural_extension("ac3"), "mp3");
    }

    #[test]
    fn quality_words_map_to_settings() {
        use RateControl::{Bitrate, Lossless};
        let rc = |f: OutputFormat, q| f.rate_control(q).map(|r| r.1);
        assert_eq!(
            rc(OutputFormat::Mp3, Quality::Default),
            Some(RateControl::Quality(2.0))
        );
        assert_eq!(rc(OutputFormat::Mp3, Quality::High), Some(Bitrate(320)));
        assert_eq!(
            rc(OutputFormat::Mp3, Quality::Bitrate(999)),
            Some(Bitrate(320))
        );
        assert_eq!(rc(OutputFormat::Opus, Quality::Voice), Some(Bitrate(32)));
        assert_eq!(rc(OutputFormat::Flac, Quality::High), Some(Lossless));
        assert_eq!(rc(OutputFormat::Original, Quality::High), None);
    }

    #[test]
    fn the_limit_is_decimal() {
        assert_eq!(MAX_UPLOAD_BYTES, 500 * 1000 * 1000);
        assert!(accepted_type("mkv") && accepted_type("aac") && !accepted_type("png"));
    }
}
