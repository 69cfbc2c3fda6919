//! A job whose output is encoded outside this instance: by the host (Opus through WebCodecs'
//! `AudioEncoder`), which takes the PCM after each step, gives its packets back, and is
//! flushed before the job ends; or by a second instance of the engine
//! ([`crate::codec::encode::Outboard`]), which takes the same PCM and makes the whole file.

use super::{Counting, Job, Outcome, Work};
use crate::codec::encode::{EncoderSpec, HostOpus, PcmBlock, PcmOutbox};
use crate::{EngineError, Sink};

impl Job {
    /// The bit rate (bit/s) to ask of the host's Opus encoder, when the host encodes this job's
    /// output.
    pub fn host_bitrate(&self) -> Option<u32> {
        match &self.work {
            Work::Encode { transcoder, .. } => transcoder.host_bitrate(),
            Work::Copy(_) => None,
        }
    }

    fn host_opus(&mut self) -> Option<&mut HostOpus> {
        match &mut self.work {
            Work::Encode { transcoder, .. } => transcoder.host_opus(),
            Work::Copy(_) => None,
        }
    }

    fn outbox(&mut self) -> Option<&mut PcmOutbox> {
        match &mut self.work {
            Work::Encode { transcoder, .. } => transcoder.outbox(),
            Work::Copy(_) => None,
        }
    }

    /// Whether a second instance of the engine encodes this job's output (the host offered
    /// one and the format pays for it).
    pub fn encodes_outboard(&self) -> bool {
        match &self.work {
            Work::Encode { transcoder, .. } => transcoder.encodes_outboard(),
            Work::Copy(_) => false,
        }
    }

    /// The encoder the second instance builds, once the output pass has begun (with the first
    /// PCM block).
    pub fn outboard_spec(&self) -> Option<EncoderSpec> {
        match &self.work {
            Work::Encode { transcoder, .. } => transcoder.outboard_spec(),
            Work::Copy(_) => None,
        }
    }

    /// PCM for the encoder outside that the last steps made (interleaved), if any. The host
    /// takes it after every step, so it is at most a step's worth.
    pub fn take_pcm(&mut self) -> Option<PcmBlock> {
        self.outbox()?.take()
    }

    /// A packet from the host's encoder, in order: its bytes, timestamp (µs) and, when the
    /// encoder gives one, its description (OpusHead). Written to `sink` as Ogg pages.
    pub fn push_encoded(
        &mut self,
        data: &[u8],
        timestamp: f64,
        description: Option<&[u8]>,
        sink: &mut dyn Sink,
    ) -> Result<(), EngineError> {
        let mut size = self.size;
        let result = match self.host_opus() {
            Some(host) => host.push_packet(
                data,
                timestamp,
                description,
                &mut Counting {
                    sink,
                    written: &mut size,
                },
            ),
            None => Err(EngineError::Write(
                "this job encodes nothing on the host".into(),
            )),
        };
        self.size = size;
        result
    }

    /// Ends the job once the second instance has made the file, `size` bytes (after
    /// [`super::Step::Flush`]): this instance wrote none of it.
    pub fn finish_outboard(&mut self, size: u64) -> Result<Outcome, EngineError> {
        if let Some(done) = &self.done {
            return Ok(done.clone());
        }
        // Only a job whose whole file the other instance made (not one in parts).
        let whole = self.outbox().is_some() && self.host_bitrate().is_none();
        let Some(duration) = self.flushing.filter(|_| whole) else {
            return Err(EngineError::Write(
                "the encoder outside ended before all the sound was given".into(),
            ));
        };
        Ok(self.encoded(duration, size))
    }

    /// The job done: a file encoded outside this instance, `duration` seconds and `size`
    /// bytes.
    pub(super) fn encoded(&mut self, duration: f64, size: u64) -> Outcome {
        let outcome = Outcome {
            extension: self.plan.extension,
            mime: self.plan.mime,
            duration,
            size,
            copied: false,
            inexact_cut: None,
        };
        self.done = Some(outcome.clone());
        outcome
    }

    /// Ends the file once the host's encoder is flushed (after [`super::Step::Flush`]).
    pub fn finish_encoded(&mut self, sink: &mut dyn Sink) -> Result<Outcome, EngineError> {
        if let Some(done) = &self.done {
            return Ok(done.clone());
        }
        if self.flushing.is_none() {
            return Err(EngineError::Write(
                "the host's encoder was flushed before all the sound was given".into(),
            ));
        }
        let mut size = self.size;
        let result = match self.host_opus() {
            Some(host) => host.finish_mux(&mut Counting {
                sink,
                written: &mut size,
            }),
            None => Err(EngineError::Write(
                "this job encodes nothing on the host".into(),
            )),
        };
        self.size = size;
        Ok(self.encoded(result?, size))
    }
}
