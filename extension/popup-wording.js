/**
 * popup-wording.js — the popup's thin adapters over the wasm client's pure functions
 * (understand, summarize, checkFile). The parsing itself is Rust; only the chip edit, which
 * rewrites the format phrase of the instruction, is a small string operation here.
 */
import { t } from './i18n.js';

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
  const kind = intent && (intent.intent || intent.kind);
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

/** The output format the instruction asks for ("mp3", "original"…), or null. */
export function formatOfIntent(wasm, text) {
  const intent = intentOf(wasm, text);
  return (intent && intent.spec && intent.spec.format) || null;
}

/** A format phrase already in the instruction, which a chip replaces. */
const FORMAT_PHRASE = /\b(?:as|in|to|into)\s+(?:an?\s+)?(?:mp3|m4a|aac|wav|wave|flac|opus|ogg|vorbis|original(?:\s+quality)?)(?:\s+(?:file|format|audio))?\b/i;

/** The instruction with its format phrase set to the chip's. */
export function applyFormatChip(text, format) {
  const trimmed = text.trim();
  if (FORMAT_PHRASE.test(trimmed)) return trimmed.replace(FORMAT_PHRASE, format.phrase);
  if (!trimmed) return `Extract the audio track ${format.phrase}`;
  return `${trimmed} ${format.phrase}`;
}

/**
 * The wasm client's sentence when it refuses the file (wrong type, over 500 MB), or null when it
 * may be uploaded.
 */
export function checkPickedFile(wasm, file, maxBytes) {
  try {
    wasm.checkFile(file.name, file.size, file.type || '', maxBytes); // the container, when accepted
    return null;
  } catch (e) {
    return (e && e.message) || String(e);
  }
}
