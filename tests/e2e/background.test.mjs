// Jobs run in the background, not in the popup: closing the popup mid-job, or Chrome stopping
// the service worker mid-job, loses nothing — the result still arrives and is downloaded.
//
// Mid-job by construction, not by timing: the job is a page video the server fetches by URL,
// and the test page server holds that download halfway (makeGate) until the test has acted. No
// machine is fast enough to finish the job early, and no sleep is needed to let it run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, screenshot } from './lib/browser.mjs';
import { startBackend, startPageServer, makeGate } from './lib/servers.mjs';
import { serverOutputs } from './lib/backend-state.mjs';
import { makeVideo, probeAudio, dominantFrequency } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

const SECONDS = 3;
const TITLE = 'Held video page';
const ACTIVE = ['queued', 'uploading', 'processing'];

let browser;
let backend;
let site;
let work;
let tabId;
const clipRoute = { file: '', type: 'video/mp4', gate: null };
/** The backend session of the first job; later jobs reuse it. */
let firstSession;

before(async () => {
  work = tempDir('background');
  clipRoute.file = await makeVideo(work, { seconds: SECONDS, freq: 440, name: 'clip.mp4' });
  site = await startPageServer({
    '/index.html': { body: `<!doctype html><title>${TITLE}</title><video src="/clip.mp4" preload="auto" muted></video>` },
    '/clip.mp4': clipRoute,
  });
  // The server may fetch 127.0.0.1 here, so the job goes by URL through the gate.
  backend = await startBackend(path.join(work, 'data'), ['--allow-private-urls']);
  browser = await launch();
  await (await browser.configureBackend(backend.url, { where: 'server' })).close();
  const page = await browser.context.newPage();
  await page.goto(`${site.url}/index.html`);
  await page.waitForFunction(() => document.querySelector('video').readyState >= 2);
  tabId = await browser.tabIdOf(`${site.url}/index.html`);
});

after(async () => {
  clipRoute.gate?.open();
  await browser?.close();
  await backend?.stop();
  await site?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function outputs() {
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  return serverOutputs(backend.url, auth);
}

async function jobOf(jobId) {
  return (await browser.jobs()).find((j) => j.id === jobId);
}

/**
 * Extracts the page's video from a popup on its tab, with a fresh gate; resolves to
 * {popup, jobId, gate} once the server's download of it is held halfway and the popup shows the
 * job running.
 */
async function startHeldJob() {
  const gate = makeGate();
  clipRoute.gate = gate;
  const popup = await browser.openPopup(tabId);
  const video = popup.getByTestId('page-video');
  await video.waitFor();
  assert.equal(await video.getAttribute('aria-checked'), 'true');
  await popup.getByTestId('instruction').fill('Extract the audio track as MP3');
  const known = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  let timer;
  await Promise.race([
    gate.reached,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the server never fetched the video')), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const job = await browser.waitForJobs((jobs) => jobs.find((j) => !known.has(j.id) && j.stage === 'server-fetching'), {
    what: 'the job to show the server fetching',
  });
  await popup.locator('#progress-text').filter({ hasText: 'The server is fetching the video' }).waitFor();
  assert.equal(await popup.getByTestId('cancel').isVisible(), true);
  return { popup, jobId: job.id, gate };
}

async function checkSaved(jobId) {
  const saved = await browser.waitForDownload(jobId, 60_000);
  assert.equal(path.basename(saved).replace(/ \(\d+\)/, ''), `${TITLE}.mp3`);
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - SECONDS) < 0.3, `duration ${audio.duration}`);
  assert.ok(Math.abs((await dominantFrequency(saved)) - 440) < 10, 'the page video\'s tone');
}

test('closing the popup mid-job does not stop it; reopening shows it live, then the result', async () => {
  const { popup, jobId, gate } = await startHeldJob();
  await screenshot(popup, 'running');
  await popup.close();
  assert.ok(gate.held && ACTIVE.includes((await jobOf(jobId)).state), 'the popup was closed mid-job');

  const again = await browser.openPopup(tabId);
  const progress = again.getByTestId('progress');
  await progress.waitFor({ state: 'visible' });
  // Live: the reopened popup shows the running job, with its stage and its Cancel button.
  assert.equal(await again.locator('#job-heading').textContent(), TITLE);
  assert.match(await again.locator('#progress-text').textContent(), /The server is fetching the video/);
  assert.equal(await again.getByTestId('cancel').isVisible(), true);

  gate.open();
  await again.getByTestId('result').waitFor({ state: 'visible', timeout: 60_000 });
  assert.equal(await progress.getAttribute('aria-valuenow'), '100');
  await checkSaved(jobId);
  await again.close();
  firstSession = (await browser.control.evaluate(() => chrome.storage.local.get('auth'))).auth.sessionId;
});

test('Cancel stops a running job: nothing is saved, and the next job runs', async () => {
  const before = (await outputs()).length;
  const { popup, jobId, gate } = await startHeldJob();
  await popup.getByTestId('cancel').click();
  assert.ok(gate.held, 'Cancel was pressed mid-job');
  await popup.locator('#progress-text').filter({ hasText: 'Cancelled' }).waitFor();
  assert.equal(await popup.getByTestId('cancel').isVisible(), false);
  assert.equal(await popup.getByTestId('start').isEnabled(), true);
  gate.open();
  await popup.close();

  // Jobs run one at a time, so once the next job is saved the cancelled one is over for good.
  const next = await startHeldJob();
  next.gate.open();
  await checkSaved(next.jobId);
  await next.popup.close();
  const cancelled = await jobOf(jobId);
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.result, undefined, 'no result was recorded');
  assert.equal(cancelled.download, undefined, 'nothing was downloaded');
  assert.equal((await outputs()).length, before + 1, 'the server extracted only the next job');
});

test('Chrome stopping the service worker mid-job loses nothing: the job completes and downloads', async () => {
  const { popup, jobId, gate } = await startHeldJob();
  await popup.close(); // nothing of ours is left talking to the worker
  await browser.stopServiceWorker();
  assert.ok(gate.held && ACTIVE.includes((await jobOf(jobId)).state), 'the worker was stopped mid-job');
  gate.open();
  // The runner's next message wakes a new worker, which records the result and starts the download.
  await checkSaved(jobId);
  assert.equal(await browser.workerIsFresh(), true, 'a new worker finished the job');
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  assert.equal(auth.sessionId, firstSession, 'every job reused the first session');
});
