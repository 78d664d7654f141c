# Translations of the sharer programme's messages (identity, commission, leaderboard,
# settlement); `python tools/write_po.py locales/src/sharers.py` writes the .po files.
FEATURE = "sharers"
MESSAGES = [
    # --- identity ---
    (
        "No sharer {sharer_id} is known: check the id in the shop's sharer list.",
        "找不到分享员 {sharer_id}：请核对店铺分享员名单中的 ID。",
        "找不到分享員 {sharer_id}：請核對店鋪分享員名單中的 ID。",
    ),
    (
        "Sharer id {sharer_id} is already linked to another person.",
        "分享员 ID {sharer_id} 已绑定到另一个人。",
        "分享員 ID {sharer_id} 已綁定到另一個人。",
    ),
    (
        "Sharer id {sharer_id} is already linked to you.",
        "分享员 ID {sharer_id} 已经绑定到你了。",
        "分享員 ID {sharer_id} 已經綁定到你了。",
    ),
    (
        "You are already linked to sharer id {sharer_id}.",
        "你已经绑定了分享员 ID {sharer_id}。",
        "你已經綁定了分享員 ID {sharer_id}。",
    ),
    (
        "A request for sharer id {sharer_id} is already waiting for a manager.",
        "分享员 ID {sharer_id} 的申请已在等待管理者处理。",
        "分享員 ID {sharer_id} 的申請已在等待管理者處理。",
    ),
    ("This request has been decided already.", "这个申请已经处理过了。", "這個申請已經處理過了。"),
    ("This invitation link is not valid.", "这个邀请链接无效。", "這個邀請連結無效。"),
    ("You cannot invite yourself.", "不能邀请自己。", "不能邀請自己。"),
    (
        "That would make an invitation loop, so it is refused.",
        "这样会形成邀请循环，已拒绝。",
        "這樣會形成邀請循環，已拒絕。",
    ),
    (
        "You already have an inviter ({sharer_id}).",
        "你已经有邀请人了（{sharer_id}）。",
        "你已經有邀請人了（{sharer_id}）。",
    ),
    (
        "You are not linked to a sharer id yet: send /bind followed by your sharer id.",
        "你还没有绑定分享员 ID：请发送 /bind 加上你的分享员 ID。",
        "你還沒有綁定分享員 ID：請傳送 /bind 加上你的分享員 ID。",
    ),
    (
        "Give your sharer id, as it appears in the shop's order export.",
        "请提供你的分享员 ID（与店铺订单导出中的一致）。",
        "請提供你的分享員 ID（與店鋪訂單匯出中的一致）。",
    ),
    (
        "{person} asks to be linked to sharer id {sharer_id}.",
        "{person}申请绑定分享员 ID {sharer_id}。",
        "{person}申請綁定分享員 ID {sharer_id}。",
    ),
    ("Approve", "批准", "批准"),
    ("Reject", "拒绝", "拒絕"),
    (
        "Your request for sharer id {sharer_id} is with the managers; "
        "I will tell you their answer.",
        "你绑定分享员 ID {sharer_id} 的申请已交给管理者，结果出来后我会通知你。",
        "你綁定分享員 ID {sharer_id} 的申請已交給管理者，結果出來後我會通知你。",
    ),
    ("Done.", "完成。", "完成。"),
    ("Approved by {name}.", "已由{name}批准。", "已由{name}批准。"),
    ("Rejected by {name}.", "已由{name}拒绝。", "已由{name}拒絕。"),
    (
        "You are now linked to sharer id {sharer_id}: send /me to see your figures.",
        "你已绑定分享员 ID {sharer_id}：发送 /me 查看你的数据。",
        "你已綁定分享員 ID {sharer_id}：傳送 /me 查看你的數據。",
    ),
    (
        "A manager did not approve linking you to sharer id {sharer_id}.",
        "管理者没有批准将你绑定到分享员 ID {sharer_id}。",
        "管理者沒有批准將你綁定到分享員 ID {sharer_id}。",
    ),
    (
        "You joined through {name}'s invitation.",
        "你是通过{name}的邀请加入的。",
        "你是透過{name}的邀請加入的。",
    ),
    ("Your invitation link: {link}", "你的邀请链接：{link}", "你的邀請連結：{link}"),
    (
        ("{n} person has joined through you so far.", "{n} people have joined through you so far."),
        "已有 {n} 人通过你加入。",
        "已有 {n} 人透過你加入。",
    ),
    (
        "You joined through {name}'s invitation. Welcome!",
        "你通过{name}的邀请加入了，欢迎！",
        "你透過{name}的邀請加入了，歡迎！",
    ),
    (
        "Welcome! {name} invited you. Send /bind followed by your sharer id to link your account; "
        "the invitation counts once a manager approves it.",
        "欢迎！{name}邀请了你。发送 /bind 加上你的分享员 ID 来绑定账号；管理者批准后邀请即生效。",
        "歡迎！{name}邀請了你。傳送 /bind 加上你的分享員 ID 來綁定帳號；管理者批准後邀請即生效。",
    ),
    (
        "Give the sharer id of the new team leader.",
        "请提供新团长的分享员 ID。",
        "請提供新團長的分享員 ID。",
    ),
    (
        (
            "{name} is now a team leader; {n} of their invitees joined the team.",
            "{name} is now a team leader; {n} of their invitees joined the team.",
        ),
        "{name}现在是团长；其邀请的 {n} 人加入了团队。",
        "{name}現在是團長；其邀請的 {n} 人加入了團隊。",
    ),
    (
        "You no longer appear on leaderboards (/show_me undoes it).",
        "你不会再出现在排行榜上（/show_me 可恢复）。",
        "你不會再出現在排行榜上（/show_me 可恢復）。",
    ),
    ("You appear on leaderboards again.", "你重新出现在排行榜上了。", "你重新出現在排行榜上了。"),
    ("link your sharer id to your account", "绑定你的分享员 ID", "綁定你的分享員 ID"),
    ("your invitation link and recruits", "你的邀请链接和邀请成果", "你的邀請連結和邀請成果"),
    ("make a sharer a team leader", "设定团长", "設定團長"),
    ("leave the leaderboards", "不在排行榜上显示", "不在排行榜上顯示"),
    ("appear on the leaderboards again", "重新在排行榜上显示", "重新在排行榜上顯示"),
    # --- statements ---
    ("Junior", "初级", "初級"),
    ("Mid", "中级", "中級"),
    ("Senior", "高级", "高級"),
    ("Gold", "金牌", "金牌"),
    (
        "{value} is not a month: write it as YYYY-MM, like 2026-11.",
        "{value} 不是月份：请写成 YYYY-MM，例如 2026-11。",
        "{value} 不是月份：請寫成 YYYY-MM，例如 2026-11。",
    ),
    ("Direct ({rate})", "直接佣金（{rate}）", "直接佣金（{rate}）"),
    ("{label}: {amount}", "{label}：{amount}", "{label}：{amount}"),
    ("Self-purchase", "自购返佣", "自購返佣"),
    ("Level 2 (your invitees)", "二级佣金（你邀请的人）", "二級佣金（你邀請的人）"),
    ("Team reward", "团队奖励", "團隊獎勵"),
    ("Recruit reward", "招募奖励", "招募獎勵"),
    ("Adjustment", "调整", "調整"),
    ("Total: {total}", "合计：{total}", "合計：{total}"),
    (
        "Your figures are private: open a chat with me and I will show them there.",
        "你的数据是私密的：请打开与我的私聊，我会在那里显示。",
        "你的數據是私密的：請打開與我的私訊，我會在那裡顯示。",
    ),
    ("Open a private chat", "打开私聊", "打開私訊"),
    ("I sent you a private message.", "已私信发给你。", "已私訊傳給你。"),
    ("Level: {level}", "等级：{level}", "等級：{level}"),
    ("Valid sales this month: {amount}", "本月有效销售额：{amount}", "本月有效銷售額：{amount}"),
    (
        "Orders: {orders} · customers: {customers}",
        "订单：{orders} · 顾客：{customers}",
        "訂單：{orders} · 顧客：{customers}",
    ),
    (
        "Pending (refund window): {pending} · confirmed: {confirmed}",
        "待确认（退款期内）：{pending} · 已确认：{confirmed}",
        "待確認（退款期內）：{pending} · 已確認：{confirmed}",
    ),
    ("Rank this month: #{rank}", "本月排名：第 {rank} 名", "本月排名：第 {rank} 名"),
    ("Not ranked yet.", "暂无排名。", "暫無排名。"),
    (
        "{amount} more to reach {rate}.",
        "再卖 {amount} 即可达到 {rate}。",
        "再賣 {amount} 即可達到 {rate}。",
    ),
    (
        "{amount} more this month to reach level {level} next month.",
        "本月再卖 {amount}，下月即可升为{level}。",
        "本月再賣 {amount}，下月即可升為{level}。",
    ),
    (
        "You can only see your own statement.",
        "你只能查看自己的佣金明细。",
        "你只能查看自己的佣金明細。",
    ),
    (
        "Name a sharer id, like this: {usage}",
        "请指定分享员 ID，例如：{usage}",
        "請指定分享員 ID，例如：{usage}",
    ),
    ("Statement for {month}", "{month}佣金明细", "{month}佣金明細"),
    ("Valid sales: {amount}", "有效销售额：{amount}", "有效銷售額：{amount}"),
    ("Settled on {date}.", "已于{date}结算。", "已於{date}結算。"),
    ("Not settled yet.", "尚未结算。", "尚未結算。"),
    (
        "{month} recomputed after refunds or changes: {amount}",
        "{month}重新核算（退款或订单变更）：{amount}",
        "{month}重新核算（退款或訂單變更）：{amount}",
    ),
    (
        "Give at most one month and one sharer id.",
        "最多给出一个月份和一个分享员 ID。",
        "最多給出一個月份和一個分享員 ID。",
    ),
    ("{month} has not started yet.", "{month} 还没有开始。", "{month} 還沒有開始。"),
    (
        "your level, sales and commission this month",
        "你本月的等级、销售额和佣金",
        "你本月的等級、銷售額和佣金",
    ),
    ("a month's commission statement", "某月佣金明细", "某月佣金明細"),
    # --- leaderboard and teams ---
    (
        "Leaderboard, this week ({first} – {last})",
        "本周排行榜（{first}至{last}）",
        "本週排行榜（{first}至{last}）",
    ),
    (
        "Leaderboard, last week ({first} – {last})",
        "上周排行榜（{first}至{last}）",
        "上週排行榜（{first}至{last}）",
    ),
    ("Leaderboard for {sku}, {month}", "{sku} 排行榜（{month}）", "{sku} 排行榜（{month}）"),
    ("Leaderboard, {month}", "排行榜（{month}）", "排行榜（{month}）"),
    ("valid sales", "有效销售额", "有效銷售額"),
    ("No sales yet.", "暂无销售。", "暫無銷售。"),
    (
        "Give one of: week, month, a month YYYY-MM, or a SKU.",
        "请给出其中之一：week、month、某月 YYYY-MM，或一个 SKU。",
        "請給出其中之一：week、month、某月 YYYY-MM，或一個 SKU。",
    ),
    (
        "You are hidden from leaderboards (/show_me).",
        "你已在排行榜上隐藏（/show_me 可恢复）。",
        "你已在排行榜上隱藏（/show_me 可恢復）。",
    ),
    (
        "You have no sales in this period yet.",
        "你在这段时间还没有销售。",
        "你在這段時間還沒有銷售。",
    ),
    (
        "Your rank: #{rank} · {amount}",
        "你的排名：第 {rank} 名 · {amount}",
        "你的排名：第 {rank} 名 · {amount}",
    ),
    ("{name}'s rank: #{rank}", "{name}的排名：第 {rank} 名", "{name}的排名：第 {rank} 名"),
    ("Say on or off.", "请说 on 或 off。", "請說 on 或 off。"),
    (
        "Only a group admin or a manager can change this.",
        "只有群管理员或管理者可以更改。",
        "只有群組管理員或管理者可以更改。",
    ),
    (
        "Names on leaderboards here are masked (张*明).",
        "本群排行榜上的名字会打码（张*明）。",
        "本群組排行榜上的名字會打碼（張*明）。",
    ),
    (
        "Names on leaderboards here are shown in full.",
        "本群排行榜上显示完整名字。",
        "本群組排行榜上顯示完整名字。",
    ),
    ("/team is for team leaders.", "/team 仅限团长使用。", "/team 僅限團長使用。"),
    (
        "Your team in {month}: {n} members, team sales {amount}",
        "你的团队（{month}）：{n} 名成员，团队销售额 {amount}",
        "你的團隊（{month}）：{n} 名成員，團隊銷售額 {amount}",
    ),
    ("No orders this month: {names}", "本月没有订单：{names}", "本月沒有訂單：{names}"),
    (
        "Team reward now: {rate} of team sales = {amount}",
        "当前团队奖励：团队销售额的 {rate} = {amount}",
        "目前團隊獎勵：團隊銷售額的 {rate} = {amount}",
    ),
    (
        "{amount} more team sales to reach {rate}.",
        "团队再卖 {amount} 即可达到 {rate}。",
        "團隊再賣 {amount} 即可達到 {rate}。",
    ),
    ("leaderboard of valid sales", "有效销售额排行榜", "有效銷售額排行榜"),
    ("mask names on leaderboards here", "本群排行榜名字打码", "本群組排行榜名字打碼"),
    ("your team's sales and reward", "你的团队业绩和奖励", "你的團隊業績和獎勵"),
    # --- team board, recognition, recruiting poster ---
    (
        "{value} is not a year: write it like 2026.",
        "{value} 不是年份：请写成 2026 这样的格式。",
        "{value} 不是年份：請寫成 2026 這樣的格式。",
    ),
    ("Annual board, {year}", "{year}年度排行榜", "{year}年度排行榜"),
    ("Sharer of the month: {names}", "月度最佳分享员：{names}", "月度最佳分享員：{names}"),
    ("Sharer of the year: {names}", "年度大奖：{names}", "年度大獎：{names}"),
    ("top step reached ({rate})", "已达最高档（{rate}）", "已達最高檔（{rate}）"),
    (
        "{rate} step reached, {amount} more to {next}",
        "已达 {rate} 档，再差 {amount} 达到 {next} 档",
        "已達 {rate} 檔，再差 {amount} 達到 {next} 檔",
    ),
    (
        "{amount} more to the first step ({next})",
        "再差 {amount} 达到第一档（{next}）",
        "再差 {amount} 達到第一檔（{next}）",
    ),
    ("team valid sales", "团队有效销售额", "團隊有效銷售額"),
    ("No team sales yet.", "暂无团队销售。", "暫無團隊銷售。"),
    (
        "Steps are reached on a month's team sales: these are {month}'s.",
        "档位按整月团队销售额计算：以上为{month}的档位。",
        "檔位按整月團隊銷售額計算：以上為{month}的檔位。",
    ),
    (
        "Give week, month or a month YYYY-MM.",
        "请给出 week、month 或某月 YYYY-MM。",
        "請給出 week、month 或某月 YYYY-MM。",
    ),
    (
        "Team board, this week ({first} – {last})",
        "本周团队排行榜（{first}至{last}）",
        "本週團隊排行榜（{first}至{last}）",
    ),
    ("Team board, {month}", "团队排行榜（{month}）", "團隊排行榜（{month}）"),
    (
        "Your team's rank: #{rank} · {amount}",
        "你的团队排名：第 {rank} 名 · {amount}",
        "你的團隊排名：第 {rank} 名 · {amount}",
    ),
    ("{name}'s team: #{rank}", "{name}的团队：第 {rank} 名", "{name}的團隊：第 {rank} 名"),
    (
        "Team reward: {reward} (your team's valid sales: {sales}).",
        "团队奖励：{reward}（团队有效销售额：{sales}）。",
        "團隊獎勵：{reward}（團隊有效銷售額：{sales}）。",
    ),
    (
        "Say poster for a picture to share, or nothing for your link.",
        "加上 poster 可获取分享海报，不加则获取邀请链接。",
        "加上 poster 可取得分享海報，不加則取得邀請連結。",
    ),
    ("{name} invites you to become a sharer", "{name}邀请你成为分享员", "{name}邀請你成為分享員"),
    (
        "Share what you love, earn on every order",
        "好物分享，每一单都有回报",
        "好物分享，每一單都有回報",
    ),
    ("Scan to join", "扫码加入", "掃碼加入"),
    (
        "Your recruiting poster: save it and post it to WeChat Moments. Whoever scans it and "
        "joins counts as your invitee.",
        "你的招募海报：保存后发到微信朋友圈。扫码加入的人算作你邀请的分享员。",
        "你的招募海報：儲存後發到微信朋友圈。掃碼加入的人算作你邀請的分享員。",
    ),
    # --- settlement and rules ---
    (
        "{month} is settled already; settled months never change.",
        "{month} 已经结算；已结算的月份不会再改变。",
        "{month} 已經結算；已結算的月份不會再改變。",
    ),
    (
        "{month} is not over yet: settle it once the month has ended.",
        "{month} 还没有结束：请在月份结束后再结算。",
        "{month} 還沒有結束：請在月份結束後再結算。",
    ),
    (
        "Settle {earlier} first: months are settled in order.",
        "请先结算 {earlier}：月份需按顺序结算。",
        "請先結算 {earlier}：月份需按順序結算。",
    ),
    (
        "{month} comes before {earlier}, the last settled month.",
        "{month} 早于最近结算的月份 {earlier}。",
        "{month} 早於最近結算的月份 {earlier}。",
    ),
    (
        "Give the month to settle, like 2026-11.",
        "请给出要结算的月份，例如 2026-11。",
        "請給出要結算的月份，例如 2026-11。",
    ),
    (
        "Payouts are private: use /settle in the managers' chat or with me.",
        "结算数据是私密的：请在管理群或与我的私聊中使用 /settle。",
        "結算數據是私密的：請在管理群或與我的私訊中使用 /settle。",
    ),
    (
        (
            "{month} is settled: {n} sharer, {total} in all.",
            "{month} is settled: {n} sharers, {total} in all.",
        ),
        "{month}已结算：{n} 名分享员，共 {total}。",
        "{month}已結算：{n} 名分享員，共 {total}。",
    ),
    (
        "Your commission for {month} is settled: {total}. /commission {ym} shows it.",
        "你{month}的佣金已结算：{total}。发送 /commission {ym} 查看明细。",
        "你{month}的佣金已結算：{total}。傳送 /commission {ym} 查看明細。",
    ),
    ("Commission rules", "分销佣金规则", "分銷佣金規則"),
    (
        "• Direct commission: {rate} of your valid sales (paid amount minus refunds; cancelled and "
        "refunded orders count 0).",
        "• 直接佣金：有效销售额的 {rate}（实付金额减去退款；已取消和已退款的订单计 0）。",
        "• 直接佣金：有效銷售額的 {rate}（實付金額減去退款；已取消和已退款的訂單計 0）。",
    ),
    (
        "• From {amount} of valid sales in a month: {rate} on the whole month.",
        "• 当月有效销售额达到 {amount}：整月按 {rate} 计算。",
        "• 當月有效銷售額達到 {amount}：整月按 {rate} 計算。",
    ),
    ("• Your own purchases earn no commission.", "• 自购订单不计佣金。", "• 自購訂單不計佣金。"),
    ("• Your own purchases: {rate}.", "• 自购返佣：{rate}。", "• 自購返佣：{rate}。"),
    (
        "• Level 2: {rate} of the valid sales of the people you invited.",
        "• 二级佣金：你邀请的人的有效销售额的 {rate}。",
        "• 二級佣金：你邀請的人的有效銷售額的 {rate}。",
    ),
    (
        "• Boost: {sku} at {rate} from {start} to {end}.",
        "• 短期激励：{sku} 在{start}至{end}按 {rate}。",
        "• 短期激勵：{sku} 在{start}至{end}按 {rate}。",
    ),
    (
        "• Team leaders: {rate} of the team's valid sales from {amount} a month.",
        "• 团长：团队月有效销售额达到 {amount} 时，奖励其 {rate}。",
        "• 團長：團隊月有效銷售額達到 {amount} 時，獎勵其 {rate}。",
    ),
    (
        "• Recruit reward: {reward} for each person you invite whose first month with orders "
        "reaches {minimum}.",
        "• 招募奖励：你邀请的人首个出单月的有效销售额达到 {minimum}，每人奖励 {reward}。",
        "• 招募獎勵：你邀請的人首個出單月的有效銷售額達到 {minimum}，每人獎勵 {reward}。",
    ),
    (
        (
            "• Commission is pending for {n} day after payment (refund window), then confirmed.",
            "• Commission is pending for {n} days after payment (refund window), then confirmed.",
        ),
        "• 佣金在付款后 {n} 天内（退款期）为待确认，之后确认。",
        "• 佣金在付款後 {n} 天內（退款期）為待確認，之後確認。",
    ),
    (
        "Levels, decided by last month's valid sales:",
        "等级（按上月有效销售额决定）：",
        "等級（按上月有效銷售額決定）：",
    ),
    (
        "• {level}: from {amount}, bonus +{bonus} on the direct rate",
        "• {level}：{amount} 起，直接佣金比例 +{bonus}",
        "• {level}：{amount} 起，直接佣金比例 +{bonus}",
    ),
    ("freeze a month and send the payout file", "结算某月并发送打款文件", "結算某月並傳送打款檔案"),
    (
        "send a settled month's payout files and messages again",
        "重新发送已结算月份的打款文件和通知",
        "重新傳送已結算月份的打款檔案和通知",
    ),
    (
        "Another month was settled meanwhile: send /settle {month} again.",
        "刚才有其他月份完成了结算：请再次发送 /settle {month}。",
        "剛才有其他月份完成了結算：請再次傳送 /settle {month}。",
    ),
    (
        "{month} is not settled yet: there is nothing to send again.",
        "{month}还没有结算，没有可以重新发送的内容。",
        "{month}還沒有結算，沒有可以重新傳送的內容。",
    ),
    ("Payout file for {month}", "{month}打款文件", "{month}打款檔案"),
    (
        "Give the settled month, and all to send everything again.",
        "请给出已结算的月份；加上 all 则全部重新发送。",
        "請給出已結算的月份；加上 all 則全部重新傳送。",
    ),
    (
        (
            "{n} message about {month} is queued again.",
            "{n} messages about {month} are queued again.",
        ),
        "已重新排队发送{month}的 {n} 条消息。",
        "已重新排隊傳送{month}的 {n} 則訊息。",
    ),
    (
        "Everything about {month} was delivered or is on its way; "
        "send /settle_resend {ym} all to send it all again.",
        "{month}的文件和通知都已送达或正在发送；如需全部重新发送，请发送 /settle_resend {ym} all。",
        "{month}的檔案和通知都已送達或正在傳送；如需全部重新傳送，請傳送 /settle_resend {ym} all。",
    ),
    ("the commission rules", "佣金规则", "佣金規則"),
    ("the level ladder", "等级说明", "等級說明"),
]
