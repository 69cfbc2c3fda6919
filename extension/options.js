/**
 * options.js — the options page: backend address (with a connection test and presets), token,
 * default format and quality, whether to always ask where to save, and where jobs run (on this
 * computer when possible, or always on the server).
 */
import { t, localize } from './i18n.js';
import {
  FORMATS, QUALITIES, DEFAULT_BACKEND, HOSTED_BACKEND, getSettings, saveSettings, normalizeBackendUrl, isLoopback, unreachableSentence,
} from './settings.js';
import { loadWasm } from './wasm.js';

const $ = (sel) => document.querySelector(sel);
const ui = {
  form: $('#form'),
  backend: $('#backend-url'),
  test: $('#test'),
  testResult: $('#test-result'),
  token: $('#token'),
  format: $('#format'),
  quality: $('#quality'),
  alwaysAsk: $('#always-ask'),
  saved: $('#saved'),
  presetNotice: $('#preset-notice'),
};

localize();
for (const f of FORMATS) ui.format.append(new Option(f.id === 'original' ? t('chipOriginal') : f.label, f.id));
for (const q of QUALITIES) ui.quality.append(new Option(t(`quality_${q.id}`), q.id));

getSettings().then((s) => {
  ui.backend.value = s.backendUrl;
  ui.token.value = s.token;
  ui.format.value = s.defaultFormat;
  ui.quality.value = s.defaultQuality;
  ui.alwaysAsk.checked = s.alwaysAsk;
  document.querySelector(`input[name="where"][value="${s.processLocally ? 'local' : 'server'}"]`).checked = true;
  document.body.dataset.ready = 'true';
});

$('#preset-local').addEventListener('click', () => {
  ui.backend.value = DEFAULT_BACKEND;
  ui.presetNotice.hidden = true;
});
$('#preset-hosted').addEventListener('click', () => {
  ui.backend.value = HOSTED_BACKEND;
  // Said before anything is sent there: the person's files would leave this machine.
  ui.presetNotice.textContent = t('hostedNotice', [new URL(HOSTED_BACKEND).host]);
  ui.presetNotice.hidden = false;
  // Asked inside the click, the only moment the browser shows the prompt.
  requestBackendPermission(HOSTED_BACKEND);
});

/**
 * Asks for the host permission a backend outside the local server needs. Called first thing in
 * a click handler: the browser only shows the prompt during a user gesture.
 */
function requestBackendPermission(url) {
  if (isLoopback(url)) return Promise.resolve(true);
  return chrome.permissions.request({ origins: [`${new URL(url).origin}/*`] }).catch(() => false);
}

ui.test.addEventListener('click', async () => {
  const url = normalizeBackendUrl(ui.backend.value);
  if (!url) {
    ui.testResult.textContent = t('errorBadUrl');
    return;
  }
  const allowed = await requestBackendPermission(url);
  ui.testResult.className = 'hint';
  ui.testResult.textContent = t('testing');
  if (!allowed) {
    ui.testResult.textContent = t('errorPermission', [url]);
    return;
  }
  try {
    const wasm = await loadWasm();
    const { clientId } = await chrome.storage.local.get('clientId');
    const token = ui.token.value.trim();
    const client = new wasm.Client({
      baseUrl: url,
      token: token || undefined,
      clientId: clientId || wasm.newClientId(),
      version: chrome.runtime.getManifest().version,
      platform: 'unknown',
    });
    // /healthz is our server's extra: a backend without it (the hosted service) is tested with
    // the credits call of the description instead, which also proves a token works.
    let health = null;
    try {
      health = await client.health();
    } catch (e) {
      if (e && e.code === 'network') throw e;
    }
    const server = health ? [String(health.version || ''), String(health.ffmpeg || '')] : null;
    // A token typed here is checked too: a refused one is better found now than at Extract.
    const credits = token || !server ? await client.credits() : null;
    ui.testResult.className = 'hint ok';
    if (!server) ui.testResult.textContent = t('testOkCredits', [new URL(url).host, String(credits.available)]);
    else ui.testResult.textContent = credits ? t('testTokenOk', [...server, String(credits.available)]) : t('testOk', server);
  } catch (e) {
    ui.testResult.textContent = e && e.code === 'network' ? unreachableSentence(url) : String((e && e.message) || e);
  }
});

ui.form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const url = normalizeBackendUrl(ui.backend.value);
  if (!url) {
    ui.saved.textContent = t('errorBadUrl');
    ui.backend.focus();
    return;
  }
  const allowed = await requestBackendPermission(url);
  if (!allowed) {
    ui.saved.textContent = t('errorPermission', [url]);
    return;
  }
  await saveSettings({
    backendUrl: url,
    token: ui.token.value.trim(),
    defaultFormat: ui.format.value,
    defaultQuality: ui.quality.value,
    alwaysAsk: ui.alwaysAsk.checked,
    processLocally: document.querySelector('input[name="where"]:checked')?.value !== 'server',
  });
  ui.backend.value = url;
  ui.saved.textContent = t('saved');
});
