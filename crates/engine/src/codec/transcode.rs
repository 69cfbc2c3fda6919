//! Re-encoding one track: decoder → trim → channel mix → resample → loudness → encoder.
//!
//! The job ([`crate::job`]) feeds it packets; with loudness normalisation it takes two passes
//! over the packets (measure, then apply), like the server's measure-then-gain. Each packet is
//! decoded, processed and encoded as it comes, so memory stays bounded whatever the length.

use v2a_protocol::{ExtractionSpec, Loudness, OutputFormat, Quality};

use super::chain::Chain;
use super::decode::Decoder;
use super::encode::{
    aac_sample_rate, in_parts, EncoderSpec, HostOpus, Mp3Parts, Outboard, Output, PcmOutbox,
    WavSample, AAC_MAX_CHANNELS, OPUS_RATE,
};
use super::formats;
use crate::dsp::limiter::Limiter;
use crate::dsp::loudness::{self, Meter};
use crate::dsp::mix::Mixer;
use crate::dsp::resample::Resampler;
use crate::dsp::trim::Trim;
use crate::plan::Host;
use crate::{AudioTrack, Codec, EngineError, Packet, Sink};

/// Measuring passes of a limited gain after the first, at most (the server's "a few times").
const MAX_CHECKS: u32 = 2;

/// Decode errors in a row after which the track is taken as unreadable; fewer are skipped
/// (a damaged packet costs its few milliseconds, as with ffmpeg).
const MAX_BAD_PACKETS: u32 = 16;

/// One track being re-encoded.
pub struct Transcoder {
    // One pointer: the job keeps a Transcoder in an enum beside small variants.
    state: Box<State>,
}

struct State {
    track: Box<AudioTrack>,
    range: Option<(f64, f64)>,
    output: Output,
    extension: &'static str,
    mime: &'static str,
    /// Asked channel count (1 or 2), if any.
    channels: Option<u16>,
    /// Asked sample rate, if any.
    sample_rate: Option<u32>,
    loudness: Option<Loudness>,
    decoder: Decoder,
    decoded: Vec<f32>,
    chain: Option<Box<Chain>>,
    /// The gain to apply, once the first measuring pass is over.
    level: Option<loudness::Gain>,
    /// Measuring passes done, and whether the level needs no more.
    passes: u32,
    tuned: bool,
    measuring: bool,
    bad_packets: u32,
    last_frames: usize,
    /// The host runs the encoder in a second instance ([`Host::outboard_encoder`]).
    outboard: bool,
}

impl Transcoder {
    /// A transcoder for `track` as `spec` asks, keeping `range` (seconds, clamped) of it.
    pub fn new(
        track: &AudioTrack,
        spec: &ExtractionSpec,
        range: Option<(f64, f64)>,
    ) -> Result<Self, EngineError> {
        Self::on(track, spec, range, &Host::default())
    }
    /// [`Transcoder::new`] on a host that offers `host`'s encoders (Opus) besides the engine's.
    pub fn on(
        track: &AudioTrack,
        spec: &ExtractionSpec,
        range: Option<(f64, f64)>,
        host: &Host,
    ) -> Result<Self, EngineError> {
        Ok(Self {
            state: Box::new(State::new(track, spec, range, host)?),
        })
    }
    /// The bit rate the host's Opus encoder is asked for, when the host encodes this output.
    pub fn host_bitrate(&self) -> Option<u32> {
        match self.state.output {
            Output::HostOpus(bps) => Some(bps),
            _ => None,
        }
    }
    /// The Opus stream the host encodes, once its output pass has begun.
    pub fn host_opus(&mut self) -> Option<&mut HostOpus> {
        self.output_encoder()?.host_opus()
    }
    /// The PCM handed out to be encoded elsewhere (the host's Opus encoder, or a second
    /// instance), once the output pass has begun.
    pub fn outbox(&mut self) -> Option<&mut PcmOutbox> {
        self.output_encoder()?.outbox()
    }
    /// The parts other instances encode, for a VBR MP3 encoded in parts, once the output pass
    /// has begun.
    pub fn mp3_parts(&mut self) -> Option<&mut Mp3Parts> {
        self.output_encoder()?.mp3_parts()
    }
    /// Whether the output is encoded in other instances of the engine ([`Outboard`],
    /// [`Mp3Parts`]).
    pub fn encodes_outboard(&self) -> bool {
        self.state.outboard
    }
    /// What the second instance builds, once the output pass has begun.
    pub fn outboard_spec(&self) -> Option<EncoderSpec> {
        let s = &self.state;
        if s.measuring {
            return None;
        }
        s.chain.as_ref()?.encoder.as_ref()?.outboard().copied()
    }
    fn output_encoder(&mut self) -> Option<&mut Box<dyn super::encode::Encoder>> {
        let s = &mut self.state;
        if s.measuring {
            return None;
        }
        s.chain.as_mut()?.encoder.as_mut()
    }
    /// The output's file extension and MIME type.
    pub fn output(&self) -> (&'static str, &'static str) {
        (self.state.extension, self.state.mime)
    }
    /// Whether a measuring pass over every packet must come (first) before the output pass:
    /// loudness, and again after [`Transcoder::end_measure_pass`] says so.
    pub fn needs_measure_pass(&self) -> bool {
        !self.state.tuned
    }
    /// Ends a measuring pass; returns whether another one is wanted. The first pass measures
    /// the input; when its gain needs the limiter, a pass measures what gain and limiter make
    /// and retunes them (limiting lowers the loudness), as the server's check passes do. A job
    /// that goes straight to [`Transcoder::push`] instead gets the best level measured so far.
    pub fn end_measure_pass(&mut self) -> Result<bool, EngineError> {
        self.state.end_measuring()?;
        Ok(!self.state.tuned)
    }
    /// Seconds before the range's start the job should seek to, so that a lossy decoder's
    /// output has settled (MDCT overlap, MP3's bit reservoir, Opus's 80 ms) when the kept
    /// part begins; what comes before the start is decoded and dropped.
    pub fn preroll(&self) -> f64 {
        match self.state.track.codec {
            Codec::Flac | Codec::Pcm { .. } | Codec::Alac => 0.0,
            _ => 0.1,
        }
    }
    /// A packet of the measuring pass.
    pub fn measure(&mut self, packet: &Packet) -> Result<(), EngineError> {
        self.state.measuring = true;
        self.state.run(packet, None)
    }
    /// A packet of the output pass.
    pub fn push(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.state.end_measuring()?;
        self.state.run(packet, Some(sink))
    }
    /// Flushes the encoder; returns the seconds of sound written.
    pub fn finish(&mut self, sink: &mut dyn Sink) -> Result<f64, EngineError> {
        self.state.finish(sink)
    }
    /// Seconds of sound written so far.
    pub fn seconds_done(&self) -> f64 {
        let s = &self.state;
        s.chain
            .as_ref()
            .filter(|_| !s.measuring)
            .map_or(0.0, |c| c.seconds())
    }
}

impl State {
    fn new(
        track: &AudioTrack,
        spec: &ExtractionSpec,
        range: Option<(f64, f64)>,
        host: &Host,
    ) -> Result<Self, EngineError> {
        let (format, quality) = crate::plan::encode_target(spec, &track.codec);
        let (extension, mime) = formats::container(format, host)?;
        let output = match format {
            OutputFormat::Mp3 => Output::Mp3(formats::mp3_rate(quality)),
            OutputFormat::M4a => Output::Aac(formats::aac_kbps(quality)),
            OutputFormat::Opus => Output::HostOpus(formats::opus_bps(quality)),
            OutputFormat::Flac => Output::Flac(if source_bits(track) >= 24 { 24 } else { 16 }),
            _ => Output::Wav(wav_sample(&track.codec)),
        };
        let channels = match spec.channels.or((quality == Quality::Voice).then_some(1)) {
            None => None,
            Some(n @ (1 | 2)) => Some(n as u16),
            Some(n) => {
                return Err(EngineError::Unsupported(format!(
                    "{n} output channels are made by the server"
                )))
            }
        };
        // Surround AAC needs channel layouts rusty_aac lacks; surround Opus needs a mapping
        // family 1 encoder, which WebCodecs does not offer (Chromium: stereo at most).
        let most = match output {
            Output::Aac(_) => AAC_MAX_CHANNELS,
            Output::HostOpus(_) => 2,
            _ => u16::MAX,
        };
        if channels.is_none() && track.channels > most {
            return Err(EngineError::Unsupported(format!(
                "{} of {} channels is made by the server",
                format.label(),
                track.channels
            )));
        }
        let range = range.or(track.duration.map(|d| (0.0, d)));
        let outboard = host.outboard_encoder && output.pays_outboard();
        Ok(Self {
            track: Box::new(track.clone()),
            range,
            output,
            extension,
            mime,
            channels,
            sample_rate: spec.sample_rate.filter(|r| *r > 0),
            loudness: spec.loudness,
            decoder: Decoder::new(track)?,
            decoded: Vec::new(),
            chain: None,
            level: None,
            passes: 0,
            tuned: spec.loudness.is_none(),
            measuring: false,
            bad_packets: 0,
            last_frames: 0,
            outboard,
        })
    }
    /// Flushes the encoder; returns the seconds of sound written.
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<f64, EngineError> {
        self.end_measuring()?;
        if self.chain.is_none() {
            // Nothing decoded (an empty range): still a valid, empty file.
            self.chain = Some(Box::new(self.build_chain()?));
        }
        let Some(chain) = self.chain.as_mut() else {
            return Ok(0.0);
        };
        chain.finish(sink)?;
        Ok(chain.seconds())
    }
    /// After a measuring pass: its result, and a fresh decoder for the next pass.
    fn end_measuring(&mut self) -> Result<(), EngineError> {
        if !self.measuring {
            return Ok(());
        }
        self.measuring = false;
        let mut chain = self.chain.take();
        if let Some(c) = chain.as_mut() {
            c.finish_measuring()?;
        }
        let measured = chain
            .and_then(|c| c.meter)
            .map(|m| m.result())
            .transpose()?;
        if let (Some(m), Some(target)) = (measured, self.loudness) {
            let next = match &self.level {
                None => loudness::gain_for(&m, target),
                Some(level) => loudness::retune(level, &m, target),
            };
            self.passes += 1;
            match next {
                Some(level) => {
                    self.tuned = level.limit.is_none() || self.passes > MAX_CHECKS;
                    self.level = Some(level);
                }
                None => self.tuned = true,
            }
        } else {
            self.tuned = true;
        }
        self.decoder = Decoder::new(&self.track)?;
        self.bad_packets = 0;
        Ok(())
    }

    fn run(&mut self, packet: &Packet, sink: Option<&mut dyn Sink>) -> Result<(), EngineError> {
        if self.chain.as_ref().is_some_and(|c| c.trim.done()) {
            return Ok(());
        }
        self.decoded.clear();
        let frames = match self.decoder.decode(packet, &mut self.decoded) {
            Ok(n) => {
                self.bad_packets = 0;
                n
            }
            Err(e) => {
                self.bad_packets += 1;
                if self.bad_packets > MAX_BAD_PACKETS {
                    return Err(e);
                }
                // Keep counting time through the lost packet.
                let rate = f64::from(self.decoder.sample_rate);
                let frames = if packet.duration > 0 && self.track.timescale > 0 {
                    (f64::from(packet.duration) * rate / f64::from(self.track.timescale)) as usize
                } else {
                    self.last_frames
                };
                if let Some(chain) = self.chain.as_mut() {
                    chain.trim.keep(frames);
                }
                return Ok(());
            }
        };
        self.last_frames = frames;
        if self.chain.is_none() {
            let mut chain = self.build_chain()?;
            let seconds = packet.pts as f64 / f64::from(self.track.timescale.max(1));
            chain.trim.place(seconds, self.decoder.sample_rate);
            self.chain = Some(Box::new(chain));
        }
        let ch = usize::from(self.decoder.channels.max(1));
        let Some(chain) = self.chain.as_mut() else {
            return Ok(());
        };
        let keep = chain.trim.keep(frames);
        let kept = &self.decoded[keep.start * ch..keep.end * ch];
        chain.process(kept, sink)
    }

    fn build_chain(&mut self) -> Result<Chain, EngineError> {
        let in_rate = self.decoder.sample_rate.max(1);
        let in_channels = self.decoder.channels.max(1);
        // Priming counts samples at the track's rate; HE-AAC decodes at twice it.
        let priming = u64::from(self.track.priming) * u64::from(in_rate)
            / u64::from(self.track.sample_rate.max(1));
        let trim = Trim::new(priming, self.range, in_rate);
        let mut out_channels = self.channels.unwrap_or(in_channels);
        let mut out_rate = self.sample_rate.unwrap_or(in_rate);
        match self.output {
            Output::Mp3(_) => {
                out_channels = out_channels.min(2);
                out_rate = formats::mp3_sample_rate(out_rate);
            }
            Output::Aac(_) => out_rate = aac_sample_rate(out_rate),
            // Opus codes at 48 kHz whatever the rate asked; libopus resamples the same way.
            Output::HostOpus(_) => out_rate = OPUS_RATE,
            _ => {}
        }
        let mixer = Mixer::new(in_channels, out_channels)?;
        // Loudness is measured at the source's rate, after mixing (what the server's passes
        // measure); the gain and limiter work at the output rate.
        let rate = if self.measuring { in_rate } else { out_rate };
        let mut chain = Chain::new(trim, mixer, rate, out_channels, None);
        if let Some(level) = &self.level {
            chain.gain = level.linear();
            chain.limiter = level
                .limit_linear()
                .map(|c| Limiter::new(rate, out_channels, c));
        }
        if self.measuring {
            chain.meter = Some(Meter::new(rate, out_channels)?);
            return Ok(chain);
        }
        if out_rate != in_rate {
            chain.resampler = Some(Resampler::new(in_rate, out_rate, out_channels)?);
        }
        let spec = EncoderSpec {
            output: self.output,
            sample_rate: out_rate,
            channels: out_channels,
            input_rate: in_rate,
        };
        chain.encoder = Some(if self.outboard && in_parts(&spec) {
            Box::new(Mp3Parts::new(spec)?)
        } else if self.outboard {
            // Built here too, unused, so that a spec its encoder refuses fails here and now.
            spec.build()?;
            Box::new(Outboard::new(spec))
        } else {
            spec.build()?
        });
        Ok(chain)
    }
}

/// Bits per sample of a lossless source, where the track says (0 when unknown).
fn source_bits(track: &AudioTrack) -> u16 {
    match &track.codec {
        Codec::Pcm { bits, .. } => *bits,
        // STREAMINFO: bits per sample - 1 in 5 bits straddling bytes 12 and 13.
        Codec::Flac => {
            let si = track
                .codec_private
                .strip_prefix(b"fLaC")
                .unwrap_or(&track.codec_private);
            let si = if si.len() >= 38 && si[0] & 0x7f == 0 {
                &si[4..]
            } else {
                si
            };
            si.get(12..14)
                .map_or(0, |b| (u16::from(b[0] & 1) << 4 | u16::from(b[1] >> 4)) + 1)
        }
        // ALAC cookie: bit depth at byte 5 (after an optional 12-byte atom header).
        Codec::Alac => {
            let c = &track.codec_private;
            let c = if c.len() >= 36 && &c[4..8] == b"alac" {
                &c[12..]
            } else {
                c
            };
            c.get(5).map_or(0, |b| u16::from(*b))
        }
        _ => 0,
    }
}

/// WAV's sample format for a source, as the server picks its PCM encoder: little-endian PCM
/// keeps its format, 24-bit PCM stays 24-bit, everything else is 16-bit.
fn wav_sample(codec: &Codec) -> WavSample {
    match codec {
        Codec::Pcm {
            bits,
            float,
            big_endian: false,
        } => match (bits, float) {
            (8, false) => WavSample::U8,
            (24, false) => WavSample::S24,
            (32, false) => WavSample::S32,
            (32, true) => WavSample::F32,
            (64, true) => WavSample::F64,
            _ => WavSample::S16,
        },
        Codec::Pcm { bits: 24, .. } => WavSample::S24,
        _ => WavSample::S16,
    }
}
