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

/** The default qualities the options offer (a number is a bitrate in kbit/s). */
export const DEFAULT_QUALITIES = Object.freeze(["default","high","small","voice","128","192","320"]);

/** The instruction for a default format and quality: [catalog language][format][quality]
 * (crates/protocol/src/instruction.rs). */
export const DEFAULT_INSTRUCTIONS = Object.freeze({
  "en": {
    "flac": {
      "128": "Extract the audio track as FLAC",
      "192": "Extract the audio track as FLAC",
      "320": "Extract the audio track as FLAC",
      "default": "Extract the audio track as FLAC",
      "high": "Extract the audio track as FLAC in high quality",
      "small": "Extract the audio track as FLAC as a small file",
      "voice": "Extract the audio track as FLAC optimized for voice"
    },
    "m4a": {
      "128": "Extract the audio track as M4A at 128 kbps",
      "192": "Extract the audio track as M4A at 192 kbps",
      "320": "Extract the audio track as M4A at 320 kbps",
      "default": "Extract the audio track as M4A",
      "high": "Extract the audio track as M4A in high quality",
      "small": "Extract the audio track as M4A as a small file",
      "voice": "Extract the audio track as M4A optimized for voice"
    },
    "mp3": {
      "128": "Extract the audio track as MP3 at 128 kbps",
      "192": "Extract the audio track as MP3 at 192 kbps",
      "320": "Extract the audio track as MP3 at 320 kbps",
      "default": "Extract the audio track as MP3",
      "high": "Extract the audio track as MP3 in high quality",
      "small": "Extract the audio track as MP3 as a small file",
      "voice": "Extract the audio track as MP3 optimized for voice"
    },
    "ogg": {
      "128": "Extract the audio track as Ogg at 128 kbps",
      "192": "Extract the audio track as Ogg at 192 kbps",
      "320": "Extract the audio track as Ogg at 320 kbps",
      "default": "Extract the audio track as Ogg",
      "high": "Extract the audio track as Ogg in high quality",
      "small": "Extract the audio track as Ogg as a small file",
      "voice": "Extract the audio track as Ogg optimized for voice"
    },
    "opus": {
      "128": "Extract the audio track as Opus at 128 kbps",
      "192": "Extract the audio track as Opus at 192 kbps",
      "320": "Extract the audio track as Opus at 320 kbps",
      "default": "Extract the audio track as Opus",
      "high": "Extract the audio track as Opus in high quality",
      "small": "Extract the audio track as Opus as a small file",
      "voice": "Extract the audio track as Opus optimized for voice"
    },
    "original": {
      "128": "Extract the audio track in original quality",
      "192": "Extract the audio track in original quality",
      "320": "Extract the audio track in original quality",
      "default": "Extract the audio track in original quality",
      "high": "Extract the audio track in original quality",
      "small": "Extract the audio track in original quality",
      "voice": "Extract the audio track in original quality"
    },
    "wav": {
      "128": "Extract the audio track as WAV",
      "192": "Extract the audio track as WAV",
      "320": "Extract the audio track as WAV",
      "default": "Extract the audio track as WAV",
      "high": "Extract the audio track as WAV in high quality",
      "small": "Extract the audio track as WAV as a small file",
      "voice": "Extract the audio track as WAV optimized for voice"
    }
  },
  "zh": {
    "flac": {
      "128": "提取音频，转成FLAC",
      "192": "提取音频，转成FLAC",
      "320": "提取音频，转成FLAC",
      "default": "提取音频，转成FLAC",
      "high": "提取音频，转成FLAC，高音质",
      "small": "提取音频，转成FLAC，小文件",
      "voice": "提取音频，转成FLAC，语音"
    },
    "m4a": {
      "128": "提取音频，转成M4A，码率128kbps",
      "192": "提取音频，转成M4A，码率192kbps",
      "320": "提取音频，转成M4A，码率320kbps",
      "default": "提取音频，转成M4A",
      "high": "提取音频，转成M4A，高音质",
      "small": "提取音频，转成M4A，小文件",
      "voice": "提取音频，转成M4A，语音"
    },
    "mp3": {
      "128": "提取音频，转成MP3，码率128kbps",
      "192": "提取音频，转成MP3，码率192kbps",
      "320": "提取音频，转成MP3，码率320kbps",
      "default": "提取音频，转成MP3",
      "high": "提取音频，转成MP3，高音质",
      "small": "提取音频，转成MP3，小文件",
      "voice": "提取音频，转成MP3，语音"
    },
    "ogg": {
      "128": "提取音频，转成Ogg，码率128kbps",
      "192": "提取音频，转成Ogg，码率192kbps",
      "320": "提取音频，转成Ogg，码率320kbps",
      "default": "提取音频，转成Ogg",
      "high": "提取音频，转成Ogg，高音质",
      "small": "提取音频，转成Ogg，小文件",
      "voice": "提取音频，转成Ogg，语音"
    },
    "opus": {
      "128": "提取音频，转成Opus，码率128kbps",
      "192": "提取音频，转成Opus，码率192kbps",
      "320": "提取音频，转成Opus，码率320kbps",
      "default": "提取音频，转成Opus",
      "high": "提取音频，转成Opus，高音质",
      "small": "提取音频，转成Opus，小文件",
      "voice": "提取音频，转成Opus，语音"
    },
    "original": {
      "128": "提取音频，原始音质",
      "192": "提取音频，原始音质",
      "320": "提取音频，原始音质",
      "default": "提取音频，原始音质",
      "high": "提取音频，原始音质",
      "small": "提取音频，原始音质",
      "voice": "提取音频，原始音质"
    },
    "wav": {
      "128": "提取音频，转成WAV",
      "192": "提取音频，转成WAV",
      "320": "提取音频，转成WAV",
      "default": "提取音频，转成WAV",
      "high": "提取音频，转成WAV，高音质",
      "small": "提取音频，转成WAV，小文件",
      "voice": "提取音频，转成WAV，语音"
    }
  }
});

/** The words that ask for a format: [catalog language][format]. */
export const FORMAT_PHRASES = Object.freeze({
  "en": {
    "flac": "as FLAC",
    "m4a": "as M4A",
    "mp3": "as MP3",
    "ogg": "as Ogg",
    "opus": "as Opus",
    "original": "in original quality",
    "wav": "as WAV"
  },
  "zh": {
    "flac": "转成FLAC",
    "m4a": "转成M4A",
    "mp3": "转成MP3",
    "ogg": "转成Ogg",
    "opus": "转成Opus",
    "original": "原始音质",
    "wav": "转成WAV"
  }
});
