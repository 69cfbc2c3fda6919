//! VBR MP3 encoded in parts by several instances of the engine at once (in the browser, one
//! worker per core): this instance cuts the PCM into parts of whole frames, the others encode
//! them ([`encode_part`]), and the frames come back here to be written in order behind the
//! Info/Xing tag, which is made here over them all.
//!
//! Why parts can be joined: rusty_mp3's VBR frames are reservoir-free (each frame's
//! `main_data_begin` is 0, `bitstream::format`), so a frame depends on no other frame's bytes,
//! only on the encoder's state: the analysis filterbank's last 512 samples, the previous
//! granule (MDCT overlap) and the block-switching state of the frame before (the
//! psychoacoustic model itself is frame-local). A part is therefore encoded from
//! [`PREROLL_FRAMES`] frames before it, whose frames are dropped; its own frames then sit on
//! the frame grid of one encode of the whole (a part starts at a multiple of the frame's
//! samples), and the file has exactly the frames, length and gapless tag one encoder would give
//! (`tests/outboard.rs`, at MPEG-1, -2 and -2.5 rates, stereo and mono). CBR below 320 kbps
//! borrows bits across frames (the bit reservoir), so it is encoded in one piece.

use std::collections::BTreeMap;

use rusty_mp3::encode::lametag::{self, TagInfo, TagStats};
use rusty_mp3::header::FrameHeader;
use rusty_mp3::Mp3EncoderConfig;

use super::{Encoder, EncoderSpec, Output};
use crate::codec::formats::Mp3Rate;
use crate::{EngineError, Sink};

/// Frames in a part: 2.5 s at 44.1 kHz, a few hundred kB of PCM to hand over; small enough
/// that the instances finish together, large enough that the pre-roll costs ~2 %.
pub const PART_FRAMES: usize = 96;
/// Frames encoded before a part and dropped, so that its first frame is made by an encoder in
/// the state one encoder of the whole would be in (the filterbank needs 512 samples and the
/// MDCT one granule of 576 before the part; two frames are 2,304 samples at MPEG-1's 1,152 a
/// frame, 1,152 at MPEG-2/2.5's 576).
pub const PREROLL_FRAMES: usize = 2;

/// One part for another instance: interleaved PCM, the pre-roll first.
#[derive(Debug, Clone, PartialEq)]
pub struct Mp3Part {
    pub index: u32,
    /// The [`PREROLL_FRAMES`] frames before the part (none before the first).
    pub preroll: Vec<f32>,
    /// [`PART_FRAMES`] frames, or for the last part what is left (maybe nothing).
    pub samples: Vec<f32>,
    /// The stream ends with this part: its encoder flushes and pads.
    pub last: bool,
}

/// Whether a spec is encoded in parts: VBR MP3.
pub fn in_parts(spec: &EncoderSpec) -> bool {
    matches!(spec.output, Output::Mp3(Mp3Rate::Vbr(_)))
}

fn config(spec: &EncoderSpec) -> Mp3EncoderConfig {
    match spec.output {
        Output::Mp3(rate) => super::mp3::config(rate),
        _ => Mp3EncoderConfig::default(),
    }
}

fn fail(e: rusty_mp3::Error) -> EngineError {
    EngineError::Write(format!("MP3: {e}"))
}

/// Encodes one part (in another instance): its frames, one after another, and each frame's
/// length.
pub fn encode_part(spec: &EncoderSpec, part: &Mp3Part) -> Result<(Vec<u8>, Vec<u32>), EngineError> {
    let (rate, channels) = (spec.sample_rate, spec.channels);
    let mut encoder = rusty_mp3::Mp3Encoder::new(config(spec));
    // The first push fixes the format, even an empty one.
    encoder
        .push_pcm_f32(&part.preroll, channels, rate)
        .map_err(fail)?;
    encoder
        .push_pcm_f32(&part.samples, channels, rate)
        .map_err(fail)?;
    if part.last {
        encoder.finish();
    }
    let ch = usize::from(channels.max(1));
    let preroll = part.preroll.len() / ch / samples_per_frame(spec)?;
    // The encoder's first packet is its own tag frame; then the pre-roll's frames.
    let skip = 1 + preroll;
    let (mut bytes, mut lengths) = (Vec::new(), Vec::new());
    let mut n = 0;
    loop {
        match encoder.next_packet() {
            Ok(frame) => {
                if n >= skip {
                    bytes.extend_from_slice(&frame);
                    lengths.push(frame.len() as u32);
                }
                n += 1;
            }
            Err(rusty_mp3::Error::Again | rusty_mp3::Error::Eof) => break,
            Err(e) => return Err(fail(e)),
        }
    }
    Ok((bytes, lengths))
}

fn stream_header(spec: &EncoderSpec) -> Result<FrameHeader, EngineError> {
    rusty_mp3::encoder_header(spec.sample_rate, spec.channels, config(spec).bitrate_kbps)
        .map_err(fail)
}

fn samples_per_frame(spec: &EncoderSpec) -> Result<usize, EngineError> {
    Ok(stream_header(spec)?.version.samples_per_frame())
}

/// This instance's side: cuts the PCM into [`Mp3Part`]s, and writes the frames that come back
/// in order behind the tag frame, which it patches at the end.
pub struct Mp3Parts {
    spec: EncoderSpec,
    /// Interleaved samples in a part.
    part_len: usize,
    preroll_len: usize,
    pcm: Vec<f32>,
    /// The end of the last part cut, its pre-roll for the next.
    tail: Vec<f32>,
    out: std::collections::VecDeque<Mp3Part>,
    cut: u32,
    ended: bool,
    /// Per-channel samples given.
    input: u64,
    spf: usize,
    tag_header: FrameHeader,
    stats: TagStats,
    /// Parts encoded and not yet written (they may come back out of order).
    back: BTreeMap<u32, (Vec<u8>, Vec<u32>)>,
    written: u32,
    started: bool,
}

impl Mp3Parts {
    pub fn new(spec: EncoderSpec) -> Result<Self, EngineError> {
        let header = stream_header(&spec)?;
        let spf = header.version.samples_per_frame();
        let ch = usize::from(spec.channels.max(1));
        let tag_header = lametag::tag_header(&header);
        Ok(Self {
            part_len: PART_FRAMES * spf * ch,
            preroll_len: PREROLL_FRAMES * spf * ch,
            pcm: Vec::new(),
            tail: Vec::new(),
            out: Default::default(),
            cut: 0,
            ended: false,
            input: 0,
            spf,
            stats: TagStats::new(tag_header.frame_size()),
            tag_header,
            back: BTreeMap::new(),
            written: 0,
            started: false,
            spec,
        })
    }

    fn info(&self) -> TagInfo {
        // rusty_mp3's own rule (`Mp3Encoder::finish`, `tag_info`, private there): it primes an
        // input shorter than a frame, which is always one part, encoded as one encoder would.
        let extra = if self.input < self.spf as u64 {
            lametag::extra_priming(self.input, self.spf)
        } else {
            0
        };
        let delay = lametag::ENCODER_DELAY + extra;
        TagInfo {
            vbr: true,
            delay,
            padding: lametag::padding_for(self.input, delay, self.spf) as usize,
        }
    }

    fn cut_part(&mut self, len: usize, last: bool) {
        let samples: Vec<f32> = self.pcm.drain(..len).collect();
        let preroll = std::mem::take(&mut self.tail);
        if !last {
            self.tail = samples[samples.len().saturating_sub(self.preroll_len)..].to_vec();
        }
        self.out.push_back(Mp3Part {
            index: self.cut,
            preroll,
            samples,
            last,
        });
        self.cut += 1;
    }

    fn start(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        if !self.started {
            self.started = true;
            // A placeholder of the tag's final length, patched once every frame is in.
            let info = self.info();
            sink.write(&lametag::tag_frame(&self.tag_header, &self.stats, &info))?;
        }
        Ok(())
    }

    /// The next part to encode, if one is cut.
    pub fn take(&mut self) -> Option<Mp3Part> {
        self.out.pop_front()
    }

    /// Parts cut so far, and whether the last one is among them.
    pub fn cut(&self) -> (u32, bool) {
        (self.cut, self.ended)
    }

    /// Part `index`'s frames, encoded by [`encode_part`]; written once those before it are.
    pub fn put(
        &mut self,
        index: u32,
        bytes: Vec<u8>,
        lengths: Vec<u32>,
        sink: &mut dyn Sink,
    ) -> Result<(), EngineError> {
        let total: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
        let last = self.ended && index + 1 == self.cut;
        let whole = last || lengths.len() == PART_FRAMES;
        if total != bytes.len() as u64
            || !whole
            || index >= self.cut
            || index < self.written
            || self.back.contains_key(&index)
        {
            return Err(EngineError::Write(format!(
                "an MP3 part that does not fit: part {index} of {}, {} frames, {} bytes in frames \
                 of {total}",
                self.cut,
                lengths.len(),
                bytes.len()
            )));
        }
        self.back.insert(index, (bytes, lengths));
        self.start(sink)?;
        while let Some((bytes, lengths)) = self.back.remove(&self.written) {
            let mut at = 0;
            for &len in &lengths {
                let frame = &bytes[at..at + len as usize];
                self.stats.add_frame(frame);
                at += len as usize;
            }
            sink.write(&bytes)?;
            self.written += 1;
        }
        Ok(())
    }

    /// Once every part is back: the tag over all the frames, in place of the placeholder.
    pub fn finish_file(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        if !self.ended || self.written != self.cut {
            return Err(EngineError::Write(format!(
                "the MP3 ended with {} of its {} parts",
                self.written, self.cut
            )));
        }
        self.start(sink)?;
        let info = self.info();
        // As many frames as one encoder of the whole makes, or the tag would lie about the end.
        let frames = lametag::frames_for(self.input, info.delay, self.spf);
        if u64::from(self.stats.frames()) != frames {
            return Err(EngineError::Write(format!(
                "the MP3's parts hold {} frames, not {frames}",
                self.stats.frames()
            )));
        }
        sink.patch_head(&lametag::tag_frame(&self.tag_header, &self.stats, &info))
    }
}

impl Encoder for Mp3Parts {
    fn encode(&mut self, samples: &[f32], sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.start(sink)?;
        self.pcm.extend_from_slice(samples);
        self.input += (samples.len() / usize::from(self.spec.channels.max(1))) as u64;
        while self.pcm.len() >= self.part_len {
            self.cut_part(self.part_len, false);
        }
        Ok(())
    }
    /// Cuts the last part; the file ends in [`Mp3Parts::finish_file`] once all are back.
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.start(sink)?;
        if !self.ended {
            self.ended = true;
            self.cut_part(self.pcm.len(), true);
        }
        Ok(())
    }
    fn outboard(&self) -> Option<&EncoderSpec> {
        Some(&self.spec)
    }
    fn mp3_parts(&mut self) -> Option<&mut Mp3Parts> {
        Some(self)
    }
}
