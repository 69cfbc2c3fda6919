//! The checks the fuzz targets run, one function per target, each panicking when a property
//! fails. `fuzz_targets/*.rs` hand them libFuzzer's inputs; `tests/corpus.rs` replays the
//! committed corpus (and every crash kept there) through the same functions in `cargo test`.

mod demux;
mod reference_sse;
mod sse;
mod wording;

/// The server's upload sniffer. It has no dependencies, so it is compiled in here from its
/// source rather than pulling the whole server (tokio, SQLite…) into the fuzz build.
#[allow(dead_code)]
#[path = "../../server/src/media/detect.rs"]
mod detect;

pub use demux::demux;
pub use sse::sse;
pub use wording::wording;

/// The sniffer never panics, on the head the server gives it (at most [`detect::HEAD_LEN`]
/// bytes) nor on anything longer; an image or "other" verdict always names its kind.
pub fn sniff(data: &[u8]) {
    for head in [&data[..data.len().min(detect::HEAD_LEN)], data] {
        match detect::sniff(head) {
            detect::Sniffed::Image(kind) => assert!(!kind.is_empty()),
            detect::Sniffed::Other(key) => {
                let said = v2a_protocol::text::say(v2a_protocol::Lang::En, key, &[]);
                assert!(!said.is_empty())
            }
            _ => {}
        }
    }
}
