// One result, one name and one size everywhere: the popup's result card, the server's answer
// shown under it and the file the download manager saved (issue 8: the server counted KiB and
// the popup kB; the server sanitised names to "_" and the client to spaces).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './lib/browser.mjs';
import { startBackend } from './lib/servers.mjs';
import { makeVideo } from './lib/media.mjs';
import { tempDir } from './lib/paths.mjs';

let browser;
let backend;
let work;

before(async () => {
  work = tempDir('same-file');
  backend = await startBackend(path.join(work, 'data'));
  browser = await launch();
  await (await browser.configureBackend(backend.url)).close();
});

after(async () => {
  await browser?.close();
  await backend?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

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
