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
        Key::RunNoAnswer => {
            "The service ended the request without an answer, and nothing in the session changed. Try again, or ask differently."
        }
        Key::RunTimedOut => {
            "The service did not finish within {minutes} minutes, so the request was given up. Try again, perhaps with a shorter clip."
        }
        Key::TimelineUpdated => "The service updated the timeline. {summary}",
        Key::Timeline => "Timeline ({count} tracks): {tracks}",
        Key::TimelineTrack => "{n}. {kind}: {name} ({span})",
        Key::TrackVideo => "Video",
        Key::TrackAudio => "Audio",
        Key::TrackText => "Text",
        Key::TrackOther => "Track",
        Key::TimelineEmpty => "The timeline is empty. Choose a video and press Extract.",
        Key::GuiDrag => {
            "The service wanted something dragged on its timeline. Describe the change in words in the instruction and press Extract."
        }
        Key::ExportTimedOut => {
            "The export did not finish within {minutes} minutes. Type \"export\" and press Extract to try again later."
        }
        Key::ExportFailed => {
            "The export failed ({reason}). Type \"export\" and press Extract to try again."
        }
        Key::UnreadableAnswer => {
            "The answer of {what} could not be read: its field \"{field}\" is missing or not what was expected. Check that the backend address in the options points at a Video to Audio service."
        }
        Key::OutOfCreditsLink => {
            "You're out of credits. Register at {link} to get more (this link keeps your work), then try again."
        }
        Key::OutOfCreditsLocal => {
            "You're out of credits on the server at {host}. Restart it with more (its --credits flag, e.g. --credits 100), then try again."
        }
        Key::OutOfCreditsHosted => {
            "You're out of credits on {host}. Register or top up your account there, then try again."
        }
        Key::PlanBlocked => {
            "Your plan on {host} does not allow exports; this is the subscription, not credits. Upgrade the plan there, then type \"export\" to try again."
        }
    }
}
