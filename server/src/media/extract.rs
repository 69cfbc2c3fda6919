//! The extraction itself: plan, (measure,) write to a `.part` file, check, rename.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use video_to_audio::wording::ExtractionSpec;

use super::args::{ffmpeg_args, parse_loudnorm, Pass};
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

    let measured = if plan.loudness.is_some() && !plan.is_copy() {
        progress(0.0, "analyzing");
        let args = ffmpeg_args(&plan, input, Pass::Analyze);
        let ran = run_ffmpeg(tools, &args, plan.duration(), &|f| {
            progress(f * 0.5, "analyzing")
        })
        .await?;
        Some(parse_loudnorm(&ran.tail).ok_or_else(|| {
            MediaError::Failed("ffmpeg measured the loudness but its report could not be read; try again without loudness normalisation.".into())
        })?)
    } else {
        None
    };

    let args = ffmpeg_args(
        &plan,
        input,
        Pass::Write {
            output: part.path(),
            measured: measured.as_ref(),
        },
    );
    if measured.is_some() {
        progress(0.5, "normalizing");
        run_ffmpeg(tools, &args, plan.duration(), &|f| {
            progress(0.5 + f * 0.5, "normalizing")
        })
        .await?;
    } else {
        progress(0.0, "extracting");
        run_ffmpeg(tools, &args, plan.duration(), &|f| {
            progress(f, "extracting")
        })
        .await?;
    }

    let written = check_output(tools, &plan, part.path()).await?;
    part.persist(&target).await?;
    Ok(Output {
        path: target,
        ..written
    })
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
