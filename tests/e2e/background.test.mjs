// Jobs run in the background, not in the popup: closing the popup mid-job, or Chrome stopping
// the service worker mid-job, loses nothing — the result still arrives and is downloaded.
//
// Robust by construction, not by sleeps: each test waits for an observable mid-job state before
// acting, then asks the real server that its job was still running when the action happened, so
// a machine fast enough to finish the job first makes the test fail loudly, never pass vacuously.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, screenshot } from './lib/browser.mjs';
import { startBackend } from './lib/servers.mjs';
import { serverOutputs } from './lib/backend-state.mjs';
import { makeVideo, probeAudio } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

// Two-pass loudness normalisation of five minutes of audio: ~10 s of ffmpeg work on a busy
// 2-core machine, several seconds on a fast one, against well under a second for each action.
// The picture is tiny at 1 frame/s so the input is cheap to make.
const SLOW = 'Extract the audio track as MP3 and normalize the loudness';
const SECONDS = 300;
const SERVER_ACTIVE = ['queued', 'running'];

let browser;
let backend;
let work;
let video;
/** The backend session of the first job; later jobs reuse it. */
let firstSession;

before(async () => {
  work = tempDir('background');
  video = await makeVideo(work, { seconds: SECONDS, freq: 440, size: '32x24', rate: 1 });
  backend = await startBackend(path.join(work, 'data'));
  browser = await launch();
  await (await browser.configureBackend(backend.url)).close();
});

after(async () => {
  await browser?.close();
  await backend?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** The server's outputs for the extension's session. */
async function outputs() {
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  return serverOutputs(backend.url, auth);
}

/** The server's output that is queued or running (jobs run one at a time), or undefined. */
async function activeOutput() {
  return (await outputs()).find((o) => SERVER_ACTIVE.includes(o.status));
}

/** Polls the server until output `id` reaches `status`. */
async function waitForOutput(id, status, timeout = 120_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = (await outputs()).find((o) => o.id === id);
    if (last && last.status === status) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`output ${id} never became ${status}: ${JSON.stringify(last)}`);
}

/**
 * Starts the slow job from a popup; resolves to {popup, jobId} once the job is processing and
 * its progress (the server's, shown in the popup) has passed 10 %.
 */
async function startSlowJob() {
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('instruction').fill(SLOW);
  assert.match(await popup.locator('#preview').textContent(), /MP3.*(normali[sz]|LUFS)/i);
  const before = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  const job = await browser.waitForJobs(
    (jobs) => jobs.find((j) => !before.has(j.id) && j.state === 'processing' && j.progress >= 0.1),
    { what: 'the job to be processing past 10 %' },
  );
  await popup.waitForFunction(() => {
    const v = Number(document.querySelector('[data-testid="progress"]').getAttribute('aria-valuenow'));
    return v >= 10 && v < 100;
  });
  return { popup, jobId: job.id };
}

/** Asserts the server is still working on a job, and returns its output record. */
async function assertServerStillRunning(when) {
  const running = await activeOutput();
  assert.ok(running, `the server's job had already finished ${when}: the input is too short for this machine`);
  return running;
}

async function checkSaved(jobId) {
  const saved = await browser.waitForDownload(jobId, 120_000);
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - SECONDS) < 0.5, `duration ${audio.duration}`);
}

async function resultOf(jobId) {
  return (await browser.jobs()).find((j) => j.id === jobId).result;
}

test('closing the popup mid-job does not stop it; reopening shows it live, then the result', async () => {
  const { popup, jobId } = await startSlowJob();
  await screenshot(popup, 'running');
  await popup.close();
  const output = await assertServerStillRunning('when the popup was closed');

  const again = await browser.openPopup();
  const progress = again.getByTestId('progress');
  await progress.waitFor({ state: 'visible' });
  assert.match(await again.locator('#job-heading').textContent(), new RegExp(path.basename(video).replace('.', '\\.')));
  // Live: the reopened popup shows the running job (its progress and its Cancel button).
  assert.match(await again.locator('#progress-text').textContent(), /Processing/);
  assert.equal(await again.getByTestId('cancel').isVisible(), true);
  assert.ok(Number(await progress.getAttribute('aria-valuenow')) < 100, 'the reopened popup showed the job unfinished');

  await again.getByTestId('result').waitFor({ state: 'visible', timeout: 120_000 });
  assert.equal(await progress.getAttribute('aria-valuenow'), '100');
  await checkSaved(jobId);
  assert.equal((await resultOf(jobId)).mediaId, output.id, 'the result is the output that was running');
  await again.close();
  firstSession = (await browser.control.evaluate(() => chrome.storage.local.get('auth'))).auth.sessionId;
});

test('Cancel stops a running job: nothing is saved, and the next job runs', async () => {
  const { popup, jobId } = await startSlowJob();
  await popup.getByTestId('cancel').click();
  const output = await assertServerStillRunning('when Cancel was pressed');
  await popup.locator('#progress-text').filter({ hasText: 'Cancelled' }).waitFor();
  assert.equal(await popup.getByTestId('cancel').isVisible(), false);
  assert.equal(await popup.getByTestId('start').isEnabled(), true);
  // The server finishes what it started (dropping the stream does not stop it); once its file
  // exists, the extension must still show the job cancelled and must not have saved it. A result
  // the runner still listened for would reach storage within moments of this.
  await waitForOutput(output.id, 'done');
  const end = Date.now() + 1000;
  while (Date.now() < end) {
    const job = (await browser.jobs()).find((j) => j.id === jobId);
    assert.equal(job.state, 'cancelled');
    assert.equal(job.result, undefined, 'no result was recorded');
    assert.equal(job.download, undefined, 'nothing was downloaded');
    await new Promise((r) => setTimeout(r, 100));
  }
  await popup.close();
});

test('Chrome stopping the service worker mid-job loses nothing: the job completes and downloads', async () => {
  const { popup, jobId } = await startSlowJob();
  await popup.close(); // nothing of ours is left talking to the worker
  await browser.stopServiceWorker();
  const output = await assertServerStillRunning('when the service worker had stopped');
  // The runner's next message wakes a new worker, which records the result and starts the download.
  await checkSaved(jobId);
  assert.equal((await resultOf(jobId)).mediaId, output.id, 'the result is the output that was running');
  assert.equal(await browser.workerIsFresh(), true, 'a new worker finished the job');
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  assert.equal(auth.sessionId, firstSession, 'every job reused the first session');
});
