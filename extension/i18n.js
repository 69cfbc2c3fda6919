/**
 * i18n.js — fills the page's text from _locales through chrome.i18n. Elements name their
 * message with data-i18n (text), data-i18n-placeholder, data-i18n-aria-label or data-i18n-title.
 */

/** The message `key` with its $1… substitutions, or the key itself when it is missing. */
export function t(key, subs) {
  return chrome.i18n.getMessage(key, subs) || key;
}

export function localize(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  document.documentElement.lang = chrome.i18n.getUILanguage();
}

/** The wasm module once loaded (wasm.js hands it over): sizes and times are written by the Rust core. */
let units = null;

export function useUnits(wasm) {
  units = wasm;
}

/** "15.4 kB" (decimal units, as the server writes it); '' until the wasm is loaded. */
export function formatBytes(n) {
  return units && Number.isFinite(n) && n >= 0 ? units.formatSize(n) : '';
}

/** "2:15" or "1:02:15"; '' until the wasm is loaded. */
export function formatDuration(seconds) {
  return units && Number.isFinite(seconds) && seconds >= 0 ? units.formatDuration(seconds) : '';
}
