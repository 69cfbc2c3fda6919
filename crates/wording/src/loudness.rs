//! Loudness normalisation: "normalise", "podcast loudness", "-14 LUFS", "-2 dBTP", "标准化响度".

use super::format::number_after;
use super::spec::Loudness;
use super::{Ctx, Parse};
use v2a_protocol::loudness::{INTEGRATED_RANGE, TRUE_PEAK_RANGE};
use v2a_protocol::text::Key;

const NORMALIZE: &[&str] = &[
    "normalize",
    "normalise",
    "normalized",
    "normalised",
    "normalizing",
    "normalising",
    "normalization",
    "normalisation",
    "loudness",
    "even out the volume",
    "even out the loudness",
    "标准化",
    "响度",
    "归一化",
];
const LUFS: &[&str] = &["lufs", "lkfs", "lu"];
const DBTP: &[&str] = &["dbtp", "db tp", "db true peak", "dbfs true peak"];
const TRUE_PEAK: &[&str] = &["true peak", "true-peak", "peak", "真峰值", "峰值"];

/// Loudness normalisation: the podcast target unless LUFS or dBTP are given.
pub(crate) fn loudness(cx: &mut Ctx) -> Parse {
    let mut wanted = cx.t.has_any(NORMALIZE);
    let mut target = Loudness::PODCAST;
    // EBU R128 is a broadcast standard with its own target.
    if let Some((i, n)) =
        cx.t.find_any(&["ebu r128", "ebu r 128", "r128", "r 128", "ebu"])
    {
        cx.t.take(i, n);
        target.integrated = -23.0;
        wanted = true;
    }
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        if let Some((_, u)) = cx.t.at_any(i + 1, LUFS) {
            target.integrated = -n.abs();
            cx.t.take(i, 1 + u);
            wanted = true;
        } else if let Some((_, u)) = cx.t.at_any(i + 1, DBTP) {
            target.true_peak = -n.abs();
            cx.t.take(i, 1 + u);
            wanted = true;
        }
    }
    for (words, is_peak) in [(LUFS, false), (TRUE_PEAK, true)] {
        if let Some((w, n)) = cx.t.find_any(words) {
            if let Some((j, v)) = number_after(cx, w + n, 4) {
                let unit =
                    cx.t.at_any(j + 1, &["db", "dbtp", "dbfs"])
                        .map_or(0, |u| u.1);
                cx.t.take(w, j + 1 + unit - w);
                if is_peak {
                    target.true_peak = -v.abs();
                } else {
                    target.integrated = -v.abs();
                }
                wanted = true;
            }
        }
    }
    if !wanted {
        return Ok(());
    }
    let plain = |v: f64| super::number::Plain(v).to_string();
    if !INTEGRATED_RANGE.contains(&target.integrated) {
        return Err(cx.say(
            Key::RefuseLoudnessTarget,
            &[
                ("lufs", &plain(target.integrated)),
                ("min", &plain(*INTEGRATED_RANGE.start())),
                ("max", &plain(*INTEGRATED_RANGE.end())),
                ("podcast", &plain(Loudness::PODCAST.integrated)),
            ],
        ));
    }
    if !TRUE_PEAK_RANGE.contains(&target.true_peak) {
        return Err(cx.say(
            Key::RefuseTruePeak,
            &[
                ("dbtp", &plain(target.true_peak)),
                ("min", &plain(*TRUE_PEAK_RANGE.start())),
                ("max", &plain(*TRUE_PEAK_RANGE.end())),
            ],
        ));
    }
    cx.spec.loudness = Some(target);
    Ok(())
}
