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
        Key::Help => {
            "I take the sound out of your uploaded video and give it back as an audio file. Tell me the format (MP3, M4A, WAV, FLAC, Ogg or Opus, or the original audio untouched), and if you like a bitrate, sample rate, mono or stereo, a time range, loudness normalisation, which upload or audio track, and a file name. For example:\n• “extract the audio as MP3 at 192 kbps”\n• “WAV, 48 kHz, mono, from 0:30 to 2:15”\n• “the last minute of the second video as M4A, normalised for podcasts”\n• “the Spanish track in original quality, name it interview”"
        }
        Key::Unsupported => {
            "Sorry, I can't help with this: {reason}. What I can do is take the sound out of your video as MP3, M4A, WAV, FLAC, Ogg or Opus, with a bitrate, sample rate, mono or stereo, a time range, loudness normalisation and a file name — for example “extract the audio as MP3 from 0:30 to 2:15”."
        }
        Key::UploadHow => {
            "To add a video, upload it with POST {path} as multipart form data (field \"file\"), or send JSON {\"url\": \"https://...\"} to let the server fetch it. Then tell me what to extract, for example \"extract as MP3\"."
        }
        Key::Credits => {
            "You have {available} credits available ({frozen} held by running extractions). Each extraction costs one credit."
        }
        Key::NothingUploaded => {
            "Nothing uploaded yet in this session. Upload a video, then tell me what to extract."
        }
        Key::StatusReport => "Uploads: {uploads}. Results: {results}.",
        Key::NoResultsYet => "no extractions yet",
        Key::UploadFirst => "Upload a video first, then ask again. {how}",
        Key::UploadNotFound => {
            "I could not find that upload. This session has: {uploads}. Say which one, for example \"the first video\"."
        }
        Key::UploadRemoved => {
            "{name} was removed after {hours} hours. Upload it again, then ask again."
        }
        Key::NoAudioTrack => {
            "{name} has no audio track, so there is nothing to extract. Upload a video with sound."
        }
        Key::Extracting => "Extracting the audio of {name} as {summary}…",
        Key::Done => "Done: {name} — {facts}. Download it below.",
        Key::EndedEarly => {
            " Note: the sound in it stops at {got}, not at {expected} as expected. If the file was cut short while being saved or uploaded, upload the complete file and ask again."
        }
        Key::NothingToExport => {
            "Nothing to export yet. Upload a video and ask /run_sse to extract its audio first."
        }
        Key::ExportExpired => {
            "Your latest result, {name}, is past its {hours}-hour retention and is being removed; run the extraction again."
        }
        Key::ExportReady => {
            "Your latest result, {name}, is ready: download it from {url} (export {render_id}). The link works for {left}."
        }
        Key::ExportRunning => {
            "{name} is still being extracted ({percent}%). Poll GET /api/render/proxy/lambda/{render_id} or ask \"status\" again in a moment."
        }
        Key::MinutesLeft => "{n} more minutes",
        Key::OneMinuteLeft => "1 more minute",
        Key::HoursLeft => "{n} more hours",
        Key::OneHourLeft => "1 more hour",
        Key::Stopping => {
            "The server is stopping, so this extraction was interrupted. Run it again once the server is back; the credit is returned when it starts."
        }
        Key::UploadSwept => {
            "The upload was removed by the retention sweep before the extraction started; upload it again."
        }
        Key::JobPanicked => "The extraction stopped unexpectedly. Try again.",
        Key::ResultNotSaved => "The result could not be saved on the server. Try again.",
        Key::ToolFailed => "The server could not run the extraction. Try again later.",
        Key::ApiTokenInvalid => {
            "Your access token is missing, invalid or expired. Get a new one with POST /api/auth/anonymous-token."
        }
        Key::ApiLinkInvalid => {
            "This download link is invalid. Fetch the session state again for a fresh link, or send the Authorization header."
        }
        Key::ApiSessionNotFound => {
            "This session does not exist. Create a new one with POST /api/tasks/me/with-session/nemo_agent."
        }
        Key::ApiOutOfCredits => {
            "You have no credits left. Get a new token with POST /api/auth/anonymous-token, or ask the server's operator to raise --credits."
        }
        Key::ApiMissingClientId => {
            "The X-Client-Id header is missing. Generate a UUID for this install and send it as X-Client-Id."
        }
        Key::ApiRateLimited => "Too many requests. Wait {seconds} seconds and try again.",
        Key::ApiUrlRefused => {
            "The URL could not be fetched: {reason}. Download the file and upload it instead."
        }
        Key::ApiInternal => {
            "Something went wrong on the server. Try again; if it keeps happening, check the server log."
        }
        Key::Restarted => {
            "The server restarted before this file was finished. Its credit was returned; ask again to make it."
        }
    }
}
