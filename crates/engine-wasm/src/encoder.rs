//! `EncoderJob`: the engine's own encoder (MP3, AAC, FLAC) in a second instance of the module,
//! in a worker of its own (`extension/engine-encoder.js`), so that encoding runs on a second
//! core while the job's instance reads, decodes and processes. It takes the PCM blocks that
//! instance hands out (`EngineJob.takePcm`) and makes the whole file, the same bytes the job
//! would have made itself.

use js_sys::{Object, Reflect};
use v2a_engine::codec::encode::{encode_part, Encoder, EncoderSpec, Mp3Part};

use v2a_protocol::Lang;
use wasm_bindgen::prelude::*;

use crate::bindings::{fail, throw};
use crate::error::Failure;
use crate::sink::BlobSink;

/// One output file being encoded from PCM.
#[wasm_bindgen]
pub struct EncoderJob {
    spec: EncoderSpec,
    encoder: Box<dyn Encoder>,
    sink: BlobSink,
    lang: Lang,
    finished: bool,
}

#[wasm_bindgen]
impl EncoderJob {
    /// The encoder `spec` describes (`EngineJob.outboardSpec`). `language` words failures.
    pub fn open(spec: &str, language: &str) -> Result<EncoderJob, JsValue> {
        let lang = Lang::from_tag(language).unwrap_or(Lang::En);
        let spec = EncoderSpec::from_text(spec).map_err(|e| fail(&e, lang))?;
        let encoder = spec.build().map_err(|e| fail(&e, lang))?;
        Ok(EncoderJob {
            spec,
            encoder,
            sink: BlobSink::new(),
            lang,
            finished: false,
        })
    }

    /// Encodes the next PCM block (interleaved, at the spec's rate and channels).
    pub fn encode(&mut self, samples: &[f32]) -> Result<(), JsValue> {
        if self.finished {
            return Err(throw(
                &Failure::internal("the file is already ended"),
                self.lang,
            ));
        }
        self.encoder
            .encode(samples, &mut self.sink)
            .map_err(|e| fail(&e, self.lang))
    }

    /// Encodes one part of a VBR MP3 (`EngineJob.takePart`): `{bytes: Uint8Array, lengths:
    /// Uint32Array}`, its frames and their lengths, for `EngineJob.pushPart`. Each part is
    /// encoded afresh from its pre-roll, so parts may go to any worker in any order.
    #[wasm_bindgen(js_name = encodePart)]
    pub fn encode_part(
        &mut self,
        index: u32,
        preroll: Vec<f32>,
        samples: Vec<f32>,
        last: bool,
    ) -> Result<JsValue, JsValue> {
        let part = Mp3Part {
            index,
            preroll,
            samples,
            last,
        };
        let (bytes, lengths) = encode_part(&self.spec, &part).map_err(|e| fail(&e, self.lang))?;
        let out = Object::new();
        Reflect::set(
            &out,
            &"bytes".into(),
            &js_sys::Uint8Array::from(bytes.as_slice()),
        )?;
        Reflect::set(
            &out,
            &"lengths".into(),
            &js_sys::Uint32Array::from(lengths.as_slice()),
        )?;
        Ok(out.into())
    }

    /// Ends the file: `{blob, size}` (the job's instance gives it its type).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let lang = self.lang;
        self.finished = true;
        self.encoder
            .finish(&mut self.sink)
            .map_err(|e| fail(&e, lang))?;
        let blob = self.sink.finish("").map_err(|e| fail(&e, lang))?;
        let out = Object::new();
        Reflect::set(&out, &"blob".into(), &blob)?;
        // Sizes below 2^53, so exact as a number.
        Reflect::set(&out, &"size".into(), &(self.sink.written() as f64).into())?;
        Ok(out.into())
    }
}
