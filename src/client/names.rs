//! The name a result is saved under in the browser's downloads: the page title or the picked
//! file's name, with the extension of the format the server made.
//!
//! Plain string shaping, kept here rather than in the extension's JavaScript so that one tested
//! function decides what a download is called on every browser.

/// Characters no file system among Windows, macOS and Linux accepts in a name.
const FORBIDDEN: &str = "\\/:*?\"<>|";
/// Names Windows reserves for devices, whatever their extension ("con.mp3" cannot be saved).
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];
/// Longest name kept, in bytes: file systems allow 255 bytes, and the browser may add " (1)".
const MAX_STEM_BYTES: usize = 150;
/// Used when the title has nothing a file name can hold.
const FALLBACK_STEM: &str = "audio";
/// Used when the server said no format.
const FALLBACK_EXTENSION: &str = "mp3";

/// The file name to save a result under: `title_or_file` (a page title such as "Lecture 3:
/// Waves" or a file name such as "lecture.mp4", whose extension is replaced) made safe on every
/// platform, plus `extension` (the result's format, "mp3"). Never empty: a title with nothing
/// usable becomes "audio".
pub fn download_name(title_or_file: &str, extension: &str) -> String {
    // Built by hand with pushes rather than `format!`, iterator adaptors and `join`: this runs
    // in the extension's WebAssembly, where each of those adds code for a few characters' work.
    let mut name = safe_stem(title_or_file);
    if name.is_empty() {
        name.push_str(FALLBACK_STEM);
    } else if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&name)) {
        // "_con" rather than "con", which Windows would refuse.
        name.insert(0, '_');
    }
    name.push('.');
    let stem_len = name.len();
    // Only ASCII letters and digits are kept, so the dots and spaces around it go too.
    for c in extension.chars().filter(char::is_ascii_alphanumeric) {
        if name.len() - stem_len == 8 {
            break;
        }
        name.push(c.to_ascii_lowercase());
    }
    if name.len() == stem_len {
        name.push_str(FALLBACK_EXTENSION);
    }
    name
}

/// `name` without a file extension, forbidden characters or outer dots and spaces, cut to
/// [`MAX_STEM_BYTES`]; empty when nothing is left.
fn safe_stem(name: &str) -> String {
    // Forbidden characters become spaces, and runs of spaces one space.
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
    let stem = without_extension(&words);
    let mut out = String::new();
    for c in stem.chars() {
        if out.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        out.push(c);
    }
    // A leading dot hides the file; a trailing dot or space is dropped by Windows and refused
    // by Chrome's downloads API. The only whitespace left is ' ' (runs were made one space
    // above), and both are ASCII, so bytes are enough and every cut is on a character.
    let bytes = out.as_bytes();
    let outer = |b: &u8| *b == b'.' || *b == b' ';
    let start = bytes.iter().position(|b| !outer(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !outer(b))
        .map_or(start, |i| i + 1);
    out[start..end].to_string()
}

/// `name` without a trailing ".ext" (1–5 letters or digits, at least one letter), so that
/// "lecture.mp4" loses ".mp4" but "Chapter 3.5" keeps its number.
fn without_extension(name: &str) -> &str {
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

#[cfg(test)]
mod tests {
    use super::download_name;

    #[test]
    fn titles_and_file_names() {
        let cases = [
            ("Lecture 3", "mp3", "Lecture 3.mp3"),
            ("lecture.mp4", "mp3", "lecture.mp3"),
            ("Interview.MOV", "wav", "Interview.wav"),
            ("song.final.webm", "flac", "song.final.flac"),
            ("Chapter 3.5", "m4a", "Chapter 3.5.m4a"),
            ("采访 第一集.mp4", "mp3", "采访 第一集.mp3"),
            ("talk", ".OGG", "talk.ogg"),
            ("talk", "", "talk.mp3"),
            ("talk", "m/p:3", "talk.mp3"),
        ];
        for (title, ext, want) in cases {
            assert_eq!(download_name(title, ext), want, "{title:?} + {ext:?}");
        }
    }

    #[test]
    fn unsafe_characters_become_spaces() {
        let cases = [
            (
                "Q&A: what/why? <live> | \"part 2\"",
                "Q&A what why live part 2.mp3",
            ),
            ("a\\b*c", "a b c.mp3"),
            ("tab\there\nnewline\u{7f}", "tab here newline.mp3"),
            ("...hidden", "hidden.mp3"),
            ("ends with dots...", "ends with dots.mp3"),
            ("  spaced   out  ", "spaced out.mp3"),
        ];
        for (title, want) in cases {
            assert_eq!(download_name(title, "mp3"), want, "{title:?}");
        }
    }

    #[test]
    fn reserved_names_are_prefixed() {
        for (title, want) in [
            ("CON", "_CON.mp3"),
            ("nul.mp4", "_nul.mp3"),
            ("com1", "_com1.mp3"),
            ("lpt9.wav", "_lpt9.mp3"),
            ("console", "console.mp3"),
        ] {
            assert_eq!(download_name(title, "mp3"), want, "{title:?}");
        }
    }

    #[test]
    fn empty_or_unusable_titles_become_audio() {
        for title in ["", "   ", "???", "...", "/:*", "\u{0}\u{1f}"] {
            assert_eq!(download_name(title, "wav"), "audio.wav", "{title:?}");
        }
    }

    #[test]
    fn very_long_titles_are_cut_on_a_character() {
        let long = "a".repeat(400);
        let name = download_name(&long, "mp3");
        assert_eq!(name, format!("{}.mp3", "a".repeat(150)));
        // Three bytes a character: cut at a character boundary, within the byte budget.
        let han = "录".repeat(200);
        let name = download_name(&han, "mp3");
        let stem = name.strip_suffix(".mp3").expect("ends with the extension");
        assert_eq!(stem, "录".repeat(50));
        // A cut that lands on a space does not leave a trailing space.
        let spaced = format!("{} tail", "b".repeat(149));
        assert_eq!(
            download_name(&spaced, "mp3"),
            format!("{}.mp3", "b".repeat(149))
        );
    }
}
