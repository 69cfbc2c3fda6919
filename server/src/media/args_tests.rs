use super::*;
use crate::media::{plan, Probed};
use video_to_audio::protocol::AudioStream;
use video_to_audio::wording::{
    ExtractionSpec, Loudness, OutputFormat, Quality, TimePoint, TimeRange,
};

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

#[test]
fn copy_into_m4a() {
    let p = plan(&probed("aac"), &ExtractionSpec::default()).expect("plan");
    let args = ffmpeg_args(
        &p,
        Path::new("in/-x.mp4"),
        Pass::Write {
            output: Path::new("out/a.m4a.part"),
            measured: None,
        },
    );
    assert_eq!(
        joined(&args),
        "-nostdin -hide_banner -v error -y -progress pipe:1 -nostats -i file:in/-x.mp4 -map 0:a:0 -vn -sn -dn \
         -map_metadata 0 -metadata major_brand= -metadata minor_version= -metadata compatible_brands= \
         -c:a copy -f ipod -movflags +faststart file:out/a.m4a.part"
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
    let args = joined(&ffmpeg_args(
        &p,
        Path::new("v.mp4"),
        Pass::Write {
            output: Path::new("o.part"),
            measured: None,
        },
    ));
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
    let args = joined(&ffmpeg_args(
        &p,
        Path::new("v.mp4"),
        Pass::Write {
            output: Path::new("o.part"),
            measured: None,
        },
    ));
    assert!(args.contains("-c:a libmp3lame -q:a 2 -f mp3"), "{args}");
    assert!(!args.contains("-ss"), "{args}");
    assert!(!args.contains("-t "), "{args}");
}

#[test]
fn two_pass_loudnorm() {
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Flac),
        loudness: Some(Loudness::PODCAST),
        ..ExtractionSpec::default()
    };
    let p = plan(&probed("aac"), &spec).expect("plan");
    let first = joined(&ffmpeg_args(&p, Path::new("v.mp4"), Pass::Analyze));
    assert!(first.contains("-v info"), "{first}");
    assert!(
        first.ends_with(
            "-map 0:a:0 -vn -sn -dn -af loudnorm=I=-16:TP=-1:LRA=11:print_format=json -f null -"
        ),
        "{first}"
    );

    let stderr: Vec<String> = r#"[Parsed_loudnorm_0 @ 0x5581] 
{
	"input_i" : "-23.02",
	"input_tp" : "-20.01",
	"input_lra" : "0.00",
	"input_thresh" : "-33.02",
	"output_i" : "-16.01",
	"output_tp" : "-13.00",
	"output_lra" : "0.00",
	"output_thresh" : "-26.01",
	"normalization_type" : "linear",
	"target_offset" : "0.01"
}"#
    .lines()
    .map(String::from)
    .collect();
    let m = parse_loudnorm(&stderr).expect("measured");
    assert_eq!(m.input_i, "-23.02");
    assert!(!m.is_silent());
    let second = joined(&ffmpeg_args(
        &p,
        Path::new("v.mp4"),
        Pass::Write {
            output: Path::new("o.part"),
            measured: Some(&m),
        },
    ));
    assert!(
        second.contains("-c:a flac -af loudnorm=I=-16:TP=-1:LRA=11:measured_I=-23.02:measured_TP=-20.01:measured_LRA=0.00:measured_thresh=-33.02:offset=0.01:linear=true:print_format=none -ar 44100 -f flac"),
        "{second}"
    );
    let silent = Measured {
        input_i: "-inf".into(),
        ..m
    };
    assert!(silent.is_silent());
    let third = joined(&ffmpeg_args(
        &p,
        Path::new("v.mp4"),
        Pass::Write {
            output: Path::new("o.part"),
            measured: Some(&silent),
        },
    ));
    assert!(!third.contains("loudnorm"), "{third}");
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
    let args = joined(&ffmpeg_args(
        &p,
        Path::new("v.webm"),
        Pass::Write {
            output: Path::new("o.part"),
            measured: None,
        },
    ));
    assert!(
        args.contains("-i file:v.webm -ss 2.000 -t 1.000 -map 0:a:0"),
        "{args}"
    );
}
