/**
 * popup-wording.js — the popup's thin adapters over the wasm client's pure functions
 * (understand, summarize, withFormat, checkFile). The parsing and the chip edit are Rust.
 */
import { t } from './i18n.js';
import { defaultInstructionAs } from './settings.js';

/** The parsed intent, or null when the parser threw. */
function intentOf(wasm, text) {
  try {
    return wasm.understand(text);
  } catch {
    return null;
  }
}

/**
 * The preview line for an instruction: {ok, text}. ok is false when the request would not make
 * a file (help, or something this product cannot do), and text then says why.
 */
export function describeIntent(wasm, text) {
  if (!text.trim()) return { ok: false, text: t('errorNoInstruction') };
  const intent = intentOf(wasm, text);
  const kind = intent && intent.intent;
  if (kind === 'help') return { ok: false, text: t('previewHelp') };
  if (kind === 'unsupported') return { ok: false, text: t('previewUnsupported', [String(intent.reason || text)]) };
  let summary = '';
  try {
    summary = wasm.summarize(text);
  } catch {
    summary = '';
  }
  return { ok: true, text: summary ? t('previewUnderstood', [summary]) : '' };
}

/**
 * The description's keyword routing of an instruction: "export", "credits", "status", "upload"
 * or "run" (the wasm client's `route`; "run" when it throws).
 */
export function routeOf(wasm, text) {
  try {
    return wasm.route(text);
  } catch {
    return 'run';
  }
}

/** The output format the instruction asks for ("mp3", "original"…), or null. */
export function formatOfIntent(wasm, text) {
  const intent = intentOf(wasm, text);
  return (intent && intent.spec && intent.spec.format) || null;
}

/**
 * The instruction with its format set to the chip's: a default instruction as made becomes the
 * chip's (in its language); any other text is rewritten by the wasm client's withFormat.
 */
export function applyFormatChip(wasm, text, format) {
  return defaultInstructionAs(text, format.id) ?? wasm.withFormat(text, format.phrase);
}

/**
 * The wasm client's sentence when it refuses the file (wrong type, over 500 MB), or null when it
 * may be uploaded.
 */
export function checkPickedFile(wasm, file, maxBytes) {
  try {
    // The container, when accepted; the refusal in the browser's language.
    wasm.checkFile(file.name, file.size, file.type || '', maxBytes, chrome.i18n.getUILanguage());
    return null;
  } catch (e) {
    return (e && e.message) || String(e);
  }
}
