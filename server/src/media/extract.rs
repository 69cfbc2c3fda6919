//! The extraction itself: plan, (measure,) write to a `.part` file, check, rename.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use v2a_protocol::text::Key;
use v2a_wording::ExtractionSpec;

use super::args::{
    ffmpeg_args, gain_for, lower_limit, measure_output_args, parse_ebur128, retune, Gain, Measured,
    Pass,
};
use super::plan::{plan, Plan};
use super::run::{run_ffmpeg, PartFile, Ran};
use super::{MediaError, Output, Probed, Tools};

/// Extract audio from `input` as `spec` says, writing `<out_stem>.<ext>` (never a partial file:
/// a temporary name is renamed at the end and removed on failure). `progress(fraction, stage)`
/// is called as ffmpeg reports `out_time_us`. Dropping the future kills ffmpeg.
///
/// Stages: "extracting" (0..1), or with loudness normalisation "analyzing" (0..0.5) then
/// "normalizing" (0.5..1). [`plan()`] tells beforehand what will be written.
pub async fn extract(
    tools: &Tools,
    input: &Path,
    probed: &Probed,
    spec: &ExtractionSpec,
    out_stem: &Path,
    progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<Output, MediaError> {
    extract_planned(tools, input, &plan(probed, spec)?, out_stem, progress).await
}

/// [`extract`] with the plan already made (a job plans once, when it is asked for).
pub async fn extract_planned(
    tools: &Tools,
    input: &Path,
    plan: &Plan,
    out_stem: &Path,
    progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<Output, MediaError> {
    if tokio::fs::metadata(input).await.is_err() {
        return Err(MediaError::failed(Key::MediaInputGone, &[]));
    }
    let target = with_suffix(out_stem, plan.extension);
    let part = PartFile::new(with_suffix(out_stem, &format!("{}.part", plan.extension)));

    let gain = if plan.loudness.is_some() && !plan.is_copy() {
        Some(loudness_gain(tools, plan, input, progress).await?)
    } else {
        None
    };

    let ran = match gain {
        Some(gain) => normalise(tools, plan, input, part.path(), gain, progress).await?,
        None => {
            let args = ffmpeg_args(
                plan,
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
            .await
            .map_err(|e| undecodable_copy(plan, e))?
        }
    };

    let written = check_output(plan, part.path(), &ran).await?;
    part.persist(&target).await?;
    Ok(Output {
        path: target,
        ..written
    })
}

/// A copy that failed in its decoding check (see [`ffmpeg_args`]): ffmpeg's own words name the
/// codec's complaint, but the way out is re-encoding, which conceals such packets. Input that
/// cannot be read at all, disk trouble and stops keep their own sentences.
fn undecodable_copy(plan: &Plan, e: MediaError) -> MediaError {
    match e {
        MediaError::Failed(said)
            if plan.is_copy()
                && matches!(said.key, Key::MediaFfmpegSaid | Key::MediaFfmpegFailed) =>
        {
            MediaError::failed(Key::MediaCopyUnplayable, &[])
        }
        other => other,
    }
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
/// Returns the report of the run that wrote the file kept.
async fn normalise(
    tools: &Tools,
    plan: &Plan,
    input: &Path,
    output: &Path,
    gain: Option<Gain>,
    progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<Ran, MediaError> {
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
        return write(gain, 0.5, 1.0).await;
    };
    let first = write(Some(limited), 0.5, 0.8).await?;
    let ran = run_ffmpeg(tools, &measure_output_args(output), plan.duration(), &|f| {
        progress(0.8 + f * 0.05, "normalizing")
    })
    .await?;
    let written = parse_ebur128(&ran.tail).ok_or_else(unreadable_report)?;
    let kept = match lower_limit(&limited, &written, target) {
        Some(lower) => write(Some(lower), 0.85, 1.0).await?,
        None => first,
    };
    progress(1.0, "normalizing");
    Ok(kept)
}

fn unreadable_report() -> MediaError {
    MediaError::failed(Key::MediaLoudnessUnreadable, &[])
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

/// Check the written file from what the ffmpeg run that wrote it reported, with no second
/// process reading it back (an ffprobe and a decode cost ~0.4 s a job on this machine, measured
/// in bench/RESULTS.md). The codec is the plan's: the encoder chosen, or for a copy the source's
/// codec that the upload's probe read; a copy's packets were decoded in the same run (see
/// [`ffmpeg_args`]); the length is the output time ffmpeg reached.
async fn check_output(plan: &Plan, path: &Path, ran: &Ran) -> Result<Output, MediaError> {
    let size = tokio::fs::metadata(path)
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    if size == 0 || ran.out_time <= 0.0 {
        return Err(MediaError::failed(Key::MediaEmptyOutput, &[]));
    }
    Ok(Output {
        path: path.to_path_buf(),
        extension: plan.extension.into(),
        codec: plan.codec.clone(),
        duration: ran.out_time,
        size,
        expected_duration: plan.duration(),
    })
}

/// `<stem>.<suffix>`, keeping any dots already in the stem.
fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
