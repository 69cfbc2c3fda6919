/**
 * names.js — the download's file name and a URL's last path segment. The name itself (safe
 * characters, reserved names, length, the format's extension) is decided by the wasm client's
 * downloadName; this file only picks which of the job's names to give it.
 */

/** The decoded last path segment of `url` ('' when it is not a URL). */
export function lastSegment(url) {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() || '');
  } catch {
    return '';
  }
}

/**
 * The download's file name for a job `source` and the server's `result` (see messages.js):
 * the picked file's name or the page's title (else the video URL's file name), else the
 * server's name for the result, through `wasm.downloadName`.
 */
export function downloadFileName(wasm, source, result) {
  const ext = (result && result.format) || '';
  const candidates = [];
  if (source && source.kind === 'file') candidates.push(source.name);
  else if (source && source.kind === 'url') candidates.push(source.title, lastSegment(source.url));
  candidates.push(result && result.name);
  // A candidate with nothing a file name can hold ("???") gives the same name as no candidate.
  const none = wasm.downloadName('', ext);
  for (const c of candidates) {
    const name = c ? wasm.downloadName(String(c), ext) : none;
    if (name !== none) return name;
  }
  return none;
}
