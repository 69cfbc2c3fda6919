//! English.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Accepted => "Accepted: {video} video, or {audio} audio.",
        Key::NoSound => "This is an image ({kind}); it has no sound to extract. {accepted}",
        Key::UnsupportedType => {
            "This file is not a video or audio type this service can read. {accepted}"
        }
        Key::TooLarge => "The file is larger than the {max} limit. Trim or compress it first.",
        Key::Restarted => {
            "The server restarted before this file was finished. Its credit was returned; ask again to make it."
        }
        Key::EngineRead => {
            "The file could not be read on this computer ({detail}). Choose it again and press Extract."
        }
        Key::EngineUnreadable => {
            "This file could not be read on this computer ({detail}). Check that it is a complete video, or send it to a server by starting one (./build.sh run) or setting one in Options."
        }
        Key::EngineTruncated => {
            "The file is cut short: its sound stops before its index says it should ({detail}). Use a complete copy of the video and press Extract again."
        }
        Key::EngineUnsupported => {
            "This computer cannot do this request on its own ({detail}), so it needs the server."
        }
        Key::EngineNoAudio => {
            "This video has no sound track, so there is nothing to extract. Choose another video."
        }
        Key::EngineWrite => {
            "The browser could not keep the result ({detail}). Free some disk space and press Extract again."
        }
        Key::EngineFailed => {
            "The extraction on this computer stopped unexpectedly ({detail}). Press Extract to try again, or choose \"Always use the server\" in Options."
        }
    }
}
