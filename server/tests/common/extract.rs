//! One extraction as the server's jobs run it, for the media tests: probe, then extract with no
//! progress reports; and the small sound files those tests make for themselves.

#![allow(dead_code)] // each test binary uses a different part

use std::path::Path;

use super::media::{assert_left_nothing, fixture, Fixture};
use v2a_wording::ExtractionSpec;
use video_to_audio_server::media::{extract, probe, MediaError, Output, Probed, Tools};

/// Extracts `spec` from `input`, probed before as `probed`, into `stem`, reporting no progress.
pub async fn extract_probed(
    tools: &Tools,
    input: &Path,
    probed: &Probed,
    spec: &ExtractionSpec,
    stem: &Path,
) -> Result<Output, MediaError> {
    extract(tools, input, probed, spec, stem, &|_, _| {}).await
}

/// Probes `input` and extracts `spec` from it into `stem`, reporting no progress.
pub async fn probe_and_extract(
    input: &Path,
    spec: &ExtractionSpec,
    stem: &Path,
) -> Result<Output, MediaError> {
    let tools = Tools::default();
    let probed = probe(&tools, input).await.expect("probe");
    extract_probed(&tools, input, &probed, spec, stem).await
}

/// Extracts `spec` from the fixture `which` into a new directory, expecting it to fail: the
/// error, once it is checked that the failure left nothing in the directory.
pub async fn extraction_error(which: Fixture, spec: &ExtractionSpec) -> MediaError {
    let dir = tempfile::tempdir().expect("tempdir");
    let stem = dir.path().join("o");
    let e = probe_and_extract(&fixture(which), spec, &stem)
        .await
        .expect_err("the extraction fails");
    assert_left_nothing(dir.path());
    e
}

/// Writes `out` from the lavfi audio source `source` (such as `sine=frequency=440:duration=4`)
/// with the output `options` (codec and the like).
pub fn lavfi_audio(out: &Path, source: &str, options: &[&str]) {
    let head = ["-nostdin", "-v", "error", "-f", "lavfi", "-i", source];
    let mut args: Vec<String> = head.iter().chain(options).map(|s| s.to_string()).collect();
    args.push(out.to_string_lossy().into_owned());
    super::media::run_ffmpeg(&args);
}
