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
        Key::RefuseVideoName => "saving the result as a .{ext} video (I only make audio files)",
        Key::RefuseUnreadableTime => "the time “{what}”, which is not a time I can read — write times as m:ss or h:mm:ss, like 1:30 or 1:02:03",
        Key::RefuseStrayNumber => "“{what}”, which I could not place — say what it is, for example “192 kbps”, “48 kHz”, “from 1:30” or “the first 30 seconds”",
        Key::RefuseLoudnessTarget => "a loudness target of {lufs} LUFS (targets go from {min} to {max} LUFS; podcasts use {podcast})",
        Key::RefuseTruePeak => "a true-peak ceiling of {dbtp} dBTP (it goes from {min} to {max} dBTP)",
        Key::RefuseChannels => "{n} audio channels (I can make mono or stereo)",
        Key::RefuseSampleRate => "a sample rate of {hz} Hz (I can do 8 kHz to 192 kHz)",
        Key::RefuseLosslessBitrate => "a bitrate for {label} ({label} is lossless, so it has no bitrate setting; pick MP3, M4A, Ogg or Opus to set one)",
        Key::RefuseCopyBitrate => "a bitrate while keeping the original audio untouched (pick MP3, M4A, Ogg or Opus to set one)",
        Key::RefuseBitrateRange => "{name} at {kbps} kbps ({name} goes from {lo} to {hi} kbps)",
        Key::RefuseSeveralRanges => "more than one time range (I can take one range per request)",
        Key::RefuseAmbiguousCut => "“cut the {what}”, which could mean keep it or drop it — say “only the {what}” or “skip the {what}”",
        Key::RefuseEmptyRangeAt => "an empty time range (it ends where it starts, at {at})",
        Key::RefuseEndBeforeStart => "the end {end} comes before the start {start} — did you mean from {end} to {start}?",
        Key::RefuseLastZero => "an empty time range (the last 0 seconds)",
        Key::RefuseEndsBeforeStarts => "an empty time range (it ends before it starts)",
        Key::RefuseFraction => "a part given as a fraction of the video (say the times instead, e.g. “from 5:00 to the end”)",
        Key::RefuseSeveralUploads => "several uploads at once (I take one per request — say which, e.g. “the second video”)",
        Key::RefuseSeveralTracks => "several audio tracks at once (I take one per request — say which, e.g. “track 2”)",
        Key::RefuseSplit => "splitting the audio into several files (I make one file per request; ask for one range at a time)",
        Key::RefuseDenoise => "removing background music or noise",
        Key::RefuseEnhance => "enhancing or repairing the sound",
        Key::RefuseTranslate => "translating the speech",
        Key::RefuseTranscribe => "transcripts or subtitles",
        Key::RefuseVoice => "changing the voice or pitch",
        Key::RefuseSpeed => "changing the speed",
        Key::RefuseMix => "mixing, merging or adding music and sounds",
        Key::RefuseVocals => "separating vocals from music",
        Key::RefuseVolume => "changing the volume (to even out loudness, ask to normalise it)",
        Key::RefuseEffects => "sound effects (fades, echo, EQ, reverse, surround…)",
        Key::RefuseSilence => "removing or adding silence",
        Key::RefuseVideoEdit => "editing or exporting video (I only make audio files)",
        Key::RefuseBitDepth => "choosing a bit depth",
        Key::RefuseVideoFile => "making a video file (I only make audio files)",
        Key::RefuseEncoderPreset => "the encoder preset “{preset}” (say “high quality”, “small file” or a bitrate like 192k)",
        Key::RefuseOtherFormat => "{name} files (I can make MP3, M4A, WAV, FLAC, Ogg or Opus)",
        Key::RefuseVaguePart => "a part described by what happens in it (“{what}”) — I need times, e.g. “skip the first 30 seconds” or “from 1:00 to 2:00”",
        Key::MediaNoAudio => "This file has no audio track, so there is nothing to extract. Upload a video that has sound.",
        Key::MediaNoTrackNumber => "There is no audio track {n} in this file (it has {count}). Ask for one of its tracks, or leave the track out for the first.",
        Key::MediaNoTrackLanguage => "This file has no audio track in '{wanted}'; its audio tracks are: {list}. Ask for one of those, or leave the language out for the first.",
        Key::MediaLengthUnknown => "This file's length could not be read, so no audio can be taken from it. Upload the complete file again, or save it as MP4 first.",
        Key::MediaRangePastEnd => "The time range starts at {start}, but this file is only {length} long; pick a range inside 0:00–{length}.",
        Key::MediaRangeEmpty => "That time range holds no audio in this file, which is {length} long; pick a range inside 0:00–{length}.",
        Key::MediaNotMedia => "This looks like {what}, not a video or audio file this service takes. {accepted}",
        Key::MediaDamaged => "This {kind} file is damaged or incomplete (perhaps cut short while uploading), so its sound cannot be read; upload the complete file again.",
        Key::MediaProbeTimedOut => "ffprobe took more than a minute to read this file, so it was stopped; the file may be damaged. Upload the complete file again, or save it as MP4 first.",
        Key::MediaProbeFailed => "ffprobe could not read this file ({detail}). Upload the complete file again, or save it as MP4 first.",
        Key::MediaProbeUnreadable => "ffprobe's report could not be read ({detail}). Try again; if it keeps happening, check the server log.",
        Key::MediaInputGone => "The uploaded file is no longer on the server; upload it again.",
        Key::MediaCopyUnplayable => "ffmpeg wrote audio that does not play back, so it was not kept; try another format, such as MP3.",
        Key::MediaLoudnessUnreadable => "ffmpeg measured the loudness but its report could not be read; try again without loudness normalisation.",
        Key::MediaEmptyOutput => "ffmpeg finished but the audio it wrote is empty; try another time range.",
        Key::MediaStopped => "ffmpeg was stopped before it finished; try again.",
        Key::MediaDiskFull => "The server ran out of disk space while writing the audio; try again later.",
        Key::MediaCannotWrite => "The server could not write the audio file; try again later.",
        Key::MediaNoEncoder => "This server's ffmpeg lacks the encoder for that format; ask for another format (MP3, M4A, WAV, FLAC).",
        Key::MediaUnreadableInput => "ffmpeg could not read the audio in this file: it looks damaged or incomplete; upload the complete file again.",
        Key::MediaFfmpegSaid => "ffmpeg could not extract the audio ({detail}); try another format or check that the file plays.",
        Key::MediaFfmpegFailed => "ffmpeg could not extract the audio; try another format or check that the file plays.",
        Key::KindPdf => "a PDF document",
        Key::KindZip => "a ZIP archive (or an Office document)",
        Key::KindArchive => "a compressed archive",
        Key::KindOgg => "an Ogg file",
        Key::KindFlac => "a FLAC audio file",
        Key::KindHtml => "a web page (HTML)",
        Key::KindText => "a text file",
        Key::ClientTokenRefused => "The server refused the token set in the extension's options ({detail}). Put a current token there, or clear the field to use a free anonymous one.",
        Key::ClientNetwork => "Can't reach the Video to Audio server at {url}. Start it with ./build.sh run (or check the backend address in the extension's options).",
        Key::ClientAborted => "Cancelled. Start again whenever you like.",
        Key::ClientProtocol => "The server sent an answer this extension doesn't understand ({detail}). Check that the backend address in the extension's options points at a Video to Audio server.",
        Key::ClientStream => "The connection to the server was cut before the result arrived ({detail}). Look at the session in a moment (the result may still finish), or try again.",
        Key::ClientRunFailed => "{message} Try again, or ask differently.",
        Key::ClientTokenExpired => "Your access to the Video to Audio server expired and a new one could not be obtained. Try again in a minute.",
        Key::ClientSessionLost => "The working session was lost and a new one could not be created. Try again in a minute.",
        Key::ClientOutOfCredits => "You're out of credits. Register or top up your account on the Video to Audio service, then try again.",
        Key::ClientUnsupportedType => "This file type isn't supported. {accepted}",
        Key::ClientTooLarge => "The file is larger than the server accepts. Trim or compress it first.",
        Key::ClientPlanBlocked => "Your plan doesn't allow exports; this is not about credits. Upgrade the subscription on the Video to Audio service to export.",
        Key::ClientRateLimited => "The Video to Audio server is getting too many requests right now. Wait a minute and try again.",
        Key::ClientBadRequest => "The server refused the request as malformed ({detail}). Reload the extension and try again.",
        Key::ClientUrlRefused => "{reason} Download the file and upload it instead.",
        Key::ClientUrlNotFetched => "The server could not fetch that URL.",
        Key::ClientOtherError => "The Video to Audio server answered with an error (code {code}: {detail}). Try again; if it keeps happening, look at the server's log.",
        Key::ClientNoDetails => "no details",
        Key::ApiNoEndpoint => "There is no endpoint {method} {path}. See docs/PROTOCOL.md for the API.",
        Key::ApiMethodNotAllowed => "{method} is not allowed on {path}. See docs/PROTOCOL.md for the API.",
        Key::ApiUrlBodyHow => "A by-URL upload is a small JSON body {\"url\": \"...\"}; send the file itself as multipart/form-data instead.",
        Key::ApiBadUrlBody => "The JSON body could not be read ({detail}). Send {\"url\": \"https://…\"}.",
        Key::NamedProblem => "{name}: {problem}",
        Key::ApiBadJson => "The request body is not the JSON this endpoint expects ({detail}). See docs/PROTOCOL.md.",
        Key::ApiBadMultipart => "The upload could not be read as multipart form data ({detail}). Send the file in a field named \"file\".",
        Key::ApiNoFileField => "The upload has no file. Send it as multipart/form-data in a field named \"file\".",
        Key::ApiEmptyUpload => "The uploaded file is empty. Choose a video with sound.",
        Key::ApiUploadHow => "Send the file as multipart/form-data (field \"file\") or JSON {\"url\": \"...\"}.",
        Key::ApiNoSuchFile => "There is no such file. Fetch the session state again for the current download links.",
        Key::ApiFileRemoved => "This file was removed after {hours} hours; run the extraction again.",
        Key::ApiFileFailed => "This extraction failed ({reason}), so there is no file. Run it again.",
        Key::ApiFileRunning => "This file is still being extracted. Wait for it to finish, then download it.",
        Key::ApiSourceRemoved => "The upload {name} came from was removed, so it cannot be converted. Upload it again.",
        Key::ApiNoSuchExport => "No export with this id. Start one with POST /api/render/proxy/lambda.",
        Key::ApiUnknownReason => "unknown reason",
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
        Key::Instruction => "Extract the audio track {how}",
        Key::InstructionWith => "Extract the audio track {how} {quality}",
        Key::InstructionAs => "as {format}",
        Key::InstructionOriginal => "in original quality",
        Key::InstructionHigh => "in high quality",
        Key::InstructionSmall => "as a small file",
        Key::InstructionVoice => "optimized for voice",
        Key::InstructionBitrate => "at {kbps} kbps",
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
            "This video's sound is {codec}, which only the server can process."
        }
        Key::EngineEncodeNeedsServer => {
            "Only the server makes {format} from this video's {codec} sound; ask for {formats} instead to have it made on this computer."
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
        Key::UploadCut => {
            "The connection to the server dropped while your file was uploading, {tries} times in a row, though the server itself answers. Check your network connection (or a proxy or VPN in between), then press Extract again."
        }
        Key::RunCut => {
            "The connection to the server was cut before the result arrived, and the session shows no result of this request. Press Extract again."
        }
        Key::RunCutNoServer => {
            "The connection to the server was cut while it worked on your file, and the server did not answer again within {seconds} seconds. Check that the server is running and that you are online, then press Extract again."
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
