# Translations of the managers' daily digest (handlers/digest.py); the metric names come from
# locales/src/kpi.py. `python tools/write_po.py locales/src/digest.py` writes the .po files.
FEATURE = "digest"
MESSAGES = [
    ("the managers' daily digest, now", "管理日报（立即查看）", "管理日報（立即查看）"),
    (
        "Give a day that has ended: yesterday or earlier.",
        "请给出已经结束的日期：昨天或更早。",
        "請給出已經結束的日期：昨天或更早。",
    ),
    ("Daily digest · {date}", "日报 · {date}", "日報 · {date}"),
    ("No orders that day.", "当天没有订单。", "當天沒有訂單。"),
    (
        "{name}: <b>{value}</b> · {comparison}",
        "{name}：<b>{value}</b> · {comparison}",
        "{name}：<b>{value}</b> · {comparison}",
    ),
    ("day before {value}", "前一天 {value}", "前一天 {value}"),
    ("7-day average {value}", "近7日均值 {value}", "近7日均值 {value}"),
    ("{figure} ({change})", "{figure}（{change}）", "{figure}（{change}）"),
    ("{sign}{n} pts", "{sign}{n}个百分点", "{sign}{n}個百分點"),
    ("Top SKUs", "商品排行", "商品排行"),
    (
        "{i}. {sku} — {money} · orders {n}",
        "{i}. {sku} — {money} · 订单 {n}",
        "{i}. {sku} — {money} · 訂單 {n}",
    ),
    ("Creator pipeline", "达人合作", "達人合作"),
    (
        "Samples shipped {shipped} · signed {signed} · videos {videos}",
        "寄样 {shipped} · 签收 {signed} · 出视频 {videos}",
        "寄樣 {shipped} · 簽收 {signed} · 出影片 {videos}",
    ),
    (
        "Codes to ads {to_ads} · no-shows {no_shows}",
        "投流码交投放 {to_ads} · 失约 {no_shows}",
        "投流碼交投放 {to_ads} · 失約 {no_shows}",
    ),
    ("Fulfilment rate (30 days): {rate}", "履约率（近30天）：{rate}", "履約率（近30天）：{rate}"),
    ("Overdue chases by BD: {list}", "各商务逾期催视频：{list}", "各商務逾期催影片：{list}"),
    ("No overdue chases.", "没有逾期的催视频。", "沒有逾期的催影片。"),
    ("Community", "社群", "社群"),
    (
        "Live forwards {n} · lives {lives}",
        "直播间转发 {n} · 直播 {lives} 场",
        "直播間轉發 {n} · 直播 {lives} 場",
    ),
    ("Unanswered questions {n}", "未解答的问题 {n}", "未解答的問題 {n}"),
    ("Alerts", "预警", "預警"),
    (
        "Valid sales, {first} – {last}",
        "有效销售额（{first}至{last}）",
        "有效銷售額（{first}至{last}）",
    ),
    (
        "⚠️ Refund rate {rate} is over {limit}.",
        "⚠️ 退款率 {rate}，超过了 {limit}。",
        "⚠️ 退款率 {rate}，超過了 {limit}。",
    ),
    (
        "⚠️ Valid sales {value} are {drop} under the 7-day average {average}.",
        "⚠️ 有效销售额 {value}，比近7日均值 {average} 低 {drop}。",
        "⚠️ 有效銷售額 {value}，比近7日均值 {average} 低 {drop}。",
    ),
    (
        "⚠️ Active sharers {value}: {drop} under the 7-day average {average}.",
        "⚠️ 活跃分享员 {value} 人，比近7日均值 {average} 低 {drop}。",
        "⚠️ 活躍分享員 {value} 人，比近7日均值 {average} 低 {drop}。",
    ),
    (
        "⚠️ Overdue samples of {bd}: {n}.",
        "⚠️ {bd} 逾期未出视频的样品：{n} 个。",
        "⚠️ {bd} 逾期未出影片的樣品：{n} 個。",
    ),
    (
        "⚠️ Live “{title}”: forwards {n}, under {min}.",
        "⚠️ 直播“{title}”只有 {n} 次转发，低于 {min}。",
        "⚠️ 直播「{title}」只有 {n} 次轉發，低於 {min}。",
    ),
]
