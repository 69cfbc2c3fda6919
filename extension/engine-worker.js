/**
 * engine-worker.js — the in-browser engine, in a dedicated module worker started by the job
 * runner (engine-client.js). One worker per job: a fresh wasm instance each time, so nothing a
 * job leaves behind (or a panic, which aborts the module) reaches the next.
 *
 * The engine is synchronous (it reads the Blob with FileReaderSync, which only workers have);
 * this loop runs its steps for a short slice, then yields to the event loop so that a "cancel"
 * message is seen, and posts progress at most every PROGRESS_EVERY_MS.
 *
 * runner → worker  {type: 'run', blob, spec, language}    spec: intent.spec from understand()
 *                  {type: 'cancel'}
 * worker → runner  {type: 'needs-server', reason, probe}  reason = {key, args, message, ...}
 *                  {type: 'progress', progress: {bytesRead, bytesTotal, secondsDone, secondsTotal}}
 *                  {type: 'done', blob, outcome}          outcome = {extension, mime, duration,
 *                                                                    size, copied, inexactCut}
 *                  {type: 'error', error}                 error = {key, args, message, serverCanTry,
 *                                                                  recoverable}
 *                  {type: 'cancelled'}
 */
import init, { EngineJob } from './engine/v2a_engine_wasm.js';

/** Least time between two progress posts (the runner writes each one to storage). */
const PROGRESS_EVERY_MS = 200;
/** Longest run of steps between two yields: short enough that a cancel is seen at once. */
const SLICE_MS = 25;

let cancelled = false;

/** Yields to the event loop without setTimeout's 4 ms clamp for nested timers. */
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

/** The engine's error shape, from whatever was thrown (a wasm trap is a RuntimeError). */
function asFailure(e) {
  if (e && typeof e === 'object' && typeof e.key === 'string') return e;
  const detail = String((e && e.message) || e);
  return {
    name: 'EngineError',
    key: 'EngineFailed',
    args: { detail },
    // No sentence: the runner words the key in the person's language (the client wasm's `say`).
    message: '',
    serverCanTry: true,
    recoverable: true,
  };
}

/**
 * Fetches the windows of the file the engine will read next, asynchronously and several at
 * once (the engine's own reads are synchronous, one at a time): they arrive while it decodes
 * and encodes, and it reads itself only what they do not hold (crates/engine-wasm/src/source.rs
 * has the figures). A failed fetch is left to the engine's own read, which says why.
 */
function fetchAhead(job, blob, inFlight, open) {
  for (;;) {
    const next = job.nextWindow(inFlight.length);
    if (!next) return;
    const [start, end] = next;
    const read = blob.slice(start, end).arrayBuffer().then(
      (bytes) => { if (open()) job.provide(start, bytes); },
      () => {},
    ).finally(() => inFlight.splice(inFlight.indexOf(read), 1));
    inFlight.push(read);
  }
}

async function run({ blob, spec, language }) {
  await init();
  let job;
  let finished = false;
  try {
    job = EngineJob.open(blob, spec, language || 'en');
    const reason = job.needsServer;
    if (reason) {
      postMessage({ type: 'needs-server', reason, probe: job.probe });
      return;
    }
    const inFlight = [];
    let lastPost = 0;
    let sliceStart = performance.now();
    for (;;) {
      if (cancelled) {
        postMessage({ type: 'cancelled' });
        return;
      }
      fetchAhead(job, blob, inFlight, () => !finished);
      // Nothing in hand: the next step would read what is already on its way.
      if (inFlight.length && job.starved) {
        await inFlight[0];
        sliceStart = performance.now();
        continue;
      }
      const step = job.step();
      if (step.kind === 'done') {
        postMessage({ type: 'done', blob: step.blob, outcome: step.outcome });
        return;
      }
      const now = performance.now();
      if (now - lastPost >= PROGRESS_EVERY_MS) {
        lastPost = now;
        const { bytesRead, bytesTotal, secondsDone, secondsTotal } = step;
        postMessage({ type: 'progress', progress: { bytesRead, bytesTotal, secondsDone, secondsTotal } });
      }
      if (now - sliceStart >= SLICE_MS) {
        await yieldNow();
        sliceStart = performance.now();
      }
    }
  } finally {
    finished = true;
    try {
      job?.free();
    } catch {
      // A module that aborted cannot free; the worker ends with the job anyway.
    }
  }
}

self.onmessage = (event) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'cancel') {
    cancelled = true;
  } else if (m.type === 'run') {
    run(m).catch((e) => postMessage({ type: 'error', error: asFailure(e) }));
  }
};
