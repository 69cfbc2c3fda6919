//! TypeScript declarations for the plain objects the API takes and returns (wasm-bindgen
//! generates the classes and functions; these name the shapes it cannot see).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Options of `new Client(...)`; every field is optional. */
export interface ClientOptions {
  /** Base URL of the API; default "http://127.0.0.1:8787" (this project's server). */
  baseUrl?: string;
  /**
   * The person's own token (NEMO_TOKEN). Never swapped: when the server refuses it, calls fail
   * with code 1001 and a sentence saying so.
   */
  token?: string | null;
  /**
   * An anonymous token this client was given before (client.token), to reuse; used only without
   * `token`. When it has expired a new one is acquired: read client.token to keep it.
   */
  anonymousToken?: string | null;
  /** UUID v4 kept per install (see newClientId()); generated when absent. */
  clientId?: string;
  /** A session to continue; when absent one is created on first need. */
  sessionId?: string | null;
  /** Language for new sessions ("en", "zh", ...). */
  language?: string | null;
  /** X-Skill-Platform: "clawhub" | "cursor" | "unknown" (the description's set; default "unknown"). */
  platform?: string;
  /** X-Skill-Version: the extension's version (its manifest's); default this package's. */
  version?: string;
  /** Largest file uploadFile() lets through; default 500 MB (524288000 bytes). */
  maxUploadBytes?: number;
}

export type JobStatus = "queued" | "running" | "done" | "failed" | "expired";

export interface AudioStream {
  index: number; codec: string; channels: number; sample_rate: number;
  language?: string; bit_rate?: number;
}

/** An upload, as the server probed it. */
export interface MediaInfo {
  media_id: string; name: string; container: string; duration: number; size: number;
  audio_streams: AudioStream[]; no_audio: boolean; created_at: number;
}

/** A generated file. `download_url` is relative; use client.downloadUrl(media). */
export interface GeneratedMedia {
  id: string; name: string; format: string; codec?: string; duration: number | null;
  size: number | null; download_url: string | null; status: JobStatus; error?: string;
  progress?: number; source_media_id: string | null; summary: string | null; created_at: number;
}

export interface SessionState { draft: unknown; video_infos: MediaInfo[]; generated_media: GeneratedMedia[]; }
export interface Credits { available: number; frozen: number; total: number; }
export interface RenderStatus {
  render_id: string; status: JobStatus; progress: number | null; download_url: string | null;
  media: GeneratedMedia | null; error: string | null;
}
export interface Health { version?: string; ffmpeg?: string; [key: string]: unknown; }

/** What run() reports as it goes. For "text", `text` is the whole message so far: replace it. */
export type Update =
  | { kind: "text"; text: string; partial: boolean }
  | { kind: "progress"; progress: number; stage: string; media_id?: string }
  | { kind: "tool"; name: string; phase: "call" | "response" }
  | { kind: "media"; media: GeneratedMedia }
  | { kind: "still_working"; seconds: number }
  | { kind: "error"; code: string; message: string };

/**
 * The end of a run. `from_state`: the outcome was read from the session's state. `export`: no
 * file yet, but the result is on the timeline: call exportResult(). `timeline`: the track
 * summary, when the draft changed or the backend asked to look at it. `text` never holds the
 * backend's GUI phrases ("Click Export…").
 */
export interface Outcome {
  text: string; media: GeneratedMedia[]; from_state: boolean; export: boolean; timeline?: string;
}

export type Route = "export" | "credits" | "status" | "upload" | "run";

export type TimePoint = { from: "start"; ms: number } | { from: "end"; ms: number };
export interface ExtractionSpec {
  format: "mp3" | "m4a" | "wav" | "flac" | "ogg" | "opus" | "original" | null;
  quality: { kind: "default" | "high" | "small" | "voice" } | { kind: "bitrate"; kbps: number };
  sample_rate: number | null;
  channels: number | null;
  range: { start: TimePoint; end: TimePoint | null } | null;
  loudness: { integrated: number; true_peak: number } | null;
  source: { by: "latest" } | { by: "position"; value: number } | { by: "name"; value: string };
  track: { by: "default" } | { by: "position"; value: number } | { by: "language"; value: string };
  output_name: string | null;
}
export type Intent =
  | { intent: "extract"; spec: ExtractionSpec }
  | { intent: "help" }
  | { intent: "unsupported"; reason: string };

/** Every error this package throws (besides TypeErrors for bad arguments). */
export interface VideoToAudioError extends Error {
  name: "VideoToAudioError";
  /** The API's code (1001, 2001, 4001, 4002, 402, 429, ...) or "network" | "upload_cut" | "aborted" |
   *  "protocol" | "stream" | "run_failed" | "unsupported_type" | "too_large" | "timed_out" |
   *  "export_failed". */
  code: number | string;
  /** Whether trying again can succeed without changing anything. */
  recoverable: boolean;
  /** The next step alone (the message already ends with it). */
  nextStep: string | null;
}
"#;
