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
        // (issue 8: the extension's own failures)
        Key::JobCancelled => "Cancelled. Press Extract to start it again.",
        Key::NoFileMade => "The server finished without making a file. Try again.",
        Key::FileGone => {
            "The chosen file is no longer available. Choose it again and press Extract."
        }
        Key::PageUnreadable => {
            "Neither the server nor the browser could read this video ({detail}). Open the popup on its page and press Extract to allow access to the site, or download the video first and choose it as a file."
        }
        Key::PageRefused => {
            "The video's site refused to send it (HTTP {status}). Download the video first, then choose it as a file."
        }
        Key::PageCut => {
            "The video's site stopped sending it partway ({detail}). Try again, or download the video first and choose it as a file."
        }
        Key::EngineDidNotStart => {
            "The extraction on this computer could not start ({detail}). Reload the extension and try again, or choose “Always use the server” in Options."
        }
        Key::Restarted => {
            "The server restarted before this file was finished. Its credit was returned; ask again to make it."
        }
        Key::EngineUnreadable => {
            "This file could not be read on this computer (it is not an MP4, MOV, AVI, MKV or WebM the extension knows, or it is damaged). Send it to the server, or save the video again as MP4 and retry."
        }
        Key::EngineTruncated => {
            "This file is cut short: it ends before the sound its index lists (a download that did not finish?). Download the whole file again and retry."
        }
        Key::EngineNoAudio => {
            "This video has no sound track, so there is no audio to take out. Pick a video that has sound."
        }
        Key::EngineNoSuchTrack => {
            "This file has no audio track {wanted}; its audio tracks are: {tracks}. Ask for one of those."
        }
        Key::EngineEmptyRange => {
            "That time range holds no sound in this file, which is {length} long. Pick a range inside 0:00–{length}."
        }
        Key::EngineCodecNeedsServer => {
            "This video's sound is {codec}, which cannot be processed on this computer yet, so it needs the server. Start the server (or set one in Options), then try again."
        }
        Key::EngineEncodeNeedsServer => {
            "Making {format} from this video's {codec} sound needs the server. Start the server (or set one in Options) and try again, or ask for MP3, WAV or FLAC, which this computer can make."
        }
        Key::EngineRead => {
            "The video could not be read any more (was it moved or deleted, or the page closed?). Pick the file again and retry."
        }
        Key::EngineWrite => {
            "The result could not be saved: the browser ran out of memory or storage. Close some tabs or free disk space, then try again."
        }
        Key::EngineUnsupported => {
            "This computer cannot do this request on its own ({detail}), so it needs the server."
        }
        Key::EngineFailed => {
            "The extraction on this computer stopped unexpectedly ({detail}). Press Extract to try again, or choose \"Always use the server\" in Options."
        }
        // --- reliability (issue 11) ---
        Key::RequestTooLarge => {
            "This request is larger than the {max} this endpoint accepts, so it was not read. Send a shorter request; files go to the upload endpoint."
        }
        Key::RequestTooSlow => {
            "Your request stopped arriving part-way, so the server stopped waiting for it. Check your connection and send it again."
        }
        Key::DiskFull => {
            "The server ran out of disk space while storing your file, so it was not kept. Try again later, or send a smaller file."
        }
        Key::UrlHasCredentials => {
            "The URL holds a user name or password, which this server never sends on. Download the file and upload it instead, or use a link that needs no password."
        }
        Key::FfmpegStalled => {
            "ffmpeg made no progress for {seconds} seconds and was stopped, so the file may be damaged. Its credit was returned; try again, or upload the file again."
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
