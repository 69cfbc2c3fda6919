/**
 * messages.js — the one set of messages exchanged inside the extension.
 *
 * Parts:
 *   popup / options  — extension pages the user sees; they send requests and render from
 *                      chrome.storage (they never receive messages).
 *   background       — background.js: the service worker in Chrome, the event page in Firefox.
 *                      Owns job records (chrome.storage.local), downloads, the context menu.
 *   runner           — runner.js: uploads and runs jobs with the wasm client. In Chrome it lives in
 *                      an offscreen document (offscreen.html), in Firefox inside the background
 *                      page, where the background calls it directly instead of messaging.
 *   page probe       — page-videos.js, injected with chrome.scripting.executeScript; it answers
 *                      through the injection result (an array of PageVideo), not by message.
 *
 * Every message is a plain object with a string `type`. chrome.runtime.sendMessage reaches every
 * extension page, so each part handles only its own types and ignores the rest.
 *
 * popup → background
 *   {type: 'start-job', jobId, instruction, source}        reply {ok} | {ok: false, error}
 *       source = {kind: 'file', key, name, size, mime}      key: the IndexedDB key of the File
 *              | {kind: 'url', url, pageUrl, title}
 *              | {kind: 'session'}                     export the session's latest result
 *   {type: 'cancel-job', jobId}                            reply {ok}
 *   {type: 'download', jobId, saveAs}                      reply {ok} | {ok: false, error, sentence?}
 *                                                          sentence: error is worded for a person
 *
 * background → runner
 *   {type: 'runner-start', job, config}                    reply {ok}
 *       job: the job record; config = {backendUrl, token, anonymousToken, clientId, sessionId, language,
 *                                      version (the manifest's), defaultFormat, processLocally}
 *   {type: 'runner-cancel', jobId}                         reply {ok}
 *   {type: 'runner-release', url}                          reply {ok}
 *       url: a result made on this computer (an object URL of the runner's document), saved:
 *       the runner revokes it
 *
 * runner → background
 *   {type: 'job-update', jobId, patch}                     patch: fields of the job record
 *   {type: 'job-done', jobId, result}                      result = {name, fileName, format, duration,
 *                                                                    size, downloadUrl, mediaId, text,
 *                                                                    where, copied, inexactCut}
 *                                                          fileName: what the download is saved as
 *                                                          where: 'local' (downloadUrl is an object
 *                                                          URL, no mediaId) or absent (the server)
 *   {type: 'job-failed', jobId, error}                     error = {code, message, key?, args?}
 *                                                          message: a sentence in the person's
 *                                                          language; key, args: the catalog
 *                                                          sentence (v2a_protocol::text) of the
 *                                                          runner's own failures
 *   {type: 'auth-update', backendUrl, token?, sessionId?, clientId?}
 *                                                          credentials to reuse for the next job
 *
 * A job record (chrome.storage.local "jobs", newest first, at most 20):
 *   {id, createdAt, instruction, summary, origin: 'popup'|'context-menu', source,
 *    state: 'queued'|'uploading'|'processing'|'done'|'error'|'cancelled',
 *    upload: {sent, total}, fetched: {received, total} (a page video read by the extension;
 *    total 0 when unknown), progress: 0..1, stage, status, via: 'file'|'url'|'bytes',
 *    urlError: {code, message} (why the server could not fetch a page video by URL),
 *    error: {code, message, key?}, result, download: {id, state, filename, reason},
 *    where: 'local'|'server' (where it ran), serverReason: why it needed the server (a key:
 *    'settingServer', 'notExtract', 'pageUnreadableHere', or a v2a_protocol::text key),
 *    serverReasonText: that key's sentence when the engine gave one, engine: {bytesRead,
 *    bytesTotal, secondsDone, secondsTotal} (progress on this computer)}
 *    reason: chrome.downloads' interrupt reason, or 'EXPIRED' (the signed link's time is up)
 *
 * A PageVideo (what the page probe returns for each <video>):
 *   {src, sources: [{src, type}], poster, thumbnail, duration, width, height, title, frameUrl,
 *    streamed}   streamed: the source is a blob: URL (MediaSource), which cannot be read.
 */

/** Message types the background handles. */
export const TO_BACKGROUND = ['start-job', 'cancel-job', 'download', 'job-update', 'job-done', 'job-failed', 'auth-update', 'check-runner'];
/** Message types the runner handles. */
export const TO_RUNNER = ['runner-start', 'runner-cancel', 'runner-release'];

const isString = (v) => typeof v === 'string' && v.length > 0;
const isObject = (v) => typeof v === 'object' && v !== null;

function isSource(s) {
  if (!isObject(s)) return false;
  if (s.kind === 'file') return isString(s.key) && isString(s.name);
  if (s.kind === 'url') return isString(s.url);
  // "export" / "导出" typed in the popup: the session's latest result, nothing to upload.
  if (s.kind === 'session') return true;
  return false;
}

/**
 * True when `m` is one of the messages above with the fields its type needs. Every listener
 * checks this first, so a malformed or foreign message is dropped in one place.
 */
export function isMessage(m) {
  if (!isObject(m) || !isString(m.type)) return false;
  switch (m.type) {
    case 'start-job':
      return isString(m.jobId) && typeof m.instruction === 'string' && isSource(m.source);
    case 'cancel-job':
      return isString(m.jobId);
    case 'download':
      return isString(m.jobId) && typeof m.saveAs === 'boolean';
    case 'runner-start':
      return isObject(m.job) && isString(m.job.id) && isObject(m.config);
    case 'runner-cancel':
      return isString(m.jobId);
    case 'runner-release':
      return isString(m.url) && m.url.startsWith('blob:');
    case 'job-update':
      return isString(m.jobId) && isObject(m.patch);
    case 'job-done':
      return isString(m.jobId) && isObject(m.result);
    case 'job-failed':
      return isString(m.jobId) && isObject(m.error);
    case 'auth-update':
      return isString(m.backendUrl);
    case 'check-runner':
      return true;
    default:
      return false;
  }
}

/** Job states in which the runner is still working. */
export const ACTIVE_STATES = ['queued', 'uploading', 'processing'];

/** A fresh job id (also the IndexedDB key of a picked file). */
export function newJobId() {
  return `job-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
}
