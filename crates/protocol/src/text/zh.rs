//! Simplified Chinese.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Accepted => "支持的格式：视频 {video}，音频 {audio}。",
        Key::NoSound => "这是一张图片（{kind}），没有可以提取的声音。{accepted}",
        Key::UnsupportedType => "这个文件不是本服务能读取的视频或音频格式。{accepted}",
        Key::TooLarge => "文件超过了 {max} 的上限。请先剪短或压缩后再试。",
        Key::Help => {
            "我可以把你上传的视频里的声音提取出来，生成音频文件。告诉我格式（MP3、M4A、WAV、FLAC、Ogg 或 Opus，或保留原始音频不重新编码），还可以指定码率、采样率、单声道或立体声、时间范围、响度标准化、第几个上传的视频或哪条音轨，以及文件名。例如：\n• “提取音频为MP3，192k”\n• “转成wav，48kHz，单声道，从0:30到2:15”\n• “第二个视频的最后一分钟，转成m4a，播客响度”\n• “英语音轨，原始音质，命名为 采访”"
        }
        Key::Unsupported => {
            "抱歉，这个我做不到：{reason}。我能做的是把视频里的声音提取为 MP3、M4A、WAV、FLAC、Ogg 或 Opus，可以指定码率、采样率、单声道或立体声、时间范围、响度标准化和文件名——例如“提取音频为MP3，从0:30到2:15”。"
        }
        Key::UploadHow => {
            "要添加视频，请用 POST {path} 以 multipart 表单上传（字段名 \"file\"），或发送 JSON {\"url\": \"https://...\"} 让服务器去下载。然后告诉我要提取什么，例如“提取为 MP3”。"
        }
        Key::Credits => {
            "你有 {available} 个可用积分（{frozen} 个被进行中的提取占用）。每次提取消耗一个积分。"
        }
        Key::NothingUploaded => "这个会话还没有上传任何文件。请先上传视频，再告诉我要提取什么。",
        Key::StatusReport => "上传：{uploads}。结果：{results}。",
        Key::NoResultsYet => "还没有提取",
        Key::UploadFirst => "请先上传视频，然后再问一次。{how}",
        Key::UploadNotFound => {
            "找不到你说的那个上传文件。这个会话里有：{uploads}。请说明是哪一个，例如“第一个视频”。"
        }
        Key::UploadRemoved => "{name} 已在 {hours} 小时后被删除。请重新上传，然后再问一次。",
        Key::NoAudioTrack => "{name} 没有音轨，没有可以提取的声音。请上传带声音的视频。",
        Key::Extracting => "正在提取 {name} 的音频：{summary}…",
        Key::Done => "完成：{name} — {facts}。请在下方下载。",
        Key::EndedEarly => {
            "注意：其中的声音在 {got} 处就结束了，而不是预期的 {expected}。如果文件在保存或上传时被截断，请上传完整文件后再试。"
        }
        Key::NothingToExport => "还没有可以导出的结果。请先上传视频，并让我提取音频。",
        Key::ExportExpired => {
            "最新结果 {name} 已超过 {hours} 小时的保存期限，正在被删除。请重新提取。"
        }
        Key::ExportReady => {
            "最新结果 {name} 已就绪：从 {url} 下载（导出 {render_id}）。链接 {left}内有效。"
        }
        Key::ExportRunning => {
            "{name} 还在提取中（{percent}%）。请轮询 GET /api/render/proxy/lambda/{render_id}，或稍后再问“状态”。"
        }
        Key::MinutesLeft => "{n} 分钟",
        Key::OneMinuteLeft => "1 分钟",
        Key::HoursLeft => "{n} 小时",
        Key::OneHourLeft => "1 小时",
        Key::Stopping => "服务器正在停止，这次提取被中断了。请在服务器恢复后再试一次；开始时积分会退回。",
        Key::UploadSwept => "提取开始之前，上传的文件已被定期清理删除；请重新上传。",
        Key::JobPanicked => "提取意外中止了。请再试一次。",
        Key::ResultNotSaved => "结果没能保存在服务器上。请再试一次。",
        Key::ToolFailed => "服务器无法运行这次提取。请稍后再试。",
        Key::ApiTokenInvalid => {
            "访问令牌缺失、无效或已过期。请用 POST /api/auth/anonymous-token 获取新的令牌。"
        }
        Key::ApiLinkInvalid => {
            "这个下载链接无效。请重新获取会话状态以得到新链接，或带上 Authorization 请求头。"
        }
        Key::ApiSessionNotFound => {
            "这个会话不存在。请用 POST /api/tasks/me/with-session/nemo_agent 创建新会话。"
        }
        Key::ApiOutOfCredits => {
            "你的积分已用完。请用 POST /api/auth/anonymous-token 获取新令牌，或请服务器管理员调高 --credits。"
        }
        Key::ApiMissingClientId => {
            "缺少 X-Client-Id 请求头。请为这个安装生成一个 UUID，并作为 X-Client-Id 发送。"
        }
        Key::ApiRateLimited => "请求太多了。请等 {seconds} 秒后再试。",
        Key::ApiUrlRefused => "无法获取这个网址：{reason}。请先下载文件，再上传。",
        Key::ApiInternal => "服务器出了点问题。请再试一次；如果一直这样，请查看服务器日志。",
        Key::Restarted => "服务器在这个文件完成之前重启了。积分已退回；请再发一次请求来生成它。",
    }
}
