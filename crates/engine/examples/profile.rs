//! Where a job's time and memory go, natively: `cargo run --release -p v2a-engine --example
//! profile -- <video> [mp3|copy|loud|stages]`. Prints the whole job's time and its peak heap;
//! `stages` times demuxing, AAC decoding and MP3 encoding apart.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use v2a_engine::codec::decode::Decoder;
use v2a_engine::codec::encode::{Encoder, Mp3Encoder};
use v2a_engine::codec::formats::Mp3Rate;
use v2a_engine::job::{Job, Opened, Step};
use v2a_engine::{demux, VecSink};
use v2a_protocol::{ExtractionSpec, Loudness, OutputFormat};

/// Counts live and peak heap bytes.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("a video file");
    let mode = args.get(2).map_or("mp3", String::as_str);
    if mode == "stages" {
        return stages(path);
    }
    let spec = match mode {
        "copy" => ExtractionSpec::default(),
        "loud" => ExtractionSpec {
            format: Some(OutputFormat::Mp3),
            loudness: Some(Loudness::PODCAST),
            ..Default::default()
        },
        _ => ExtractionSpec {
            format: Some(OutputFormat::Mp3),
            ..Default::default()
        },
    };
    let file = std::fs::File::open(path).expect("readable");
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let Opened::Ready(mut job) = Job::open(Box::new(file), &spec).expect("opens") else {
        panic!("needs the server");
    };
    let mut sink = VecSink::default();
    let mut steps = 0;
    let outcome = loop {
        steps += 1;
        match job.step(&mut sink).expect("step") {
            Step::Working(_) => {}
            Step::Flush(_) => panic!("no host encoder here"),
            Step::Done(o) => break o,
        }
    };
    let output = outcome.size as usize;
    println!(
        "{mode}: {:.3} s, {steps} steps, {} bytes out, peak heap {:.1} MB over the start (output {:.1} MB of it)",
        t.elapsed().as_secs_f64(),
        outcome.size,
        (PEAK.load(Ordering::Relaxed) - base) as f64 / 1e6,
        output as f64 / 1e6,
    );
}

fn stages(path: &str) {
    let file = std::fs::File::open(path).expect("readable");
    let t = Instant::now();
    let mut d = demux::open(file).expect("opens");
    let track = d.probe().tracks[0].clone();
    d.select(track.index).expect("selects");
    let mut packets = Vec::new();
    while let Some(p) = d.next_packet().expect("packet") {
        packets.push(p);
    }
    println!(
        "demux: {:.3} s, {} packets",
        t.elapsed().as_secs_f64(),
        packets.len()
    );
    let t = Instant::now();
    let mut dec = Decoder::new(&track).expect("decoder");
    let mut pcm = Vec::new();
    for p in &packets {
        let _ = dec.decode(p, &mut pcm);
    }
    println!(
        "decode: {:.3} s, {} frames",
        t.elapsed().as_secs_f64(),
        pcm.len() / 2
    );
    let t = Instant::now();
    let mut enc = Mp3Encoder::new(Mp3Rate::Vbr(2.0), dec.sample_rate, dec.channels);
    let mut sink = VecSink::default();
    for chunk in pcm.chunks(2048) {
        enc.encode(chunk, &mut sink).expect("encodes");
    }
    enc.finish(&mut sink).expect("finishes");
    println!("mp3 encode: {:.3} s", t.elapsed().as_secs_f64());
}
