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
        Key::RefuseVideoName => "保存为 .{ext} 视频（我只输出音频文件）",
        Key::RefuseUnreadableTime => "时间“{what}”，我读不懂——请写成 分:秒 或 时:分:秒，例如 1:30 或 1:02:03",
        Key::RefuseStrayNumber => "“{what}”，我不确定它指什么——请说明，例如“192k”“48kHz”“从1:30开始”或“前30秒”",
        Key::RefuseLoudnessTarget => "{lufs} LUFS 的响度目标（可选 {min} 到 {max} LUFS；播客一般用 {podcast}）",
        Key::RefuseTruePeak => "{dbtp} dBTP 的真峰值上限（可选 {min} 到 {max} dBTP）",
        Key::RefuseChannels => "{n} 个声道（我能输出单声道或立体声）",
        Key::RefuseSampleRate => "{hz} Hz 的采样率（可选 8 kHz 到 192 kHz）",
        Key::RefuseLosslessBitrate => "给 {label} 设置码率（{label} 是无损格式，没有码率设置；要指定码率请选 MP3、M4A、Ogg 或 Opus）",
        Key::RefuseCopyBitrate => "保留原始音频不重新编码，同时又指定码率（要指定码率请选 MP3、M4A、Ogg 或 Opus）",
        Key::RefuseBitrateRange => "{kbps} kbps 的 {name}（{name} 的码率范围是 {lo} 到 {hi} kbps）",
        Key::RefuseSeveralRanges => "多个时间范围（每次只能截取一段）",
        Key::RefuseAmbiguousCut => "“剪{what}”，不确定是保留还是去掉——请说“只要{what}”或“去掉{what}”",
        Key::RefuseEmptyRangeAt => "空的时间范围（开始和结束都是 {at}）",
        Key::RefuseEndBeforeStart => "结束时间 {end} 早于开始时间 {start}——是不是想说从{end}到{start}？",
        Key::RefuseLastZero => "空的时间范围（最后 0 秒）",
        Key::RefuseEndsBeforeStarts => "空的时间范围（结束早于开始）",
        Key::RefuseFraction => "按比例指定的片段（请直接说时间，例如“从5:00到结尾”）",
        Key::RefuseSeveralUploads => "一次处理多个视频（每次只能处理一个——请说明是哪一个，例如“第二个视频”）",
        Key::RefuseSeveralTracks => "一次提取多条音轨（每次只能提取一条——请说明是哪条，例如“音轨2”）",
        Key::RefuseSplit => "把音频切成多个文件（每次只生成一个文件，可以一次截取一段）",
        Key::RefuseDenoise => "去除背景音乐或噪音",
        Key::RefuseEnhance => "增强或修复音质",
        Key::RefuseTranslate => "翻译语音",
        Key::RefuseTranscribe => "转写文字或生成字幕",
        Key::RefuseVoice => "改变声音或音调",
        Key::RefuseSpeed => "改变播放速度",
        Key::RefuseMix => "混音、合并或添加音乐音效",
        Key::RefuseVocals => "分离人声和伴奏",
        Key::RefuseVolume => "调整音量（如需统一响度，可以说“标准化响度”）",
        Key::RefuseEffects => "音效处理（淡入淡出、混响、均衡、倒放、环绕声等）",
        Key::RefuseSilence => "去除或添加静音",
        Key::RefuseVideoEdit => "编辑或导出视频（我只输出音频文件）",
        Key::RefuseBitDepth => "设置位深",
        Key::RefuseVideoFile => "生成视频文件（我只输出音频文件）",
        Key::RefuseEncoderPreset => "编码预设“{preset}”（可以说“高音质”“小文件”或码率，例如 192k）",
        Key::RefuseOtherFormat => "{name} 格式（我能输出 MP3、M4A、WAV、FLAC、Ogg 或 Opus）",
        Key::RefuseVaguePart => "按内容描述的片段（“{what}”）——我需要具体时间，例如“去掉前30秒”或“从1:00到2:00”",
        Key::MediaNoAudio => "这个文件没有音轨，没有可提取的声音。请上传有声音的视频。",
        Key::MediaNoTrackNumber => "这个文件没有第 {n} 条音轨（它共有 {count} 条）。请选择其中一条，或不指定音轨（默认第一条）。",
        Key::MediaNoTrackLanguage => "这个文件没有“{wanted}”语言的音轨；它的音轨是：{list}。请选择其中一条，或不指定语言（默认第一条）。",
        Key::MediaLengthUnknown => "无法读取这个文件的时长，所以无法从中提取音频。请重新上传完整的文件，或先另存为 MP4。",
        Key::MediaRangePastEnd => "时间范围从 {start} 开始，但这个文件只有 {length} 长；请选择 0:00–{length} 之内的范围。",
        Key::MediaRangeEmpty => "这个时间范围内没有音频（文件长 {length}）；请选择 0:00–{length} 之内的范围。",
        Key::MediaNotMedia => "这看起来是{what}，不是本服务能处理的视频或音频文件。{accepted}",
        Key::MediaDamaged => "这个 {kind} 文件已损坏或不完整（可能上传时被截断），无法读取其中的声音；请重新上传完整的文件。",
        Key::MediaProbeTimedOut => "ffprobe 读取这个文件超过一分钟，已被停止；文件可能已损坏。请重新上传完整的文件，或先另存为 MP4。",
        Key::MediaProbeFailed => "ffprobe 无法读取这个文件（{detail}）。请重新上传完整的文件，或先另存为 MP4。",
        Key::MediaProbeUnreadable => "无法读取 ffprobe 的报告（{detail}）。请再试一次；如果一直这样，请查看服务器日志。",
        Key::MediaInputGone => "上传的文件已不在服务器上；请重新上传。",
        Key::MediaCopyUnplayable => "ffmpeg 写出的音频无法播放，所以没有保留；请换一种格式，例如 MP3。",
        Key::MediaLoudnessUnreadable => "ffmpeg 测量了响度，但无法读取它的报告；请不做响度标准化再试一次。",
        Key::MediaEmptyOutput => "ffmpeg 完成了，但写出的音频是空的；请换一个时间范围。",
        Key::MediaStopped => "ffmpeg 在完成之前被停止了；请再试一次。",
        Key::MediaDiskFull => "服务器在写入音频时磁盘空间用完了；请稍后再试。",
        Key::MediaCannotWrite => "服务器无法写入音频文件；请稍后再试。",
        Key::MediaNoEncoder => "这台服务器的 ffmpeg 缺少该格式的编码器；请换一种格式（MP3、M4A、WAV、FLAC）。",
        Key::MediaUnreadableInput => "ffmpeg 无法读取这个文件里的音频：它看起来已损坏或不完整；请重新上传完整的文件。",
        Key::MediaFfmpegSaid => "ffmpeg 无法提取音频（{detail}）；请换一种格式，或确认文件能正常播放。",
        Key::MediaFfmpegFailed => "ffmpeg 无法提取音频；请换一种格式，或确认文件能正常播放。",
        Key::KindPdf => "一个 PDF 文档",
        Key::KindZip => "一个 ZIP 压缩包（或 Office 文档）",
        Key::KindArchive => "一个压缩包",
        Key::KindOgg => "一个 Ogg 文件",
        Key::KindFlac => "一个 FLAC 音频文件",
        Key::KindHtml => "一个网页（HTML）",
        Key::KindText => "一个文本文件",
        Key::ClientTokenRefused => "服务器拒绝了扩展选项里设置的令牌（{detail}）。请在那里填入有效的令牌，或清空该项以使用免费的匿名令牌。",
        Key::ClientNetwork => "无法连接 {url} 上的 Video to Audio 服务器。请用 ./build.sh run 启动它（或检查扩展选项里的后端地址）。",
        Key::ClientAborted => "已取消。随时可以重新开始。",
        Key::ClientProtocol => "服务器发来的回答本扩展无法理解（{detail}）。请检查扩展选项里的后端地址是否指向 Video to Audio 服务器。",
        Key::ClientStream => "结果到达之前与服务器的连接断开了（{detail}）。请稍后查看会话（结果可能仍会完成），或再试一次。",
        Key::ClientRunFailed => "{message} 请再试一次，或换个说法。",
        Key::ClientTokenExpired => "你对 Video to Audio 服务器的访问已过期，且无法获取新的访问。请一分钟后再试。",
        Key::ClientSessionLost => "工作会话丢失了，且无法创建新的会话。请一分钟后再试。",
        Key::ClientOutOfCredits => "你的积分用完了。请在 Video to Audio 服务上注册或充值，然后再试。",
        Key::ClientUnsupportedType => "不支持这种文件类型。{accepted}",
        Key::ClientTooLarge => "文件超过了服务器接受的大小。请先剪短或压缩。",
        Key::ClientPlanBlocked => "你的套餐不允许导出，这与积分无关。请在 Video to Audio 服务上升级订阅后再导出。",
        Key::ClientRateLimited => "Video to Audio 服务器现在收到的请求太多。请等一分钟后再试。",
        Key::ClientBadRequest => "服务器认为请求格式有误（{detail}）。请重新加载扩展后再试。",
        Key::ClientUrlRefused => "{reason} 请先下载文件，再上传。",
        Key::ClientUrlNotFetched => "服务器无法获取这个网址。",
        Key::ClientOtherError => "Video to Audio 服务器返回了错误（代码 {code}：{detail}）。请再试一次；如果一直这样，请查看服务器日志。",
        Key::ClientNoDetails => "无详细信息",
        Key::ApiNoEndpoint => "没有 {method} {path} 这个接口。API 说明见 docs/PROTOCOL.md。",
        Key::ApiMethodNotAllowed => "{path} 不接受 {method} 请求。API 说明见 docs/PROTOCOL.md。",
        Key::ApiUrlBodyHow => "按网址上传时，请求体应是很小的 JSON {\"url\": \"...\"}；要发送文件本身，请改用 multipart/form-data。",
        Key::ApiBadUrlBody => "无法读取 JSON 请求体（{detail}）。请发送 {\"url\": \"https://…\"}。",
        Key::NamedProblem => "文件“{name}”：{problem}",
        Key::ApiBadJson => "请求体不是这个接口需要的 JSON（{detail}）。说明见 docs/PROTOCOL.md。",
        Key::ApiBadMultipart => "无法按 multipart 表单读取这次上传（{detail}）。请把文件放在名为 \"file\" 的字段里发送。",
        Key::ApiNoFileField => "这次上传没有文件。请用 multipart/form-data 把文件放在名为 \"file\" 的字段里发送。",
        Key::ApiEmptyUpload => "上传的文件是空的。请选择一个有声音的视频。",
        Key::ApiUploadHow => "请用 multipart/form-data（字段 \"file\"）或 JSON {\"url\": \"...\"} 发送文件。",
        Key::ApiNoSuchFile => "没有这个文件。请重新获取会话状态以拿到当前的下载链接。",
        Key::ApiFileRemoved => "这个文件已在 {hours} 小时后删除；请重新提取。",
        Key::ApiFileFailed => "这次提取失败了（{reason}），所以没有文件。请再运行一次。",
        Key::ApiFileRunning => "这个文件还在提取中。请等它完成后再下载。",
        Key::ApiSourceRemoved => "{name} 的来源上传已被删除，无法转换。请重新上传。",
        Key::ApiNoSuchExport => "没有这个 id 的导出。请用 POST /api/render/proxy/lambda 开始一次导出。",
        Key::ApiUnknownReason => "原因不明",
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
        Key::Instruction => "提取音频，{how}",
        Key::InstructionWith => "提取音频，{how}，{quality}",
        Key::InstructionAs => "转成{format}",
        Key::InstructionOriginal => "原始音质",
        Key::InstructionHigh => "高音质",
        Key::InstructionSmall => "小文件",
        Key::InstructionVoice => "语音",
        Key::InstructionBitrate => "码率{kbps}kbps",
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
            "这个视频的声音是 {codec} 格式，只有服务器能处理。"
        }
        Key::EngineEncodeNeedsServer => {
            "只有服务器能从这个视频的 {codec} 声音生成 {format}；改为要求 {formats}，这台电脑就能自己生成。"
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
        Key::UploadCut => {
            "上传文件时与服务器的连接连续断开了 {tries} 次，但服务器本身仍有应答。请检查网络连接（或中间的代理、VPN），然后再点“提取”。"
        }
        Key::RunCut => "在结果送达之前与服务器的连接被切断了，会话里也没有这个请求的结果。请再点“提取”。",
        Key::RunCutNoServer => {
            "服务器处理你的文件时连接被切断了，并且服务器在 {seconds} 秒内都没有再应答。请确认服务器正在运行、网络已连接，然后再点“提取”。"
        }
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
