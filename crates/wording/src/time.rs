//! Time ranges ("from 0:30 to 2:15", "the first 30 seconds", "last minute", "从0:30到2:15",
//! "最后一分钟", "skip the first 10 s"), built from the times `duration.rs` reads.

use super::duration::{duration_at, ms, timed_at, unit_at, MINUTE};
use super::spec::{TimePoint, TimeRange};
use super::time_words::{
    AFTER, AMBIGUOUS_CUT, BARE_TO, BEFORE, DROP, DROP_AFTER, FIRST, FROM, FROM_START, LAST, TO,
    TO_END, UNTIL, WHOLE,
};
use super::tokens::Tokens;
use super::{Ctx, Parse};
use v2a_protocol::text::Key;
use v2a_protocol::units::clock;

/// Pieces of a range as they are found; a second start or end is a second range.
#[derive(Default)]
struct Build {
    start: Option<TimePoint>,
    end: Option<Option<TimePoint>>,
    /// Token after the last "skip the first …", so "and the last 5 s" is dropped too.
    drop_end: Option<usize>,
}

impl Build {
    fn set(&mut self, cx: &Ctx, start: Option<TimePoint>, end: Option<Option<TimePoint>>) -> Parse {
        if (start.is_some() && self.start.is_some()) || (end.is_some() && self.end.is_some()) {
            return Err(cx.say(Key::RefuseSeveralRanges, &[]));
        }
        self.start = self.start.or(start);
        self.end = self.end.or(end);
        Ok(())
    }

    /// From `start` to `end`, both milliseconds from the start.
    fn span(&mut self, cx: &Ctx, start: u64, end: u64) -> Parse {
        let (start, end) = (TimePoint::Start(start), TimePoint::Start(end));
        self.set(cx, Some(start), Some(Some(end)))
    }
}

/// Whether a drop verb ends just before `i` ("skip the | first"), or an ambiguous "cut".
fn verb_before(t: &Tokens, i: usize, verbs: &[&str]) -> bool {
    let k = if i > 0 && t.at(i - 1, "the").is_some() {
        i - 1
    } else {
        i
    };
    (1..=3).any(|len| k >= len && t.at_any(k - len, verbs).is_some_and(|(_, n)| n == len))
}

/// "first 30 s" / "last minute" at `i`: (is_last, ms, end token).
fn first_last_at(t: &Tokens, i: usize) -> Option<(bool, u64, usize)> {
    let (is_last, n) = match (t.at_any(i, FIRST), t.at_any(i, LAST)) {
        (Some((_, n)), _) => (false, n),
        (None, Some((_, n))) => {
            // "后" alone is "last" ("后30秒"), but not the end of "然后", "之后", "以后"…
            let after_word = i > 0 && t.at_any(i - 1, &["然", "之", "以", "最", "前"]).is_some();
            if t.at(i, "后").is_some() && after_word {
                return None;
            }
            (true, n)
        }
        _ => return None,
    };
    let j = i + n + usize::from(t.at(i + n, "的").is_some());
    if let Some(d) = timed_at(t, j) {
        return Some((is_last, d.ms, d.end));
    }
    // "first minute", "last hour": one of the unit.
    let (f, u) = unit_at(t, j).filter(|(f, _)| *f >= MINUTE)?;
    Some((is_last, f, j + u))
}

/// Read the time range, if any, into `cx.spec.range`.
pub(crate) fn range(cx: &mut Ctx) -> Parse {
    if let Some((i, n)) = cx.t.find_any(WHOLE) {
        cx.t.take(i, n);
        cx.asked = true;
    }
    let mut b = Build::default();
    let mut i = 0;
    while i < cx.t.len() {
        match step(cx, &mut b, i)? {
            Some(end) => {
                cx.t.take(i, end - i);
                i = end;
            }
            None => i += 1,
        }
    }
    let start = b.start.unwrap_or(TimePoint::Start(0));
    let end = b.end.unwrap_or(None);
    if b.start.is_none() && b.end.is_none() {
        return Ok(());
    }
    cx.asked = true;
    check(cx, start, end)?;
    cx.spec.range =
        (start != TimePoint::Start(0) || end.is_some()).then_some(TimeRange { start, end });
    Ok(())
}

/// One pattern at `i`; the token after it when one matched.
fn step(cx: &Ctx, b: &mut Build, i: usize) -> Result<Option<usize>, String> {
    let t = &cx.t;
    if let Some((is_last, ms, end)) = first_last_at(t, i) {
        if verb_before(t, i, AMBIGUOUS_CUT) && !verb_before(t, i, DROP) {
            let what = t.text(i, end);
            return Err(cx.say(Key::RefuseAmbiguousCut, &[("what", &what.to_string())]));
        }
        let carried = b.drop_end.is_some_and(|e| {
            let mut k = e;
            while let Some((_, n)) = t.at_any(
                k,
                &["and", "the", ",", "和", "以及", "及", "与", "还有", "也"],
            ) {
                k += n;
            }
            k == i
        });
        let after = end
            + t.at_any(end, &["的", "部分", "都", "也"])
                .map_or(0, |x| x.1);
        let dropped_after = t.at_any(after, DROP_AFTER).map(|x| after + x.1);
        let end = dropped_after.unwrap_or(end);
        let drop = carried || dropped_after.is_some() || verb_before(t, i, DROP);
        if drop {
            b.drop_end = Some(end);
        }
        match (is_last, drop) {
            (false, false) => b.set(
                cx,
                Some(TimePoint::Start(0)),
                Some(Some(TimePoint::Start(ms))),
            )?,
            (true, false) => b.set(cx, Some(TimePoint::End(ms)), Some(None))?,
            (false, true) => b.set(cx, Some(TimePoint::Start(ms)), None)?,
            (true, true) => b.set(cx, None, Some(Some(TimePoint::End(ms))))?,
        }
        return Ok(Some(end));
    }
    if let Some((_, n)) = t.at_any(i, &["between", "在"]) {
        if let Some((d1, d2, end)) =
            pair(t, i + n, &["and", "-", "to", "到", "和", "与", "至"], true)
        {
            let end = end + t.at(end, "之间").unwrap_or(0);
            b.span(cx, d1, d2)?;
            return Ok(Some(end));
        }
    }
    if let Some((_, n)) = t.at_any(i, FROM) {
        let j = i + n;
        let the = usize::from(t.at(j, "the").is_some() && duration_at(t, j + 1).is_some());
        if let Some((d1, d2, end)) = pair(t, j + the, TO, true) {
            b.span(cx, d1, d2)?;
            return Ok(Some(
                end + t.at_any(end, &["为止", "之间"]).map_or(0, |x| x.1),
            ));
        }
        if let Some((_, s)) = t.at_any(j, FROM_START) {
            if let Some((_, to)) = t.at_any(j + s, TO) {
                if let Some(d) = timed_at(t, j + s + to) {
                    b.set(cx, None, Some(Some(TimePoint::Start(d.ms))))?;
                    return Ok(Some(d.end));
                }
            }
        }
        if let Some(d) = timed_at(t, j + the) {
            let mut end = d.end;
            if let Some((_, f)) = t.at_any(end, &["for", "持续"]) {
                if let Some(len) = timed_at(t, end + f) {
                    let stop = TimePoint::Start(d.ms + len.ms);
                    b.set(cx, Some(TimePoint::Start(d.ms)), Some(Some(stop)))?;
                    return Ok(Some(len.end));
                }
            }
            if let Some((_, to)) = t.at_any(end, TO) {
                if let Some(e) = to_end(t, end + to) {
                    end += to + e;
                }
            }
            end += t.at_any(end, AFTER).map_or(0, |x| x.1);
            // "从1:00开始截取30秒": where it starts, then how long.
            let take = t
                .at_any(end, &["截取", "提取", "截", "取", "take", "grab", "keep"])
                .map_or(0, |x| x.1);
            if let Some(len) = timed_at(t, end + take).filter(|_| end > d.end) {
                let stop = TimePoint::Start(d.ms + len.ms);
                b.set(cx, Some(TimePoint::Start(d.ms)), Some(Some(stop)))?;
                return Ok(Some(len.end));
            }
            b.set(cx, Some(TimePoint::Start(d.ms)), None)?;
            return Ok(Some(end));
        }
    }
    // "skip 10 seconds", "跳过10秒": the first so long is dropped.
    if let Some((_, n)) = t.at_any(i, &["skip", "skip over", "跳过"]) {
        if let Some(d) = timed_at(t, i + n) {
            b.set(cx, Some(TimePoint::Start(d.ms)), None)?;
            return Ok(Some(d.end));
        }
    }
    if let Some((_, n)) = t.at_any(i, &["after", "过了"]) {
        if let Some(d) = timed_at(t, i + n) {
            b.set(cx, Some(TimePoint::Start(d.ms)), None)?;
            return Ok(Some(d.end + t.at_any(d.end, AFTER).map_or(0, |x| x.1)));
        }
    }
    if let Some((_, n)) = t.at_any(i, UNTIL) {
        // "until the 3 minute mark".
        let n = n + usize::from(t.at(i + n, "the").is_some() && timed_at(t, i + n + 1).is_some());
        if let Some(d) = timed_at(t, i + n) {
            b.set(cx, None, Some(Some(TimePoint::Start(d.ms))))?;
            return Ok(Some(d.end + t.at(d.end, "为止").unwrap_or(0)));
        }
    }
    if let Some((d1, d2, end)) = pair(t, i, BARE_TO, false) {
        b.span(cx, d1, d2)?;
        return Ok(Some(end));
    }
    if let Some(d) = timed_at(t, i) {
        // "a minute and a half from the start": the first so long.
        if let Some((_, f)) = t.at_any(d.end, &["from the start", "from the beginning"]) {
            b.set(
                cx,
                Some(TimePoint::Start(0)),
                Some(Some(TimePoint::Start(d.ms))),
            )?;
            return Ok(Some(d.end + f));
        }
        // "30 seconds from 1:00": a length and where it starts.
        if let Some((_, f)) = t.at_any(
            d.end,
            &[
                "from",
                "starting at",
                "starting from",
                "start at",
                "beginning at",
            ],
        ) {
            if let Some(at) = timed_at(t, d.end + f) {
                let stop = TimePoint::Start(at.ms + d.ms);
                b.set(cx, Some(TimePoint::Start(at.ms)), Some(Some(stop)))?;
                return Ok(Some(at.end));
            }
        }
        if let Some((_, to)) = t.at_any(d.end, TO) {
            if let Some(e) = to_end(t, d.end + to) {
                b.set(cx, Some(TimePoint::Start(d.ms)), Some(None))?;
                return Ok(Some(d.end + to + e));
            }
        }
        if let Some((_, a)) = t.at_any(d.end, BEFORE) {
            b.set(cx, None, Some(Some(TimePoint::Start(d.ms))))?;
            return Ok(Some(d.end + a));
        }
        if let Some((_, a)) = t.at_any(d.end, AFTER) {
            b.set(cx, Some(TimePoint::Start(d.ms)), None)?;
            return Ok(Some(d.end + a));
        }
    }
    Ok(None)
}

/// "the end" at `i` (but "end at 0:45" is where it ends), with its length.
fn to_end(t: &Tokens, i: usize) -> Option<usize> {
    let (_, n) = t.at_any(i, TO_END)?;
    t.at(i + n, "at").is_none().then_some(n)
}

/// "d1 <sep> d2" at `i`, where a bare number takes the other end's unit ("30 to 90 seconds")
/// and two bare numbers are seconds only after "from" / "between" (the callers).
fn pair(t: &Tokens, i: usize, seps: &[&str], marked: bool) -> Option<(u64, u64, usize)> {
    let d1 = duration_at(t, i)?;
    let (_, s) = t.at_any(d1.end, seps)?;
    let d2 = duration_at(t, d1.end + s)?;
    let explicit = d1.unit.is_some() || d2.unit.is_some();
    if !explicit && !marked {
        return None;
    }
    let a = match (d1.unit, d2.unit) {
        (None, Some(f)) => ms(d1.bare, f),
        _ => d1.ms,
    };
    let b = match (d2.unit, d1.unit) {
        (None, Some(f)) => ms(d2.bare, f),
        _ => d2.ms,
    };
    Some((a, b, d2.end))
}

/// An empty or backwards range is refused with both ends named.
fn check(cx: &Ctx, start: TimePoint, end: Option<TimePoint>) -> Parse {
    match (start, end) {
        (TimePoint::Start(a), Some(TimePoint::Start(b))) if b == a => {
            Err(cx.say(Key::RefuseEmptyRangeAt, &[("at", &clock(a))]))
        }
        (TimePoint::Start(a), Some(TimePoint::Start(b))) if b < a => Err(cx.say(
            Key::RefuseEndBeforeStart,
            &[("start", &clock(a)), ("end", &clock(b))],
        )),
        (TimePoint::End(0), _) => Err(cx.say(Key::RefuseLastZero, &[])),
        (TimePoint::End(a), Some(TimePoint::End(b))) if b >= a => {
            Err(cx.say(Key::RefuseEndsBeforeStarts, &[]))
        }
        _ => Ok(()),
    }
}
