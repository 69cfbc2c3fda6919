//! A [`Plan`] turned into ffmpeg arguments. Pure, so every flag is unit-tested.
//!
//! Loudness normalisation is measure-then-gain. ffmpeg's `loudnorm` upsamples to 192 kHz in
//! both of its passes, which made a 105 s clip take ~30 s; `ebur128=peak=true` measures the
//! same integrated loudness and true peak in well under a second, and loudnorm's linear mode
//! is only a gain anyway, so the write pass is a plain `volume`. When that gain would push the
//! true peak over the ceiling, a limiter holds the peaks and the gain is re-measured (peaks
//! carry loudness, so limiting lowers it) a few times before writing.

use std::ffi::OsString;
use std::path::Path;

pub use v2a_protocol::loudness::{gain_for, lower_limit, retune, Gain, Measured};

use super::file_arg;
use super::plan::{Encoding, Plan, RateControl};

/// A stream copy decodes this much of what it copies, in the same run, to prove it plays.
pub const VERIFY_SECONDS: f64 = 30.0;

/// ebur128 takes only float samples; framelog=verbose keeps its ten lines a second out of the
/// info-level log, leaving the summary at the end of stderr.
const EBUR128: &str = "aformat=sample_fmts=dbl|flt,ebur128=peak=true:framelog=verbose";

/// Which ffmpeg run.
#[derive(Debug, Clone, Copy)]
pub enum Pass<'a> {
    /// Measure the input's loudness: no output file, ebur128's summary on stderr.
    Analyze,
    /// Measure what `gain` (with its limiter) makes of the input, the same way.
    Check(&'a Gain),
    /// The pass that writes `output`, applying `gain` when normalising.
    Write {
        output: &'a Path,
        gain: Option<&'a Gain>,
    },
}

/// Read ebur128's closing summary ("Integrated loudness: … I: -16.0 LUFS … True peak: … Peak:
/// -1.2 dBFS") out of ffmpeg's stderr lines.
pub fn parse_ebur128(lines: &[String]) -> Option<Measured> {
    let start = lines.iter().rposition(|l| l.contains("Summary:"))?;
    let value = |label: &str, unit: &str| {
        lines[start..].iter().find_map(|l| {
            let rest = l.trim().strip_prefix(label)?;
            rest.trim().strip_suffix(unit)?.trim().parse::<f64>().ok()
        })
    };
    Some(Measured {
        integrated: value("I:", "LUFS")?,
        true_peak: value("Peak:", "dBFS")?,
    })
}

/// Every argument after the program name.
pub fn ffmpeg_args(plan: &Plan, input: &Path, pass: Pass<'_>) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    let mut push = |items: &[&str]| a.extend(items.iter().map(OsString::from));
    // Info level only for the measuring passes, whose result is printed at that level; otherwise
    // errors only, so the kept stderr tail is the meaningful part.
    let measuring = matches!(pass, Pass::Analyze | Pass::Check(_));
    let level = if measuring { "info" } else { "error" };
    push(&[
        "-nostdin",
        "-hide_banner",
        "-v",
        level,
        "-y",
        "-progress",
        "pipe:1",
        "-nostats",
    ]);
    let verify_copy = plan.is_copy() && !measuring;
    if verify_copy {
        // A packet that does not decode ends the run (see the second output below).
        push(&["-xerror"]);
    }
    // Re-encoding: -ss before -i seeks the input and decodes from there, sample-accurately.
    // Stream copy: input seeking would keep the packets between the index point and the start
    // with negative timestamps (Ogg writes them as an unreadable file), so -ss goes after -i,
    // where packets before the start are dropped; only demuxing is spent on them, no decoding.
    let seek_input = !plan.is_copy() || measuring;
    if plan.start > 0.0 && seek_input {
        push(&["-ss", &seconds(plan.start)]);
    }
    a.push("-i".into());
    a.push(file_arg(input));
    let mut push = |items: &[&str]| a.extend(items.iter().map(OsString::from));
    if plan.start > 0.0 && !seek_input {
        push(&["-ss", &seconds(plan.start)]);
    }
    if plan.is_trimmed() {
        push(&["-t", &seconds(plan.duration())]);
    }
    push(&["-map", &format!("0:a:{}", plan.track), "-vn", "-sn", "-dn"]);

    let (output, gain) = match pass {
        Pass::Analyze | Pass::Check(_) => {
            let mut chain = layout_filter(plan);
            if let Pass::Check(gain) = pass {
                chain.extend(gain_filters(gain));
            }
            chain.push(EBUR128.into());
            push(&["-af", &chain.join(","), "-f", "null", "-"]);
            return a;
        }
        Pass::Write { output, gain } => (output, gain),
    };

    // Keep the title, artist… but not the source container's brand bookkeeping.
    push(&[
        "-map_metadata",
        "0",
        "-metadata",
        "major_brand=",
        "-metadata",
        "minor_version=",
    ]);
    push(&["-metadata", "compatible_brands="]);
    match &plan.encoding {
        Encoding::Copy => push(&["-c:a", "copy"]),
        Encoding::Encode { encoder, rate } => {
            push(&["-c:a", encoder]);
            match rate {
                RateControl::Bitrate(k) => push(&["-b:a", &format!("{k}k")]),
                RateControl::Quality(q) => push(&["-q:a", &format!("{q}")]),
                RateControl::Lossless => {}
            }
            if *encoder == "libopus"
                && plan.channels == Some(1)
                && matches!(rate, RateControl::Bitrate(k) if *k <= 48)
            {
                push(&["-application", "voip"]);
            }
            if let Some(gain) = gain.filter(|_| plan.loudness.is_some()) {
                let mut chain = layout_filter(plan);
                chain.extend(gain_filters(gain));
                push(&["-af", &chain.join(",")]);
            }
            if let Some(rate) = plan.sample_rate {
                push(&["-ar", &rate.to_string()]);
            }
            if let Some(channels) = plan.channels {
                push(&["-ac", &channels.to_string()]);
            }
        }
    }
    push(&["-f", plan.muxer]);
    if plan.muxer == "ipod" {
        // Index first, so the file starts playing before it is fully downloaded.
        push(&["-movflags", "+faststart"]);
    }
    a.push(file_arg(output));
    if verify_copy {
        // Copied packets are never decoded on their way, and a container's header can be fine
        // over packets no player can decode. A second output decodes the start of the same
        // packets in this run (-xerror fails it on the first bad one): the check a second
        // ffmpeg reading the file back made, without its start-up (~0.25 s a job, measured in
        // bench/RESULTS.md).
        let mut push = |items: &[&str]| a.extend(items.iter().map(OsString::from));
        push(&["-map", &format!("0:a:{}", plan.track)]);
        if plan.start > 0.0 {
            push(&["-ss", &seconds(plan.start)]);
        }
        push(&[
            "-t",
            &seconds(VERIFY_SECONDS.min(plan.duration())),
            "-f",
            "null",
            "-",
        ]);
    }
    a
}

/// Measure a written file's loudness and true peak with ebur128 (its summary on stderr).
pub fn measure_output_args(path: &Path) -> Vec<OsString> {
    read_through_args(path, "info", &["-af", EBUR128])
}

/// ffmpeg reading the first audio stream of `path` to the end into nothing, reporting progress
/// on stdout, logging at `level`, with `how` (a filter, or `-c copy`) between.
pub fn read_through_args(path: &Path, level: &str, how: &[&str]) -> Vec<OsString> {
    let mut a: Vec<OsString> = [
        "-nostdin",
        "-hide_banner",
        "-v",
        level,
        "-progress",
        "pipe:1",
        "-nostats",
        "-i",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    a.push(file_arg(path));
    a.extend(["-map", "0:a:0"].iter().map(OsString::from));
    a.extend(how.iter().map(OsString::from));
    a.extend(["-f", "null", "-"].iter().map(OsString::from));
    a
}

/// The loudness passes mix down to the planned channels first, so what is measured is what
/// is written (a stereo tone mixed to mono measures 3 LU quieter).
fn layout_filter(plan: &Plan) -> Vec<String> {
    match plan.channels {
        Some(1) => vec!["aformat=channel_layouts=mono".into()],
        Some(2) => vec!["aformat=channel_layouts=stereo".into()],
        _ => Vec::new(),
    }
}

/// `volume`, then the limiter when there is one (`level=false`: no make-up gain of its own;
/// `latency=true`: its lookahead does not shift the audio).
fn gain_filters(gain: &Gain) -> Vec<String> {
    let mut chain = vec![format!("volume={:.2}dB", gain.db)];
    if let Some(limit) = gain.limit {
        chain.push(format!(
            "alimiter=limit={:.4}:level=false:latency=true",
            10f64.powf(limit / 20.0)
        ));
    }
    chain
}

/// Seconds with millisecond precision, as ffmpeg's time options take them.
fn seconds(s: f64) -> String {
    format!("{s:.3}")
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
