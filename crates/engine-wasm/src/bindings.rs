//! The JavaScript surface: `EngineJob.open(blob, spec, language, host)`, then `job.step()` until
//! it returns `{kind: "done"}`; a job whose Opus the browser encodes also hands PCM out
//! (`takePcm`), takes the encoder's packets back (`pushEncoded`) and, after `{kind: "flush"}`,
//! ends with `finishEncoded()`; one whose encoder runs in a second worker hands the same PCM
//! out and ends with `finishOutboard(blob, size)`, and a VBR MP3 encoded by several hands out
//! parts (`takePart`), takes their frames back (`pushPart`) and ends with `finishParts()`
//! ([`crate::encoder`]). See
//! `extension/engine-worker.js` for the loop that drives it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Object, Reflect, Uint8Array};
use serde_json::{json, Value};
use v2a_engine::job::{Job, Opened, Outcome, Progress, Step};
use v2a_engine::plan::Host;
use v2a_engine::{EngineError, Probe};
use v2a_protocol::{ExtractionSpec, Lang};
use wasm_bindgen::prelude::*;
use web_sys::Blob;

use crate::error::Failure;
use crate::pcm::filled;
use crate::sink::BlobSink;
use crate::source::{Ahead, BlobSource};

/// Windows fetched ahead at most, held or in flight: each is one of the engine's runs of
/// samples, ≤ `v2a_engine::demux::WINDOW_BYTES` of the file, held in this module's memory until
/// used (the figures are at that constant).
const AHEAD_WINDOWS: usize = 2;

/// Panics show up in the worker's console with their message (the module aborts on panic: the
/// worker reports the job failed, and the next job gets a fresh worker).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// One extraction on this computer.
#[wasm_bindgen]
pub struct EngineJob {
    job: Option<Job>,
    probe: Probe,
    needs_server: Option<Failure>,
    sink: BlobSink,
    lang: Lang,
    ahead: Rc<RefCell<Ahead>>,
    /// The job's pass over the input when the windows held were planned.
    pass: u32,
    /// Starts of this pass's windows handed out and not yet provided. One that arrives after its
    /// pass ended is not among them and is dropped: held, it would take a slot of
    /// [`AHEAD_WINDOWS`] that no read of the new pass ever frees.
    fetching: Vec<u64>,
}

#[wasm_bindgen]
impl EngineJob {
    /// Reads `blob`'s index and plans `spec` (the plain object the client's `understand` gives
    /// as `intent.spec`) on it. `language` is the browser's ("zh-CN"), for the sentences.
    /// `host` says what the browser offers: `opusEncoder: true` when WebCodecs encodes Opus
    /// here (the worker asks `AudioEncoder.isConfigSupported`), `encoderWorker: true` when a
    /// second worker may run the engine's encoder (`EncoderJob`); absent, neither.
    /// Throws `{name: "EngineError", key, args, message, serverCanTry, recoverable}`.
    pub fn open(
        blob: Blob,
        spec: JsValue,
        language: &str,
        host: JsValue,
    ) -> Result<EngineJob, JsValue> {
        let lang = v2a_protocol::Lang::from_tag(language).unwrap_or(v2a_protocol::Lang::En);
        let spec = parse_spec(&spec).map_err(|f| throw(&f, lang))?;
        let offered = |name: &str| {
            Reflect::get(&host, &name.into())
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        };
        let host = Host {
            opus_encoder: offered("opusEncoder"),
            outboard_encoder: offered("encoderWorker"),
        };
        let ahead = Rc::new(RefCell::new(Ahead::default()));
        let source = BlobSource::new(blob, ahead.clone()).map_err(|e| fail(&e, lang))?;
        let (job, probe, needs_server) = match Job::open_on(Box::new(source), &spec, &host) {
            Ok(Opened::Ready(job)) => {
                let probe = job.probe().clone();
                (Some(job), probe, None)
            }
            Ok(Opened::NeedsServer(probe, why)) => (None, probe, Some(Failure::needs_server(&why))),
            Err(e) => return Err(fail(&e, lang)),
        };
        let pass = job_pass(&job);
        Ok(EngineJob {
            job,
            probe,
            needs_server,
            sink: BlobSink::new(),
            lang,
            pass,
            ahead,
            fetching: Vec::new(),
        })
    }

    /// The next window of the file to fetch ahead, `[start, end]` in bytes, for
    /// `blob.slice(start, end).arrayBuffer()` then [`EngineJob::provide`]; `undefined` when
    /// none is due (all planned, or `inFlight` and the windows held reach the limit).
    #[wasm_bindgen(js_name = nextWindow)]
    pub fn next_window(&mut self, in_flight: u32) -> JsValue {
        let Some(job) = self.job.as_mut() else {
            return JsValue::UNDEFINED;
        };
        let mut ahead = self.ahead.borrow_mut();
        if job.pass() != self.pass {
            // A new pass reads from the start: what is held belongs to the last one's end.
            self.pass = job.pass();
            ahead.windows.clear();
            self.fetching.clear();
        }
        if ahead.windows.len() + in_flight as usize >= AHEAD_WINDOWS {
            return JsValue::UNDEFINED;
        }
        match job.window_ahead() {
            Some((lo, hi)) => {
                self.fetching.push(lo);
                // Offsets below 2^53 (Blob sizes), so exact as numbers.
                to_js(&json!([lo, hi]))
            }
            None => JsValue::UNDEFINED,
        }
    }

    /// Hands over the bytes of a window from [`EngineJob::next_window`] at `start`: copied, so
    /// the caller may free `bytes` right after.
    pub fn provide(&mut self, start: f64, bytes: &ArrayBuffer) {
        let start = start.max(0.0) as u64;
        let Some(i) = self.fetching.iter().position(|&lo| lo == start) else {
            return;
        };
        self.fetching.swap_remove(i);
        if self.job.is_some() {
            self.ahead
                .borrow_mut()
                .windows
                .push((start, Uint8Array::new(bytes).to_vec()));
        }
    }

    /// Whether the next step must wait for the windows in flight rather than read itself: no
    /// packet in hand and no window held.
    #[wasm_bindgen(getter)]
    pub fn starved(&self) -> bool {
        self.job.as_ref().is_some_and(|j| {
            j.buffered() < STARVED_PACKETS && self.ahead.borrow().windows.is_empty()
        })
    }

    /// Why this job needs the server (`{key, args, message, serverCanTry: true}`), or
    /// `undefined` when it can run here.
    #[wasm_bindgen(getter, js_name = needsServer)]
    pub fn needs_server(&self) -> JsValue {
        match &self.needs_server {
            Some(f) => to_js(&f.to_json(self.lang)),
            None => JsValue::UNDEFINED,
        }
    }

    /// What the input holds: `{container, duration, hasVideo, tracks: [{index, codec,
    /// sampleRate, channels, language}]}`.
    #[wasm_bindgen(getter)]
    pub fn probe(&self) -> JsValue {
        to_js(&probe_json(&self.probe))
    }

    /// Does a bounded amount of work. Returns `{kind: "working", bytesRead, bytesTotal,
    /// secondsDone, secondsTotal}`, `{kind: "flush", ...the same}` once all the sound is given
    /// to the browser's encoder, or, at the end, `{kind: "done", blob, outcome: {extension,
    /// mime, duration, size, copied, inexactCut: [start, end] | null}}`.
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let lang = self.lang;
        let job = self.job.as_mut().ok_or_else(not_running(lang))?;
        match job.step(&mut self.sink).map_err(|e| fail(&e, lang))? {
            Step::Working(p) => Ok(to_js(&progress_json("working", &p))),
            Step::Flush(p) => Ok(to_js(&progress_json("flush", &p))),
            Step::Done(outcome) => self.done(&outcome),
        }
    }

    /// `{codec: "opus", bitrate}` (bit/s) when the browser's encoder makes this job's output;
    /// `{codec: "engine"}` when other workers' `EncoderJob`s do (the whole file from
    /// `takePcm`'s blocks, or a VBR MP3's parts from `takePart`); `undefined` otherwise (this
    /// instance writes the file).
    #[wasm_bindgen(getter, js_name = hostEncoder)]
    pub fn host_encoder(&self) -> JsValue {
        let Some(job) = self.job.as_ref() else {
            return JsValue::UNDEFINED;
        };
        match job.host_bitrate() {
            Some(bitrate) => to_js(&json!({"codec": "opus", "bitrate": bitrate})),
            None if job.encodes_outboard() => to_js(&json!({"codec": "engine"})),
            None => JsValue::UNDEFINED,
        }
    }

    /// The encoder for the other workers' `EncoderJob.open`, as text, once the first PCM block
    /// or part is out; `undefined` before, or when this instance encodes.
    #[wasm_bindgen(getter, js_name = outboardSpec)]
    pub fn outboard_spec(&self) -> Option<String> {
        Some(self.job.as_ref()?.outboard_spec()?.to_text())
    }

    /// The next part of a VBR MP3 for an `EncoderJob.encodePart` in another worker: `{index,
    /// preroll: Float32Array, samples: Float32Array, last}`, or `undefined`. Taken after every
    /// step. `reuse`, a `Float32Array` an encoder worker gave back, holds the samples when it
    /// is long enough (`samples` is then a view of it): a part's ~0.9 MB is not a new buffer
    /// for the garbage collector each time.
    #[wasm_bindgen(js_name = takePart)]
    pub fn take_part(&mut self, reuse: Option<js_sys::Float32Array>) -> Result<JsValue, JsValue> {
        let Some(part) = self.running()?.take_part() else {
            return Ok(JsValue::UNDEFINED);
        };
        let out = to_js(&json!({"index": part.index, "last": part.last}));
        let preroll = js_sys::Float32Array::from(part.preroll.as_slice());
        let samples = filled(reuse, &part.samples);
        Reflect::set(&out, &"preroll".into(), &preroll)?;
        Reflect::set(&out, &"samples".into(), &samples)?;
        Ok(out)
    }

    /// Part `index`'s frames (`bytes`) and their lengths, as `EncoderJob.encodePart` gave
    /// them, in any order: written to the file once the parts before it are.
    #[wasm_bindgen(js_name = pushPart)]
    pub fn push_part(
        &mut self,
        index: u32,
        bytes: Vec<u8>,
        lengths: Vec<u32>,
    ) -> Result<(), JsValue> {
        let lang = self.lang;
        let job = self.job.as_mut().ok_or_else(not_running(lang))?;
        job.push_part(index, bytes, lengths, &mut self.sink)
            .map_err(|e| fail(&e, lang))
    }

    /// Ends the file once every part is back (after `{kind: "flush"}`): the same `{kind:
    /// "done", blob, outcome}` as `step`'s.
    #[wasm_bindgen(js_name = finishParts)]
    pub fn finish_parts(&mut self) -> Result<JsValue, JsValue> {
        let lang = self.lang;
        let job = self.job.as_mut().ok_or_else(not_running(lang))?;
        let outcome = job
            .finish_parts(&mut self.sink)
            .map_err(|e| fail(&e, lang))?;
        self.done(&outcome)
    }

    /// Ends the job once the second worker's `EncoderJob.finish()` gave the file (`blob`,
    /// `size` bytes): the same `{kind: "done", blob, outcome}` as `step`'s.
    #[wasm_bindgen(js_name = finishOutboard)]
    pub fn finish_outboard(&mut self, blob: &Blob, size: f64) -> Result<JsValue, JsValue> {
        let lang = self.lang;
        let job = self.job.as_mut().ok_or_else(not_running(lang))?;
        let outcome = job
            .finish_outboard(size.max(0.0) as u64)
            .map_err(|e| fail(&e, lang))?;
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(outcome.mime);
        let typed = Blob::new_with_blob_sequence_and_options(&js_sys::Array::of1(blob), &options)
            .map_err(|e| fail(&EngineError::Write(crate::source::js_text(&e)), lang))?;
        self.job = None;
        let done = to_js(&json!({"kind": "done", "outcome": outcome_json(&outcome)}));
        Reflect::set(&done, &"blob".into(), &typed)?;
        Ok(done)
    }

    /// The PCM for the encoder outside the last steps made: `{data: Float32Array`
    /// (interleaved), `channels, sampleRate, timestamp}` (µs), or `undefined`. `reuse` as for
    /// `takePart`.
    #[wasm_bindgen(js_name = takePcm)]
    pub fn take_pcm(&mut self, reuse: Option<js_sys::Float32Array>) -> Result<JsValue, JsValue> {
        let Some(block) = self.running()?.take_pcm() else {
            return Ok(JsValue::UNDEFINED);
        };
        let out = to_js(&json!({
            "channels": block.channels,
            "sampleRate": block.sample_rate,
            "timestamp": block.timestamp(),
        }));
        Reflect::set(&out, &"data".into(), &filled(reuse, &block.samples))?;
        Ok(out)
    }

    /// One packet of the browser's encoder, in order: its bytes, timestamp (µs) and the
    /// encoder's `decoderConfig.description` (OpusHead) when it gave one.
    #[wasm_bindgen(js_name = pushEncoded)]
    pub fn push_encoded(
        &mut self,
        data: &[u8],
        timestamp: f64,
        description: Option<Vec<u8>>,
    ) -> Result<(), JsValue> {
        let lang = self.lang;
        let job = self.job.as_mut().ok_or_else(not_running(lang))?;
        job.push_encoded(data, timestamp, description.as_deref(), &mut self.sink)
            .map_err(|e| fail(&e, lang))
    }

    /// Ends the file once the browser's encoder is flushed (after `{kind: "flush"}`): the same
    /// `{kind: "done", blob, outcome}` as `step`'s.
    #[wasm_bindgen(js_name = finishEncoded)]
    pub fn finish_encoded(&mut self) -> Result<JsValue, JsValue> {
        let lang = self.lang;
        let job = self.job.as_mut().ok_or_else(not_running(lang))?;
        let outcome = job
            .finish_encoded(&mut self.sink)
            .map_err(|e| fail(&e, lang))?;
        self.done(&outcome)
    }
}

impl EngineJob {
    fn running(&mut self) -> Result<&mut Job, JsValue> {
        let lang = self.lang;
        self.job.as_mut().ok_or_else(not_running(lang))
    }

    /// The finished file as a Blob, and the job let go.
    fn done(&mut self, outcome: &Outcome) -> Result<JsValue, JsValue> {
        let blob = self
            .sink
            .finish(outcome.mime)
            .map_err(|e| fail(&e, self.lang))?;
        self.job = None;
        let done = to_js(&json!({"kind": "done", "outcome": outcome_json(outcome)}));
        Reflect::set(&done, &"blob".into(), &blob)?;
        Ok(done)
    }
}

fn not_running(lang: Lang) -> impl Fn() -> JsValue {
    move || throw(&Failure::internal("this job cannot run here"), lang)
}

/// Fewer packets in hand than this and the next step probably reads: an encode step takes
/// 2 s of sound (~94 AAC packets), a copy step more.
const STARVED_PACKETS: usize = 128;

fn job_pass(job: &Option<Job>) -> u32 {
    job.as_ref().map_or(0, Job::pass)
}

fn parse_spec(spec: &JsValue) -> Result<ExtractionSpec, Failure> {
    let text = js_sys::JSON::stringify(spec)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Failure::internal("the request is not a plain object"))?;
    serde_json::from_str(&text).map_err(|e| Failure::internal(format!("the request: {e}")))
}

pub(crate) fn fail(e: &EngineError, lang: Lang) -> JsValue {
    throw(&Failure::from_error(e), lang)
}

pub(crate) fn throw(f: &Failure, lang: Lang) -> JsValue {
    to_js(&f.to_json(lang))
}

/// A JSON value as a plain JS object (through `JSON.parse`, which keeps the module small).
fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or_else(|_| Object::new().into())
}

fn probe_json(p: &Probe) -> Value {
    let tracks: Vec<Value> = p
        .tracks
        .iter()
        .map(|t| {
            json!({
                "index": t.index,
                "codec": format!("{:?}", t.codec),
                "sampleRate": t.sample_rate,
                "channels": t.channels,
                "language": t.language,
            })
        })
        .collect();
    json!({
        "container": format!("{:?}", p.container),
        "duration": p.duration,
        "hasVideo": p.has_video,
        "tracks": tracks,
    })
}

fn progress_json(kind: &str, p: &Progress) -> Value {
    json!({
        "kind": kind,
        "bytesRead": p.bytes_read,
        "bytesTotal": p.bytes_total,
        "secondsDone": p.seconds_done,
        "secondsTotal": p.seconds_total,
    })
}

fn outcome_json(o: &Outcome) -> Value {
    json!({
        "extension": o.extension,
        "mime": o.mime,
        "duration": o.duration,
        "size": o.size,
        "copied": o.copied,
        "inexactCut": o.inexact_cut.map(|(a, b)| [a, b]),
    })
}
