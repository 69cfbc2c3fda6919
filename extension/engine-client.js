/**
 * engine-client.js — runs one job in the engine's worker (engine-worker.js) from the job
 * runner's document (Chrome's offscreen document, Firefox's background page). The popup never
 * imports this: the engine's wasm is loaded by the worker alone.
 */

/**
 * Starts the engine on `blob` with `spec` (intent.spec from the client's understand()).
 * `onProgress({bytesRead, bytesTotal, secondsDone, secondsTotal})` is called at most every 200 ms.
 * Returns {done, cancel}: `done` resolves to {kind: 'done', blob, outcome} or
 * {kind: 'needs-server', reason: {key, args, message}}, and rejects with an EngineFailure
 * ({key, args, message, serverCanTry, recoverable}; `message` is empty when the engine could not
 * word it: the runner then says `key`) or, after cancel(), with {aborted: true}.
 * The worker is ended in every case.
 */
export function runEngine({ blob, spec, language, onProgress = () => {} }) {
  const worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  let settle;
  let abort;
  let finished = false;
  const done = new Promise((resolve, reject) => {
    settle = (fn, value) => {
      if (finished) return;
      finished = true;
      worker.terminate();
      fn(value);
    };
    abort = () => settle(reject, { aborted: true });
    worker.onmessage = ({ data: m }) => {
      if (!m || typeof m !== 'object') return;
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'done') settle(resolve, { kind: 'done', blob: m.blob, outcome: m.outcome });
      else if (m.type === 'needs-server') settle(resolve, { kind: 'needs-server', reason: m.reason, probe: m.probe });
      else if (m.type === 'error') settle(reject, new EngineFailure(m.error));
      else if (m.type === 'cancelled') settle(reject, { aborted: true });
    };
    // The module failed to load (a missing extension/engine build) or threw at the top level.
    worker.onerror = (event) => {
      event.preventDefault();
      // No sentence here: the runner words the key in the person's language (wasm `say`).
      settle(reject, new EngineFailure({
        key: 'EngineDidNotStart',
        args: { detail: event.message || event.type },
        serverCanTry: true,
        recoverable: false,
      }));
    };
  });
  worker.postMessage({ type: 'run', blob, spec, language });
  return {
    done,
    /** Stops the job now: the worker is ended without waiting for its current step. */
    cancel() {
      if (!finished) worker.postMessage({ type: 'cancel' });
      abort();
    },
  };
}

/** A failure the engine reported, as an Error carrying its key (see crates/engine-wasm). */
export class EngineFailure extends Error {
  constructor({ key, args, message, serverCanTry, recoverable }) {
    super(message);
    this.name = 'EngineError';
    this.key = key;
    this.args = args || {};
    this.serverCanTry = Boolean(serverCanTry);
    this.recoverable = Boolean(recoverable);
  }
}
