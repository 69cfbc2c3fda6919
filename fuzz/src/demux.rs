//! The engine's demuxers over bytes: open, then every audio track drained, twice (as a
//! loudness pass does), and a seek; errors are fine, panics and endless loops are not.

use v2a_engine::demux;

/// More packets than any input a fuzzer makes can hold: past it, a demuxer is looping.
const MAX_PACKETS: usize = 1 << 20;

pub fn demux(data: &[u8]) {
    let Ok(mut demuxer) = demux::open(data.to_vec()) else {
        return;
    };
    let tracks: Vec<u32> = demuxer.probe().tracks.iter().map(|t| t.index).collect();
    drain(demuxer.as_mut(), data.len());
    for track in tracks {
        for _ in 0..2 {
            if demuxer.select(track).is_err() {
                break;
            }
            drain(demuxer.as_mut(), data.len());
        }
        if demuxer.seek(1.0).is_ok() {
            drain(demuxer.as_mut(), data.len());
        }
    }
}

fn drain(demuxer: &mut dyn demux::Demuxer, len: usize) {
    let mut bytes = 0usize;
    for _ in 0..MAX_PACKETS {
        match demuxer.next_packet() {
            Ok(Some(packet)) => {
                bytes = bytes.saturating_add(packet.data.len());
                // Packets are slices of the input: they cannot add up to much more of it
                // than the input holds (a lace may repeat a little framing).
                assert!(
                    bytes <= len.saturating_mul(2) + 64,
                    "packets larger than the input"
                );
            }
            Ok(None) | Err(_) => return,
        }
    }
    panic!("a demuxer handed out {MAX_PACKETS} packets from {len} bytes");
}
