//! Decoders (compressed packets → [`crate::Pcm`]) and encoders (PCM → MP3, WAV, FLAC), joined
//! with the [`crate::dsp`] chain by [`transcode::Transcoder`].

mod chain;
pub mod decode;
pub mod encode;
pub mod formats;
pub mod transcode;
