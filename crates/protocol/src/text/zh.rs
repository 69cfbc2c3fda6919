//! Simplified Chinese.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Accepted => "支持的格式：视频 {video}，音频 {audio}。",
        Key::NoSound => "这是一张图片（{kind}），没有可以提取的声音。{accepted}",
        Key::UnsupportedType => "这个文件不是本服务能读取的视频或音频格式。{accepted}",
        Key::TooLarge => "文件超过了 {max} 的上限。请先剪短或压缩后再试。",
        Key::Restarted => "服务器在这个文件完成之前重启了。积分已退回；请再发一次请求来生成它。",
        // --- reliability (issue 11) ---
        Key::RequestTooLarge => "这个请求超过了该接口接受的 {max}，因此没有被读取。请发送更短的请求；文件请走上传接口。",
        Key::RequestTooSlow => "你的请求发到一半就停了，服务器不再等待。请检查网络连接后重新发送。",
        Key::DiskFull => "服务器在保存你的文件时磁盘空间用完了，文件没有保留。请稍后再试，或发送一个更小的文件。",
        Key::UrlHasCredentials => "这个网址里带有用户名或密码，本服务器不会把它们转发出去。请先下载文件再上传，或换一个不需要密码的链接。",
        Key::FfmpegStalled => "ffmpeg 连续 {seconds} 秒没有进展，已被停止，文件可能已损坏。积分已退回；请重试，或重新上传文件。",
    }
}
