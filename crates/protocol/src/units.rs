//! How times, sizes and file names are written for people, once for the server, the wasm
//! client and the extension (which calls these through the wasm).
//!
//! - Times: `m:ss`, `h:mm:ss` past an hour, with a decimal part only when there is one.
//! - Sizes: decimal SI units (1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes), as browsers and the
//!   500 MB limit count them: "812 B", "15.4 kB", "154 kB", "3.1 MB".
//! - File names: one rule for the name on disk, in the result card and in the server's answers.
//!
//! Numbers are printed from integers: exact rounding, and no float formatting in the wasm.

/// A time given in milliseconds as `m:ss` or `h:mm:ss`, with the milliseconds as a decimal
/// part when not zero ("0:30.5", "1:02:03", "2:15.25").
pub fn clock(ms: u64) -> String {
    let (secs, frac) = (ms / 1000, ms % 1000);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&h.to_string());
        out.push(':');
        push2(&mut out, m);
    } else {
        out.push_str(&m.to_string());
    }
    out.push(':');
    push2(&mut out, s);
    if frac > 0 {
        out.push('.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let keep = if frac % 100 == 0 {
            1
        } else if frac % 10 == 0 {
            2
        } else {
            3
        };
        for d in &digits[..keep] {
            out.push(digit(*d));
        }
    }
    out
}

/// `seconds` rounded to a multiple of `step_ms` milliseconds (negative and NaN as 0), for
/// [`clock`]: a media's length is shown to the second (`1000`), a cut point to the tenth (`100`).
pub fn to_ms(seconds: f64, step_ms: u64) -> u64 {
    let step = step_ms.max(1) as f64;
    let steps = (seconds.max(0.0) * 1000.0 / step).round();
    if steps.is_finite() {
        steps as u64 * step_ms.max(1)
    } else {
        0
    }
}

/// A media's length, to the second ("2:15").
pub fn duration(seconds: f64) -> String {
    clock(to_ms(seconds, 1000))
}

fn push2(out: &mut String, n: u64) {
    out.push(digit(n / 10 % 10));
    out.push(digit(n % 10));
}

fn digit(d: u64) -> char {
    char::from(b'0' + (d % 10) as u8)
}

/// Decimal size units after bytes.
const SIZE_UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];

/// A size in decimal SI units: bytes under 1 kB, then one decimal under 100 of a unit (unless
/// it is 0) and none above ("812 B", "15.4 kB", "154 kB", "3.1 MB", "1 MB", "500 MB").
pub fn size(bytes: u64) -> String {
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut unit = 1000u128;
    for (i, name) in SIZE_UNITS.iter().enumerate() {
        let tenths = (u128::from(bytes) * 10 + unit / 2) / unit;
        let whole = (u128::from(bytes) + unit / 2) / unit;
        // 999,600 bytes is "1.0 MB", not "1000 kB".
        if whole >= 1000 && i + 1 < SIZE_UNITS.len() {
            unit *= 1000;
            continue;
        }
        return if tenths >= 1000 || tenths % 10 == 0 {
            format!("{whole} {name}")
        } else {
            format!("{}.{} {name}", tenths / 10, tenths % 10)
        };
    }
    format!("{bytes} B")
}

/// Characters no file system among Windows, macOS and Linux accepts in a name.
const FORBIDDEN: &str = "\\/:*?\"<>|";
/// Names Windows reserves for devices, whatever their extension ("con.mp3" cannot be saved).
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];
/// Longest stem kept, in bytes: file systems allow 255 bytes, and the browser may add " (1)".
const MAX_STEM_BYTES: usize = 150;
/// Longest extension kept, in characters.
const MAX_EXTENSION: usize = 8;
/// Used when a name has nothing a file name can hold.
pub const FALLBACK_STEM: &str = "audio";
/// Used when no format is known.
const FALLBACK_EXTENSION: &str = "mp3";

/// The file name a result is saved under: `title_or_file` (a page title such as "Lecture 3:
/// Waves" or a file name such as "lecture.mp4", whose extension is replaced) made safe on every
/// platform, plus `extension` ("mp3"). Forbidden characters, control characters and runs of
/// white space become one space; outer dots and spaces go; Windows' device names get a leading
/// "_"; an empty stem becomes "audio". The server names its outputs with this too, so the
/// result card, the download and the server's answers agree.
pub fn download_name(title_or_file: &str, extension: &str) -> String {
    let mut name = download_stem(title_or_file);
    name.push('.');
    let stem_len = name.len();
    // Only ASCII letters and digits are kept, so the dots and spaces around it go too.
    for c in extension.chars().filter(char::is_ascii_alphanumeric) {
        if name.len() - stem_len == MAX_EXTENSION {
            break;
        }
        name.push(c.to_ascii_lowercase());
    }
    if name.len() == stem_len {
        name.push_str(FALLBACK_EXTENSION);
    }
    name
}

/// [`download_name`] without its extension: the stem the server names an output with before
/// it knows which container ffmpeg writes.
pub fn download_stem(title_or_file: &str) -> String {
    safe_stem(stem(&words(title_or_file)))
}

/// A file name made safe by the same rule, keeping its extension when it has one
/// ("Q&A: part 2.mp4" → "Q&A part 2.mp4"); an upload's name as the server keeps it.
pub fn safe_name(name: &str) -> String {
    let words = words(name);
    let stem_part = stem(&words);
    let mut out = safe_stem(stem_part);
    if stem_part.len() < words.len() {
        out.push_str(&words[stem_part.len()..]);
    }
    out
}

/// `name` without a trailing ".ext" (1–5 letters or digits, at least one letter), so that
/// "lecture.mp4" loses ".mp4" but "Chapter 3.5" keeps its number.
pub fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.trim().is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic()) =>
        {
            stem
        }
        _ => name,
    }
}

/// Forbidden characters, control characters and white space become single spaces.
fn words(name: &str) -> String {
    let mut words = String::new();
    let mut gap = false;
    for c in name.chars() {
        if c.is_control() || FORBIDDEN.contains(c) || c.is_whitespace() {
            gap = !words.is_empty();
        } else {
            if gap {
                words.push(' ');
                gap = false;
            }
            words.push(c);
        }
    }
    words
}

/// A name as the rule keeps it — forbidden characters and white space runs made one space, cut
/// to [`MAX_STEM_BYTES`] on a character, outer dots and spaces gone — possibly empty: a name
/// read from a request before the server names the file.
pub fn clean_name(name: &str) -> String {
    trimmed(&words(name))
}

fn trimmed(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if out.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        out.push(c);
    }
    // A leading dot hides the file; a trailing dot or space is dropped by Windows and refused
    // by Chrome's downloads API. Both are ASCII, so every cut is on a character.
    let outer = |c: char| c == '.' || c == ' ';
    out.trim_matches(outer).to_string()
}

/// A stem by [`clean_name`]'s rule, never a device name, never empty.
fn safe_stem(stem: &str) -> String {
    let mut out = trimmed(stem);
    if out.is_empty() {
        out.push_str(FALLBACK_STEM);
    } else if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&out)) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
#[path = "units_tests.rs"]
mod tests;
