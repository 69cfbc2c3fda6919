// Before/after timing of engine builds in Chromium, without the extension. By hand: put each
// build's extension/engine/ at bench/.cache/<build>/engine/ with a copy of
// extension/engine-worker.js beside it, then
//   [GC=1] node bench/engine-speed.mjs CLIP before,after mp3,copy,loud [repeats]
// GC=1: garbage collected every 8 reads, so the memory growth is what is live (also put a
// gc-worker.js beside each engine-worker.js: import '/bench/pages/engine-speed-gc.js'; import './engine-worker.js';).
import fs from 'node:fs';
import { chromium } from '../tests/e2e/node_modules/playwright-core/index.mjs';
import { REPO } from '../tests/e2e/lib/paths.mjs';
import { serveRepo } from './lib/static.mjs';
/** CPU seconds of this process's descendants (the browser's): wall time means little on a shared machine. */
function browserPids() {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try { kids.set(Number(d), Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1])); } catch { /* gone */ }
  }
  const mine = new Set([process.pid]); let grew = true;
  while (grew) { grew = false; for (const [p, pp] of kids) if (!mine.has(p) && mine.has(pp)) { mine.add(p); grew = true; } }
  mine.delete(process.pid);
  return [...mine];
}
/** Proportional set size of the browser's processes, MB (what bench/browser.mjs calls memory). */
function browserPss() {
  let kb = 0;
  for (const p of browserPids()) {
    try { kb += Number(/Pss:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))[1]); } catch { /* gone */ }
  }
  return kb / 1024;
}
function browserCpu() {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      kids.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 });
    } catch { /* gone */ }
  }
  const mine = new Set([process.pid]); let total = 0; let grew = true;
  while (grew) { grew = false; for (const [p, k] of kids) if (!mine.has(p) && mine.has(k.ppid)) { mine.add(p); total += k.cpu; grew = true; } }
  return total;
}
const [clip, builds, kinds, repeats = '1'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...(process.env.GC ? ['--js-flags=--expose-gc'] : []), '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const site = await serveRepo(REPO);
try {
  const page = await browser.newPage();
  await page.goto(`${site.url}/bench/pages/engine-speed.html`);
  await page.waitForFunction(() => window.ready === true);
  await page.setInputFiles('#file', clip);
  for (let i = 0; i < Number(repeats); i++) {
    for (const kind of kinds.split(',')) {
      for (const build of builds.split(',')) {
        const cpu = browserCpu(); const pss0 = browserPss(); let peak = pss0;
        const sampler = setInterval(() => { peak = Math.max(peak, browserPss()); }, 100);
        const r = await page.evaluate(([b, k, g]) => window.run(b, k, g), [build, kind, !!process.env.GC]);
        clearInterval(sampler);
        console.log(JSON.stringify({ ...r, cpu: +(browserCpu() - cpu).toFixed(2), growthMB: Math.round(peak - pss0) }));
      }
    }
  }
} finally { await browser.close(); site.close(); }
