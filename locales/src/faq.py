# Translations of the FAQ's messages (/faq, /faq_add, /faq_edit, /faq_del, /autofaq,
# /faq_gaps, import-faq); `python tools/write_po.py locales/src/faq.py` writes the .po files.
FEATURE = "faq"
MESSAGES = [
    # --- commands ---
    (
        "the FAQ: list, or find the answer to a question",
        "常见问题：列表，或查找问题的答案",
        "常見問題：列表，或查找問題的答案",
    ),
    ("add an FAQ entry", "新增常见问题", "新增常見問題"),
    ("change an FAQ entry", "修改常见问题", "修改常見問題"),
    ("delete an FAQ entry", "删除常见问题", "刪除常見問題"),
    ("questions the FAQ did not answer", "常见问题未能回答的提问", "常見問題未能回答的提問"),
    ("answer questions here from the FAQ", "在本群用常见问题自动回答", "在本群用常見問題自動回答"),
    ("/faq [question or entry number]", "/faq [问题或条目编号]", "/faq [問題或條目編號]"),
    ("/faq_add <question> | <answer>", "/faq_add <问题> | <答案>", "/faq_add <問題> | <答案>"),
    (
        "/faq_edit <number> <question> | <answer>",
        "/faq_edit <编号> <问题> | <答案>",
        "/faq_edit <編號> <問題> | <答案>",
    ),
    # --- entries ---
    (
        "Put a | between the question and the answer.",
        "请在问题和答案之间加一个 |。",
        "請在問題和答案之間加一個 |。",
    ),
    ("The question is empty.", "问题是空的。", "問題是空的。"),
    ("The answer is empty.", "答案是空的。", "答案是空的。"),
    (
        "The question is too long (at most {limit} characters).",
        "问题太长了（最多 {limit} 个字）。",
        "問題太長了（最多 {limit} 個字）。",
    ),
    (
        "The answer is too long (at most {limit} characters).",
        "答案太长了（最多 {limit} 个字）。",
        "答案太長了（最多 {limit} 個字）。",
    ),
    ("{value} is not an entry number.", "{value} 不是条目编号。", "{value} 不是條目編號。"),
    (
        "There is no FAQ entry #{id}: /faq lists them.",
        "没有第 {id} 号常见问题：/faq 可查看全部条目。",
        "沒有第 {id} 號常見問題：/faq 可查看全部條目。",
    ),
    (
        "The FAQ is empty. Managers add entries with /faq_add question | answer.",
        "常见问题还是空的。管理者可以用 /faq_add 问题 | 答案 新增条目。",
        "常見問題還是空的。管理者可以用 /faq_add 問題 | 答案 新增條目。",
    ),
    (
        "FAQ, page {page} of {pages}: press a number for the answer.",
        "常见问题，第 {page}/{pages} 页：点编号查看答案。",
        "常見問題，第 {page}/{pages} 頁：點編號查看答案。",
    ),
    (
        "No entry answers that yet; the managers will see the question. /faq lists every entry.",
        "暂时没有条目能回答这个问题，管理者会看到它。/faq 可查看全部条目。",
        "暫時沒有條目能回答這個問題，管理者會看到它。/faq 可查看全部條目。",
    ),
    ("See also:", "相关问题：", "相關問題："),
    (
        "Entry #{id} asks this already: change it with /faq_edit {id}.",
        "第 {id} 号条目已经是这个问题了：请用 /faq_edit {id} 修改。",
        "第 {id} 號條目已經是這個問題了：請用 /faq_edit {id} 修改。",
    ),
    ("Added FAQ entry: {entry}", "已新增常见问题：{entry}", "已新增常見問題：{entry}"),
    (
        "Give the entry number, then the question | answer.",
        "请先写条目编号，再写 问题 | 答案。",
        "請先寫條目編號，再寫 問題 | 答案。",
    ),
    ("Changed FAQ entry: {entry}", "已修改常见问题：{entry}", "已修改常見問題：{entry}"),
    (
        "Give the number of the entry to delete.",
        "请写出要删除的条目编号。",
        "請寫出要刪除的條目編號。",
    ),
    ("Deleted FAQ entry: {entry}", "已删除常见问题：{entry}", "已刪除常見問題：{entry}"),
    # --- automatic answers ---
    ("Automatic answers are on here.", "本群已开启自动回答。", "本群已開啟自動回答。"),
    ("Automatic answers are off here.", "本群已关闭自动回答。", "本群已關閉自動回答。"),
    (
        "Automatic answers are on here: a question that an FAQ entry answers confidently gets "
        "the answer as a reply; the others are kept for /faq_gaps.",
        "本群已开启自动回答：常见问题能确定回答的提问会直接回复答案，其余的留给 /faq_gaps。",
        "本群已開啟自動回答：常見問題能確定回答的提問會直接回覆答案，其餘的留給 /faq_gaps。",
    ),
    # --- gaps ---
    ("No unanswered questions.", "没有未回答的问题。", "沒有未回答的問題。"),
    (
        "Questions no entry answers, the most asked first:",
        "常见问题回答不了的提问（问得最多的在前）：",
        "常見問題回答不了的提問（問得最多的在前）：",
    ),
    (("asked once", "asked {n} times"), "问过 {n} 次", "問過 {n} 次"),
    ("{n}. {question} ({times})", "{n}. {question}（{times}）", "{n}. {question}（{times}）"),
    ("Answer {n}", "回答 {n}", "回答 {n}"),
    ("Cancelled: no entry made.", "已取消，没有新增条目。", "已取消，沒有新增條目。"),
    (
        "This question has an answer already.",
        "这个问题已经有答案了。",
        "這個問題已經有答案了。",
    ),
    (
        "Reply to this message with the answer to: {question}",
        "请回复这条消息，写出这个问题的答案：{question}",
        "請回覆這條訊息，寫出這個問題的答案：{question}",
    ),
    # --- import ---
    (
        "FAQ from {file}: {read} entries read, {new} new, {updated} updated, {unchanged} "
        "unchanged, {rejected} rejected.",
        "{file} 的常见问题：读取 {read} 条，新增 {new} 条，更新 {updated} 条，未变 {unchanged} 条，"
        "拒绝 {rejected} 条。",
        "{file} 的常見問題：讀取 {read} 條，新增 {new} 條，更新 {updated} 條，未變 {unchanged} 條，"
        "拒絕 {rejected} 條。",
    ),
    (
        "Send the FAQ (CSV or XLSX with question and answer columns, or Markdown with "
        "## question headings) as a file, with /import_faq as its caption.",
        "请把常见问题文件（含问题、答案两列的 CSV 或 XLSX，或以“## 问题”为标题的 Markdown）"
        "作为文件发送，并以 /import_faq 作为说明文字。",
        "請把常見問題檔案（含問題、答案兩欄的 CSV 或 XLSX，或以「## 問題」為標題的 Markdown）"
        "作為檔案傳送，並以 /import_faq 作為說明文字。",
    ),
    ("import FAQ entries from a file", "从文件导入常见问题", "從檔案匯入常見問題"),
    ("line {line}: no question", "第 {line} 行：没有问题", "第 {line} 行：沒有問題"),
    ("line {line}: no answer", "第 {line} 行：没有答案", "第 {line} 行：沒有答案"),
]
