//! What a request asks for, once understood: the contract between the wording parser, the
//! extension's preview and the server's ffmpeg command builder.

use serde::{Deserialize, Serialize};

/// Output format asked for. `None` in [`ExtractionSpec::format`] means "not said": copy the
/// audio stream into its natural container when possible, else MP3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Mp3,
    /// AAC in an .m4a (MP4 audio) container.
    M4a,
    Wav,
    Flac,
    /// Vorbis in Ogg.
    Ogg,
    /// Opus in Ogg (.opus).
    Opus,
    /// "best" / "original" / "no re-encode": stream copy into the natural container.
    Original,
}

/// Quality asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case", tag = "kind", content = "kbps")]
pub enum Quality {
    /// Nothing said: the format's sensible default (MP3: VBR q2).
    Default,
    /// An explicit bitrate in kbit/s: constant bitrate where the codec allows.
    Bitrate(u32),
    /// "high" / "best": the format's top setting (MP3 320k or V0, AAC 256k, Opus 192k…).
    High,
    /// "small file": low bitrate, still listenable (MP3 96k…).
    Small,
    /// "voice" / "speech": mono-friendly low bitrate tuned for speech.
    Voice,
}

/// One end of a time range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case", tag = "from", content = "ms")]
pub enum TimePoint {
    /// Milliseconds from the start of the media.
    Start(u64),
    /// Milliseconds before the end of the media ("last minute" → `End(60_000)` as start).
    End(u64),
}

/// A time range; `end: None` means "to the end".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TimeRange {
    pub start: TimePoint,
    pub end: Option<TimePoint>,
}

impl TimeRange {
    /// Start and end in seconds for a media of `duration` seconds, clamped to it. `None` when
    /// the range is empty once clamped.
    pub fn resolve(&self, duration: f64) -> Option<(f64, f64)> {
        let at = |p: TimePoint| match p {
            TimePoint::Start(ms) => (ms as f64 / 1000.0).min(duration),
            TimePoint::End(ms) => (duration - ms as f64 / 1000.0).max(0.0),
        };
        let start = at(self.start);
        let end = self.end.map(at).unwrap_or(duration);
        (end > start).then_some((start, end))
    }
}

/// Loudness normalisation (EBU R128 via ffmpeg's two-pass loudnorm).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Loudness {
    /// Integrated loudness target, LUFS (podcast: -16).
    pub integrated: f64,
    /// True-peak ceiling, dBTP (podcast: -1).
    pub true_peak: f64,
}

impl Loudness {
    pub const PODCAST: Self = Self {
        integrated: -16.0,
        true_peak: -1.0,
    };
}

/// Which upload of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case", tag = "by", content = "value")]
pub enum SourceSelector {
    /// The most recent upload (default).
    Latest,
    /// 1-based position in upload order ("the second video" → 2).
    Position(u32),
    /// A file name or part of it.
    Name(String),
}

/// Which audio track, when a file has several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case", tag = "by", content = "value")]
pub enum TrackSelector {
    /// The first audio track (ffmpeg's default choice).
    Default,
    /// 1-based ("track 2" → 2).
    Position(u32),
    /// ISO 639 code as ffprobe reports it ("eng", "spa", "chi"…), matched loosely.
    Language(String),
}

/// A fully understood extraction request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ExtractionSpec {
    pub format: Option<OutputFormat>,
    pub quality: Quality,
    /// Hz.
    pub sample_rate: Option<u32>,
    /// 1 mono, 2 stereo.
    pub channels: Option<u32>,
    pub range: Option<TimeRange>,
    pub loudness: Option<Loudness>,
    pub source: SourceSelector,
    pub track: TrackSelector,
    /// Output file name without extension.
    pub output_name: Option<String>,
}

impl Default for ExtractionSpec {
    fn default() -> Self {
        Self {
            format: None,
            quality: Quality::Default,
            sample_rate: None,
            channels: None,
            range: None,
            loudness: None,
            source: SourceSelector::Latest,
            track: TrackSelector::Default,
            output_name: None,
        }
    }
}

impl ExtractionSpec {
    /// Whether the request changes the sound (quality or bitrate, sample rate, channels,
    /// loudness), so the audio stream cannot simply be copied. With `format: None` or
    /// `Original` such a request is re-encoded within the source's own format family.
    pub fn needs_reencode(&self) -> bool {
        self.quality != Quality::Default
            || self.sample_rate.is_some()
            || self.channels.is_some()
            || self.loudness.is_some()
    }
}

/// What a message means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case", tag = "intent")]
pub enum Intent {
    /// Extract audio as specified.
    Extract { spec: ExtractionSpec },
    /// Nothing to act on ("hello"): answer with the help text.
    Help,
    /// Something this product cannot do ("remove the background music"): `reason` says what
    /// was asked, in the user's words where possible; the reply lists what it can do.
    Unsupported { reason: String },
}

/// The reference's keyword routing: which API action a message goes to before any SSE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Export,
    Credits,
    Status,
    Upload,
    /// Everything else: `POST /run_sse`.
    Run,
}
