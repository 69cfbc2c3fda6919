// No server at all: jobs the in-browser engine can do (crates/engine, in a worker of the job
// runner) end in a downloaded file made on this computer, for a page video and a picked file;
// a job it cannot do says, in one sentence, that it needs a server and how to get one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launch, screenshot } from './lib/browser.mjs';
import { startPageServer } from './lib/servers.mjs';
import { makeVideo, probeAudio, dominantFrequency } from './lib/media.mjs';
import { EXTENSION, tempDir } from './lib/paths.mjs';

const run = promisify(execFile);

/** A copy without re-encoding: AAC into .m4a, reading only the audio bytes. */
const ORIGINAL = { instruction: 'Extract the audio track in original quality', codec: 'aac', ext: 'm4a' };
/** The default request ("as MP3"): decoded and re-encoded on this computer. */
const DEFAULT = { instruction: 'Extract the audio track as MP3', codec: 'mp3', ext: 'mp3' };

let browser;
let site;
let work;
let nowhere;

/** A loopback address where nothing listens: a port that was free a moment ago. */
async function deadAddress() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  work = tempDir('local');
  const clip = await makeVideo(work, { seconds: 3, freq: 440, name: 'clip.mp4' });
  site = await startPageServer({
    '/index.html': { body: '<!doctype html><title>Local page</title><video src="/clip.mp4" preload="auto" muted></video>' },
    '/clip.mp4': { file: clip, type: 'video/mp4' },
  });
  browser = await launch();
  // Not the default 127.0.0.1:8787, where another checkout's server may be running: an
  // address where certainly nothing answers. Local processing is the default: not touched.
  nowhere = await deadAddress();
  await (await browser.configureBackend(nowhere)).close();
});

after(async () => {
  await browser?.close();
  await site?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** The extension files `entry` imports, statically or with import(), transitively. */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(path.join(EXTENSION, file), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.[^']+)'/gm)) {
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])));
    }
  };
  visit(entry);
  return seen;
}

/** Presses Extract in `popup`; resolves to the new job's record once it has ended. */
/** The test site's page with its video playable, and the popup opened on it with the video listed. */
async function popupOnPageVideo() {
  const url = `${site.url}/index.html`;
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('video').readyState >= 2);
  const popup = await browser.openPopup(await browser.tabIdOf(url));
  await popup.getByTestId('page-videos').getByTestId('page-video').first().waitFor();
  return { page, popup };
}

async function extractAndWait(popup) {
  const before = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  const fresh = await browser.waitForJobs((jobs) => jobs.find((j) => !before.has(j.id)), { what: 'the job to start' });
  return ended(fresh.id);
}

/** Waits for the job `jobId` to end; returns its record. */
function ended(jobId) {
  return browser.waitForJobs((jobs) => jobs.find((j) => j.id === jobId && ['done', 'error', 'cancelled'].includes(j.state)), {
    what: `job ${jobId} to end`,
  });
}

async function checkAudio(file, { codec, seconds, freq }) {
  const audio = await probeAudio(file);
  assert.equal(audio.codec, codec);
  assert.ok(Math.abs(audio.duration - seconds) < 0.1, `duration ${audio.duration}`);
  const heard = await dominantFrequency(file);
  assert.ok(Math.abs(heard - freq) < 10, `the tone is ${heard} Hz`);
}

test('the default setting is to process on this computer, and the footer is not an error without a server', async () => {
  const { settings } = await browser.control.evaluate(() => chrome.storage.local.get('settings'));
  assert.equal(settings.processLocally, true);
  const popup = await browser.openPopup();
  await popup.locator('[data-testid="credits"][data-backend="not-needed"]').waitFor();
  // The popup never loads the engine's wasm: its time to ready does not grow with it. Only the
  // worker imports it, and the worker is started by the job runner alone.
  const graph = moduleGraph('popup.js');
  assert.ok(graph.has('wasm.js') && graph.has('pkg/video_to_audio.js'), [...graph].join(' '));
  assert.deepEqual([...graph].filter((f) => f.startsWith('engine/') || f === 'engine-worker.js'), []);
  assert.ok(moduleGraph('engine-worker.js').has('engine/v2a_engine_wasm.js'), 'the worker does load it');
  await popup.close();
});

test('a picked file becomes an audio file made on this computer, with no server', async () => {
  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('instruction').fill(ORIGINAL.instruction);
  const job = await extractAndWait(popup);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.where, 'local', JSON.stringify(job));
  await popup.getByTestId('result').waitFor({ state: 'visible' });
  assert.equal(job.result.where, 'local');
  assert.match(job.result.downloadUrl, /^blob:/);
  await popup.locator('[data-testid="where"][data-where="local"]').waitFor();
  assert.equal(await popup.getByTestId('where').textContent(), await browser.control.evaluate(() => chrome.i18n.getMessage('whereLocalDone')));

  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.basename(saved), `tone-440hz-3s.${ORIGINAL.ext}`, 'named after the picked file');
  await checkAudio(saved, { codec: ORIGINAL.codec, seconds: 3, freq: 440 });
  await screenshot(popup, 'local-done');

  // Saved: the runner lets the bytes go, and a second download says where the file already is.
  const released = await browser.waitForJobs((jobs) => jobs.find((j) => j.id === job.id && j.result.released), { what: 'the release' });
  assert.ok(released);
  await popup.getByTestId('download').click();
  await popup.getByTestId('error').filter({ hasText: await browser.control.evaluate(() => chrome.i18n.getMessage('errorLocalSaved')) }).waitFor();
  await popup.close();
});

/** The tone's frequency in `file` between `from` and `to` seconds (zero crossings at 8 kHz). */
async function frequencyBetween(file, from, to) {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-ss', String(from), '-t', String(to - from), '-i', file, '-ac', '1', '-ar', '8000', '-f', 's16le', '-'], { encoding: 'buffer', maxBuffer: 16 << 20 });
  const samples = new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings++;
  return crossings / 2 / (samples.length / 8000);
}

test('a longer picked file to MP3 is encoded in parts by the encoder workers, each part where it belongs', async () => {
  // 14 s at the default request (VBR MP3): six parts of 2.5 s over the encoder workers. The
  // sound glides from 200 Hz up by 40 Hz a second, so a part out of place is heard at the wrong
  // pitch. (Whether a part's buffer is reused depends on timing; the wasm test pcm_buffers.rs
  // checks the reuse itself.)
  const video = path.join(work, 'glide-14s.mp4');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15:duration=14',
    '-f', 'lavfi', '-i', 'aevalsrc=0.5*sin(2*PI*(200*t+20*t*t)):s=44100:d=14',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-shortest', video]);
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('instruction').fill(DEFAULT.instruction);
  const job = await extractAndWait(popup);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.where, 'local', JSON.stringify(job));
  const saved = await browser.waitForDownload(job.id);
  const audio = await probeAudio(saved);
  assert.equal(audio.codec, 'mp3');
  assert.ok(Math.abs(audio.duration - 14) < 0.1, `duration ${audio.duration}`);
  for (const t of [1.5, 4, 6.5, 9, 11.5, 13]) {
    const heard = await frequencyBetween(saved, t - 0.25, t + 0.25);
    assert.ok(Math.abs(heard - (200 + 40 * t)) < 15, `at ${t} s the glide is at ${heard} Hz, not ${200 + 40 * t}`);
  }
  await popup.close();
});

test('a page video becomes an audio file made on this computer, with no server', async () => {
  const { page, popup } = await popupOnPageVideo();
  assert.equal(await popup.getByTestId('instruction').inputValue(), DEFAULT.instruction, 'the default request');
  const job = await extractAndWait(popup);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.where, 'local', JSON.stringify(job));
  await popup.getByTestId('result').waitFor({ state: 'visible' });
  assert.ok(job.fetched && job.fetched.received > 0 || job.state === 'done', 'the page bytes were read by the extension');
  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.basename(saved), `Local page.${DEFAULT.ext}`, 'named after the page title');
  await checkAudio(saved, { codec: DEFAULT.codec, seconds: 3, freq: 440 });
  await popup.close();
  await page.close();
});

test('a picked file re-encoded to M4A (AAC) at a bitrate, trimmed, on this computer with no server', async () => {
  const video = await makeVideo(work, { seconds: 4, freq: 440, name: 'aac-source.mp4' });
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('instruction').fill('Extract the audio as M4A at 96 kbps from 0:01 to 0:03');
  const job = await extractAndWait(popup);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.where, 'local', JSON.stringify(job));
  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.extname(saved), '.m4a');
  await checkAudio(saved, { codec: 'aac', seconds: 2, freq: 440 });
  const kbps = (fs.statSync(saved).size * 8) / (await probeAudio(saved)).duration / 1000;
  assert.ok(kbps > 70 && kbps < 125, `about the 96 kbit/s asked: ${kbps}`);
  await popup.close();
});

test('a job the engine cannot do, with no server: one sentence with the next step', async () => {
  // AC-3 sound: a codec the engine leaves to the server's ffmpeg.
  const video = path.join(work, 'ac3.mp4');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:a', 'ac3', '-b:a', '96k', video]);
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('start').click();
  await popup.getByTestId('error').waitFor({ state: 'visible', timeout: 30_000 });
  const [job] = await browser.jobs();
  const done = await ended(job.id);
  assert.equal(done.state, 'error');
  assert.equal(done.where, 'server', 'the engine sent it to the server');
  assert.ok(done.serverReason, 'and recorded why');
  assert.equal(done.error.code, 'needs_server_unreachable');
  // The sentence: why (the engine's reason), then how to get a server (./build.sh run or Options).
  const expected = await browser.control.evaluate(
    ([reason, url]) => chrome.i18n.getMessage('errorNeedsServerLocal', [reason, url]),
    [done.serverReasonText || '', nowhere],
  );
  if (done.serverReasonText) assert.equal(await popup.getByTestId('error').textContent(), expected);
  const said = await popup.getByTestId('error').textContent();
  assert.match(said, /\.\/build\.sh run/);
  assert.equal(said.match(/Options/g)?.length, 1, `the next step is said once: ${said}`);
  assert.equal(await popup.locator('[data-testid="where"]').getAttribute('data-reason'), done.serverReason);
  await screenshot(popup, 'local-needs-server');
  await popup.close();
});

test('progress from the engine is shown, and Cancel stops the job on this computer', async () => {
  // Five minutes of AAC sound, made into MP3: long enough to be caught mid-job.
  const long = path.join(work, 'long.mp4');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=300',
    '-c:a', 'aac', '-b:a', '64k', long]);
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(long);
  await popup.getByTestId('instruction').fill(DEFAULT.instruction);
  const before = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  const running = await browser.waitForJobs(
    (jobs) => jobs.find((j) => !before.has(j.id) && j.state === 'processing' && j.engine && j.engine.secondsDone > 0),
    { what: 'progress from the engine' },
  );
  assert.equal(running.where, 'local');
  assert.equal(running.stage, 'local');
  assert.ok(running.engine.secondsTotal > 299 && running.engine.secondsDone < running.engine.secondsTotal, JSON.stringify(running.engine));
  await popup.locator('[data-testid="where"][data-where="local"]').waitFor();
  const shown = await popup.locator('#progress-text').textContent();
  assert.match(shown, /\d+%/, shown);
  await popup.getByTestId('cancel').click();
  await popup.locator('#progress-text').filter({ hasText: await browser.control.evaluate(() => chrome.i18n.getMessage('stateCancelled')) }).waitFor();

  // Jobs run one at a time: once the next one is saved, the cancelled one is over for good.
  await popup.getByTestId('file-input').setInputFiles(await makeVideo(work, { seconds: 1, freq: 660 }));
  await popup.getByTestId('instruction').fill(ORIGINAL.instruction);
  const next = await extractAndWait(popup);
  assert.equal(next.state, 'done', JSON.stringify(next.error));
  await browser.waitForDownload(next.id);
  const cancelled = (await browser.jobs()).find((j) => j.id === running.id);
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.result, undefined, 'no result was recorded');
  assert.equal(cancelled.download, undefined, 'nothing was downloaded');
  await popup.close();
});

// Opus is encoded by the browser's WebCodecs AudioEncoder (Chromium has it; no AAC there), fed
// PCM by the engine, whose Ogg muxer writes the file: its length is held to one 20 ms frame.
const OPUS_FRAME = 0.02;

async function checkOpus(file, { seconds, freq }) {
  const audio = await probeAudio(file);
  assert.equal(audio.codec, 'opus');
  assert.equal(audio.format, 'ogg');
  assert.equal(audio.sampleRate, 48000);
  assert.ok(Math.abs(audio.duration - seconds) <= OPUS_FRAME, `duration ${audio.duration}, expected ${seconds}`);
  const heard = await dominantFrequency(file);
  assert.ok(Math.abs(heard - freq) < 10, `the tone is ${heard} Hz`);
}

test('a picked file with AAC sound becomes Opus on this computer (the browser encodes it), with no server', async () => {
  const video = await makeVideo(work, { seconds: 3, freq: 440 });
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(video);
  await popup.getByTestId('instruction').fill('Extract the audio as Opus');
  const job = await extractAndWait(popup);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.where, 'local', JSON.stringify(job));
  assert.equal(job.serverReason, undefined);
  assert.equal(job.result.copied, false);
  await popup.locator('[data-testid="where"][data-where="local"]').waitFor();
  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.extname(saved), '.opus');
  await checkOpus(saved, { seconds: 3, freq: 440 });
  await popup.close();
});

test('a page video made into a trimmed Opus at a bitrate on this computer, with no server', async () => {
  const { page, popup } = await popupOnPageVideo();
  await popup.getByTestId('instruction').fill('Extract the audio as Opus at 64 kbps from 0:01 to 0:03');
  const job = await extractAndWait(popup);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.where, 'local', JSON.stringify(job));
  const saved = await browser.waitForDownload(job.id);
  assert.equal(path.extname(saved), '.opus');
  await checkOpus(saved, { seconds: 2, freq: 440 });
  const kbps = (fs.statSync(saved).size * 8) / 2 / 1000;
  assert.ok(kbps > 40 && kbps < 90, `about the 64 kbit/s asked: ${kbps}`);
  await popup.close();
  await page.close();
});

test('Cancel stops an Opus job on this computer, encoder and all', async () => {
  const long = path.join(work, 'long-opus.mp4');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=300',
    '-c:a', 'aac', '-b:a', '64k', long]);
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(long);
  await popup.getByTestId('instruction').fill('Extract the audio as Opus');
  const before = new Set((await browser.jobs()).map((j) => j.id));
  await popup.getByTestId('start').click();
  const running = await browser.waitForJobs(
    (jobs) => jobs.find((j) => !before.has(j.id) && j.state === 'processing' && j.engine && j.engine.secondsDone > 0),
    { what: 'progress from the engine' },
  );
  assert.equal(running.where, 'local');
  assert.ok(running.engine.secondsDone < running.engine.secondsTotal, JSON.stringify(running.engine));
  await popup.getByTestId('cancel').click();
  const cancelled = await ended(running.id);
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.result, undefined, 'no result was recorded');
  // The next Opus job gets a fresh worker and encoder, and finishes.
  await popup.getByTestId('file-input').setInputFiles(await makeVideo(work, { seconds: 1, freq: 660 }));
  await popup.getByTestId('instruction').fill('Extract the audio as Opus');
  const next = await extractAndWait(popup);
  assert.equal(next.state, 'done', JSON.stringify(next.error));
  await checkOpus(await browser.waitForDownload(next.id), { seconds: 1, freq: 660 });
  await popup.close();
});
