# Translations of the sales challenges' messages (handlers/challenges.py);
# `python tools/write_po.py locales/src/challenges.py` writes the three catalogs.
FEATURE = "challenges"
MESSAGES = [
    (
        "{value} is not a SKU: at most {max} characters, on one line.",
        "{value} 不是商品编码：最多 {max} 个字符，且不能换行。",
        "{value} 不是商品編碼：最多 {max} 個字元，且不能換行。",
    ),
    (
        "{value} is not a date: write it as YYYY-MM-DD, like 2026-11-01.",
        "{value} 不是日期：请写成 YYYY-MM-DD，例如 2026-11-01。",
        "{value} 不是日期：請寫成 YYYY-MM-DD，例如 2026-11-01。",
    ),
    (
        "The last day {end} is before the first day {start}.",
        "结束日期 {end} 早于开始日期 {start}。",
        "結束日期 {end} 早於開始日期 {start}。",
    ),
    ("A challenge lasts at most {days} days.", "挑战赛最长 {days} 天。", "挑戰賽最長 {days} 天。"),
    (
        "{value} is not a rate: write it with a percent sign, like 15%.",
        "{value} 不是比例：请带上百分号，例如 15%。",
        "{value} 不是比例：請帶上百分號，例如 15%。",
    ),
    (
        "The bonus rate must be above 0%.",
        "奖励佣金比例必须大于 0%。",
        "獎勵佣金比例必須大於 0%。",
    ),
    (
        "Every month of that period is settled already, and settled months never change: "
        "nothing would be boosted.",
        "这段时间的每个月都已结算，已结算的月份不会再变，所以没有订单会被加成。",
        "這段時間的每個月都已結算，已結算的月份不會再變，所以沒有訂單會被加成。",
    ),
    (
        "Challenge #{id} is over already (its last day was {end}).",
        "挑战赛 #{id} 已经结束（最后一天是 {end}）。",
        "挑戰賽 #{id} 已經結束（最後一天是 {end}）。",
    ),
    (
        "There is no challenge #{id}: see /challenges.",
        "没有挑战赛 #{id}，请查看 /challenges。",
        "沒有挑戰賽 #{id}，請查看 /challenges。",
    ),
    ("upcoming", "未开始", "未開始"),
    ("running", "进行中", "進行中"),
    ("ended", "已结束", "已結束"),
    ("ended early", "已提前结束", "已提前結束"),
    ("cancelled", "已取消", "已取消"),
    ("{first} – {last}", "{first}至{last}", "{first}至{last}"),
    (
        "Challenge #{id}: {sku} at {rate}, {period}",
        "挑战赛 #{id}：{sku} 佣金 {rate}，{period}",
        "挑戰賽 #{id}：{sku} 佣金 {rate}，{period}",
    ),
    ("New sales challenge!", "新的销售挑战赛！", "新的銷售挑戰賽！"),
    (
        "Every order of {sku} paid in these days earns {rate} commission. The standings are "
        "posted here every morning.",
        "这几天付款的每一笔 {sku} 订单都按 {rate} 计佣金。每天早上在这里公布排名。",
        "這幾天付款的每一筆 {sku} 訂單都按 {rate} 計佣金。每天早上在這裡公布排名。",
    ),
    (
        "Note: no order has the SKU {sku} yet; check its spelling.",
        "注意：还没有任何订单的商品编码是 {sku}，请检查拼写。",
        "注意：還沒有任何訂單的商品編碼是 {sku}，請檢查拼寫。",
    ),
    (
        "Note: {months} is settled; its days get no boost.",
        "注意：{months}已结算，这些日子不加成。",
        "注意：{months}已結算，這些日子不加成。",
    ),
    (
        "Note: it overlaps challenge #{id} ({rate}); where both apply, the higher rate counts.",
        "注意：与挑战赛 #{id}（{rate}）时间重叠，两者都适用时按较高的比例计算。",
        "注意：與挑戰賽 #{id}（{rate}）時間重疊，兩者都適用時按較高的比例計算。",
    ),
    (
        "Note: a boost replaces the direct rate, so sharers whose rate is above {rate} (up to "
        "{top}) earn less on {sku} during it.",
        "注意：加成比例会取代直接佣金比例，所以比例高于 {rate}（最高 {top}）的分享员在此期间卖 "
        "{sku} 反而拿得更少。",
        "注意：加成比例會取代直接佣金比例，所以比例高於 {rate}（最高 {top}）的分享員在此期間賣 "
        "{sku} 反而拿得更少。",
    ),
    (
        "Give the SKU, the first and last day and the bonus rate.",
        "请给出商品编码、开始日期、结束日期和奖励佣金比例。",
        "請給出商品編碼、開始日期、結束日期和獎勵佣金比例。",
    ),
    ("Created.", "已创建。", "已建立。"),
    (
        "No sharers' group is registered (/setup sharers): no boards are posted.",
        "还没有登记分享员群（/setup sharers），所以不会发布排行榜。",
        "還沒有登記分享員群組（/setup sharers），所以不會發布排行榜。",
    ),
    (
        "Announced in the sharers' group; the standings follow every morning.",
        "已在分享员群公布，之后每天早上发布排名。",
        "已在分享員群組公布，之後每天早上發布排名。",
    ),
    (
        "No challenges yet. Managers start one with {usage}",
        "还没有挑战赛。管理者可以用 {usage} 发起。",
        "還沒有挑戰賽。管理者可以用 {usage} 發起。",
    ),
    ("Sales challenges", "销售挑战赛", "銷售挑戰賽"),
    (
        "{value} is not a challenge number, like 3: see /challenges.",
        "{value} 不是挑战赛编号（例如 3），请查看 /challenges。",
        "{value} 不是挑戰賽編號（例如 3），請查看 /challenges。",
    ),
    (
        "Give the challenge's number (see /challenges).",
        "请给出挑战赛编号（见 /challenges）。",
        "請給出挑戰賽編號（見 /challenges）。",
    ),
    ("No more boards are posted.", "不再发布排行榜。", "不再發布排行榜。"),
    (
        "Challenge #{id} for {sku} is cancelled; it never applied.",
        "{sku} 的挑战赛 #{id} 已取消，从未生效。",
        "{sku} 的挑戰賽 #{id} 已取消，從未生效。",
    ),
    (
        "Challenge #{id} for {sku} ended early: orders paid up to {last} keep {rate}.",
        "{sku} 的挑战赛 #{id} 已提前结束：{last}及之前付款的订单仍按 {rate} 计算。",
        "{sku} 的挑戰賽 #{id} 已提前結束：{last}及之前付款的訂單仍按 {rate} 計算。",
    ),
    ("Final results", "最终结果", "最終結果"),
    (
        "Standings after day {n} of {days}",
        "第 {n} 天排名（共 {days} 天）",
        "第 {n} 天排名（共 {days} 天）",
    ),
    (
        "{head} · {span} · valid sales of {sku}",
        "{head} · {span} · {sku} 有效销售额",
        "{head} · {span} · {sku} 有效銷售額",
    ),
    ("No sales of it yet.", "这款商品还没有销售。", "這款商品還沒有銷售。"),
    ("Congratulations to the winners!", "恭喜上榜的各位！", "恭喜上榜的各位！"),
    (
        "start a sales challenge (product boost)",
        "发起销售挑战赛（商品加成佣金）",
        "發起銷售挑戰賽（商品加成佣金）",
    ),
    (
        "sales challenges, running and past",
        "销售挑战赛（进行中和已结束）",
        "銷售挑戰賽（進行中和已結束）",
    ),
    ("end a sales challenge early", "提前结束销售挑战赛", "提前結束銷售挑戰賽"),
]
