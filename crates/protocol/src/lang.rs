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
    /// The language a tag such as a session's `language` ("zh-CN", "en") names, if one of ours.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}
