# Translations of the foundation's messages; `python tools/write_po.py locales/src/core.py`
# writes locales/<lang>/LC_MESSAGES/core.po from this table.
FEATURE = "core"
MESSAGES = [
    ("A quote is not closed.", "引号没有闭合。", "引號沒有閉合。"),
    (
        "Something went wrong (ref {ref}). Please try again later.",
        "出错了（编号 {ref}），请稍后再试。",
        "出錯了（編號 {ref}），請稍後再試。",
    ),
    (
        "I don't know that command. Send /help to see what you can do here.",
        "我不认识这个命令。发送 /help 查看你在这里能用的命令。",
        "我不認識這個指令。傳送 /help 查看你在這裡能用的指令。",
    ),
    ("bot admin", "机器人管理员", "機器人管理員"),
    ("manager", "管理者", "管理者"),
    ("BD", "商务", "商務"),
    ("ads team", "投流团队", "投流團隊"),
    ("team leader", "团长", "團長"),
    ("sharer", "分享员", "分享員"),
    (
        "Please use /{name} in a private chat with me.",
        "请在与我的私聊中使用 /{name}。",
        "請在與我的私訊中使用 /{name}。",
    ),
    ("/{name} works in a group chat.", "/{name} 需要在群里使用。", "/{name} 需要在群組裡使用。"),
    ("/{name} is for: {roles}.", "/{name} 仅限：{roles}。", "/{name} 僅限：{roles}。"),
    ("Usage: {usage}", "用法：{usage}", "用法：{usage}"),
    ("This is for: {roles}.", "仅限：{roles}。", "僅限：{roles}。"),
    (
        "Reply to the person's message with the role, or give their user id and role.",
        "请回复对方的消息并写上角色，或写出对方的用户 ID 和角色。",
        "請回覆對方的訊息並寫上角色，或寫出對方的使用者 ID 和角色。",
    ),
    (
        "Unknown role {role}: use manager, bd, ads or leader.",
        "未知角色 {role}：可用 manager、bd、ads 或 leader。",
        "未知角色 {role}：可用 manager、bd、ads 或 leader。",
    ),
    ("{person} is now {role}.", "{person} 现在是{role}。", "{person} 現在是{role}。"),
    ("{person} is {role} already.", "{person} 已经是{role}了。", "{person} 已經是{role}了。"),
    ("{person} is no longer {role}.", "{person} 不再是{role}。", "{person} 不再是{role}。"),
    ("{person} was not {role}.", "{person} 本来就不是{role}。", "{person} 本來就不是{role}。"),
    ("give someone a role", "授予角色", "授予角色"),
    ("take a role back", "收回角色", "收回角色"),
    ("the BD team's chat", "商务群", "商務群"),
    ("the ads team's chat", "投流群", "投流群"),
    ("the sharers' group", "分享员群", "分享員群"),
    ("the managers' chat", "管理群", "管理群"),
    (
        "Say what this chat is for: bd, ads, sharers or managers.",
        "请说明这个群的用途：bd、ads、sharers 或 managers。",
        "請說明這個群組的用途：bd、ads、sharers 或 managers。",
    ),
    (
        "You must also be an admin of this group to register it.",
        "你还必须是本群管理员才能登记本群。",
        "你還必須是本群組管理員才能登記本群組。",
    ),
    (
        "Registered: this is now {purpose}.",
        "已登记：本群现在是{purpose}。",
        "已登記：本群組現在是{purpose}。",
    ),
    # /setup asks before a purpose moves (handlers/setup.py).
    (
        "{title} is registered as {purpose} and would lose it.",
        "“{title}”目前登记为{purpose}，确认后将不再是{purpose}。",
        "「{title}」目前登記為{purpose}，確認後將不再是{purpose}。",
    ),
    (
        "This chat is registered as {old} and would lose that.",
        "本群目前登记为{old}，确认后将不再是{old}。",
        "本群組目前登記為{old}，確認後將不再是{old}。",
    ),
    ("Make this chat {purpose}?", "要把本群登记为{purpose}吗？", "要把本群組登記為{purpose}嗎？"),
    ("Move it here", "移到本群", "移到本群組"),
    ("Change it", "确认更改", "確認更改"),
    ("Cancel", "取消", "取消"),
    (
        "Only the admin who sent /setup can answer this.",
        "只有发送 /setup 的管理员可以回答。",
        "只有傳送 /setup 的管理員可以回答。",
    ),
    ("Cancelled: nothing changed.", "已取消，没有任何更改。", "已取消，沒有任何變更。"),
    (
        "{title} is no longer {purpose}.",
        "“{title}”不再是{purpose}。",
        "「{title}」不再是{purpose}。",
    ),
    ("register what this group is for", "登记本群用途", "登記本群組用途"),
    (
        "Hello {name}! I am crewbot: I help the BD team with creators and samples, and sharers "
        "with their commission. Send /help to see what you can do here.",
        "你好 {name}！我是 crewbot：帮商务团队管理达人和寄样，帮分享员查看佣金。发送 /help 查看你在这里能用的命令。",
        "你好 {name}！我是 crewbot：幫商務團隊管理達人和寄樣，幫分享員查看佣金。傳送 /help 查看你在這裡能用的指令。",
    ),
    ("What you can do here:", "你在这里可以使用：", "你在這裡可以使用："),
    ("Choose one of: {choices}.", "请选择：{choices}。", "請選擇：{choices}。"),
    (
        "Only an admin of this group can change its language.",
        "只有本群管理员可以更改群语言。",
        "只有本群組管理員可以更改群組語言。",
    ),
    ("Language set: {language}.", "语言已设置为：{language}。", "語言已設定為：{language}。"),
    ("start talking with me", "开始使用", "開始使用"),
    ("what you can do here", "查看可用命令", "查看可用指令"),
    ("choose the language", "选择语言", "選擇語言"),
    # Shared look-ups and argument grammar (handlers/lookups.py, bot/domain/args.py).
    ("TikTok", "TikTok", "TikTok"),
    ("Douyin", "抖音", "抖音"),
    ("WeChat Channels", "视频号", "視頻號"),
    ("Xiaohongshu", "小红书", "小紅書"),
    ("other platform", "其他平台", "其他平台"),
    (
        "{value} is not a whole number from {min} to {max}.",
        "{value} 不是 {min} 到 {max} 之间的整数。",
        "{value} 不是 {min} 到 {max} 之間的整數。",
    ),
    (
        "{value} is not an amount in yuan, e.g. 1234.50.",
        "{value} 不是以元为单位的金额，例如 1234.50。",
        "{value} 不是以元為單位的金額，例如 1234.50。",
    ),
    (
        "{value} is not a sample number; write it like #12.",
        "{value} 不是寄样编号，请写成 #12 这样。",
        "{value} 不是寄樣編號，請寫成 #12 這樣。",
    ),
    (
        "{value} is not a percentage from 0 to 100, e.g. 35%.",
        "{value} 不是 0 到 100 之间的百分比，例如 35%。",
        "{value} 不是 0 到 100 之間的百分比，例如 35%。",
    ),
    (
        "{value}: write on or off.",
        "{value}：请写 on（开）或 off（关）。",
        "{value}：請寫 on（開）或 off（關）。",
    ),
    (
        "{value} is too large ({field}).",
        "{value} 太大了（{field}）。",
        "{value} 太大了（{field}）。",
    ),
    ("spend", "花费", "花費"),
    ("impressions", "曝光", "曝光"),
    ("clicks", "点击", "點擊"),
    ("orders", "订单", "訂單"),
    ("GMV", "成交额", "成交額"),
    ("This button is out of date.", "这个按钮已过期。", "這個按鈕已過期。"),
    ("…and {n} more.", "……还有 {n} 条。", "……還有 {n} 條。"),
    # Where commands belong (handlers/registry.py).
    ("the BD chat", "商务群", "商務群組"),
    ("the ads chat", "投流群", "投流群組"),
    (
        "/{name} is answered only in {places} or in a private chat with me.",
        "/{name} 只在{places}或与我的私聊中回答。",
        "/{name} 只在{places}或與我的私訊中回答。",
    ),
    ("This is not shown in this chat.", "这里不显示这些内容。", "這裡不顯示這些內容。"),
    (
        "/grant <role> (as a reply) | /grant <user_id> <role>",
        "/grant <角色>（回复对方的消息）| /grant <用户编号> <角色>",
        "/grant <角色>（回覆對方的訊息）| /grant <使用者編號> <角色>",
    ),
    (
        "/revoke <role> (as a reply) | /revoke <user_id> <role>",
        "/revoke <角色>（回复对方的消息）| /revoke <用户编号> <角色>",
        "/revoke <角色>（回覆對方的訊息）| /revoke <使用者編號> <角色>",
    ),
    # What a private chat answers to plain text or a file without a command (handlers/errors.py).
    (
        "Send me a command: /help lists what you can do here.",
        "请发送命令：/help 会列出你在这里能用的命令。",
        "請傳送指令：/help 會列出你在這裡能用的指令。",
    ),
    (
        "I do nothing with a file sent without a command. /help lists what you can do here.",
        "没有附带命令的文件我不会处理。/help 会列出你在这里能用的命令。",
        "沒有附帶指令的檔案我不會處理。/help 會列出你在這裡能用的指令。",
    ),
    (
        "To import a file, send it with the caption /import (orders), /import_sharers (sharer "
        "roster) or /import_creators (creators).",
        "要导入文件，请发送文件并以 /import（订单）、/import_sharers（分享员名单）或 "
        "/import_creators（达人）作为说明文字。",
        "要匯入檔案，請傳送檔案並以 /import（訂單）、/import_sharers（分享員名單）或 "
        "/import_creators（達人）作為說明文字。",
    ),
]
