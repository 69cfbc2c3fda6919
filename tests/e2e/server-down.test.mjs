// The backend is not running: the popup says so in a sentence that tells how to start it and
// where to change the address; the options page's connection test says the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, screenshot } from './lib/browser.mjs';
import { startBackend } from './lib/servers.mjs';
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
  const options = await browser.configureBackend(url);
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
