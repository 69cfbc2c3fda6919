//! Whether the engine can do a spec for a probed input, and how: the same decisions as the
//! server's `media/plan.rs` (which format a spec with no format gets, when a stream is copied,
//! when a lossless trim is re-encoded), read from the same table (`v2a_protocol::formats`), so
//! a job means the same on either side.

use v2a_protocol::text::Key;
use v2a_protocol::{formats, ExtractionSpec, OutputFormat, Quality, TrackSelector};

use crate::{AudioTrack, Codec, Probe};

/// How a job will be done on this computer.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The chosen audio track.
    pub track: AudioTrack,
    /// The output's file extension ("m4a", "mp3", "opus", "ogg", "flac", "wav").
    pub extension: &'static str,
    /// The output's MIME type.
    pub mime: &'static str,
    /// Packets copied as they are (no decoding).
    pub copy: bool,
    /// Seconds of the input to keep (start, end), already clamped to its duration; `None` for
    /// the whole input.
    pub range: Option<(f64, f64)>,
    /// The output format: `Original` only for a raw stream kept as it is (AC-3, DTS…).
    pub format: OutputFormat,
    /// The quality a re-encode is made at ([`encode_target`]).
    pub quality: Quality,
}

/// What the host running the engine offers besides it: the browser's encoders, which the
/// worker asks about once per job (WebCodecs `AudioEncoder.isConfigSupported`). The default
/// is none (a native run, or a browser without them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Host {
    /// The host encodes Opus (mono or stereo, 48 kHz) from PCM the engine gives it.
    pub opus_encoder: bool,
    /// The host runs the engine's own encoder (MP3, AAC, FLAC) in a second instance of the
    /// engine, on another core, from PCM this one gives it
    /// ([`crate::codec::encode::Outboard`]), or a VBR MP3's parts in several
    /// ([`crate::codec::encode::Mp3Parts`]). Changes where the work is done, not what is made.
    pub outboard_encoder: bool,
}

/// Why a job needs the server, as a sentence key of `v2a_protocol::text` with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsServer {
    pub key: Key,
    pub args: Vec<(&'static str, String)>,
}

impl NeedsServer {
    pub(crate) fn new(key: Key, args: &[(&'static str, String)]) -> Self {
        Self {
            key,
            args: args.to_vec(),
        }
    }
    /// The sentence in `lang`.
    pub fn say(&self, lang: v2a_protocol::Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        v2a_protocol::text::say(lang, self.key, &args)
    }
}

/// A codec as people read it in a sentence.
pub fn codec_name(codec: &Codec) -> String {
    match codec {
        Codec::Aac => "AAC".into(),
        Codec::Mp3 => "MP3".into(),
        Codec::Opus => "Opus".into(),
        Codec::Vorbis => "Vorbis".into(),
        Codec::Flac => "FLAC".into(),
        Codec::Alac => "ALAC".into(),
        Codec::Pcm { .. } => "PCM".into(),
        Codec::Other(name) => name.to_ascii_uppercase(),
    }
}

/// Seconds as people read them (m:ss), by the one clock of `v2a_protocol::units`.
fn clock(seconds: f64) -> String {
    v2a_protocol::units::clock((seconds.max(0.0) * 1000.0).round() as u64)
}

/// The track a selector names.
pub fn select<'a>(
    tracks: &'a [AudioTrack],
    selector: &TrackSelector,
) -> Result<&'a AudioTrack, NeedsServer> {
    let found = match selector {
        TrackSelector::Default => tracks.first(),
        TrackSelector::Position(n) => (*n as usize).checked_sub(1).and_then(|i| tracks.get(i)),
        TrackSelector::Language(wanted) => tracks.iter().find(|t| {
            t.language
                .as_deref()
                .is_some_and(|l| v2a_wording::language_matches(wanted, l))
        }),
    };
    found.ok_or_else(|| {
        let wanted = match selector {
            TrackSelector::Position(n) => n.to_string(),
            TrackSelector::Language(l) => format!("'{l}'"),
            TrackSelector::Default => String::new(),
        };
        let list: Vec<String> = tracks
            .iter()
            .map(|t| format!("{} {}", t.index + 1, t.language.as_deref().unwrap_or("-")))
            .collect();
        NeedsServer::new(
            Key::EngineNoSuchTrack,
            &[("wanted", wanted), ("tracks", list.join(", "))],
        )
    })
}

/// The plan for `spec` on `probe` with what `host` offers, or why the server must do it.
pub fn plan(spec: &ExtractionSpec, probe: &Probe, host: &Host) -> Result<Plan, NeedsServer> {
    let track = select(&probe.tracks, &spec.track)?.clone();
    let duration = probe.duration;
    // The whole input needs no length: a live WebM (MediaRecorder's) says none, and its
    // packets are copied all the same.
    let range = match spec.range {
        None => None,
        Some(r) => Some(r.resolve(duration).ok_or_else(|| {
            NeedsServer::new(Key::EngineEmptyRange, &[("length", clock(duration))])
        })?),
    };
    let trimmed = range.is_some_and(|(s, e)| s > 0.0 || e < duration);

    let voice = spec.quality == Quality::Voice;
    let channels = spec
        .channels
        .or(voice.then_some(1))
        .filter(|c| *c != u32::from(track.channels));
    let rate = spec.sample_rate.filter(|r| *r != track.sample_rate);
    // A lossless source is cut by re-encoding losslessly: exact, as on the server.
    let lossless = matches!(track.codec, Codec::Flac | Codec::Pcm { .. });
    let changes =
        channels.is_some() || rate.is_some() || spec.loudness.is_some() || (lossless && trimmed);

    let name = track.codec.ffprobe_name();
    let natural = formats::natural(&name);
    let (target, quality) = encode_target(spec, &track.codec);
    let copyable = natural.filter(|n| n.copyable).map(|n| n.container);
    let copy = !changes
        && copyable.is_some()
        && match spec.format {
            None => spec.quality == Quality::Default,
            Some(OutputFormat::Original) => true,
            Some(format) => copyable == Some(format) && spec.quality == Quality::Default,
        };
    // Original keeps AC-3/E-AC-3/DTS/MP2 as the raw stream players read.
    if spec.format == Some(OutputFormat::Original) && natural.is_none() && !changes {
        if let Some(raw) = formats::RAW_STREAMS.iter().find(|r| r.0 == name) {
            return Ok(Plan {
                track,
                extension: raw.1,
                mime: raw.3,
                copy: true,
                range,
                format: OutputFormat::Original,
                quality,
            });
        }
    }
    let format = match copyable {
        Some(container) if copy => container,
        _ => target,
    };
    if !copy && matches!(track.codec, Codec::Other(_)) {
        return Err(codec_needs_server(&track));
    }
    // Opus is encoded by the host's encoder; without one the server makes it.
    if !copy && !crate::codec::formats::encodes(format, host) {
        return Err(encode_needs_server(format, &track, host));
    }
    let extension = format.extension();
    Ok(Plan {
        track,
        extension,
        mime: formats::mime_of_extension(extension),
        copy,
        range,
        format,
        quality,
    })
}

/// The format and quality a re-encode of `codec` writes for `spec` (the one place that
/// decides it; the transcoder asks here): a named format as is; otherwise the codec's family
/// (MP3 when it has none, FLAC for `Original`, which also re-encodes lossy formats at their
/// high setting).
pub fn encode_target(spec: &ExtractionSpec, codec: &Codec) -> (OutputFormat, Quality) {
    let family = formats::natural(&codec.ffprobe_name()).map(|n| n.family);
    match spec.format {
        Some(OutputFormat::Original) => {
            let quality = match spec.quality {
                Quality::Default => Quality::High,
                q => q,
            };
            (family.unwrap_or(OutputFormat::Flac), quality)
        }
        None => (family.unwrap_or(OutputFormat::Mp3), spec.quality),
        Some(format) => (format, spec.quality),
    }
}

/// A re-encode to `format` that is not made on this computer.
pub(crate) fn encode_needs_server(
    format: OutputFormat,
    track: &AudioTrack,
    host: &Host,
) -> NeedsServer {
    NeedsServer::new(
        Key::EngineEncodeNeedsServer,
        &[
            ("format", format.label().to_string()),
            ("codec", codec_name(&track.codec)),
            ("formats", crate::codec::formats::encoded_here(host, format)),
        ],
    )
}

fn codec_needs_server(track: &AudioTrack) -> NeedsServer {
    NeedsServer::new(
        Key::EngineCodecNeedsServer,
        &[("codec", codec_name(&track.codec))],
    )
}
