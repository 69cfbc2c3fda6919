/**
 * page-bytes.js — a page video's bytes, read from a fetch() response into a File without
 * holding the video in the JavaScript heap.
 *
 * `response.blob()` would wait for the whole body with no progress and no limit: a live or
 * endless stream would never end, and a 2 GB file would be read in full before being refused.
 * Here the body is read chunk by chunk; every PIECE_BYTES become one Blob (the browser keeps
 * blobs in its blob store, which pages large ones to disk), and reading stops the moment the
 * size limit is passed.
 */

/** How much is gathered in the heap before it is handed to the blob store. */
const PIECE_BYTES = 8 * 1024 * 1024;

/**
 * Reads `response`'s body into a File named `name` of type `type`.
 * `onBytes(received, total)` reports progress (`total` is 0 when the server did not say);
 * `tooLarge(received)` is called, and its exception thrown, once more than `limit` bytes arrived.
 */
export async function readBody(response, { name, type, limit, onBytes, tooLarge }) {
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  const pieces = [];
  let chunks = [];
  let gathered = 0;
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      // Stop the download itself, not only our reading of it.
      reader.cancel().catch(() => {});
      tooLarge(received);
      throw new Error(`more than ${limit} bytes`); // tooLarge is meant to throw its own
    }
    chunks.push(value);
    gathered += value.byteLength;
    if (gathered >= PIECE_BYTES) {
      pieces.push(new Blob(chunks));
      chunks = [];
      gathered = 0;
    }
    onBytes(received, total);
  }
  pieces.push(new Blob(chunks));
  return new File(pieces, name, { type });
}
