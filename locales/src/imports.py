# Translations of the imports (bot/imports.py, handlers/imports.py);
# `python tools/write_po.py locales/src/imports.py` writes locales/<lang>/LC_MESSAGES/imports.po.
FEATURE = "imports"
MESSAGES = [
    (
        "{filename} is not a CSV or XLSX file.",
        "{filename} 不是 CSV 或 XLSX 文件。",
        "{filename} 不是 CSV 或 XLSX 檔案。",
    ),
    ("{filename} is empty.", "{filename} 是空文件。", "{filename} 是空檔案。"),
    (
        "{filename} cannot be read: a quote is not closed on line {line}.",
        "{filename} 无法读取：第 {line} 行的引号没有闭合。",
        "{filename} 無法讀取：第 {line} 行的引號沒有閉合。",
    ),
    (
        "{filename} is neither UTF-8 nor GBK text. Save it as CSV UTF-8 and send it again.",
        "{filename} 既不是 UTF-8 也不是 GBK 编码的文本。请另存为 CSV UTF-8 格式后重新发送。",
        "{filename} 既不是 UTF-8 也不是 GBK 編碼的文字。請另存為 CSV UTF-8 格式後重新傳送。",
    ),
    (
        "{filename} is a damaged file: it cannot be read as XLSX.",
        "{filename} 是损坏的文件：无法按 XLSX 读取。",
        "{filename} 是損壞的檔案：無法按 XLSX 讀取。",
    ),
    (
        "{filename} cannot be read: a cell on line {line} is too long (more than {limit} "
        "characters).",
        "{filename} 无法读取：第 {line} 行有一个单元格太长（超过 {limit} 个字符）。",
        "{filename} 無法讀取：第 {line} 行有一個儲存格太長（超過 {limit} 個字元）。",
    ),
    (
        "line {line}: {cells} cells, the header has {header} — a number with a comma must be "
        "quoted",
        "第 {line} 行：有 {cells} 个单元格，表头只有 {header} 个。带逗号的数字必须加引号",
        "第 {line} 行：有 {cells} 個儲存格，表頭只有 {header} 個。帶逗號的數字必須加引號",
    ),
    (
        "line {line}: holds a NUL character, which is binary data, not text",
        "第 {line} 行：含有 NUL 字符，这是二进制数据，不是文本",
        "第 {line} 行：含有 NUL 字元，這是二進位資料，不是文字",
    ),
    (
        "line {line}: {cells} cells, the header has {header}",
        "第 {line} 行：只有 {cells} 个单元格，表头有 {header} 个",
        "第 {line} 行：只有 {cells} 個儲存格，表頭有 {header} 個",
    ),
    (
        "line {line}: the amount {value} is beyond any real order",
        "第 {line} 行：金额 {value} 超出了任何真实订单的范围",
        "第 {line} 行：金額 {value} 超出了任何真實訂單的範圍",
    ),
    (
        "line {line}: the refund {value} is beyond any real order",
        "第 {line} 行：退款金额 {value} 超出了任何真实订单的范围",
        "第 {line} 行：退款金額 {value} 超出了任何真實訂單的範圍",
    ),
    (
        "line {line}: the quantity {value} is beyond any real order",
        "第 {line} 行：数量 {value} 超出了任何真实订单的范围",
        "第 {line} 行：數量 {value} 超出了任何真實訂單的範圍",
    ),
    (
        "line {line}: {value} cannot be a handle (no spaces, at most 64 characters)",
        "第 {line} 行：{value} 不能作为达人昵称（不能有空格，最多 64 个字符）",
        "第 {line} 行：{value} 不能作為達人暱稱（不能有空格，最多 64 個字元）",
    ),
    ("line {line}: no creator handle", "第 {line} 行：没有达人昵称", "第 {line} 行：沒有達人暱稱"),
    (
        "line {line}: unknown platform {value} (tiktok, douyin, channels, xiaohongshu or other)",
        "第 {line} 行：未知平台 {value}（可用：抖音、视频号、小红书、TikTok 或其他）",
        "第 {line} 行：未知平台 {value}（可用：抖音、視頻號、小紅書、TikTok 或其他）",
    ),
    (
        "line {line}: the tier must be S, A or B, not {value}",
        "第 {line} 行：层级只能是 S、A 或 B，不能是 {value}",
        "第 {line} 行：層級只能是 S、A 或 B，不能是 {value}",
    ),
    (
        "line {line}: {value} is not a follower count (e.g. 12000, 1.2万, 12k)",
        "第 {line} 行：{value} 不是粉丝数（例如 12000、1.2万、12k）",
        "第 {line} 行：{value} 不是粉絲數（例如 12000、1.2萬、12k）",
    ),
    (
        "line {line}: {key} {value} is not a valid value",
        "第 {line} 行：{key} 的值 {value} 无效",
        "第 {line} 行：{key} 的值 {value} 無效",
    ),
    (
        "Processing {filename}… {n} rows read so far.",
        "正在处理 {filename}……已读取 {n} 行。",
        "正在處理 {filename}……已讀取 {n} 列。",
    ),
    ("line {line}: no order id", "第 {line} 行：没有订单号", "第 {line} 行：沒有訂單號"),
    (
        "line {line}: cannot read the time {value} (write 2026-11-05 14:30)",
        "第 {line} 行：无法识别时间 {value}（请写成 2026-11-05 14:30）",
        "第 {line} 行：無法識別時間 {value}（請寫成 2026-11-05 14:30）",
    ),
    (
        "line {line}: the amount {value} is not a number",
        "第 {line} 行：金额 {value} 不是数字",
        "第 {line} 行：金額 {value} 不是數字",
    ),
    ("line {line}: no amount", "第 {line} 行：没有金额", "第 {line} 行：沒有金額"),
    (
        "line {line}: the amount {value} is ambiguous: use a dot for decimals, commas only between "
        "thousands (1,234.50)",
        "第 {line} 行：金额 {value} 有歧义：小数请用小数点，逗号只能用作千位分隔（1,234.50）",
        "第 {line} 行：金額 {value} 有歧義：小數請用小數點，逗號只能用作千位分隔（1,234.50）",
    ),
    (
        "line {line}: the amount {value} has more than 2 decimals",
        "第 {line} 行：金额 {value} 超过两位小数",
        "第 {line} 行：金額 {value} 超過兩位小數",
    ),
    (
        "line {line}: the amount {value} is negative",
        "第 {line} 行：金额 {value} 是负数",
        "第 {line} 行：金額 {value} 是負數",
    ),
    (
        "line {line}: the refund {value} is not a number",
        "第 {line} 行：退款金额 {value} 不是数字",
        "第 {line} 行：退款金額 {value} 不是數字",
    ),
    (
        "line {line}: the refund {value} is ambiguous: use a dot for decimals, commas only between "
        "thousands (1,234.50)",
        "第 {line} 行：退款金额 {value} 有歧义：小数请用小数点，逗号只能用作千位分隔（1,234.50）",
        "第 {line} 行：退款金額 {value} 有歧義：小數請用小數點，逗號只能用作千位分隔（1,234.50）",
    ),
    (
        "line {line}: the refund {value} has more than 2 decimals",
        "第 {line} 行：退款金额 {value} 超过两位小数",
        "第 {line} 行：退款金額 {value} 超過兩位小數",
    ),
    (
        "line {line}: the refund {value} is negative",
        "第 {line} 行：退款金额 {value} 是负数",
        "第 {line} 行：退款金額 {value} 是負數",
    ),
    (
        "line {line}: the refund {refund} is more than the amount {amount}",
        "第 {line} 行：退款 {refund} 超过了订单金额 {amount}",
        "第 {line} 行：退款 {refund} 超過了訂單金額 {amount}",
    ),
    (
        "line {line}: the quantity {value} is not a whole number above 0",
        "第 {line} 行：数量 {value} 不是大于 0 的整数",
        "第 {line} 行：數量 {value} 不是大於 0 的整數",
    ),
    (
        "line {line}: unknown status {value} (paid, refunded or cancelled)",
        "第 {line} 行：未知的订单状态 {value}（可用：已支付、已退款、已取消）",
        "第 {line} 行：未知的訂單狀態 {value}（可用：已支付、已退款、已取消）",
    ),
    ("line {line}: no sharer id", "第 {line} 行：没有分享员ID", "第 {line} 行：沒有分享員ID"),
    (
        "line {line}: {sharer} cannot be their own inviter",
        "第 {line} 行：{sharer} 不能邀请自己",
        "第 {line} 行：{sharer} 不能邀請自己",
    ),
    (
        "line {line}: {inviter} cannot be the inviter of {sharer}, who is above them in the "
        "inviter tree",
        "第 {line} 行：{inviter} 不能成为 {sharer} 的邀请人，"
        "因为 {sharer} 在邀请关系中是 {inviter} 的上级",
        "第 {line} 行：{inviter} 不能成為 {sharer} 的邀請人，"
        "因為 {sharer} 在邀請關係中是 {inviter} 的上級",
    ),
    ("line {line}: cannot be read", "第 {line} 行：无法读取", "第 {line} 行：無法讀取"),
    (
        "The file lacks the columns {missing}. Headers found: {found}. Nothing imported.",
        "文件缺少这些列：{missing}。找到的表头：{found}。没有导入任何数据。",
        "檔案缺少這些欄：{missing}。找到的表頭：{found}。沒有匯入任何資料。",
    ),
    ("… and {n} more.", "……还有 {n} 条。", "……還有 {n} 條。"),
    ("Rows skipped:", "跳过的行：", "略過的列："),
    (
        "Listed more than once; the later row counts:",
        "重复出现，以后面的一行为准：",
        "重複出現，以後面的一列為準：",
    ),
    ("line {line}: {key}", "第 {line} 行：{key}", "第 {line} 行：{key}"),
    (
        "{filename} has a header but no rows: nothing imported.",
        "{filename} 只有表头没有数据：没有导入任何数据。",
        "{filename} 只有表頭沒有資料：沒有匯入任何資料。",
    ),
    (
        "Orders from {filename}: {read} rows read, {new} new, {updated} updated, {unchanged} "
        "unchanged, {rejected} rejected.",
        "订单导入（{filename}）：读取 {read} 行，"
        "新增 {new}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}。",
        "訂單匯入（{filename}）：讀取 {read} 列，"
        "新增 {new}，更新 {updated}，未變 {unchanged}，拒絕 {rejected}。",
    ),
    (
        "Sharers from {filename}: {read} rows read, {new} new, {updated} updated, {unchanged} "
        "unchanged, {rejected} rejected.",
        "分享员导入（{filename}）：读取 {read} 行，"
        "新增 {new}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}。",
        "分享員匯入（{filename}）：讀取 {read} 列，"
        "新增 {new}，更新 {updated}，未變 {unchanged}，拒絕 {rejected}。",
    ),
    (
        "Sharer ids not bound to a Telegram account yet ({n}):",
        "尚未绑定 Telegram 账号的分享员ID（{n} 个）：",
        "尚未綁定 Telegram 帳號的分享員ID（{n} 個）：",
    ),
    (
        "Named as inviter or leader but not in the file, added by id:",
        "作为邀请人或团长出现但不在文件中，已按 ID 添加：",
        "作為邀請人或團長出現但不在檔案中，已按 ID 新增：",
    ),
    (
        "The file is too big for a chat upload ({mb} MB at most); run python -m bot import on "
        "the server instead.",
        "文件太大，无法通过聊天上传（最多 {mb} MB）；请在服务器上运行 python -m bot import。",
        "檔案太大，無法透過聊天上傳（最多 {mb} MB）；請在伺服器上執行 python -m bot import。",
    ),
    (
        "{filename} cannot be read: a line is longer than {limit} characters. Nothing imported.",
        "{filename} 无法读取：有一行超过 {limit} 个字符。未导入任何内容。",
        "{filename} 無法讀取：有一行超過 {limit} 個字元。未匯入任何內容。",
    ),
    (
        "{filename} has more than {limit} rows, more than a chat upload may hold. Nothing "
        "imported: split the file, or import it on the server (python -m bot import).",
        "{filename} 超过 {limit} 行，超出聊天上传的上限。未导入任何内容：请拆分文件，"
        "或在服务器上导入（python -m bot import）。",
        "{filename} 超過 {limit} 列，超出聊天上傳的上限。未匯入任何內容：請拆分檔案，"
        "或在伺服器上匯入（python -m bot import）。",
    ),
    (
        "{filename} has more than {limit} cells, more than a chat upload may hold. Nothing "
        "imported: leave out the columns the bot does not need, or split the file.",
        "{filename} 超过 {limit} 个单元格，超出聊天上传的上限。未导入任何内容：请删去不需要的列，"
        "或拆分文件。",
        "{filename} 超過 {limit} 個儲存格，超出聊天上傳的上限。未匯入任何內容：請刪去不需要的欄，"
        "或拆分檔案。",
    ),
    (
        "{filename} unpacks to more than {mb} MB, more than a chat upload may hold. Nothing "
        "imported: save it as CSV, or split it.",
        "{filename} 解压后超过 {mb} MB，超出聊天上传的上限。未导入任何内容：请另存为 CSV，"
        "或拆分文件。",
        "{filename} 解壓後超過 {mb} MB，超出聊天上傳的上限。未匯入任何內容：請另存為 CSV，"
        "或拆分檔案。",
    ),
    (
        "{filename} unpacks to far more than a real spreadsheet of its size would. Nothing "
        "imported: save it as CSV and send it again.",
        "{filename} 解压后的大小远超同等大小的正常表格。未导入任何内容：请另存为 CSV 后重新发送。",
        "{filename} 解壓後的大小遠超同等大小的正常表格。未匯入任何內容：請另存為 CSV 後重新傳送。",
    ),
    (
        "Send the order export (CSV or XLSX) as a file, with /import as its caption.",
        "请把订单导出表（CSV 或 XLSX）作为文件发送，并以 /import 作为说明文字。",
        "請把訂單匯出表（CSV 或 XLSX）作為檔案傳送，並以 /import 作為說明文字。",
    ),
    (
        "Send the sharer roster (CSV or XLSX) as a file, with /import_sharers as its caption.",
        "请把分享员名单（CSV 或 XLSX）作为文件发送，并以 /import_sharers 作为说明文字。",
        "請把分享員名單（CSV 或 XLSX）作為檔案傳送，並以 /import_sharers 作為說明文字。",
    ),
    ("import the shop's order export", "导入店铺订单", "匯入店鋪訂單"),
    ("import the sharer roster", "导入分享员名单", "匯入分享員名單"),
]
