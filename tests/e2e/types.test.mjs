// The client's JavaScript face, checked against the Rust it comes from: the TypeScript
// declarations wasm-bindgen and tsify generate (extension/pkg/video_to_audio.d.ts) are complete
// and fit how the extension uses the client, and every sentence key the extension's JavaScript
// words through the client's `say` exists in the catalog, in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION } from './lib/paths.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TSC = path.join(HERE, 'node_modules/.bin/tsc');

test('the generated TypeScript declarations declare every shape the client takes and returns', async () => {
  const args = ['--noEmit', '--strict', '--target', 'esnext', '--module', 'esnext', '--moduleResolution', 'bundler',
    '--lib', 'esnext,dom', path.join(HERE, 'fixtures/uses-client.ts')];
  let out = '';
  try {
    await run(TSC, args);
  } catch (e) {
    out = `${e.stdout}${e.stderr}`; // tsc exits non-zero and lists what does not check
  }
  assert.equal(out, '', 'tsc finds no error');
});

test("every sentence key the extension's JavaScript uses is in the catalog, in English and Chinese", async () => {
  const wasm = await import(path.join(EXTENSION, 'pkg/video_to_audio.js'));
  wasm.initSync({ module: fs.readFileSync(path.join(EXTENSION, 'pkg/video_to_audio_bg.wasm')) });
  const keys = new Set();
  for (const file of fs.readdirSync(EXTENSION).filter((f) => f.endsWith('.js'))) {
    const source = fs.readFileSync(path.join(EXTENSION, file), 'utf8');
    // fail('code', 'Key', …) in the runner, and {key: 'Key'} of the engine's failures.
    for (const m of source.matchAll(/fail\('[a-z_]+', '([A-Za-z]+)'|key: '([A-Z][A-Za-z]+)'/g)) keys.add(m[1] || m[2]);
  }
  assert.ok(keys.size >= 6, `found the extension's keys (${[...keys]})`);
  for (const key of keys) {
    const en = wasm.say('en-US', key, { detail: 'x', status: 404, max: '1 MB' });
    const zh = wasm.say('zh-CN', key, { detail: 'x', status: 404, max: '1 MB' });
    assert.ok(en.length > 0 && !/[\u4e00-\u9fff]/.test(en), `${key} has an English sentence`);
    assert.match(zh, /[\u4e00-\u9fff]/, `${key} has a Chinese sentence`);
    assert.ok(!/\{[a-z]+\}/.test(en + zh), `${key}: every placeholder was filled`);
  }
  assert.throws(() => wasm.say('en', 'NoSuchKey', undefined), TypeError, 'an unknown key is a bug, thrown');
});
