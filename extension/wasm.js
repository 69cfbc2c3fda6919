/**
 * wasm.js — loads the Rust client (pkg/, built by wasm-bindgen) once per page.
 *
 * Imported lazily (dynamic import) by the runner so that Chrome's service worker, which may not
 * use import(), never loads it; pages import it directly.
 */
import init, * as v2a from './pkg/video_to_audio.js';
import { useUnits } from './i18n.js';

let ready;

/** The wasm module's exports (Client, understand, summarize, route, checkFile, withFormat, downloadName, newClientId). */
export function loadWasm() {
  ready ??= init().then(() => {
    useUnits(v2a);
    return v2a;
  });
  return ready;
}
