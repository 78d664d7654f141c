# Translations of the announcements' messages (/broadcast, /dm_all);
# `python tools/write_po.py locales/src/announcements.py` writes the .po files.
FEATURE = "announcements"
MESSAGES = [
    ("📢 <b>Announcement</b>", "📢 <b>公告</b>", "📢 <b>公告</b>"),
    (
        "Write the announcement after the command, or reply to it with the command.",
        "请在命令后写上公告内容，或用这个命令回复要发出的消息。",
        "請在指令後寫上公告內容，或用這個指令回覆要發出的訊息。",
    ),
    (
        "The announcement is too long: {n} characters, at most {max}.",
        "公告太长：{n} 个字符，最多 {max} 个。",
        "公告太長：{n} 個字元，最多 {max} 個。",
    ),
    (
        "There is no sharers' group yet: an admin sends /setup sharers there.",
        "还没有分享员群：请管理员在群里发送 /setup sharers。",
        "還沒有分享員群組：請管理員在群組裡傳送 /setup sharers。",
    ),
    ("📢 Posted in the sharers' group.", "📢 已发布到分享员群。", "📢 已發布到分享員群組。"),
    (
        "📢 Queued for the sharers' group: it goes out shortly.",
        "📢 已排队发往分享员群，稍后发出。",
        "📢 已排隊發往分享員群組，稍後發出。",
    ),
    (
        "No bound sharer can be reached privately yet.",
        "目前还没有能私信联系到的已绑定分享员。",
        "目前還沒有能私訊聯絡到的已綁定分享員。",
    ),
    (
        ("Send this privately to {n} sharer?", "Send this privately to {n} sharers?"),
        "要私信发给 {n} 名分享员吗？",
        "要私訊傳給 {n} 名分享員嗎？",
    ),
    (
        ("{n} sharer who blocked me is left out.", "{n} sharers who blocked me are left out."),
        "{n} 名已屏蔽我的分享员不在其中。",
        "{n} 名已封鎖我的分享員不在其中。",
    ),
    ("Send", "发送", "傳送"),
    ("Stop", "停止", "停止"),
    (
        "This announcement is not known any more.",
        "找不到这条公告了。",
        "找不到這則公告了。",
    ),
    (
        "This announcement is already on its way.",
        "这条公告已经在发送了。",
        "這則公告已經在傳送了。",
    ),
    ("This announcement was cancelled.", "这条公告已取消。", "這則公告已取消。"),
    ("Cancelled: nothing was sent.", "已取消，没有发出任何消息。", "已取消，沒有發出任何訊息。"),
    (
        "This announcement is not going out any more.",
        "这条公告已经不在发送中了。",
        "這則公告已經不在傳送中了。",
    ),
    (
        "Stopped: what was not sent yet stays unsent.",
        "已停止：尚未发出的不会再发。",
        "已停止：尚未發出的不會再發。",
    ),
    ("Sending…", "正在发送……", "正在傳送……"),
    ("Sent: {n}", "已送达：{n}", "已送達：{n}"),
    ("Blocked the bot: {n}", "已屏蔽机器人：{n}", "已封鎖機器人：{n}"),
    ("Failed: {n}", "发送失败：{n}", "傳送失敗：{n}"),
    ("Not sent (stopped): {n}", "未发送（已停止）：{n}", "未傳送（已停止）：{n}"),
    (
        "Left out (blocked the bot earlier): {n}",
        "未发送（此前已屏蔽机器人）：{n}",
        "未傳送（先前已封鎖機器人）：{n}",
    ),
    (
        ("📤 Sending privately to {n} sharer…", "📤 Sending privately to {n} sharers…"),
        "📤 正在私信发给 {n} 名分享员……",
        "📤 正在私訊傳給 {n} 名分享員……",
    ),
    ("⏹ Stopped.", "⏹ 已停止。", "⏹ 已停止。"),
    ("✅ Done.", "✅ 已完成。", "✅ 已完成。"),
    (
        "📢 Announcement #{id} stopped.",
        "📢 第 {id} 号公告已停止发送。",
        "📢 第 {id} 號公告已停止傳送。",
    ),
    (
        "📢 Announcement #{id} went out.",
        "📢 第 {id} 号公告已发送完毕。",
        "📢 第 {id} 號公告已傳送完畢。",
    ),
    (
        "post an announcement in the sharers' group",
        "在分享员群发布公告",
        "在分享員群組發布公告",
    ),
    (
        "send an announcement to every sharer privately",
        "私信给每位分享员发公告",
        "私訊給每位分享員發公告",
    ),
]
