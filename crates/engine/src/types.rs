//! What the demuxers find and the codecs exchange.

/// The container of an input, as sniffed from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// ISO BMFF: MP4, M4V, M4A, MOV (QuickTime).
    Mp4,
    /// Matroska or WebM.
    Matroska,
    /// RIFF AVI.
    Avi,
}

/// An audio codec, as the container names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codec {
    Aac,
    Mp3,
    Opus,
    Vorbis,
    Flac,
    Alac,
    /// Integer or float PCM, little- or big-endian.
    Pcm {
        bits: u16,
        float: bool,
        big_endian: bool,
    },
    /// Anything else, by the container's own name for it ("ac-3", "A_DTS"…).
    Other(String),
}

impl Codec {
    /// The codec's name as ffprobe says it ("aac", "pcm_s16le", "ac3"), the key of
    /// `v2a_protocol::formats`.
    pub fn ffprobe_name(&self) -> String {
        match self {
            Self::Aac => "aac".into(),
            Self::Mp3 => "mp3".into(),
            Self::Opus => "opus".into(),
            Self::Vorbis => "vorbis".into(),
            Self::Flac => "flac".into(),
            Self::Alac => "alac".into(),
            Self::Pcm {
                bits: 8,
                float: false,
                ..
            } => "pcm_u8".into(),
            Self::Pcm {
                bits,
                float,
                big_endian,
            } => format!(
                "pcm_{}{bits}{}",
                if *float { "f" } else { "s" },
                if *big_endian { "be" } else { "le" }
            ),
            Self::Other(name) => match name.as_str() {
                "ac-3" => "ac3".into(),
                "ec-3" => "eac3".into(),
                other => other.to_string(),
            },
        }
    }
}

/// One audio track of an input.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioTrack {
    /// Position among the audio tracks, from 0 (the server's `0:a:N`).
    pub index: u32,
    pub codec: Codec,
    pub sample_rate: u32,
    pub channels: u16,
    /// As the file tags it ("eng", "spa", "en"…), if it does.
    pub language: Option<String>,
    /// The codec's set-up bytes: AAC AudioSpecificConfig, OpusHead, Vorbis's three headers
    /// (Xiph-laced as Matroska stores them), FLAC STREAMINFO, ALAC magic cookie.
    pub codec_private: Vec<u8>,
    /// Units per second of [`Packet::pts`] and [`Packet::duration`].
    pub timescale: u32,
    /// Seconds, when the index says.
    pub duration: Option<f64>,
    /// Bits per second, when known.
    pub bit_rate: Option<u64>,
    /// Samples to drop at the start (encoder delay: MP4 edit list, Opus pre-skip).
    pub priming: u32,
}

impl AudioTrack {
    /// Presentation seconds of a [`Packet::pts`]: the priming samples come before 0.
    pub fn seconds(&self, pts: i64) -> f64 {
        let priming = if self.sample_rate > 0 {
            f64::from(self.priming) / f64::from(self.sample_rate)
        } else {
            0.0
        };
        pts as f64 / f64::from(self.timescale.max(1)) - priming
    }
}

/// What an input holds, read from its index alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub container: Container,
    /// Seconds (the longest track, or the container's own duration).
    pub duration: f64,
    pub tracks: Vec<AudioTrack>,
    pub has_video: bool,
}

/// One compressed audio packet, in decode order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub data: Vec<u8>,
    /// Presentation time in the track's timescale.
    pub pts: i64,
    /// Length in the track's timescale (0 when the container does not say).
    pub duration: u32,
}

/// Decoded sound: interleaved 32-bit float samples in [-1, 1].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pcm {
    pub sample_rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl Pcm {
    /// Frames (samples per channel).
    pub fn frames(&self) -> usize {
        if self.channels == 0 {
            0
        } else {
            self.samples.len() / usize::from(self.channels)
        }
    }
}
