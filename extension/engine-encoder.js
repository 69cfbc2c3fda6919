/**
 * engine-encoder.js — a worker started by the engine's worker (engine-worker.js) for an MP3,
 * AAC or FLAC job: another instance of the engine's wasm that runs the job's encoder
 * (EncoderJob), so that encoding (nearly all of an MP3 job) runs on other cores while the
 * first instance reads and decodes. Either the one encoder of the whole file, fed the PCM
 * blocks in order, or one of several encoding a VBR MP3's parts, each part afresh from its
 * pre-roll. The bytes are the ones the first instance would have made itself
 * (crates/engine/tests/outboard.rs).
 *
 * It lives and dies with the engine's worker: ending that worker ends this one.
 *
 * worker → here  {type: 'open', spec, language, module}  spec: EngineJob.outboardSpec (text),
 *                                                module: the engine's WebAssembly.Module
 *                {type: 'encode', data}          data: Float32Array, interleaved
 *                {type: 'finish'}
 *                {type: 'part', index, preroll, samples, last}   EngineJob.takePart's
 * here → worker  {type: 'encoded'}               one per 'encode', once it is encoded
 *                {type: 'finished', blob, size}
 *                {type: 'part', index, bytes, lengths}           for EngineJob.pushPart
 *                {type: 'error', error}          error = the engine's failure shape
 */
import init, { EncoderJob } from './engine/v2a_engine_wasm.js';

/** The wasm's instance, made from the module the engine's worker compiled (its 'open'). */
let ready;
let job;
/** Messages are handled one at a time, in order, after the module is ready. */
let queue = Promise.resolve();
let failed = false;

function handle(m) {
  if (m.type === 'open') {
    job = EncoderJob.open(m.spec, m.language);
  } else if (m.type === 'encode') {
    job.encode(m.data);
    postMessage({ type: 'encoded' });
  } else if (m.type === 'part') {
    const { bytes, lengths } = job.encodePart(m.index, m.preroll, m.samples, m.last);
    postMessage({ type: 'part', index: m.index, bytes, lengths }, [bytes.buffer, lengths.buffer]);
  } else if (m.type === 'finish') {
    const { blob, size } = job.finish();
    postMessage({ type: 'finished', blob, size });
  }
}

self.onmessage = ({ data: m }) => {
  if (!m || typeof m !== 'object') return;
  if (m.type === 'open') ready = init(m.module ? { module_or_path: m.module } : undefined);
  queue = queue.then(async () => {
    if (failed) return;
    await ready;
    handle(m);
  }).catch((e) => {
    // Nothing after a failure (the instance may have aborted): the engine's worker ends the job.
    failed = true;
    postMessage({ type: 'error', error: e });
  });
};
