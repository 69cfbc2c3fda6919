// Generated from crates/protocol/src/formats.rs by
// `V2A_WRITE_GENERATED=1 cargo test -p v2a-protocol --test generated`; do not edit.

/** Largest upload, in bytes (500 MB: decimal SI units, 1 MB = 1,000,000 bytes). */
export const MAX_UPLOAD_BYTES = 500000000;

/** The output formats: id (as a request's spec names it), name, label, extension, mime, lossless. */
export const OUTPUT_FORMATS = Object.freeze([
  {"extension":"mp3","id":"mp3","label":"MP3","lossless":false,"mime":"audio/mpeg","name":"MP3"},
  {"extension":"m4a","id":"m4a","label":"M4A (AAC)","lossless":false,"mime":"audio/mp4","name":"M4A"},
  {"extension":"wav","id":"wav","label":"WAV","lossless":true,"mime":"audio/wav","name":"WAV"},
  {"extension":"flac","id":"flac","label":"FLAC","lossless":true,"mime":"audio/flac","name":"FLAC"},
  {"extension":"ogg","id":"ogg","label":"Ogg Vorbis","lossless":false,"mime":"audio/ogg","name":"Ogg"},
  {"extension":"opus","id":"opus","label":"Opus","lossless":false,"mime":"audio/ogg","name":"Opus"},
  {"extension":"","id":"original","label":"Original quality","lossless":true,"mime":"","name":"Original quality"},
]);
