use super::*;
use crate::media::{plan, Probed};
use v2a_protocol::AudioStream;
use v2a_wording::{ExtractionSpec, Loudness, OutputFormat, Quality, TimePoint, TimeRange};

fn probed(codec: &str) -> Probed {
    Probed {
        container: "mp4".into(),
        duration: 3.0,
        audio_streams: vec![AudioStream {
            index: 0,
            codec: codec.into(),
            channels: 2,
            sample_rate: 44_100,
            language: None,
            bit_rate: None,
        }],
        has_video: true,
    }
}

fn joined(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The arguments of the plain write pass of `plan` from `input` into "o.part", joined.
fn write_args(plan: &Plan, input: &str) -> String {
    joined(&ffmpeg_args(
        plan,
        Path::new(input),
        Pass::Write {
            output: Path::new("o.part"),
            gain: None,
        },
    ))
}

#[test]
fn copy_into_m4a() {
    let p = plan(&probed("aac"), &ExtractionSpec::default()).expect("plan");
    let args = ffmpeg_args(
        &p,
        Path::new("in/-x.mp4"),
        Pass::Write {
            output: Path::new("out/a.m4a.part"),
            gain: None,
        },
    );
    assert_eq!(
        joined(&args),
        "-nostdin -hide_banner -v error -y -progress pipe:1 -nostats -xerror -i file:in/-x.mp4 -map 0:a:0 -vn -sn -dn \
         -map_metadata 0 -metadata major_brand= -metadata minor_version= -metadata compatible_brands= \
         -c:a copy -f ipod -movflags +faststart file:out/a.m4a.part \
         -map 0:a:0 -t 3.000 -f null -"
    );
}

#[test]
fn trimmed_cbr_mono_mp3() {
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        quality: Quality::Bitrate(192),
        channels: Some(1),
        sample_rate: Some(48_000),
        range: Some(TimeRange {
            start: TimePoint::Start(1000),
            end: Some(TimePoint::Start(2500)),
        }),
        ..ExtractionSpec::default()
    };
    let p = plan(&probed("aac"), &spec).expect("plan");
    let args = write_args(&p, "v.mp4");
    assert!(
        args.contains("-ss 1.000 -i file:v.mp4 -t 1.500 -map 0:a:0"),
        "{args}"
    );
    assert!(
        args.contains("-c:a libmp3lame -b:a 192k -ar 48000 -ac 1 -f mp3 file:o.part"),
        "{args}"
    );
}

#[test]
fn vbr_mp3_by_default() {
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    };
    let p = plan(&probed("aac"), &spec).expect("plan");
    let args = write_args(&p, "v.mp4");
    assert!(args.contains("-c:a libmp3lame -q:a 2 -f mp3"), "{args}");
    assert!(!args.contains("-ss"), "{args}");
    assert!(!args.contains("-t "), "{args}");
}

fn podcast_flac() -> Plan {
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Flac),
        loudness: Some(Loudness::PODCAST),
        ..ExtractionSpec::default()
    };
    plan(&probed("aac"), &spec).expect("plan")
}

/// ebur128's closing report as ffmpeg 5.1 prints it (after the last progress line).
fn ebur128_report(integrated: &str, peak: &str) -> Vec<String> {
    format!(
        "size=N/A time=00:01:45.00 bitrate=N/A speed= 315x    \n\
         [Parsed_ebur128_1 @ 0x555eb2ab92c0] Summary:\n\
         \n  Integrated loudness:\n    I:         {integrated} LUFS\n    Threshold: -31.8 LUFS\n\
         \n  Loudness range:\n    LRA:         0.0 LU\n    Threshold: -41.8 LUFS\n\
             LRA low:   -21.8 LUFS\n    LRA high:  -21.8 LUFS\n\
         \n  True peak:\n    Peak:      {peak} dBFS"
    )
    .lines()
    .map(String::from)
    .collect()
}

#[test]
fn loudness_is_measured_by_ebur128_without_video_or_framelog() {
    let p = podcast_flac();
    let first = joined(&ffmpeg_args(&p, Path::new("v.mp4"), Pass::Analyze));
    assert!(first.contains("-v info"), "{first}");
    assert!(
        first.ends_with(
            "-map 0:a:0 -vn -sn -dn -af aformat=sample_fmts=dbl|flt,ebur128=peak=true:framelog=verbose -f null -"
        ),
        "{first}"
    );
    let m = parse_ebur128(&ebur128_report("-21.8", "-21.0")).expect("measured");
    assert_eq!(
        m,
        Measured {
            integrated: -21.8,
            true_peak: -21.0
        }
    );
    assert!(!m.is_silent());
    assert_eq!(parse_ebur128(&ebur128_report("-21.8", "-21.0")[..5]), None);
    let silence = parse_ebur128(&ebur128_report("-70.0", "-inf")).expect("silence parses");
    assert!(silence.is_silent());
    assert_eq!(gain_for(&silence, Loudness::PODCAST), None);
}

#[test]
fn a_gain_that_keeps_the_peak_under_the_ceiling_is_only_volume() {
    let p = podcast_flac();
    let m = Measured {
        integrated: -23.02,
        true_peak: -20.01,
    };
    let gain = gain_for(&m, Loudness::PODCAST).expect("not silent");
    assert!((gain.db - 7.02).abs() < 1e-9, "{gain:?}");
    assert_eq!(gain.limit, None);
    let second = joined(&ffmpeg_args(
        &p,
        Path::new("v.mp4"),
        Pass::Write {
            output: Path::new("o.part"),
            gain: Some(&gain),
        },
    ));
    assert!(
        second.contains("-c:a flac -af volume=7.02dB -ar 44100 -f flac"),
        "{second}"
    );
    assert!(!second.contains("loudnorm"), "{second}");
    assert!(!second.contains("alimiter"), "{second}");
}

#[test]
fn a_gain_that_would_clip_gets_a_limiter_and_is_retuned() {
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        loudness: Some(Loudness::PODCAST),
        channels: Some(1),
        ..ExtractionSpec::default()
    };
    let p = plan(&probed("aac"), &spec).expect("plan");
    let m = Measured {
        integrated: -28.3,
        true_peak: 1.0,
    };
    let gain = gain_for(&m, Loudness::PODCAST).expect("not silent");
    assert_eq!(gain.limit, Some(-1.5), "{gain:?}");
    let check = joined(&ffmpeg_args(&p, Path::new("v.mp4"), Pass::Check(&gain)));
    assert!(
        check.ends_with(
            "-af aformat=channel_layouts=mono,volume=12.30dB,alimiter=limit=0.8414:level=false:latency=true,\
             aformat=sample_fmts=dbl|flt,ebur128=peak=true:framelog=verbose -f null -"
        ),
        "{check}"
    );
    // The limiter took 1.4 LU away and let the true peak 0.3 dB over: more gain, lower limit.
    let after = Measured {
        integrated: -17.4,
        true_peak: -0.7,
    };
    let better = retune(&gain, &after, Loudness::PODCAST).expect("off target");
    assert!((better.db - 13.7).abs() < 1e-9, "{better:?}");
    assert!((better.limit.expect("still limited") + 1.8).abs() < 1e-9);
    // On target: keep it.
    let on = Measured {
        integrated: -16.2,
        true_peak: -1.3,
    };
    assert_eq!(retune(&better, &on, Loudness::PODCAST), None);
    let write = joined(&ffmpeg_args(
        &p,
        Path::new("v.mp4"),
        Pass::Write {
            output: Path::new("o.part"),
            gain: Some(&better),
        },
    ));
    assert!(
        write.contains("-af aformat=channel_layouts=mono,volume=13.70dB,alimiter=limit=0.8128:level=false:latency=true -ar 44100 -ac 1 -f mp3"),
        "{write}"
    );
}

#[test]
fn a_trimmed_copy_seeks_on_the_output_side() {
    let spec = ExtractionSpec {
        range: Some(TimeRange {
            start: TimePoint::End(1000),
            end: None,
        }),
        ..ExtractionSpec::default()
    };
    let p = plan(&probed("opus"), &spec).expect("plan");
    assert!(p.is_copy());
    let args = write_args(&p, "v.webm");
    assert!(
        args.contains("-i file:v.webm -ss 2.000 -t 1.000 -map 0:a:0"),
        "{args}"
    );
    // The copied range is the one decoded to check it plays.
    assert!(
        args.ends_with("file:o.part -map 0:a:0 -ss 2.000 -t 1.000 -f null -"),
        "{args}"
    );
}

#[test]
fn an_encoder_overshoot_lowers_the_limit_once_measured_in_the_file() {
    let gain = Gain {
        db: 13.7,
        limit: Some(-1.5),
    };
    let args = joined(&measure_output_args(Path::new("o.mp3.part")));
    assert!(
        args.ends_with(
            "-i file:o.mp3.part -map 0:a:0 -af aformat=sample_fmts=dbl|flt,ebur128=peak=true:framelog=verbose -f null -"
        ),
        "{args}"
    );
    // MP3 rang 0.8 dB over the ceiling: the limit comes down by that and a margin.
    let written = Measured {
        integrated: -16.1,
        true_peak: -0.2,
    };
    let lower = lower_limit(&gain, &written, Loudness::PODCAST).expect("over the ceiling");
    assert_eq!(lower.db, 13.7);
    assert!(
        (lower.limit.expect("limited") + 2.5).abs() < 1e-9,
        "{lower:?}"
    );
    let under = Measured {
        true_peak: -1.2,
        ..written
    };
    assert_eq!(lower_limit(&gain, &under, Loudness::PODCAST), None);
    let unlimited = Gain {
        limit: None,
        ..gain
    };
    assert_eq!(lower_limit(&unlimited, &written, Loudness::PODCAST), None);
}
