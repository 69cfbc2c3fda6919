// The engine's worker (extension/engine-worker.js) with its Blob reads counted and timed.
const stats = { reads: 0, bytes: 0, ms: 0, sizes: {} };
const orig = FileReaderSync.prototype.readAsArrayBuffer;
FileReaderSync.prototype.readAsArrayBuffer = function (b) {
  const t = performance.now();
  const r = orig.call(this, b);
  stats.ms += performance.now() - t; stats.reads++; stats.bytes += b.size;
  const k = 2 ** Math.ceil(Math.log2(Math.max(1, b.size))); stats.sizes[k] = (stats.sizes[k] || 0) + 1;
  return r;
};
addEventListener('message', (e) => { if (e.data.type === 'stats') postMessage({ type: 'stats', stats }); });
import '/extension/engine-worker.js';
