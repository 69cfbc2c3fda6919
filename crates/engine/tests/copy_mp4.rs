//! MP4 family in, copies out: faststart and moov-at-end MP4, fragmented MP4, MOV, M4V, AAC 5.1,
//! mono 8 kHz, a file cut short.

#[path = "common/media.rs"]
mod media;

use media::{args, check_output, copy_checked, probe, run, tone, video, Corpus, H264_FAST};
use std::path::Path;

use v2a_protocol::{ExtractionSpec, OutputFormat, TimePoint, TimeRange};

fn make(c: &Corpus, name: &str, audio: &[String], extra: &[&str]) -> std::path::PathBuf {
    let a = args(&[&video(3), audio], &["-shortest", "-c:a", "aac"]);
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(H264_FAST);
    all.extend_from_slice(extra);
    c.make(name, &all)
}

/// Copies an MP4's AAC into an .m4a and checks it (within one frame).
fn copy_and_check(c: &Corpus, input: &std::path::Path, hz: f64) {
    copy_checked(c, input, "m4a", "aac", 0.025, hz);
}

#[test]
fn faststart_and_moov_at_end_mp4_copy_to_m4a() {
    let c = Corpus::new();
    let t = tone(440, 3, 48_000, 2);
    let fast = make(&c, "fast.mp4", &t, &["-movflags", "+faststart"]);
    copy_and_check(&c, &fast, 440.0);
    let end = make(&c, "end.mp4", &t, &[]);
    copy_and_check(&c, &end, 440.0);
}

#[test]
fn fragmented_mp4_mov_and_m4v_copy_to_m4a() {
    let c = Corpus::new();
    let t = tone(440, 3, 44_100, 2);
    let frag = make(
        &c,
        "frag.mp4",
        &t,
        &["-movflags", "frag_keyframe+empty_moov"],
    );
    copy_and_check(&c, &frag, 440.0);
    let mov = make(&c, "a.mov", &t, &[]);
    copy_and_check(&c, &mov, 440.0);
    let m4v = make(&c, "a.m4v", &t, &[]);
    copy_and_check(&c, &m4v, 440.0);
}

#[test]
fn aac_5_1_and_mono_8_khz_keep_their_layout() {
    let c = Corpus::new();
    let surround = make(&c, "surround.mp4", &tone(440, 3, 48_000, 6), &[]);
    copy_and_check(&c, &surround, 440.0);
    let (_, _, channels, _) = probe(&c.path("surround.mp4.m4a"));
    assert_eq!(channels, 6);
    let mono = make(&c, "mono.mp4", &tone(300, 3, 8_000, 1), &[]);
    copy_and_check(&c, &mono, 300.0);
    let (_, _, channels, rate) = probe(&c.path("mono.mp4.m4a"));
    assert_eq!((channels, rate), (1, 8_000));
}

#[test]
fn a_big_video_track_is_not_read() {
    let c = Corpus::new();
    // Noise does not compress: about 20 MB of video around 50 kB of sound.
    let a = args(
        &[
            &[
                "-f".into(),
                "lavfi".into(),
                "-i".into(),
                "nullsrc=s=320x240:r=25:d=3,geq=random(1)*255:128:128".into(),
            ],
            &tone(440, 3, 48_000, 2),
        ],
        &["-shortest", "-qp", "0", "-c:a", "aac"],
    );
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(H264_FAST);
    let big = c.make("big.mp4", &all);
    let size = std::fs::metadata(&big).expect("size").len();
    let r = run(&big, &ExtractionSpec::default());
    let audio = r.bytes.len() as u64;
    assert!(size > 5_000_000, "the video is big: {size}");
    assert!(
        r.last.bytes_read < audio + 64 * 1024,
        "read {} bytes of {size} for {audio} bytes of sound",
        r.last.bytes_read
    );
    assert_eq!(r.last.bytes_total, size);
}

/// The batches of ranges the engine read, one `read_ranges` each.
type Batches = std::rc::Rc<std::cell::RefCell<Vec<Vec<(u64, usize)>>>>;

/// Records the batches of ranges the engine reads.
struct Recording {
    file: std::fs::File,
    batches: Batches,
}

impl v2a_engine::Source for Recording {
    fn len(&self) -> u64 {
        v2a_engine::Source::len(&self.file)
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, v2a_engine::EngineError> {
        v2a_engine::Source::read_at(&mut self.file, offset, buf)
    }
    fn read_ranges(
        &mut self,
        ranges: &[(u64, usize)],
        out: &mut [u8],
    ) -> Result<(), v2a_engine::EngineError> {
        self.batches.borrow_mut().push(ranges.to_vec());
        v2a_engine::Source::read_ranges(&mut self.file, ranges, out)
    }
}

/// The windows `window_ahead` plans for `spec` on `input`, three ahead of the reads (the
/// worker plans two), and the batches the steps read; asserts every batch lies in a window
/// planned before it.
fn windows_and_reads(input: &Path, spec: &ExtractionSpec) -> (Vec<(u64, u64)>, usize) {
    use v2a_engine::job::{Job, Opened, Step};
    let batches = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let source = Recording {
        file: std::fs::File::open(input).expect("open"),
        batches: batches.clone(),
    };
    let Opened::Ready(mut job) = Job::open(Box::new(source), spec).unwrap() else {
        panic!("the engine copies it");
    };
    let mut windows: Vec<(u64, u64)> = Vec::new();
    let mut sink = v2a_engine::VecSink::default();
    let header_reads = batches.borrow().len();
    loop {
        // Up to three planned and not yet read: more than the worker's two (`AHEAD_WINDOWS`),
        // so a window planned past the end would show.
        while windows.len() < batches.borrow().len() - header_reads + 3 {
            match job.window_ahead() {
                Some(w) => windows.push(w),
                None => break,
            }
        }
        let read_before = batches.borrow().len();
        let done = matches!(job.step(&mut sink).unwrap(), Step::Done(_));
        for batch in &batches.borrow()[read_before..] {
            let (lo, hi) = (
                batch[0].0,
                batch.iter().map(|r| r.0 + r.1 as u64).max().unwrap(),
            );
            assert!(
                windows.iter().any(|w| w.0 <= lo && hi <= w.1),
                "a batch {lo}..{hi} read outside the windows {windows:?}"
            );
        }
        if done {
            break;
        }
    }
    let reads = batches.borrow().len() - header_reads;
    (windows, reads)
}

/// The browser fetches the windows `window_ahead` plans before the steps that read them: each
/// batch of samples the job reads lies in one window, and the windows are ≤ `WINDOW_BYTES`, in order,
/// and planned before the step that reads them. A trimmed job plans none past its end (each
/// is up to a window fetched for nothing).
#[test]
fn each_read_lies_in_a_window_planned_ahead() {
    let c = Corpus::new();
    // Noise does not compress: about 20 MB of video around the sound, so several windows.
    let a = args(
        &[
            &[
                "-f".into(),
                "lavfi".into(),
                "-i".into(),
                "nullsrc=s=320x240:r=25:d=3,geq=random(1)*255:128:128".into(),
            ],
            &tone(440, 3, 48_000, 2),
        ],
        &[
            "-shortest",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-qp",
            "0",
            "-c:a",
            "aac",
        ],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("windows.mp4", &all);
    let (windows, reads) = windows_and_reads(&input, &ExtractionSpec::default());
    assert!(windows.len() >= 2, "several windows: {windows:?}");
    assert_eq!(windows.len(), reads, "one read per window");
    for pair in windows.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "in order, apart: {windows:?}");
    }
    let most = v2a_engine::demux::WINDOW_BYTES;
    assert!(windows.iter().all(|w| w.1 - w.0 <= most), "{windows:?}");

    for format in [None, Some(OutputFormat::Wav)] {
        let first_second = ExtractionSpec {
            format,
            range: Some(TimeRange {
                start: TimePoint::Start(0),
                end: Some(TimePoint::Start(1_000)),
            }),
            ..ExtractionSpec::default()
        };
        let (trimmed, reads) = windows_and_reads(&input, &first_second);
        assert_eq!(
            trimmed.len(),
            reads,
            "{format:?}: every window planned is read"
        );
        assert!(trimmed.len() < windows.len(), "{format:?}: {trimmed:?}");
    }
}

/// Opus, FLAC, MP3 and Vorbis in MP4 (dOps, dfLa, object types 0x6B and 0xDD) go to their own
/// files.
#[test]
fn opus_flac_and_mp3_in_mp4_copy_to_their_own_files() {
    let c = Corpus::new();
    for (acodec, ext, codec, frame) in [
        ("libopus", "opus", "opus", 0.025),
        ("flac", "flac", "flac", 0.096),
        ("libmp3lame", "mp3", "mp3", 0.05),
        ("libvorbis", "ogg", "vorbis", 0.05),
    ] {
        let t = tone(440, 3, 48_000, 2);
        let a = args(
            &[&video(3), &t],
            &[
                "-shortest",
                "-c:v",
                "mpeg4",
                "-strict",
                "-2",
                "-c:a",
                acodec,
            ],
        );
        let all: Vec<&str> = a.iter().map(String::as_str).collect();
        let input = c.make(&format!("{acodec}.mp4"), &all);
        copy_checked(&c, &input, ext, codec, frame, 440.0);
    }
}

/// A long input is done in several steps, each reporting more bytes and seconds, and a step
/// after the end says the same outcome again.
#[test]
fn a_long_copy_takes_steps_with_progress() {
    let c = Corpus::new();
    let t = tone(440, 60, 48_000, 2);
    let a = args(&[&t], &["-c:a", "pcm_s16le"]);
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("long.avi", &all);
    let file = std::fs::File::open(&input).expect("open");
    let Ok(v2a_engine::job::Opened::Ready(mut job)) =
        v2a_engine::job::Job::open(Box::new(file), &ExtractionSpec::default())
    else {
        panic!("the engine copies PCM");
    };
    let mut sink = v2a_engine::VecSink::default();
    let mut seen = Vec::new();
    let outcome = loop {
        match job.step(&mut sink).expect("a step") {
            v2a_engine::job::Step::Working(p) => seen.push(p),
            v2a_engine::job::Step::Flush(_) => panic!("no host encoder here"),
            v2a_engine::job::Step::Done(o) => break o,
        }
    };
    assert!(seen.len() >= 4, "{} steps", seen.len());
    for w in seen.windows(2) {
        assert!(w[1].bytes_read > w[0].bytes_read && w[1].seconds_done > w[0].seconds_done);
    }
    let last = seen.last().expect("steps");
    // The last step may use the last run up (a step ends with its run); the next says done.
    assert!((last.seconds_total - 60.0).abs() < 0.01 && last.seconds_done <= 60.0);
    assert_eq!(outcome.size as usize, sink.0.len());
    assert_eq!(
        job.step(&mut sink).expect("again"),
        v2a_engine::job::Step::Done(outcome)
    );
    let out = c.write("long.wav", &sink.0);
    check_output(&out, "pcm_s16le", 60.0, 0.001, 440.0);
}
