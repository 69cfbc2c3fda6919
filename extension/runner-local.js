/**
 * runner-local.js — the job runner's path on this computer: the request is understood with the
 * wasm client, the input becomes a Blob (the picked File, or the page video's bytes read into
 * Blob parts), and the engine (engine-client.js → engine-worker.js) makes the result, which the
 * background downloads from an object URL. Nothing is uploaded.
 *
 * `runLocal` either returns the job's result, or says why the server must do the job instead
 * (`{serverReason}`), for runner.js to take the server path and record why.
 */
import { getFile } from './filestore.js';
import { lastSegment, downloadFileName } from './names.js';
import { readBody } from './page-bytes.js';
import { runEngine } from './engine-client.js';
// The limit on a page video's bytes read here: the same as uploads.
import { MAX_UPLOAD_BYTES as MAX_PAGE_BYTES } from './formats.generated.js';
/** Least time between two progress posts. */
const PROGRESS_EVERY_MS = 200;

/**
 * A reason to use the server: `key` names it (a sentence key of v2a_protocol::text when `text`
 * is given, which is that sentence in the person's language; else one the popup words itself:
 * 'settingServer', 'notExtract', 'pageUnreadableHere').
 */
const toServer = (key, text = '', args = undefined) => ({ serverReason: { key, text, args } });

/**
 * Runs `job` here when it can. `slot` is the runner's record of the current job
 * ({cancelled, engine}); `update(patch)` posts a change of the job record; `fail(code, key,
 * args, message?)` makes the runner's own error, worded from the catalog key `key`
 * (v2a_protocol::text) unless `message` is given;
 * `check()` throws once the job is cancelled.
 * Resolves to {result} or {serverReason: {key, text, args}}.
 */
export async function runLocal({ wasm, job, config, slot, update, fail, check }) {
  if (config.processLocally === false) return toServer('settingServer');
  let intent;
  try {
    intent = wasm.understand(job.instruction);
  } catch {
    intent = null;
  }
  // Help, or a request the parser refuses: the server answers those in words.
  if (!intent || intent.intent !== 'extract') return toServer('notExtract');

  let blob;
  if (job.source.kind === 'file') {
    blob = await getFile(job.source.key);
    if (!blob) {
      throw fail('file_gone', 'FileGone');
    }
  } else {
    blob = await fetchPage(wasm, job, slot, update, fail);
    if (!blob) return toServer('pageUnreadableHere');
  }
  check();

  update({ state: 'processing', stage: 'local', progress: 0, where: 'local' });
  let last = 0;
  const engine = runEngine({
    blob,
    spec: intent.spec,
    language: config.language,
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const progress = p.secondsTotal > 0 ? p.secondsDone / p.secondsTotal : p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : 0;
      update({ progress: Math.min(1, progress), engine: p });
    },
  });
  slot.engine = engine;
  let made;
  try {
    made = await engine.done;
  } catch (e) {
    if (e && e.aborted) throw fail('aborted', 'JobCancelled');
    // The engine's sentence in the person's language, or its key worded here when it had none.
    const sentence = (e && e.message) || (e && e.key ? wasm.say(config.language, e.key, e.args) : String(e));
    // The server may read what the engine cannot (a codec it lacks, a container it does not know).
    if (e && e.serverCanTry) return toServer(e.key, sentence, e.args);
    throw fail('engine', e && e.key, e && e.args, sentence);
  } finally {
    slot.engine = null;
  }
  if (made.kind === 'needs-server') return toServer(made.reason.key, made.reason.message, made.reason.args);

  const { outcome } = made;
  const name = job.source.kind === 'file' ? job.source.name : lastSegment(job.source.url) || job.source.title || 'audio';
  return {
    result: {
      name: wasm.downloadName(String(name), outcome.extension),
      fileName: downloadFileName(wasm, job.source, { format: outcome.extension, name }),
      format: outcome.extension,
      duration: outcome.duration,
      size: outcome.size,
      // Revoked by the runner once the download has completed (runner-release).
      downloadUrl: URL.createObjectURL(made.blob),
      where: 'local',
      copied: outcome.copied,
      inexactCut: outcome.inexactCut || null,
      text: '',
    },
  };
}

/**
 * The page video's bytes as a File, read with the user's cookies; undefined when the browser may
 * not read it (the server may still fetch it by URL). A site that stops partway, or a video over
 * the limit, fails the job as on the server path.
 */
async function fetchPage(wasm, job, slot, update, fail) {
  const { url } = job.source;
  update({ stage: 'fetching' });
  const controller = new AbortController();
  const abortFetch = setInterval(() => slot.cancelled && controller.abort(), 250);
  try {
    let res;
    try {
      res = await fetch(url, { credentials: 'include', signal: controller.signal });
    } catch {
      if (slot.cancelled) throw fail('aborted', 'JobCancelled');
      return undefined;
    }
    if (!res.ok) return undefined;
    const size = Number(res.headers.get('content-length')) || 0;
    const tooLarge = () => fail('local_too_large', 'TooLarge', { max: wasm.formatSize(MAX_PAGE_BYTES) });
    if (size > MAX_PAGE_BYTES) {
      res.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    let last = 0;
    try {
      return await readBody(res, {
        name: lastSegment(url) || 'video',
        type: (res.headers.get('content-type') || '').split(';')[0],
        limit: MAX_PAGE_BYTES,
        onBytes: (received, total) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          update({ fetched: { received, total }, stage: 'fetching' });
        },
        tooLarge: () => {
          throw tooLarge();
        },
      });
    } catch (e) {
      if (slot.cancelled) throw fail('aborted', 'JobCancelled');
      if (e && e.code === 'local_too_large') throw e;
      throw fail('page_cut', 'PageCut', { detail: String(e && e.message) });
    }
  } finally {
    clearInterval(abortFetch);
  }
}
