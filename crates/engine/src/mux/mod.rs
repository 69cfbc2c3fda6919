//! Containers out, for copies without re-encoding: AAC and ALAC → .m4a, Opus → .opus and
//! Vorbis → .ogg (Ogg), MP3 → .mp3, FLAC → .flac, little-endian PCM → .wav; and Ogg Opus of
//! packets the host's encoder made ([`OggOpus`]).
//!
//! Each writer takes the packets in order and writes as it goes; sizes known only at the end
//! go into a header patched with [`Sink::patch_head`] (M4A's `mdat` size, WAV's lengths).

mod m4a;
mod ogg;
mod ogg_opus;
mod raw;
mod vorbis;

pub(crate) use m4a::M4a;
pub use ogg_opus::{OggOpus, OPUS_ENCODER_DELAY};
pub(crate) use raw::flac_samples;
pub(crate) use vorbis::{opus_samples, vorbis_headers, VorbisBlocks};

use crate::{AudioTrack, Codec, EngineError, Packet, Sink};

/// A copy writer.
pub trait Muxer {
    /// Appends one packet.
    fn write(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError>;
    /// Writes what comes after the packets (M4A's index) and patches the head.
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError>;
    /// Seconds of sound written, when the container counts it in a way that differs from the
    /// packets' timestamps (a cut Vorbis stream: its first packet decodes to nothing).
    fn seconds(&self) -> Option<f64> {
        None
    }
}

/// Whether the engine can copy `codec` into a file of its own.
pub fn can_copy(codec: &Codec) -> bool {
    match codec {
        Codec::Aac | Codec::Alac | Codec::Opus | Codec::Vorbis | Codec::Mp3 | Codec::Flac => true,
        Codec::Pcm { big_endian, .. } => !big_endian,
        Codec::Other(_) => raw_stream(codec),
    }
}

/// Whether `codec` is one kept as a raw stream (AC-3, DTS…): its packets are its frames.
fn raw_stream(codec: &Codec) -> bool {
    let name = codec.ffprobe_name();
    v2a_protocol::formats::RAW_STREAMS
        .iter()
        .any(|r| r.0 == name)
}

/// Starts a copy of `track`'s packets, writing the file's head to `sink`. `from_start`: the
/// copy starts at the track's first packet, so its priming (encoder delay) is kept as such.
/// `to_end`: the copy runs to the track's end, which is at most `to_end` seconds on the
/// packets' own timeline (Matroska's segment duration, priming included), so the padding of
/// the last packet can be cut where the format says it (Ogg's last granule position).
pub fn start(
    track: &AudioTrack,
    from_start: bool,
    to_end: Option<f64>,
    sink: &mut dyn Sink,
) -> Result<Box<dyn Muxer>, EngineError> {
    Ok(match &track.codec {
        Codec::Aac | Codec::Alac => Box::new(m4a::M4a::start(track, from_start, sink)?),
        Codec::Opus | Codec::Vorbis => Box::new(ogg::Ogg::start(track, to_end, sink)?),
        Codec::Mp3 => Box::new(raw::Raw::start(b"", sink)?),
        other @ Codec::Other(_) if raw_stream(other) => Box::new(raw::Raw::start(b"", sink)?),
        Codec::Flac => Box::new(raw::Raw::start(
            &raw::flac_head(&track.codec_private)?,
            sink,
        )?),
        Codec::Pcm {
            bits,
            float,
            big_endian: false,
        } => Box::new(raw::Wav::start(track, *bits, *float, sink)?),
        other => {
            return Err(EngineError::Unsupported(format!(
                "{other:?} cannot be copied into a file of its own"
            )))
        }
    })
}
