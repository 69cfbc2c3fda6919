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

    /// The first language of an `Accept-Language` header ("zh-CN,zh;q=0.9,en;q=0.8") that the
    /// product speaks, each tag read by [`Lang::from_tag`]. Browsers list tags most wanted
    /// first; a tag refused with `q=0` is passed over.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header.split(',').find_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let tag = parts.next()?;
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                None
            } else {
                Lang::from_tag(tag)
            }
        })
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
    fn accept_language_names_the_first_language_spoken() {
        for (header, want) in [
            ("zh-CN,zh;q=0.9,en;q=0.8", Some(Lang::Zh)),
            ("fr-FR, fr;q=0.9, zh-TW;q=0.5, en;q=0.3", Some(Lang::Zh)),
            ("en-US,en;q=0.9", Some(Lang::En)),
            ("zh;q=0, en", Some(Lang::En)),
            ("fr, de;q=0.5", None),
            ("", None),
            ("*", None),
        ] {
            assert_eq!(Lang::from_accept_language(header), want, "{header}");
        }
    }
}
