//! Replays the committed corpus (`corpus/<target>/`, seeds and every crash input kept as a
//! regression) through the same checks the fuzz targets run. Fast: the corpus is small.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).expect("read a corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its check", path.display());
        count += 1;
    }
    assert!(count > 0, "no corpus in {}", dir.display());
}

#[test]
fn sse_corpus() {
    replay("sse", v2a_fuzz::sse);
}

#[test]
fn wording_corpus() {
    replay("wording", v2a_fuzz::wording);
}

#[test]
fn sniff_corpus() {
    replay("sniff", v2a_fuzz::sniff);
}

#[test]
fn demux_corpus() {
    replay("demux", v2a_fuzz::demux);
}
