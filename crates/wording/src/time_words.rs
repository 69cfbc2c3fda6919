//! Words of time ranges, English and Chinese, as `|`-separated lists.

pub(crate) const FIRST: &[&str] = &[
    "first",
    "opening",
    "initial",
    "前",
    "开头",
    "开始的",
    "最前面",
    "片头",
    "头",
];
pub(crate) const LAST: &[&str] = &[
    "last", "final", "ending", "closing", "最后", "末尾", "结尾", "最後", "片尾", "后",
];
pub(crate) const FROM: &[&str] = &[
    "from",
    "starting at",
    "starting from",
    "start at",
    "start from",
    "begin at",
    "beginning at",
    "beginning from",
    "begins at",
    "starts at",
    "start",
    "从",
    "自",
];
pub(crate) const FROM_START: &[&str] = &[
    "the start",
    "the beginning",
    "start",
    "beginning",
    "头",
    "开头",
    "开始",
];
pub(crate) const TO: &[&str] = &[
    "to",
    "until",
    "till",
    "through",
    "thru",
    "-",
    "up to",
    "and",
    "到",
    "至",
    "until the",
];
pub(crate) const TO_END: &[&str] = &[
    "the end",
    "end",
    "the finish",
    "finish",
    "结尾",
    "结束",
    "最后",
    "末尾",
    "完",
];
pub(crate) const BARE_TO: &[&str] = &["to", "until", "till", "through", "thru", "-", "到", "至"];
pub(crate) const BEFORE: &[&str] = &["之前", "以前", "前", "为止"];
pub(crate) const UNTIL: &[&str] = &[
    "until",
    "till",
    "up to",
    "up until",
    "through",
    "to",
    "直到",
    "截止到",
    "截至",
    "到",
];
pub(crate) const AFTER: &[&str] = &[
    "onwards",
    "onward",
    "on",
    "and on",
    "to the end",
    "till the end",
    "until the end",
    "to end",
    "开始",
    "之后",
    "以后",
    "后",
    "起",
    "到结尾",
    "到最后",
];
pub(crate) const DROP: &[&str] = &[
    "skip",
    "skipping",
    "remove",
    "drop",
    "without",
    "cut off",
    "cut out",
    "trim",
    "trim off",
    "ignore",
    "exclude",
    "excluding",
    "except",
    "minus",
    "lose",
    "去掉",
    "去除",
    "跳过",
    "删掉",
    "删除",
    "不要",
    "剪掉",
    "除去",
    "除了",
];
/// The whole media, said out loud: no range.
pub(crate) const WHOLE: &[&str] = &[
    "from start to end",
    "from the start to the end",
    "from beginning to end",
    "from the beginning to the end",
    "start to finish",
    "from start to finish",
    "the whole thing",
    "the whole video",
    "the entire video",
    "the whole file",
    "whole video",
    "entire video",
    "从头到尾",
    "从开头到结尾",
    "从开始到结束",
    "从头到结尾",
    "整个视频",
    "完整的",
    "整段",
];
/// Chinese puts the verb last: "最后10秒不要", "把片头30秒去掉".
pub(crate) const DROP_AFTER: &[&str] = &[
    "不要", "去掉", "去除", "删掉", "删除", "剪掉", "跳过", "除外", "拿掉",
];
pub(crate) const AMBIGUOUS_CUT: &[&str] = &["cut", "剪"];
