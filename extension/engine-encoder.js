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
 * here → worker  {type: 'encoded', data}         one per 'encode', once it is encoded; data:
 *                                                the block's buffer, given back for the next
 *                {type: 'finished', blob, size}
 *                {type: 'part', index, bytes, lengths, samples}  for EngineJob.pushPart; samples:
 *                                                the part's buffer, given back for the next
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
    // The block's buffer goes back for the next block, as a part's does.
    const data = m.data.buffer;
    postMessage({ type: 'encoded', data }, [data]);
  } else if (m.type === 'part') {
    const { bytes, lengths } = job.encodePart(m.index, m.preroll, m.samples, m.last);
    // The samples' buffer goes back for the next part (takePart's `reuse`): left here, each
    // part's would wait for this worker's garbage collector.
    const samples = m.samples.buffer;
    postMessage({ type: 'part', index: m.index, bytes, lengths, samples }, [bytes.buffer, lengths.buffer, samples]);
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
    try {
      postMessage({ type: 'error', error: e });
    } catch {
      // Not cloneable: its words, so the engine's worker still hears of it.
      postMessage({ type: 'error', error: String((e && e.message) || e) });
    }
  });
};
