// The set-up most test files share: a work folder, our server on loopback keeping its data
// there, and a browser with the unpacked extension set to process on that server.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './browser.mjs';
import { startBackend } from './servers.mjs';
import { tempDir } from './paths.mjs';

/**
 * Starts the three for a test file (`name` prefixes the work folder; `serverArgs` go to the
 * server). `close()` stops them and removes the folder; a failed start undoes what it began.
 */
export async function serverAndBrowser(name, serverArgs = []) {
  const work = tempDir(name);
  let backend;
  let browser;
  const close = async () => {
    await browser?.close();
    await backend?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    backend = await startBackend(path.join(work, 'data'), serverArgs);
    browser = await launch();
    await (await browser.configureBackend(backend.url, { where: 'server' })).close();
  } catch (e) {
    await close();
    throw e;
  }
  return { work, backend, browser, close };
}
