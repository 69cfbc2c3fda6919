// Where the engine's time goes on the 3-minute clip: its Blob reads (count, bytes, sizes and the
// time inside FileReaderSync), counted by wrapping FileReaderSync in a worker that runs
// extension/engine-worker.js unchanged. By hand: node bench/engine-reads.mjs (needs ./build.sh build).
import { launch } from '../tests/e2e/lib/browser.mjs';
import { REPO } from '../tests/e2e/lib/paths.mjs';
import { serveRepo } from './lib/static.mjs';
const browser = await launch(); const site = await serveRepo(REPO);
try {
  const page = await browser.context.newPage(); page.on('console', (m) => console.log('page:', m.text())); page.on('crash', () => console.log('CRASH')); page.on('pageerror', (e) => console.log('err', e));
  await page.goto(`${site.url}/bench/pages/engine-reads.html`);
  await page.waitForFunction(() => window.ready === true);
  for (const msg of ['original quality', 'Extract the audio track as MP3']) console.log(msg, JSON.stringify(await page.evaluate(([u, m]) => window.run(u, m), [`${site.url}/bench/.cache/clip-180s-1080p.mp4`, msg])));
} finally { await browser.close(); site.close(); }
