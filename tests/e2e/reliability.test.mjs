// Issue 11 in the browser: a job ends in a saved file or in a sentence with the next step,
// never in a job shown running for ever — when Chrome stops the service worker mid-upload and
// mid-run, when the network drops mid-upload, and when the server is killed mid-job and started
// again.
//
// Mid-way by construction, not by timing: a loopback proxy (lib/proxy.mjs) between the extension
// and the server holds or cuts an upload after 16 KiB, and the server's ffmpeg is a wrapper that
// waits while a "hold" file exists, so no machine is fast enough to finish early.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch } from './lib/browser.mjs';
import { startBackend } from './lib/servers.mjs';
import { startProxy } from './lib/proxy.mjs';
import { serverOutputs } from './lib/backend-state.mjs';
import { makeVideo, probeAudio } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

const SECONDS = 3;
const ACTIVE = ['queued', 'uploading', 'processing'];
/** Upload bytes let through before the proxy holds or cuts the upload. */
const UPLOAD_BYTES_BEFORE = 16 * 1024;

let work;
let clip;
let backend;
let proxy;
let browser;
let hold;
let ffmpegStarts;

/** A wrapper on --ffmpeg: notes each extraction it starts, and waits while `hold` exists. */
function ffmpegWrapper(dir) {
  const real = execFileSync('sh', ['-c', 'command -v ffmpeg']).toString().trim();
  const file = path.join(dir, 'ffmpeg-held.sh');
  fs.writeFileSync(file, `#!/bin/sh
if [ "$1" != "-version" ]; then
  echo started >> '${ffmpegStarts}'
  while [ -e '${hold}' ]; do sleep 0.05; done
fi
exec '${real}' "$@"
`, { mode: 0o755 });
  return file;
}

const serverArgs = () => ['--ffmpeg', path.join(work, 'ffmpeg-held.sh')];

before(async () => {
  work = tempDir('reliability');
  hold = path.join(work, 'hold');
  ffmpegStarts = path.join(work, 'ffmpeg-starts');
  ffmpegWrapper(work);
  // Big enough that 16 KiB is a small part of it (about 95 KB).
  clip = await makeVideo(work, { seconds: SECONDS, size: '640x480', name: 'clip.mp4' });
  assert.ok(fs.statSync(clip).size > 4 * UPLOAD_BYTES_BEFORE, `the clip is ${fs.statSync(clip).size} bytes`);
  backend = await startBackend(path.join(work, 'data'), serverArgs());
  proxy = await startProxy(backend.url);
  browser = await launch();
  await (await browser.configureBackend(proxy.url, { where: 'server' })).close();
});

after(async () => {
  fs.rmSync(hold, { force: true });
  proxy?.release();
  await browser?.close();
  await backend?.stop();
  await proxy?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function jobOf(jobId) {
  return (await browser.jobs()).find((j) => j.id === jobId);
}

/** Picks the clip in a popup and presses Extract; resolves to {popup, jobId}. */
async function startJob() {
  const popup = await browser.openPopup();
  await popup.getByTestId('instruction').fill('Extract the audio track as MP3');
  await popup.getByTestId('file-input').setInputFiles(clip);
  const known = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  const job = await browser.waitForJobs((jobs) => jobs.find((j) => !known.has(j.id)), { what: 'the new job' });
  return { popup, jobId: job.id };
}

async function waitForState(jobId, states, what) {
  return browser.waitForJobs((jobs) => {
    const j = jobs.find((x) => x.id === jobId);
    return j && states.includes(j.state) ? j : null;
  }, { what, timeout: 30_000 });
}

async function checkSaved(jobId) {
  const saved = await browser.waitForDownload(jobId, 60_000);
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - SECONDS) < 0.3, `duration ${audio.duration}`);
}

/** The popup, opened afresh, shows the job ended: its error (with `message`), no Cancel. */
async function popupShowsFailed(message) {
  const popup = await browser.openPopup();
  const error = popup.getByTestId('error');
  await error.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await error.textContent(), message);
  assert.equal(await popup.getByTestId('cancel').isVisible(), false, 'not shown running');
  assert.equal(await popup.getByTestId('start').isEnabled(), true);
  await popup.close();
}

function extractionsStarted() {
  return fs.existsSync(ffmpegStarts) ? fs.readFileSync(ffmpegStarts, 'utf8').split('\n').filter(Boolean).length : 0;
}

async function until(check, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts a job whose extraction is held once ffmpeg has started (until `fs.rmSync(hold)`):
 * the job is then "processing".
 */
async function startHeldRun() {
  fs.writeFileSync(hold, '');
  const started = extractionsStarted();
  const job = await startJob();
  await until(() => extractionsStarted() > started, 'ffmpeg to start');
  await waitForState(job.jobId, ['processing'], 'the job to show the run');
  return job;
}

test('the service worker stopped mid-upload: the upload goes on and the file is saved', async () => {
  proxy.hold(UPLOAD_BYTES_BEFORE);
  const { popup, jobId } = await startJob();
  await proxy.held;
  await waitForState(jobId, ['uploading'], 'the job to show the upload');
  await popup.close(); // nothing of ours is left talking to the worker
  await browser.stopServiceWorker();
  assert.equal((await jobOf(jobId)).state, 'uploading', 'the worker was stopped mid-upload');
  proxy.release();
  await checkSaved(jobId);
  assert.equal(await browser.workerIsFresh(), true, 'a new worker finished the job');
});

test('the service worker stopped mid-run: the run goes on and the file is saved', async () => {
  const { popup, jobId } = await startHeldRun();
  await popup.close();
  await browser.stopServiceWorker();
  assert.equal((await jobOf(jobId)).state, 'processing', 'the worker was stopped mid-run');
  fs.rmSync(hold);
  await checkSaved(jobId);
  assert.equal(await browser.workerIsFresh(), true, 'a new worker finished the job');
});

test('the network dropping twice mid-upload: the upload is sent again and the file is saved', async () => {
  const cuts = proxy.cuts;
  // Two cuts: Chrome itself sends a request again, once, when a reused keep-alive connection
  // drops before any answer; the second cut is past that, so only the client's retry helps.
  proxy.cutNext(2, UPLOAD_BYTES_BEFORE);
  const { popup, jobId } = await startJob();
  await checkSaved(jobId);
  assert.equal(proxy.cuts, cuts + 2, 'the upload was cut twice');
  await popup.close();
});

test('the network dropping on every try: a sentence with the next step, not a job left running', async () => {
  const uploads = proxy.uploads;
  proxy.cutNext(100, UPLOAD_BYTES_BEFORE);
  try {
    const { popup, jobId } = await startJob();
    const job = await waitForState(jobId, ['error'], 'the job to fail');
    assert.equal(job.error.code, 'upload_cut');
    // The client's three tries (Chrome may add one of its own on a reused connection).
    assert.ok(proxy.uploads >= uploads + 3, `${proxy.uploads - uploads} tries`);
    await popup.getByTestId('error').filter({ hasText: job.error.message }).waitFor({ timeout: 10_000 });
    await popup.close();
    await popupShowsFailed(job.error.message);
  } finally {
    proxy.cutNext(0, 0);
  }
});

test('the server killed mid-run and started again: the job ends with the server\'s sentence', async () => {
  const { popup, jobId } = await startHeldRun();
  await backend.kill();
  fs.rmSync(hold);
  // Until the server is back the job is still running: the client waits for it.
  assert.ok(ACTIVE.includes((await jobOf(jobId)).state));
  const port = new URL(backend.url).port;
  backend = await startBackend(backend.dataDir, serverArgs(), { listen: `127.0.0.1:${port}` });
  const job = await waitForState(jobId, ['error'], 'the job to fail');
  // The sentence the restarted server gave the job it interrupted.
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  const failed = (await serverOutputs(backend.url, auth)).filter((o) => o.status === 'failed');
  assert.equal(failed.length, 1, JSON.stringify(failed));
  assert.equal(job.error.code, 'run_failed');
  assert.equal(job.error.message, failed[0].error);
  await popup.close();
  await popupShowsFailed(job.error.message);
});

test('the job runner lost mid-run (its document closed): the popup says so instead of showing it running', async () => {
  const { popup, jobId } = await startHeldRun();
  await popup.close();
  // What a crash of the offscreen document leaves behind: a record saying "processing".
  await (await browser.worker()).evaluate(() => chrome.offscreen.closeDocument());
  try {
    const again = await browser.openPopup();
    const job = await waitForState(jobId, ['error'], 'the job to be found without its runner');
    assert.equal(job.error.code, 'interrupted');
    await again.getByTestId('error').filter({ hasText: job.error.message }).waitFor({ timeout: 10_000 });
    assert.equal(await again.getByTestId('cancel').isVisible(), false, 'not shown running');
    await again.close();
  } finally {
    fs.rmSync(hold);
  }
});
