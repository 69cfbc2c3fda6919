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
