// Jobs run in the background, not in the popup: closing the popup mid-job, or Chrome stopping
// the service worker mid-job, loses nothing — the result still arrives and is downloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, screenshot } from './lib/browser.mjs';
import { startBackend } from './lib/servers.mjs';
import { makeVideo, probeAudio } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

// Two-pass loudness normalisation of a longer input keeps the job running for a few seconds.
const SLOW = 'Extract the audio track as MP3 and normalize the loudness';
const SECONDS = 150;
const ACTIVE = ['queued', 'uploading', 'processing'];

let browser;
let backend;
let work;
let video;
/** The backend session of the first job; later jobs reuse it. */
let firstSession;

before(async () => {
  work = tempDir('background');
  video = await makeVideo(work, { seconds: SECONDS, freq: 440 });
  backend = await startBackend(path.join(work, 'data'));
  browser = await launch();
  await (await browser.configureBackend(backend.url)).close();
});

after(async () => {
  await browser?.close();
  await backend?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Starts the slow job from a popup; resolves to {popup, jobId} once the job is processing. */
async function startSlowJob() {
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('instruction').fill(SLOW);
  assert.match(await popup.locator('#preview').textContent(), /MP3.*(normali[sz]|LUFS)/i);
  const before = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  const job = await browser.waitForJobs((jobs) => jobs.find((j) => !before.has(j.id) && j.state === 'processing'), {
    what: 'the job to be processing',
  });
  return { popup, jobId: job.id };
}

async function stateOf(jobId) {
  return (await browser.jobs()).find((j) => j.id === jobId).state;
}

async function checkSaved(jobId) {
  const saved = await browser.waitForDownload(jobId, 120_000);
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - SECONDS) < 0.5, `duration ${audio.duration}`);
}

test('closing the popup mid-job does not stop it; reopening shows it live, then the result', async () => {
  const { popup, jobId } = await startSlowJob();
  // Some progress first, so the picture shows a bar that moves.
  await popup.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]').getAttribute('aria-valuenow')) >= 10);
  await screenshot(popup, 'running');
  await popup.close();
  assert.ok(ACTIVE.includes(await stateOf(jobId)), 'the popup was closed while the job was running');

  const again = await browser.openPopup();
  const progress = again.getByTestId('progress');
  await progress.waitFor({ state: 'visible' });
  assert.match(await again.locator('#job-heading').textContent(), new RegExp(path.basename(video).replace('.', '\\.')));
  await again.getByTestId('result').waitFor({ state: 'visible', timeout: 120_000 });
  assert.equal(await progress.getAttribute('aria-valuenow'), '100');
  await checkSaved(jobId);
  await again.close();
  firstSession = (await browser.control.evaluate(() => chrome.storage.local.get('auth'))).auth.sessionId;
});

test('Cancel stops a running job: nothing is saved, and the next job runs', async () => {
  const { popup, jobId } = await startSlowJob();
  await popup.getByTestId('cancel').click();
  await popup.locator('#progress-text').filter({ hasText: 'Cancelled' }).waitFor();
  assert.equal(await popup.getByTestId('cancel').isVisible(), false);
  assert.equal(await popup.getByTestId('start').isEnabled(), true);
  // Long enough for the job to have finished had it not been cancelled.
  await popup.waitForTimeout(6000);
  const job = (await browser.jobs()).find((j) => j.id === jobId);
  assert.equal(job.state, 'cancelled');
  assert.equal(job.download, undefined, 'nothing was downloaded');
  await popup.close();
});

test('Chrome stopping the service worker mid-job loses nothing: the job completes and downloads', async () => {
  const { popup, jobId } = await startSlowJob();
  await popup.close(); // nothing of ours is left talking to the worker
  await browser.stopServiceWorker();
  assert.ok(ACTIVE.includes(await stateOf(jobId)), 'the worker was stopped while the job was running');
  // The runner's next message wakes a new worker, which records the result and starts the download.
  await checkSaved(jobId);
  assert.equal(await browser.workerIsFresh(), true, 'a new worker finished the job');
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  assert.equal(auth.sessionId, firstSession, 'every job reused the first session');
});
