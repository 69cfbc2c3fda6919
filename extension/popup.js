/**
 * popup.js — the toolbar popup (also usable as a tab: popup.html?tab=<id> acts on that tab).
 *
 * It picks a source (a page video or a file), shows what the instruction will do (the wasm
 * client's parser), checks files before anything is sent, and asks the background to start the
 * job. It never runs a job: it renders the job records in chrome.storage, so closing and
 * reopening it shows the live state.
 */
import { t, localize, formatBytes, formatDuration } from './i18n.js';
import { findPageVideos, videoItem } from './popup-videos.js';
import { jobTitle, progressOf, renderHistory, whereOf } from './popup-job.js';
import { putFile, deleteFile } from './filestore.js';
import { newJobId, ACTIVE_STATES } from './messages.js';
import { FORMATS, getSettings, defaultInstruction, isLoopback, unreachableSentence } from './settings.js';
import { MAX_UPLOAD_BYTES } from './formats.generated.js';
import { describeIntent, checkPickedFile, formatOfIntent, applyFormatChip, routeOf } from './popup-wording.js';

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);

const ui = {
  videos: $('[data-testid="page-videos"]'),
  noVideos: $('#no-videos'),
  unavailable: $('#videos-unavailable'),
  fileInput: $('#file-input'),
  dropzone: $('#dropzone'),
  chosen: $('#file-chosen'),
  instruction: $('#instruction'),
  chips: $('.chips'),
  preview: $('#preview'),
  start: $('#start'),
  cancel: $('#cancel'),
  job: $('#job'),
  jobTitle: $('#job-heading'),
  progress: $('#progress'),
  progressFill: $('#progress .progress-fill'),
  progressText: $('#progress-text'),
  status: $('#status'),
  where: $('#where'),
  error: $('#error'),
  result: $('#result'),
  resultName: $('#result .result-name'),
  resultMeta: $('#result .result-meta'),
  audio: $('#result audio'),
  download: $('#download'),
  saveAs: $('#save-as'),
  history: $('#history'),
  historyList: $('.history-list'),
  credits: $('[data-testid="credits"]'),
  answer: $('[data-testid="answer"]'),
};

/** What Extract will send: {kind: 'video', video} or {kind: 'file', file}. */
let selected = null;
/** The job shown in the panel: the one just started, else the newest. */
let viewJobId = null;
/** An error found here before any job exists (a refused file, no source…). */
let localError = null;
let jobs = [];
let wasm = null;

// ---- start ----

localize();
if (params.has('tab')) document.body.classList.add('tab');
// Seen: the "!" of a failed job goes; a running job's "…" stays.
chrome.action.getBadgeText({}).then((text) => text === '!' && chrome.action.setBadgeText({ text: '' })).catch(() => {});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.jobs) {
    jobs = changes.jobs.newValue || [];
    render();
  }
});

init();

/**
 * The three slow steps of opening — the client wasm's fetch and compile, the storage reads, the
 * page probe (a script injected into every frame of the tab) — start together and are awaited
 * together: one after another they made the popup ready in 291 ms (bench, load ~3), overlapped
 * in about the slowest of them (see docs/DESIGN.md "Popup time to ready"). Each leaves a
 * performance mark, so a slow opening shows which step held it.
 */
async function init() {
  // Imported here rather than statically so that a broken client still leaves a working page.
  const loading = import('./wasm.js')
    .then((m) => m.loadWasm())
    .then((w) => (performance.mark('v2a-wasm'), w));
  const stored = Promise.all([getSettings(), chrome.storage.local.get(['jobs', 'clientId'])]);
  const probing = targetTabId()
    .then(findPageVideos)
    .then((found) => (performance.mark('v2a-videos'), found))
    .catch(() => null); // chrome:// pages, the web store, pages we have no access to
  const [settings, { jobs: storedJobs = [], clientId }] = await stored;
  performance.mark('v2a-storage');
  ui.instruction.value = defaultInstruction(settings);
  buildChips();
  jobs = storedJobs;
  render(); // the jobs as they were, before the wasm is there to write sizes and times
  // A job shown running: the background checks that its runner still exists.
  if (jobs.some((j) => ACTIVE_STATES.includes(j.state))) chrome.runtime.sendMessage({ type: 'check-runner' }).catch(() => {});
  try {
    wasm = await loading;
  } catch (e) {
    showLocalError(t('errorWasm', [String(e && e.message)]));
    document.body.dataset.engine = 'failed';
    return;
  }
  // Made once per install (the first opening only pays this write).
  if (!clientId) await chrome.storage.local.set({ clientId: wasm.newClientId() });
  render(); // sizes and times are written by the wasm, now loaded
  updatePreview();
  showPageVideos(await probing);
  performance.mark('v2a-ready'); // read by tests/e2e/popup-ready.mjs
  document.body.dataset.ready = 'true';
  // Not awaited: a slow or absent backend must not hold up the popup.
  showCredits(settings);
}

// ---- page videos ----

/** Lists the page probe's videos; `found` null: the page cannot be read, so offer the file picker. */
function showPageVideos(found) {
  if (!found) {
    ui.unavailable.hidden = false;
    return;
  }
  ui.noVideos.hidden = found.length > 0;
  ui.videos.replaceChildren(...found.map((v) => videoItem(v, selectVideo)));
  const first = found.findIndex((v) => !v.streamed && v.src);
  if (first >= 0 && !selected) selectVideo(ui.videos.children[first], found[first]);
}

async function targetTabId() {
  if (params.has('tab')) return Number(params.get('tab'));
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab && tab.id;
}

function selectVideo(li, v) {
  for (const el of ui.videos.children) el.setAttribute('aria-checked', String(el === li));
  selected = { kind: 'video', video: v };
  ui.chosen.hidden = true;
  ui.fileInput.value = '';
  clearLocalError();
  // Saying it now, not only after Extract, so a streamed video never fails silently.
  if (v.streamed) showLocalError(t('errorStreamed'));
}

// ---- files ----

ui.fileInput.addEventListener('change', () => {
  if (ui.fileInput.files && ui.fileInput.files[0]) selectFile(ui.fileInput.files[0]);
});

for (const target of [ui.dropzone, document.body]) {
  target.addEventListener('dragover', (e) => {
    e.preventDefault();
    ui.dropzone.classList.add('over');
  });
  target.addEventListener('dragleave', () => ui.dropzone.classList.remove('over'));
  target.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    ui.dropzone.classList.remove('over');
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) selectFile(file);
  });
}

function selectFile(file) {
  for (const el of ui.videos.children) el.setAttribute('aria-checked', 'false');
  selected = { kind: 'file', file };
  ui.chosen.hidden = false;
  ui.chosen.textContent = `${file.name} · ${formatBytes(file.size)}`;
  clearLocalError();
  // Checked at once, before anything is uploaded.
  const problem = wasm && checkPickedFile(wasm, file, MAX_UPLOAD_BYTES);
  if (problem) showLocalError(problem, file.name);
}

// ---- instruction ----

function buildChips() {
  for (const f of FORMATS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'chip';
    b.dataset.format = f.id;
    b.textContent = f.id === 'original' ? t('chipOriginal') : f.label;
    b.setAttribute('aria-pressed', 'false');
    b.addEventListener('click', () => {
      if (!wasm) return; // the chips edit through the wasm client, which is still loading
      ui.instruction.value = applyFormatChip(wasm, ui.instruction.value, f);
      updatePreview();
    });
    ui.chips.append(b);
  }
}

ui.instruction.addEventListener('input', () => updatePreview());

function updatePreview() {
  if (!wasm) return;
  // "export", "credits", "status" are answered without a run: nothing to preview or warn about.
  const { text, ok } = ['export', 'credits', 'status'].includes(routeOf(wasm, ui.instruction.value))
    ? { text: '', ok: true }
    : describeIntent(wasm, ui.instruction.value);
  ui.preview.textContent = text;
  ui.preview.classList.toggle('warn', !ok);
  const format = formatOfIntent(wasm, ui.instruction.value);
  for (const chip of ui.chips.children) chip.setAttribute('aria-pressed', String(chip.dataset.format === format));
}

// ---- actions ----

ui.start.addEventListener('click', onStart);

async function onStart() {
  clearLocalError();
  showAnswer('');
  const instruction = ui.instruction.value.trim();
  // The description's keyword routing: these skip the event stream (and need no source).
  const route = wasm && instruction ? routeOf(wasm, instruction) : 'run';
  if (route === 'credits' || route === 'status') return answer(route);
  if (route === 'export') return startExport(instruction);
  if (route === 'upload' && !selected) return showAnswer(t('answerUpload'));
  if (!selected) return showLocalError(t('errorNoSource'));
  if (!instruction) return showLocalError(t('errorNoInstruction'));
  // Asked here, inside the click, because the browser only shows the prompt for a user gesture:
  // reading a page video from another site needs that site's permission if the server can't.
  let permission = Promise.resolve(true);
  if (selected.kind === 'video') {
    const v = selected.video;
    if (v.streamed || !v.src) return showLocalError(t('errorStreamed'));
    if (!isLoopback(v.src)) {
      try {
        permission = chrome.permissions.request({ origins: [`${new URL(v.src).origin}/*`] });
      } catch {
        permission = Promise.resolve(false);
      }
    }
  }
  if (wasm) {
    const { ok, text } = describeIntent(wasm, instruction);
    if (!ok) return showLocalError(text);
  }
  const jobId = newJobId();
  // From here the panel is this job's: it must not go on showing the previous job's outcome
  // while the file is copied or the record is being made.
  viewJobId = jobId;
  render();
  let source;
  if (selected.kind === 'file') {
    const { file } = selected;
    const problem = wasm && checkPickedFile(wasm, file, MAX_UPLOAD_BYTES);
    if (problem) return showLocalError(problem, file.name);
    // Copying a large file into IndexedDB takes a moment; the popup must stay open meanwhile.
    ui.start.disabled = true;
    ui.start.textContent = t('preparing');
    try {
      await putFile(jobId, file);
    } catch (e) {
      // Usually the profile's disk is full (IndexedDB's quota).
      return showLocalError(t('errorKeepFile', [String((e && e.message) || e)]), file.name);
    } finally {
      ui.start.textContent = t('extract');
    }
    source = { kind: 'file', key: jobId, name: file.name, size: file.size, mime: file.type };
  } else {
    await permission.catch(() => false); // without it the server may still fetch the URL
    const v = selected.video;
    source = { kind: 'url', url: v.src, pageUrl: v.frameUrl, title: v.title };
  }
  await sendJob(jobId, instruction, source);
}

/** Asks the background to start a job, and shows its refusal. */
async function sendJob(jobId, instruction, source) {
  ui.start.disabled = true;
  let reply;
  try {
    reply = await chrome.runtime.sendMessage({ type: 'start-job', jobId, instruction, source });
  } catch (e) {
    reply = { ok: false, error: String(e && e.message) };
  }
  if (!reply || !reply.ok) {
    if (source.kind === 'file') await deleteFile(jobId).catch(() => {});
    showLocalError(t('errorStart', [String((reply && reply.error) || '')]));
  }
  render();
}

/** "export" / "导出" / "download": a job that exports the session's latest result. */
async function startExport(instruction) {
  const jobId = newJobId();
  viewJobId = jobId;
  render();
  await sendJob(jobId, instruction, { kind: 'session' });
}

/** "credits" / "积分" and "status" / "状态": answered here, from the backend, without a run. */
async function answer(route) {
  const settings = await getSettings();
  ui.start.disabled = true;
  try {
    const client = await backendClient(settings);
    if (route === 'credits') {
      const c = await client.credits();
      showAnswer(t('answerCredits', [hostOf(settings.backendUrl), String(c.available), String(c.frozen)]));
    } else {
      showAnswer(await client.statusText());
    }
    keepAuth(settings, client);
  } catch (e) {
    showLocalError(e && e.code === 'network' ? unreachableSentence(settings.backendUrl) : String((e && e.message) || e));
  } finally {
    ui.start.disabled = false;
    render();
  }
}

function showAnswer(text) {
  ui.answer.hidden = !text;
  ui.answer.textContent = text;
}

/** A wasm client for the backend of the options, with the token and session jobs use. */
async function backendClient(settings) {
  const { auth, clientId } = await chrome.storage.local.get(['auth', 'clientId']);
  const same = auth && auth.backendUrl === settings.backendUrl;
  return new wasm.Client({
    baseUrl: settings.backendUrl,
    token: settings.token || undefined,
    anonymousToken: (!settings.token && same && auth.token) || undefined,
    sessionId: (same && auth.sessionId) || undefined,
    clientId,
    language: chrome.i18n.getUILanguage(),
    version: chrome.runtime.getManifest().version,
    platform: 'unknown',
  });
}

/** Keeps a token and session the client obtained, as the runner's jobs do. */
function keepAuth(settings, client) {
  const message = { type: 'auth-update', backendUrl: settings.backendUrl, sessionId: client.sessionId };
  if (!settings.token && client.token) message.token = client.token;
  chrome.runtime.sendMessage(message).catch(() => {});
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

ui.cancel.addEventListener('click', () => {
  const job = shownJob();
  if (job) ask({ type: 'cancel-job', jobId: job.id });
});
ui.download.addEventListener('click', () => download(shownJob(), false));
ui.saveAs.addEventListener('click', () => download(shownJob(), true));

function download(job, saveAs) {
  if (job) ask({ type: 'download', jobId: job.id, saveAs });
}

/** Sends a message to the background and shows its refusal, so no click fails silently. */
function ask(message) {
  const refused = (error) => showLocalError(t('errorRequest', [String(error || '')]));
  chrome.runtime.sendMessage(message).then(
    // A refusal worded for a person (`sentence`) is shown as it is.
    (reply) => reply && !reply.ok && (reply.sentence ? showLocalError(reply.error) : refused(reply.error)),
    (e) => refused(e && e.message),
  );
}

// ---- rendering ----

function shownJob() {
  return jobs.find((j) => j.id === viewJobId) || (viewJobId ? null : jobs[0]) || null;
}

function showLocalError(message, title) {
  localError = { message, title: title || '' };
  render();
}

function clearLocalError() {
  localError = null;
  render();
}

function render() {
  ui.history.hidden = jobs.length === 0;
  renderHistory(ui.historyList, jobs, {
    onShow: (job) => {
      viewJobId = job.id;
      localError = null;
      render();
    },
    onDownload: (job) => download(job, false),
  });
  if (localError) {
    ui.job.hidden = false;
    ui.jobTitle.textContent = localError.title;
    ui.progress.hidden = true;
    ui.progressText.textContent = '';
    ui.status.textContent = '';
    ui.where.textContent = '';
    ui.where.dataset.where = '';
    ui.error.hidden = false;
    ui.error.textContent = localError.message;
    ui.result.hidden = true;
    ui.cancel.hidden = true;
    ui.start.disabled = false;
    return;
  }
  const job = shownJob();
  ui.job.hidden = !job;
  if (!job) {
    ui.cancel.hidden = true;
    ui.start.disabled = false;
    return;
  }
  const active = ACTIVE_STATES.includes(job.state);
  ui.jobTitle.textContent = jobTitle(job);
  ui.cancel.hidden = !active;
  ui.start.disabled = active;
  ui.progress.hidden = job.state === 'error' && !job.upload;
  const { value, text } = progressOf(job);
  ui.progress.setAttribute('aria-valuenow', String(value));
  ui.progressFill.style.width = `${value}%`;
  ui.progressText.textContent = text;
  ui.status.textContent = job.status || '';
  // Where it ran (or runs), and why a job needed the server.
  ui.where.textContent = whereOf(job);
  ui.where.dataset.where = job.where || '';
  ui.where.dataset.reason = job.serverReason || '';
  ui.error.hidden = job.state !== 'error';
  ui.error.textContent = job.state === 'error' && job.error ? job.error.message : '';
  const r = job.state === 'done' ? job.result : null;
  ui.result.hidden = !r;
  if (r) {
    // The name the download is saved under (the server's name only for records made before it was kept).
    ui.resultName.textContent = r.fileName || r.name;
    ui.resultMeta.textContent = [String(r.format || '').toUpperCase(), formatDuration(r.duration), formatBytes(r.size)]
      .filter(Boolean)
      .join(' · ');
    // A result made here is released from memory once saved: nothing left to play.
    ui.audio.hidden = Boolean(r.released);
    if (!r.released && ui.audio.getAttribute('src') !== r.downloadUrl) ui.audio.src = r.downloadUrl;
  }
}

// ---- footer ----

async function showCredits(settings) {
  const host = hostOf(settings.backendUrl);
  const { auth } = await chrome.storage.local.get('auth');
  const anonymousToken = (auth && auth.backendUrl === settings.backendUrl && auth.token) || '';
  const token = settings.token || anonymousToken;
  ui.credits.textContent = t('footerBackend', [host]);
  try {
    const client = await backendClient(settings);
    // Without a token yet, a health check tells whether the server is there; a backend without
    // /healthz (the hosted service) is asked for the balance instead, which gets a token.
    if (!token) {
      try {
        await client.health();
        return;
      } catch (e) {
        if (e && e.code === 'network') throw e;
      }
    }
    const credits = await client.credits();
    keepAuth(settings, client);
    ui.credits.textContent = `${t('footerBackend', [host])} · ${t('footerCredits', [String(credits.available)])}`;
  } catch (e) {
    if (e && e.code === 'network') {
      // With the engine on, no server is needed for most jobs: not an error, only a fact.
      ui.credits.dataset.backend = settings.processLocally ? 'not-needed' : 'offline';
      ui.credits.textContent = settings.processLocally
        ? t('footerLocalOnly', [host])
        : `${t('footerBackend', [host])} · ${t('footerOffline')}`;
    }
    // Said here too, before a job fails on it: a token from Options that the server refuses.
    else if (e && e.code === 1001 && settings.token) {
      ui.credits.textContent = `${t('footerBackend', [host])} · ${t('footerTokenRefused')}`;
    }
  }
}
