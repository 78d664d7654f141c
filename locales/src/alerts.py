# Translations of the alerts between digests; `python tools/write_po.py locales/src/alerts.py`
# writes locales/<lang>/LC_MESSAGES/alerts.po from this table.
FEATURE = "alerts"
MESSAGES = [
    (
        "⚠️ Refund rate today {rate} over {orders} orders, above {limit}.",
        "⚠️ 今日退款率 {rate}（共 {orders} 单），超过 {limit}。",
        "⚠️ 今日退款率 {rate}（共 {orders} 單），超過 {limit}。",
    ),
    (
        "⚠️ Valid sales today {value} by {time}: {drop} under the 7-day average"
        " for this time of day ({expected}).",
        "⚠️ 截至 {time}，今日有效销售额 {value}，比近 7 日同时段平均（{expected}）低 {drop}。",
        "⚠️ 截至 {time}，今日有效銷售額 {value}，比近 7 日同時段平均（{expected}）低 {drop}。",
    ),
    (
        "⚠️ The ads code of {sample} ({bd}) expires on {date} ({days}) with no ads result yet.",
        "⚠️ {sample}（{bd}）的投流授权码将于 {date} 到期（{days}），还没有投流数据。",
        "⚠️ {sample}（{bd}）的投流授權碼將於 {date} 到期（{days}），還沒有投流數據。",
    ),
    ("less than a day left", "剩不到一天", "剩不到一天"),
    ("1 day left", "还剩 1 天", "還剩 1 天"),
    ("{n} days left", "还剩 {n} 天", "還剩 {n} 天"),
]
