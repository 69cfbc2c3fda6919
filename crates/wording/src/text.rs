//! Normalising a message and cutting it into tokens the parsers match on.
//!
//! Matching works on tokens, not on raw text, so that every keyword is a whole word ("mono" does
//! not match "monologue"), case does not matter, full-width characters typed with a Chinese input
//! method ("ＭＰ３", "０：３０") read like their ASCII forms, and Chinese numerals ("第二个",
//! "三十秒") and English number words ("five", "twenty-five") read like digits. Word lists are
//! written in this normalised form and matched against each token's text (`tokens.rs`).

use super::number::{number_word, units_after};

/// One piece of a message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A lowercase run of letters, with digits after the first letter ("mp3", "m4a"); right
    /// after a number only the letters are taken, so "1m30s" is 1, m, 30, s.
    Word(String),
    /// A number: "30", "44.1", Chinese numerals ("二十" → 20) or English words ("five").
    Num(f64),
    /// A clock time "1:02:03.5" or "2:15", in milliseconds.
    Clock(u64),
    /// One Chinese character (phrases of them match as consecutive tokens).
    Han(char),
    /// Any other non-space character.
    Sym(char),
}

/// A token with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    /// The text it was read from (normalised), for quoting back to the user.
    pub text: String,
    /// Written in words ("二十", "five"): "一下" or "this one" must not count as a stray number.
    pub spelled: bool,
    /// Typed after a space, for quoting it back as typed.
    pub space_before: bool,
}

/// Lowercase, and fold full-width forms and typographic punctuation to ASCII.
pub(crate) fn normalize(message: &str) -> String {
    message.chars().map(fold).collect()
}

/// One character as [`normalize`] writes it.
pub(crate) fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '–' | '—' | '−' | '~' | '〜' => '-',
        '“' | '”' | '「' | '」' | '《' | '》' | '『' | '』' => '"',
        '‘' | '’' => '\'',
        '。' => '.',
        '、' => ',',
        _ => c,
    };
    lower(c)
}

/// `c` in lower case, for the scripts a keyword or a name is likely to be typed in: ASCII,
/// Latin-1, Latin Extended-A, Greek (unaccented capitals) and Russian-alphabet Cyrillic. Other
/// letters are kept as they are.
///
/// Not `char::to_lowercase`: its table of every Unicode case pair is about 11 KB of the
/// WebAssembly, and the parser's keywords only need these.
pub(crate) fn lower(c: char) -> char {
    let u = c as u32;
    let l = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => {
            u + 0x20
        }
        0x400..=0x40F => u + 0x50,
        // Latin Extended-A pairs capitals on even code points up to U+0137, on odd ones from
        // U+0139 to U+0148, and on even ones again from U+014A to U+0177.
        // İ (Turkish dotted capital I) lower-cases to two characters: kept, so that every
        // letter keeps its UTF-8 length and offsets into the lowered text stay valid.
        0x130 => u,
        0x178 => 0xFF, // Ÿ
        0x100..=0x137 | 0x14A..=0x177 if u % 2 == 0 => u + 1,
        0x139..=0x148 if u % 2 == 1 => u + 1,
        0x179..=0x17E if u % 2 == 1 => u + 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

/// `s` in lower case, as [`lower`] does it.
pub(crate) fn lowercase(s: &str) -> String {
    s.chars().map(lower).collect()
}

/// Whether `c` is a CJK ideograph.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

fn han_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_han_numeral(c: char) -> bool {
    han_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// Value of a run of Chinese numerals: "二十五" → 25, "十" → 10, "一百二十八" → 128.
fn han_number(run: &[char]) -> f64 {
    let (mut total, mut digit) = (0u32, 0u32);
    for &c in run {
        match c {
            '十' => {
                total += digit.max(1) * 10;
                digit = 0;
            }
            '百' => {
                total += digit.max(1) * 100;
                digit = 0;
            }
            '千' => {
                total += digit.max(1) * 1000;
                digit = 0;
            }
            _ => digit = digit * 10 + han_digit(c).unwrap_or(0),
        }
    }
    f64::from(total + digit)
}

/// A clock like "1:02:03.5" (h:mm:ss) or "2:15" (m:ss), in milliseconds; `None` when the parts
/// are out of range ("1:75").
fn clock_ms(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.split(':').collect();
    let secs = super::number::parse_decimal(parts.last()?)?;
    let nums: Option<Vec<u64>> = parts[..parts.len() - 1]
        .iter()
        .map(|p| p.parse().ok())
        .collect();
    let nums = nums?;
    if secs >= 60.0 {
        return None;
    }
    let whole = match nums.as_slice() {
        [m] => m * 60,
        [h, m] if *m < 60 => h * 3600 + m * 60,
        _ => return None,
    };
    Some(whole * 1000 + (secs * 1000.0).round() as u64)
}

/// Cut a normalised message into tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let push = |out: &mut Vec<Token>, tok, from: usize, to: usize, spelled| {
        out.push(Token {
            tok,
            text: chars[from..to].iter().collect(),
            spelled,
            space_before: from > 0 && chars[from - 1].is_whitespace(),
        });
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            while i < chars.len() {
                let d = chars[i];
                let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                if d.is_ascii_digit() || ((d == '.' || d == ':') && next_digit) {
                    i += 1;
                } else {
                    break;
                }
            }
            let s: String = chars[start..i].iter().collect();
            let tok = if s.contains(':') {
                clock_ms(&s).map(Tok::Clock)
            } else {
                super::number::parse_decimal(&s).map(Tok::Num)
            };
            push(&mut out, tok.unwrap_or(Tok::Sym('#')), start, i, false);
            // A unit glued to the number ("128k", "1m30s"): letters only.
            let unit = i;
            while i < chars.len() && chars[i].is_alphabetic() && !is_han(chars[i]) {
                i += 1;
            }
            if i > unit {
                let w: String = chars[unit..i].iter().collect();
                push(&mut out, Tok::Word(w), unit, i, false);
            }
        } else if is_han(c)
            && is_han_numeral(c)
            // "一点", "一些", "一下": "a little", not the number one.
            && !(c == '一' && matches!(chars.get(i + 1), Some('点' | '些' | '下')))
        {
            while i < chars.len() && is_han_numeral(chars[i]) {
                i += 1;
            }
            let n = han_number(&chars[start..i]);
            push(&mut out, Tok::Num(n), start, i, true);
        } else if is_han(c) {
            i += 1;
            push(&mut out, Tok::Han(c), start, i, false);
        } else if c.is_alphabetic() {
            while i < chars.len() && (chars[i].is_alphanumeric() && !is_han(chars[i])) {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            match number_word(&w) {
                Some(n) => {
                    let tens = n >= 20 && n % 10 == 0;
                    let (n, end) = match units_after(&chars, i).filter(|_| tens) {
                        Some((units, end)) => (n + units, end),
                        None => (n, i),
                    };
                    i = end;
                    push(&mut out, Tok::Num(f64::from(n)), start, i, true);
                }
                None => push(&mut out, Tok::Word(w), start, i, false),
            }
        } else {
            i += 1;
            push(&mut out, Tok::Sym(c), start, i, false);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(&normalize(s)).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn units_glued_to_numbers_split_off() {
        let w = |s: &str| Tok::Word(s.into());
        assert_eq!(
            toks("1m30s"),
            vec![Tok::Num(1.0), w("m"), Tok::Num(30.0), w("s")]
        );
        assert_eq!(toks("ＭＰ３ 128K"), vec![w("mp3"), Tok::Num(128.0), w("k")]);
        assert_eq!(toks("0：30.5"), vec![Tok::Clock(30_500)]);
        assert_eq!(
            toks("第二个"),
            vec![Tok::Han('第'), Tok::Num(2.0), Tok::Han('个')]
        );
        assert_eq!(toks("一百二十八"), vec![Tok::Num(128.0)]);
        assert_eq!(toks("1:02:03"), vec![Tok::Clock(3_723_000)]);
        assert_eq!(toks("1:75"), vec![Tok::Sym('#')]);
    }

    #[test]
    fn lower_agrees_with_unicode_where_it_acts_and_covers_the_european_alphabets() {
        for u in 0..0x530u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let full: Vec<char> = c.to_lowercase().collect();
            let ours = lower(c);
            if ours != c {
                // Where it changes a letter, it agrees with Unicode.
                assert_eq!(ours, full[0], "U+{u:04X}");
                assert_eq!(ours.len_utf8(), c.len_utf8(), "U+{u:04X} keeps its length");
            }
            let covered = matches!(u, 0..=0x17F | 0x391..=0x3AB | 0x400..=0x42F);
            if covered && full.len() == 1 {
                assert_eq!(ours, full[0], "U+{u:04X} {c} is lower-cased");
            }
        }
        assert_eq!(
            lowercase("ESPAÑOL, FRANÇAIS, PORTUGUÊS"),
            "español, français, português"
        );
        assert_eq!(lowercase("ΕΛΛΗΝΙΚΆ Русский MP3"), "ελληνικΆ русский mp3");
    }
}
