# Translations of live-stream forwarding (handlers/lives.py) and its /me line;
# `python tools/write_po.py locales/src/lives.py` writes locales/<lang>/LC_MESSAGES/lives.po.
FEATURE = "lives"
MESSAGES = [
    ("schedule a live stream", "安排直播", "安排直播"),
    ("upcoming live streams", "即将开始的直播", "即將開始的直播"),
    ("cancel a live stream", "取消直播", "取消直播"),
    (
        "{value} is not a start: write the date and time like 2026-11-22 20:00.",
        "{value} 不是有效的开播时间：请按 2026-11-22 20:00 的格式写日期和时间。",
        "{value} 不是有效的開播時間：請按 2026-11-22 20:00 的格式寫日期和時間。",
    ),
    (
        "{value} is not a date: write it like 2026-11-22.",
        "{value} 不是日期：请写成 2026-11-22 这样的格式。",
        "{value} 不是日期：請寫成 2026-11-22 這樣的格式。",
    ),
    (
        "{value} has already passed: give a time in the future.",
        "{value} 已经过去了：请给出未来的时间。",
        "{value} 已經過去了：請給出未來的時間。",
    ),
    (
        "{value} is too far ahead: at most {days} days.",
        "{value} 太远了：最多只能提前 {days} 天安排。",
        "{value} 太遠了：最多只能提前 {days} 天安排。",
    ),
    (
        "Unknown weekday {value}: use mon, tue, wed, thu, fri, sat, sun.",
        "无法识别的星期：{value}。请用周一至周日（或 mon、tue、wed、thu、fri、sat、sun），用逗号分隔。",
        "無法識別的星期：{value}。請用週一至週日（或 mon、tue、wed、thu、fri、sat、sun），用逗號分隔。",
    ),
    (
        "{value} is not a link to the live room: it must start with http:// or https://.",
        "{value} 不是直播间链接：链接必须以 http:// 或 https:// 开头。",
        "{value} 不是直播間連結：連結必須以 http:// 或 https:// 開頭。",
    ),
    (
        "Give the live's title after the link.",
        "请在链接后面写上直播标题。",
        "請在連結後面寫上直播標題。",
    ),
    (
        "The title is too long: at most {max} characters.",
        "标题太长了：最多 {max} 个字。",
        "標題太長了：最多 {max} 個字。",
    ),
    (
        "Live #{id} has no date on {date}.",
        "直播 #{id} 在 {date} 没有场次。",
        "直播 #{id} 在 {date} 沒有場次。",
    ),
    ("Live #{id} is cancelled already.", "直播 #{id} 已经取消了。", "直播 #{id} 已經取消了。"),
    (
        "Live #{id} on {date} has started already.",
        "直播 #{id} 在 {date} 的场次已经开始了。",
        "直播 #{id} 在 {date} 的場次已經開始了。",
    ),
    (
        "No live #{id}: /lives lists them.",
        "没有直播 #{id}：发送 /lives 查看列表。",
        "沒有直播 #{id}：傳送 /lives 查看列表。",
    ),
    (
        "Register the sharers' group first: send /setup sharers there.",
        "请先登记分享员群：在该群发送 /setup sharers。",
        "請先登記分享員群組：在該群組傳送 /setup sharers。",
    ),
    (
        "Thank you! Only linked sharers are counted: send me /bind with your sharer id in a"
        " private chat.",
        "谢谢！只有已绑定的分享员才计入转发：请私聊我发送 /bind 加上你的分享员 ID。",
        "謝謝！只有已綁定的分享員才計入轉發：請私訊我傳送 /bind 加上你的分享員 ID。",
    ),
    (
        "Give the live's number, and a date to cancel only that day.",
        "请写出直播编号；只取消某一天的话，再加上日期。",
        "請寫出直播編號；只取消某一天的話，再加上日期。",
    ),
    ("<b>Upcoming lives</b>", "<b>即将开始的直播</b>", "<b>即將開始的直播</b>"),
    ("<b>Last 7 days</b>", "<b>最近 7 天</b>", "<b>最近 7 天</b>"),
    ("No lives are scheduled.", "目前没有安排直播。", "目前沒有安排直播。"),
    (
        "#{id} {when} — {title} ({schedule})",
        "#{id} {when} — {title}（{schedule}）",
        "#{id} {when} — {title}（{schedule}）",
    ),
    (
        "#{id} {when} — {title}: {forwarded}",
        "#{id} {when} — {title}：{forwarded}",
        "#{id} {when} — {title}：{forwarded}",
    ),
    (
        ("forwarded by {n} sharer", "forwarded by {n} sharers"),
        "{n} 位分享员已转发",
        "{n} 位分享員已轉發",
    ),
    ("Announced in the sharers' group.", "已在分享员群发布预告。", "已在分享員群組發布預告。"),
    (
        "Live #{id} scheduled: {title}, {when}.",
        "直播 #{id} 已安排：{title}，{when}。",
        "直播 #{id} 已安排：{title}，{when}。",
    ),
    ("Repeats {schedule}.", "重复：{schedule}。", "重複：{schedule}。"),
    (
        "Live #{id} ({title}) is cancelled; nothing more will be posted for it.",
        "直播 #{id}（{title}）已取消，不会再发布相关消息。",
        "直播 #{id}（{title}）已取消，不會再發布相關訊息。",
    ),
    (
        "Live #{id} ({title}) on {date} is cancelled; the series goes on.",
        "直播 #{id}（{title}）{date} 的场次已取消，其他场次照常。",
        "直播 #{id}（{title}）{date} 的場次已取消，其他場次照常。",
    ),
    ("every day at {time}", "每天 {time}", "每天 {time}"),
    ("every {days} at {time}", "每{days} {time}", "每{days} {time}"),
    (("{n} minute", "{n} minutes"), "{n} 分钟", "{n} 分鐘"),
    (("{n} hour", "{n} hours"), "{n} 小时", "{n} 小時"),
    ("📣 Live stream: {title}", "📣 直播预告：{title}", "📣 直播預告：{title}"),
    ("🗓 {schedule}; next: {when}", "🗓 {schedule}；下一场：{when}", "🗓 {schedule}；下一場：{when}"),
    (
        "I will remind you {before} ahead; when it starts, forward the live room.",
        "开播前 {before}我会提醒大家；开播后请转发直播间。",
        "開播前 {before}我會提醒大家；開播後請轉發直播間。",
    ),
    (
        "⏰ The live starts in {left}: {title}",
        "⏰ 直播还有 {left}开始：{title}",
        "⏰ 直播還有 {left}開始：{title}",
    ),
    ("Get ready to forward the live room.", "准备好转发直播间吧。", "準備好轉發直播間吧。"),
    (
        "🔴 We are live — forward the live room now!",
        "🔴 开播啦，快转发直播间！",
        "🔴 開播啦，快轉發直播間！",
    ),
    (
        ("✅ Forwarded by {n} sharer", "✅ Forwarded by {n} sharers"),
        "✅ 已有 {n} 位分享员转发",
        "✅ 已有 {n} 位分享員轉發",
    ),
    ("✅ Forwarded", "✅ 已转发", "✅ 已轉發"),
    ("Open the live room", "进入直播间", "進入直播間"),
    ("Thank you, your forward is counted!", "谢谢，你的转发已记录！", "謝謝，你的轉發已記錄！"),
    (
        "Your forward was counted already — thank you!",
        "你的转发已经记录过了，谢谢！",
        "你的轉發已經記錄過了，謝謝！",
    ),
    (
        "❌ Cancelled: the live {title} on {when}.",
        "❌ {when} 的直播“{title}”取消了。",
        "❌ {when} 的直播「{title}」取消了。",
    ),
    ("❌ Cancelled: the live {title}.", "❌ 直播“{title}”取消了。", "❌ 直播「{title}」取消了。"),
    # The /me line (handlers/commission_commands.py render_me).
    ("Live rooms forwarded this month: {n}", "本月转发直播间：{n} 次", "本月轉發直播間：{n} 次"),
]
