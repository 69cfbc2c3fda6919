//! The request-wording parser: no panic on any text, and the properties it promises.

use v2a_wording::{
    route, summary, summary_in, understand, understand_in, with_format, Intent, Lang,
};

/// The phrases the popup's format chips write.
const CHIPS: [&str; 3] = ["as WAV", "as MP3", "in original quality"];

pub fn wording(data: &[u8]) {
    let message = String::from_utf8_lossy(data);
    let intent = understand(&message);
    // Reading is a pure function of the text.
    assert_eq!(understand(&message), intent);
    for lang in [Lang::En, Lang::Zh] {
        let _ = understand_in(&message, lang);
    }
    let _ = route(&message);
    if let Intent::Extract { spec } = &intent {
        assert!(!summary(spec).trim().is_empty(), "an empty summary");
        for lang in [Lang::En, Lang::Zh] {
            assert!(!summary_in(spec, lang).trim().is_empty());
        }
    }
    for chip in CHIPS {
        // A chip applied twice is the chip applied once.
        let once = with_format(&message, chip);
        assert_eq!(with_format(&once, chip), once, "chip {chip:?}");
        let _ = understand(&once);
    }
}
