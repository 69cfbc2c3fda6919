//! A plan run step by step: each step reads and writes a bounded amount, then reports progress,
//! so the caller can show it and cancel between steps (the browser binding yields to the event
//! loop between steps; cancelling is not calling `step` again).

use v2a_protocol::text::Key;
use v2a_protocol::ExtractionSpec;

use crate::codec::transcode::Transcoder;
use crate::demux::{self, Demuxer};
use crate::mux::{self, vorbis_headers, Muxer, VorbisBlocks};
use crate::plan::{self, codec_name, Host, NeedsServer, Plan};
use crate::{AudioTrack, Codec, EngineError, Packet, Probe, Sink, Source};

mod host;
mod parts;

/// How far a job is.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    /// Bytes read from the input so far, of `bytes_total`.
    pub bytes_read: u64,
    pub bytes_total: u64,
    /// Seconds of sound written so far, of `seconds_total`.
    pub seconds_done: f64,
    pub seconds_total: f64,
}

/// What a finished job made.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub extension: &'static str,
    pub mime: &'static str,
    /// Seconds.
    pub duration: f64,
    /// Bytes written.
    pub size: u64,
    /// The packets were copied (no re-encoding).
    pub copied: bool,
    /// A copy's cut falls on a packet boundary, not exactly where asked: the actual (start, end)
    /// in seconds.
    pub inexact_cut: Option<(f64, f64)>,
}

/// The state of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Working(Progress),
    /// All the sound is given to the encoder outside ([`Job::take_pcm`]). The host's Opus
    /// encoder is flushed, gives back its last packets ([`Job::push_encoded`]) and the job
    /// ends with [`Job::finish_encoded`]; a second instance ends its file and the job ends with
    /// [`Job::finish_outboard`]; a VBR MP3's parts ([`Job::take_part`]) all come back
    /// ([`Job::push_part`]) and the job ends with [`Job::finish_parts`]. Steps say this again
    /// until then.
    Flush(Progress),
    Done(Outcome),
}

/// Whether a job can run here: the probe and plan, or why not.
#[allow(clippy::large_enum_variant)] // made once per job, matched at once
pub enum Opened {
    Ready(Job),
    /// The input is readable, but this request needs the server.
    NeedsServer(Probe, NeedsServer),
}

/// A step's budget: copies read up to this many bytes (a few Blob slices); re-encodes stop
/// after this many seconds of sound (decoding and encoding are the cost there).
const STEP_BYTES: u64 = 2 << 20;
const STEP_SECONDS_ENCODE: f64 = 2.0;
/// At most this many packets a step, so a step stays short whatever the packets' size.
const STEP_PACKETS: usize = 4096;
/// Cuts within this of the asked time are exact (a millisecond).
const EXACT: f64 = 0.001;
/// A re-encode gets this much sound before and after its range: decoders need the packet
/// before (overlapping transforms) to give the first kept samples right; the transcoder cuts
/// at the exact sample.
const ENCODE_MARGIN: f64 = 0.25;

enum Work {
    Copy(Option<Box<dyn Muxer>>),
    Encode {
        transcoder: Box<Transcoder>,
        measuring: bool,
    },
}

/// One extraction.
pub struct Job {
    probe: Probe,
    plan: Plan,
    demux: Box<dyn Demuxer>,
    work: Work,
    bytes_total: u64,
    /// Bytes written to the sink.
    size: u64,
    /// Presentation seconds of the first and the end of the last packet kept.
    kept: Option<(f64, f64)>,
    done: Option<Outcome>,
    /// Vorbis packets' lengths, which their containers rarely say.
    vorbis: Option<VorbisBlocks>,
    /// The output's seconds, once all the sound is given to the host's encoder.
    flushing: Option<f64>,
}

/// Counts what goes into the caller's sink.
struct Counting<'a> {
    sink: &'a mut dyn Sink,
    written: &'a mut u64,
}

impl Sink for Counting<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        *self.written += bytes.len() as u64;
        self.sink.write(bytes)
    }
    fn patch_head(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        self.sink.patch_head(bytes)
    }
}

impl Job {
    /// Probes `source` and plans `spec` on it. An input with no audio track is
    /// [`EngineError::NoAudio`]: no server could do more with it.
    pub fn open(source: Box<dyn Source>, spec: &ExtractionSpec) -> Result<Opened, EngineError> {
        Self::open_on(source, spec, &Host::default())
    }

    /// [`Job::open`] on a host that offers `host`'s encoders besides the engine's own.
    pub fn open_on(
        source: Box<dyn Source>,
        spec: &ExtractionSpec,
        host: &Host,
    ) -> Result<Opened, EngineError> {
        let bytes_total = source.len();
        let mut demux = demux::open(source)?;
        let probe = demux.probe().clone();
        if probe.tracks.is_empty() {
            return Err(EngineError::NoAudio);
        }
        let plan = match plan::plan(spec, &probe, host) {
            Ok(p) => p,
            Err(why) => return Ok(Opened::NeedsServer(probe, why)),
        };
        demux.select(plan.track.index)?;
        let work = if plan.copy {
            if !mux::can_copy(&plan.track.codec) {
                let why = NeedsServer {
                    key: Key::EngineCodecNeedsServer,
                    args: vec![("codec", codec_name(&plan.track.codec))],
                };
                return Ok(Opened::NeedsServer(probe, why));
            }
            Work::Copy(None)
        } else {
            match Transcoder::on(&plan.track, spec, plan.range, host) {
                Ok(transcoder) => Work::Encode {
                    measuring: transcoder.needs_measure_pass(),
                    transcoder: Box::new(transcoder),
                },
                Err(EngineError::Unsupported(_)) => {
                    let why = plan::encode_needs_server(plan.format, &plan.track, host);
                    return Ok(Opened::NeedsServer(probe, why));
                }
                Err(e) => return Err(e),
            }
        };
        if let Some((start, _)) = plan.range.filter(|r| r.0 > 0.0) {
            demux.seek(seek_point(start, &work))?;
        }
        Ok(Opened::Ready(Job {
            probe,
            demux,
            work,
            bytes_total,
            size: 0,
            kept: None,
            done: None,
            vorbis: match plan.track.codec {
                Codec::Vorbis => vorbis_headers(&plan.track.codec_private)
                    .and_then(|[id, _, setup]| VorbisBlocks::new(&id, &setup))
                    .ok(),
                _ => None,
            },
            plan,
            flushing: None,
        }))
    }
    /// What the input holds.
    pub fn probe(&self) -> &Probe {
        &self.probe
    }
    /// How the job is done.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
    /// The selected track's (start, end) in seconds.
    fn bounds(&self) -> (f64, f64) {
        self.plan.range.unwrap_or((0.0, self.probe.duration))
    }

    /// The next window of the input to fetch ahead of the job's reads (see
    /// [`Demuxer::window_ahead`]), or `None`.
    pub fn window_ahead(&mut self) -> Option<(u64, u64)> {
        if self.done.is_some() {
            return None;
        }
        // A re-encode reads a little past its range's end; nothing after that is read.
        let until = match (&self.work, self.plan.range) {
            (_, None) => f64::INFINITY,
            (Work::Copy(_), Some((_, end))) => end,
            (Work::Encode { .. }, Some((_, end))) => end + ENCODE_MARGIN,
        };
        self.demux.window_ahead(until)
    }
    /// Packets in hand: while some are left, the next packet needs no read.
    pub fn buffered(&self) -> usize {
        self.demux.buffered()
    }
    /// Passes over the input so far (a loudness job makes two).
    pub fn pass(&self) -> u32 {
        self.demux.pass()
    }

    /// How far the job is (also after it is done: the bytes it read in all).
    pub fn progress(&self) -> Progress {
        let (start, end) = self.bounds();
        let seconds_done = match &self.work {
            Work::Copy(_) => self.kept.map(|(_, e)| e - start).unwrap_or(0.0),
            Work::Encode { transcoder, .. } => transcoder.seconds_done(),
        };
        Progress {
            bytes_read: self.demux.bytes_read(),
            bytes_total: self.bytes_total,
            seconds_done: seconds_done.clamp(0.0, end - start),
            seconds_total: end - start,
        }
    }

    /// Does a bounded amount of work, writing to `sink`.
    pub fn step(&mut self, sink: &mut dyn Sink) -> Result<Step, EngineError> {
        if let Some(done) = &self.done {
            return Ok(Step::Done(done.clone()));
        }
        if self.flushing.is_some() {
            return Ok(Step::Flush(self.progress()));
        }
        let mut size = self.size;
        let result = self.step_counted(&mut Counting {
            sink,
            written: &mut size,
        });
        self.size = size;
        match result? {
            Step::Done(mut outcome) => {
                outcome.size = size;
                self.done = Some(outcome.clone());
                Ok(Step::Done(outcome))
            }
            working => Ok(working),
        }
    }

    fn step_counted(&mut self, sink: &mut dyn Sink) -> Result<Step, EngineError> {
        let (start, _) = self.bounds();
        // Without a range every packet is kept, even past a duration the header understates.
        let end = self.plan.range.map(|r| r.1).unwrap_or(f64::INFINITY);
        let track = self.plan.track.clone();
        let from_start = start <= 0.0;
        if let Work::Copy(muxer @ None) = &mut self.work {
            let to_end = self
                .plan
                .range
                .map_or(true, |r| r.1 >= self.probe.duration - EXACT);
            // Matroska's duration is on the packets' timeline; MP4's here is presentation time.
            let matroska = self.probe.container == crate::Container::Matroska;
            let end_hint = (to_end && matroska).then_some(self.probe.duration);
            *muxer = Some(mux::start(&track, from_start, end_hint, sink)?);
        }
        let read_at_start = self.demux.bytes_read();
        let mut seconds = 0.0;
        let mut packets = 0;
        let copy = matches!(self.work, Work::Copy(_));
        let (start, end) = if copy {
            (start, end)
        } else {
            (start - ENCODE_MARGIN, end + ENCODE_MARGIN)
        };
        loop {
            let Some(packet) = self.demux.next_packet()? else {
                return self.end_of_pass(sink);
            };
            let t0 = track.seconds(packet.pts);
            let t1 = t0 + packet_seconds(&track, &packet, self.vorbis.as_mut());
            if t0 >= end - EXACT {
                return self.end_of_pass(sink);
            }
            if start > 0.0 && t1 <= start + EXACT && t1 > t0 {
                continue;
            }
            match &mut self.work {
                Work::Copy(Some(muxer)) => {
                    muxer.write(&packet, sink)?;
                    let first = self.kept.map(|k| k.0).unwrap_or(t0);
                    self.kept = Some((first, t1));
                }
                Work::Copy(None) => {}
                Work::Encode {
                    transcoder,
                    measuring: true,
                } => transcoder.measure(&packet)?,
                Work::Encode { transcoder, .. } => {
                    transcoder.push(&packet, sink)?;
                    let first = self.kept.map(|k| k.0).unwrap_or(t0);
                    self.kept = Some((first, t1));
                }
            }
            seconds += t1 - t0;
            packets += 1;
            // A step ends with the packets it read in hand, so that the caller can fetch the
            // next ones ahead (`Demuxer::window_ahead`) before the next step needs them.
            let run_used = self.demux.buffered() == 0 && self.demux.bytes_read() > read_at_start;
            let budget_spent = packets >= STEP_PACKETS
                || run_used
                || match self.work {
                    Work::Copy(_) => self.demux.bytes_read() - read_at_start >= STEP_BYTES,
                    Work::Encode { .. } => seconds >= STEP_SECONDS_ENCODE,
                };
            if budget_spent {
                return Ok(Step::Working(self.progress()));
            }
        }
    }

    /// The selected range's packets are all seen: a measuring pass starts the output pass,
    /// any other finishes the file.
    fn end_of_pass(&mut self, sink: &mut dyn Sink) -> Result<Step, EngineError> {
        let (start, end) = self.bounds();
        if let Work::Encode {
            measuring,
            transcoder,
        } = &mut self.work
        {
            if *measuring {
                // A limited gain lowers the loudness: the transcoder may want a pass that
                // measures what gain and limiter make, and retunes them, as the server does.
                *measuring = transcoder.end_measure_pass()?;
                self.kept = None;
                self.demux.select(self.plan.track.index)?;
                if start > 0.0 {
                    self.demux.seek(seek_point(start, &self.work))?;
                }
                return Ok(Step::Working(self.progress()));
            }
        }
        let (duration, copied, inexact_cut) = match &mut self.work {
            Work::Copy(muxer) => {
                let mut written = None;
                if let Some(m) = muxer {
                    m.finish(sink)?;
                    written = m.seconds();
                }
                let (first, last) = self.kept.unwrap_or((start, start));
                // The priming before 0 is hidden by the output's edit list or pre-skip.
                let first = if start <= 0.0 { first.max(0.0) } else { first };
                let first = written.map_or(first, |w| (last - w).max(first));
                let cut = (first - start).abs() > EXACT
                    || (end < self.probe.duration - EXACT && (last - end).abs() > EXACT);
                (last - first, true, cut.then_some((first, last)))
            }
            Work::Encode { transcoder, .. } => {
                let seconds = transcoder.finish(sink)?;
                // Encoded elsewhere: the file ends once that encoder is flushed.
                if transcoder.outbox().is_some() || transcoder.mp3_parts().is_some() {
                    self.flushing = Some(seconds);
                    return Ok(Step::Flush(self.progress()));
                }
                (seconds, false, None)
            }
        };
        Ok(Step::Done(Outcome {
            extension: self.plan.extension,
            mime: self.plan.mime,
            duration,
            // Counted by `step`, which sees every write.
            size: 0,
            copied,
            inexact_cut,
        }))
    }
}

/// Where to seek for a range starting at `start`: a re-encode starts a little before.
fn seek_point(start: f64, work: &Work) -> f64 {
    match work {
        Work::Copy(_) => start,
        Work::Encode { .. } => (start - ENCODE_MARGIN).max(0.0),
    }
}

/// A packet's length in seconds: its container's duration, or what its codec says when the
/// container has none (Matroska often does not say).
fn packet_seconds(track: &AudioTrack, packet: &Packet, vorbis: Option<&mut VorbisBlocks>) -> f64 {
    if packet.duration > 0 {
        return f64::from(packet.duration) / f64::from(track.timescale.max(1));
    }
    let rate = f64::from(track.sample_rate.max(1));
    match track.codec {
        Codec::Opus => crate::mux::opus_samples(&packet.data) as f64 / 48_000.0,
        Codec::Flac => f64::from(crate::mux::flac_samples(&packet.data)) / rate,
        Codec::Aac => 1024.0 / rate,
        Codec::Vorbis => vorbis
            .map(|v| v.samples(&packet.data) as f64 / rate)
            .unwrap_or(0.0),
        Codec::Mp3 => {
            let mpeg1 = packet.data.get(1).is_some_and(|b| b & 0x18 == 0x18);
            (if mpeg1 { 1152.0 } else { 576.0 }) / rate
        }
        _ => 0.0,
    }
}
