use super::*;
use v2a_protocol::Lang;

fn report(json: &str) -> FfprobeReport {
    serde_json::from_str(json).expect("test JSON")
}

const MOV_TWO_TRACKS: &str = r#"{
  "streams": [
    {"index": 0, "codec_name": "h264", "codec_type": "video", "disposition": {"attached_pic": 0}},
    {"index": 1, "codec_name": "aac", "codec_type": "audio", "sample_rate": "48000",
     "channels": 2, "bit_rate": "130000", "tags": {"language": "eng"}},
    {"index": 2, "codec_name": "aac", "codec_type": "audio", "sample_rate": "44100",
     "channels": 1, "tags": {"language": "spa"}}
  ],
  "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "3.000000"}
}"#;

#[test]
fn brands_decide_mp4_mov_m4a() {
    let r = report(MOV_TWO_TRACKS);
    let iso = |b: &str| Sniffed::IsoMedia {
        brand: Some(b.into()),
    };
    assert_eq!(decide(&iso("qt  "), &r).expect("mov").container, "mov");
    assert_eq!(decide(&iso("isom"), &r).expect("mp4").container, "mp4");
    assert_eq!(decide(&iso("M4A "), &r).expect("m4a").container, "m4a");
    let p = decide(&iso("isom"), &r).expect("mp4");
    assert_eq!(p.duration, 3.0);
    assert!(p.has_video);
    assert_eq!(p.audio_streams.len(), 2);
    assert_eq!(p.audio_streams[1].index, 1);
    assert_eq!(p.audio_streams[1].language.as_deref(), Some("spa"));
    assert_eq!(p.audio_streams[0].bit_rate, Some(130_000));
    assert_eq!(p.audio_streams[1].sample_rate, 44_100);
}

#[test]
fn cover_art_is_not_video() {
    let r = report(
        r#"{"streams": [
          {"codec_name": "aac", "codec_type": "audio", "sample_rate": "44100", "channels": 2},
          {"codec_name": "mjpeg", "codec_type": "video", "disposition": {"attached_pic": 1}}
        ], "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "1.5"}}"#,
    );
    let p = decide(
        &Sniffed::IsoMedia {
            brand: Some("isom".into()),
        },
        &r,
    )
    .expect("m4a");
    assert!(!p.has_video);
    assert_eq!(p.container, "m4a");
}

#[test]
fn webm_and_mkv_from_doctype() {
    let r =
        report(r#"{"streams": [], "format": {"format_name": "matroska,webm", "duration": "2"}}"#);
    let ebml = |d: &str| Sniffed::Ebml {
        doctype: Some(d.into()),
    };
    // No streams at all: not something we can work with.
    assert!(matches!(
        decide(&ebml("webm"), &r),
        Err(MediaError::Unsupported(_))
    ));
    let r = report(
        r#"{"streams": [{"codec_type": "video", "codec_name": "vp9"}],
            "format": {"format_name": "matroska,webm", "duration": "2"}}"#,
    );
    assert_eq!(decide(&ebml("webm"), &r).expect("webm").container, "webm");
    assert_eq!(decide(&ebml("matroska"), &r).expect("mkv").container, "mkv");
}

#[test]
fn magic_and_ffprobe_must_agree() {
    let r = report(
        r#"{"streams": [{"codec_type": "audio", "codec_name": "mp3"}], "format": {"format_name": "mp3"}}"#,
    );
    assert!(matches!(
        decide(&Sniffed::Avi, &r),
        Err(MediaError::Unsupported(_))
    ));
    assert_eq!(decide(&Sniffed::Mp3, &r).expect("mp3").container, "mp3");
    let aac = report(
        r#"{"streams": [{"codec_type": "audio", "codec_name": "aac"}], "format": {"format_name": "aac"}}"#,
    );
    assert_eq!(decide(&Sniffed::Adts, &aac).expect("aac").container, "aac");
}

#[test]
fn refusals_name_the_accepted_types() {
    let e = refuse_early(&Sniffed::Image("PNG")).expect_err("image");
    assert_eq!(
        e.to_string(),
        "This is an image (PNG); it has no sound to extract. Accepted: mp4, mov, avi, webm, mkv video, or mp3, wav, m4a, aac audio."
    );
    // The very sentence the extension's own check shows (one definition for both), in the
    // session's language.
    for lang in [Lang::En, Lang::Zh] {
        assert_eq!(e.say(lang), text::no_sound(lang, "PNG"));
    }
    let e = refuse_early(&Sniffed::Unknown).expect_err("unknown");
    assert!(e.to_string().ends_with(&text::accepted(Lang::En)));
    assert_eq!(e.say(Lang::Zh), text::unsupported_type(Lang::Zh));
    let e = refuse_early(&Sniffed::Other(text::Key::KindPdf)).expect_err("a PDF");
    assert_eq!(
        e.say(Lang::Zh),
        text::say(
            Lang::Zh,
            text::Key::MediaNotMedia,
            &[
                ("what", &text::say(Lang::Zh, text::Key::KindPdf, &[])),
                ("accepted", &text::accepted(Lang::Zh))
            ]
        )
    );
}
