// Writes the extension's toolbar icons (extension/icons/icon-{16,32,48,128}.png): a blue rounded
// square with white sound-wave bars. Run once with `node tests/e2e/make-icons.mjs`; the PNGs are
// committed. Plain node (zlib), so no image tool is needed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../extension/icons');
const BLUE = [59, 91, 219];
// Bars of the wave: x centre and half-height, in a 0..1 square.
const BARS = [[0.26, 0.12], [0.38, 0.24], [0.5, 0.32], [0.62, 0.2], [0.74, 0.1]];

function inside(x, y) {
  // Rounded square with corner radius 0.2.
  const r = 0.2;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  for (const [bx, h] of BARS) {
    if (Math.abs(x - bx) <= 0.045 && Math.abs(y - 0.5) <= h) return 'bar';
  }
  return 'bg';
}

function pixels(size) {
  const S = 4; // supersampling for smooth edges
  const data = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    data[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const hit = inside((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size);
          if (!hit) continue;
          const c = hit === 'bar' ? [255, 255, 255] : BLUE;
          r += c[0]; g += c[1]; b += c[2]; a += 255;
        }
      }
      const n = S * S;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const cov = a / 255;
      data[o] = cov ? Math.round(r / cov) : 0;
      data[o + 1] = cov ? Math.round(g / cov) : 0;
      data[o + 2] = cov ? Math.round(b / cov) : 0;
      data[o + 3] = Math.round(a / n);
    }
  }
  return data;
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, body) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const tb = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(tb));
  return Buffer.concat([len, tb, crc]);
}
function png(size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(pixels(size), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.mkdirSync(OUT, { recursive: true });
for (const size of [16, 32, 48, 128]) fs.writeFileSync(path.join(OUT, `icon-${size}.png`), png(size));
console.log(`icons written to ${OUT}`);
