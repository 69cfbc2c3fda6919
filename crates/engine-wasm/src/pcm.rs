//! PCM handed to JavaScript for the encoder workers, in buffers they give back: a part is
//! ~0.9 MB, and a new buffer for each waits for a worker's garbage collector. With the buffers
//! given back and filled again, the 3-minute clip's MP3 grew the browser by a median of 111 MB
//! instead of 143 (bench/engine-speed.mjs, 5 runs each, alternating).

use js_sys::Float32Array;

/// `samples` in JS: in the start of `reuse` when it is long enough (a view of it), else in a
/// new array.
pub fn filled(reuse: Option<Float32Array>, samples: &[f32]) -> Float32Array {
    let n = samples.len() as u32;
    match reuse.filter(|r| r.length() >= n) {
        Some(r) => {
            let view = r.subarray(0, n);
            view.copy_from(samples);
            view
        }
        None => Float32Array::from(samples),
    }
}
