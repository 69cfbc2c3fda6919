// A file from the user's computer: refused types and sizes never reach the server; an MP4
// comes back as an MP3 that the browser's download manager saves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { screenshot } from './lib/browser.mjs';
import { serverAndBrowser } from './lib/fixture.mjs';
import { filesUnder } from './lib/servers.mjs';
import { makeVideo, makePng, makeSparse, probeAudio, dominantFrequency } from './lib/media.mjs';

let browser;
let backend;
let work;
let fixture;

before(async () => {
  fixture = await serverAndBrowser('file');
  ({ browser, backend, work } = fixture);
});

after(async () => {
  await fixture?.close();
});

/** Files the server keeps for uploads (media/) or while receiving them (tmp/). */
const uploadsOnServer = () => [...filesUnder(path.join(backend.dataDir, 'media')), ...filesUnder(path.join(backend.dataDir, 'tmp'))];

test('an unsupported file is refused in the popup, before any upload', async () => {
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(await makePng(work));
  const error = popup.getByTestId('error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /This is an image \(PNG\); it has no sound to extract\. Accepted: mp4, mov, avi, webm, mkv video/);
  await screenshot(popup, 'error');

  const txt = path.join(work, 'notes.txt');
  fs.writeFileSync(txt, 'not a video\n');
  await popup.getByTestId('file-input').setInputFiles(txt);
  await popup.getByTestId('start').click();
  assert.match(await error.textContent(), /This file is not a video or audio type this service can read\./);

  // Dropped rather than picked: the same check.
  await popup.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['just words'], 'dropped.txt', { type: 'text/plain' }));
    document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  assert.match(await popup.locator('#file-chosen').textContent(), /^dropped\.txt/);
  assert.match(await error.textContent(), /This file is not a video or audio type this service can read\./);

  assert.deepEqual(await browser.jobs(), [], 'no job was started');
  assert.deepEqual(uploadsOnServer(), [], 'the server received nothing');
  await popup.close();
});

test('a file over 500 MB is refused before upload', async () => {
  const popup = await browser.openPopup();
  // 600 MiB, sparse: it costs no disk space, and the check must not read it anyway.
  await popup.getByTestId('file-input').setInputFiles(makeSparse(work, 600));
  await popup.getByTestId('start').click();
  const error = popup.getByTestId('error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /The file is larger than the 500 MB limit\. Trim or compress it first\./);
  assert.deepEqual(await browser.jobs(), [], 'no job was started');
  assert.deepEqual(uploadsOnServer(), [], 'the server received nothing');
  await popup.close();
});

test('a file that only pretends to be a video is refused by the server, in its own words', async () => {
  const popup = await browser.openPopup();
  // Named like a video, so it passes the check by name, but the server reads its bytes.
  await popup.getByTestId('file-input').setInputFiles(makeSparse(work, 20, 'zeros.mp4'));
  assert.equal(await popup.getByTestId('error').isVisible(), false, 'accepted by the check before upload');
  await popup.getByTestId('start').click();
  const error = popup.getByTestId('error');
  await error.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await error.textContent(), /^This file is not a video or audio type this service can read\. Accepted/);
  const [job] = await browser.jobs();
  assert.equal(job.state, 'error');
  assert.equal(job.error.code, 4001);
  assert.equal(job.upload.sent, job.upload.total, 'it was uploaded, with progress, before the server refused it');
  assert.equal(await popup.getByTestId('start').isEnabled(), true);
  await popup.close();
});

test('a local MP4 becomes an MP3 saved by the download manager', async () => {
  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  assert.equal(await popup.getByTestId('instruction').inputValue(), 'Extract the audio track as MP3');
  assert.match(await popup.locator('#preview').textContent(), /^I understood: MP3/);
  await popup.getByTestId('start').click();

  const result = popup.getByTestId('result');
  await result.waitFor({ state: 'visible', timeout: 60_000 });
  assert.equal(await popup.getByTestId('error').isVisible(), false);
  assert.equal(await popup.getByTestId('progress').getAttribute('aria-valuenow'), '100');
  assert.match(await result.textContent(), /MP3 · 0:03/);

  const [job] = await browser.jobs();
  assert.equal(job.source.name, 'tone-440hz-3s.mp4');
  // Byte progress was reported up to the whole file (the request body is the file plus the
  // multipart framing).
  const size = fs.statSync(video).size;
  assert.ok(job.upload.total >= size && job.upload.sent === job.upload.total, JSON.stringify(job.upload));
  // The token and session the job obtained are kept for the next job, with the client id.
  const kept = await browser.control.evaluate(() => chrome.storage.local.get(['auth', 'clientId']));
  assert.equal(kept.auth.backendUrl, backend.url);
  assert.ok(kept.auth.token && kept.auth.sessionId, JSON.stringify(kept.auth));
  assert.match(kept.clientId, /^[0-9a-f-]{36}$/);
  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.basename(saved), 'tone-440hz-3s.mp3', 'named after the picked file');
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - 3) < 0.3, `duration ${audio.duration}`);
  const freq = await dominantFrequency(saved);
  assert.ok(Math.abs(freq - 440) < 10, `the tone is ${freq} Hz`);

  // The preview plays the same signed link.
  const previewDuration = await popup.evaluate(() => new Promise((resolve) => {
    const a = document.querySelector('[data-testid="result"] audio');
    a.preload = 'auto';
    a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
    a.addEventListener('error', () => resolve(-1), { once: true });
    a.load();
  }));
  assert.ok(Math.abs(previewDuration - 3) < 0.3, `preview duration ${previewDuration}`);
  assert.ok(uploadsOnServer().length > 0, 'this time the server did receive the upload');
  await popup.getByTestId('status').waitFor();
  await screenshot(popup, 'done');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await screenshot(popup, 'done-dark');

  // The job list keeps it, with what was asked and a way to download it again.
  await popup.locator('#history summary').click();
  const entry = popup.locator('.history-list li').first();
  assert.match(await entry.textContent(), /tone-440hz-3s\.mp4.*Done · MP3.*Download again/);

  // Download again from the result: a second, uniquely named copy.
  await popup.getByTestId('download').click();
  const again = await browser.waitForJobs((jobs) => {
    const j = jobs.find((x) => x.id === job.id);
    return j.download && j.download.state === 'complete' && path.basename(j.download.filename) !== 'tone-440hz-3s.mp3' ? j : null;
  }, { what: 'the second download' });
  assert.equal((await probeAudio(again.download.filename)).codec, 'mp3');
  await popup.close();

  // The footer now shows the balance of the token the job obtained.
  const later = await browser.openPopup();
  await later.getByTestId('credits').filter({ hasText: /Credits: \d+(\.\d+)? available/ }).waitFor();
  await later.close();
});

test('a result the server no longer has says so, instead of "try again"', async () => {
  const [job] = await browser.jobs();
  assert.equal(job.state, 'done', 'the MP3 of the test before');
  const GONE = 'The server no longer has this file (results are kept for a limited time). Run the job again to make it anew.';

  // Removed on the server (as the retention sweep does): the browser's download fails.
  const outputs = path.join(backend.dataDir, 'outputs');
  for (const file of filesUnder(outputs)) fs.rmSync(path.join(outputs, file));
  const popup = await browser.openPopup();
  await popup.getByTestId('download').click();
  await browser.waitForJobs((jobs) => jobs.find((j) => j.id === job.id && j.download.state === 'interrupted'), {
    what: 'the download to fail',
  });
  await popup.locator('#progress-text').filter({ hasText: GONE }).waitFor();

  // Past the signed link's time (the clock cannot be moved, so the record's link is dated back):
  // the extension says so without asking the server.
  await browser.control.evaluate(async (id) => {
    const { jobs } = await chrome.storage.local.get('jobs');
    const j = jobs.find((x) => x.id === id);
    j.result.downloadUrl = j.result.downloadUrl.replace(/exp=\d+/, 'exp=1000');
    await chrome.storage.local.set({ jobs });
  }, job.id);
  const before = (await browser.control.evaluate(() => chrome.downloads.search({}))).length;
  await popup.getByTestId('download').click();
  await popup.getByTestId('error').filter({ hasText: GONE }).waitFor();
  assert.equal((await browser.control.evaluate(() => chrome.downloads.search({}))).length, before, 'no download was tried');
  await popup.close();
});

// One result, one name and one size everywhere (issue 8: the server counted KiB and the popup
// kB; the server sanitised names to "_" and the client to spaces).
test('the result card, the server and the disk agree on the name and the size', async () => {
  // Characters some file systems refuse, in the picked file's own name.
  const video = await makeVideo(work, { seconds: 4, freq: 660, name: 'Lecture 3: Waves?.mp4' });
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('start').click();
  const result = popup.getByTestId('result');
  await result.waitFor({ state: 'visible', timeout: 60_000 });
  const [job] = await browser.jobs();
  const saved = await browser.waitForDownload(job.id);

  const cardName = await popup.getByTestId('result-name').textContent();
  assert.equal(path.basename(saved), cardName, 'the card names the file on disk');
  assert.equal(cardName, 'Lecture 3 Waves.mp3', 'forbidden characters became spaces, once');

  // The size of the bytes on disk, written by the one size rule (the wasm's formatSize).
  const bytes = fs.statSync(saved).size;
  const written = await popup.evaluate((n) => import('./wasm.js').then((m) => m.loadWasm()).then((w) => w.formatSize(n)), bytes);
  assert.match(written, /^\d+(\.\d)? kB$/, 'a few seconds of MP3 is kilobytes, decimal');
  const meta = await popup.getByTestId('result-meta').textContent();
  assert.ok(meta.split(' · ').includes(written), `card "${meta}" shows ${written}`);

  // The server's sentence under the card: the same name and the same size.
  const status = await popup.getByTestId('status').textContent();
  assert.ok(status.includes(cardName), `server says "${status}"`);
  assert.ok(status.includes(written), `server says "${status}", the file is ${written}`);
  await popup.close();
});
