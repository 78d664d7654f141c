# Translations of the KPI lines (bot/domain/kpi.py): metric names, bands and lines, shown by the
# digest and the reports; `python tools/write_po.py locales/src/kpi.py` writes locales/<lang>/LC_MESSAGES/kpi.po.
FEATURE = "kpi"
MESSAGES = [
    ("GMV", "成交额", "成交額"),
    ("Valid sales", "有效销售额", "有效銷售額"),
    ("Orders", "订单数", "訂單數"),
    ("Customers", "下单人数", "下單人數"),
    ("Average order value", "客单价", "客單價"),
    ("Refund rate", "退款率", "退款率"),
    ("Active sharers", "活跃分享员", "活躍分享員"),
    ("New sharers", "新增分享员", "新增分享員"),
    ("Samples shipped", "寄样数", "寄樣數"),
    ("Videos", "视频数", "影片數"),
    ("Fulfilment rate", "履约率", "履約率"),
    ("Live forwards", "直播转发", "直播轉發"),
    # A band is named after the line that opens it (below the normal line: 不及格).
    ("failing", "不及格", "不及格"),
    ("normal", "正常", "正常"),
    ("good", "优良", "優良"),
    ("exceeding", "超额", "超額"),
    ("fail line", "不及格线", "不及格線"),
    ("normal line", "正常线", "正常線"),
    ("good line", "优良线", "優良線"),
    ("exceed line", "超额线", "超額線"),
]
