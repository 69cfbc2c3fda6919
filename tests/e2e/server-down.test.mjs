// The backend is not running: the popup says so in a sentence that tells how to start it and
// where to change the address; the options page's connection test says the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, screenshot } from './lib/browser.mjs';
import { startBackend, startPageServer } from './lib/servers.mjs';
import { makeVideo } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

let browser;
let work;
let url;

before(async () => {
  work = tempDir('down');
  // A real server that is then stopped: its address is one where nothing listens any more.
  const backend = await startBackend(path.join(work, 'data'));
  url = backend.url;
  browser = await launch();
  const options = await browser.configureBackend(url, { where: 'server' });
  await options.getByTestId('test-connection').click();
  await options.getByTestId('test-result').filter({ hasText: /^Connected: server / }).waitFor();
  await options.close();
  await backend.stop();
});

after(async () => {
  await browser?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('server stopped: the error says it is unreachable, how to start it, and where to change it', async () => {
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(await makeVideo(work, { seconds: 1 }));
  await popup.getByTestId('start').click();
  const error = popup.getByTestId('error');
  await error.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(
    await error.textContent(),
    `The server at ${url} is unreachable. Start the local server with ./build.sh run, or change the backend address in Options.`,
  );
  assert.equal((await browser.jobs())[0].state, 'error');
  assert.equal(await popup.getByTestId('result').isVisible(), false);
  assert.match(await popup.getByTestId('credits').textContent(), /not reachable/);
  await screenshot(popup, 'error-unreachable');
  await popup.close();
});

test('server stopped: the options page connection test says the same', async () => {
  const options = await browser.context.newPage();
  await options.goto(`${browser.base}/options.html`);
  await options.waitForSelector('body[data-ready="true"]');
  assert.equal(await options.getByTestId('backend-url').inputValue(), url);
  await options.getByTestId('test-connection').click();
  await options.getByTestId('test-result').filter({ hasText: /unreachable/ }).waitFor();
  assert.match(await options.getByTestId('test-result').textContent(), /Start the local server with \.\/build\.sh run/);
  await options.close();
});

test('server stopped: a page video gets the same sentence, without the extension fetching it', async () => {
  const clip = await makeVideo(work, { seconds: 1, name: 'page-clip.mp4' });
  let fetched = 0;
  const site = await startPageServer({
    '/index.html': { body: '<!doctype html><title>Down</title><video src="/clip.mp4" preload="none"></video>' },
    '/clip.mp4': { file: clip, type: 'video/mp4', onRequest: () => fetched++ },
  });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/index.html`);
    const popup = await browser.openPopup(await browser.tabIdOf(`${site.url}/index.html`));
    await popup.getByTestId('page-video').waitFor();
    const before = (await browser.jobs()).length;
    await popup.getByTestId('start').click();
    // The first test's failed job is on show until this one's record replaces it.
    const [job] = await browser.waitForJobs((jobs) => jobs.length > before && jobs[0].state === 'error' && jobs, {
      timeout: 30_000,
      what: 'the page-video job to fail',
    });
    assert.equal(job.source.kind, 'url');
    const error = popup.getByTestId('error').filter({ hasText: job.error.message });
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(job.error.message, /^The server at .* is unreachable\. Start the local server with \.\/build\.sh run/);
    assert.equal(fetched, 0, 'the video was not downloaded for nothing');
    await popup.close();
    await page.close();
  } finally {
    await site.close();
  }
});
