# Translations of the managers' weekly and monthly reports (handlers/report.py); metric names,
# bands and lines come from locales/src/kpi.py, shared labels from locales/src/digest.py.
# `python tools/write_po.py locales/src/report.py` writes the .po files.
FEATURE = "report"
MESSAGES = [
    ("the managers' weekly or monthly report", "管理周报或月报", "管理週報或月報"),
    ("Weekly report · {period}", "周报 · {period}", "週報 · {period}"),
    ("Monthly report · {period}", "月报 · {period}", "月報 · {period}"),
    ("{first} – {last}", "{first}至{last}", "{first}至{last}"),
    (
        "Partial period: the targets are pro-rated to {n} days.",
        "本期尚未结束：目标按{n}天折算。",
        "本期尚未結束：目標按{n}天折算。",
    ),
    ("No orders in this period.", "本期没有订单。", "本期沒有訂單。"),
    ("{name}: <b>{value}</b>", "{name}：<b>{value}</b>", "{name}：<b>{value}</b>"),
    (
        "{name}: <b>{value}</b> · {band}",
        "{name}：<b>{value}</b> · {band}",
        "{name}：<b>{value}</b> · {band}",
    ),
    (
        "{name}: <b>{value}</b> · {band} · {distance} to the {line} ({target})",
        "{name}：<b>{value}</b> · {band} · 距{line}（{target}）还差{distance}",
        "{name}：<b>{value}</b> · {band} · 距{line}（{target}）還差{distance}",
    ),
    ("Samples by BD", "各商务寄样", "各商務寄樣"),
    (
        "{bd}: shipped {shipped} · signed {signed} · videos {videos}",
        "{bd}：寄样 {shipped} · 签收 {signed} · 出视频 {videos}",
        "{bd}：寄樣 {shipped} · 簽收 {signed} · 出影片 {videos}",
    ),
    (
        "Say which report: /report week or /report month, with a period if you like.",
        "请说明要哪种报告：/report week 或 /report month，可加上周期。",
        "請說明要哪種報告：/report week 或 /report month，可加上週期。",
    ),
    ("{value} has not started yet.", "{value} 还没有开始。", "{value} 還沒有開始。"),
    (
        "{value} is not a period: write a week like 2026-W48, a month like 2026-11.",
        "{value} 不是有效周期：周写作 2026-W48，月写作 2026-11。",
        "{value} 不是有效週期：週寫作 2026-W48，月寫作 2026-11。",
    ),
]
MESSAGES += [
    # The workbook of `python -m bot report ... --xlsx FILE`: sheet names and column heads.
    ("KPIs", "关键指标", "關鍵指標"),
    ("Sharers", "分享员", "分享員"),
    ("SKUs", "商品", "商品"),
    ("BDs", "商务", "商務"),
    ("Metric", "指标", "指標"),
    ("Value", "数值", "數值"),
    ("Band", "档位", "檔位"),
    ("Next line", "下一条线", "下一條線"),
    ("Line", "线值", "線值"),
    ("To go", "还差", "還差"),
    ("Sharer ID", "分享员编号", "分享員編號"),
    ("Sharer", "分享员", "分享員"),
    ("SKU", "商品编码", "商品編碼"),
    ("Signed", "签收", "簽收"),
]
