/**
 * settings.js — what the extension keeps in chrome.storage.local, with its defaults.
 *
 * Keys: "settings" (the options page), "auth" (token and session the backend gave, tied to the
 * backend URL they came from), "clientId" (made once by the wasm client's newClientId),
 * "jobs" (job records, see messages.js). Used by the background, the popup and the options page;
 * the offscreen runner has no chrome.storage and gets what it needs in its messages.
 */

import { OUTPUT_FORMATS, DEFAULT_QUALITIES, DEFAULT_INSTRUCTIONS, FORMAT_PHRASES } from './formats.generated.js';

/** The local server started by `./build.sh run`. */
export const DEFAULT_BACKEND = 'http://127.0.0.1:8787';
/** The hosted API, offered as a preset in the options. */
export const HOSTED_BACKEND = 'https://mega-api-prod.nemovideo.ai';
/** How many job records are kept. */
export const MAX_JOBS = 20;

/** Which of the output formats (the protocol's table) are offered as chips and as the default. */
const CHIPS = ['mp3', 'm4a', 'wav', 'flac', 'opus', 'original'];

/**
 * The chips: id, label, whether it is lossless, and the English words that ask for it (the
 * wasm's withFormat rewrites an instruction word by word, in English).
 */
export const FORMATS = CHIPS.map((id) => OUTPUT_FORMATS.find((f) => f.id === id)).map((f) => ({
  id: f.id,
  label: f.name,
  lossless: f.lossless,
  phrase: FORMAT_PHRASES.en[f.id],
}));

/** Qualities offered as the default quality (the protocol's list; labels from _locales). */
export const QUALITIES = DEFAULT_QUALITIES.map((id) => ({ id }));

export const DEFAULT_SETTINGS = Object.freeze({
  backendUrl: DEFAULT_BACKEND,
  token: '',
  defaultFormat: 'mp3',
  defaultQuality: 'default',
  alwaysAsk: false,
  // "Process on this computer when possible" (the engine, no upload) or "Always use the server".
  processLocally: true,
});

/** The options, with defaults filled in. */
export async function getSettings() {
  const { settings } = await chrome.storage.local.get('settings');
  return { ...DEFAULT_SETTINGS, ...(settings || {}) };
}

export async function saveSettings(settings) {
  await chrome.storage.local.set({ settings: { ...DEFAULT_SETTINGS, ...settings } });
}

/** The default instructions in the language of the extension's own text (the _locales Chrome picked). */
function instructions() {
  return DEFAULT_INSTRUCTIONS[chrome.i18n.getMessage('catalogLanguage')] || DEFAULT_INSTRUCTIONS.en;
}

/**
 * The instruction the popup starts with and the context menu sends, in the person's language:
 * made in Rust from the catalog (crates/protocol/src/instruction.rs), read from the generated table.
 */
export function defaultInstruction(settings) {
  const byFormat = instructions()[settings.defaultFormat] || instructions()[FORMATS[0].id];
  return byFormat[settings.defaultQuality] || byFormat.default;
}

/** `text` asking for `formatId` instead, when it is one of the default instructions as made; else null. */
export function defaultInstructionAs(text, formatId) {
  const table = instructions();
  if (!table[formatId]) return null;
  // In the options' order, so that a quality the format left out ("original") reads as "default".
  for (const quality of DEFAULT_QUALITIES) {
    if (Object.values(table).some((byQuality) => byQuality[quality] === text.trim())) return table[formatId][quality];
  }
  return null;
}

/** The base URL without a trailing slash, or null when it is not an http(s) URL. */
export function normalizeBackendUrl(text) {
  try {
    const url = new URL(String(text).trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** "The server at … is unreachable", with the next step that fits a local or remote backend. */
export function unreachableSentence(url) {
  const key = isLoopback(url) ? 'errorUnreachableLocal' : 'errorUnreachable';
  return chrome.i18n.getMessage(key, [url]) || key;
}

/** True for backends covered by the required host permissions (the local server). */
export function isLoopback(url) {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost';
  } catch {
    return false;
  }
}

/**
 * Why a job went to the server, for a person: the engine's own sentence when it gave one (in
 * the person's language already), else the extension's sentence for the runner's reasons.
 */
export function serverReasonSentence(key, text) {
  if (text) return text;
  const words = {
    settingServer: chrome.i18n.getMessage('reasonSetting'),
    notExtract: chrome.i18n.getMessage('reasonNotExtract'),
    pageUnreadableHere: chrome.i18n.getMessage('reasonPageHere'),
  }[key];
  return words || chrome.i18n.getMessage('reasonOther') || String(key || '');
}
