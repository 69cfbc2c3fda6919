//! The language of the sentences the binding hands to JavaScript.

use v2a_protocol::Lang;

/// The [`Lang`] of a browser language tag ("zh-CN", "zh", "en-US"…): Chinese for any "zh"
/// tag, English otherwise (the only two the product speaks).
pub fn from_tag(tag: &str) -> Lang {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_tags_in_any_form() {
        for tag in ["zh", "zh-CN", "zh_TW", "ZH-hans"] {
            assert_eq!(from_tag(tag), Lang::Zh, "{tag}");
        }
        for tag in ["en", "en-US", "", "fr", "zhx"] {
            assert_eq!(from_tag(tag), Lang::En, "{tag}");
        }
    }
}
