/**
 * filestore.js — hands a user-picked File from the popup to the job runner.
 *
 * A File cannot travel in a runtime message, and the popup may close at any time, so the popup
 * puts it in IndexedDB (keyed by job id) and the runner takes it from there. IndexedDB keeps a
 * Blob by reference to its bytes on disk, so a 500 MB file is never copied into memory.
 */

const DB_NAME = 'video-to-audio';
const STORE = 'files';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withStore(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Keeps `file` under `key` until the runner takes it. */
export function putFile(key, file) {
  return withStore('readwrite', (s) => s.put(file, key));
}

/** The File kept under `key`, or undefined. */
export function getFile(key) {
  return withStore('readonly', (s) => s.get(key));
}

export function deleteFile(key) {
  return withStore('readwrite', (s) => s.delete(key));
}
