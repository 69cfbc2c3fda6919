//! The pre-upload check, download links and the error sentences people see.

use video_to_audio::client::{check_file, join_url, route, ClientError, ErrorCode, Route};
use video_to_audio::protocol::text::{say, Key};
use video_to_audio::protocol::{text, Lang, DEFAULT_MAX_UPLOAD_BYTES};

const MAX: u64 = DEFAULT_MAX_UPLOAD_BYTES;

#[test]
fn accepted_types_pass_by_extension_whatever_the_case() {
    for (name, container) in [
        ("talk.mp4", "mp4"),
        ("Clip.MOV", "mov"),
        ("old.avi", "avi"),
        ("screen.webm", "webm"),
        ("film.mkv", "mkv"),
        ("song.mp3", "mp3"),
        ("tone.wav", "wav"),
        ("memo.m4a", "m4a"),
        ("raw.aac", "aac"),
    ] {
        assert_eq!(
            check_file(name, 1000, "", MAX, Lang::En).as_deref(),
            Ok(container),
            "{name}"
        );
    }
}

#[test]
fn a_name_without_extension_is_judged_by_its_mime_type() {
    assert_eq!(
        check_file("recording", 10, "video/quicktime", MAX, Lang::En).as_deref(),
        Ok("mov")
    );
    assert_eq!(
        check_file("blob", 10, "audio/x-wav", MAX, Lang::En).as_deref(),
        Ok("wav")
    );
    assert_eq!(
        check_file("download", 10, "video/webm;codecs=vp9", MAX, Lang::En).as_deref(),
        Ok("webm")
    );
}

#[test]
fn images_are_refused_because_they_have_no_sound() {
    let error = check_file("holiday.png", 10, "image/png", MAX, Lang::En).expect_err("an image");
    assert_eq!(error.code(), ErrorCode::Text("unsupported_type"));
    assert_eq!(error.to_string(), text::no_sound(Lang::En, "PNG"));
    assert_eq!(
        error.to_string(),
        "This is an image (PNG); it has no sound to extract. Accepted: mp4, mov, avi, webm, mkv \
         video, or mp3, wav, m4a, aac audio."
    );
    assert!(!error.recoverable());
    let error = check_file("photo", 10, "image/jpeg", MAX, Lang::En).expect_err("an image by MIME");
    assert!(
        error.to_string().contains("(JPEG); it has no sound"),
        "{error}"
    );
}

#[test]
fn other_files_are_refused_with_the_accepted_list() {
    for (name, mime) in [
        ("notes.pdf", "application/pdf"),
        ("archive.zip", ""),
        (".mp4", ""),
    ] {
        let error = check_file(name, 10, mime, MAX, Lang::En).expect_err(name);
        assert_eq!(
            error.to_string(),
            text::unsupported_type(Lang::En),
            "{name}"
        );
        assert!(error.to_string().contains("Accepted: mp4"), "{name}");
    }
}

#[test]
fn over_the_limit_is_refused_with_trim_or_compress() {
    assert!(
        check_file("big.mp4", MAX, "video/mp4", MAX, Lang::En).is_ok(),
        "exactly the limit passes"
    );
    let error = check_file("big.mp4", MAX + 1, "video/mp4", MAX, Lang::En).expect_err("too big");
    assert_eq!(error.code(), ErrorCode::Text("too_large"));
    assert_eq!(
        error.to_string(),
        "The file is larger than the 500 MB limit. Trim or compress it first."
    );
    assert_eq!(
        error.next_step().as_deref(),
        Some("Trim or compress it first.")
    );
}

#[test]
fn the_type_is_checked_before_the_size() {
    let error =
        check_file("huge.png", MAX * 2, "image/png", MAX, Lang::En).expect_err("both wrong");
    assert!(matches!(error, ClientError::UnsupportedType { .. }));
}

#[test]
fn download_links_are_joined_with_the_base_url() {
    let rel = "/api/files/g-1?exp=9&sig=ab";
    assert_eq!(
        join_url("http://127.0.0.1:8787", rel),
        "http://127.0.0.1:8787/api/files/g-1?exp=9&sig=ab"
    );
    assert_eq!(
        join_url("http://h:1/", rel),
        "http://h:1/api/files/g-1?exp=9&sig=ab"
    );
    assert_eq!(
        join_url("http://h:1/prefix/", "api/x"),
        "http://h:1/prefix/api/x"
    );
    assert_eq!(
        join_url("http://h:1", "https://cdn.example/a.mp3"),
        "https://cdn.example/a.mp3"
    );
}

#[test]
fn every_error_sentence_ends_with_a_next_step() {
    let errors = [
        ClientError::api(1001, ""),
        ClientError::api(1002, ""),
        ClientError::api(2001, ""),
        ClientError::api(4001, ""),
        ClientError::api(4002, ""),
        ClientError::api(402, ""),
        ClientError::api(429, ""),
        ClientError::api(400, "missing X-Client-Id"),
        ClientError::api(500, "boom"),
        ClientError::Network {
            url: "http://127.0.0.1:8787".into(),
            detail: "refused".into(),
            lang: Lang::En,
        },
        ClientError::Aborted { lang: Lang::En },
        ClientError::Protocol {
            detail: "bad JSON".into(),
            lang: Lang::En,
        },
        ClientError::Stream {
            detail: "reset".into(),
            lang: Lang::En,
        },
        ClientError::run_failed("X", "ffmpeg failed.", Lang::En),
    ];
    // The same sentences in Chinese, each from the catalog with its step last.
    let in_chinese: Vec<ClientError> = errors[9..13]
        .iter()
        .cloned()
        .map(|e| e.in_lang(Lang::Zh))
        .chain([
            ClientError::api_in(1001, "", Lang::Zh),
            ClientError::api_in(429, "", Lang::Zh),
            ClientError::api_in(500, "boom", Lang::Zh),
            ClientError::run_failed("X", "ffmpeg failed.", Lang::Zh),
        ])
        .collect();
    for error in &in_chinese {
        assert!(
            error
                .to_string()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{error} is not in Chinese"
        );
    }
    assert_eq!(
        in_chinese[0].to_string(),
        say(
            Lang::Zh,
            Key::ClientNetwork,
            &[("url", "http://127.0.0.1:8787")]
        )
    );
    assert_eq!(
        in_chinese[4].to_string(),
        say(Lang::Zh, Key::ClientTokenExpired, &[])
    );
    for error in errors.into_iter().chain(in_chinese) {
        let text = error.to_string();
        let step = error.next_step().expect("a next step");
        assert!(text.ends_with(&step), "{text:?} does not end with {step:?}");
        assert!(text.len() > step.len(), "{text:?} says only the step");
    }
}

#[test]
fn the_servers_sentences_for_other_codes_are_kept_and_terse_ones_wrapped() {
    let removed =
        "The upload clip.mp4 came from was removed, so it cannot be converted. Upload it again.";
    let error = ClientError::api(404, removed);
    assert_eq!(error.to_string(), removed);
    assert_eq!(error.next_step().as_deref(), Some("Upload it again."));
    let error = ClientError::api(404, "not found");
    assert!(
        error.to_string().contains("(code 404: not found)"),
        "{error}"
    );
    let error = ClientError::api(4003, "The URL could not be fetched: it points at a private address. Download the file and upload it instead.");
    assert!(
        error
            .to_string()
            .ends_with("private address. Download the file and upload it instead."),
        "{error}"
    );
    let error = ClientError::api(4003, "");
    assert_eq!(
        error.to_string(),
        "The server could not fetch that URL. Download the file and upload it instead."
    );
}

#[test]
fn the_credits_sentence_keeps_the_registration_link_of_the_hosted_api() {
    let error = ClientError::api(
        2001,
        "Register at https://example.test/?bind=abc to get more.",
    );
    assert!(
        error.to_string().contains("https://example.test/?bind=abc"),
        "{error}"
    );
}

#[test]
fn routing_is_reexported_for_the_client() {
    assert_eq!(route("check my credits"), Route::Credits);
    assert_eq!(route("导出"), Route::Export);
    assert_eq!(route("convert to mp3"), Route::Run);
}

#[test]
fn refusals_are_worded_in_the_persons_language() {
    let image = check_file("holiday.png", 10, "image/png", MAX, Lang::Zh).expect_err("an image");
    assert_eq!(image.to_string(), text::no_sound(Lang::Zh, "PNG"));
    let other = check_file("notes.pdf", 10, "application/pdf", MAX, Lang::Zh).expect_err("a PDF");
    assert_eq!(other.to_string(), text::unsupported_type(Lang::Zh));
    let big = check_file("big.mp4", MAX + 1, "video/mp4", MAX, Lang::Zh).expect_err("too big");
    assert_eq!(big.to_string(), text::too_large(Lang::Zh, MAX));
    for error in [image, other, big] {
        assert!(
            error
                .to_string()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{error}"
        );
    }
}
