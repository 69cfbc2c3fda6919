//! The catalog's keys, one a sentence, under the heading of the part that added them (the
//! headings keep parallel work from colliding); re-exported as `text::Key`.

macro_rules! keys {
    ($($(#[$doc:meta])* $key:ident,)*) => {
        /// A sentence's key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[$doc])* $key,)*
        }
        impl Key {
            /// Every key, for the tests that walk them.
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];
            /// The key's name, as JavaScript refers to it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$key => stringify!($key),)*
                }
            }
            /// The key named `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Key> {
                Key::ALL.iter().copied().find(|k| k.name() == name)
            }
        }
    };
}

keys! {
    // --- uploads (shared by the client's pre-upload check and the server) ---
    /// The list of accepted types: `{video}`, `{audio}`.
    Accepted,
    /// 4001 for an image: `{kind}` ("PNG"), `{accepted}`.
    NoSound,
    /// 4001 for anything else: `{accepted}`.
    UnsupportedType,
    /// 4002: `{max}` (a size as [`crate::units::size`] writes it).
    TooLarge,
    // --- jobs ---
    /// The error of an output whose job was cut short by a server restart.
    Restarted,
    // --- one source of truth (issue 8) ---
    /// What the product can do, with example requests (the answer to a message with nothing
    /// to act on).
    Help,
    /// The answer to a request the product cannot do: `{reason}` says what was asked.
    Unsupported,
    /// How to upload: `{path}` (the session's upload path).
    UploadHow,
    /// The answer to "credits": `{available}`, `{frozen}`.
    Credits,
    /// The answer to "status" before any upload.
    NothingUploaded,
    /// The answer to "status": `{uploads}` and `{results}` (lists, or [`Key::NoResultsYet`]).
    StatusReport,
    /// `{results}` of [`Key::StatusReport`] before any extraction.
    NoResultsYet,
    /// An extraction asked for in a session without uploads: `{how}` is [`Key::UploadHow`].
    UploadFirst,
    /// The upload a request names is not in the session: `{uploads}` lists them.
    UploadNotFound,
    /// The upload was removed by the retention sweep: `{name}`, `{hours}`.
    UploadRemoved,
    /// The upload has no audio stream: `{name}`.
    NoAudioTrack,
    /// Said as an extraction starts: `{name}` (the upload), `{summary}` (what was asked).
    Extracting,
    /// Said when a result is ready: `{name}`, `{facts}` (format, length, size).
    Done,
    /// Added to [`Key::Done`] when the sound stops early: `{got}`, `{expected}` (clocks).
    EndedEarly,
    /// "export" before any result.
    NothingToExport,
    /// "export" of a result past its retention: `{name}`, `{hours}`.
    ExportExpired,
    /// "export" of a ready result: `{name}`, `{url}`, `{render_id}`, `{left}` (a time left).
    ExportReady,
    /// "export" of a result still being made: `{name}`, `{percent}`, `{render_id}`.
    ExportRunning,
    /// A time left: `{n}` minutes (more than one).
    MinutesLeft,
    OneMinuteLeft,
    /// A time left: `{n}` hours (more than one).
    HoursLeft,
    OneHourLeft,
    /// A job interrupted by a server stop, told to its listeners.
    Stopping,
    /// A queued job whose upload the retention sweep removed.
    UploadSwept,
    /// A job whose code panicked.
    JobPanicked,
    /// A finished job whose result could not be recorded.
    ResultNotSaved,
    /// ffmpeg could not be run, or the disk failed (details stay in the log).
    ToolFailed,
    /// The API's errors (the server's `ApiError`).
    ApiTokenInvalid,
    ApiLinkInvalid,
    ApiSessionNotFound,
    ApiOutOfCredits,
    ApiMissingClientId,
    /// `{seconds}` to wait.
    ApiRateLimited,
    /// `{reason}` the URL was not fetched.
    ApiUrlRefused,
    ApiInternal,
    // (the request parser's refusal reasons: each is the `{reason}` of [`Key::Unsupported`])
    /// A video extension as the output name: `{ext}`.
    RefuseVideoName,
    /// A clock-like token that is no time: `{what}`.
    RefuseUnreadableTime,
    /// A number no part of the parser placed: `{what}`.
    RefuseStrayNumber,
    /// A loudness target outside the range: `{lufs}`, `{min}`, `{max}`, `{podcast}`.
    RefuseLoudnessTarget,
    /// A true-peak ceiling outside the range: `{dbtp}`, `{min}`, `{max}`.
    RefuseTruePeak,
    /// A channel count other than 1 or 2: `{n}`.
    RefuseChannels,
    /// A sample rate outside the range: `{hz}`.
    RefuseSampleRate,
    /// A bitrate for a lossless format: `{label}`.
    RefuseLosslessBitrate,
    /// A bitrate with the original audio copied.
    RefuseCopyBitrate,
    /// A bitrate outside the format's range: `{name}`, `{kbps}`, `{lo}`, `{hi}`.
    RefuseBitrateRange,
    /// Two or more time ranges.
    RefuseSeveralRanges,
    /// "cut the intro", which could mean keep or drop: `{what}`.
    RefuseAmbiguousCut,
    /// A range that ends where it starts: `{at}`.
    RefuseEmptyRangeAt,
    /// A range whose end comes first: `{start}`, `{end}`.
    RefuseEndBeforeStart,
    /// "the last 0 seconds".
    RefuseLastZero,
    /// A from-the-end range that ends before it starts.
    RefuseEndsBeforeStarts,
    /// A part given as a fraction ("the second half").
    RefuseFraction,
    RefuseSeveralUploads,
    RefuseSeveralTracks,
    RefuseSplit,
    RefuseDenoise,
    RefuseEnhance,
    RefuseTranslate,
    RefuseTranscribe,
    RefuseVoice,
    RefuseSpeed,
    RefuseMix,
    RefuseVocals,
    RefuseVolume,
    RefuseEffects,
    RefuseSilence,
    RefuseVideoEdit,
    RefuseBitDepth,
    /// A video file as the result ("to mp4").
    RefuseVideoFile,
    /// An encoder preset ("v2"): `{preset}`.
    RefuseEncoderPreset,
    /// A format the product does not make: `{name}`.
    RefuseOtherFormat,
    /// A part named by its content ("skip the intro"): `{what}`.
    RefuseVaguePart,
    // (the server's media errors: `server/src/media`, said in the session's language)
    /// The input has no audio stream.
    MediaNoAudio,
    /// A track number past the file's tracks: `{n}`, `{count}` (how many it has).
    MediaNoTrackNumber,
    /// No track in the asked language: `{wanted}`, `{list}` ("1 eng, 2 –").
    MediaNoTrackLanguage,
    /// The file's length is unknown, so no range can be taken.
    MediaLengthUnknown,
    /// The range starts past the end: `{start}`, `{length}`.
    MediaRangePastEnd,
    /// The range holds no audio: `{length}`.
    MediaRangeEmpty,
    /// The sniffed bytes are a known non-media kind: `{what}` ("a PDF document"), `{accepted}`.
    MediaNotMedia,
    /// The header looks right but ffprobe cannot read the file: `{kind}` ("MP4/MOV").
    MediaDamaged,
    /// ffprobe ran past its time limit.
    MediaProbeTimedOut,
    /// ffprobe failed: `{detail}` (its last line, as ffmpeg writes it).
    MediaProbeFailed,
    /// ffprobe's report could not be parsed: `{detail}`.
    MediaProbeUnreadable,
    /// The uploaded file is gone from the server's disk.
    MediaInputGone,
    /// A copy that does not decode.
    MediaCopyUnplayable,
    /// ebur128's summary could not be read.
    MediaLoudnessUnreadable,
    /// ffmpeg wrote nothing.
    MediaEmptyOutput,
    /// ffmpeg was stopped by a signal.
    MediaStopped,
    /// ffmpeg: the disk is full.
    MediaDiskFull,
    /// ffmpeg: the output could not be written.
    MediaCannotWrite,
    /// ffmpeg: no encoder for the format.
    MediaNoEncoder,
    /// ffmpeg: the input is damaged.
    MediaUnreadableInput,
    /// ffmpeg failed otherwise: `{detail}` (its last line, as ffmpeg writes it).
    MediaFfmpegSaid,
    /// ffmpeg failed with nothing on stderr.
    MediaFfmpegFailed,
    /// Kinds of file that are no media, the `{what}` of [`Key::MediaNotMedia`].
    KindPdf,
    KindZip,
    KindArchive,
    KindOgg,
    KindFlac,
    KindHtml,
    KindText,
    // (the browser client's own failures: `src/client/error.rs`)
    /// The server refused the person's own token: `{detail}` (what it said).
    ClientTokenRefused,
    /// The server cannot be reached: `{url}`.
    ClientNetwork,
    /// The operation was cancelled.
    ClientAborted,
    /// An answer not as the API describes: `{detail}`.
    ClientProtocol,
    /// The event stream was cut: `{detail}`.
    ClientStream,
    /// A failure inside a run whose sentence names no next step: `{message}`.
    ClientRunFailed,
    /// 1001 after recovery failed.
    ClientTokenExpired,
    /// 1002 after recovery failed.
    ClientSessionLost,
    /// 2001 from a backend whose message names no link.
    ClientOutOfCredits,
    /// 4001 without the server's sentence: `{accepted}`.
    ClientUnsupportedType,
    /// 4002 without the server's sentence.
    ClientTooLarge,
    /// 402 from a backend the client knows nothing more of.
    ClientPlanBlocked,
    /// 429 after waiting did not help.
    ClientRateLimited,
    /// 400: `{detail}` (what the server said).
    ClientBadRequest,
    /// 4003: `{reason}` (what the server said, or [`Key::ClientUrlNotFetched`]).
    ClientUrlRefused,
    /// The reason of a 4003 that gave none.
    ClientUrlNotFetched,
    /// Any other code: `{code}`, `{detail}`.
    ClientOtherError,
    /// The `{detail}` of an error that came without one.
    ClientNoDetails,
    // (the server's other API errors: said in the session's language, before a session is
    // known in the request's Accept-Language)
    /// 404 for a route that does not exist: `{method}`, `{path}`.
    ApiNoEndpoint,
    /// 405 for a method a route does not take: `{method}`, `{path}`.
    ApiMethodNotAllowed,
    /// 400: a by-URL upload whose body is not small JSON.
    ApiUrlBodyHow,
    /// 400: a by-URL upload whose JSON cannot be read: `{detail}`.
    ApiBadUrlBody,
    /// A problem with a named file: `{name}`, `{problem}` (a sentence).
    NamedProblem,
    /// 400: a body that is not the JSON expected: `{detail}`.
    ApiBadJson,
    /// 400: a multipart body that cannot be read: `{detail}`.
    ApiBadMultipart,
    /// 400: a multipart upload without a file.
    ApiNoFileField,
    /// 400: an upload of zero bytes.
    ApiEmptyUpload,
    /// 400: an upload that is neither multipart nor JSON.
    ApiUploadHow,
    /// 404 for a download link that names no file.
    ApiNoSuchFile,
    /// 404 for a result past its retention: `{hours}`.
    ApiFileRemoved,
    /// 404 for a failed result: `{reason}`.
    ApiFileFailed,
    /// 404 for a result still being made.
    ApiFileRunning,
    /// 404 for an export whose upload was removed: `{name}`.
    ApiSourceRemoved,
    /// 404 for an unknown export id.
    ApiNoSuchExport,
    /// The `{reason}` of a failed result that recorded none.
    ApiUnknownReason,
    // (issue 8: the extension's own failures, worded by its JavaScript through the client
    // wasm's `say`, so the JavaScript holds no sentences)
    /// A job the person cancelled.
    JobCancelled,
    /// The server's run ended with neither a file nor a word.
    NoFileMade,
    /// The picked file left the extension's storage before its job ran.
    FileGone,
    /// Neither the server nor the browser could fetch a page video: `{detail}` (the browser's).
    PageUnreadable,
    /// A page video's site answered with an error: `{status}` (the HTTP status).
    PageRefused,
    /// A page video's site stopped sending partway: `{detail}` (the browser's).
    PageCut,
    /// The engine's worker did not start: `{detail}` (the browser's).
    EngineDidNotStart,
    // (issue 8: the default instruction, from the options' default format and quality; see
    // `crate::instruction`)
    /// An extraction: `{how}` ([`Key::InstructionAs`] or [`Key::InstructionOriginal`]).
    Instruction,
    /// An extraction with a quality: `{how}`, `{quality}` (one of the phrases below).
    InstructionWith,
    /// `{format}` (a format's name, "MP3").
    InstructionAs,
    InstructionOriginal,
    InstructionHigh,
    InstructionSmall,
    InstructionVoice,
    /// `{kbps}` (a number).
    InstructionBitrate,
    // --- in-browser engine (issue 9) ---
    /// The engine on this computer cannot read a file: the input is not an MP4, MOV, M4V, AVI, MKV or WebM it understands.
    EngineUnreadable,
    /// The input ends before the data its index points to.
    EngineTruncated,
    /// The input has no audio track.
    EngineNoAudio,
    /// The asked track is not in the file: `{wanted}` (what was asked), `{tracks}` (the file's audio tracks, e.g. "1 eng, 2 spa").
    EngineNoSuchTrack,
    /// The time range holds no audio: `{length}` (the file's length, m:ss).
    EngineEmptyRange,
    /// The track's codec cannot be copied or decoded on this computer: `{codec}`. A reason
    /// only: the runner follows it with the next step (start the server, or set one).
    EngineCodecNeedsServer,
    /// Re-encoding to `{format}` (e.g. "Opus") from `{codec}` is not available on this computer,
    /// which makes `{formats}` itself. A reason and the other choice: the runner follows it with
    /// how to get a server.
    EngineEncodeNeedsServer,
    /// The input could not be read any more (moved, deleted, or the page dropped it).
    EngineRead,
    /// The output could not be kept (the browser is out of memory or storage).
    EngineWrite,
    // (the browser binding, crates/engine-wasm: failures of its own)
    /// The request needs something the engine lacks: `{detail}`.
    EngineUnsupported,
    /// The engine stopped on a fault of its own: `{detail}`.
    EngineFailed,
    // --- hosted service workflow (issue 10) ---
    /// A stream that ended without text, and nothing in the session changed.
    RunNoAnswer,
    /// A run past the service's limit: `{minutes}`.
    RunTimedOut,
    /// A silent stream after which the timeline changed: `{summary}` (a [`Key::Timeline`]).
    TimelineUpdated,
    /// The track summary: `{count}` tracks, `{tracks}` ("1. Video: a.mp4 (0–3s) 2. …").
    Timeline,
    /// One track of the summary: `{n}`, `{kind}`, `{name}`, `{span}` ("0–3s").
    TimelineTrack,
    /// Track kinds of the summary (the draft's `tt` 0, 1, 7, other).
    TrackVideo,
    TrackAudio,
    TrackText,
    TrackOther,
    /// A draft with no track.
    TimelineEmpty,
    /// The backend asked to drag on its timeline (a GUI phrase).
    GuiDrag,
    /// An export that did not finish in time: `{minutes}`.
    ExportTimedOut,
    /// An export the service reported failed: `{reason}`.
    ExportFailed,
    /// An answer that cannot be read: `{what}` (the endpoint), `{field}`.
    UnreadableAnswer,
    /// 2001 with a registration link: `{link}`.
    OutOfCreditsLink,
    /// 2001 from this project's server (on loopback): `{host}`.
    OutOfCreditsLocal,
    /// 2001 from another backend: `{host}`.
    OutOfCreditsHosted,
    /// 402 on an export: `{host}`.
    PlanBlocked,
    // --- reliability (issue 11) ---
    /// ffmpeg went silent past the stall limit and was stopped: `{seconds}`.
    FfmpegStalled,
    /// A by-URL upload whose URL holds a user name or password (refused, never sent).
    UrlHasCredentials,
    /// The server's disk filled while an upload was being stored.
    DiskFull,
    /// 413 before reading a JSON body declared over `{max}`.
    RequestTooLarge,
    /// 408: a request body stopped arriving.
    RequestTooSlow,
    /// An upload whose connection dropped `{tries}` times in a row while the server itself
    /// still answers (a flaky network, proxy or VPN).
    UploadCut,
    /// A run's stream cut, and the session shows no result of the run.
    RunCut,
    /// A run's stream cut, and the server did not answer again within `{seconds}`.
    RunCutNoServer,
}
