//! A plan run step by step: each step reads and writes a bounded amount, then reports progress,
//! so the caller can show it and cancel between steps (the browser binding yields to the event
//! loop between steps).

use v2a_protocol::ExtractionSpec;

use crate::plan::{NeedsServer, Plan};
use crate::{EngineError, Probe, Sink, Source};

/// How far a job is.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    /// Bytes read from the input so far, of `bytes_total`.
    pub bytes_read: u64,
    pub bytes_total: u64,
    /// Seconds of sound written so far, of `seconds_total`.
    pub seconds_done: f64,
    pub seconds_total: f64,
}

/// What a finished job made.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub extension: &'static str,
    pub mime: &'static str,
    /// Seconds.
    pub duration: f64,
    /// Bytes written.
    pub size: u64,
    /// The packets were copied (no re-encoding).
    pub copied: bool,
    /// A copy's cut falls on a packet boundary, not exactly where asked: the actual (start, end)
    /// in seconds.
    pub inexact_cut: Option<(f64, f64)>,
}

/// The state of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Working(Progress),
    Done(Outcome),
}

/// Whether a job can run here: the probe and plan, or why not.
pub enum Opened {
    Ready(Job),
    /// The input is readable, but this request needs the server.
    NeedsServer(Probe, NeedsServer),
}

/// One extraction.
pub struct Job {
    probe: Probe,
    plan: Plan,
}

impl Job {
    /// Probes `source` and plans `spec` on it.
    pub fn open(source: Box<dyn Source>, spec: &ExtractionSpec) -> Result<Opened, EngineError> {
        let _ = (source, spec);
        Err(EngineError::Unsupported("not yet".into()))
    }
    /// What the input holds.
    pub fn probe(&self) -> &Probe {
        &self.probe
    }
    /// How the job is done.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
    /// Does a bounded amount of work, writing to `sink`.
    pub fn step(&mut self, sink: &mut dyn Sink) -> Result<Step, EngineError> {
        let _ = sink;
        Err(EngineError::Unsupported("not yet".into()))
    }
}
