//! PCM handed to JavaScript for the encoder workers, in buffers they give back: a part is
//! ~0.9 MB, and a new buffer for each waits for a worker's garbage collector. With the buffers
//! given back and filled again, the 3-minute clip's MP3 grew the browser by a median of 111 MB
//! instead of 143 (bench/engine-speed.mjs, 5 runs each, alternating).

use js_sys::Float32Array;

/// `samples` in JS, as a view of the start of `reuse` when it is long enough, else of a new
/// array a quarter longer than needed (a step's PCM varies a little in length, and a buffer
/// given back must hold the next).
pub fn filled(reuse: Option<Float32Array>, samples: &[f32]) -> Float32Array {
    let n = samples.len() as u32;
    let into = reuse
        .filter(|r| r.length() >= n)
        .unwrap_or_else(|| Float32Array::new_with_length(n.saturating_add(n / 4)));
    let view = into.subarray(0, n);
    view.copy_from(samples);
    view
}
