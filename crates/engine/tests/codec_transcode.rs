//! Re-encodes through the Transcoder, each output checked with ffprobe/ffmpeg: codec, length,
//! the tone's frequency, channels and rate after mixing and resampling, exact trims.

mod codec_support;

use codec_support::*;
use v2a_engine::{Codec, EngineError};
use v2a_protocol::{ExtractionSpec, OutputFormat, Quality};

/// ffmpeg's native AAC encoder delays its output by one frame.
const AAC_PRIMING: u32 = 1024;

fn spec(format: OutputFormat) -> ExtractionSpec {
    ExtractionSpec {
        format: Some(format),
        ..Default::default()
    }
}

fn aac_input(dir: &Dir, name: &str, lavfi: &str, channels: &str) -> Vec<u8> {
    let path = dir.path(name);
    let p = path.to_str().unwrap();
    ffmpeg(&[
        "-f", "lavfi", "-i", lavfi, "-ac", channels, "-c:a", "aac", "-b:a", "160k", "-f", "adts", p,
    ]);
    std::fs::read(&path).unwrap()
}

#[test]
fn aac_to_mp3_keeps_the_tone_and_the_length() {
    let dir = Dir::new("aac-mp3");
    let bytes = aac_input(&dir, "in.aac", "sine=f=440:r=44100:d=3", "2");
    let packets = adts_packets(&bytes);
    let mut tr = track(Codec::Aac, 44_100, 2, Vec::new());
    tr.priming = AAC_PRIMING;
    tr.duration = Some(3.0);
    let out = dir.path("out.mp3");
    let seconds = transcode(&tr, &packets, &spec(OutputFormat::Mp3), None, &out).unwrap();
    assert!((seconds - 3.0).abs() < 1e-3, "{seconds}");
    let p = probe(&out);
    assert_eq!(p["codec_name"], "mp3");
    assert_eq!(p["channels"], 2);
    assert_eq!(p["sample_rate"], "44100");
    // The Info tag makes ffmpeg decode exactly what went in.
    let samples = decode_mono(&out);
    assert_eq!(samples.len(), 3 * 44_100);
    assert_eq!(dominant_hz(&samples, 44_100), 440.0);
}

#[test]
fn a_trim_keeps_exactly_the_samples_asked_for() {
    let dir = Dir::new("trim");
    let bytes = aac_input(&dir, "in.aac", "sine=f=1000:r=48000:d=3", "1");
    let packets = adts_packets(&bytes);
    let mut tr = track(Codec::Aac, 48_000, 1, Vec::new());
    tr.priming = AAC_PRIMING;
    let out = dir.path("out.wav");
    transcode(
        &tr,
        &packets,
        &spec(OutputFormat::Wav),
        Some((0.5, 2.25)),
        &out,
    )
    .unwrap();
    let p = probe(&out);
    assert_eq!(p["codec_name"], "pcm_s16le");
    let samples = decode_mono(&out);
    assert_eq!(samples.len(), 84_000, "1.75 s at 48 kHz");
    assert_eq!(dominant_hz(&samples, 48_000), 1000.0);
    // Sample-exact: the first kept sample is the source's sample at 0.5 s (a sine starting at
    // phase 0 there is at sin(2π·1000·0.5) = 0, rising).
    assert!(samples[0].abs() < 0.02, "{}", samples[0]);
    assert!(samples[3] > samples[0]);
}

#[test]
fn surround_aac_is_mixed_to_stereo_for_mp3() {
    let dir = Dir::new("51");
    // A tone in front left only, silence elsewhere.
    let lavfi = "aevalsrc=0.5*sin(2*PI*660*t)|0|0|0|0|0:c=5.1:s=48000:d=2";
    let bytes = aac_input(&dir, "in.aac", lavfi, "6");
    let packets = adts_packets(&bytes);
    let mut tr = track(Codec::Aac, 48_000, 6, Vec::new());
    tr.priming = AAC_PRIMING;
    let out = dir.path("out.mp3");
    transcode(&tr, &packets, &spec(OutputFormat::Mp3), None, &out).unwrap();
    let p = probe(&out);
    assert_eq!(p["channels"], 2);
    let lr = decode(&out, &[]);
    let left: Vec<f32> = lr.iter().step_by(2).copied().collect();
    let right: Vec<f32> = lr.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(dominant_hz(&left, 48_000), 660.0);
    let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
    assert!(rms(&left) > 0.3, "front left goes left at full level");
    assert!(rms(&right) < 0.01, "and not right");
}

#[test]
fn mp3_to_mono_flac_at_another_rate() {
    let dir = Dir::new("mp3-flac");
    let input = dir.path("in.mp3");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=f=1200:r=48000:d=2",
        "-ac",
        "2",
        "-c:a",
        "libmp3lame",
        "-b:a",
        "192k",
        input.to_str().unwrap(),
    ]);
    let (packets, priming) = mp3_packets(&std::fs::read(&input).unwrap());
    let mut tr = track(Codec::Mp3, 48_000, 2, Vec::new());
    tr.priming = priming;
    let out = dir.path("out.flac");
    let spec = ExtractionSpec {
        sample_rate: Some(22_050),
        channels: Some(1),
        ..spec(OutputFormat::Flac)
    };
    transcode(&tr, &packets, &spec, None, &out).unwrap();
    let p = probe(&out);
    assert_eq!(p["codec_name"], "flac");
    assert_eq!(p["channels"], 1);
    assert_eq!(p["sample_rate"], "22050");
    let samples = decode_mono(&out);
    // The MP3's own end padding is inside the last frame: the length is within one frame.
    assert!(
        (samples.len() as i64 - 44_100).abs() <= 1152 / 2,
        "{}",
        samples.len()
    );
    assert_eq!(dominant_hz(&samples, 22_050), 1200.0);
    // ffmpeg checks FLAC's MD5 and frame CRCs when asked to.
    ffmpeg(&[
        "-err_detect",
        "crccheck",
        "-i",
        out.to_str().unwrap(),
        "-f",
        "null",
        "-",
    ]);
}

#[test]
fn vorbis_and_opus_decode_with_their_delay_removed() {
    let dir = Dir::new("xiph");
    for (name, codec, args) in [
        ("in.ogg", Codec::Vorbis, ["-c:a", "libvorbis", "-q:a", "4"]),
        ("in.opus", Codec::Opus, ["-c:a", "libopus", "-b:a", "96k"]),
    ] {
        let input = dir.path(name);
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "sine=f=880:r=48000:d=2",
            args[0],
            args[1],
            args[2],
            args[3],
            input.to_str().unwrap(),
        ]);
        let (tr, packets) = symphonia_packets(&input, codec);
        let out = dir.path(&format!("{name}.wav"));
        transcode(
            &tr,
            &packets,
            &spec(OutputFormat::Wav),
            Some((0.0, 2.0)),
            &out,
        )
        .unwrap();
        let samples = decode_mono(&out);
        assert_eq!(samples.len(), 96_000, "{name}");
        assert_eq!(dominant_hz(&samples, 48_000), 880.0, "{name}");
    }
}

#[test]
fn pcm_keeps_its_sample_format_in_wav() {
    let dir = Dir::new("pcm");
    let input = dir.path("in.wav");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=f=500:r=44100:d=1",
        "-c:a",
        "pcm_s24le",
        input.to_str().unwrap(),
    ]);
    let packets = wav_packets(&std::fs::read(&input).unwrap(), 3);
    let tr = track(
        Codec::Pcm {
            bits: 24,
            float: false,
            big_endian: false,
        },
        44_100,
        1,
        Vec::new(),
    );
    let out = dir.path("out.wav");
    transcode(
        &tr,
        &packets,
        &spec(OutputFormat::Wav),
        Some((0.25, 0.75)),
        &out,
    )
    .unwrap();
    let p = probe(&out);
    assert_eq!(p["codec_name"], "pcm_s24le");
    let samples = decode_mono(&out);
    assert_eq!(samples.len(), 22_050);
    assert_eq!(dominant_hz(&samples, 44_100), 500.0);
}

#[test]
fn formats_the_engine_does_not_encode_go_to_the_server() {
    let tr = track(Codec::Aac, 48_000, 2, Vec::new());
    for format in [OutputFormat::Opus, OutputFormat::Ogg] {
        let err = v2a_engine::codec::transcode::Transcoder::new(&tr, &spec(format), None).err();
        assert!(
            matches!(err, Some(EngineError::Unsupported(_))),
            "{format:?}"
        );
    }
    // No format said: an Opus re-encode stays Opus, which the server makes.
    let loud = ExtractionSpec {
        quality: Quality::High,
        ..Default::default()
    };
    let tr = track(Codec::Opus, 48_000, 2, Vec::new());
    let err = v2a_engine::codec::transcode::Transcoder::new(&tr, &loud, None).err();
    assert!(matches!(err, Some(EngineError::Unsupported(_))));
}

#[test]
fn damaged_packets_are_an_error_not_a_crash() {
    let mut seed = 7u64;
    let mut noise = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed & 0xff) as u8
    };
    let junk: Vec<v2a_engine::Packet> = (0..40)
        .map(|i| v2a_engine::Packet {
            data: (0..400).map(|_| noise()).collect(),
            pts: i * 1024,
            duration: 1024,
        })
        .collect();
    let dir = Dir::new("junk");
    for codec in [Codec::Aac, Codec::Mp3, Codec::Opus] {
        let tr = track(codec.clone(), 48_000, 2, Vec::new());
        let out = dir.path("out.mp3");
        let r = transcode(&tr, &junk, &spec(OutputFormat::Mp3), None, &out);
        // Either refused, or skipped packet by packet into a short valid file.
        if r.is_ok() {
            assert_eq!(probe(&out)["codec_name"], "mp3", "{codec:?}");
        }
    }
}
