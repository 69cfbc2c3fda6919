// Where things are: the repository, the extension, and where screenshots go.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The unpacked extension under test: $V2A_EXTENSION_DIR (e.g. an unzipped package), else extension/. */
export const EXTENSION = process.env.V2A_EXTENSION_DIR ? path.resolve(process.env.V2A_EXTENSION_DIR) : path.join(REPO, 'extension');

/** A fresh temporary directory (removed by the caller's cleanup). */
export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `v2a-${prefix}-`));
}

/** docs/screenshots with V2A_SCREENSHOTS=1 (to commit them), else a temporary directory. */
export const SCREENSHOTS = process.env.V2A_SCREENSHOTS === '1'
  ? path.join(REPO, 'docs/screenshots')
  : path.join(os.tmpdir(), 'v2a-screenshots');
