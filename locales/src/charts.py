# Translations of the period chart's labels (bot/charts.py), sent with the digest and reports;
# `python tools/write_po.py locales/src/charts.py` writes the .po files.
FEATURE = "charts"
MESSAGES = [
    ("Sales by day", "每日销售额", "每日銷售額"),
    ("Daily sales", "当日销售额", "當日銷售額"),
    ("7-day average", "7日均值", "7日均值"),
    ("Top sharers", "分享员排行", "分享員排行"),
    ("No sales in this period", "本期没有销售", "本期沒有銷售"),
    ("No sharer sold in this period", "本期没有分享员出单", "本期沒有分享員出單"),
]
