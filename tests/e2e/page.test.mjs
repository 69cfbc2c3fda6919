// Videos on a web page (served on 127.0.0.1): listed in the popup with their details, including
// a same-origin iframe's; extracted by URL or by the extension fetching the bytes; a MediaSource
// video said to be unreadable; and the "Extract audio" context menu entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, screenshot } from './lib/browser.mjs';
import { startBackend, startPageServer } from './lib/servers.mjs';
import { makeVideo, probeAudio, dominantFrequency } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

const STREAMED = "This video is streamed in pieces (MediaSource), so its file can't be read. Download the video first, then choose it as a file.";

/** A stream without end; the test reads `LIVE.sent` to see when the extension stopped reading. */
const LIVE = { endless: true, type: 'video/mp4' };

let browser;
let backend;
let site;
let work;

before(async () => {
  work = tempDir('page');
  const clip = await makeVideo(work, { seconds: 3, freq: 440, name: 'clip.mp4' });
  const other = await makeVideo(work, { seconds: 2, freq: 660, size: '128x96', name: 'other.mp4' });
  site = await startPageServer({
    '/index.html': {
      body: `<!doctype html><title>Tone test page</title><h1>A page with videos</h1>
        <video src="/clip.mp4" preload="auto" muted width="160"></video>
        <iframe src="/frame.html" width="200" height="150"></iframe>`,
    },
    '/frame.html': {
      body: '<!doctype html><title>Frame</title><video preload="auto" muted><source src="/media/other.mp4" type="video/mp4"></video>',
    },
    '/mse.html': {
      body: `<!doctype html><title>Streaming page</title><video id="v" muted></video>
        <script>document.getElementById('v').src = URL.createObjectURL(new MediaSource());</script>`,
    },
    '/empty.html': { body: '<!doctype html><title>Nothing here</title><p>No video.</p>' },
    '/clip.mp4': { file: clip, type: 'video/mp4' },
    '/live.mp4': LIVE,
    '/cut.mp4': { file: clip, type: 'video/mp4', cut: true },
    '/media/other.mp4': { file: other, type: 'video/mp4' },
  });
  // Without --allow-private-urls the server refuses to fetch 127.0.0.1 by URL (4003), so the
  // extension must fetch the bytes itself.
  backend = await startBackend(path.join(work, 'data'));
  browser = await launch();
  await (await browser.configureBackend(backend.url, { where: 'server' })).close();
});

after(async () => {
  await browser?.close();
  await backend?.stop();
  await site?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Opens `url` in a tab, waits for its videos' data, and opens the popup acting on that tab. */
async function popupFor(url) {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => [...document.querySelectorAll('video')].every((v) => v.readyState >= 2 || v.src.startsWith('blob:'))
    && [...document.querySelectorAll('iframe')].every((f) => [...f.contentDocument.querySelectorAll('video')].every((v) => v.readyState >= 2)));
  const popup = await browser.openPopup(await browser.tabIdOf(url));
  return { page, popup };
}

/** Starts a job on `path` of the test site through the context menu entry; resolves to its id. */
async function extractFromMenu(path) {
  const pageUrl = `${site.url}/index.html`;
  const worker = await browser.worker();
  const { jobId } = await worker.evaluate(
    ([srcUrl, url]) => globalThis.videoToAudio.handleContextMenuClick(
      { menuItemId: 'extract-audio', mediaType: 'video', srcUrl, pageUrl: url },
      { id: 1, title: 'Tone test page', url },
    ),
    [`${site.url}${path}`, pageUrl],
  );
  return jobId;
}

test('the page videos are listed, and the chosen one comes back as MP3 (bytes fetched by the extension)', async () => {
  const { page, popup } = await popupFor(`${site.url}/index.html`);
  const items = popup.getByTestId('page-videos').getByTestId('page-video');
  await items.first().waitFor();
  assert.equal(await items.count(), 2, 'the page video and the one in the same-origin iframe');
  const [main, framed] = [items.nth(0), items.nth(1)];
  assert.match(await main.textContent(), /clip\.mp4.*0:03 · 160×120 · 127\.0\.0\.1:\d+/);
  assert.match(await framed.textContent(), /other\.mp4.*0:02 · 128×96/);
  assert.match(await main.locator('img').getAttribute('src'), /^data:image\/jpeg;base64,/, 'a frame as thumbnail');
  assert.equal(await main.getAttribute('aria-checked'), 'true', 'the first video is chosen');
  // Keyboard: arrows move between entries, Space chooses.
  await main.focus();
  await popup.keyboard.press('ArrowDown');
  await popup.keyboard.press('Space');
  assert.equal(await framed.getAttribute('aria-checked'), 'true');
  await popup.keyboard.press('ArrowUp');
  await popup.keyboard.press('Enter');
  assert.equal(await main.getAttribute('aria-checked'), 'true');
  assert.equal(await popup.locator('#no-videos').isVisible(), false);
  await screenshot(popup, 'idle');

  await popup.getByTestId('start').click();
  await popup.getByTestId('result').waitFor({ state: 'visible', timeout: 60_000 });
  const [job] = await browser.jobs();
  assert.equal(job.source.url, `${site.url}/clip.mp4`);
  assert.equal(job.via, 'bytes', 'the server refused the private URL, so the extension uploaded the bytes');
  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.basename(saved), 'Tone test page.mp3', 'named after the page title');
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - 3) < 0.3, `duration ${audio.duration}`);
  assert.ok(Math.abs((await dominantFrequency(saved)) - 440) < 10);
  await popup.close();
  await page.close();
});

test('a page video the server can fetch goes by URL', async () => {
  const open = await startBackend(path.join(work, 'data-open'), ['--allow-private-urls']);
  try {
    await (await browser.configureBackend(open.url, { where: 'server' })).close();
    const { page, popup } = await popupFor(`${site.url}/index.html`);
    const framed = popup.getByTestId('page-video').nth(1);
    await framed.click();
    // The WAV chip rewrites the format the instruction names (the wasm client's withFormat).
    await popup.getByTestId('instruction').fill('Extract the audio as MP3, please');
    await popup.locator('.chip[data-format="wav"]').click();
    assert.equal(await popup.getByTestId('instruction').inputValue(), 'Extract the audio as WAV, please');
    assert.match(await popup.locator('#preview').textContent(), /I understood: WAV/);
    assert.equal(await popup.locator('.chip[data-format="wav"]').getAttribute('aria-pressed'), 'true');
    await popup.getByTestId('start').click();
    const job = await browser.waitForJobs((jobs) => (jobs[0].state === 'done' ? jobs[0] : null), { what: 'the WAV job' });
    assert.equal(job.via, 'url', `the server did not fetch it: ${JSON.stringify(job.urlError)}`);
    const saved = await browser.waitForDownload(job.id);
    const audio = await probeAudio(saved);
    assert.match(audio.codec, /^pcm_/);
    assert.ok(Math.abs(audio.duration - 2) < 0.3, `duration ${audio.duration}`);
    assert.ok(Math.abs((await dominantFrequency(saved)) - 660) < 10, 'the iframe video\'s tone');
    await popup.close();
    await page.close();
  } finally {
    await (await browser.configureBackend(backend.url, { where: 'server' })).close();
    await open.stop();
  }
});

test('a MediaSource video is listed but said to be unreadable, in one sentence', async () => {
  const { page, popup } = await popupFor(`${site.url}/mse.html`);
  const item = popup.getByTestId('page-video');
  await item.waitFor();
  assert.match(await item.textContent(), /Streamed in pieces/);
  await item.click();
  await popup.getByTestId('start').click();
  assert.equal(await popup.getByTestId('error').textContent(), STREAMED);
  assert.equal((await browser.jobs()).filter((j) => j.source.url && j.source.url.startsWith('blob:')).length, 0);
  await popup.close();
  await page.close();
});

test('a page without video says so', async () => {
  const { page, popup } = await popupFor(`${site.url}/empty.html`);
  await popup.locator('#no-videos').waitFor({ state: 'visible' });
  assert.equal(await popup.locator('#no-videos').textContent(), 'No video found on this page — choose a file instead');
  assert.equal(await popup.getByTestId('page-video').count(), 0);
  await popup.close();
  await page.close();
});

test('the "Extract audio" context menu entry exists on videos and extracts the clicked one', async () => {
  const menus = await browser.control.evaluate(async () => (await chrome.storage.local.get('contextMenus')).contextMenus);
  assert.deepEqual(menus, [{ id: 'extract-audio', contexts: ['video'] }]);

  const page = await browser.context.newPage();
  await page.goto(`${site.url}/index.html`);
  const tabId = await browser.tabIdOf(`${site.url}/index.html`);
  const worker = await browser.worker();
  // The same function the contextMenus.onClicked listener calls, with what Chrome passes it.
  const { jobId } = await worker.evaluate(
    ([srcUrl, pageUrl, id]) => globalThis.videoToAudio.handleContextMenuClick(
      { menuItemId: 'extract-audio', mediaType: 'video', srcUrl, pageUrl },
      { id, title: 'Tone test page', url: pageUrl },
    ),
    [`${site.url}/clip.mp4`, `${site.url}/index.html`, tabId],
  );
  const saved = await browser.waitForDownload(jobId);
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - 3) < 0.3);

  // A MediaSource video: no silent failure — a job record with the sentence, and a badge.
  const blob = await worker.evaluate(
    (pageUrl) => globalThis.videoToAudio.handleContextMenuClick(
      { menuItemId: 'extract-audio', mediaType: 'video', srcUrl: `blob:${new URL(pageUrl).origin}/0a1b2c`, pageUrl },
      { id: 1, title: 'Streaming page', url: pageUrl },
    ),
    `${site.url}/mse.html`,
  );
  const failed = (await browser.jobs()).find((j) => j.id === blob.jobId);
  assert.equal(failed.state, 'error');
  assert.equal(failed.error.message, STREAMED);
  assert.equal(await browser.control.evaluate(() => chrome.action.getBadgeText({})), '!');
  const popup = await browser.openPopup();
  assert.equal(await popup.getByTestId('error').textContent(), STREAMED, 'the popup shows it');
  await popup.close();
  await page.close();
});

test('the default format and quality from the options shape the popup and the context menu', async () => {
  const options = await browser.context.newPage();
  await options.goto(`${browser.base}/options.html`);
  await options.waitForSelector('body[data-ready="true"]');
  await options.getByTestId('default-format').selectOption('flac');
  await options.getByTestId('default-quality').selectOption('high');
  await options.getByTestId('save').click();
  await options.getByTestId('saved').filter({ hasText: 'Saved' }).waitFor();
  try {
    const popup = await browser.openPopup();
    assert.equal(await popup.getByTestId('instruction').inputValue(), 'Extract the audio track as FLAC in high quality');
    assert.match(await popup.locator('#preview').textContent(), /^I understood: FLAC · high quality/);
    await popup.close();

    const worker = await browser.worker();
    const { jobId } = await worker.evaluate(
      ([srcUrl, pageUrl]) => globalThis.videoToAudio.handleContextMenuClick(
        { menuItemId: 'extract-audio', mediaType: 'video', srcUrl, pageUrl },
        { id: 1, title: 'Tone test page', url: pageUrl },
      ),
      [`${site.url}/clip.mp4`, `${site.url}/index.html`],
    );
    const saved = await browser.waitForDownload(jobId);
    assert.equal(path.basename(saved), 'Tone test page.flac');
    assert.equal((await probeAudio(saved)).codec, 'flac');
  } finally {
    await options.getByTestId('default-format').selectOption('mp3');
    await options.getByTestId('default-quality').selectOption('default');
    await options.getByTestId('save').click();
    await options.close();
  }
});

test("a page video whose site refuses to send it gets the site's answer and a next step", async () => {
  // The server refuses 127.0.0.1 by URL, so the extension fetches it: the page server answers 404.
  const jobId = await extractFromMenu('/gone.mp4');
  const failed = await browser.waitForJobs((jobs) => jobs.find((j) => j.id === jobId && j.state === 'error'), {
    what: 'the job to fail',
  });
  // The catalog's sentence (v2a_protocol::text), worded by the client wasm with the site's status.
  assert.equal(failed.error.code, 'page_refused');
  assert.equal(failed.error.key, 'PageRefused');
  assert.match(failed.error.message, /\b404\b/, 'the sentence names the status the site gave');
  assert.equal(failed.download, undefined);
  const popup = await browser.openPopup();
  assert.equal(await popup.getByTestId('error').textContent(), failed.error.message, 'the popup shows it');
  await popup.close();
});

test('a page video that never ends is refused at the size limit, and reading it stops there', async () => {
  // The server refuses 127.0.0.1 by URL, so the extension reads the stream itself.
  const jobId = await extractFromMenu('/live.mp4');
  const failed = await browser.waitForJobs((jobs) => jobs.find((j) => j.id === jobId && j.state === 'error'), {
    what: 'the job to fail at the limit',
    timeout: 120_000,
  });
  assert.equal(failed.error.code, 'too_large', 'refused by the client wasm as over the upload limit');
  assert.ok(failed.fetched && failed.fetched.received > 0 && failed.fetched.total === 0, 'progress was shown while reading');
  const MiB = 1024 * 1024;
  await new Promise((r) => setTimeout(r, 500));
  const sent = LIVE.sent;
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(LIVE.sent, sent, 'the download was stopped, not left running');
  assert.ok(sent < 600 * MiB, `stopped soon after the 500 MB limit, not read on (${sent} bytes sent)`);
  assert.equal(failed.upload, undefined, 'nothing was uploaded');
});

test('a page video whose site stops sending partway says so, with a next step', async () => {
  const jobId = await extractFromMenu('/cut.mp4');
  const failed = await browser.waitForJobs((jobs) => jobs.find((j) => j.id === jobId && j.state === 'error'), {
    what: 'the job to fail',
  });
  assert.equal(failed.error.code, 'page_cut');
  assert.equal(failed.error.key, 'PageCut');
  assert.ok(failed.error.message.length > 0, 'worded for a person');
  assert.equal(failed.upload, undefined, 'half a video was not uploaded');
});
