//! Simplified Chinese.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Accepted => "支持的格式：视频 {video}，音频 {audio}。",
        Key::NoSound => "这是一张图片（{kind}），没有可以提取的声音。{accepted}",
        Key::UnsupportedType => "这个文件不是本服务能读取的视频或音频格式。{accepted}",
        Key::TooLarge => "文件超过了 {max} 的上限。请先剪短或压缩后再试。",
        Key::Restarted => "服务器在这个文件完成之前重启了。积分已退回；请再发一次请求来生成它。",
        Key::EngineRead => "无法在这台电脑上读取这个文件（{detail}）。请重新选择它，然后按“提取”。",
        Key::EngineUnreadable => {
            "无法在这台电脑上读取这个文件（{detail}）。请确认它是完整的视频，或启动服务器（./build.sh run）或在“选项”中设置服务器，让服务器来处理。"
        }
        Key::EngineTruncated => {
            "这个文件不完整：声音在索引所说的位置之前就结束了（{detail}）。请使用完整的视频，再按“提取”。"
        }
        Key::EngineUnsupported => "这台电脑无法单独完成这个请求（{detail}），需要服务器。",
        Key::EngineNoAudio => "这个视频没有声音轨道，没有可以提取的内容。请选择另一个视频。",
        Key::EngineWrite => "浏览器无法保存结果（{detail}）。请释放一些磁盘空间，再按“提取”。",
        Key::EngineFailed => {
            "在这台电脑上的提取意外中止了（{detail}）。请按“提取”重试，或在“选项”中选择“始终使用服务器”。"
        }
    }
}
