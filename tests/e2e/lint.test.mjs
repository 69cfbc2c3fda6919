// `web-ext lint` (Mozilla's add-on linter) accepts the extension: no errors. The warnings it
// still gives are the cross-browser ones (Chrome's offscreen API and service_worker key, which
// Firefox ignores) and are listed in README.md (Permissions, and why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { EXTENSION } from './lib/paths.mjs';

const run = promisify(execFile);
const WEB_EXT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/.bin/web-ext');
const EXPECTED_WARNINGS = ['MANIFEST_PERMISSIONS', 'BACKGROUND_SERVICE_WORKER_IGNORED', 'UNSUPPORTED_API'];

test('web-ext lint reports no errors', async () => {
  let stdout;
  try {
    ({ stdout } = await run(WEB_EXT, ['lint', '--source-dir', EXTENSION, '--output', 'json', '--no-config-discovery'], { maxBuffer: 16 << 20 }));
  } catch (e) {
    stdout = e.stdout; // web-ext exits non-zero when it finds errors; the report says which
  }
  const report = JSON.parse(stdout);
  assert.deepEqual(report.errors.map((e) => `${e.code}: ${e.message} (${e.file})`), []);
  const unexpected = report.warnings.filter((w) => !EXPECTED_WARNINGS.includes(w.code));
  assert.deepEqual(unexpected.map((w) => `${w.code}: ${w.message} (${w.file})`), []);
});

test("popup.html preloads exactly the modules popup.js imports, and the client's wasm", () => {
  const read = (f) => fs.readFileSync(path.join(EXTENSION, f), 'utf8');
  const imports = new Set();
  const walk = (file) => {
    for (const [, dep] of read(file).matchAll(/^import .*? from '\.\/([^']+)'/gm)) {
      if (!imports.has(dep)) {
        imports.add(dep);
        walk(dep);
      }
    }
  };
  walk('popup.js');
  // The client, imported lazily by popup.js (so a broken build leaves a working page).
  imports.add('wasm.js');
  for (const [, dep] of read('wasm.js').matchAll(/^import .*? from '\.\/([^']+)'/gm)) imports.add(dep);
  const html = read('popup.html');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(preloaded.slice().sort(), [...imports].sort());
  assert.match(html, /<link rel="preload" href="pkg\/video_to_audio_bg\.wasm" as="fetch" type="application\/wasm" crossorigin>/);
});
