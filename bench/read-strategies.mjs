// Which way of reading a track's byte ranges from a picked File is fastest in a worker: one
// composite Blob of slices per group (the engine's way), ranges joined across small gaps, plain
// spans, or the whole file in windows. By hand:
//   ffprobe -v error -select_streams a:0 -show_entries packet=pos,size -of csv=p=0 CLIP > ranges.csv  (size,pos)
//   node bench/read-strategies.mjs CLIP ranges.csv
import fs from 'node:fs';
import { chromium } from '../tests/e2e/node_modules/playwright-core/index.mjs';
import { REPO } from '../tests/e2e/lib/paths.mjs';
import { serveRepo } from './lib/static.mjs';
const [clip, csv] = process.argv.slice(2);
const ranges = fs.readFileSync(csv, 'utf8').split('\n').map((l) => l.split(',').filter(Boolean).map(Number))
  .filter((r) => r.length === 2 && r.every(Number.isFinite)).map(([size, pos]) => [pos, size]).sort((a, b) => a[0] - b[0]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const site = await serveRepo(REPO);
try {
  const page = await browser.newPage();
  await page.goto(`${site.url}/bench/pages/read-strategies.html`);
  await page.waitForFunction(() => window.ready === true);
  await page.setInputFiles('#file', clip);
  const K = 1024;
  const runs = (process.env.RUNS || 'capped:4096,capped:8192,capped:16384,span:256,windows:8192,composite:256,capped:4096,span:256')
    .split(',').map((r) => { const [n, k] = r.split(':'); return [n, Number(k) * K]; });
  console.log(`${ranges.length} ranges, ${(ranges.reduce((s, r) => s + r[1], 0) / 1e6).toFixed(2)} MB`);
  for (const r of await page.evaluate(([a, b]) => window.run(a, b), [ranges, runs])) console.log(JSON.stringify(r));
} finally { await browser.close(); site.close(); }
