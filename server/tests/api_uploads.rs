//! Uploads over a real loopback socket: by URL (redirects, private addresses) and over the size
//! limit.

mod common;

use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use serde_json::{json, Value};
use v2a_protocol::paths;

use common::media::{assert_tone, fixture, Fixture};
use common::server::{generated, in_process, Api};

fn save(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the download");
    path
}

/// A little web server on loopback: the fixture at /media/…, and /r/<n> redirecting n times.
async fn file_host() -> String {
    let wav = std::fs::read(fixture(Fixture::WavAudio)).expect("fixture");
    let router = axum::Router::new()
        .route("/media/{name}", get(move || async move { wav.clone() }))
        .route("/big", get(|| async { vec![0u8; 3 * 1024 * 1024] }))
        .route(
            "/r/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    if n == 0 {
                        Redirect::temporary("/media/My%20Clip.wav").into_response()
                    } else {
                        Redirect::temporary(&format!("/r/{}", n - 1)).into_response()
                    }
                },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    format!("http://{addr}")
}

#[tokio::test]
async fn uploads_by_url_follow_a_few_redirects_and_respect_the_private_rule() {
    let host = file_host().await;
    let open = in_process(&["--allow-private-urls"]).await;
    let api = Api::connect(&open.base).await;
    // 4 redirects then the file: accepted, named from the final URL.
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{host}/r/4") }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["name"], "My Clip.wav");
    assert_eq!(body["data"]["container"], "wav");
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{host}/media/x.wav"), "name": "Talk.wav" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["name"], "Talk.wav");
    let (_, events, _) = api.run("extract as flac").await;
    let media = generated(&events).expect("result");
    let (_, _, bytes) = api
        .fetch_plain(media["download_url"].as_str().expect("url"))
        .await;
    let file = save(open.dir.path(), "talk.flac", &bytes);
    assert_tone(&file, Fixture::WavAudio.tone());
    // A host name is resolved, checked and connected to by its checked address.
    let by_name = host.replace("127.0.0.1", "localhost");
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{by_name}/media/Named.wav") }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["name"], "Named.wav");
    // 6 redirects: refused.
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{host}/r/6") }),
        )
        .await;
    assert_eq!((status, body["code"].as_i64()), (422, Some(4003)), "{body}");
    assert!(body["message"]
        .as_str()
        .expect("message")
        .contains("redirected more than 5 times"));
    // An HTTP error is explained.
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{host}/nothing") }),
        )
        .await;
    assert_eq!((status, body["code"].as_i64()), (422, Some(4003)), "{body}");
    assert!(body["message"]
        .as_str()
        .expect("message")
        .contains("404 Not Found"));

    // Over the limit: refused with the limit's sentence.
    let small = in_process(&["--allow-private-urls", "--max-upload-mb", "1"]).await;
    let api = Api::connect(&small.base).await;
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{host}/big") }),
        )
        .await;
    assert_eq!((status, body["code"].as_i64()), (413, Some(4002)), "{body}");
    assert_eq!(
        std::fs::read_dir(small.dir.path().join("tmp"))
            .expect("dir")
            .count(),
        0
    );

    // The default server refuses loopback.
    let closed = in_process(&[]).await;
    let api = Api::connect(&closed.base).await;
    let (status, body) = api
        .post_json(
            &paths::upload(&api.session),
            json!({ "url": format!("{host}/media/x.wav") }),
        )
        .await;
    assert_eq!((status, body["code"].as_i64()), (422, Some(4003)), "{body}");
    assert!(body["message"]
        .as_str()
        .expect("message")
        .contains("private, local or reserved address"));
}

#[tokio::test]
async fn an_oversized_upload_over_a_socket_gets_the_4002_answer() {
    let server = in_process(&["--max-upload-mb", "10"]).await;
    let api = Api::connect(&server.base).await;
    let (content_type, head, tail) = common::server::multipart_parts("huge.mp4");
    // 20 MB made on the fly.
    let chunks = std::iter::once(head)
        .chain((0..320).map(|i| vec![(i % 251) as u8; 64 * 1024]))
        .chain(std::iter::once(tail))
        .map(Ok::<_, std::io::Error>);
    let response = api
        .http
        .post(api.url(&paths::upload(&api.session)))
        .bearer_auth(&api.token)
        .header("content-type", content_type)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("the client reads the early answer");
    assert_eq!(response.status(), 413);
    let body: Value =
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("envelope");
    assert_eq!(body["code"], 4002);
    assert_eq!(
        body["message"],
        "The file is larger than the 10 MB limit. Trim or compress it first."
    );
    assert_eq!(
        std::fs::read_dir(server.dir.path().join("tmp"))
            .expect("dir")
            .count(),
        0
    );
}
