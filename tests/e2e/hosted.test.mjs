// The hosted service's own workflow (issue 10), with the real extension in headless Chromium:
// first against a fake written from the service's description alone (GUI-style replies, silent
// streams, exports that take seconds, no /healthz), then the same cases against our own server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './lib/browser.mjs';
import { startBackend, startPageServer } from './lib/servers.mjs';
import { startFakeHosted } from './lib/fake-hosted.mjs';
import { makeVideo, probeAudio } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

let browser;
let fake;
let own;
let site;
let work;
let version;

before(async () => {
  work = tempDir('hosted');
  // The session's second run closes its stream without a word.
  fake = await startFakeHosted({ dir: path.join(work, 'fake'), exportMs: 3000, silentRuns: [2] });
  own = await startBackend(path.join(work, 'data'));
  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  site = await startPageServer({
    '/index.html': { body: '<!doctype html><title>Hosted page</title><video preload="auto" muted src="/talk.mp4"></video>' },
    '/talk.mp4': { file: video, type: 'video/mp4' },
  });
  browser = await launch();
  version = JSON.parse(fs.readFileSync(new URL('../../extension/manifest.json', import.meta.url))).version;
});

after(async () => {
  await browser?.close();
  await fake?.close();
  await own?.stop();
  await site?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Saves `url` as the backend, then presses Test connection; resolves to the result line. */
async function testConnection(url) {
  const options = await browser.configureBackend(url, { where: 'server' });
  await options.getByTestId('test-connection').click();
  const result = options.getByTestId('test-result');
  const testing = await options.evaluate(() => chrome.i18n.getMessage('testing'));
  await options.waitForFunction((busy) => {
    const text = document.querySelector('[data-testid="test-result"]').textContent;
    return text && text !== busy;
  }, testing, { timeout: 20_000 });
  const outcome = { ok: (await result.getAttribute('class')).includes('ok'), text: await result.textContent() };
  await options.close();
  return outcome;
}

/** Picks `file` in the popup, presses Extract, and waits for its download: [job, saved path]. */
async function extractFile(file) {
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(file);
  await popup.getByTestId('start').click();
  await popup.getByTestId('result').waitFor({ state: 'visible', timeout: 60_000 });
  const [job] = await browser.jobs();
  const saved = await browser.waitForDownload(job.id);
  await popup.close();
  return [await jobById(job.id), saved];
}

async function jobById(id) {
  return (await browser.jobs()).find((j) => j.id === id);
}

async function assertMp3(saved, seconds = 3) {
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - seconds) < 0.3, `duration ${audio.duration}`);
}

/** Types `text` into the popup's instruction and presses Extract. */
async function typeAndStart(popup, text) {
  await popup.getByTestId('instruction').fill(text);
  await popup.getByTestId('start').click();
}

const runs = (server) => server.requests.filter((r) => r.path === '/run_sse').length;

test('hosted: Test connection passes without /healthz, through the credits call', async () => {
  const { ok, text } = await testConnection(fake.url);
  assert.ok(ok, text);
  assert.match(text, /^Connected to 127\.0\.0\.1:\d+: 100 credits available\.$/);
  assert.ok(fake.requests.some((r) => r.path === '/api/credits/balance/simple'));
});

test('the Options preset for the hosted service says files are uploaded there', async () => {
  const options = await browser.context.newPage();
  await options.goto(`${browser.base}/options.html`);
  await options.waitForSelector('body[data-ready="true"]');
  await options.locator('#preset-hosted').click();
  const notice = options.getByTestId('preset-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.textContent(), /uploaded to mega-api-prod\.nemovideo\.ai/);
  assert.equal(await options.getByTestId('backend-url').inputValue(), 'https://mega-api-prod.nemovideo.ai');
  await options.locator('#preset-local').click();
  assert.equal(await notice.isVisible(), false);
  await options.close();
});

test('hosted: a local file ends in a downloaded MP3, through the export the GUI reply asked for', async () => {
  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  const [job, saved] = await extractFile(video);
  assert.equal(path.basename(saved), 'tone-440hz-3s.mp3');
  await assertMp3(saved);
  // The GUI phrase was turned into the export, never shown.
  assert.doesNotMatch(job.status, /click/i);
  assert.match(job.status, /extracted the audio track/);
  const render = fake.requests.find((r) => r.method === 'POST' && r.path === '/api/render/proxy/lambda');
  assert.equal(render.headers['x-skill-platform'], 'unknown');
  assert.equal(render.headers['x-skill-version'], version);
  assert.equal(render.headers['x-skill-source'], 'video-to-audio');
  assert.ok(!fake.requests.some((r) => r.path === '/api/render/proxy/lambda' && r.method === 'GET'), 'polls go to the render id');
  assert.ok(fake.requests.filter((r) => r.path.startsWith('/api/render/proxy/lambda/')).length >= 1, 'it polled');
});

test('hosted: a silent stream is judged by the draft and still ends in a file', async () => {
  const video = await makeVideo(work, { seconds: 2, freq: 660, name: 'quiet.mp4' });
  const [job, saved] = await extractFile(video);
  await assertMp3(saved, 2);
  assert.match(job.status, /^The service updated the timeline\. Timeline \(2 tracks\): 1\. Video: quiet\.mp4/);
});

test('hosted: a page video ends in a downloaded MP3', async () => {
  const pageUrl = `${site.url}/index.html`;
  const page = await browser.context.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.querySelector('video').readyState >= 2);
  const popup = await browser.openPopup(await browser.tabIdOf(pageUrl));
  await popup.getByTestId('page-videos').getByTestId('page-video').first().waitFor();
  await popup.getByTestId('start').click();
  await popup.getByTestId('result').waitFor({ state: 'visible', timeout: 60_000 });
  const [job] = await browser.jobs();
  assert.equal(job.via, 'url', 'the service fetched it by URL');
  await assertMp3(await browser.waitForDownload(job.id));
  await popup.close();
  await page.close();
});

test('hosted: "credits", "status" and "导出" typed in the popup skip the stream', async () => {
  const before = runs(fake);
  const popup = await browser.openPopup();
  const answer = popup.getByTestId('answer');
  await typeAndStart(popup, 'credits');
  await answer.filter({ hasText: /Credits on/ }).waitFor({ timeout: 20_000 });
  // Three runs so far, one credit each.
  assert.match(await answer.textContent(), /^Credits on 127\.0\.0\.1:\d+: 97 available, 0 held by running jobs\.$/);

  await typeAndStart(popup, 'status');
  await answer.filter({ hasText: /Timeline/ }).waitFor({ timeout: 20_000 });
  assert.match(await answer.textContent(), /^Timeline \(2 tracks\): 1\. Video: Hosted page\.mp4 \(0–3(\.\d)?s\) 2\. Audio: Hosted page\.mp3 \(0–3(\.\d)?s\)$/);

  await typeAndStart(popup, '导出');
  const job = await browser.waitForJobs((jobs) => jobs.find((j) => j.source.kind === 'session'), { what: 'the export job' });
  await assertMp3(await browser.waitForDownload(job.id));
  assert.equal(runs(fake), before, 'none of them went through /run_sse');
  await popup.close();
});

test('hosted: out of credits gives its registration link; a plan without exports is not called credits', async () => {
  const broke = await startFakeHosted({ dir: path.join(work, 'broke'), credits: 0, freePlan: true });
  try {
    await (await browser.configureBackend(broke.url, { where: 'server' })).close();
    const video = await makeVideo(work, { seconds: 2, freq: 660, name: 'quiet.mp4' });
    const popup = await browser.openPopup();
    await popup.getByTestId('file-input').setInputFiles(video);
    await popup.getByTestId('start').click();
    const error = popup.getByTestId('error');
    await error.waitFor({ state: 'visible', timeout: 30_000 });
    const { clientId } = await browser.control.evaluate(() => chrome.storage.local.get('clientId'));
    assert.equal((await browser.jobs())[0].error.code, 2001);
    assert.ok((await error.textContent()).includes(`Register at ${broke.url}/register?bind=${clientId} to get more`), await error.textContent());
    assert.doesNotMatch(await error.textContent(), /--credits/);

    await typeAndStart(popup, 'export');
    await browser.waitForJobs((jobs) => jobs[0].source.kind === 'session' && jobs[0].state === 'error', { what: 'the refused export' });
    const [job] = await browser.jobs();
    assert.equal(job.error.code, 402);
    assert.match(job.error.message, /does not allow exports; this is the subscription, not credits/);
    await popup.close();
  } finally {
    await broke.close();
  }
});

test('own server: Test connection, a local file, "credits", "status" and "导出"', async () => {
  const { ok, text } = await testConnection(own.url);
  assert.ok(ok, text);
  assert.match(text, /^Connected: server /, 'our server answers /healthz');

  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  const [first, saved] = await extractFile(video);
  await assertMp3(saved);
  assert.equal(first.result.text.includes('Done'), true, 'the fast path: the file came in the run');

  const popup = await browser.openPopup();
  const answer = popup.getByTestId('answer');
  await typeAndStart(popup, '积分');
  await answer.filter({ hasText: /Credits on/ }).waitFor({ timeout: 20_000 });
  assert.match(await answer.textContent(), /: 99 available/);
  await typeAndStart(popup, 'show tracks');
  await answer.filter({ hasText: /Timeline/ }).waitFor({ timeout: 20_000 });
  assert.match(await answer.textContent(), /^Timeline \(2 tracks\): 1\. Video: tone-440hz-3s\.mp4 .* 2\. Audio: tone-440hz-3s\.mp3/);
  await typeAndStart(popup, 'export');
  const job = await browser.waitForJobs((jobs) => jobs.find((j) => j.source.kind === 'session' && j.id !== first.id && j.createdAt > first.createdAt), { what: 'the export job' });
  await assertMp3(await browser.waitForDownload(job.id));
  await popup.close();
});
