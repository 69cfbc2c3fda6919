//! Decoders (compressed packets → [`crate::Pcm`]) and encoders (PCM → MP3, WAV, FLAC).
