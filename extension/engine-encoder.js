/**
 * engine-encoder.js — a second worker, started by the engine's worker (engine-worker.js) for an
 * MP3, AAC or FLAC job: a second instance of the engine's wasm that runs the job's encoder
 * (EncoderJob) on the PCM the first instance hands out, so that encoding (two thirds of an MP3
 * job) runs on another core while the first reads and decodes. The bytes are the ones the first
 * would have made itself (crates/engine/tests/outboard.rs).
 *
 * It lives and dies with the engine's worker: ending that worker ends this one.
 *
 * worker → here  {type: 'open', spec, language}  spec: EngineJob.outboardSpec (text)
 *                {type: 'encode', data}          data: Float32Array, interleaved
 *                {type: 'finish'}
 * here → worker  {type: 'encoded'}               one per 'encode', once it is encoded
 *                {type: 'finished', blob, size}
 *                {type: 'error', error}          error = the engine's failure shape
 */
import init, { EncoderJob } from './engine/v2a_engine_wasm.js';

/** The wasm's instance, started as soon as the worker is: by the first block it is ready. */
const ready = init();
let job;
/** Messages are handled one at a time, in order, after the module is ready. */
let queue = Promise.resolve();

function handle(m) {
  if (m.type === 'open') {
    job = EncoderJob.open(m.spec, m.language);
  } else if (m.type === 'encode') {
    job.encode(m.data);
    postMessage({ type: 'encoded' });
  } else if (m.type === 'finish') {
    const { blob, size } = job.finish();
    postMessage({ type: 'finished', blob, size });
  }
}

self.onmessage = ({ data: m }) => {
  if (!m || typeof m !== 'object') return;
  queue = queue.then(async () => {
    await ready;
    handle(m);
  }).catch((e) => {
    postMessage({ type: 'error', error: e });
    // Nothing after a failure: the engine's worker ends the job.
    self.onmessage = null;
  });
};
