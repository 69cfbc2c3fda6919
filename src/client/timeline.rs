//! The session's draft read for people and for change detection: the description's short keys
//! (`t` tracks, `tt` track type 0 video / 1 audio / 7 text, `sg` segments, `s` start and `d`
//! duration in ms, `m` metadata, `n` or `m.name` a name) become "Timeline (2 tracks): 1. Video:
//! talk.mp4 (0–3s) 2. Audio: talk.mp3 (0–3s)", and a fingerprint tells whether a run changed it.

use serde_json::Value;

use crate::protocol::text::{say, Key};
use crate::protocol::Lang;

fn tracks(draft: &Value) -> &[Value] {
    draft
        .get("t")
        .or_else(|| draft.get("tracks"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn segments(track: &Value) -> &[Value] {
    track
        .get("sg")
        .or_else(|| track.get("segments"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn name_of(item: &Value) -> Option<String> {
    ["n", "name", "title", "text"]
        .iter()
        .find_map(|k| item.get(*k).and_then(Value::as_str))
        .or_else(|| {
            item.get("m")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
        })
        .or_else(|| item.get("id").and_then(Value::as_str))
        .map(str::to_string)
}

fn ms(item: &Value, key: &str) -> Option<f64> {
    item.get(key).and_then(Value::as_f64)
}

/// Seconds as people read them: "3", "2.5". Integer arithmetic: formatting a float with a
/// precision would add core's exact float printer to the wasm.
fn seconds(ms: f64) -> String {
    let tenths = (ms / 100.0).round() as i64;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, (tenths % 10).abs())
    }
}

/// The track summary of a draft, or `None` when nothing is on it (no track, or only empty
/// ones, as in a new session of this project's server).
pub fn summary(draft: &Value, lang: Lang) -> Option<String> {
    let tracks = tracks(draft);
    if tracks.iter().all(|t| segments(t).is_empty()) {
        return None;
    }
    let unit = match lang {
        Lang::En => "s",
        Lang::Zh => "秒",
    };
    let mut lines = Vec::new();
    for (i, track) in tracks.iter().enumerate() {
        let kind = match track.get("tt").and_then(Value::as_i64) {
            Some(0) => Key::TrackVideo,
            Some(1) => Key::TrackAudio,
            Some(7) => Key::TrackText,
            _ => Key::TrackOther,
        };
        let segs = segments(track);
        let names: Vec<String> = segs.iter().filter_map(name_of).collect();
        let name = if names.is_empty() {
            name_of(track).unwrap_or_else(|| "—".into())
        } else {
            names.join(", ")
        };
        let start = segs
            .iter()
            .map(|s| ms(s, "s").unwrap_or(0.0))
            .fold(f64::INFINITY, f64::min);
        let end = segs
            .iter()
            .filter_map(|s| Some(ms(s, "s").unwrap_or(0.0) + ms(s, "d")?))
            .fold(f64::NEG_INFINITY, f64::max)
            .max(ms(track, "d").unwrap_or(f64::NEG_INFINITY));
        let span = match (start.is_finite(), end.is_finite()) {
            (true, true) => format!("{}–{}{unit}", seconds(start), seconds(end)),
            (true, false) => format!("{}{unit}–…", seconds(start)),
            _ => "…".into(),
        };
        let n = (i + 1).to_string();
        lines.push(say(
            lang,
            Key::TimelineTrack,
            &[
                ("n", &n),
                ("kind", &say(lang, kind, &[])),
                ("name", &name),
                ("span", &span),
            ],
        ));
    }
    let count = tracks.len().to_string();
    Some(say(
        lang,
        Key::Timeline,
        &[("count", &count), ("tracks", &lines.join(" "))],
    ))
}

/// A scalar as fingerprint text. Not `Value::to_string`, which would add a second copy of
/// serde_json's serializer (writing to a formatter) to the wasm.
fn scalar(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => ((f * 1000.0).round() as i64).to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// What a change of the draft is judged by: each segment's track type, id, name, start and
/// duration (metadata such as a progress note does not count).
pub fn fingerprint(draft: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for track in tracks(draft) {
        let tt = scalar(track.get("tt"));
        for seg in segments(track) {
            out.push(format!(
                "{tt}|{}|{}|{}|{}",
                scalar(seg.get("id")),
                name_of(seg).unwrap_or_default(),
                scalar(seg.get("s")),
                scalar(seg.get("d")),
            ));
        }
        if segments(track).is_empty() {
            out.push(format!("{tt}|{}", name_of(track).unwrap_or_default()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_descriptions_example_reads_as_its_summary() {
        let draft = json!({"t": [
            {"tt": 0, "sg": [{"n": "city timelapse", "s": 0, "d": 10000}]},
            {"tt": 1, "m": {"name": "BGM"}, "sg": [{"m": {"name": "Lo-fi"}, "d": 10000}]},
            {"tt": 7, "sg": [{"text": "Urban Dreams", "s": 0, "d": 3000}]}
        ]});
        assert_eq!(
            summary(&draft, Lang::En).as_deref(),
            Some("Timeline (3 tracks): 1. Video: city timelapse (0–10s) 2. Audio: Lo-fi (0–10s) 3. Text: Urban Dreams (0–3s)")
        );
        assert!(summary(&draft, Lang::Zh)
            .expect("zh")
            .starts_with("时间线（3 条轨道）"));
        assert_eq!(summary(&json!({}), Lang::En), None);
        assert_eq!(summary(&json!({"t": []}), Lang::En), None);
        let empty = json!({"t": [{"tt": 0, "sg": [], "m": {"name": "Uploads"}}]});
        assert_eq!(summary(&empty, Lang::En), None);
    }

    #[test]
    fn fingerprints_ignore_metadata_but_see_new_segments() {
        let a = json!({"t": [{"tt": 0, "sg": [{"id": "v", "d": 3000, "m": {"x": 1}}]}]});
        let b = json!({"t": [{"tt": 0, "sg": [{"id": "v", "d": 3000, "m": {"x": 2}}]}]});
        let c = json!({"t": [{"tt": 0, "sg": [{"id": "v", "d": 3000}]}, {"tt": 1, "sg": [{"id": "a", "d": 3000}]}]});
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        assert_eq!(fingerprint(&json!(null)), fingerprint(&json!({"t": []})));
    }
}
