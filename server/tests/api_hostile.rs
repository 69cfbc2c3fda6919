//! Requests that try the server's patience or its trust: credentials in a URL, a disk that
//! fills, slow and lying clients. Each gets its own sentence, and nobody else waits.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use v2a_protocol::paths;
use v2a_protocol::text::{say, Key};
use v2a_protocol::Lang;

use common::server::{in_process, Api};

#[tokio::test]
async fn a_url_with_credentials_is_refused_and_they_are_never_sent() {
    // Any connection to this target would carry the credentials; count them.
    let target = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = target.local_addr().expect("addr");
    let connections = Arc::new(AtomicUsize::new(0));
    {
        let connections = connections.clone();
        tokio::spawn(async move {
            while let Ok((_socket, _)) = target.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
            }
        });
    }
    let server = in_process(&["--allow-private-urls"]).await;
    let api = Api::connect(&server.base).await;
    for url in [
        format!("http://user:secret@{addr}/clip.wav"),
        format!("http://user@{addr}/clip.wav"),
        format!("http://:secret@{addr}/clip.wav"),
    ] {
        let (status, body) = api
            .post_json(&paths::upload(&api.session), json!({ "url": url }))
            .await;
        assert_eq!((status, body["code"].as_i64()), (422, Some(4003)), "{body}");
        assert_eq!(
            body["message"],
            say(Lang::En, Key::UrlHasCredentials, &[]),
            "{url}"
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "the target was contacted"
    );
}

/// A 1 MiB tmpfs mounted on a new directory, unmounted when dropped; `None` (with a note) where
/// mounting is not allowed.
struct TinyDisk(tempfile::TempDir);

impl TinyDisk {
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(dir.path())
            .status();
        match mounted {
            Ok(s) if s.success() => Some(Self(dir)),
            other => {
                eprintln!("SKIPPED: cannot mount a small tmpfs here ({other:?}); run as root to test a full disk");
                None
            }
        }
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        // Lazily: the server's database may still be open while the test unwinds.
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.0.path())
            .status();
    }
}

#[tokio::test]
async fn a_disk_that_fills_during_an_upload_says_so() {
    let Some(disk) = TinyDisk::mount() else {
        return;
    };
    let data = disk.0.path().join("data");
    let state = video_to_audio_server::AppState::init(common::server::config(&data, &[]))
        .await
        .expect("state on the small disk");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let router = video_to_audio_server::app(state);
    let serving = tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, service).await
    });
    let api = Api::connect(&base).await;
    let (content_type, body) = common::server::multipart("big.wav", &vec![7u8; 2 << 20]);
    let response = api
        .http
        .post(api.url(&paths::upload(&api.session)))
        .bearer_auth(&api.token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 507);
    let body: serde_json::Value =
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("envelope");
    assert_eq!(body["code"], 507);
    assert_eq!(body["message"], say(Lang::En, Key::DiskFull, &[]));
    assert_eq!(
        std::fs::read_dir(data.join("tmp")).expect("tmp").count(),
        0,
        "the partial upload was removed"
    );
    serving.abort();
}
