//! The JSON the extension and the server exchange for an understood request (serde shapes of
//! `Intent` and `ExtractionSpec`).

use serde_json::json;
use v2a_wording::{understand, Intent};

#[test]
fn an_understood_request_as_json() {
    let intent = understand("the second video, English track, mp3 192k from 0:30 to 2:15, mono, normalised, name it talk");
    let value = serde_json::to_value(&intent).expect("an intent serializes");
    assert_eq!(
        value,
        json!({
            "intent": "extract",
            "spec": {
                "format": "mp3",
                "quality": {"kind": "bitrate", "kbps": 192},
                "sample_rate": null,
                "channels": 1,
                "range": {"start": {"from": "start", "ms": 30000}, "end": {"from": "start", "ms": 135000}},
                "loudness": {"integrated": -16.0, "true_peak": -1.0},
                "source": {"by": "position", "value": 2},
                "track": {"by": "language", "value": "eng"},
                "output_name": "talk"
            }
        })
    );
    let back: Intent = serde_json::from_value(value).expect("and reads back");
    assert_eq!(back, intent);
}

#[test]
fn refusals_and_help_as_json() {
    assert_eq!(
        serde_json::to_value(understand("hello")).expect("json"),
        json!({"intent": "help"})
    );
    assert_eq!(
        serde_json::to_value(understand("translate it")).expect("json"),
        json!({"intent": "unsupported", "reason": "translating the speech"})
    );
    let last = serde_json::to_value(understand("last minute")).expect("json");
    assert_eq!(
        last["spec"]["range"],
        json!({"start": {"from": "end", "ms": 60000}, "end": null})
    );
}
