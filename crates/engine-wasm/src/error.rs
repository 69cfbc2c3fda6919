//! The one place where the engine's failures, and its "this needs the server", become what
//! JavaScript receives: `{key, args, message, serverCanTry, recoverable}`, with `message` the
//! sentence of `key` in the person's language (`v2a_protocol::text`).

use serde_json::{json, Map, Value};
use v2a_engine::plan::NeedsServer;
use v2a_engine::EngineError;
use v2a_protocol::text::{say, Key};
use v2a_protocol::Lang;

/// A failure, or a reason to send the job to the server, as JavaScript receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub key: Key,
    pub args: Vec<(&'static str, String)>,
    /// The server could do this job: the runner sends it there.
    pub server_can_try: bool,
    /// Trying again here can help.
    pub recoverable: bool,
}

impl Failure {
    /// The failure of an engine error: the engine's own key ([`EngineError::key`]); for what it
    /// has none (a request it cannot do, a cancel), the binding's.
    pub fn from_error(e: &EngineError) -> Self {
        let (key, args) = match (e.key(), e) {
            (Some(key), _) => (key, Vec::new()),
            (None, EngineError::Unsupported(s)) => {
                (Key::EngineUnsupported, vec![("detail", s.clone())])
            }
            (None, _) => (Key::EngineFailed, vec![("detail", e.to_string())]),
        };
        Self {
            key,
            args,
            server_can_try: e.server_can_try(),
            // The browser may read or keep it on another try; the rest are facts of the file.
            recoverable: matches!(
                e,
                EngineError::Read(_) | EngineError::Write(_) | EngineError::Cancelled
            ),
        }
    }

    /// The engine read the input and found that this request needs the server.
    pub fn needs_server(n: &NeedsServer) -> Self {
        Self {
            key: n.key,
            args: n.args.clone(),
            server_can_try: true,
            recoverable: false,
        }
    }

    /// A fault of the binding itself (a value JavaScript passed that is not what it should be).
    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            key: Key::EngineFailed,
            args: vec![("detail", detail.into())],
            server_can_try: true,
            recoverable: true,
        }
    }

    /// The sentence, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        say(lang, self.key, &args)
    }

    /// The shape JavaScript receives (as JSON).
    pub fn to_json(&self, lang: Lang) -> Value {
        let args: Map<String, Value> = self
            .args
            .iter()
            .map(|(n, v)| ((*n).to_string(), Value::String(v.clone())))
            .collect();
        json!({
            "name": "EngineError",
            "key": self.key.name(),
            "args": args,
            "message": self.message(lang),
            "serverCanTry": self.server_can_try,
            "recoverable": self.recoverable,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_file_goes_to_the_server_a_silent_one_does_not() {
        let f = Failure::from_error(&EngineError::Unreadable("no box".into()));
        assert!(f.server_can_try && !f.recoverable);
        let v = f.to_json(Lang::En);
        assert_eq!(v["key"], "EngineUnreadable");
        assert!(v["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty() && !m.contains('{')));

        let f = Failure::from_error(&EngineError::Unsupported("HE-AAC v2".into()));
        let v = f.to_json(Lang::En);
        assert_eq!(v["key"], "EngineUnsupported");
        assert_eq!(v["args"]["detail"], "HE-AAC v2");
        assert!(v["message"]
            .as_str()
            .is_some_and(|m| m.contains("(HE-AAC v2)")));

        let f = Failure::from_error(&EngineError::NoAudio);
        assert!(!f.server_can_try);
        assert_eq!(f.to_json(Lang::Zh)["key"], "EngineNoAudio");
    }

    #[test]
    fn every_sentence_is_filled_in_both_languages() {
        let errors = [
            EngineError::Read("r".into()),
            EngineError::Unreadable("u".into()),
            EngineError::Truncated("t".into()),
            EngineError::Unsupported("s".into()),
            EngineError::NoAudio,
            EngineError::Write("w".into()),
            EngineError::Cancelled,
        ];
        for e in &errors {
            for lang in [Lang::En, Lang::Zh] {
                let m = Failure::from_error(e).message(lang);
                assert!(!m.contains('{'), "{e:?} in {lang:?}: {m}");
            }
        }
    }
}
