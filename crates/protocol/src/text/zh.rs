//! Simplified Chinese.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Accepted => "支持的格式：视频 {video}，音频 {audio}。",
        Key::NoSound => "这是一张图片（{kind}），没有可以提取的声音。{accepted}",
        Key::UnsupportedType => "这个文件不是本服务能读取的视频或音频格式。{accepted}",
        Key::TooLarge => "文件超过了 {max} 的上限。请先剪短或压缩后再试。",
        Key::Restarted => "服务器在这个文件完成之前重启了。积分已退回；请再发一次请求来生成它。",
        Key::RunNoAnswer => "服务没有回答就结束了请求，会话里也没有任何变化。请再试一次，或换个说法。",
        Key::RunTimedOut => "服务在 {minutes} 分钟内没有完成，这个请求已放弃。请再试一次，或换一段更短的视频。",
        Key::TimelineUpdated => "服务更新了时间线。{summary}",
        Key::Timeline => "时间线（{count} 条轨道）：{tracks}",
        Key::TimelineTrack => "{n}. {kind}轨：{name}（{span}）",
        Key::TrackVideo => "视频",
        Key::TrackAudio => "音频",
        Key::TrackText => "文字",
        Key::TrackOther => "轨道",
        Key::TimelineEmpty => "时间线是空的。请选择一个视频并点“提取”。",
        Key::GuiDrag => "服务希望在它的时间线上拖动内容。请在指令里用文字描述要做的修改，再点“提取”。",
        Key::ExportTimedOut => "导出在 {minutes} 分钟内没有完成。稍后输入“导出”并点“提取”再试。",
        Key::ExportFailed => "导出失败（{reason}）。输入“导出”并点“提取”再试一次。",
        Key::UnreadableAnswer => {
            "无法读取 {what} 的回答：字段“{field}”缺失或不是预期的样子。请检查选项里的后端地址是否指向 Video to Audio 服务。"
        }
        Key::OutOfCreditsLink => "积分已用完。请在 {link} 注册以获得更多积分（这个链接会保留你的作品），然后再试。",
        Key::OutOfCreditsLocal => {
            "{host} 上的服务器积分已用完。请用更多积分重启它（--credits 参数，例如 --credits 100），然后再试。"
        }
        Key::OutOfCreditsHosted => "{host} 上的积分已用完。请在那里注册或充值，然后再试。",
        Key::PlanBlocked => {
            "你在 {host} 的套餐不允许导出；这与积分无关，而是订阅等级。请在那里升级套餐，然后输入“导出”再试。"
        }
    }
}
