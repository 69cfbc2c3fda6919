/**
 * runner.js — runs jobs with the wasm client: upload (with byte progress) → run → result.
 *
 * It lives where XMLHttpRequest exists: Chrome's offscreen document (offscreen.js) or Firefox's
 * background page (background.js calls it directly). It keeps no records itself: every change
 * is posted to the background, which writes it to chrome.storage for the popup to render.
 * Jobs run one at a time, because they share the backend session and a request acts on the
 * session's latest upload.
 */

import { getFile, deleteFile } from './filestore.js';
import { lastSegment, downloadFileName } from './names.js';
import { readBody } from './page-bytes.js';
import { runLocal } from './runner-local.js';
import { MAX_UPLOAD_BYTES } from './formats.generated.js';
/** Least time between two upload-progress posts, so storage is not written on every chunk. */
const PROGRESS_EVERY_MS = 200;
/**
 * Failures of a by-URL upload after which uploading the page video's bytes ourselves would end
 * the same way: the file's type or size, the account, the server being unreachable, a cancel.
 */
const FINAL_URL_CODES = [4001, 4002, 1001, 2001, 402, 429, 'network', 'aborted'];

/** A plain {code, message} from whatever was thrown (a VideoToAudioError or anything else). */
function errorInfo(e) {
  if (e && typeof e === 'object') {
    const info = { code: e.code ?? e.name ?? 'unknown', message: String(e.message || e) };
    if (typeof e.key === 'string') info.key = e.key;
    if (e.args && typeof e.args === 'object') info.args = e.args;
    return info;
  }
  return { code: 'unknown', message: String(e) };
}

/**
 * A failure found by the runner itself: `code` for the record, `key` the catalog sentence
 * (v2a_protocol::text) with its `args`, and `message` that sentence in the person's language.
 */
class JobError extends Error {
  constructor(code, key, args, message) {
    super(message);
    this.name = 'VideoToAudioError';
    this.code = code;
    if (key) this.key = key;
    if (args) this.args = args;
  }
}

/** `fail(code, key, args, message?)`: the runner's own error, worded by the client wasm. */
function failWith(wasm, language) {
  return (code, key, args, message) => new JobError(code, key, args, message ?? wasm.say(language, key, args));
}

/**
 * Makes a runner. `post(message)` delivers a message to the background; `loadWasm()` resolves
 * to the wasm module; `keepAlive(busy)` (Firefox) is told when work starts and stops.
 */
export function createRunner({ post, loadWasm, keepAlive = () => {} }) {
  const queue = [];
  let current = null; // {jobId, client, cancelled, engine, serverReason}

  const update = (jobId, patch) => post({ type: 'job-update', jobId, patch });

  async function pump() {
    if (current || queue.length === 0) return;
    const { job, config } = queue.shift();
    current = { jobId: job.id, client: null, cancelled: false, engine: null, serverReason: null };
    keepAlive(true);
    try {
      const result = await runJob(job, config, current);
      post({ type: 'job-done', jobId: job.id, result });
    } catch (e) {
      post({ type: 'job-failed', jobId: job.id, error: serverNeededError(errorInfo(e), current.serverReason, config) });
    } finally {
      if (job.source.kind === 'file') await deleteFile(job.source.key).catch(() => {});
      // Each job has its own wasm Client: free it, or the long-lived runner's memory grows.
      try {
        current.client?.free();
      } catch {
        // Already freed or never built: nothing to release.
      }
      current = null;
      keepAlive(queue.length > 0);
      pump();
    }
  }

  async function runJob(job, config, slot) {
    const wasm = await loadWasm();
    const fail = failWith(wasm, config.language);
    const client = new wasm.Client({
      baseUrl: config.backendUrl,
      token: config.token || undefined,
      anonymousToken: config.anonymousToken || undefined,
      clientId: config.clientId,
      sessionId: config.sessionId || undefined,
      language: config.language,
      maxUploadBytes: MAX_UPLOAD_BYTES,
      // The description's attribution: the extension's own version; the platform is one of
      // its values ("unknown": an extension has no install path to detect it from).
      version: config.version || undefined,
      platform: 'unknown',
    });
    if (!config.clientId) post({ type: 'auth-update', backendUrl: config.backendUrl, clientId: client.clientId });
    slot.client = client;
    // Only an anonymous token is kept in "auth": the person's own stays in the settings alone.
    const saveAuth = () =>
      post({
        type: 'auth-update',
        backendUrl: config.backendUrl,
        token: config.token ? undefined : client.token,
        sessionId: client.sessionId,
      });
    const check = () => {
      if (slot.cancelled) throw fail('aborted', 'JobCancelled');
    };

    let summary = '';
    try {
      summary = wasm.summarize(job.instruction) || '';
    } catch {
      // Only a label for the job list; the server understands the request on its own.
    }
    // Per job: on this computer when the engine can do it, else the server, recording why.
    update(job.id, { summary });
    // An export of the session's latest result ("导出") has nothing to process here.
    if (job.source.kind !== 'session') {
      const local = await runLocal({
        wasm,
        job,
        config,
        slot,
        update: (patch) => update(job.id, patch),
        fail,
        check,
      });
      if (local.result) return local.result;
      slot.serverReason = local.serverReason;
      update(job.id, { where: 'server', serverReason: local.serverReason.key, serverReasonText: local.serverReason.text });
    }
    update(job.id, { state: 'uploading', stage: 'connecting', summary });
    await client.ensureSession();
    saveAuth();
    check();

    const format = exportFormat(wasm, job.instruction, config.defaultFormat);
    // "export" / "导出" typed in the popup: the latest result of the session, without a run.
    if (job.source.kind === 'session') {
      const media = await exportLatest(client, job, format);
      saveAuth();
      return resultOf(wasm, client, job, media, '');
    }

    const via = await upload(wasm, client, job, check, fail, config.language);
    check();
    update(job.id, { state: 'processing', progress: 0, stage: 'queued', via });

    const out = await client.run(job.instruction, (u) => {
      if (!u || typeof u !== 'object') return;
      // A text update carries the whole message so far: it replaces the status.
      if (u.kind === 'text' && u.text) update(job.id, { status: u.text });
      else if (u.kind === 'progress') update(job.id, { progress: Number(u.progress) || 0, stage: u.stage || 'running' });
      else if (u.kind === 'still_working') update(job.id, { stillWorkingAt: Date.now() });
    });
    saveAuth();
    // The text without the backend's GUI phrases (the client took them out).
    if (out && out.text) update(job.id, { status: out.text });
    const made = (out && out.media) || [];
    let media = made.find((m) => m.status === 'done' && m.download_url) || null;
    if (!media && out && out.export) {
      // The hosted service's way: the result is on its timeline; export it and wait.
      media = await exportLatest(client, job, format);
      saveAuth();
    }
    if (!media) {
      // The backend answered in words instead of making a file (e.g. a request it cannot do).
      throw fail('no_result', 'NoFileMade', undefined, (out && out.text) || undefined);
    }
    return resultOf(wasm, client, job, media, (out && out.text) || '');
  }

  /** The description's export: start it, poll at the backend's pace, and return the file. */
  async function exportLatest(client, job, format) {
    update(job.id, { state: 'processing', progress: 0, stage: 'exporting' });
    return client.exportResult(format, (u) => {
      if (u && u.kind === 'progress') update(job.id, { progress: Number(u.progress) || 0, stage: 'exporting' });
    });
  }

  /** Uploads the job's source (a picked file or a page video); returns how: 'file', 'url', 'bytes'. */
  async function upload(wasm, client, job, check, fail, language) {
    let last = 0;
    const onBytes = (sent, total) => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && sent < total) return;
      last = now;
      update(job.id, { upload: { sent, total }, stage: 'uploading' });
    };
    if (job.source.kind === 'file') {
      const file = await getFile(job.source.key);
      if (!file) {
        throw fail('file_gone', 'FileGone');
      }
      update(job.id, { upload: { sent: 0, total: file.size }, stage: 'uploading' });
      await client.uploadFile(file, onBytes, file.name);
      return 'file';
    }
    return uploadPageVideo(wasm, client, job, onBytes, check, fail, language);
  }

  /**
   * Asks the backend to fetch the page's video by URL; when it cannot (a private address, a page
   * that needs the user's cookies…), fetches the bytes here, with the user's cookies, and uploads
   * them. Returns how it was sent: 'url' or 'bytes'.
   */
  async function uploadPageVideo(wasm, client, job, onBytes, check, fail, language) {
    const { url, title } = job.source;
    let urlError;
    update(job.id, { stage: 'server-fetching' });
    try {
      await client.uploadUrl(url, title || undefined);
      return 'url';
    } catch (e) {
      if (FINAL_URL_CODES.includes(e && e.code)) throw e;
      check();
      urlError = errorInfo(e);
    }
    // Why the server could not fetch it stays in the record (the job list, and diagnosis).
    update(job.id, { stage: 'fetching', urlError });
    const controller = new AbortController();
    const slot = current;
    const abortFetch = setInterval(() => slot.cancelled && controller.abort(), 250);
    try {
      let res;
      try {
        res = await fetch(url, { credentials: 'include', signal: controller.signal });
      } catch (e) {
        if (slot.cancelled) throw fail('aborted', 'JobCancelled');
        // Usually a site the extension may not read yet (the popup asks for it on Extract).
        throw fail('page_unreadable', 'PageUnreadable', { detail: String(e.message) });
      }
      if (!res.ok) throw fail('page_refused', 'PageRefused', { status: String(res.status) });
      const size = Number(res.headers.get('content-length')) || 0;
      const mime = (res.headers.get('content-type') || '').split(';')[0];
      const name = fileNameFromUrl(url, title);
      // Refuse before reading the body when the size is known, as for a picked file.
      if (size) checkFileOrThrow(wasm, name, size, mime, language);
      let last = 0;
      let file;
      try {
        file = await readBody(res, {
          name,
          type: mime,
          limit: MAX_UPLOAD_BYTES,
          onBytes: (received, total) => {
            const now = Date.now();
            if (now - last < PROGRESS_EVERY_MS) return;
            last = now;
            update(job.id, { fetched: { received, total }, stage: 'fetching' });
          },
          tooLarge: (received) => checkFileOrThrow(wasm, name, received, mime, language),
        });
      } catch (e) {
        if (slot.cancelled) throw fail('aborted', 'JobCancelled');
        if (e && e.name === 'VideoToAudioError') throw e; // too large, in the client's words
        throw fail('page_cut', 'PageCut', { detail: String(e && e.message) });
      }
      checkFileOrThrow(wasm, name, file.size, mime, language);
      check();
      update(job.id, { upload: { sent: 0, total: file.size }, stage: 'uploading' });
      await client.uploadFile(file, onBytes);
      return 'bytes';
    } finally {
      clearInterval(abortFetch);
    }
  }

  return {
    /** Handles a runner message (see messages.js). */
    handle(msg) {
      if (msg.type === 'runner-start') {
        queue.push({ job: msg.job, config: msg.config });
        pump();
      } else if (msg.type === 'runner-cancel') {
        const i = queue.findIndex((q) => q.job.id === msg.jobId);
        if (i >= 0) {
          const [{ job }] = queue.splice(i, 1);
          if (job.source.kind === 'file') deleteFile(job.source.key).catch(() => {});
        } else if (current && current.jobId === msg.jobId) {
          current.cancelled = true;
          if (current.client) current.client.abort();
          if (current.engine) current.engine.cancel();
        }
      } else if (msg.type === 'runner-release') {
        // A result made here has been saved: its bytes can go.
        URL.revokeObjectURL(msg.url);
      }
      return { ok: true };
    },
  };
}

/** The job record's result for a finished file. */
function resultOf(wasm, client, job, media, text) {
  return {
    name: media.name,
    fileName: downloadFileName(wasm, job.source, media),
    format: media.format,
    duration: media.duration ?? null,
    size: media.size ?? null,
    mediaId: media.id,
    downloadUrl: client.downloadUrl(media),
    text,
  };
}

/**
 * The audio format an export asks for: the instruction's, else the default format of the
 * options ("original" has no format to convert to, so MP3, the product's own).
 */
function exportFormat(wasm, instruction, defaultFormat) {
  let asked = null;
  try {
    const intent = wasm.understand(instruction);
    asked = intent && intent.spec && intent.spec.format;
  } catch {
    // Not an extraction request ("导出"): the default applies.
  }
  const format = asked || defaultFormat || 'mp3';
  return format === 'original' ? 'mp3' : format;
}

/**
 * A job the engine sent to the server, and the server cannot be reached: one sentence saying
 * why it needs a server and how to get one (worded by the background, see messages.js).
 */
function serverNeededError(error, reason, config) {
  if (error.code !== 'network' || !reason || reason.key === 'settingServer') return error;
  return {
    code: 'needs_server_unreachable',
    message: reason.text || reason.key,
    args: [reason.key, reason.text || '', config.backendUrl],
  };
}

/** Throws the wasm client's VideoToAudioError (a sentence with the next step) when checkFile
 * refuses a file: a type the service does not take, or over 500 MB. */
function checkFileOrThrow(wasm, name, size, mime, language) {
  wasm.checkFile(name, size, mime || '', MAX_UPLOAD_BYTES, language);
}

/** A file name for a page video: the last path segment, else the page title. */
function fileNameFromUrl(url, title) {
  const last = lastSegment(url);
  if (/\.[a-z0-9]{2,4}$/i.test(last)) return last;
  return `${(title || 'video').slice(0, 80)}.mp4`;
}
