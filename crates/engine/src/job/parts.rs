//! A job whose VBR MP3 is encoded in parts by other instances of the engine
//! ([`crate::codec::encode::Mp3Parts`]): the parts it cuts, the frames that come back, and
//! the end once all are in.

use super::{Counting, Job, Outcome, Work};
use crate::codec::encode::{Mp3Part, Mp3Parts};
use crate::EngineError;
use crate::Sink;

impl Job {
    fn mp3_parts(&mut self) -> Option<&mut Mp3Parts> {
        match &mut self.work {
            Work::Encode { transcoder, .. } => transcoder.mp3_parts(),
            Work::Copy(_) => None,
        }
    }

    /// The next part to encode elsewhere ([`crate::codec::encode::encode_part`] with
    /// [`Job::outboard_spec`]), if one is cut. Taken after every step.
    pub fn take_part(&mut self) -> Option<Mp3Part> {
        self.mp3_parts()?.take()
    }

    /// Part `index`'s frames and their lengths, as `encode_part` gave them, in any order.
    pub fn push_part(
        &mut self,
        index: u32,
        bytes: Vec<u8>,
        lengths: Vec<u32>,
        sink: &mut dyn Sink,
    ) -> Result<(), EngineError> {
        let mut size = self.size;
        let result = match self.mp3_parts() {
            Some(parts) => parts.put(
                index,
                bytes,
                lengths,
                &mut Counting {
                    sink,
                    written: &mut size,
                },
            ),
            None => Err(not_in_parts()),
        };
        self.size = size;
        result
    }

    /// Ends the file once every part is back (after [`super::Step::Flush`]).
    pub fn finish_parts(&mut self, sink: &mut dyn Sink) -> Result<Outcome, EngineError> {
        if let Some(done) = &self.done {
            return Ok(done.clone());
        }
        let Some(duration) = self.flushing else {
            return Err(EngineError::Write(
                "the MP3 was ended before all the sound was given".into(),
            ));
        };
        let mut size = self.size;
        let result = match self.mp3_parts() {
            Some(parts) => parts.finish_file(&mut Counting {
                sink,
                written: &mut size,
            }),
            None => Err(not_in_parts()),
        };
        self.size = size;
        result?;
        Ok(self.encoded(duration, size))
    }
}

fn not_in_parts() -> EngineError {
    EngineError::Write("this job's MP3 is not encoded in parts".into())
}
