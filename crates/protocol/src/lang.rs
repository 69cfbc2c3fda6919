//! The languages people read this product in.

use serde::{Deserialize, Serialize};

/// The language of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The language a browser or session language tag names ("zh-CN", "zh", "en-US"…), if it
    /// is one of the two the product speaks: the primary subtag decides.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::Zh)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The most wanted language of an `Accept-Language` header ("zh-CN,zh;q=0.9,en;q=0.8")
    /// that the product speaks, each tag read by [`Lang::from_tag`]: the highest `q` wins (1
    /// when absent, the first listed on a tie, RFC 9110 §12.5.4); a tag with `q=0` is refused.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';').map(str::trim);
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, q)| q.trim().parse::<f32>().ok());
            match q {
                Some(q) if q > 0.0 && best.map_or(true, |(b, _)| q > b) => best = Some((q, lang)),
                _ => {}
            }
        }
        best.map(|(_, lang)| lang)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags_name_their_language() {
        for tag in ["zh", "zh-CN", "zh_TW", "ZH-hans"] {
            assert_eq!(Lang::from_tag(tag), Some(Lang::Zh), "{tag}");
        }
        for tag in ["en", "en-US", "EN_gb"] {
            assert_eq!(Lang::from_tag(tag), Some(Lang::En), "{tag}");
        }
        for tag in ["", "fr", "zhx", "eng"] {
            assert_eq!(Lang::from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn accept_language_names_the_most_wanted_language_spoken() {
        for (header, want) in [
            ("zh-CN,zh;q=0.9,en;q=0.8", Some(Lang::Zh)),
            ("fr-FR, fr;q=0.9, zh-TW;q=0.5, en;q=0.3", Some(Lang::Zh)),
            ("en-US,en;q=0.9", Some(Lang::En)),
            ("zh;q=0, en", Some(Lang::En)),
            ("en;q=0.1, zh;q=0.9", Some(Lang::Zh)),
            ("zh;Q=0, en;q=0.5", Some(Lang::En)),
            ("zh ; q = 0 , en", Some(Lang::En)),
            ("en, zh", Some(Lang::En)),
            ("zh;q=abc, en;q=0.2", Some(Lang::En)),
            ("fr, de;q=0.5", None),
            ("", None),
            ("*", None),
        ] {
            assert_eq!(Lang::from_accept_language(header), want, "{header}");
        }
    }
}
