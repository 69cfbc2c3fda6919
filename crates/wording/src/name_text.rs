//! Pieces of text handling shared by the two readers of names (`names.rs` for names after a
//! marker, `file_names.rs` for names with an extension).

/// Quotes a name may be typed in, opening and closing.
pub(crate) const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('《', '》'),
    ('『', '』'),
];

/// Whether `c` ends an unquoted name.
pub(crate) fn is_sep(c: char) -> bool {
    c.is_whitespace() || ",;!?，。；！？、()（）".contains(c)
}

/// The name by the one file-name rule (`v2a_protocol::units`); `None` when nothing is left.
pub(crate) fn clean(name: &str) -> Option<String> {
    let s = v2a_protocol::units::clean_name(name);
    (!s.is_empty()).then_some(s)
}

/// Blank out `start..end` of `s`, keeping every other byte where it was.
pub(crate) fn blank(s: &mut String, start: usize, end: usize) {
    s.replace_range(start..end, &" ".repeat(end - start));
}
