//! Languages of audio tracks. A request names a language in words ("Spanish", "西班牙语"); the
//! spec carries the ISO 639-2 code ffprobe usually reports (terminology form: "spa", "fra",
//! "deu", "zho"); [`language_matches`] also accepts the bibliographic forms MKV files often
//! carry ("fre", "ger", "chi"), two-letter codes and English names, so the server can compare
//! a request with whatever tag a file has.

use super::text::lowercase;
use v2a_protocol::Lang;

/// One language: codes (the first is the one we produce), words people use for it, and how
/// the summary names it.
pub(crate) struct Language {
    pub codes: &'static [&'static str],
    /// Names people use for it.
    pub words: &'static [&'static str],
    en: &'static str,
    zh: &'static str,
}

pub(crate) const LANGUAGES: &[Language] = &[
    Language {
        codes: &["eng", "en"],
        words: &["english", "英语", "英文"],
        en: "English",
        zh: "英语",
    },
    Language {
        codes: &["spa", "es"],
        words: &[
            "spanish",
            "español",
            "espanol",
            "castilian",
            "西班牙语",
            "西语",
        ],
        en: "Spanish",
        zh: "西班牙语",
    },
    Language {
        codes: &["fra", "fre", "fr"],
        words: &["french", "français", "francais", "法语", "法文"],
        en: "French",
        zh: "法语",
    },
    Language {
        codes: &["deu", "ger", "de"],
        words: &["german", "deutsch", "德语", "德文"],
        en: "German",
        zh: "德语",
    },
    Language {
        codes: &["ita", "it"],
        words: &["italian", "italiano", "意大利语"],
        en: "Italian",
        zh: "意大利语",
    },
    Language {
        codes: &["por", "pt"],
        words: &["portuguese", "português", "葡萄牙语", "葡语"],
        en: "Portuguese",
        zh: "葡萄牙语",
    },
    Language {
        codes: &["jpn", "ja"],
        words: &["japanese", "日语", "日文"],
        en: "Japanese",
        zh: "日语",
    },
    Language {
        codes: &["zho", "chi", "zh", "cmn"],
        words: &[
            "chinese",
            "mandarin",
            "中文",
            "汉语",
            "普通话",
            "国语",
            "华语",
        ],
        en: "Chinese",
        zh: "中文",
    },
    Language {
        codes: &["yue"],
        words: &["cantonese", "粤语", "广东话"],
        en: "Cantonese",
        zh: "粤语",
    },
    Language {
        codes: &["kor", "ko"],
        words: &["korean", "韩语", "韩文"],
        en: "Korean",
        zh: "韩语",
    },
    Language {
        codes: &["rus", "ru"],
        words: &["russian", "俄语", "俄文"],
        en: "Russian",
        zh: "俄语",
    },
    Language {
        codes: &["ara", "ar"],
        words: &["arabic", "阿拉伯语"],
        en: "Arabic",
        zh: "阿拉伯语",
    },
    Language {
        codes: &["hin", "hi"],
        words: &["hindi", "印地语"],
        en: "Hindi",
        zh: "印地语",
    },
    Language {
        codes: &["nld", "dut", "nl"],
        words: &["dutch", "荷兰语"],
        en: "Dutch",
        zh: "荷兰语",
    },
    Language {
        codes: &["tur", "tr"],
        words: &["turkish", "土耳其语"],
        en: "Turkish",
        zh: "土耳其语",
    },
    Language {
        codes: &["pol", "pl"],
        words: &["polish", "波兰语"],
        en: "Polish",
        zh: "波兰语",
    },
    Language {
        codes: &["swe", "sv"],
        words: &["swedish", "瑞典语"],
        en: "Swedish",
        zh: "瑞典语",
    },
    Language {
        codes: &["vie", "vi"],
        words: &["vietnamese", "越南语"],
        en: "Vietnamese",
        zh: "越南语",
    },
    Language {
        codes: &["tha", "th"],
        words: &["thai", "泰语"],
        en: "Thai",
        zh: "泰语",
    },
    Language {
        codes: &["ind", "id"],
        words: &["indonesian", "印尼语"],
        en: "Indonesian",
        zh: "印尼语",
    },
    Language {
        codes: &["ukr", "uk"],
        words: &["ukrainian", "乌克兰语"],
        en: "Ukrainian",
        zh: "乌克兰语",
    },
    Language {
        codes: &["ell", "gre", "el"],
        words: &["greek", "希腊语"],
        en: "Greek",
        zh: "希腊语",
    },
];

/// Whether a track tagged `reported` (by ffprobe) is in the language `wanted` (from a
/// [`TrackSelector::Language`](super::TrackSelector::Language)): the same language under any of its codes or English name,
/// case-insensitive.
pub fn language_matches(wanted: &str, reported: &str) -> bool {
    let (w, r) = (lowercase(wanted.trim()), lowercase(reported.trim()));
    let find = |s: &str| {
        LANGUAGES
            .iter()
            .position(|l| l.codes.contains(&s) || l.en.eq_ignore_ascii_case(s))
    };
    match (find(&w), find(&r)) {
        (Some(a), Some(b)) => a == b,
        _ => !w.is_empty() && w == r,
    }
}

/// How to name a language code for people ("spa" → "Spanish"), when we know it.
pub(crate) fn language_name(code: &str, lang: Lang) -> Option<&'static str> {
    let code = lowercase(code);
    let l = LANGUAGES
        .iter()
        .find(|l| l.codes.contains(&code.as_str()))?;
    Some(match lang {
        Lang::En => l.en,
        Lang::Zh => l.zh,
    })
}
