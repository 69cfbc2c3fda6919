//! Loudness normalisation through the Transcoder's two passes, checked with ffmpeg's ebur128
//! filter (the server's meter): integrated loudness within 1 LU of the target, true peak at
//! most 0.1 dB over the ceiling.

mod codec_support;

use codec_support::*;
use v2a_protocol::{ExtractionSpec, Loudness, OutputFormat};

/// Speech over noise and a chord at `volume`, plus `clicks` (near full-scale spikes that a
/// gain to the target pushes far over the ceiling), as 16-bit WAV.
fn input(dir: &Dir, volume: f64, clicks: bool) -> (Vec<u8>, std::path::PathBuf) {
    let speech = dir.path("speech.wav");
    let out = std::process::Command::new("espeak-ng")
        .args(["-s", "160", "-w"])
        .arg(&speech)
        .arg("Welcome back to the show. Today we talk about sound, loudness and peaks.")
        .output()
        .expect("espeak-ng (build.sh installs it)");
    assert!(out.status.success());
    let click = if clicks {
        ",aevalsrc='0.95*gt(mod(t\\,0.7)\\,0.699)':s=44100:d=4[k];[m][k]amix=inputs=2:normalize=0"
    } else {
        ""
    };
    let filter = format!(
        "[0:a]aresample=44100,apad,atrim=0:4[s];anoisesrc=c=pink:a=0.02:r=44100:d=4[n];\
         sine=f=196:r=44100:d=4,volume=0.1[c];[s][n][c]amix=inputs=3:normalize=0,\
         volume={volume}[m0];[m0]anull[m]{click}"
    );
    let filter = if clicks {
        filter
    } else {
        filter.replace("[m0];[m0]anull[m]", "")
    };
    let path = dir.path("in.wav");
    ffmpeg(&[
        "-i",
        speech.to_str().unwrap(),
        "-filter_complex",
        &filter,
        "-ac",
        "2",
        "-c:a",
        "pcm_s16le",
        path.to_str().unwrap(),
    ]);
    (std::fs::read(&path).unwrap(), path)
}

fn check(dir: &Dir, volume: f64, clicks: bool, format: OutputFormat, ext: &str) {
    let (wav, source) = input(dir, volume, clicks);
    let (before, _) = loudness(&source);
    let packets = wav_packets(&wav, 4);
    let tr = track(PCM_S16LE, 44_100, 2, Vec::new());
    let spec = ExtractionSpec {
        format: Some(format),
        loudness: Some(Loudness::PODCAST),
        ..Default::default()
    };
    let out = dir.path(&format!("out.{ext}"));
    transcode(&tr, &packets, &spec, None, &out).unwrap();
    let (i, tp) = loudness(&out);
    println!("{ext} clicks={clicks}: {before:.1} LUFS in → {i:.1} LUFS, {tp:.1} dBTP");
    assert!(
        (i - -16.0).abs() <= 1.0,
        "integrated {i} LUFS (input {before})"
    );
    assert!(tp <= -1.0 + 0.1, "true peak {tp} dBTP");
    assert_eq!(decode_mono(&out).len(), 4 * 44_100, "the length is kept");
}

#[test]
fn quiet_speech_is_raised_to_the_podcast_target() {
    let dir = Dir::new("loud-quiet");
    check(&dir, 0.1, false, OutputFormat::Mp3, "mp3");
}

#[test]
fn peaks_are_held_under_the_ceiling_by_the_limiter() {
    let dir = Dir::new("loud-peaks");
    check(&dir, 0.15, true, OutputFormat::Wav, "wav");
    check(&dir, 0.15, true, OutputFormat::Mp3, "mp3");
}
