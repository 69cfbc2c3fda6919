//! Decoders: one compressed [`Packet`] in, interleaved `f32` out, channels in the WAV/ffmpeg
//! order (FL FR FC LFE BL BR…).
//!
//! AAC is rusty_aac's, not symphonia's: symphonia 0.6 refuses AAC with more than two channels
//! and HE-AAC ("aac too complex"), and 5.1 AAC is common in films. Opus is `opus-decoder`
//! (RFC 8251's twelve conformance vectors pass). PCM is a few lines here.

use symphonia_core::audio::Channels;
use symphonia_core::codecs::audio::well_known::CODEC_ID_VORBIS;
use symphonia_core::codecs::audio::well_known::{CODEC_ID_ALAC, CODEC_ID_FLAC, CODEC_ID_MP3};
use symphonia_core::codecs::audio::{AudioCodecParameters, AudioDecoder, AudioDecoderOptions};
use symphonia_core::packet::Packet as SymPacket;
use symphonia_core::units::{Duration, Timestamp};

use crate::{AudioTrack, Codec, EngineError, Packet};

/// A decoder for one track.
pub struct Decoder {
    inner: Inner,
    /// Output rate and channels, known up front for every codec but MP3 (from its first frame).
    pub sample_rate: u32,
    pub channels: u16,
}

enum Inner {
    Symphonia(Box<dyn AudioDecoder>, Vec<f32>),
    Aac(Box<rusty_aac::AacDecoder>),
    Opus {
        decoder: Box<opus_decoder::OpusDecoder>,
        buf: Vec<f32>,
        gain: f32,
    },
    Pcm {
        bits: u16,
        float: bool,
        big_endian: bool,
    },
}

fn bad(what: impl std::fmt::Display) -> EngineError {
    EngineError::Unreadable(what.to_string())
}

impl Decoder {
    /// A decoder for `track`, set up from its `codec_private`.
    pub fn new(track: &AudioTrack) -> Result<Self, EngineError> {
        let channels = track.channels;
        let sample_rate = track.sample_rate;
        let inner = match &track.codec {
            Codec::Aac => {
                let dec = if track.codec_private.is_empty() {
                    rusty_aac::AacDecoder::new()
                } else {
                    rusty_aac::AacDecoder::with_config_bytes(&track.codec_private)
                        .map_err(|e| bad(format!("AAC set-up: {e}")))?
                };
                let rate = dec.output_sample_rate().unwrap_or(sample_rate);
                return Ok(Self {
                    inner: Inner::Aac(Box::new(dec)),
                    sample_rate: rate,
                    channels,
                });
            }
            Codec::Opus => return opus(track),
            Codec::Pcm {
                bits,
                float,
                big_endian,
            } => {
                if !matches!((bits, float), (8 | 16 | 24 | 32, false) | (32 | 64, true)) {
                    return Err(EngineError::Unsupported(format!("{bits}-bit PCM")));
                }
                Inner::Pcm {
                    bits: *bits,
                    float: *float,
                    big_endian: *big_endian,
                }
            }
            Codec::Mp3 => symphonia(CODEC_ID_MP3, track, None)?,
            Codec::Flac => symphonia(CODEC_ID_FLAC, track, Some(flac_streaminfo(track)?))?,
            Codec::Vorbis => symphonia(CODEC_ID_VORBIS, track, Some(&track.codec_private))?,
            Codec::Alac => symphonia(CODEC_ID_ALAC, track, Some(&track.codec_private))?,
            Codec::Other(name) => {
                return Err(EngineError::Unsupported(format!(
                    "decoding {name} is done by the server"
                )))
            }
        };
        Ok(Self {
            inner,
            sample_rate,
            channels,
        })
    }

    /// Decodes `packet`, appending its samples to `out`; returns the frames appended. The rate
    /// and channel count are updated from what the codec says.
    pub fn decode(&mut self, packet: &Packet, out: &mut Vec<f32>) -> Result<usize, EngineError> {
        let before = out.len();
        match &mut self.inner {
            Inner::Symphonia(dec, scratch) => {
                let p = SymPacket::new(
                    0,
                    Timestamp::new(packet.pts),
                    Duration::new(u64::from(packet.duration)),
                    packet.data.as_slice(),
                );
                let buf = dec.decode(&p).map_err(bad)?;
                let spec = buf.spec();
                self.sample_rate = spec.rate();
                self.channels = u16::try_from(spec.channels().count()).map_err(bad)?;
                scratch.clear();
                buf.copy_to_vec_interleaved::<f32>(scratch);
                out.extend_from_slice(scratch);
            }
            Inner::Aac(dec) => {
                let frame = match dec.decode(&packet.data, None) {
                    Ok(f) => f,
                    Err(rusty_aac::Error::Again) => return Ok(0),
                    Err(e) => return Err(bad(format!("AAC: {e}"))),
                };
                self.sample_rate = frame.sample_rate;
                self.channels = frame.channels;
                out.extend_from_slice(&frame.samples);
            }
            Inner::Opus { decoder, buf, gain } => {
                let ch = usize::from(self.channels);
                buf.resize(decoder.max_frame_size_per_channel() * ch, 0.0);
                let n = decoder
                    .decode_float(&packet.data, buf, false)
                    .map_err(|e| bad(format!("Opus: {e}")))?;
                out.extend(buf[..n * ch].iter().map(|s| s * *gain));
            }
            Inner::Pcm {
                bits,
                float,
                big_endian,
            } => pcm(&packet.data, *bits, *float, *big_endian, out),
        }
        let ch = usize::from(self.channels.max(1));
        Ok((out.len() - before) / ch)
    }
}

fn symphonia(
    id: symphonia_core::codecs::audio::AudioCodecId,
    track: &AudioTrack,
    extra: Option<&[u8]>,
) -> Result<Inner, EngineError> {
    let mut params = AudioCodecParameters::new();
    params.for_codec(id).with_sample_rate(track.sample_rate);
    if let Some(ch) = layout(track.channels) {
        params.with_channels(ch);
    }
    if let Some(extra) = extra {
        params.with_extra_data(extra.to_vec().into_boxed_slice());
    }
    // Gapless trimming is ours (AudioTrack::priming and the range), so the decoder keeps all.
    let opts = AudioDecoderOptions::default().gapless(false);
    let dec: Box<dyn AudioDecoder> = match id {
        CODEC_ID_MP3 => {
            Box::new(symphonia_bundle_mp3::MpaDecoder::try_new(&params, &opts).map_err(bad)?)
        }
        CODEC_ID_FLAC => {
            Box::new(symphonia_bundle_flac::FlacDecoder::try_new(&params, &opts).map_err(bad)?)
        }
        CODEC_ID_VORBIS => {
            Box::new(symphonia_codec_vorbis::VorbisDecoder::try_new(&params, &opts).map_err(bad)?)
        }
        _ => Box::new(symphonia_codec_alac::AlacDecoder::try_new(&params, &opts).map_err(bad)?),
    };
    Ok(Inner::Symphonia(dec, Vec::new()))
}

/// The WAV-order layout of `n` channels, for decoders that want one.
fn layout(n: u16) -> Option<Channels> {
    use symphonia_core::audio::Position as P;
    let pos = match n {
        1 => P::FRONT_CENTER,
        2 => P::FRONT_LEFT | P::FRONT_RIGHT,
        6 => {
            P::FRONT_LEFT
                | P::FRONT_RIGHT
                | P::FRONT_CENTER
                | P::LFE1
                | P::REAR_LEFT
                | P::REAR_RIGHT
        }
        0 => return None,
        n => return Some(Channels::Discrete(n)),
    };
    Some(Channels::Positioned(pos))
}

/// The 34-byte STREAMINFO, whether the container stored it bare, after "fLaC", or as a whole
/// metadata block.
fn flac_streaminfo(track: &AudioTrack) -> Result<&[u8], EngineError> {
    let mut b = track.codec_private.as_slice();
    if b.starts_with(b"fLaC") {
        b = &b[4..];
    }
    if b.len() >= 38 && b[0] & 0x7f == 0 && b[1..4] == [0, 0, 34] {
        b = &b[4..];
    }
    b.get(..34).ok_or_else(|| bad("FLAC set-up: no STREAMINFO"))
}

/// Opus from its OpusHead: 48 kHz output, the head's output gain applied.
fn opus(track: &AudioTrack) -> Result<Decoder, EngineError> {
    let head = &track.codec_private;
    let (channels, gain_q8) = if head.len() >= 19 && head.starts_with(b"OpusHead") {
        if head[18] != 0 {
            return Err(EngineError::Unsupported(
                "Opus with more than two channels is decoded by the server".into(),
            ));
        }
        (u16::from(head[9]), i16::from_le_bytes([head[16], head[17]]))
    } else {
        (track.channels, 0)
    };
    if !(1..=2).contains(&channels) {
        return Err(EngineError::Unsupported(format!(
            "Opus with {channels} channels is decoded by the server"
        )));
    }
    let decoder = opus_decoder::OpusDecoder::new(48_000, usize::from(channels))
        .map_err(|e| bad(format!("Opus set-up: {e}")))?;
    Ok(Decoder {
        inner: Inner::Opus {
            decoder: Box::new(decoder),
            buf: Vec::new(),
            gain: 10f32.powf(f32::from(gain_q8) / 256.0 / 20.0),
        },
        sample_rate: 48_000,
        channels,
    })
}

/// Raw PCM to `f32`. 8-bit is unsigned, as WAV and AVI store it.
fn pcm(data: &[u8], bits: u16, float: bool, be: bool, out: &mut Vec<f32>) {
    let width = usize::from(bits / 8);
    for s in data.chunks_exact(width) {
        let mut b = [0u8; 8];
        b[..width].copy_from_slice(s);
        if be {
            b[..width].reverse();
        }
        let v = match (bits, float) {
            (8, _) => (f32::from(b[0]) - 128.0) / 128.0,
            (16, _) => f32::from(i16::from_le_bytes([b[0], b[1]])) / 32_768.0,
            (24, _) => (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0,
            (32, false) => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
            (32, true) => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            _ => f64::from_le_bytes(b) as f32,
        };
        out.push(v);
    }
}
