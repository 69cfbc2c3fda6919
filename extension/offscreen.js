/**
 * offscreen.js — Chrome's job runner host. The service worker creates this offscreen document
 * (reason BLOBS) because uploads need XMLHttpRequest for byte progress and a document outlives
 * the service worker's 30 s idle stop. Only chrome.runtime exists here: every change goes to
 * the background as a message, and the background writes it to storage.
 */
import { isMessage, TO_RUNNER } from './messages.js';
import { createRunner } from './runner.js';

const runner = createRunner({
  post: (message) =>
    // The background may be stopped; sending wakes it. A failed send is only a lost progress
    // tick unless it is the final message, which is retried.
    send(message, message.type === 'job-done' || message.type === 'job-failed' ? 5 : 0),
  loadWasm: () => import('./wasm.js').then((m) => m.loadWasm()),
});

async function send(message, retries) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await chrome.runtime.sendMessage(message);
    } catch (e) {
      if (attempt >= retries) {
        console.warn('video-to-audio: message to background lost', message.type, e);
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (!isMessage(message) || !TO_RUNNER.includes(message.type)) return false;
  sendResponse(runner.handle(message));
  return false;
});
