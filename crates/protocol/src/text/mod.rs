//! Every sentence a person can read, keyed: one module per language ([`en`], [`zh`]), each an
//! exhaustive `match` over [`Key`], so a key without its English or Chinese form does not
//! compile. Placeholders are `{name}`, filled by [`say`]; a test checks that both languages use
//! the same ones.
//!
//! Sentences end with the next step a person can take. Add a key in `keys.rs` under the heading
//! of its part (the headings keep parallel work from colliding), then its English and Chinese
//! forms.

mod en;
mod keys;
mod zh;

pub use keys::Key;

use crate::Lang;

/// The template of `key` in `lang`.
pub fn template(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::En => en::text(key),
        Lang::Zh => zh::text(key),
    }
}

/// The sentence of `key` in `lang`, with each `{name}` replaced by its value in `args`.
pub fn say(lang: Lang, key: Key, args: &[(&str, &str)]) -> String {
    fill(template(lang, key), args)
}

/// Replaces each `{name}` of `template` by its value in `args`; unknown names stay as written.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A sentence decided before the language it is said in is known (a server error that reaches
/// a person later, in the session's language): its key and values. `Display` is the English,
/// for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub key: Key,
    pub args: Vec<(&'static str, Arg)>,
}

/// A value of a [`Said`]: text the same in every language, or a sentence of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Said(Said),
}

impl Said {
    pub fn new(key: Key, args: &[(&'static str, &str)]) -> Self {
        Self {
            key,
            args: args
                .iter()
                .map(|(n, v)| (*n, Arg::Text((*v).to_owned())))
                .collect(),
        }
    }

    /// With `name` filled by another sentence, said in the same language.
    pub fn with(mut self, name: &'static str, said: Said) -> Self {
        self.args.push((name, Arg::Said(said)));
        self
    }

    /// The sentence in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(n, a)| match a {
                Arg::Text(t) => (*n, t.clone()),
                Arg::Said(s) => (*n, s.say(lang)),
            })
            .collect();
        let args: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        say(lang, self.key, &args)
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

/// The list of accepted upload types, as every 4001 ends.
pub fn accepted(lang: Lang) -> String {
    accepted_said().say(lang)
}

/// [`accepted`], before its language is known.
pub fn accepted_said() -> Said {
    use crate::formats::{ACCEPTED_AUDIO_TYPES, ACCEPTED_VIDEO_TYPES};
    let (video, audio) = (
        ACCEPTED_VIDEO_TYPES.join(", "),
        ACCEPTED_AUDIO_TYPES.join(", "),
    );
    Said::new(Key::Accepted, &[("video", &video), ("audio", &audio)])
}

/// 4001 for an image (`kind`: "PNG", "JPEG", …): there is no sound to extract.
pub fn no_sound(lang: Lang, kind: &str) -> String {
    say(
        lang,
        Key::NoSound,
        &[("kind", kind), ("accepted", &accepted(lang))],
    )
}

/// 4001 for anything else that is not an accepted type.
pub fn unsupported_type(lang: Lang) -> String {
    say(lang, Key::UnsupportedType, &[("accepted", &accepted(lang))])
}

/// 4002: over the size limit, written by [`crate::units::size`].
pub fn too_large(lang: Lang, max_bytes: u64) -> String {
    say(
        lang,
        Key::TooLarge,
        &[("max", &crate::units::size(max_bytes))],
    )
}

/// The error of an output whose job was cut short by a server restart.
pub fn restarted(lang: Lang) -> String {
    say(lang, Key::Restarted, &[])
}

/// The `{name}`s a template uses, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_with_the_same_placeholders() {
        for &key in Key::ALL {
            let (en, zh) = (template(Lang::En, key), template(Lang::Zh, key));
            assert!(!en.trim().is_empty(), "{key:?} has no English");
            assert!(!zh.trim().is_empty(), "{key:?} has no Chinese");
            let (mut a, mut b) = (placeholders(en), placeholders(zh));
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(
                a, b,
                "{key:?}: English and Chinese use different placeholders"
            );
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key:?}: the Chinese form has no Chinese in it"
            );
        }
    }

    #[test]
    fn keys_are_found_by_name() {
        for &key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
        assert_eq!(Key::from_name("NoSuchKey"), None);
    }

    #[test]
    fn fill_replaces_known_names_and_keeps_the_rest() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1")]), "a 1 b {y}");
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }
}
