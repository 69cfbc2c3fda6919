// How long the popup takes to be ready (client wasm loaded, page videos listed): from the
// start of its navigation to the `v2a-ready` mark popup.js sets with body[data-ready].
// Usage: node tests/e2e/popup-ready.mjs [runs=10]. Prints the median and the slowest, in ms.
import { launch } from './lib/browser.mjs';

const runs = Number(process.argv[2] || 10);
const browser = await launch();
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const popup = await browser.openPopup();
    times.push(await popup.evaluate(() => performance.getEntriesByName('v2a-ready')[0].startTime));
    await popup.close();
  }
} finally {
  await browser.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`popup ready: median ${median.toFixed(0)} ms, slowest ${times.at(-1).toFixed(0)} ms over ${runs} opens`);
