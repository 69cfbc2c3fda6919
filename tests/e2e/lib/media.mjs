// Test media made at test time with ffmpeg's lavfi sources, and ffprobe checks of the results.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';

const run = promisify(execFile);

/**
 * An MP4 (H.264 + AAC) of `seconds` with a `freq` Hz tone and a small moving test picture.
 * Cached per parameters inside `dir`.
 */
export async function makeVideo(dir, { seconds = 3, freq = 440, size = '160x120', name } = {}) {
  const file = path.join(dir, name || `tone-${freq}hz-${seconds}s.mp4`);
  if (fs.existsSync(file)) return file;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=15:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=${freq}:sample_rate=44100:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '96k', '-shortest', '-movflags', '+faststart', file,
  ]);
  return file;
}

/** A real PNG picture (a type the service refuses for audio extraction). */
export async function makePng(dir) {
  const file = path.join(dir, 'picture.png');
  if (!fs.existsSync(file)) {
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:duration=1', '-frames:v', '1', file]);
  }
  return file;
}

/** A sparse file of `mb` MiB named like a video: it takes no disk space and is never read. */
export function makeSparse(dir, mb, name = 'huge.mp4') {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, mb * 1024 * 1024);
  fs.closeSync(fd);
  return file;
}

/** {codec, duration, sampleRate, channels} of the first audio stream of `file`. */
export async function probeAudio(file) {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-select_streams', 'a:0',
    '-show_entries', 'stream=codec_name,sample_rate,channels:format=duration,format_name',
    '-of', 'json', file,
  ]);
  const info = JSON.parse(stdout);
  const stream = (info.streams || [])[0] || {};
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: Number(stream.channels),
    duration: Number(info.format && info.format.duration),
    format: info.format && info.format.format_name,
  };
}

/**
 * The dominant frequency of `file`'s audio, in Hz: decoded to mono 8 kHz PCM by ffmpeg, then
 * counted by zero crossings (enough for a pure tone, which is what the tests feed in).
 */
export async function dominantFrequency(file) {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '8000', '-f', 's16le', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const samples = new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
  // Skip the edges, where encoders fade in and out.
  const from = Math.floor(samples.length * 0.1);
  const to = Math.floor(samples.length * 0.9);
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings++;
  return crossings / 2 / ((to - from) / 8000);
}
