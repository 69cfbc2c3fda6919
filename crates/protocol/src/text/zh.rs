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
        // (issue 8: the extension's own failures)
        Key::JobCancelled => "已取消。点击“提取”可重新开始。",
        Key::NoFileMade => "服务器处理完毕，但没有生成文件。请重试。",
        Key::FileGone => "所选文件已不可用。请重新选择该文件，然后点击“提取”。",
        Key::PageUnreadable => {
            "服务器和浏览器都无法读取此视频（{detail}）。请在视频所在页面打开弹出窗口并点击“提取”以允许访问该网站，或先下载视频再作为文件选择。"
        }
        Key::PageRefused => {
            "视频所在网站拒绝发送该视频（HTTP {status}）。请先下载视频，然后作为文件选择。"
        }
        Key::PageCut => {
            "视频所在网站中途停止发送（{detail}）。请重试，或先下载视频再作为文件选择。"
        }
        Key::EngineDidNotStart => {
            "无法在这台电脑上开始提取（{detail}）。请重新加载扩展程序后重试，或在“选项”中选择“始终使用服务器”。"
        }
        Key::Restarted => "服务器在这个文件完成之前重启了。积分已退回；请再发一次请求来生成它。",
        Key::EngineUnreadable => {
            "无法在这台电脑上读取这个文件（它不是扩展能识别的 MP4、MOV、AVI、MKV 或 WebM，或者文件已损坏）。请交给服务器处理，或把视频另存为 MP4 后重试。"
        }
        Key::EngineTruncated => {
            "这个文件不完整：它在索引所列的声音之前就结束了（下载没有完成？）。请重新完整下载后再试。"
        }
        Key::EngineNoAudio => {
            "这个视频没有声音轨道，没有可以提取的音频。请选择一个有声音的视频。"
        }
        Key::EngineNoSuchTrack => {
            "这个文件没有音轨 {wanted}；它的音轨有：{tracks}。请从中选择一个。"
        }
        Key::EngineEmptyRange => {
            "这个时间范围内没有声音，这个文件只有 {length} 长。请选择 0:00–{length} 之内的范围。"
        }
        Key::EngineCodecNeedsServer => {
            "这个视频的声音是 {codec} 格式，暂时无法在这台电脑上处理，需要使用服务器。请启动服务器（或在设置中填写一个），然后重试。"
        }
        Key::EngineEncodeNeedsServer => {
            "从这个视频的 {codec} 声音生成 {format} 需要使用服务器。请启动服务器（或在设置中填写一个）后重试，或者改为要求 MP3、WAV 或 FLAC，这些可以在这台电脑上生成。"
        }
        Key::EngineRead => {
            "无法继续读取这个视频（文件被移动或删除了，还是页面关闭了？）。请重新选择文件后再试。"
        }
        Key::EngineWrite => {
            "结果无法保存：浏览器的内存或存储空间不足。请关闭一些标签页或释放磁盘空间后再试。"
        }
        Key::EngineUnsupported => "这台电脑无法单独完成这个请求（{detail}），需要服务器。",
        Key::EngineFailed => {
            "在这台电脑上的提取意外中止了（{detail}）。请按“提取”重试，或在“选项”中选择“始终使用服务器”。"
        }
        // --- reliability (issue 11) ---
        Key::RequestTooLarge => "这个请求超过了该接口接受的 {max}，因此没有被读取。请发送更短的请求；文件请走上传接口。",
        Key::RequestTooSlow => "你的请求发到一半就停了，服务器不再等待。请检查网络连接后重新发送。",
        Key::DiskFull => "服务器在保存你的文件时磁盘空间用完了，文件没有保留。请稍后再试，或发送一个更小的文件。",
        Key::UrlHasCredentials => "这个网址里带有用户名或密码，本服务器不会把它们转发出去。请先下载文件再上传，或换一个不需要密码的链接。",
        Key::FfmpegStalled => "ffmpeg 连续 {seconds} 秒没有进展，已被停止，文件可能已损坏。积分已退回；请重试，或重新上传文件。",
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
