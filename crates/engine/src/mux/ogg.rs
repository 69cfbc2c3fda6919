//! Opus → .opus and Vorbis → .ogg: the header packets on pages of their own, then the audio
//! packets on pages of about a second, each page's granule position being the samples decoded
//! by its end (48 kHz for Opus, counting the pre-skip, as RFC 7845 says).

use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use super::vorbis::{opus_head, opus_samples, vorbis_headers, VorbisBlocks};
use super::Muxer;
use crate::{AudioTrack, Codec, EngineError, Packet, Sink};

/// Packets per page: 50 Opus packets of 20 ms are a second, as ffmpeg's pages.
const PACKETS_PER_PAGE: u32 = 50;
const SERIAL: u32 = 0x5632_4121;

enum Samples {
    Opus,
    Vorbis(VorbisBlocks),
}

pub(crate) struct Ogg {
    writer: PacketWriter<'static, Vec<u8>>,
    samples: Samples,
    granule: u64,
    /// A packet is written once the next one is seen, so the last is marked end of stream.
    pending: Option<(Vec<u8>, u64)>,
    on_page: u32,
    rate: u32,
    /// The end of the stream, when the copy runs to it: the last page's granule position is
    /// at most this, which cuts the last packet's padding as the source's container did.
    last_granule: Option<u64>,
}

fn io(e: std::io::Error) -> EngineError {
    EngineError::Write(e.to_string())
}

impl Ogg {
    pub fn start(
        track: &AudioTrack,
        to_end: Option<f64>,
        sink: &mut dyn Sink,
    ) -> Result<Self, EngineError> {
        let mut writer = PacketWriter::new(Vec::new());
        let end = PacketWriteEndInfo::EndPage;
        let samples = if track.codec == Codec::Opus {
            write_opus_headers(&mut writer, opus_head(track))?;
            Samples::Opus
        } else {
            let [id, comment, setup] = vorbis_headers(&track.codec_private)?;
            let blocks = VorbisBlocks::new(&id, &setup)?;
            writer.write_packet(id, SERIAL, end, 0).map_err(io)?;
            let normal = PacketWriteEndInfo::NormalPacket;
            writer
                .write_packet(comment, SERIAL, normal, 0)
                .map_err(io)?;
            writer.write_packet(setup, SERIAL, end, 0).map_err(io)?;
            Samples::Vorbis(blocks)
        };
        let mut me = Self {
            writer,
            samples,
            granule: 0,
            pending: None,
            on_page: 0,
            rate: track.sample_rate,
            last_granule: None,
        };
        if let Some(end) = to_end.filter(|e| *e > 0.0) {
            me.last_granule = Some(match me.samples {
                Samples::Opus => (end * 48_000.0).round() as u64,
                Samples::Vorbis(_) => (end * f64::from(track.sample_rate)).round() as u64,
            });
        }
        me.drain(sink)?;
        Ok(me)
    }

    /// An Ogg Opus file of packets encoded elsewhere (the host's encoder), after `head`
    /// (its OpusHead); [`Ogg::end_at`] sets the last granule once the length is known.
    pub fn opus(head: Vec<u8>, sink: &mut dyn Sink) -> Result<Self, EngineError> {
        let mut writer = PacketWriter::new(Vec::new());
        write_opus_headers(&mut writer, head)?;
        let mut me = Self {
            writer,
            samples: Samples::Opus,
            granule: 0,
            pending: None,
            on_page: 0,
            rate: 48_000,
            last_granule: None,
        };
        me.drain(sink)?;
        Ok(me)
    }

    /// The last page's granule position is at most `granule`: the padding of the last packet
    /// is cut there (RFC 7845's end trimming).
    pub fn end_at(&mut self, granule: u64) {
        self.last_granule = Some(granule);
    }

    /// The granule position after the packets written so far.
    pub fn granule(&self) -> u64 {
        self.granule
    }

    fn drain(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        let buf = self.writer.inner_mut();
        if !buf.is_empty() {
            sink.write(buf)?;
            buf.clear();
        }
        Ok(())
    }

    fn flush_pending(&mut self, last: bool) -> Result<(), EngineError> {
        if let Some((data, mut granule)) = self.pending.take() {
            if let (true, Some(cap)) = (last, self.last_granule) {
                granule = granule.min(cap);
                self.granule = granule;
            }
            self.on_page += 1;
            let end = if last {
                PacketWriteEndInfo::EndStream
            } else if self.on_page >= PACKETS_PER_PAGE {
                self.on_page = 0;
                PacketWriteEndInfo::EndPage
            } else {
                PacketWriteEndInfo::NormalPacket
            };
            self.writer
                .write_packet(data, SERIAL, end, granule)
                .map_err(io)?;
        }
        Ok(())
    }
}

/// OpusHead and OpusTags, each on a page of its own.
fn write_opus_headers(
    writer: &mut PacketWriter<'static, Vec<u8>>,
    head: Vec<u8>,
) -> Result<(), EngineError> {
    let end = PacketWriteEndInfo::EndPage;
    writer.write_packet(head, SERIAL, end, 0).map_err(io)?;
    let vendor = b"v2a-engine";
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes());
    writer.write_packet(tags, SERIAL, end, 0).map_err(io)?;
    Ok(())
}

impl Muxer for Ogg {
    fn write(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.granule += match &mut self.samples {
            Samples::Opus => opus_samples(&packet.data),
            Samples::Vorbis(blocks) => blocks.samples(&packet.data),
        };
        self.flush_pending(false)?;
        self.pending = Some((packet.data.clone(), self.granule));
        self.drain(sink)
    }
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.flush_pending(true)?;
        self.drain(sink)
    }
    fn seconds(&self) -> Option<f64> {
        match self.samples {
            Samples::Vorbis(_) => Some(self.granule as f64 / f64::from(self.rate.max(1))),
            Samples::Opus => None,
        }
    }
}
