//! A session lost between the upload and the run (1002, recovered with a new session): the
//! file goes into the new session again before the run, so the server still has it.

mod client_support;

use client_support::{block_on, client, upload_small_video};

#[test]
fn a_session_lost_after_the_upload_gets_the_file_again_before_the_run() {
    let c = client();
    upload_small_video(&c).expect("upload");
    c.transport().drop_sessions();
    let _ = block_on(c.run("convert to mp3", &mut |_| {}));
    let paths = c.transport().paths();
    let run_session = c.session_id().expect("a session");
    let upload_into_new = format!("/api/upload-video/nemo_agent/me/{run_session}");
    let uploaded_at = paths
        .iter()
        .position(|p| *p == upload_into_new)
        .unwrap_or_else(|| panic!("the file was not uploaded into the new session: {paths:?}"));
    let ran_at = paths.iter().rposition(|p| p == "/run_sse").expect("a run");
    assert!(uploaded_at < ran_at, "{paths:?}");
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.starts_with("/api/upload-video/"))
            .count(),
        2,
        "{paths:?}"
    );
}

#[test]
fn a_run_in_the_session_of_the_upload_does_not_upload_again() {
    let c = client();
    upload_small_video(&c).expect("upload");
    let _ = block_on(c.run("convert to mp3", &mut |_| {}));
    let uploads = c
        .transport()
        .paths()
        .into_iter()
        .filter(|p| p.starts_with("/api/upload-video/"))
        .count();
    assert_eq!(uploads, 1);
}
