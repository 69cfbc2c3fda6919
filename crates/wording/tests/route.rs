//! The reference's keyword routing, with extraction requests worded with "download"/"export"
//! staying on `/run_sse`.

use v2a_wording::{route, Route};

#[test]
fn keywords_route_to_their_action() {
    let cases = [
        ("export", Route::Export),
        ("Export it", Route::Export),
        ("导出", Route::Export),
        ("download", Route::Export),
        ("download it please", Route::Export),
        ("send me the video", Route::Export),
        ("export 1080p mp4", Route::Export),
        ("credits", Route::Credits),
        ("how many credits do I have?", Route::Credits),
        ("积分", Route::Credits),
        ("balance", Route::Credits),
        ("余额还有多少", Route::Credits),
        ("status", Route::Status),
        ("状态", Route::Status),
        ("show tracks", Route::Status),
        ("upload", Route::Upload),
        ("上传", Route::Upload),
        ("I want to upload a file", Route::Upload),
    ];
    for (message, want) in cases {
        assert_eq!(route(message), want, "{message}");
    }
}

#[test]
fn extraction_requests_worded_with_export_verbs_run() {
    for message in [
        "download as mp3",
        "export to wav",
        "download the audio",
        "导出音频",
        "导出为mp3",
        "upload done, extract mp3 from 0:30 to 1:00",
        "extract the audio",
        "hello",
        "remove the background music",
    ] {
        assert_eq!(route(message), Route::Run, "{message}");
    }
}

#[test]
fn whole_words_only() {
    for message in [
        "exported files",
        "uploaded video to mp3",
        "statusbar",
        "creditsy",
    ] {
        assert_eq!(route(message), Route::Run, "{message}");
    }
}
