/**
 * background.js — Chrome's service worker, Firefox's event page.
 *
 * Routes messages (messages.js), keeps the job records in chrome.storage.local (the one source
 * of truth the popup renders from), starts downloads straight from the backend's signed links,
 * owns the context menu, and makes sure the job runner exists. Nothing that matters is kept in
 * memory, so Chrome stopping this worker after 30 s idle loses nothing: every listener is
 * registered synchronously below, and a message from the runner wakes the worker again.
 */
import { isMessage, TO_BACKGROUND, ACTIVE_STATES, newJobId } from './messages.js';
import { getSettings, defaultInstruction, unreachableSentence, serverReasonSentence, isLoopback, MAX_JOBS } from './settings.js';
import { createRunner } from './runner.js';

const MENU_ID = 'extract-audio';
/** Chrome has offscreen documents; Firefox runs the runner in this (DOM-capable) page. */
const USE_OFFSCREEN = typeof chrome.offscreen !== 'undefined';
const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;

// ---- listeners: all registered at the top level, synchronously ----

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isMessage(message) || !TO_BACKGROUND.includes(message.type)) return false;
  handleMessage(message).then(sendResponse, (e) => sendResponse({ ok: false, error: String(e && e.message) }));
  return true; // answered asynchronously
});

chrome.runtime.onInstalled.addListener(() => {
  // An install, update or reload ends the old runner with it.
  failOrphans();
  // Firefox for Android has no menus API: everything else still works there.
  if (!chrome.contextMenus) return;
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: MENU_ID, title: t('menuExtract'), contexts: ['video'] }, () => {
      // Recorded so that the options page and the tests can see which entries exist.
      chrome.storage.local.set({ contextMenus: chrome.runtime.lastError ? [] : [{ id: MENU_ID, contexts: ['video'] }] });
    });
  });
});

chrome.runtime.onStartup.addListener(() => {
  // After a browser restart no runner survives: jobs left active were interrupted.
  failOrphans();
});

chrome.contextMenus?.onClicked.addListener((info, tab) => {
  handleContextMenuClick(info, tab);
});

chrome.downloads.onChanged.addListener((delta) => {
  if (!delta.state && !delta.filename && !delta.error) return;
  let release = null;
  mutateJobs((jobs) => {
    const job = jobs.find((j) => j.download && j.download.id === delta.id);
    if (!job) return false;
    if (delta.state) job.download.state = delta.state.current;
    // A result made on this computer lives in the runner's memory until it is saved.
    if (job.download.state === 'complete' && job.result && job.result.where === 'local' && !job.result.released) {
      release = job.result.downloadUrl;
      job.result.released = true;
    }
    if (delta.filename) job.download.filename = delta.filename.current;
    // Why it stopped (e.g. SERVER_BAD_CONTENT: the server no longer has the file).
    if (delta.error) job.download.reason = delta.error.current;
    return true;
  }).then(() => release && toRunner({ type: 'runner-release', url: release }).catch(() => {}));
});

// ---- job records ----

let writes = Promise.resolve();

/**
 * Reads the jobs, lets `fn` change them in place, writes them back when it returns true.
 * Writes are chained so that two updates never read the same old list.
 */
function mutateJobs(fn) {
  const next = writes.then(async () => {
    const { jobs = [] } = await chrome.storage.local.get('jobs');
    const changed = await fn(jobs);
    if (changed) await chrome.storage.local.set({ jobs: jobs.slice(0, MAX_JOBS) });
    return jobs;
  });
  writes = next.catch(() => {});
  return next;
}

function patchJob(jobId, patch, { unlessFinished = true } = {}) {
  let updated = null;
  return mutateJobs((jobs) => {
    const job = jobs.find((j) => j.id === jobId);
    if (!job || (unlessFinished && !ACTIVE_STATES.includes(job.state))) return false;
    Object.assign(job, patch, { updatedAt: Date.now() });
    updated = job;
    return true;
  }).then(() => updated);
}

/** Marks every active job of `jobs` interrupted; true when there was one. */
function interruptActive(jobs) {
  let changed = false;
  for (const job of jobs) {
    if (ACTIVE_STATES.includes(job.state)) {
      job.state = 'error';
      job.error = { code: 'interrupted', message: t('errorInterrupted') };
      changed = true;
    }
  }
  return changed;
}

async function failOrphans() {
  await mutateJobs(interruptActive);
}

/**
 * Jobs shown running whose runner is gone (Chrome closed or lost the offscreen document, e.g. a
 * crash) would otherwise be shown running for ever: the popup asks for this check on opening.
 * Looked at inside the job-record chain: a job is recorded only once its runner exists, so one
 * recorded while this runs is never taken for an orphan.
 */
async function checkRunner() {
  if (!USE_OFFSCREEN || creatingRunner) return;
  await mutateJobs(async (jobs) => {
    if (!jobs.some((j) => ACTIVE_STATES.includes(j.state))) return false;
    const url = chrome.runtime.getURL('offscreen.html');
    const existing = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
    return existing.length === 0 && interruptActive(jobs);
  });
  await refreshBadge();
}

// ---- the runner ----

let localRunner = null;
if (!USE_OFFSCREEN) {
  // Firefox: this page is the runner's home; a restart of it means earlier jobs were lost.
  localRunner = createRunner({
    post: (message) => handleMessage(message),
    loadWasm: () => import('./wasm.js').then((m) => m.loadWasm()),
    keepAlive: firefoxKeepAlive,
  });
  failOrphans();
}

let keepAliveTimer = null;
/** Firefox suspends an idle event page; an extension API call now and then keeps it awake. */
function firefoxKeepAlive(busy) {
  clearInterval(keepAliveTimer);
  keepAliveTimer = busy ? setInterval(() => chrome.runtime.getPlatformInfo(), 20_000) : null;
}

let creatingRunner = null;
async function ensureRunner() {
  if (!USE_OFFSCREEN) return;
  const url = chrome.runtime.getURL('offscreen.html');
  const existing = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  if (existing.length > 0) return;
  creatingRunner ??= (async () => {
    await chrome.offscreen.createDocument({
      url: 'offscreen.html',
      reasons: ['BLOBS', 'WORKERS'],
      justification: 'Runs extraction jobs: on this computer in a worker, or by uploading the chosen files with progress.',
    });
    // A new runner means any job still marked active had lost its runner.
    await failOrphans();
  })().finally(() => {
    creatingRunner = null;
  });
  await creatingRunner;
}

async function toRunner(message) {
  if (localRunner) return localRunner.handle(message);
  // The document may still be loading its module: retry until its listener answers.
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const reply = await chrome.runtime.sendMessage(message);
      if (reply && reply.ok) return reply;
    } catch {
      // "Receiving end does not exist" while the runner loads.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Worded by the caller (errorStart, from _locales: this service worker has no wasm).
  throw new Error(t('errorRunnerSilent'));
}

async function runnerConfig() {
  const settings = await getSettings();
  const { auth, clientId } = await chrome.storage.local.get(['auth', 'clientId']);
  // A token and session belong to the backend that issued them.
  const sameBackend = auth && auth.backendUrl === settings.backendUrl;
  return {
    backendUrl: settings.backendUrl,
    // The person's own token is never swapped; the anonymous one the backend gave us may be.
    token: settings.token || '',
    anonymousToken: (!settings.token && sameBackend && auth.token) || '',
    sessionId: (sameBackend && auth.sessionId) || '',
    clientId: clientId || '',
    language: chrome.i18n.getUILanguage(),
    // X-Skill-Version is the extension's version; an export without a format asks for this one.
    version: chrome.runtime.getManifest().version,
    defaultFormat: settings.defaultFormat,
    processLocally: settings.processLocally,
  };
}

// ---- jobs ----

/** Records a job and hands it to the runner. */
async function startJob({ jobId, instruction, source }, origin) {
  await ensureRunner();
  const job = {
    id: jobId,
    createdAt: Date.now(),
    updatedAt: Date.now(),
    origin,
    instruction,
    source,
    state: 'queued',
    progress: 0,
    status: '',
  };
  await mutateJobs((jobs) => {
    jobs.unshift(job);
    return true;
  });
  await setBadge('…');
  try {
    await toRunner({ type: 'runner-start', job, config: await runnerConfig() });
  } catch (e) {
    // Never leave a record "queued" with no runner behind it.
    await patchJob(jobId, { state: 'error', error: { code: 'runner', message: t('errorStart', [String(e && e.message)]) } });
    await refreshBadge();
    throw e;
  }
  return { ok: true };
}

/** Records a job that failed before it could start (e.g. a MediaSource video). */
async function recordFailure({ jobId, instruction, source, origin, error }) {
  await mutateJobs((jobs) => {
    jobs.unshift({ id: jobId, createdAt: Date.now(), updatedAt: Date.now(), origin, instruction, source, state: 'error', error });
    return true;
  });
  await setBadge('!');
}

/** Whether a signed link's `exp` (unix seconds) has passed: the server has removed the file. */
function linkExpired(url) {
  try {
    const exp = Number(new URL(url).searchParams.get('exp'));
    return exp > 0 && exp * 1000 < Date.now();
  } catch {
    return false;
  }
}

async function startDownload(job, saveAs) {
  if (!job || !job.result || !job.result.downloadUrl) return { ok: false, error: t('errorNoResult'), sentence: true };
  // Made on this computer and already saved: its bytes were released (see downloads.onChanged).
  if (job.result.where === 'local' && job.result.released) return { ok: false, error: t('errorLocalSaved'), sentence: true };
  if (linkExpired(job.result.downloadUrl)) {
    // Asking would only fail: say so now, with what to do instead.
    await patchJob(job.id, { download: { state: 'interrupted', reason: 'EXPIRED' } }, { unlessFinished: false });
    return { ok: false, error: t('errorResultExpired'), sentence: true };
  }
  const settings = await getSettings();
  // Named by the runner, which has the wasm client (this service worker does not load it).
  const filename = job.result.fileName || job.result.name;
  const options = { url: job.result.downloadUrl, saveAs: saveAs || settings.alwaysAsk, conflictAction: 'uniquify' };
  let id;
  try {
    id = await chrome.downloads.download({ ...options, filename });
  } catch {
    // A name the platform refuses (reserved on Windows, say): let the server's name stand.
    try {
      id = await chrome.downloads.download(options);
    } catch (e) {
      const failed = { state: 'interrupted', error: String(e && e.message) };
      await patchJob(job.id, { download: failed }, { unlessFinished: false });
      return { ok: false, error: failed.error };
    }
  }
  await patchJob(job.id, { download: { id, state: 'in_progress', filename } }, { unlessFinished: false });
  return { ok: true, downloadId: id };
}

/** A sentence for a person, with the next step, for a failure the runner reported. */
async function failureMessage(error) {
  if (error.code === 'network') {
    return unreachableSentence((await getSettings()).backendUrl);
  }
  if (error.code === 'needs_server_unreachable') {
    // The engine could not do it and no server answers: why, then how to get a server.
    const [key, text, url] = error.args || [];
    const next = isLoopback(url) ? 'errorNeedsServerLocal' : 'errorNeedsServer';
    return t(next, [serverReasonSentence(key, text), String(url)]);
  }
  // The runner's own failures come worded already, in the person's language, from the
  // catalog (v2a_protocol::text through the client wasm's `say`), as do the client's errors.
  return error.message || t('errorUnknown');
}

async function handleMessage(m) {
  switch (m.type) {
    case 'start-job':
      return startJob(m, 'popup');
    case 'cancel-job': {
      const job = await patchJob(m.jobId, { state: 'cancelled', error: null });
      await toRunner({ type: 'runner-cancel', jobId: m.jobId }).catch(() => {});
      await refreshBadge();
      return { ok: Boolean(job) };
    }
    case 'download': {
      const { jobs = [] } = await chrome.storage.local.get('jobs');
      return startDownload(jobs.find((j) => j.id === m.jobId), m.saveAs);
    }
    case 'job-update':
      await patchJob(m.jobId, m.patch);
      return { ok: true };
    case 'job-done': {
      const job = await patchJob(m.jobId, { state: 'done', progress: 1, result: m.result });
      await refreshBadge();
      if (job) await startDownload(job, false);
      return { ok: true };
    }
    case 'job-failed': {
      if (m.error.code === 'aborted') return { ok: true }; // already recorded as cancelled
      // `key`: the catalog key of the runner's own failures (what tests and diagnosis read).
      const error = { code: m.error.code, message: await failureMessage(m.error) };
      if (typeof m.error.key === 'string') error.key = m.error.key;
      const job = await patchJob(m.jobId, { state: 'error', error });
      if (job) await setBadge('!');
      return { ok: true };
    }
    case 'check-runner':
      await checkRunner();
      return { ok: true };
    case 'auth-update': {
      const { auth } = await chrome.storage.local.get('auth');
      const next = { ...(auth && auth.backendUrl === m.backendUrl ? auth : {}), backendUrl: m.backendUrl };
      if (m.token) next.token = m.token;
      if (m.sessionId) next.sessionId = m.sessionId;
      await chrome.storage.local.set({ auth: next });
      if (m.clientId) {
        const { clientId } = await chrome.storage.local.get('clientId');
        if (!clientId) await chrome.storage.local.set({ clientId: m.clientId });
      }
      return { ok: true };
    }
    default:
      return { ok: false };
  }
}

// ---- context menu ----

/**
 * What the "Extract audio" menu entry does; also called by the end-to-end tests with a real
 * srcUrl, since a headless browser cannot open a native context menu.
 */
export async function handleContextMenuClick(info, tab) {
  if (info.menuItemId !== MENU_ID || !info.srcUrl) return { ok: false };
  const settings = await getSettings();
  const jobId = newJobId();
  const source = { kind: 'url', url: info.srcUrl, pageUrl: info.pageUrl || (tab && tab.url) || '', title: (tab && tab.title) || '' };
  const instruction = defaultInstruction(settings);
  if (/^(blob|data|mediasource):/i.test(info.srcUrl)) {
    await recordFailure({ jobId, instruction, source, origin: 'context-menu', error: { code: 'streamed', message: t('errorStreamed') } });
    return { ok: false, jobId };
  }
  await startJob({ jobId, instruction, source }, 'context-menu');
  return { ok: true, jobId };
}

// ---- badge ----

async function setBadge(text) {
  await chrome.action.setBadgeText({ text });
  if (text) await chrome.action.setBadgeBackgroundColor({ color: text === '!' ? '#b3261e' : '#3b5bdb' });
}

async function refreshBadge() {
  const { jobs = [] } = await chrome.storage.local.get('jobs');
  await setBadge(jobs.some((j) => ACTIVE_STATES.includes(j.state)) ? '…' : '');
}

// A handle for the end-to-end tests (evaluated in this worker): the same code paths as the
// listeners above.
globalThis.videoToAudio = { handleContextMenuClick };
