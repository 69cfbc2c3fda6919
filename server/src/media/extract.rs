//! The extraction itself: plan, (measure,) write to a `.part` file, check, rename.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use v2a_wording::ExtractionSpec;

use super::args::{
    ffmpeg_args, gain_for, lower_limit, measure_output_args, parse_ebur128, retune, Gain, Measured,
    Pass,
};
use super::plan::{plan, Plan};
use super::probe::run_ffprobe;
use super::run::{run_ffmpeg, PartFile};
use super::{file_arg, MediaError, Output, Probed, Tools};

/// See [`super::extract`].
pub async fn extract(
    tools: &Tools,
    input: &Path,
    probed: &Probed,
    spec: &ExtractionSpec,
    out_stem: &Path,
    progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<Output, MediaError> {
    let plan = plan(probed, spec)?;
    if tokio::fs::metadata(input).await.is_err() {
        return Err(MediaError::Failed(
            "The uploaded file is no longer on the server; upload it again.".into(),
        ));
    }
    let target = with_suffix(out_stem, plan.extension);
    let part = PartFile::new(with_suffix(out_stem, &format!("{}.part", plan.extension)));

    let gain = if plan.loudness.is_some() && !plan.is_copy() {
        Some(loudness_gain(tools, &plan, input, progress).await?)
    } else {
        None
    };

    match gain {
        Some(gain) => normalise(tools, &plan, input, part.path(), gain, progress).await?,
        None => {
            let args = ffmpeg_args(
                &plan,
                input,
                Pass::Write {
                    output: part.path(),
                    gain: None,
                },
            );
            progress(0.0, "extracting");
            run_ffmpeg(tools, &args, plan.duration(), &|f| {
                progress(f, "extracting")
            })
            .await?;
        }
    }

    let written = check_output(tools, &plan, part.path()).await?;
    part.persist(&target).await?;
    Ok(Output {
        path: target,
        ..written
    })
}

/// Share of the progress bar for measuring the input; limiter tuning fills the rest up to 0.5.
const ANALYZE_SHARE: f64 = 0.4;
/// At most this many measurements of a limited gain before writing.
const TUNING_ROUNDS: usize = 3;

/// Measure the input and decide the gain that brings it to the plan's loudness (`None`:
/// silence, nothing to do). Reports "analyzing" from 0 to 0.5.
async fn loudness_gain(
    tools: &Tools,
    plan: &Plan,
    input: &Path,
    progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<Option<Gain>, MediaError> {
    let target = plan.loudness.expect("only called when normalising");
    progress(0.0, "analyzing");
    let measured = measure(tools, plan, input, Pass::Analyze, &|f| {
        progress(f * ANALYZE_SHARE, "analyzing")
    })
    .await?;
    let Some(mut gain) = gain_for(&measured, target) else {
        return Ok(None);
    };
    let share = (0.5 - ANALYZE_SHARE) / TUNING_ROUNDS as f64;
    for round in 0..TUNING_ROUNDS {
        if gain.limit.is_none() {
            break;
        }
        let base = ANALYZE_SHARE + share * round as f64;
        let after = measure(tools, plan, input, Pass::Check(&gain), &|f| {
            progress(base + f * share, "analyzing")
        })
        .await?;
        match retune(&gain, &after, target) {
            Some(better) => gain = better,
            None => break,
        }
    }
    Ok(Some(gain))
}

/// Write `output` with `gain`, reporting "normalizing" from 0.5 to 1. A limited gain is checked
/// in the written file and written once more with a lower limit if the encoder overshot it.
async fn normalise(
    tools: &Tools,
    plan: &Plan,
    input: &Path,
    output: &Path,
    gain: Option<Gain>,
    progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<(), MediaError> {
    let write = |gain: Option<Gain>, from: f64, to: f64| async move {
        let args = ffmpeg_args(
            plan,
            input,
            Pass::Write {
                output,
                gain: gain.as_ref(),
            },
        );
        run_ffmpeg(tools, &args, plan.duration(), &|f| {
            progress(from + f * (to - from), "normalizing")
        })
        .await
    };
    progress(0.5, "normalizing");
    let (Some(target), Some(limited)) = (plan.loudness, gain.filter(|g| g.limit.is_some())) else {
        write(gain, 0.5, 1.0).await?;
        return Ok(());
    };
    write(Some(limited), 0.5, 0.8).await?;
    let ran = run_ffmpeg(tools, &measure_output_args(output), plan.duration(), &|f| {
        progress(0.8 + f * 0.05, "normalizing")
    })
    .await?;
    let written = parse_ebur128(&ran.tail).ok_or_else(unreadable_report)?;
    if let Some(lower) = lower_limit(&limited, &written, target) {
        write(Some(lower), 0.85, 1.0).await?;
    }
    progress(1.0, "normalizing");
    Ok(())
}

fn unreadable_report() -> MediaError {
    MediaError::Failed("ffmpeg measured the loudness but its report could not be read; try again without loudness normalisation.".into())
}

/// One ebur128 run over the planned range.
async fn measure(
    tools: &Tools,
    plan: &Plan,
    input: &Path,
    pass: Pass<'_>,
    progress: &(dyn Fn(f64) + Send + Sync),
) -> Result<Measured, MediaError> {
    let args = ffmpeg_args(plan, input, pass);
    let ran = run_ffmpeg(tools, &args, plan.duration(), progress).await?;
    parse_ebur128(&ran.tail).ok_or_else(unreadable_report)
}

/// ffprobe the written file: it must hold the planned codec, with some audio in it.
async fn check_output(tools: &Tools, plan: &Plan, path: &Path) -> Result<Output, MediaError> {
    let size = tokio::fs::metadata(path).await?.len();
    let report = run_ffprobe(tools, path).await.map_err(|_| {
        MediaError::Failed(
            "ffmpeg finished but the audio file it wrote cannot be read back; try another format."
                .into(),
        )
    })?;
    let streams = report.audio_streams();
    let Some(stream) = streams.first() else {
        return Err(MediaError::Failed(
            "ffmpeg finished but wrote no audio; try another format or time range.".into(),
        ));
    };
    if stream.codec != plan.codec {
        return Err(MediaError::Failed(format!(
            "ffmpeg wrote {} audio where {} was planned, so the file was not kept; try another format.",
            stream.codec, plan.codec
        )));
    }
    let duration = report.audio_duration().unwrap_or(0.0);
    if duration <= 0.0 || size == 0 {
        return Err(MediaError::Failed(
            "ffmpeg finished but the audio it wrote is empty; try another time range.".into(),
        ));
    }
    plays_back(tools, path, plan).await?;
    Ok(Output {
        path: path.to_path_buf(),
        extension: plan.extension.into(),
        codec: stream.codec.clone(),
        duration,
        size,
        expected_duration: plan.duration(),
    })
}

/// Decode the start of the written file: ffprobe reads headers only, and a header can be
/// fine over packets no player can decode.
async fn plays_back(tools: &Tools, path: &Path, plan: &Plan) -> Result<(), MediaError> {
    let mut args: Vec<OsString> = ["-nostdin", "-hide_banner", "-v", "error", "-xerror"]
        .iter()
        .chain(&["-progress", "pipe:1", "-nostats", "-i"])
        .map(OsString::from)
        .collect();
    args.push(file_arg(path));
    args.extend(
        ["-map", "0:a:0", "-t", "30", "-f", "null", "-"]
            .iter()
            .map(OsString::from),
    );
    let played = run_ffmpeg(tools, &args, 0.0, &|_| {}).await;
    match played {
        Ok(ran) if ran.out_time > 0.0 || plan.duration() < 0.05 => Ok(()),
        _ => Err(MediaError::Failed(
            "ffmpeg wrote audio that does not play back, so it was not kept; try another format, such as MP3.".into(),
        )),
    }
}

/// `<stem>.<suffix>`, keeping any dots already in the stem.
fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
