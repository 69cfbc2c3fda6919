/**
 * names.js — the file name a download is saved under: the page title or the picked file's name,
 * plus the extension of the format the backend produced. Kept in JavaScript because it only
 * shapes a string for chrome.downloads (the wasm client has no file-name builder yet).
 */

/** Characters that no file system among Windows, macOS and Linux accepts in a name. */
const FORBIDDEN = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

/** `name` cleaned up to be one safe path segment of at most `max` characters. */
export function safeName(name, max = 100) {
  let s = String(name || '').replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  // Chrome refuses names that start or end with a dot (hidden or reserved files).
  s = s.replace(/^[.\s]+|[.\s]+$/g, '');
  return s.slice(0, max).trim();
}

function stem(name) {
  return String(name || '').replace(/\.[a-z0-9]{1,5}$/i, '');
}

/** The decoded last path segment of `url` ('' when it is not a URL). */
export function lastSegment(url) {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() || '');
  } catch {
    return '';
  }
}

/** The download's file name for a job `source` and its `result` (see messages.js). */
export function downloadFileName(source, result) {
  let base = '';
  if (source && source.kind === 'file') base = stem(source.name);
  else if (source) base = source.title || stem(lastSegment(source.url));
  base = safeName(base) || safeName(stem(result.name)) || 'audio';
  const ext = safeName(result.format || '', 8).toLowerCase() || 'mp3';
  return `${base}.${ext}`;
}
