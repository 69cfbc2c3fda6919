use super::*;

#[test]
fn clocks() {
    assert_eq!(clock(0), "0:00");
    assert_eq!(clock(30_500), "0:30.5");
    assert_eq!(clock(30_250), "0:30.25");
    assert_eq!(clock(30_005), "0:30.005");
    assert_eq!(clock(62_500), "1:02.5");
    assert_eq!(clock(3_723_000), "1:02:03");
    assert_eq!(clock(36_000_000), "10:00:00");
    assert_eq!(duration(135.2), "2:15");
    assert_eq!(duration(134.5), "2:15");
    assert_eq!(duration(-3.0), "0:00");
    assert_eq!(duration(f64::NAN), "0:00");
    assert_eq!(clock(to_ms(62.54, 100)), "1:02.5");
    assert_eq!(clock(to_ms(3725.0, 100)), "1:02:05");
}

#[test]
fn sizes_are_decimal() {
    assert_eq!(size(0), "0 B");
    assert_eq!(size(999), "999 B");
    assert_eq!(size(1000), "1 kB");
    assert_eq!(size(1_000_000), "1 MB");
    assert_eq!(size(10_040_000), "10 MB");
    assert_eq!(size(15_400), "15.4 kB");
    assert_eq!(size(15_449), "15.4 kB");
    assert_eq!(size(15_450), "15.5 kB");
    assert_eq!(size(154_000), "154 kB");
    assert_eq!(size(999_600), "1 MB");
    assert_eq!(size(3_250_000), "3.3 MB");
    assert_eq!(size(500_000_000), "500 MB");
    assert_eq!(size(1_200_000_000), "1.2 GB");
    assert_eq!(size(u64::MAX), "18446744 TB");
}

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
        ("../../etc/passwd", "etc passwd.mp3"),
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
    assert_eq!(
        download_name(&long, "mp3"),
        format!("{}.mp3", "a".repeat(150))
    );
    let han = "录".repeat(200);
    let name = download_name(&han, "mp3");
    assert_eq!(name.strip_suffix(".mp3"), Some("录".repeat(50).as_str()));
    let spaced = format!("{} tail", "b".repeat(149));
    assert_eq!(
        download_name(&spaced, "mp3"),
        format!("{}.mp3", "b".repeat(149))
    );
}

#[test]
fn upload_names_keep_their_extension_and_name_outputs_alike() {
    assert_eq!(safe_name("Lecture 3: Waves.mp4"), "Lecture 3 Waves.mp4");
    assert_eq!(safe_name("../../etc/passwd"), "etc passwd");
    assert_eq!(safe_name("con.mp4"), "_con.mp4");
    assert_eq!(safe_name("..."), "audio");
    assert_eq!(safe_name("讲座\"x\".mp3"), "讲座 x.mp3");
    // The server names an output from the kept upload name; the client from the original.
    for raw in [
        "Lecture 3: Waves.mp4",
        "a/b\\c?.mov",
        "  x  ",
        "Chapter 3.5",
    ] {
        assert_eq!(
            download_name(&safe_name(raw), "mp3"),
            download_name(raw, "mp3"),
            "{raw:?}"
        );
    }
}
