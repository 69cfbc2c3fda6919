//! The description's "Backend Response Translation": the hosted backend answers as if a GUI
//! were in front of the person ("Click Export to download your MP3."). Those sentences are
//! never shown; each becomes what the table says to do instead.

use serde::Serialize;

/// What a GUI phrase stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuiAction {
    /// "click [button]" / "点击" / "Export button" / "导出": run the export.
    Export,
    /// "preview in timeline": show the track summary.
    Summary,
    /// "open [panel]" / "打开": read the session's state (shown as the track summary).
    State,
    /// "drag/drop" / "拖拽": an edit, which is asked for in words.
    Drag,
}

/// Phrases of each action, lower case, in priority order (an export wins over a preview).
const PHRASES: &[(GuiAction, &[&str])] = &[
    (
        GuiAction::Export,
        &[
            "click",
            "点击",
            "export button",
            "导出",
            "press export",
            "tap export",
            "单击",
        ],
    ),
    (
        GuiAction::Summary,
        &[
            "preview in timeline",
            "preview in the timeline",
            "preview it in",
            "预览",
        ],
    ),
    (
        GuiAction::State,
        &["open the panel", "panel", "sidebar", "打开"],
    ),
    (GuiAction::Drag, &["drag", "drop it", "拖拽", "拖动"]),
];

fn action_of(sentence: &str) -> Option<GuiAction> {
    // The phrases are ASCII or Chinese (which has no case): ASCII lower-casing is enough, and
    // keeps all of Unicode's case table (7.6 KB gzipped) out of the wasm.
    let lower = sentence.to_ascii_lowercase();
    PHRASES
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| lower.contains(p)))
        .map(|(action, _)| *action)
}

/// The sentences of a text, each with its closing punctuation.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end = at + c.len_utf8();
        let closes = match c {
            '。' | '！' | '？' | '\n' => true,
            '.' | '!' | '?' => chars.peek().map_or(true, |(_, next)| next.is_whitespace()),
            _ => false,
        };
        if closes {
            out.push(&text[start..end]);
            start = end;
        }
    }
    out.push(&text[start..]);
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// The text without its GUI sentences, and the strongest action they asked for.
pub fn translate(text: &str) -> (String, Option<GuiAction>) {
    let mut kept = Vec::new();
    let mut action: Option<GuiAction> = None;
    let rank = |a: GuiAction| PHRASES.iter().position(|(b, _)| *b == a);
    for sentence in sentences(text) {
        match action_of(sentence) {
            Some(found) => {
                if action.map_or(true, |held| rank(found) < rank(held)) {
                    action = Some(found);
                }
            }
            None => kept.push(sentence.trim()),
        }
    }
    (kept.join(" "), action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gui_sentences_become_actions() {
        let (text, action) = translate(
            "I've extracted the audio track to the timeline. Click Export to download your MP3.",
        );
        assert_eq!(text, "I've extracted the audio track to the timeline.");
        assert_eq!(action, Some(GuiAction::Export));
        let (text, action) = translate("已把音频放到时间线上。点击导出按钮即可下载。");
        assert_eq!(text, "已把音频放到时间线上。");
        assert_eq!(action, Some(GuiAction::Export));
        assert_eq!(
            translate("Done! Preview in timeline to check it."),
            ("Done!".to_string(), Some(GuiAction::Summary))
        );
        assert_eq!(
            translate("Open the audio panel to see it.").1,
            Some(GuiAction::State)
        );
        assert_eq!(
            translate("Drag the clip onto track 2.").1,
            Some(GuiAction::Drag)
        );
        assert_eq!(
            translate("Done: talk.mp3 — MP3, 0:03. Download it below."),
            (
                "Done: talk.mp3 — MP3, 0:03. Download it below.".to_string(),
                None
            )
        );
    }
}
