//! A job whose encoder runs in a second instance of the engine (in the browser, a second
//! worker, so a second core): this instance hands its PCM out, the other builds the encoder
//! from the spec it is given as text and makes the file. What comes out must be the very bytes
//! the job makes when it encodes itself, for every format sent out, with trims and loudness;
//! and formats that do not pay for it (WAV, copies) stay in one instance.

mod codec_support;

use std::path::Path;

use codec_support::media::{self, args, check_output, tone, video, Corpus};
use v2a_engine::codec::encode::{encode_part, EncoderSpec, PART_FRAMES};
use v2a_engine::job::{Job, Opened, Outcome, Step};
use v2a_engine::plan::Host;
use v2a_engine::VecSink;
use v2a_protocol::{ExtractionSpec, Loudness, OutputFormat, Quality, TimePoint, TimeRange};

const TWO_INSTANCES: Host = Host {
    opus_encoder: false,
    outboard_encoder: true,
};

/// Opens `spec` on `input` on a host with a second instance.
fn open(input: &Path, spec: &ExtractionSpec) -> Job {
    let file = std::fs::File::open(input).unwrap();
    match Job::open_on(Box::new(file), spec, &TWO_INSTANCES).unwrap() {
        Opened::Ready(job) => job,
        Opened::NeedsServer(_, why) => panic!("made here: {why:?}"),
    }
}

/// Runs `spec` with its encoder in "other instances": the spec crosses as text, the PCM as the
/// blocks the job hands out, in order, or as the parts of a VBR MP3, encoded and given back in
/// a shuffled order (several instances finish in any order). Returns the outcome and the file.
fn run_outboard(input: &Path, spec: &ExtractionSpec) -> (Outcome, Vec<u8>, u32) {
    let mut job = open(input, spec);
    assert!(job.encodes_outboard(), "the encoder is sent out");
    let mut own = VecSink::default();
    let mut file = VecSink::default();
    let mut encoder = None;
    let mut next_frame = 0;
    let mut parts = Vec::new();
    let mut cut = 0;
    let other_spec = |job: &Job| {
        let text = job
            .outboard_spec()
            .expect("a spec with the first block")
            .to_text();
        EncoderSpec::from_text(&text).unwrap()
    };
    loop {
        let step = job.step(&mut own).unwrap();
        while let Some(block) = job.take_pcm() {
            let encoder = encoder.get_or_insert_with(|| other_spec(&job).build().unwrap());
            assert_eq!(block.first_frame, next_frame, "blocks follow each other");
            next_frame += (block.samples.len() / usize::from(block.channels)) as u64;
            encoder.encode(&block.samples, &mut file).unwrap();
        }
        while let Some(part) = job.take_part() {
            assert_eq!(part.index, cut, "parts in order");
            cut += 1;
            let (bytes, lengths) = encode_part(&other_spec(&job), &part).unwrap();
            parts.push((part.index, bytes, lengths));
        }
        // Back two by two, the later first.
        if parts.len() >= 2 {
            for (index, bytes, lengths) in parts.drain(..).rev() {
                job.push_part(index, bytes, lengths, &mut own).unwrap();
            }
        }
        match step {
            Step::Working(_) => {}
            Step::Flush(_) => break,
            Step::Done(_) => panic!("an outboard job ends with finish_outboard"),
        }
    }
    assert!(
        matches!(job.step(&mut own).unwrap(), Step::Flush(_)),
        "it waits for the other instances"
    );
    let outcome = if let Some(mut encoder) = encoder {
        assert!(own.0.is_empty(), "this instance writes none of the file");
        encoder.finish(&mut file).unwrap();
        job.finish_outboard(file.0.len() as u64).unwrap()
    } else {
        for (index, bytes, lengths) in parts.drain(..) {
            job.push_part(index, bytes, lengths, &mut own).unwrap();
        }
        file = own;
        job.finish_parts(&mut file).unwrap()
    };
    assert!(matches!(
        job.step(&mut VecSink::default()).unwrap(),
        Step::Done(_)
    ));
    (outcome, file.0, cut)
}

/// The file both ways: it must be the same, byte for byte, with the same outcome. (ffprobe
/// estimates an MP3's length from its bit rate, hence the checks' frame or two of tolerance.)
fn same_both_ways(input: &Path, spec: &ExtractionSpec) -> (Outcome, Vec<u8>, u32) {
    let inside = media::run(input, spec);
    let (outcome, bytes, parts) = run_outboard(input, spec);
    assert_eq!(outcome, inside.outcome, "the same outcome");
    assert_eq!(bytes.len(), inside.bytes.len(), "the same length");
    assert!(bytes == inside.bytes, "the same bytes");
    (outcome, bytes, parts)
}

fn aac_video(c: &Corpus, seconds: u32, hz: u32, volume: f64) -> std::path::PathBuf {
    let level = format!("volume={volume}");
    let a = args(
        &[&video(seconds), &tone(hz, seconds, 44_100, 2)],
        &[
            "-af", &level, "-c:v", "mpeg4", "-c:a", "aac", "-b:a", "128k",
        ],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    c.make("in.mp4", &all)
}

#[test]
fn mp3_is_the_same_file_when_a_second_instance_encodes_it() {
    let c = Corpus::new();
    let input = aac_video(&c, 4, 440, 1.0);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    };
    let (outcome, bytes, parts) = same_both_ways(&input, &spec);
    assert_eq!(outcome.size, bytes.len() as u64, "every byte counted");
    assert_eq!(parts, 2, "a VBR MP3 of 4 s is encoded as two parts");
    check_output(&c.write("out.mp3", &bytes), "mp3", 4.0, 0.06, 440.0);
}

#[test]
fn a_trimmed_podcast_mp3_is_the_same_file_too() {
    let c = Corpus::new();
    let input = aac_video(&c, 6, 660, 0.1);
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        quality: Quality::Bitrate(128),
        loudness: Some(Loudness::PODCAST),
        range: Some(TimeRange {
            start: TimePoint::Start(1_000),
            end: Some(TimePoint::Start(4_500)),
        }),
        ..ExtractionSpec::default()
    };
    let (_, bytes, _) = same_both_ways(&input, &spec);
    let out = c.write("loud.mp3", &bytes);
    check_output(&out, "mp3", 3.5, 0.06, 660.0);
    let (lufs, _) = codec_support::loudness(&out);
    assert!((lufs - -16.0).abs() <= 1.0, "{lufs} LUFS");
}

#[test]
fn aac_and_flac_from_pcm_sound_are_the_same_files_too() {
    let c = Corpus::new();
    let a = args(
        &[&video(3), &tone(1_000, 3, 48_000, 2)],
        &["-c:v", "mpeg4", "-c:a", "pcm_s16le"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("in.avi", &all);
    for (format, codec, extension) in [
        (OutputFormat::M4a, "aac", "m4a"),
        (OutputFormat::Flac, "flac", "flac"),
    ] {
        let spec = ExtractionSpec {
            format: Some(format),
            ..ExtractionSpec::default()
        };
        let (outcome, bytes, parts) = same_both_ways(&input, &spec);
        assert_eq!(outcome.extension, extension);
        assert_eq!(parts, 0, "{extension} is encoded in one piece");
        let out = c.write(&format!("out.{extension}"), &bytes);
        check_output(&out, codec, 3.0, 0.03, 1_000.0);
    }
}

#[test]
fn wav_and_copies_stay_in_one_instance() {
    let c = Corpus::new();
    let input = aac_video(&c, 2, 440, 1.0);
    for format in [OutputFormat::Wav, OutputFormat::M4a] {
        let spec = ExtractionSpec {
            format: Some(format),
            ..ExtractionSpec::default()
        };
        let job = open(&input, &spec);
        assert!(
            !job.encodes_outboard(),
            "{format:?} is made in one instance"
        );
    }
}

#[test]
fn a_spec_that_does_not_read_is_an_error_not_a_panic() {
    for text in ["", "{}", "{\"output\":{\"Mp3\":{\"Cbr\":128}}}", "\u{0}"] {
        assert!(EncoderSpec::from_text(text).is_err(), "{text:?}");
    }
}

#[test]
fn a_vbr_mp3_of_realistic_sound_in_parts_is_the_same_file_too() {
    let dir = codec_support::Dir::new("outboard-real");
    let wav = codec_support::realistic_source(&dir, 20);
    let c = Corpus::new();
    let a = args(
        &[
            &video(20),
            &["-i".into(), wav.to_string_lossy().into_owned()],
        ],
        &[
            "-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "aac", "-b:a", "160k",
        ],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("speech.mp4", &all);
    for (spec, parts) in [
        (
            ExtractionSpec {
                format: Some(OutputFormat::Mp3),
                ..ExtractionSpec::default()
            },
            // 882,000 samples in parts of 96 × 1,152: seven and what is left.
            8,
        ),
        (
            ExtractionSpec {
                format: Some(OutputFormat::Mp3),
                loudness: Some(Loudness::PODCAST),
                range: Some(TimeRange {
                    start: TimePoint::Start(2_500),
                    end: Some(TimePoint::Start(13_000)),
                }),
                ..ExtractionSpec::default()
            },
            5,
        ),
        (
            ExtractionSpec {
                format: Some(OutputFormat::Mp3),
                range: Some(TimeRange {
                    start: TimePoint::Start(1_000),
                    end: Some(TimePoint::Start(1_010)),
                }),
                ..ExtractionSpec::default()
            },
            1,
        ),
    ] {
        let (_, _, cut) = same_both_ways(&input, &spec);
        assert_eq!(cut, parts, "{spec:?}");
    }
}

#[test]
fn parts_that_do_not_fit_are_errors_not_panics() {
    use v2a_engine::codec::encode::{Encoder, Mp3Parts, Output};
    use v2a_engine::codec::formats::Mp3Rate;
    let spec = EncoderSpec {
        output: Output::Mp3(Mp3Rate::Vbr(2.0)),
        sample_rate: 44_100,
        channels: 1,
        input_rate: 44_100,
    };
    let mut parts = Mp3Parts::new(spec).unwrap();
    let mut sink = VecSink::default();
    parts.encode(&vec![0.1; 300_000], &mut sink).unwrap();
    parts.finish(&mut sink).unwrap();
    assert_eq!(
        parts.cut(),
        (3, true),
        "300,000 samples: two parts and what is left"
    );
    assert!(
        parts.finish_file(&mut sink).is_err(),
        "not before every part is back"
    );
    assert!(
        parts.put(0, vec![0; 10], vec![4, 4], &mut sink).is_err(),
        "lengths ≠ bytes"
    );
    assert!(
        parts.put(3, vec![], vec![], &mut sink).is_err(),
        "no part 3"
    );
    assert!(
        parts.put(0, vec![0xFF; 8], vec![4, 4], &mut sink).is_err(),
        "a part short of its 96 frames"
    );
    let whole = || (vec![0xFF; 4 * PART_FRAMES], vec![4; PART_FRAMES]);
    let (bytes, lengths) = whole();
    parts.put(0, bytes, lengths, &mut sink).unwrap();
    assert!(
        parts.put(0, vec![], vec![], &mut sink).is_err(),
        "part 0 is written"
    );
    assert!(
        parts.finish_file(&mut sink).is_err(),
        "parts 1 and 2 are missing"
    );
    let (bytes, lengths) = whole();
    parts.put(1, bytes, lengths, &mut sink).unwrap();
    parts.put(2, vec![0xFF; 4], vec![4], &mut sink).unwrap();
    assert!(
        parts.finish_file(&mut sink).is_err(),
        "193 frames where one encoder makes more: the tag would lie"
    );
}

/// MPEG-2 and -2.5 rates (frames of 576 samples, one granule), mono, and an input shorter than
/// the 95 samples below which rusty_mp3 primes more: still the same bytes in parts.
#[test]
fn low_rates_mono_and_a_sliver_are_the_same_files_in_parts_too() {
    let c = Corpus::new();
    let input = aac_video(&c, 15, 440, 1.0);
    let mp3 = |rate: u32, channels: Option<u32>, range: Option<TimeRange>| ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        sample_rate: Some(rate),
        channels,
        range,
        ..ExtractionSpec::default()
    };
    let sliver = TimeRange {
        start: TimePoint::Start(1_000),
        end: Some(TimePoint::Start(1_010)),
    };
    // Parts of 96 × 576 samples: 15 s at 22.05 kHz are five and what is left, at 8 kHz two.
    for (spec, parts) in [
        (mp3(22_050, Some(1), None), 6),
        (mp3(8_000, None, None), 3),
        (mp3(8_000, Some(1), Some(sliver)), 1),
    ] {
        let (outcome, bytes, cut) = same_both_ways(&input, &spec);
        assert_eq!(cut, parts, "{spec:?}");
        if spec.range.is_none() {
            // ffprobe guesses a low-rate VBR file's length from its bit rate (15.19 s here);
            // the outcome's is the samples'.
            let out = c.write("low.mp3", &bytes);
            check_output(&out, "mp3", 15.0, 0.3, 440.0);
            assert!(
                (outcome.duration - 15.0).abs() < 0.01,
                "{}",
                outcome.duration
            );
        }
    }
}
