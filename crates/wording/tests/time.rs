//! Time ranges in English and Chinese, and the refusals for ranges that make no sense.

use v2a_wording::{understand, Intent, TimePoint, TimeRange};

use TimePoint::{End, Start};

fn range(message: &str) -> Option<TimeRange> {
    match understand(message) {
        Intent::Extract { spec } => spec.range,
        other => panic!("{message:?} should be an extraction, got {other:?}"),
    }
}

fn r(start: TimePoint, end: Option<TimePoint>) -> Option<TimeRange> {
    Some(TimeRange { start, end })
}

const S: u64 = 1000;
const M: u64 = 60_000;

#[test]
fn english_ranges() {
    let cases = [
        ("from 0:30 to 2:15", r(Start(30 * S), Some(Start(135 * S)))),
        ("0:30-2:15", r(Start(30 * S), Some(Start(135 * S)))),
        ("0:30 – 2:15 as mp3", r(Start(30 * S), Some(Start(135 * S)))),
        ("between 1:00 and 1:30", r(Start(M), Some(Start(90 * S)))),
        ("the first 30 seconds", r(Start(0), Some(Start(30 * S)))),
        ("first 2 minutes", r(Start(0), Some(Start(2 * M)))),
        ("the first half minute", r(Start(0), Some(Start(30 * S)))),
        ("last minute", r(End(M), None)),
        ("the last 45 s", r(End(45 * S), None)),
        ("final 10 seconds", r(End(10 * S), None)),
        ("1:02:03 to end", r(Start(3723 * S), None)),
        ("from 2:00 till the end", r(Start(2 * M), None)),
        ("from 90s", r(Start(90 * S), None)),
        ("from 90 seconds onwards", r(Start(90 * S), None)),
        ("after 30 seconds", r(Start(30 * S), None)),
        ("until 1:00", r(Start(0), Some(Start(M)))),
        ("up to 2 minutes", r(Start(0), Some(Start(2 * M)))),
        ("start at 10 seconds", r(Start(10 * S), None)),
        ("from 1m30s to 2m", r(Start(90 * S), Some(Start(2 * M)))),
        (
            "from 1 minute 30 seconds to 2 minutes",
            r(Start(90 * S), Some(Start(2 * M))),
        ),
        (
            "1.5 minutes to 2 minutes",
            r(Start(90 * S), Some(Start(2 * M))),
        ),
        ("from 0:30.5 to 1:00", r(Start(30_500), Some(Start(M)))),
        ("00:01:30 to 00:02:00", r(Start(90 * S), Some(Start(2 * M)))),
        ("from 10 to 20", r(Start(10 * S), Some(Start(20 * S)))),
        ("30 to 90 seconds", r(Start(30 * S), Some(Start(90 * S)))),
        ("from 1 to 2 minutes", r(Start(M), Some(Start(2 * M)))),
        ("from the start to 1:00", r(Start(0), Some(Start(M)))),
        ("from 1:00 for 30 seconds", r(Start(M), Some(Start(90 * S)))),
        (
            "30 seconds starting at 1:00",
            r(Start(M), Some(Start(90 * S))),
        ),
        ("skip the first 10 seconds", r(Start(10 * S), None)),
        ("remove the last 5 s", r(Start(0), Some(End(5 * S)))),
        (
            "everything except the last 10 seconds",
            r(Start(0), Some(End(10 * S))),
        ),
        (
            "trim the first 5 seconds and the last 5 seconds",
            r(Start(5 * S), Some(End(5 * S))),
        ),
        (
            "keep only the first 30 seconds",
            r(Start(0), Some(Start(30 * S))),
        ),
        ("first hour", r(Start(0), Some(Start(3600 * S)))),
        ("from minute 1 to minute 2", r(Start(M), Some(Start(2 * M)))),
        ("first 90 secs", r(Start(0), Some(Start(90 * S)))),
        ("last 2 mins", r(End(2 * M), None)),
        ("from 0:00 to the end", None),
    ];
    for (message, want) in cases {
        assert_eq!(range(message), want, "{message}");
    }
}

#[test]
fn chinese_ranges() {
    let cases = [
        ("从0:30到2:15", r(Start(30 * S), Some(Start(135 * S)))),
        (
            "从０：３０到２：１５",
            r(Start(30 * S), Some(Start(135 * S))),
        ),
        ("0:30至2:15", r(Start(30 * S), Some(Start(135 * S)))),
        ("从1分30秒到2分钟", r(Start(90 * S), Some(Start(2 * M)))),
        ("三十秒到一分钟", r(Start(30 * S), Some(Start(M)))),
        ("前30秒", r(Start(0), Some(Start(30 * S)))),
        ("前两分钟", r(Start(0), Some(Start(2 * M)))),
        ("开头10秒", r(Start(0), Some(Start(10 * S)))),
        ("前一分半", r(Start(0), Some(Start(90 * S)))),
        ("最后一分钟", r(End(M), None)),
        ("最后30秒", r(End(30 * S), None)),
        ("后30秒", r(End(30 * S), None)),
        ("从1分钟开始", r(Start(M), None)),
        ("1分钟之后", r(Start(M), None)),
        ("30秒以后", r(Start(30 * S), None)),
        ("到1:00为止", r(Start(0), Some(Start(M)))),
        ("1:00之前", r(Start(0), Some(Start(M)))),
        ("从头到1:00", r(Start(0), Some(Start(M)))),
        ("跳过前10秒", r(Start(10 * S), None)),
        ("去掉最后5秒", r(Start(0), Some(End(5 * S)))),
        ("在1:00和1:30之间", r(Start(M), Some(Start(90 * S)))),
        ("从第5秒开始到第20秒", r(Start(5 * S), Some(Start(20 * S)))),
        ("第10秒到第20秒", r(Start(10 * S), Some(Start(20 * S)))),
        ("从1:00开始截取30秒", r(Start(M), Some(Start(90 * S)))),
        ("最后10秒不要", r(Start(0), Some(End(10 * S)))),
        ("把片头30秒去掉", r(Start(30 * S), None)),
        (
            "视频太长了，只要中间1分钟到2分钟",
            r(Start(M), Some(Start(2 * M))),
        ),
        ("从一分钟到两分钟", r(Start(M), Some(Start(2 * M)))),
        ("一分钟到一分三十秒", r(Start(M), Some(Start(90 * S)))),
        ("把视频的前10分钟转成mp3", r(Start(0), Some(Start(10 * M)))),
    ];
    for (message, want) in cases {
        assert_eq!(range(message), want, "{message}");
    }
}

#[test]
fn backwards_and_empty_ranges_are_refused_with_both_ends_named() {
    let cases = [
        (
            "from 0:30 to 0:10",
            &["the end 0:10 comes before the start 0:30"][..],
        ),
        ("1:00-0:45 as mp3", &["0:45", "1:00", "before the start"]),
        ("从0:30到0:10", &["0:10", "0:30", "早于"]),
        ("from 0:30 to 0:30", &["ends where it starts", "0:30"]),
        ("the first 0 seconds", &["empty", "0:00"]),
        (
            "from 1:00 to 2:00 and from 3:00 to 4:00",
            &["more than one time range"],
        ),
        (
            "cut the first 30 seconds",
            &["keep it or drop it", "first 30 seconds"],
        ),
        ("mp3 from 1:75", &["1:75", "m:ss"]),
        ("at 1:30", &["1:30", "could not place"]),
    ];
    for (message, words) in cases {
        match understand(message) {
            Intent::Unsupported { reason } => {
                for w in words {
                    assert!(
                        reason.contains(w),
                        "{message}: {reason:?} should mention {w:?}"
                    );
                }
            }
            other => panic!("{message:?} should be refused, got {other:?}"),
        }
    }
}

#[test]
fn resolve_clamps_to_the_media() {
    let last = range("last minute").expect("a range");
    assert_eq!(last.resolve(300.0), Some((240.0, 300.0)));
    assert_eq!(last.resolve(20.0), Some((0.0, 20.0)));
    let mid = range("from 0:30 to 2:15").expect("a range");
    assert_eq!(mid.resolve(60.0), Some((30.0, 60.0)));
    assert_eq!(mid.resolve(10.0), None);
}
