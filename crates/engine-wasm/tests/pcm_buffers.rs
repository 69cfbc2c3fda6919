//! The PCM buffers the encoder workers give back are filled again, in headless Chromium: the
//! samples land at the start of the buffer given (a view of it, so the same memory moves on),
//! and a buffer too short is left for a new one with room to spare.
#![cfg(target_arch = "wasm32")]

use js_sys::Float32Array;
use v2a_engine_wasm::pcm::filled;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn a_buffer_given_back_holds_the_next_samples() {
    let given = Float32Array::new_with_length(8);
    given.fill(9.0, 0, 8);
    let view = filled(Some(given.clone()), &[1.0, 2.0, 3.0]);
    assert_eq!(view.to_vec(), vec![1.0, 2.0, 3.0]);
    assert_eq!(view.buffer(), given.buffer(), "the same memory, not a copy");
    assert_eq!(given.get_index(0), 1.0);
    assert_eq!(given.get_index(3), 9.0, "the rest is left alone");
}

#[wasm_bindgen_test]
fn a_buffer_too_short_or_none_gives_a_new_one_with_room_for_a_longer_next() {
    let short = Float32Array::new_with_length(2);
    let samples: Vec<f32> = (0..8).map(|i| i as f32).collect();
    let out = filled(Some(short.clone()), &samples);
    assert_eq!(out.to_vec(), samples);
    assert_ne!(out.buffer(), short.buffer());
    assert_eq!(out.buffer().byte_length(), 10 * 4, "a quarter more room");
    // Given back, it holds a next block a little longer.
    let longer: Vec<f32> = (0..10).map(|i| -(i as f32)).collect();
    let again = filled(Some(Float32Array::new(&out.buffer())), &longer);
    assert_eq!(again.buffer(), out.buffer());
    assert_eq!(again.to_vec(), longer);
    assert_eq!(filled(None, &[4.0]).to_vec(), vec![4.0]);
}
