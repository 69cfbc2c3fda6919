//! Lengths and points in time: "1:02:03", "0:30.5", "90 seconds", "1m30s", "1.5 minutes",
//! "a minute", "half an hour", "三十秒", "一分半".

use super::text::Tok;
use super::tokens::Tokens;

pub(crate) const HOUR: u64 = 3_600_000;
pub(crate) const MINUTE: u64 = 60_000;
pub(crate) const SECOND: u64 = 1_000;
/// Units of time, longest word first where one starts another ("minutes" before "min").
const UNITS: &[(&str, u64)] = &[
    ("hours", HOUR),
    ("hour", HOUR),
    ("hrs", HOUR),
    ("hr", HOUR),
    ("h", HOUR),
    ("个小时", HOUR),
    ("小时", HOUR),
    ("个钟头", HOUR),
    ("钟头", HOUR),
    ("minutes", MINUTE),
    ("minute", MINUTE),
    ("mins", MINUTE),
    ("min", MINUTE),
    ("m", MINUTE),
    ("分钟", MINUTE),
    ("分", MINUTE),
    ("seconds", SECOND),
    ("second", SECOND),
    ("secs", SECOND),
    ("sec", SECOND),
    ("s", SECOND),
    ("秒钟", SECOND),
    ("秒", SECOND),
    ("milliseconds", 1),
    ("millisecond", 1),
    ("ms", 1),
    ("毫秒", 1),
];

/// A time read from the message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dur {
    pub ms: u64,
    /// Token after it.
    pub end: usize,
    /// The unit of its last part; `None` for a bare number ("from 10 to 20").
    pub unit: Option<u64>,
    /// The bare number, so that "30 to 90 seconds" can give it the other end's unit.
    pub bare: f64,
}

pub(crate) fn unit_at(t: &Tokens, i: usize) -> Option<(u64, usize)> {
    t.lookup(i, UNITS)
}

pub(crate) fn ms(n: f64, factor: u64) -> u64 {
    (n * factor as f64).round() as u64
}

/// A time starting at `i`.
pub(crate) fn duration_at(t: &Tokens, i: usize) -> Option<Dur> {
    if let (Some(Tok::Clock(ms)), false) = (t.tok(i), t.used.get(i).copied().unwrap_or(true)) {
        return Some(Dur {
            ms: *ms,
            end: i + 1,
            unit: Some(SECOND),
            bare: 0.0,
        });
    }
    for (phrase, ms) in [
        ("half a minute", 30 * SECOND),
        ("half minute", 30 * SECOND),
        ("half hour", 30 * MINUTE),
        ("half an hour", 30 * MINUTE),
        ("半分钟", 30 * SECOND),
        ("半个小时", 30 * MINUTE),
        ("半小时", 30 * MINUTE),
    ] {
        if let Some(n) = t.at(i, phrase) {
            return Some(Dur {
                ms,
                end: i + n,
                unit: Some(SECOND),
                bare: 0.0,
            });
        }
    }
    if let Some((_, n)) = t.at_any(i, &["a", "an"]) {
        if let Some((f, u)) = unit_at(t, i + n) {
            // "a minute and a half".
            let half = t.at(i + n + u, "and a half");
            return Some(Dur {
                ms: f + half.map_or(0, |_| f / 2),
                end: i + n + u + half.unwrap_or(0),
                unit: Some(f),
                bare: 0.0,
            });
        }
    }
    // A point named by its unit: "minute 2", and "第5秒" (the fifth second).
    if let Some((_, n)) = t.at_any(i, &["minute", "min"]) {
        if let Some(v) = t.num(i + n).filter(|_| unit_at(t, i + n + 1).is_none()) {
            return Some(Dur {
                ms: ms(v, MINUTE),
                end: i + n + 1,
                unit: Some(MINUTE),
                bare: 0.0,
            });
        }
    }
    if t.at(i, "第").is_some() {
        return duration_at(t, i + 1).filter(|d| d.unit.is_some());
    }
    let first = t.num(i)?;
    let (mut total, mut j, mut last) = (0, i, None::<u64>);
    while let Some(n) = t.num(j) {
        // "2 and a half minutes".
        let half = t.at(j + 1, "and a half");
        let k = j + 1 + half.unwrap_or(0);
        let n = n + half.map_or(0.0, |_| 0.5);
        let Some((f, u)) = unit_at(t, k).filter(|(f, _)| last.map_or(true, |l| *f < l)) else {
            // "1 minute 30", "one minute thirty": the seconds need no unit.
            let seconds = last == Some(MINUTE) && n < 60.0 && n.fract() == 0.0;
            let ends = !matches!(t.tok(j + 1), Some(Tok::Word(_) | Tok::Han(_)))
                || t.at_any(j + 1, &["to", "until", "till", "and", "-"])
                    .is_some();
            if seconds && half.is_none() && ends {
                total += ms(n, SECOND);
                j += 1;
                last = Some(SECOND);
            }
            break;
        };
        total += ms(n, f);
        j = k + u;
        last = Some(f);
        if t.at_any(j, &["半", "and a half"]).is_some() {
            // "一分半", "a minute and a half".
            total += f / 2;
            j += t.at_any(j, &["半", "and a half"]).map_or(0, |x| x.1);
        }
        if t.at_any(j, &["and", ","]).is_some() && t.num(j + 1).is_some() {
            j += 1;
        }
    }
    match last {
        Some(_) => Some(Dur {
            ms: total,
            // "the 2 minute mark".
            end: j + t.at(j, "mark").unwrap_or(0),
            unit: last,
            bare: 0.0,
        }),
        None => Some(Dur {
            ms: ms(first, SECOND),
            end: i + 1,
            unit: None,
            bare: first,
        }),
    }
}

/// A time with a unit (or a clock) at `i`: single-ended phrases never take a bare number.
pub(crate) fn timed_at(t: &Tokens, i: usize) -> Option<Dur> {
    duration_at(t, i).filter(|d| d.unit.is_some())
}
