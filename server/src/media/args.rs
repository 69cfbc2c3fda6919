//! A [`Plan`] turned into ffmpeg arguments. Pure, so every flag is unit-tested.

use std::ffi::OsString;
use std::path::Path;

use serde::Deserialize;

use super::file_arg;
use super::plan::{Encoding, Plan, RateControl};

/// Loudness range target of the two-pass normalisation (EBU R128 default).
const LRA: f64 = 11.0;

/// Which ffmpeg run.
#[derive(Debug, Clone, Copy)]
pub enum Pass<'a> {
    /// loudnorm's measuring pass: no output file, the JSON report on stderr.
    Analyze,
    /// The pass that writes `output`, using the first pass's measurements when normalising.
    Write {
        output: &'a Path,
        measured: Option<&'a Measured>,
    },
}

/// What loudnorm's first pass measured (its `print_format=json` block; numbers as strings).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Measured {
    pub input_i: String,
    pub input_tp: String,
    pub input_lra: String,
    pub input_thresh: String,
    pub target_offset: String,
}

impl Measured {
    /// Silence measures as `-inf`: there is nothing to normalise.
    pub fn is_silent(&self) -> bool {
        [
            &self.input_i,
            &self.input_tp,
            &self.input_lra,
            &self.input_thresh,
            &self.target_offset,
        ]
        .iter()
        .any(|v| !v.trim().parse::<f64>().map(f64::is_finite).unwrap_or(false))
    }
}

/// Parse the last loudnorm JSON block out of ffmpeg's stderr lines.
pub fn parse_loudnorm(lines: &[String]) -> Option<Measured> {
    let end = lines.iter().rposition(|l| l.trim() == "}")?;
    let start = lines[..end].iter().rposition(|l| l.trim() == "{")?;
    serde_json::from_str(&lines[start..=end].join("\n")).ok()
}

/// Every argument after the program name.
pub fn ffmpeg_args(plan: &Plan, input: &Path, pass: Pass<'_>) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    let mut push = |items: &[&str]| a.extend(items.iter().map(OsString::from));
    // Info level only for the measuring pass, whose result is printed at that level; otherwise
    // errors only, so the kept stderr tail is the meaningful part.
    let level = if matches!(pass, Pass::Analyze) {
        "info"
    } else {
        "error"
    };
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
    // Re-encoding: -ss before -i seeks the input and decodes from there, sample-accurately.
    // Stream copy: input seeking would keep the packets between the index point and the start
    // with negative timestamps (Ogg writes them as an unreadable file), so -ss goes after -i,
    // where packets before the start are dropped; only demuxing is spent on them, no decoding.
    let seek_input = !plan.is_copy() || matches!(pass, Pass::Analyze);
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

    let (output, measured) = match pass {
        Pass::Analyze => {
            let filter = format!("{}:print_format=json", loudnorm_target(plan));
            push(&["-af", &filter, "-f", "null", "-"]);
            return a;
        }
        Pass::Write { output, measured } => (output, measured),
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
            if let Some(filter) = plan.loudness.and(measured).filter(|m| !m.is_silent()).map(|m| {
                format!(
                    "{}:measured_I={}:measured_TP={}:measured_LRA={}:measured_thresh={}:offset={}:linear=true:print_format=none",
                    loudnorm_target(plan),
                    m.input_i.trim(),
                    m.input_tp.trim(),
                    m.input_lra.trim(),
                    m.input_thresh.trim(),
                    m.target_offset.trim()
                )
            }) {
                push(&["-af", &filter]);
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
    a
}

fn loudnorm_target(plan: &Plan) -> String {
    let l = plan.loudness.expect("only called when normalising");
    format!("loudnorm=I={}:TP={}:LRA={LRA}", l.integrated, l.true_peak)
}

/// Seconds with millisecond precision, as ffmpeg's time options take them.
fn seconds(s: f64) -> String {
    format!("{s:.3}")
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
