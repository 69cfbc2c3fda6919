/**
 * engine-worker.js — the in-browser engine, in a dedicated module worker started by the job
 * runner (engine-client.js). One worker per job: a fresh wasm instance each time, so nothing a
 * job leaves behind (or a panic, which aborts the module) reaches the next.
 *
 * The engine is synchronous (it reads the Blob with FileReaderSync, which only workers have);
 * this loop runs its steps for a short slice, then yields to the event loop so that a "cancel"
 * message is seen, and posts progress at most every PROGRESS_EVERY_MS.
 *
 * Opus is encoded by the browser (WebCodecs AudioEncoder, asked about once per job): the engine
 * hands out its processed 48 kHz PCM after each step (takePcm), the encoder's packets go back
 * to it as they come (pushEncoded), and once the engine says "flush" the encoder is flushed and
 * the engine ends the Ogg Opus file (finishEncoded). Granules, pre-skip and the end trim are the
 * engine's (crates/engine/src/mux/ogg_opus.rs); this file only moves bytes and timestamps.
 *
 * MP3, AAC and FLAC are encoded by the engine itself in other workers (engine-encoder.js, more
 * wasm instances) when the browser lets a worker start them, so the encoding runs on other
 * cores while this one reads and decodes. A VBR MP3 (the default) is cut into parts that up to
 * one worker per core encode at once; their frames come back here (pushPart) and this instance
 * writes the file (finishParts). Other formats go to one worker as PCM blocks, and its file
 * ends the job (finishOutboard). Without workers, this instance encodes.
 *
 * runner → worker  {type: 'run', blob, spec, language}    spec: intent.spec from understand()
 *                  {type: 'cancel'}
 * worker → runner  {type: 'needs-server', reason, probe}  reason = {key, args, message, ...}
 *                  {type: 'progress', progress: {bytesRead, bytesTotal, secondsDone, secondsTotal}}
 *                  {type: 'done', blob, outcome}          outcome = {extension, mime, duration,
 *                                                                    size, copied, inexactCut}
 *                  {type: 'error', error}                 error = {key, args, message, serverCanTry,
 *                                                                  recoverable}
 *                  {type: 'cancelled'}
 */
import init, { EngineJob } from './engine/v2a_engine_wasm.js';

/** Least time between two progress posts (the runner writes each one to storage). */
const PROGRESS_EVERY_MS = 200;
/** Longest run of steps between two yields: short enough that a cancel is seen at once. */
const SLICE_MS = 25;
/** PCM blocks (a step's worth each, about 2 s) the encoder outside (the browser's, or the
 * second worker) may have queued before the engine waits for it: bounds memory whatever the
 * file's length. */
const MAX_ENCODE_QUEUE = 4;

let cancelled = false;

/** Yields to the event loop without setTimeout's 4 ms clamp for nested timers. */
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

/** The engine's error shape, from whatever was thrown (a wasm trap is a RuntimeError). */
function asFailure(e) {
  if (e && typeof e === 'object' && typeof e.key === 'string') return e;
  const detail = String((e && e.message) || e);
  return {
    name: 'EngineError',
    key: 'EngineFailed',
    args: { detail },
    // No sentence: the runner words the key in the person's language (the client wasm's `say`).
    message: '',
    serverCanTry: true,
    recoverable: true,
  };
}

/**
 * Frees a buffer now rather than when this worker's garbage collector gets to it: moved into a
 * message on a closed port, it is dropped with the message. The engine copies each window it
 * is given (`provide`) into its own memory, so the window's buffer can go at once. On the
 * 3-minute clip (bench/engine-speed.mjs, 3 runs each, alternating) that took the browser's
 * growth from 98–158 to 71–79 MB for the MP3 and from 76–126 to 54–58 MB for the copy, at the
 * same speed; the windows' buffers, ~250 MB of them a pass, had waited for the collector.
 */
const disposal = new MessageChannel();
disposal.port2.close();
function dispose(buffer) {
  try {
    disposal.port1.postMessage(null, [buffer]);
  } catch {
    // Already moved or detached.
  }
}

/**
 * Fetches the windows of the file the engine will read next, asynchronously and several at
 * once (the engine's own reads are synchronous, one at a time): they arrive while it decodes
 * and encodes, and it reads itself only what they do not hold (crates/engine-wasm/src/source.rs
 * has the figures). A failed fetch is left to the engine's own read, which says why.
 */
function fetchAhead(job, blob, inFlight, open) {
  for (;;) {
    const next = job.nextWindow(inFlight.length);
    if (!next) return;
    const [start, end] = next;
    const read = blob.slice(start, end).arrayBuffer().then(
      (bytes) => {
        if (open()) job.provide(start, bytes);
        dispose(bytes);
      },
      () => {},
    ).finally(() => inFlight.splice(inFlight.indexOf(read), 1));
    inFlight.push(read);
  }
}

/**
 * What this browser offers the engine: whether WebCodecs encodes Opus here, and whether a
 * second worker can run the engine's encoder (a worker that may start workers, on a computer
 * with a second core).
 */
async function hostEncoders() {
  const encoderWorker = typeof Worker === 'function' && (navigator.hardwareConcurrency || 1) >= 2;
  if (typeof AudioEncoder === 'undefined') return { opusEncoder: false, encoderWorker };
  try {
    const { supported } = await AudioEncoder.isConfigSupported({ codec: 'opus', sampleRate: 48000, numberOfChannels: 2 });
    return { opusEncoder: Boolean(supported), encoderWorker };
  } catch {
    return { opusEncoder: false, encoderWorker };
  }
}

/**
 * Encoder workers at most: one per core, as many as a VBR MP3's parts can keep busy. The
 * engine's own worker decodes at about six times the encoders' speed, so it shares a core.
 */
const MAX_ENCODER_WORKERS = 4;
/** Parts a worker may have in hand (one encoding, one waiting): bounds memory. */
const PARTS_PER_WORKER = 2;

/**
 * The engine's own encoder in other workers (engine-encoder.js), for a job whose
 * `hostEncoder` is {codec: 'engine'}: the same feed/drain/flush/close as browserEncoder, plus
 * feedPart for a VBR MP3's parts, which go to whichever worker has the fewest and come back to
 * the job (pushPart) in the loop's own turn. flush resolves to the one worker's file, {blob,
 * size}, or, for parts, to {parts: true} once all are back. Failures are thrown at the next
 * call.
 */
function engineEncoders(job, language) {
  const workers = [];
  let failure;
  let made;
  /** Parts encoded and not yet given to the job. */
  const back = [];
  /** Part buffers the workers gave back, for takePart to fill again. */
  const spare = [];
  let wake = () => {};
  // Woken by the workers' messages, and every 50 ms: a cancel, or a worker that ended without
  // a word, is seen without them.
  const changed = () => new Promise((resolve) => {
    wake = resolve;
    setTimeout(resolve, 50);
  });
  function start() {
    const worker = new Worker(new URL('./engine-encoder.js', import.meta.url), { type: 'module' });
    const w = { worker, queued: 0 };
    worker.onmessage = ({ data: m }) => {
      if (!m || typeof m !== 'object') return;
      if (m.type === 'encoded' || m.type === 'part') w.queued -= 1;
      if (m.type === 'part') back.push(m);
      else if (m.type === 'finished') made = { blob: m.blob, size: m.size };
      else if (m.type === 'error') failure ??= asFailure(m.error);
      // The PCM's buffer, back for takePart/takePcm to fill again.
      const given = m.samples || m.data;
      if (given instanceof ArrayBuffer) spare.push(new Float32Array(given));
      wake();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failure ??= asFailure(event.message || event.type);
      wake();
    };
    worker.postMessage({ type: 'open', spec: job.outboardSpec, language, module: engineModule });
    workers.push(w);
    return w;
  }
  const most = Math.max(1, Math.min(MAX_ENCODER_WORKERS, navigator.hardwareConcurrency || 1));
  /** Whether the job hands out parts (a VBR MP3) rather than the whole file's blocks. */
  let parts = false;
  const queued = () => workers.reduce((n, w) => n + w.queued, 0);
  function settle() {
    if (failure) throw failure;
    for (const m of back.splice(0)) {
      job.pushPart(m.index, m.bytes, m.lengths);
      dispose(m.bytes.buffer);
    }
  }
  return {
    /**
     * A buffer for takePart/takePcm to fill, if one came back. It stays in the pool until it
     * is sent on (which empties it: a moved buffer has no length), so a take that finds no
     * PCM loses nothing.
     */
    spare() {
      while (spare.length && spare[spare.length - 1].length === 0) spare.pop();
      return spare[spare.length - 1];
    },
    feed({ data }) {
      if (failure) throw failure;
      const w = workers[0] || start();
      // The block's buffer is its own (copied out of wasm memory): moved, not copied again.
      w.worker.postMessage({ type: 'encode', data }, [data.buffer]);
      w.queued += 1;
    },
    feedPart({ index, preroll, samples, last }) {
      settle();
      parts = true;
      const idle = workers.find((w) => w.queued === 0);
      const w = idle || (workers.length < most ? start() : workers.reduce((a, b) => (b.queued < a.queued ? b : a)));
      w.worker.postMessage({ type: 'part', index, preroll, samples, last }, [preroll.buffer, samples.buffer]);
      w.queued += 1;
    },
    async drain() {
      settle();
      // One worker takes the whole file's blocks; parts fill every worker (a step cuts one at
      // most, so each has at most PARTS_PER_WORKER).
      const full = () => (parts ? queued() >= PARTS_PER_WORKER * most : queued() > MAX_ENCODE_QUEUE);
      while (full() && !failure && !cancelled) {
        await changed();
        settle();
      }
    },
    async flush() {
      settle();
      if (parts) {
        while (queued() > 0 && !failure && !cancelled) {
          await changed();
          settle();
        }
        settle();
        return { parts: true };
      }
      // The one worker ends the file (started now if the job gave no sound at all).
      (workers[0] || start()).worker.postMessage({ type: 'finish' });
      while (!made && !failure && !cancelled) await changed();
      if (failure) throw failure;
      return made;
    },
    close() {
      for (const w of workers) w.worker.terminate();
    },
  };
}

/**
 * The browser's encoder for `job`'s output (`config` = job.hostEncoder: {codec, bitrate}),
 * configured at the first PCM block (the engine's channel count). Its packets go straight back
 * to the engine; a failure is thrown at the next feed or flush.
 */
function browserEncoder(job, { codec, bitrate }) {
  let encoder;
  let failure;
  const output = (chunk, meta) => {
    try {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      const d = meta && meta.decoderConfig && meta.decoderConfig.description;
      const description = d ? (ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d)) : undefined;
      job.pushEncoded(bytes, chunk.timestamp, description);
    } catch (e) {
      failure ??= e;
    }
  };
  return {
    feed({ data, channels, sampleRate, timestamp }) {
      if (failure) throw failure;
      if (!encoder) {
        encoder = new AudioEncoder({ output, error: (e) => { failure ??= e; } });
        encoder.configure({ codec, sampleRate, numberOfChannels: channels, bitrate });
      }
      const audio = new AudioData({
        format: 'f32', sampleRate, numberOfChannels: channels, numberOfFrames: data.length / channels, timestamp, data,
      });
      encoder.encode(audio);
      audio.close();
    },
    /** Resolves once the encoder's queue is short again. */
    async drain() {
      while (encoder && encoder.state === 'configured' && encoder.encodeQueueSize > MAX_ENCODE_QUEUE && !cancelled && !failure) {
        // An encoder that fails closes without a dequeue event: look again every 50 ms.
        await new Promise((resolve) => {
          const done = () => {
            encoder.removeEventListener('dequeue', done);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(done, 50);
          encoder.addEventListener('dequeue', done);
        });
      }
      if (failure) throw failure;
    },
    async flush() {
      if (failure) throw failure;
      try {
        if (encoder) await encoder.flush();
      } catch (e) {
        // A closed encoder's flush rejects with InvalidStateError; its own error says why.
        throw failure ?? e;
      }
      if (failure) throw failure;
    },
    close() {
      if (encoder && encoder.state !== 'closed') encoder.close();
    },
  };
}

/**
 * The engine's module, compiled once here and handed to the encoder workers, which would each
 * fetch and compile it again: on the 3-minute MP3 with two encoder workers that took the
 * browser's growth from a median of 164 to 140 MB and its CPU from 4.6 to 4.1 s
 * (bench/engine-speed.mjs, 4 runs each, alternating). Compiled from the bytes where the
 * extension serves .wasm without its MIME type.
 */
const WASM_URL = new URL('./engine/v2a_engine_wasm_bg.wasm', import.meta.url);
let engineModule;
async function compileEngine() {
  try {
    return await WebAssembly.compileStreaming(fetch(WASM_URL));
  } catch {
    return WebAssembly.compile(await (await fetch(WASM_URL)).arrayBuffer());
  }
}

async function run({ blob, spec, language }) {
  engineModule = await compileEngine();
  await init({ module_or_path: engineModule });
  let job;
  let encoder;
  let finished = false;
  try {
    job = EngineJob.open(blob, spec, language || 'en', await hostEncoders());
    const reason = job.needsServer;
    if (reason) {
      postMessage({ type: 'needs-server', reason, probe: job.probe });
      return;
    }
    const inFlight = [];
    const wanted = job.hostEncoder;
    if (wanted) encoder = wanted.codec === 'engine' ? engineEncoders(job, language || 'en') : browserEncoder(job, wanted);
    let lastPost = 0;
    let sliceStart = performance.now();
    for (;;) {
      if (cancelled) {
        postMessage({ type: 'cancelled' });
        return;
      }
      fetchAhead(job, blob, inFlight, () => !finished);
      // Nothing in hand: the next step would read what is already on its way.
      if (inFlight.length && job.starved) {
        await inFlight[0];
        sliceStart = performance.now();
        continue;
      }
      const step = job.step();
      for (let block; encoder && (block = job.takePcm(encoder.spare?.()));) encoder.feed(block);
      for (let part; encoder && (part = job.takePart(encoder.spare?.()));) encoder.feedPart(part);
      if (step.kind === 'done') {
        postMessage({ type: 'done', blob: step.blob, outcome: step.outcome });
        return;
      }
      const now = performance.now();
      if (now - lastPost >= PROGRESS_EVERY_MS || step.kind === 'flush') {
        lastPost = now;
        const { bytesRead, bytesTotal, secondsDone, secondsTotal } = step;
        postMessage({ type: 'progress', progress: { bytesRead, bytesTotal, secondsDone, secondsTotal } });
      }
      if (step.kind === 'flush') {
        // The encoder worker's file, or every part back, or (the browser's encoder having given
        // its packets) nothing.
        const made = await encoder.flush();
        if (cancelled) continue;
        let done;
        if (made && made.parts) done = job.finishParts();
        else if (made) done = job.finishOutboard(made.blob, made.size);
        else done = job.finishEncoded();
        postMessage({ type: 'done', blob: done.blob, outcome: done.outcome });
        return;
      }
      if (encoder) await encoder.drain();
      if (now - sliceStart >= SLICE_MS) {
        await yieldNow();
        sliceStart = performance.now();
      }
    }
  } finally {
    finished = true;
    // A cancelled or failed job leaves no encoder running.
    try {
      encoder?.close();
    } catch {
      // Already closed by its own error.
    }
    try {
      job?.free();
    } catch {
      // A module that aborted cannot free; the worker ends with the job anyway.
    }
  }
}

self.onmessage = (event) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'cancel') {
    cancelled = true;
  } else if (m.type === 'run') {
    run(m).catch((e) => postMessage({ type: 'error', error: asFailure(e) }));
  }
};
