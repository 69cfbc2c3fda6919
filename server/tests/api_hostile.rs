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
    let serving = tokio::spawn(video_to_audio_server::serve::serve(
        listener,
        router,
        Duration::from_secs(30),
        std::future::pending(),
    ));
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

/// A raw connection to `base` that has sent `head` and `body` and then goes quiet.
async fn send_raw(base: &str, head: &str, body: &[u8]) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let addr = base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    socket.write_all(head.as_bytes()).await.expect("send head");
    socket.write_all(body).await.expect("send body");
    socket
}

/// Everything the server sends on `socket` until it closes it; `None` if it is still open
/// after `within`.
async fn read_until_closed(socket: &mut tokio::net::TcpStream, within: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&got).into_owned())
}

/// The envelope's code in a raw HTTP answer.
fn code_of(answer: &str) -> Option<i64> {
    let body = answer.split_once("\r\n\r\n")?.1;
    serde_json::from_str::<serde_json::Value>(body).ok()?["code"].as_i64()
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_never_delay_anyone_else() {
    let server = in_process(&["--header-timeout-secs", "1", "--body-timeout-secs", "1"]).await;
    // Twenty clients that start a request and stop half-way through their headers.
    let mut stalled = Vec::new();
    for _ in 0..20 {
        stalled.push(
            send_raw(
                &server.base,
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
                b"",
            )
            .await,
        );
    }
    // One more that keeps dribbling a byte every 200 ms.
    let dribbler = {
        let mut socket = send_raw(&server.base, "GET /healthz HTTP/1.1\r\nHost: x\r\n", b"").await;
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            for _ in 0..50 {
                if socket.write_all(b"a").await.is_err() {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            false
        })
    };
    let started = std::time::Instant::now();
    let health = reqwest::get(format!("{}{}", server.base, paths::HEALTHZ))
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    for socket in &mut stalled {
        let answer = read_until_closed(socket, Duration::from_secs(4)).await;
        let answer = answer.expect("a client stuck in its headers was not cut off");
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }
    assert!(
        tokio::time::timeout(Duration::from_secs(5), dribbler)
            .await
            .expect("the dribbler was not cut off")
            .expect("dribbler task"),
        "the dribbling client was never cut off"
    );
}

#[tokio::test]
async fn a_body_that_stops_arriving_ends_its_request_with_a_sentence() {
    let server = in_process(&["--body-timeout-secs", "1"]).await;
    let api = Api::connect(&server.base).await;
    let upload = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n",
        paths::upload(&api.session),
        api.token
    );
    let json = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        paths::NEW_SESSION,
        api.token
    );
    for (head, body) in [
        (upload, &b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF"[..]),
        (json, &b"{\"task_name\": \"pro"[..]),
    ] {
        let started = std::time::Instant::now();
        let mut socket = send_raw(&server.base, &head, body).await;
        let answer = read_until_closed(&mut socket, Duration::from_secs(5))
            .await
            .expect("the server still waits for the body");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert_eq!(code_of(&answer), Some(408), "{answer}");
        assert!(answer.contains(&say(Lang::En, Key::RequestTooSlow, &[])), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(4));
    }
    assert_eq!(
        std::fs::read_dir(server.dir.path().join("tmp"))
            .expect("tmp")
            .count(),
        0,
        "the partial upload was removed"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body() {
    let server = in_process(&["--max-upload-mb", "10"]).await;
    let api = Api::connect(&server.base).await;
    let huge = 2u64 << 30;
    for (path, kind, code) in [
        (
            paths::upload(&api.session),
            "multipart/form-data; boundary=B",
            4002,
        ),
        (paths::RUN_SSE.to_owned(), "application/json", 413),
        (paths::NEW_SESSION.to_owned(), "application/json", 413),
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: {kind}\r\nContent-Length: {huge}\r\n\r\n",
            api.token
        );
        let started = std::time::Instant::now();
        let mut socket = send_raw(&server.base, &head, &[b'x'; 1024]).await;
        let answer = read_until_closed(&mut socket, Duration::from_secs(3))
            .await
            .unwrap_or_else(|| panic!("no answer to a declared {huge} bytes on {path}"));
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert_eq!(code_of(&answer), Some(code), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
