//! Containers out, for copies without re-encoding: AAC and ALAC → .m4a, Opus → .opus and
//! Vorbis → .ogg (Ogg), MP3 → .mp3, FLAC → .flac.
