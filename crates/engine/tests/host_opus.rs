//! Opus encoded by the host (in the browser, WebCodecs' `AudioEncoder`): the engine gives the
//! processed 48 kHz PCM, the host's packets come back and are muxed into Ogg Opus here. ffmpeg's
//! libopus stands in for the browser's encoder: it is the same library Chromium's uses, and its
//! .opus gives real packets and a real OpusHead. ffprobe/ffmpeg check the file independently:
//! codec, duration within one 20 ms frame, the exact sample count, and the tone.

mod codec_support;

use std::path::Path;
use std::process::Command;

use codec_support::media::{self, args, check_output, tone, video, Corpus};
use v2a_engine::job::{Job, Opened, Outcome, Step};
use v2a_engine::plan::Host;
use v2a_engine::VecSink;
use v2a_protocol::text::Key;
use v2a_protocol::{ExtractionSpec, Loudness, OutputFormat, Quality, TimePoint, TimeRange};

const OPUS_HOST: Host = Host {
    opus_encoder: true,
    outboard_encoder: false,
};
/// One Opus frame as WebCodecs makes them.
const FRAME: f64 = 0.020;

/// An MP4 of a test picture and `seconds` of an `hz` sine in AAC.
fn aac_video(c: &Corpus, name: &str, seconds: u32, hz: u32) -> std::path::PathBuf {
    aac_video_at(c, name, seconds, hz, 1.0)
}

/// [`aac_video`] with the sine's level scaled by `volume`.
fn aac_video_at(c: &Corpus, name: &str, seconds: u32, hz: u32, volume: f64) -> std::path::PathBuf {
    let level = format!("volume={volume}");
    let a = args(
        &[&video(seconds), &tone(hz, seconds, 44_100, 2)],
        &[
            "-af", &level, "-c:v", "mpeg4", "-c:a", "aac", "-b:a", "128k",
        ],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    c.make(name, &all)
}

/// ffmpeg's libopus on `pcm` (48 kHz f32le, `channels`) at `bitrate`: the OpusHead and the
/// audio packets of the .opus it writes.
fn encode_like_the_host(
    c: &Corpus,
    pcm: &[f32],
    channels: u16,
    bitrate: u32,
) -> (Vec<u8>, Vec<Vec<u8>>) {
    let raw: Vec<u8> = pcm.iter().flat_map(|s| s.to_le_bytes()).collect();
    let input = c.write("host-in.f32", &raw);
    let out = c.path("host.opus");
    let status = Command::new("ffmpeg")
        .args(["-y", "-v", "error", "-f", "f32le", "-ar", "48000", "-ac"])
        .arg(channels.to_string())
        .arg("-i")
        .arg(&input)
        .args(["-c:a", "libopus", "-frame_duration", "20", "-b:a"])
        .arg(bitrate.to_string())
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg encodes the PCM");
    let mut reader = ogg::reading::PacketReader::new(std::fs::File::open(&out).unwrap());
    let head = reader.read_packet_expected().unwrap().data;
    let _tags = reader.read_packet_expected().unwrap();
    let mut packets = Vec::new();
    while let Some(p) = reader.read_packet().unwrap() {
        packets.push(p.data);
    }
    (head, packets)
}

/// Runs `spec` on `input` with a host that encodes Opus as ffmpeg does; returns the outcome,
/// the file, the bit rate asked and the PCM frames given.
fn run_with_host(
    c: &Corpus,
    input: &Path,
    spec: &ExtractionSpec,
) -> (Outcome, Vec<u8>, u32, usize) {
    let file = std::fs::File::open(input).unwrap();
    let Opened::Ready(mut job) = Job::open_on(Box::new(file), spec, &OPUS_HOST).unwrap() else {
        panic!("Opus is made on this computer when the host encodes it");
    };
    let bitrate = job.host_bitrate().expect("the host encodes this job");
    let mut sink = VecSink::default();
    let mut pcm = Vec::new();
    let mut channels = 0;
    let mut next_frame = 0;
    loop {
        let step = job.step(&mut sink).unwrap();
        while let Some(block) = job.take_pcm() {
            assert_eq!(block.sample_rate, 48_000);
            assert_eq!(block.first_frame, next_frame, "blocks follow each other");
            channels = block.channels;
            next_frame += (block.samples.len() / usize::from(block.channels)) as u64;
            pcm.extend(block.samples);
        }
        match step {
            Step::Working(_) => {}
            Step::Flush(p) => {
                assert!(
                    (p.seconds_done - p.seconds_total).abs() < 0.05,
                    "all given: {p:?}"
                );
                break;
            }
            Step::Done(_) => panic!("a host-encoded job ends with finish_encoded"),
        }
    }
    assert!(
        matches!(job.step(&mut sink).unwrap(), Step::Flush(_)),
        "it waits for the host"
    );
    let (head, packets) = encode_like_the_host(c, &pcm, channels, bitrate);
    for (i, packet) in packets.iter().enumerate() {
        let description = (i == 0).then_some(head.as_slice());
        job.push_encoded(packet, i as f64 * FRAME * 1e6, description, &mut sink)
            .unwrap();
    }
    let outcome = job.finish_encoded(&mut sink).unwrap();
    assert_eq!(outcome.size, sink.0.len() as u64, "every byte counted");
    let frames = pcm.len() / usize::from(channels.max(1));
    (outcome, sink.0, bitrate, frames)
}

/// Samples per channel ffmpeg decodes from `path` (pre-skip and end trim applied).
fn decoded_frames(path: &Path) -> usize {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-ac", "1", "-f", "f32le", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout.len() / 4
}

#[test]
fn aac_becomes_ogg_opus_with_the_right_length_and_tone() {
    let c = Corpus::new();
    let input = aac_video(&c, "aac.mp4", 3, 440);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Opus),
        ..ExtractionSpec::default()
    };
    let (outcome, bytes, bitrate, frames) = run_with_host(&c, &input, &spec);
    assert_eq!(bitrate, 128_000, "the table's default for Opus");
    assert_eq!((outcome.extension, outcome.mime), ("opus", "audio/ogg"));
    assert!(!outcome.copied);
    let out = c.write("out.opus", &bytes);
    check_output(&out, "opus", 3.0, FRAME, 440.0);
    assert!(
        (outcome.duration - 3.0).abs() <= FRAME,
        "{}",
        outcome.duration
    );
    // The last page's granule cuts the padding: exactly the samples given come out.
    assert_eq!(decoded_frames(&out), frames);
    // OpusHead is ffmpeg's (pre-skip 312), and pages carry the granule.
    assert_eq!(&bytes[28..36], b"OpusHead");
    assert_eq!(u16::from_le_bytes([bytes[38], bytes[39]]), 312);
}

#[test]
fn a_trim_and_a_bitrate_are_kept() {
    let c = Corpus::new();
    let input = aac_video(&c, "aac.mp4", 4, 660);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Opus),
        quality: Quality::Bitrate(64),
        range: Some(TimeRange {
            start: TimePoint::Start(1_000),
            end: Some(TimePoint::Start(2_500)),
        }),
        ..ExtractionSpec::default()
    };
    let (outcome, bytes, bitrate, frames) = run_with_host(&c, &input, &spec);
    assert_eq!(bitrate, 64_000);
    let out = c.write("trim.opus", &bytes);
    check_output(&out, "opus", 1.5, FRAME, 660.0);
    assert_eq!(frames, 72_000, "a sample-exact 1.5 s at 48 kHz");
    assert_eq!(decoded_frames(&out), frames);
    assert!((outcome.duration - 1.5).abs() < 1e-6);
}

#[test]
fn loudness_is_normalised_before_the_host_encodes() {
    let c = Corpus::new();
    let input = aac_video_at(&c, "quiet.mp4", 3, 440, 0.2);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Opus),
        loudness: Some(Loudness::PODCAST),
        ..ExtractionSpec::default()
    };
    let (before, _) = codec_support::loudness(&input);
    let (outcome, bytes, _, frames) = run_with_host(&c, &input, &spec);
    let out = c.write("loud.opus", &bytes);
    let (after, _) = codec_support::loudness(&out);
    assert!(before < -20.0, "the input is quiet: {before} LUFS");
    assert!(
        (after - -16.0).abs() <= 1.0,
        "{before} LUFS in → {after} LUFS"
    );
    assert_eq!(decoded_frames(&out), frames);
    assert!((outcome.duration - 3.0).abs() <= FRAME);
}

#[test]
fn without_a_host_encoder_opus_needs_the_server_and_a_copy_does_not() {
    let c = Corpus::new();
    let input = aac_video(&c, "aac.mp4", 1, 440);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Opus),
        ..ExtractionSpec::default()
    };
    let file = std::fs::File::open(&input).unwrap();
    match Job::open(Box::new(file), &spec).unwrap() {
        Opened::NeedsServer(_, why) => {
            assert_eq!(why.key, Key::EngineEncodeNeedsServer);
            let formats = &why.args.iter().find(|a| a.0 == "formats").unwrap().1;
            assert!(!formats.contains("Opus"), "{formats}");
        }
        Opened::Ready(_) => panic!("no Opus encoder here"),
    }
    // An Opus source copied needs no encoder.
    let a = args(
        &[&video(1), &tone(440, 1, 48_000, 2)],
        &["-c:v", "libvpx", "-c:a", "libopus"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let webm = c.make("opus.webm", &all);
    let file = std::fs::File::open(&webm).unwrap();
    let Opened::Ready(job) = Job::open_on(Box::new(file), &spec, &OPUS_HOST).unwrap() else {
        panic!("a copy runs here");
    };
    assert!(job.plan().copy && job.host_bitrate().is_none());
}

#[test]
fn surround_opus_needs_the_server_and_the_sentence_offers_what_is_made_here() {
    let c = Corpus::new();
    let a = args(
        &[&video(1), &tone(440, 1, 48_000, 6)],
        &["-c:v", "mpeg4", "-c:a", "aac"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    // Matroska says the channel count; an MP4 sample entry may say 2 for 5.1 AAC (then the
    // job stops at its first decoded packet with `Unsupported`, which the runner sends to the server).
    let input = c.make("surround.mkv", &all);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Opus),
        ..ExtractionSpec::default()
    };
    let file = std::fs::File::open(&input).unwrap();
    let Opened::NeedsServer(_, why) = Job::open_on(Box::new(file), &spec, &OPUS_HOST).unwrap()
    else {
        panic!("WebCodecs makes stereo Opus at most");
    };
    assert_eq!(why.key, Key::EngineEncodeNeedsServer);
    let formats = &why.args.iter().find(|a| a.0 == "formats").unwrap().1;
    assert_eq!(
        formats, "MP3, M4A, WAV, FLAC",
        "not Opus, which it just refused"
    );
    // Asked for stereo, the same file is made here.
    let stereo = ExtractionSpec {
        channels: Some(2),
        ..spec
    };
    let (_, bytes, _, _) = run_with_host(&c, &input, &stereo);
    let out = c.write("stereo.opus", &bytes);
    // Matroska keeps no AAC priming: the source itself lasts 1.021 s by ffprobe (ffmpeg's own
    // Opus of it 1.0305 s), so the length is held loosely here.
    check_output(&out, "opus", 1.0, 0.05, 440.0);
    assert_eq!(media::probe(&out).2, 2);
}
