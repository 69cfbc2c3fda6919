//! AVI in (MP3 and PCM sound, with and without idx1), copies out: MP3 → .mp3, PCM → .wav.

#[path = "common/media.rs"]
mod media;

use media::{args, copy_checked, run, tone, video, Corpus};
use v2a_protocol::ExtractionSpec;

fn make(c: &Corpus, name: &str, audio: &[&str]) -> std::path::PathBuf {
    let a = args(
        &[&video(3), &tone(440, 3, 44_100, 2)],
        &["-shortest", "-c:v", "mpeg4"],
    );
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(audio);
    c.make(name, &all)
}

#[test]
fn avi_with_mp3_copies_to_mp3() {
    let c = Corpus::new();
    let avi = make(&c, "mp3.avi", &["-c:a", "libmp3lame", "-b:a", "128k"]);
    // MP3 frames are 1152 samples (26 ms); ffprobe estimates a raw .mp3's length from its rate.
    copy_checked(&c, &avi, "mp3", "mp3", 0.06, 440.0);
}

#[test]
fn avi_with_pcm_copies_to_wav_with_or_without_idx1() {
    let c = Corpus::new();
    let avi = make(&c, "pcm.avi", &["-c:a", "pcm_s16le"]);
    let (r, _) = copy_checked(&c, &avi, "wav", "pcm_s16le", 0.001, 440.0);
    assert!(
        (r.outcome.duration - 3.0).abs() < 0.001,
        "{}",
        r.outcome.duration
    );

    // The same file with its idx1 cut off: the movi list is walked instead.
    let bytes = std::fs::read(&avi).expect("read");
    let idx1 = bytes
        .windows(4)
        .rposition(|w| w == b"idx1")
        .expect("ffmpeg writes an idx1");
    let walked = c.write("noidx.avi", &bytes[..idx1]);
    let r2 = run(&walked, &ExtractionSpec::default());
    assert_eq!(r2.bytes, r.bytes, "the same output without the index");
}
