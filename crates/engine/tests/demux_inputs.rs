//! What the engine makes of its inputs before any output: track choice by language and by
//! position, clear refusals (no sound, a file cut short, random bytes, damaged headers), and
//! the requests it hands to the server.

#[path = "common/media.rs"]
mod media;

use media::{args, frequency, open, run, tone, video, Corpus, H264_FAST};
use v2a_engine::job::Opened;
use v2a_engine::EngineError;
use v2a_protocol::text::Key;
use v2a_protocol::{ExtractionSpec, OutputFormat, TrackSelector};

fn two_languages(c: &Corpus, name: &str) -> std::path::PathBuf {
    let a = args(
        &[
            &video(2),
            &tone(440, 2, 48_000, 2),
            &tone(880, 2, 48_000, 2),
        ],
        &[
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-map",
            "2:a",
            "-c:a",
            "aac",
            "-metadata:s:a:0",
            "language=eng",
            "-metadata:s:a:1",
            "language=spa",
        ],
    );
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(H264_FAST);
    c.make(name, &all)
}

fn spec(track: TrackSelector) -> ExtractionSpec {
    ExtractionSpec {
        track,
        ..ExtractionSpec::default()
    }
}

#[test]
fn a_track_is_picked_by_language_or_position() {
    let c = Corpus::new();
    for name in ["two.mp4", "two.mkv", "two.mov"] {
        let input = two_languages(&c, name);
        for (selector, hz) in [
            (TrackSelector::Default, 440.0),
            (TrackSelector::Language("es".into()), 880.0),
            (TrackSelector::Language("spa".into()), 880.0),
            (TrackSelector::Language("English".into()), 440.0),
            (TrackSelector::Position(2), 880.0),
        ] {
            let r = run(&input, &spec(selector.clone()));
            let out = c.write(&format!("{name}.m4a"), &r.bytes);
            let f = frequency(&out);
            assert!((f - hz).abs() < 10.0, "{name} {selector:?}: {f} Hz");
        }
        for missing in [
            TrackSelector::Language("fra".into()),
            TrackSelector::Position(3),
        ] {
            match open(&input, &spec(missing)).expect("opens") {
                Opened::NeedsServer(probe, why) => {
                    assert_eq!(why.key, Key::EngineNoSuchTrack);
                    assert_eq!(probe.tracks.len(), 2);
                    assert!(why.say(v2a_protocol::Lang::En).contains("1 eng, 2 spa"));
                }
                Opened::Ready(_) => panic!("{name}: no such track"),
            }
        }
    }
}

#[test]
fn a_video_without_sound_is_refused() {
    let c = Corpus::new();
    for name in ["silent.mp4", "silent.mkv", "silent.avi"] {
        let a = args(&[&video(1)], &["-c:v", "mpeg4"]);
        let all: Vec<&str> = a.iter().map(String::as_str).collect();
        let input = c.make(name, &all);
        let err = open(&input, &ExtractionSpec::default()).err();
        assert!(matches!(err, Some(EngineError::NoAudio)), "{name}: {err:?}");
        assert_eq!(err.and_then(|e| e.key()), Some(Key::EngineNoAudio));
    }
}

#[test]
fn an_mp4_cut_short_and_random_bytes_are_refused() {
    let c = Corpus::new();
    let a = args(
        &[&video(2), &tone(440, 2, 48_000, 2)],
        &["-c:v", "mpeg4", "-c:a", "aac"],
    );
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    let end = c.make("end.mp4", &all);
    all.extend_from_slice(&["-movflags", "+faststart"]);
    let fast = c.make("fast.mp4", &all);
    for input in [&end, &fast] {
        let bytes = std::fs::read(input).expect("read");
        let cut = c.write("cut.mp4", &bytes[..bytes.len() * 2 / 3]);
        let err = open(&cut, &ExtractionSpec::default()).err();
        assert!(matches!(err, Some(EngineError::Truncated(_))), "{err:?}");
        assert_eq!(err.and_then(|e| e.key()), Some(Key::EngineTruncated));
    }
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    let random = c.write("random.mp4", &noise);
    let err = open(&random, &ExtractionSpec::default()).err();
    assert!(matches!(err, Some(EngineError::Unreadable(_))), "{err:?}");
    assert_eq!(err.and_then(|e| e.key()), Some(Key::EngineUnreadable));
    let empty = c.write("empty.mp4", b"");
    let err = open(&empty, &ExtractionSpec::default()).err();
    assert!(matches!(err, Some(EngineError::Unreadable(_))), "{err:?}");
}

/// Damaged headers of every container: a byte changed or the file cut anywhere ends in an
/// output or an error, never a panic or a hang.
#[test]
fn damaged_files_never_panic() {
    let c = Corpus::new();
    let mut inputs = Vec::new();
    for (name, acodec) in [
        ("d.mp4", "aac"),
        ("d.mkv", "libvorbis"),
        ("d.avi", "libmp3lame"),
        ("f.mp4", "aac"),
    ] {
        let mut a = args(
            &[&video(1), &tone(440, 1, 44_100, 2)],
            &["-c:v", "mpeg4", "-c:a", acodec],
        );
        if name == "f.mp4" {
            a.extend([
                "-movflags".to_string(),
                "frag_keyframe+empty_moov".to_string(),
            ]);
        }
        let all: Vec<&str> = a.iter().map(String::as_str).collect();
        inputs.push(std::fs::read(c.make(name, &all)).expect("read"));
    }
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for original in &inputs {
        for round in 0..150 {
            let mut bytes = original.clone();
            if round % 3 == 0 {
                bytes.truncate((next() as usize) % bytes.len());
            } else {
                // Headers live in the first and last few kB.
                for _ in 0..4 {
                    let span = bytes.len().min(4096);
                    let at = if next() % 2 == 0 {
                        next() as usize % span
                    } else {
                        bytes.len() - 1 - next() as usize % span
                    };
                    bytes[at] = next() as u8;
                }
            }
            let Ok(Opened::Ready(mut job)) =
                v2a_engine::job::Job::open(Box::new(bytes), &ExtractionSpec::default())
            else {
                continue;
            };
            let mut sink = v2a_engine::VecSink::default();
            for _ in 0..10_000 {
                match job.step(&mut sink) {
                    Ok(v2a_engine::job::Step::Working(_)) => {}
                    _ => break,
                }
            }
        }
    }
}

#[test]
fn what_the_engine_cannot_do_goes_to_the_server_with_a_reason() {
    let c = Corpus::new();
    let a = args(
        &[&video(1), &tone(440, 1, 48_000, 2)],
        &["-c:v", "mpeg4", "-c:a", "ac3"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let ac3 = c.make("ac3.mkv", &all);
    match open(&ac3, &ExtractionSpec::default()).expect("opens") {
        Opened::NeedsServer(_, why) => {
            assert_eq!(why.key, Key::EngineCodecNeedsServer);
            assert!(why.say(v2a_protocol::Lang::En).contains("AC3"), "{why:?}");
        }
        Opened::Ready(_) => panic!("AC-3 needs the server"),
    }
    // MP3 sound asked as Opus needs an Opus encoder, which the engine has not.
    let a = args(
        &[&video(1), &tone(440, 1, 48_000, 2)],
        &["-c:v", "mpeg4", "-c:a", "libmp3lame"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let mp3 = c.make("mp3.avi", &all);
    let opus = ExtractionSpec {
        format: Some(OutputFormat::Opus),
        ..ExtractionSpec::default()
    };
    match open(&mp3, &opus).expect("opens") {
        Opened::NeedsServer(_, why) => assert_eq!(why.key, Key::EngineEncodeNeedsServer),
        Opened::Ready(_) => panic!("Opus encoding needs the server"),
    }
}
