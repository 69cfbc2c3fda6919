//! Reading and writing decimal numbers without core's float parser and formatter.
//!
//! Why: `str::parse::<f64>` and `f64`'s `Display` each link their own algorithm and power
//! tables into the WebAssembly (about 10 KB gzipped together), while serde_json, which the
//! client needs anyway, already carries a shortest-digits formatter and a number parser. The
//! results are the same as core's (checked against it in the tests below).

use std::fmt;

/// Exact powers of ten as `f64` (10^22 is the largest exactly representable one).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number as `digits[.digits]` (what the tokenizer cuts out), like `str::parse::<f64>`;
/// `None` for anything else ("1.2.3", "", "1.").
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    if text.contains('.') && frac.is_empty() {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let significant = format!("{int}{frac}");
    let significant = significant.trim_start_matches('0');
    // Up to 15 digits the mantissa and 10^k are exact, so one division rounds correctly: the
    // same value core's parser gives.
    if significant.len() <= 15 && frac.len() < POW10.len() {
        let mantissa = significant
            .bytes()
            .fold(0u64, |m, b| m * 10 + u64::from(b - b'0'));
        return Some(mantissa as f64 / POW10[frac.len()]);
    }
    // Longer numbers are rare in a message; serde_json's parser reads them (only an
    // out-of-range number fails, which core reads as infinity).
    let int = if int.is_empty() { "0" } else { int };
    let json = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    Some(
        serde_json::from_str::<serde_json::Value>(&json)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::INFINITY),
    )
}

/// An `f64` written as its `Display` writes it ("30", "44.1", "-0.5", "inf"): the shortest
/// digits that read back the same, in plain (not scientific) notation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plain(pub f64);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(self.0))
    }
}

fn plain(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    let shortest = serde_json::Number::from_f64(v)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let (negative, s) = match shortest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, shortest.as_str()),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(p) => (&s[..p], s[p + 1..].parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let joined = format!("{int}{frac}");
    let leading = joined.len() - joined.trim_start_matches('0').len();
    let digits = joined.trim_matches('0');
    // Where the decimal point falls in `digits`.
    let point = int.len() as i32 + exp - leading as i32;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat('0').take((-point) as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat('0').take(point as usize - digits.len()));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// Numbers written in English words, up to ninety-nine ("five minutes", "twenty-five").
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// The value of a number word ("five" → 5).
pub(crate) fn number_word(word: &str) -> Option<u32> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, n)| *n)
}

/// After a tens word ending at `i` ("twenty"), a units word joined by a space or a hyphen
/// ("twenty five", "twenty-five"): its value and where it ends.
pub(crate) fn units_after(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while chars.get(j).is_some_and(|c| *c == ' ' || *c == '-') && j < i + 2 {
        j += 1;
    }
    let end = j + chars[j.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let word: String = chars[j.min(chars.len())..end].iter().collect();
    let n = number_word(&word).filter(|n| (1..=9).contains(n))?;
    Some((n, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[&str] = &[
        "0",
        "00",
        "7",
        "30",
        "44.1",
        "44.10",
        "0.5",
        "000.25",
        "128",
        "1.5",
        "22.05",
        "0.1",
        "0.3",
        "9.95",
        "123456789012345",
        "1234567890123456",
        "12345678901234567890",
        "3.14159265358979323846",
        "0.000001",
        "0.0000001",
        "100000000000000000000000",
        "4.35",
        "1000000",
        "99999999999999999999999999",
        "0.30000000000000004",
    ];

    #[test]
    fn parses_like_core() {
        for s in SAMPLES {
            assert_eq!(parse_decimal(s), s.parse::<f64>().ok(), "{s}");
        }
        let long = "9".repeat(400);
        assert_eq!(parse_decimal(&long), Some(f64::INFINITY));
        for bad in ["", "1.", ".5", "1.2.3", "1a", "-1"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_like_display() {
        let mut values: Vec<f64> = SAMPLES.iter().map(|s| s.parse().unwrap()).collect();
        values.extend([
            -0.0,
            -16.0,
            -70.5,
            0.1 + 0.2,
            1e21,
            1e22,
            1.5e300,
            5e-324,
            -1e-7,
            48_000.0,
            44_100.0,
            192_000.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            2.5e-5,
            1e16,
            1e15,
            123.456e10,
        ]);
        for v in values {
            assert_eq!(Plain(v).to_string(), v.to_string(), "{v:e}");
            assert_eq!(Plain(-v).to_string(), (-v).to_string(), "{v:e}");
        }
        assert_eq!(Plain(f64::INFINITY).to_string(), "inf");
        assert_eq!(Plain(f64::NEG_INFINITY).to_string(), "-inf");
        assert_eq!(Plain(f64::NAN).to_string(), "NaN");
    }
}
