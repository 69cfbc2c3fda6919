// The same extension in Firefox (Debian's firefox-esr, driven over WebDriver BiDi with
// puppeteer-core): there is no offscreen document, so jobs run inside the background page.
// Skipped, saying why, where firefox-esr is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { startBackend, startPageServer } from './lib/servers.mjs';
import { makeVideo, probeAudio, dominantFrequency } from './lib/media.mjs';
import { EXTENSION, tempDir } from './lib/paths.mjs';

const FIREFOX = process.env.V2A_FIREFOX || '/usr/bin/firefox-esr';
const ADDON_ID = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
// Firefox gives each install a random internal UUID; this pref fixes it, so pages have known URLs.
const UUID = '5e0d1b2a-7c1f-4a53-9d8e-0f4b6c2a9e11';
const BASE = `moz-extension://${UUID}`;
const skip = fs.existsSync(FIREFOX) ? false : `${FIREFOX} is not installed (apt-get install firefox-esr)`;

let browser;
let backend;
let site;
let work;
let downloads;
let page;

before(async () => {
  if (skip) return;
  work = tempDir('firefox');
  downloads = tempDir('firefox-downloads');
  backend = await startBackend(path.join(work, 'data'));
  const clip = await makeVideo(work, { seconds: 3, freq: 440, name: 'clip.mp4' });
  site = await startPageServer({
    '/index.html': { body: '<!doctype html><title>Firefox page</title><video src="/clip.mp4" preload="auto" muted></video>' },
    '/clip.mp4': { file: clip, type: 'video/mp4' },
  });
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Firefox 153+ lets WebDriver open moz-extension:// pages only with system access.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
      'browser.download.dir': downloads,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
    },
  });
  await browser.installExtension(EXTENSION);
  page = await browser.newPage();
  await openExtensionPage('options.html');
  await page.evaluate((url) => {
    document.querySelector('[data-testid="backend-url"]').value = url;
    // These tests are of the server path (the engine's own runs in Chromium's local.test.mjs).
    document.querySelector('[data-testid="always-server"]').checked = true;
    document.querySelector('[data-testid="save"]').click();
  }, backend.url);
  await page.waitForFunction(() => document.querySelector('[data-testid="saved"]').textContent.includes('Saved'));
});

after(async () => {
  await browser?.close();
  await backend?.stop();
  await site?.close();
  for (const dir of [work, downloads]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens an extension page in the test tab and waits until its script is ready. */
async function openExtensionPage(file) {
  // The navigation moves the tab into the extension's process, which WebDriver reports as a
  // detached frame rather than a load: wait for the page's own readiness flag instead.
  await page.goto(`${BASE}/${file}`, { timeout: 3000 }).catch(() => {});
  await page.waitForFunction(() => document.body && document.body.dataset.ready === 'true', { timeout: 15_000 });
}

async function jobs() {
  return page.evaluate(async () => (await browser.storage.local.get('jobs')).jobs || []);
}

/** Waits for job `jobId` to be saved; resolves to the file's path. */
async function savedFile(jobId) {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const job = (await jobs()).find((j) => j.id === jobId);
    if (job && job.state === 'error') throw new Error(job.error.message);
    if (job && job.download && job.download.state === 'complete') {
      return path.isAbsolute(job.download.filename) ? job.download.filename : path.join(downloads, job.download.filename);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no download for ${jobId}: ${JSON.stringify(await jobs())}`);
}

test('Firefox: a local MP4 becomes an MP3, run in the background page', { skip }, async () => {
  await openExtensionPage('popup.html');
  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  await (await page.$('[data-testid="file-input"]')).uploadFile(video);
  await page.click('[data-testid="start"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="result"]').hidden || !document.querySelector('[data-testid="error"]').hidden, { timeout: 60_000 });
  assert.equal(await page.$eval('[data-testid="error"]', (e) => e.textContent), '');
  const [job] = await jobs();
  const saved = await savedFile(job.id);
  assert.equal(path.basename(saved), 'tone-440hz-3s.mp3');
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - 3) < 0.3, `duration ${audio.duration}`);
});

test('Firefox: a page video is listed and extracted', { skip }, async () => {
  const url = `${site.url}/index.html`;
  const tab = await browser.newPage();
  await tab.goto(url);
  await tab.waitForFunction(() => document.querySelector('video').readyState >= 2);
  // Filtered here: Firefox's tabs.query URL patterns do not take a port.
  const tabId = await page.evaluate(async (u) => (await browser.tabs.query({})).find((t) => t.url === u).id, url);
  await openExtensionPage(`popup.html?tab=${tabId}`);
  const items = await page.$$('[data-testid="page-video"]');
  assert.equal(items.length, 1);
  assert.match(await page.$eval('[data-testid="page-video"]', (e) => e.textContent), /clip\.mp4.*0:03 · 160×120/);
  await page.click('[data-testid="start"]');
  const job = await (async () => {
    for (let i = 0; i < 300; i++) {
      const [j] = await jobs();
      if (j && j.source.kind === 'url' && (j.state === 'done' || j.state === 'error')) return j;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the page video job did not end');
  })();
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  const saved = await savedFile(job.id);
  assert.equal(path.basename(saved), 'Firefox page.mp3');
  assert.ok(Math.abs((await dominantFrequency(saved)) - 440) < 10);
  await tab.close();
});

test('Firefox: with "Process on this computer", a file is made by the engine in a worker of the background page', { skip }, async () => {
  await openExtensionPage('options.html');
  await page.evaluate(() => {
    document.querySelector('[data-testid="process-locally"]').checked = true;
    document.querySelector('[data-testid="save"]').click();
  });
  await page.waitForFunction(async () => (await browser.storage.local.get('settings')).settings.processLocally === true);
  // The server is running but must not be used: it would count an upload.
  const uploads = () => fs.readdirSync(path.join(backend.dataDir, 'media'), { recursive: true }).length;
  const uploadsBefore = fs.existsSync(path.join(backend.dataDir, 'media')) ? uploads() : 0;
  await openExtensionPage('popup.html');
  const video = await makeVideo(work, { seconds: 2, freq: 660 });
  await (await page.$('[data-testid="file-input"]')).uploadFile(video);
  await page.click('[data-testid="start"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="result"]').hidden || !document.querySelector('[data-testid="error"]').hidden, { timeout: 60_000 });
  assert.equal(await page.$eval('[data-testid="error"]', (e) => e.textContent), '');
  const [job] = await jobs();
  assert.equal(job.where, 'local');
  assert.equal(await page.$eval('[data-testid="where"]', (e) => e.dataset.where), 'local');
  const saved = await savedFile(job.id);
  assert.equal(path.basename(saved), 'tone-660hz-2s.mp3');
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - 2) < 0.1, `duration ${audio.duration}`);
  assert.ok(Math.abs((await dominantFrequency(saved)) - 660) < 10);
  const uploadsAfter = fs.existsSync(path.join(backend.dataDir, 'media')) ? uploads() : 0;
  assert.equal(uploadsAfter, uploadsBefore, 'nothing was uploaded');
});

test('Firefox: Opus is made on this computer too (Firefox ESR has a WebCodecs Opus encoder)', { skip }, async () => {
  // Runs after the test above, which chose "Process on this computer".
  await openExtensionPage('popup.html');
  const video = await makeVideo(work, { seconds: 2, freq: 660 });
  await (await page.$('[data-testid="file-input"]')).uploadFile(video);
  await page.$eval('[data-testid="instruction"]', (e) => {
    e.value = 'Extract the audio as Opus from 0:00.5 to 0:02';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const before = new Set((await jobs()).map((j) => j.id));
  await page.click('[data-testid="start"]');
  let job;
  for (let i = 0; i < 300 && !job; i++) {
    job = (await jobs()).find((j) => !before.has(j.id) && (j.state === 'done' || j.state === 'error'));
    if (!job) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(job, 'the Opus job ended');
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  assert.equal(job.where, 'local', JSON.stringify(job.serverReason));
  const saved = await savedFile(job.id);
  assert.equal(path.extname(saved), '.opus');
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'opus');
  assert.ok(Math.abs(audio.duration - 1.5) <= 0.02, `duration ${audio.duration}`);
  assert.ok(Math.abs((await dominantFrequency(saved)) - 660) < 10);
});
