//! The engine's one error type. Each variant says whether trying again can help and maps to a
//! sentence key of `v2a_protocol::text`, so a person reads it in their language.

/// What went wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The source could not be read (the file was moved, the page's bytes were dropped…).
    #[error("the file could not be read: {0}")]
    Read(String),
    /// The input is not a container the engine reads, or it is damaged.
    #[error("not a file the engine can read: {0}")]
    Unreadable(String),
    /// The file ends before the data its index points to.
    #[error("the file is cut short: {0}")]
    Truncated(String),
    /// The input is fine, but this request needs the server (a codec or option the engine lacks).
    #[error("needs the server: {0}")]
    Unsupported(String),
    /// The input has no audio track.
    #[error("the file has no sound")]
    NoAudio,
    /// The sink refused the output (the browser is out of memory or storage).
    #[error("the result could not be written: {0}")]
    Write(String),
    /// The job was cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl EngineError {
    /// Whether the server could still do the job: the runner then sends it there instead.
    pub fn server_can_try(&self) -> bool {
        matches!(self, Self::Unsupported(_) | Self::Unreadable(_))
    }
}

impl EngineError {
    /// The sentence key of `v2a_protocol::text` a person reads for this error. `None` for a
    /// cancel, which the person asked for, and for `Unsupported`, which the runner sends to the
    /// server ([`EngineError::server_can_try`]); what `Job::open` finds unsupported comes as
    /// [`crate::job::Opened::NeedsServer`] with its own key and arguments.
    pub fn key(&self) -> Option<v2a_protocol::text::Key> {
        use v2a_protocol::text::Key;
        Some(match self {
            Self::Read(_) => Key::EngineRead,
            Self::Unreadable(_) => Key::EngineUnreadable,
            Self::Truncated(_) => Key::EngineTruncated,
            Self::NoAudio => Key::EngineNoAudio,
            Self::Write(_) => Key::EngineWrite,
            Self::Cancelled | Self::Unsupported(_) => return None,
        })
    }
}
