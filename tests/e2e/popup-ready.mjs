// How long the popup takes to be ready (client wasm loaded, page videos listed): from the
// start of its navigation to the `v2a-ready` mark popup.js sets with body[data-ready], with the
// marks of its steps (storage read, wasm loaded, page probed) so a slow opening shows which
// step held it.
// Usage: node tests/e2e/popup-ready.mjs [runs=10]. Prints medians and the slowest, in ms.
import { launch } from './lib/browser.mjs';

const runs = Number(process.argv[2] || 10);
const MARKS = ['v2a-storage', 'v2a-wasm', 'v2a-videos', 'v2a-ready'];
const browser = await launch();
const times = Object.fromEntries(MARKS.map((m) => [m, []]));
try {
  for (let i = 0; i < runs; i++) {
    const popup = await browser.openPopup();
    const marks = await popup.evaluate(
      (names) => names.map((n) => performance.getEntriesByName(n)[0]?.startTime ?? null),
      MARKS,
    );
    MARKS.forEach((m, j) => marks[j] !== null && times[m].push(marks[j]));
    await popup.close();
  }
} finally {
  await browser.close();
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const m of MARKS) {
  if (times[m].length) console.log(`${m}: median ${median(times[m]).toFixed(0)} ms, slowest ${Math.max(...times[m]).toFixed(0)} ms`);
}
const ready = times['v2a-ready'];
console.log(`popup ready: median ${median(ready).toFixed(0)} ms, slowest ${Math.max(...ready).toFixed(0)} ms over ${runs} opens`);
