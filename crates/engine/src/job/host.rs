//! A job whose output the host encodes (Opus through WebCodecs' `AudioEncoder`): the PCM it
//! takes after each step, the packets it gives back, and the end once it is flushed.

use super::{Counting, Job, Outcome, Work};
use crate::codec::encode::{HostOpus, PcmBlock};
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

    /// PCM for the host's encoder that the last steps made (48 kHz, interleaved), if any. The
    /// host takes it after every step, so it is at most a step's worth.
    pub fn take_pcm(&mut self) -> Option<PcmBlock> {
        self.host_opus()?.take_pcm()
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

    /// Ends the file once the host's encoder is flushed (after [`Step::Flush`]).
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
        let outcome = Outcome {
            extension: self.plan.extension,
            mime: self.plan.mime,
            duration: result?,
            size,
            copied: false,
            inexact_cut: None,
        };
        self.done = Some(outcome.clone());
        Ok(outcome)
    }
}
