//! The measurement behind the MP3 encoder choice (docs/DESIGN.md, "MP3 encoder"): realistic
//! sound — espeak-ng speech over noise and a chord, stereo, 44.1 kHz — encoded at 192 kbit/s by
//! rusty_mp3 (through the engine), shine-rs and ffmpeg's libmp3lame, each decoded by ffmpeg and
//! compared with the source: SNR and segmental SNR (20 ms frames), and encode speed.

mod codec_support;

use std::time::Instant;

use codec_support::*;
use v2a_protocol::{ExtractionSpec, OutputFormat, Quality};

const RATE: u32 = 44_100;

#[test]
fn rusty_mp3_is_close_to_lame_and_better_than_shine_at_192k() {
    let dir = Dir::new("mp3-quality");
    let source = realistic_source(&dir, 5);
    let wav = std::fs::read(&source).unwrap();
    let reference = decode(&source, &[]);
    let seconds = reference.len() as f64 / 2.0 / f64::from(RATE);

    let mut rows = Vec::new();

    // rusty_mp3, through the engine (WAV packets → Transcoder → MP3 at 192k CBR).
    let packets = wav_packets(&wav, 4);
    let tr = track(PCM_S16LE, RATE, 2, Vec::new());
    for (name, quality) in [
        ("rusty_mp3 192k CBR", Quality::Bitrate(192)),
        ("rusty_mp3 VBR q2 (default)", Quality::Default),
    ] {
        let path = dir.path(&format!("rusty-{}.mp3", rows.len()));
        let spec = ExtractionSpec {
            format: Some(OutputFormat::Mp3),
            quality,
            ..Default::default()
        };
        let t = Instant::now();
        transcode(&tr, &packets, &spec, None, &path).unwrap();
        let took = t.elapsed().as_secs_f64();
        let size = std::fs::metadata(&path).unwrap().len();
        rows.push((name, snr(&reference, &decode(&path, &[]), RATE), took, size));
    }

    // shine-rs, 192k.
    let pcm: Vec<i16> = wav[44..]
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    let t = Instant::now();
    let config = shine_rs::Mp3EncoderConfig::new()
        .sample_rate(RATE)
        .bitrate(192)
        .channels(2)
        .stereo_mode(shine_rs::StereoMode::JointStereo);
    let mp3 = shine_rs::encode_pcm_to_mp3(config, &pcm).unwrap();
    let took = t.elapsed().as_secs_f64();
    let path = dir.path("shine.mp3");
    std::fs::write(&path, &mp3).unwrap();
    rows.push((
        "shine-rs 192k CBR",
        snr(&reference, &decode(&path, &[]), RATE),
        took,
        mp3.len() as u64,
    ));

    // libmp3lame through ffmpeg (its time includes starting ffmpeg).
    for (name, args) in [
        ("libmp3lame 192k CBR", ["-b:a", "192k"]),
        ("libmp3lame VBR q2", ["-q:a", "2"]),
    ] {
        let path = dir.path("lame.mp3");
        let t = Instant::now();
        ffmpeg(&[
            "-i",
            source.to_str().unwrap(),
            "-c:a",
            "libmp3lame",
            args[0],
            args[1],
            path.to_str().unwrap(),
        ]);
        let took = t.elapsed().as_secs_f64();
        let size = std::fs::metadata(&path).unwrap().len();
        rows.push((name, snr(&reference, &decode(&path, &[]), RATE), took, size));
    }

    println!("| encoder | SNR dB | segmental SNR dB | × real time | kbit/s |");
    println!("|---|--:|--:|--:|--:|");
    for (name, (s, seg), took, size) in &rows {
        println!(
            "| {name} | {s:.1} | {seg:.1} | {:.0} | {:.0} |",
            seconds / took,
            *size as f64 * 8.0 / seconds / 1000.0
        );
    }
    let seg = |name: &str| rows.iter().find(|r| r.0 == name).unwrap().1 .1;
    assert!(
        seg("rusty_mp3 192k CBR") > seg("shine-rs 192k CBR"),
        "rusty_mp3 is chosen for being better than shine-rs"
    );
    assert!(
        seg("rusty_mp3 192k CBR") > seg("libmp3lame 192k CBR") - 6.0,
        "and within 6 dB of LAME at the same bitrate"
    );
}
