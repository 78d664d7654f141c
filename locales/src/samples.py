# Translations of the sample pipeline (samples, chases, ads hand-over, /pipeline, automations);
# `python tools/write_po.py locales/src/samples.py` writes locales/<lang>/LC_MESSAGES/samples.po.
FEATURE = "samples"
MESSAGES = [
    # refusals from the stage machine and the parsers
    (
        "This sample is closed ({stage}).",
        "这个寄样已结束（{stage}）。",
        "這個寄樣已結束（{stage}）。",
    ),
    (
        "This sample was signed for already ({stage}).",
        "这个寄样已经签收过了（{stage}）。",
        "這個寄樣已經簽收過了（{stage}）。",
    ),
    (
        "This sample is not signed for yet: send /signed first.",
        "这个寄样还没签收：请先发送 /signed。",
        "這個寄樣還沒簽收：請先傳送 /signed。",
    ),
    (
        "There is no video yet: send /video first.",
        "还没有视频：请先发送 /video。",
        "還沒有影片：請先傳送 /video。",
    ),
    (
        "This sample has a video already ({stage}).",
        "这个寄样已经有视频了（{stage}）。",
        "這個寄樣已經有影片了（{stage}）。",
    ),
    (
        "This video is rated already ({stage}).",
        "这个视频已经评过质量了（{stage}）。",
        "這個影片已經評過品質了（{stage}）。",
    ),
    (
        "The code is in already ({stage}); the rating cannot change.",
        "授权码已经收到（{stage}），质量评价不能再改。",
        "授權碼已經收到（{stage}），品質評價不能再改。",
    ),
    (
        "Only a video rated good gets a code ({stage}).",
        "只有质量合格的视频才能登记授权码（{stage}）。",
        "只有品質合格的影片才能登記授權碼（{stage}）。",
    ),
    (
        "A reshoot follows a poor rating only ({stage}).",
        "只有质量不佳时才能要求重拍（{stage}）。",
        "只有品質不佳時才能要求重拍（{stage}）。",
    ),
    (
        "There is no authorization code yet: send /code first.",
        "还没有授权码：请先发送 /code。",
        "還沒有授權碼：請先傳送 /code。",
    ),
    (
        "This sample is not with the ads team yet ({stage}).",
        "这个寄样还没交给投流团队（{stage}）。",
        "這個寄樣還沒交給投流團隊（{stage}）。",
    ),
    (
        "You already have {open} unfinished samples with this creator (the limit is {max}): "
        "finish or cancel one first.",
        "你和这位达人已有 {open} 个未完成的寄样（上限 {max} 个）：请先完成或取消一个。",
        "你和這位達人已有 {open} 個未完成的寄樣（上限 {max} 個）：請先完成或取消一個。",
    ),
    (
        "This sample is not waiting for a video any more ({stage}).",
        "这个寄样已经不在等视频了（{stage}）。",
        "這個寄樣已經不在等影片了（{stage}）。",
    ),
    ("Snoozed already.", "已经延后过了。", "已經延後過了。"),
    (
        "This reminder is out of date: use the latest one.",
        "这条提醒已过期：请用最新的那条。",
        "這則提醒已過期：請用最新的那則。",
    ),
    (
        "{value} is not a number of days, e.g. 30.",
        "{value} 不是天数，例如 30。",
        "{value} 不是天數，例如 30。",
    ),
    (
        "{value} is not a video link: it must start with http:// or https://.",
        "{value} 不是视频链接：必须以 http:// 或 https:// 开头。",
        "{value} 不是影片連結：必須以 http:// 或 https:// 開頭。",
    ),
    (
        "This video is logged already, on sample #{other}.",
        "这个视频已经登记过了，在寄样 #{other}。",
        "這個影片已經登記過了，在寄樣 #{other}。",
    ),
    (
        "Someone changed this sample at the same moment; please try again.",
        "有人同时修改了这个寄样，请再试一次。",
        "有人同時修改了這個寄樣，請再試一次。",
    ),
    ("{value} is not a creator handle.", "{value} 不是达人账号。", "{value} 不是達人帳號。"),
    (
        "Unknown platform {value}: use {allowed}.",
        "未知平台 {value}：可用 {allowed}。",
        "未知平台 {value}：可用 {allowed}。",
    ),
    (
        "Give spend, impressions, clicks, orders and optionally GMV.",
        "请写出消耗、曝光、点击、订单数，GMV 可选。",
        "請寫出消耗、曝光、點擊、訂單數，GMV 可選。",
    ),
    (
        "{value} is not a number ({field}).",
        "{value} 不是数字（{field}）。",
        "{value} 不是數字（{field}）。",
    ),
    (
        "{value} cannot be negative ({field}).",
        "{value} 不能是负数（{field}）。",
        "{value} 不能是負數（{field}）。",
    ),
    (
        "Clicks ({clicks}) cannot exceed impressions ({impressions}).",
        "点击（{clicks}）不能多于曝光（{impressions}）。",
        "點擊（{clicks}）不能多於曝光（{impressions}）。",
    ),
    # refs and creators
    (
        "No creator {handle}. Did you mean: {hints}?",
        "没有达人 {handle}。你是不是要找：{hints}？",
        "沒有達人 {handle}。你是不是要找：{hints}？",
    ),
    (
        "No creator {handle}: register them with /creator_add.",
        "没有达人 {handle}：请先用 /creator_add 登记。",
        "沒有達人 {handle}：請先用 /creator_add 登記。",
    ),
    (
        "Several creators are called {handle}; write one of: {platforms}.",
        "有多位达人叫 {handle}，请写成其中之一：{platforms}。",
        "有多位達人叫 {handle}，請寫成其中之一：{platforms}。",
    ),
    ("No sample #{number}.", "没有寄样 #{number}。", "沒有寄樣 #{number}。"),
    (
        "No sample or creator {ref}: give a sample number like #12.",
        "没有寄样或达人 {ref}：请写寄样编号，例如 #12。",
        "沒有寄樣或達人 {ref}：請寫寄樣編號，例如 #12。",
    ),
    (
        "{ref} has no open sample: give its number, like #12.",
        "{ref} 没有进行中的寄样：请写寄样编号，例如 #12。",
        "{ref} 沒有進行中的寄樣：請寫寄樣編號，例如 #12。",
    ),
    (
        "{ref} has several open samples; say which by number:\n{listing}",
        "{ref} 有多个进行中的寄样，请用编号指明：\n{listing}",
        "{ref} 有多個進行中的寄樣，請用編號指明：\n{listing}",
    ),
    # /sample /signed /chased /video /quality
    (
        "Give the creator's handle and the product.",
        "请写出达人账号和产品。",
        "請寫出達人帳號和產品。",
    ),
    (
        "Too many words: write a product with spaces in double quotes.",
        "参数太多：含空格的产品名请用双引号括起来。",
        "參數太多：含空格的產品名請用雙引號括起來。",
    ),
    ("{handle} is blocked: {reason}", "{handle} 已被拉黑：{reason}", "{handle} 已被封鎖：{reason}"),
    (
        "Sample #{number} logged: {handle} — {product}. Send /signed #{number} when it is signed "
        "for.",
        "已登记寄样 #{number}：{handle} — {product}。签收后请发送 /signed #{number}。",
        "已登記寄樣 #{number}：{handle} — {product}。簽收後請傳送 /signed #{number}。",
    ),
    (
        "Urgent: the first chase comes one day after signing.",
        "加急：签收一天后第一次催视频。",
        "加急：簽收一天後第一次催影片。",
    ),
    ("Give the sample, like #12.", "请写出寄样，例如 #12。", "請寫出寄樣，例如 #12。"),
    (
        "{sample} signed for. If no video is logged by {when}, I will post a chase reminder in the "
        "BD chat.",
        "{sample} 已签收。如果到 {when} 还没登记视频，我会在商务群发催视频提醒。",
        "{sample} 已簽收。如果到 {when} 還沒登記影片，我會在商務群發催影片提醒。",
    ),
    (
        "Give the sample, and add “replied” if the creator answered.",
        "请写出寄样；如果达人回复了，再加上 replied。",
        "請寫出寄樣；如果達人回覆了，再加上 replied。",
    ),
    (
        "Chase logged for {sample}: the creator replied.",
        "已记录催视频 {sample}：达人已回复。",
        "已記錄催影片 {sample}：達人已回覆。",
    ),
    (
        "Chase logged for {sample}: no reply yet.",
        "已记录催视频 {sample}：达人还没回复。",
        "已記錄催影片 {sample}：達人還沒回覆。",
    ),
    (("{n} chase so far.", "{n} chases so far."), "目前共催了 {n} 次。", "目前共催了 {n} 次。"),
    ("Give the sample and the video link.", "请写出寄样和视频链接。", "請寫出寄樣和影片連結。"),
    (
        "Video logged for {sample}{platform}. Rate it: /quality #{number} good or poor.",
        "已登记视频 {sample}{platform}。请评价质量：/quality #{number} good 或 poor。",
        "已登記影片 {sample}{platform}。請評價品質：/quality #{number} good 或 poor。",
    ),
    (
        "Give the sample and good or poor (and a note for the creator).",
        "请写出寄样和 good 或 poor（可附给达人的说明）。",
        "請寫出寄樣和 good 或 poor（可附給達人的說明）。",
    ),
    (
        "{sample} rated good. Ask {handle} for the authorization code, then send /code #{number} "
        "followed by the code (and the days it is valid, if known).",
        "{sample} 质量合格。请向 {handle} 要授权码，然后发送 /code #{number} 加授权码（知道有效天数的话也写上）。",
        "{sample} 品質合格。請向 {handle} 要授權碼，然後傳送 /code #{number} 加授權碼（知道有效天數的話也寫上）。",
    ),
    (
        "{sample} rated poor: reshoot requested. Please tell {handle}: {note}",
        "{sample} 质量不佳：已要求重拍。请转告 {handle}：{note}",
        "{sample} 品質不佳：已要求重拍。請轉告 {handle}：{note}",
    ),
    (
        "{sample} rated poor: reshoot requested. Please tell {handle} what to change.",
        "{sample} 质量不佳：已要求重拍。请告诉 {handle} 需要改什么。",
        "{sample} 品質不佳：已要求重拍。請告訴 {handle} 需要改什麼。",
    ),
    ("log a sample shipped to a creator", "登记寄样", "登記寄樣"),
    ("a sample was signed for", "寄样已签收", "寄樣已簽收"),
    ("log a chase for the video", "记录催视频", "記錄催影片"),
    ("log the creator's video link", "登记达人视频链接", "登記達人影片連結"),
    ("rate the video good or poor", "评价视频质量", "評價影片品質"),
    # /code /adstats
    (
        "🎬 Authorization code for {sample}\nCode: <code>{code}</code>\nVideo: {url}\n"
        "Creator: {handle}\nProduct: {product}\nBD: {bd}",
        "🎬 授权码 {sample}\n授权码：<code>{code}</code>\n视频：{url}\n达人：{handle}\n产品：{product}\n商务：{bd}",
        "🎬 授權碼 {sample}\n授權碼：<code>{code}</code>\n影片：{url}\n達人：{handle}\n產品：{product}\n商務：{bd}",
    ),
    ("Valid until {date}.", "有效期至 {date}。", "有效期至 {date}。"),
    (
        "🌟 {bd}: {handle} (S) finished a first collaboration with us ({product}). A good moment "
        "to offer the next product.",
        "🌟 {bd}：{handle}（S 级）完成了和我们的第一次合作（{product}）。正是推荐下一个产品的好时机。",
        "🌟 {bd}：{handle}（S 級）完成了和我們的第一次合作（{product}）。正是推薦下一個產品的好時機。",
    ),
    (
        "Give the sample, the authorization code and optionally its validity.",
        "请写出寄样、授权码，有效天数可选。",
        "請寫出寄樣、授權碼，有效天數可選。",
    ),
    (
        "Code saved for #{number}, but no ads chat is registered: ask an admin to send /setup ads "
        "there, then send /code again.",
        "已保存 #{number} 的授权码，但还没有登记投流群：请管理员在投流群发送 /setup ads，然后再发一次 /code。",
        "已儲存 #{number} 的授權碼，但還沒有登記投流群：請管理員在投流群傳送 /setup ads，然後再傳一次 /code。",
    ),
    (
        "Code for {sample} posted to the ads chat.",
        "{sample} 的授权码已发到投流群。",
        "{sample} 的授權碼已發到投流群。",
    ),
    (
        "CTR {ctr} · conversion {conversion} · ROI {roi}",
        "点击率 {ctr} · 转化率 {conversion} · ROI {roi}",
        "點擊率 {ctr} · 轉化率 {conversion} · ROI {roi}",
    ),
    (
        "Give the sample, spend, impressions, clicks, orders and optionally GMV.",
        "请写出寄样、消耗、曝光、点击、订单数，GMV 可选。",
        "請寫出寄樣、消耗、曝光、點擊、訂單數，GMV 可選。",
    ),
    (
        "📈 {bd}: ad results for {sample}\nSpend {spend}, impressions {impressions}, clicks "
        "{clicks}, orders {orders}, GMV {gmv}\n{results}\nYou may pass this on to the creator.",
        "📈 {bd}：{sample} 的投流结果\n消耗 {spend}，曝光 {impressions}，点击 {clicks}，订单 {orders}，GMV {gmv}\n{results}\n可以转告达人。",
        "📈 {bd}：{sample} 的投流結果\n消耗 {spend}，曝光 {impressions}，點擊 {clicks}，訂單 {orders}，GMV {gmv}\n{results}\n可以轉告達人。",
    ),
    (
        "Results recorded for {sample}. {results}",
        "已记录 {sample} 的投流结果。{results}",
        "已記錄 {sample} 的投流結果。{results}",
    ),
    (
        "No BD chat is registered, so the BD was not told.",
        "还没有登记商务群，所以没有通知商务。",
        "還沒有登記商務群，所以沒有通知商務。",
    ),
    ("hand the authorization code to the ads team", "把授权码交给投流", "把授權碼交給投流"),
    ("report ad results for a sample", "回报投流结果", "回報投流結果"),
    # reminders and buttons
    (
        "⏰ {bd}: please chase {handle} for the video of {product} (#{number}). Days since "
        "signing: {days}; chases so far: {chases}.",
        "⏰ {bd}：请催 {handle} 发 {product} 的视频（#{number}）。签收已 {days} 天；已催 {chases} 次。",
        "⏰ {bd}：請催 {handle} 發 {product} 的影片（#{number}）。簽收已 {days} 天；已催 {chases} 次。",
    ),
    ("Chased, replied", "已催，已回复", "已催，已回覆"),
    ("Chased, no reply", "已催，未回复", "已催，未回覆"),
    ("Snooze 1 day", "延后 1 天", "延後 1 天"),
    (
        "🚫 {bd}: {sample} is now a no-show after {n} reminders without a video. {handle} is "
        "flagged for the tier review.",
        "🚫 {bd}：{sample} 提醒 {n} 次仍没有视频，已记为未履约。{handle} 已标记待评级。",
        "🚫 {bd}：{sample} 提醒 {n} 次仍沒有影片，已記為未履約。{handle} 已標記待評級。",
    ),
    (
        "⚠️ {bd}: the authorization code for {sample} expires on {date}.",
        "⚠️ {bd}：{sample} 的授权码将于 {date} 过期。",
        "⚠️ {bd}：{sample} 的授權碼將於 {date} 過期。",
    ),
    (
        "👋 {bd}: no contact with {handle} (S) since {date}. Time for a check-in.",
        "👋 {bd}：自 {date} 起没有联系 {handle}（S 级）。该问候一下了。",
        "👋 {bd}：自 {date} 起沒有聯繫 {handle}（S 級）。該問候一下了。",
    ),
    (
        "Only {owner}, another BD or a manager can answer this reminder.",
        "只有 {owner}、其他商务或管理者可以处理这条提醒。",
        "只有 {owner}、其他商務或管理者可以處理這則提醒。",
    ),
    ("This reminder was answered already.", "这条提醒已经处理过了。", "這則提醒已經處理過了。"),
    (
        "✅ Chased, the creator replied — recorded by {name}.",
        "✅ 已催，达人已回复 — {name} 记录。",
        "✅ 已催，達人已回覆 — {name} 記錄。",
    ),
    (
        "✅ Chased, no reply yet — recorded by {name}.",
        "✅ 已催，达人未回复 — {name} 记录。",
        "✅ 已催，達人未回覆 — {name} 記錄。",
    ),
    ("😴 Snoozed for a day by {name}.", "😴 {name} 延后了一天。", "😴 {name} 延後了一天。"),
    ("Recorded.", "已记录。", "已記錄。"),
    # /pipeline and the tier review
    ("Choose mine or all.", "请选择 mine 或 all。", "請選擇 mine 或 all。"),
    ("Pipeline — mine", "寄样进度 — 我的", "寄樣進度 — 我的"),
    ("Pipeline — all BDs", "寄样进度 — 全部商务", "寄樣進度 — 全部商務"),
    ("{name}: {stages}", "{name}：{stages}", "{name}：{stages}"),
    ("No samples yet.", "还没有寄样。", "還沒有寄樣。"),
    ("Overdue ({n}):", "逾期（{n}）：", "逾期（{n}）："),
    (
        (
            "{sample}: {days} day since signing, reminders: {n}",
            "{sample}: {days} days since signing, reminders: {n}",
        ),
        "{sample}：签收已 {days} 天，提醒 {n} 次",
        "{sample}：簽收已 {days} 天，提醒 {n} 次",
    ),
    (
        "samples per stage and overdue chases",
        "各阶段寄样数和逾期催视频",
        "各階段寄樣數和逾期催影片",
    ),
    (
        "attributed sales {sales} and fulfilment {fulfilment}",
        "带货销售额 {sales}，履约率 {fulfilment}",
        "帶貨銷售額 {sales}，履約率 {fulfilment}",
    ),
    (
        "fulfilment {fulfilment} is below {min}",
        "履约率 {fulfilment} 低于 {min}",
        "履約率 {fulfilment} 低於 {min}",
    ),
    (
        "reply rate {reply_rate} is below {min}",
        "回复率 {reply_rate} 低于 {min}",
        "回覆率 {reply_rate} 低於 {min}",
    ),
    (
        "{collaborations} collaborations without an order",
        "合作 {collaborations} 次没有一单",
        "合作 {collaborations} 次沒有一單",
    ),
    (
        "no-shows since the last review: {no_shows}",
        "上次评级以来未履约 {no_shows} 次",
        "上次評級以來未履約 {no_shows} 次",
    ),
    ("end the collaboration", "结束合作", "結束合作"),
    (
        "• {handle}: {tier} → {to} ({reason})",
        "• {handle}：{tier} → {to}（{reason}）",
        "• {handle}：{tier} → {to}（{reason}）",
    ),
    (
        "<b>Weekly tier review</b> — suggestions, to decide with /tier:",
        "<b>每周达人评级</b> — 建议如下，用 /tier 决定：",
        "<b>每週達人評級</b> — 建議如下，用 /tier 決定：",
    ),
    ("No changes to suggest.", "没有需要调整的。", "沒有需要調整的。"),
]
MESSAGES += [
    ("{sample} cancelled.", "{sample} 已取消。", "{sample} 已取消。"),
    ("cancel a sample", "取消寄样", "取消寄樣"),
]
MESSAGES += [
    (
        "…and {n} more BDs: send /pipeline mine for your own.",
        "……还有 {n} 位商务：发送 /pipeline mine 查看你自己的。",
        "……還有 {n} 位商務：傳送 /pipeline mine 查看你自己的。",
    ),
    (" ({platform})", "（{platform}）", "（{platform}）"),
]
