// Every string the extension shows exists in English and Simplified Chinese, with the same
// substitutions, and every message the pages and scripts name is defined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION } from './lib/paths.mjs';
import { launch } from './lib/browser.mjs';

const load = (locale) => JSON.parse(fs.readFileSync(path.join(EXTENSION, '_locales', locale, 'messages.json'), 'utf8'));
const en = load('en');
const zh = load('zh_CN');
const slots = (m) => (m.match(/\$\d/g) || []).sort().join(',');

test('English and Chinese have the same messages and substitutions', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.equal(slots(zh[key].message), slots(en[key].message), `substitutions of ${key}`);
    assert.notEqual(zh[key].message.trim(), '', key);
  }
});

test('every message named by the manifest, pages and scripts exists', () => {
  const named = new Set();
  const manifest = fs.readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8');
  for (const m of manifest.matchAll(/__MSG_(\w+)__/g)) named.add(m[1]);
  for (const file of fs.readdirSync(EXTENSION).filter((f) => /\.(html|js)$/.test(f))) {
    const text = fs.readFileSync(path.join(EXTENSION, file), 'utf8');
    for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="(\w+)"/g)) named.add(m[1]);
    for (const m of text.matchAll(/\bt\('(\w+)'/g)) named.add(m[1]);
    // Error keys held in tables or chosen by a condition (RUNNER_ERRORS, unreachableSentence).
    for (const m of text.matchAll(/'(error[A-Z]\w+)'/g)) named.add(m[1]);
  }
  // Keys built at run time: history_<state> and quality_<id>.
  for (const state of ['queued', 'uploading', 'processing', 'done', 'error', 'cancelled']) named.add(`history_${state}`);
  for (const q of ['default', 'high', 'small', 'voice', '128', '192', '320']) named.add(`quality_${q}`);
  for (const stage of ['queued', 'extracting', 'analyzing', 'normalizing', 'done']) named.add(`stage_${stage}`);
  const missing = [...named].filter((k) => !en[k]);
  assert.deepEqual(missing, []);
  assert.ok(named.size > 50, `found ${named.size} names`);
});

test("the manifest description fits Chrome's 132 characters", () => {
  for (const m of [en, zh]) assert.ok(m.extDescription.message.length <= 132);
});

test('with a Chinese browser the popup and the options page speak Chinese', async () => {
  const browser = await launch({ lang: 'zh-CN' });
  try {
    const popup = await browser.openPopup();
    assert.equal(await popup.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await popup.getByTestId('start').textContent(), zh.extract.message);
    assert.equal(await popup.locator('label[for="file-input"]').textContent(), zh.chooseFile.message);
    assert.equal(await popup.locator('.chip[data-format="original"]').textContent(), zh.chipOriginal.message);
    assert.match(await popup.locator('#preview').textContent(), /^我的理解：MP3/);
    const options = await browser.context.newPage();
    await options.goto(`${browser.base}/options.html`);
    assert.equal(await options.getByTestId('save').textContent(), zh.save.message);
    assert.equal(await options.title(), zh.optionsTitle.message);
  } finally {
    await browser.close();
  }
});
