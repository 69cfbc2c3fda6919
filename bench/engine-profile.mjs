// Where the engine's wasm spends its time, in node (same V8 as Chromium) rather than a browser:
// a file-backed stand-in for the picked File and FileReaderSync, the job loop of
// extension/engine-worker.js, and V8's sampling profiler. Without --cpu-prof it prints the run's
// CPU time and the output's digest (builds that must make the same bytes show the same one).
//   node --cpu-prof --cpu-prof-dir=DIR bench/engine-profile.mjs ENGINE_DIR CLIP mp3|copy|loud
//   node bench/engine-profile.mjs --top DIR/*.cpuprofile [count]
// ENGINE_DIR holds v2a_engine_wasm.js and _bg.wasm (extension/engine after ./build.sh build, whose
// functions have no names). For names: build.sh's engine build with CARGO_PROFILE_WASM_ENGINE_STRIP
// =false, and before wasm-bindgen drop the module's `target_features` custom section (it lists
// std's reference-types, and wasm-bindgen then wants an externref table the build turned off).
import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

if (process.argv[2] === '--top') {
  // Self time per function, summed over the profile's samples.
  const prof = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  const self = new Map();
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const dt = (prof.endTime - prof.startTime) / prof.samples.length / 1000;
  for (const id of prof.samples) {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anon)'} ${f.url ? path.basename(f.url) : ''}`;
    self.set(name, (self.get(name) || 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`total ${(total / 1000).toFixed(2)} s`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] || 40))) {
    console.log(`${(ms / 1000).toFixed(3).padStart(7)} s ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name.slice(0, 150)}`);
  }
  process.exit(0);
}

const [dir, clip, kind = 'mp3'] = process.argv.slice(2);
/** The picked File: size and slice, read by FileReaderSync below. */
class FileBlob {
  constructor(fd, start, end) { Object.assign(this, { fd, start, end }); }
  get size() { return this.end - this.start; }
  slice(a = 0, b = this.size) {
    return new FileBlob(this.fd, this.start + Math.min(a, this.size), this.start + Math.min(b, this.size));
  }
}
globalThis.FileReaderSync = class {
  readAsArrayBuffer(blob) {
    const buf = new Uint8Array(blob.size);
    fs.readSync(blob.fd, buf, 0, blob.size, blob.start);
    return buf.buffer;
  }
};
const fd = fs.openSync(clip, 'r');
const blob = new FileBlob(fd, 0, fs.fstatSync(fd).size);
const base = {
  quality: { kind: 'default' }, sample_rate: null, channels: null, range: null, loudness: null,
  source: { by: 'latest' }, track: { by: 'default' }, output_name: null,
};
const SPECS = {
  mp3: { ...base, format: 'mp3' },
  copy: { ...base, format: null },
  loud: { ...base, format: 'mp3', loudness: { integrated: -16, true_peak: -1 } },
};
const glue = await import(pathToFileURL(path.resolve(dir, 'v2a_engine_wasm.js')));
const t0 = performance.now();
await glue.default({ module_or_path: fs.readFileSync(path.resolve(dir, 'v2a_engine_wasm_bg.wasm')) });
const t1 = performance.now();
const job = glue.EngineJob.open(blob, SPECS[kind], 'en');
const t2 = performance.now();
const cpu0 = process.cpuUsage();
let step;
do step = job.step(); while (step.kind !== 'done');
const t3 = performance.now();
console.log(JSON.stringify({
  kind, initMs: Math.round(t1 - t0), openMs: Math.round(t2 - t1), runMs: Math.round(t3 - t2), runCpuMs: Math.round(process.cpuUsage(cpu0).user / 1000),
  size: step.blob.size, duration: step.outcome.duration,
  // Builds that must make the same bytes (a SIMD twin, a compiler flag) show the same digest.
  sha256: crypto.createHash('sha256').update(Buffer.from(await step.blob.arrayBuffer())).digest('hex').slice(0, 16),
}));
