"""The FAQ through the real bot (issue 10, part 1): entries, search, /autofaq in a group,
/faq_gaps turned into an entry, paging, imports, and the bad input the issue lists."""

from __future__ import annotations

from bot.offline.driver import Driver
from storage.faq import Faq
from tests.e2e.conftest import ADA, BOB, EVE, MANAGERS_CHAT, SHARERS_CHAT, setup_chats

WITHDRAW = "/faq_add 佣金怎么提现？| 佣金结算后自动打到你绑定的微信零钱。"
SHIP = "/faq_add 下单后多久发货？/ How long does shipping take? | 付款后 48 小时内发货。"


async def _autofaq(bot: Driver) -> None:
    await setup_chats(bot, "sharers")
    for line in (WITHDRAW, SHIP):
        await bot.say(ADA, ADA, line)
    [on] = await bot.say(ADA, SHARERS_CHAT, "/autofaq on")
    assert on.text.startswith("本群已开启自动回答")


async def test_a_traditional_question_in_the_group_is_answered_from_a_simplified_entry(
    bot: Driver,
) -> None:
    await _autofaq(bot)
    [answer] = await bot.say(BOB, SHARERS_CHAT, "請問傭金要怎麼提現呀？")
    assert answer.chat_id == SHARERS_CHAT
    assert answer.text == "#1 佣金怎么提现？\n佣金结算后自动打到你绑定的微信零钱。"
    [english] = await bot.say(EVE, SHARERS_CHAT, "how long does shipping take?")
    assert english.text.startswith("#2 ")
    # Chatter and questions the FAQ does not cover get no reply.
    assert await bot.say(BOB, SHARERS_CHAT, "佣金到账了，谢谢大家！") == []
    assert await bot.say(BOB, SHARERS_CHAT, "今天天气怎么样？") == []


async def test_with_autofaq_off_nothing_is_answered_or_kept(bot: Driver) -> None:
    await _autofaq(bot)
    [off] = await bot.say(ADA, SHARERS_CHAT, "/autofaq off")
    assert off.text == "本群已关闭自动回答。"
    assert await bot.say(BOB, SHARERS_CHAT, "佣金怎么提现？") == []
    assert await bot.services.repo(Faq).unanswered() == []
    [state] = await bot.say(ADA, SHARERS_CHAT, "/autofaq")
    assert state.text.startswith("本群已关闭自动回答。\n用法：/autofaq on|off")
    [refused] = await bot.say(BOB, SHARERS_CHAT, "/autofaq on")
    assert "管理者" in refused.text


async def test_an_unanswered_question_is_listed_by_faq_gaps_and_turned_into_an_entry(
    bot: Driver,
) -> None:
    await _autofaq(bot)
    assert await bot.say(BOB, SHARERS_CHAT, "样品怎么申请？") == []
    assert await bot.say(EVE, SHARERS_CHAT, "请问样品怎么申请呀？") == []
    assert await bot.say(BOB, SHARERS_CHAT, "直播间几点开播？") == []
    [gaps] = await bot.say(ADA, ADA, "/faq_gaps")
    assert gaps.text.splitlines() == [
        "常见问题回答不了的提问（问得最多的在前）：",
        "1. 请问样品怎么申请呀？（问过 2 次）",
        "2. 直播间几点开播？（问过 1 次）",
    ]
    [prompt] = await bot.press(ADA, gaps, "回答 1")
    assert prompt.text == "请回复这条消息，写出这个问题的答案：请问样品怎么申请呀？"
    [closed, added] = await bot.say(ADA, ADA, "月销三千元以上可申请免费样品。", reply_to=prompt)
    assert (closed.message_id, closed.buttons) == (prompt.message_id, [])
    assert added.text == "已新增常见问题：#3 请问样品怎么申请呀？"
    [left] = await bot.say(ADA, ADA, "/faq_gaps")
    assert left.text.splitlines()[1:] == ["1. 直播间几点开播？（问过 1 次）"]
    [answer] = await bot.say(BOB, SHARERS_CHAT, "樣品要怎麼申請？")
    assert answer.text.endswith("月销三千元以上可申请免费样品。")
    entry = (await bot.services.audit.entries("faq", 3))[0]
    assert (entry.action, entry.actor_id) == ("faq_add", ADA)


async def test_a_gap_is_answered_by_managers_only(bot: Driver) -> None:
    await _autofaq(bot)
    await setup_chats(bot, "managers")
    await bot.say(BOB, SHARERS_CHAT, "样品怎么申请？")
    # The sharers' questions are the managers' to read: not listed in the sharers' group.
    [elsewhere] = await bot.say(ADA, SHARERS_CHAT, "/faq_gaps")
    assert "/faq_gaps" in elsewhere.text and "样品怎么申请" not in elsewhere.text
    [gaps] = await bot.say(ADA, MANAGERS_CHAT, "/faq_gaps")
    [prompt] = await bot.press(ADA, gaps, "回答 1")
    [refused] = await bot.say(BOB, MANAGERS_CHAT, "随便写的答案", reply_to=prompt)
    assert "管理者" in refused.text
    [cancelled] = await bot.press(ADA, prompt, "取消")
    assert cancelled.text == "已取消，没有新增条目。"
    assert len(await bot.services.repo(Faq).entries()) == 2


async def test_faq_search_gives_the_best_answer_first(bot: Driver) -> None:
    for line in (WITHDRAW, SHIP, "/faq_add 佣金什么时候发放？| 每月 10 日结算。"):
        await bot.say(ADA, ADA, line)
    [found] = await bot.say(BOB, BOB, "/faq 佣金哪天发")
    assert found.text.startswith("#3 佣金什么时候发放？\n每月 10 日结算。")
    [none] = await bot.say(BOB, BOB, "/faq 猫粮哪个牌子好")
    assert none.text.startswith("暂时没有条目能回答这个问题")
    [kept] = await bot.services.repo(Faq).unanswered()
    assert kept.text == "猫粮哪个牌子好"
    [one] = await bot.say(EVE, EVE, "/faq 2")
    assert one.text == "#2 下单后多久发货？/ How long does shipping take?\n付款后 48 小时内发货。"


async def test_faq_lists_entries_in_pages_with_buttons(bot: Driver) -> None:
    for n in range(1, 13):
        await bot.say(ADA, ADA, f"/faq_add 问题{n}？| 答案{n}")
    [page] = await bot.say(BOB, BOB, "/faq")
    assert page.text.splitlines()[0] == "常见问题，第 1/2 页：点编号查看答案。"
    assert len(page.text.splitlines()) == 11
    [second] = await bot.press(BOB, page, "▶")
    assert second.text.splitlines()[1:] == ["#11 问题11？", "#12 问题12？"]
    assert [b[0] for b in second.buttons[-1]] == ["◀"]
    [answer] = await bot.press(BOB, second, "#12")
    assert answer.text == "#12 问题12？\n答案12"


async def test_managers_edit_and_delete_entries_and_each_change_is_audited(bot: Driver) -> None:
    await bot.say(ADA, ADA, WITHDRAW)
    [edited] = await bot.say(ADA, ADA, "/faq_edit 1 怎么提现？| 自动到账，无需提现。")
    assert edited.text == "已修改常见问题：#1 怎么提现？"
    assert (await bot.services.repo(Faq).get(1)).answer == "自动到账，无需提现。"
    [deleted] = await bot.say(ADA, ADA, "/faq_del 1")
    assert deleted.text == "已删除常见问题：#1 怎么提现？"
    actions = [e.action for e in await bot.services.audit.entries("faq", 1)]
    assert actions == ["faq_del", "faq_edit", "faq_add"]
    [empty] = await bot.say(BOB, BOB, "/faq")
    assert empty.text.startswith("常见问题还是空的。")


async def test_bad_input_gets_a_short_answer_and_changes_nothing(bot: Driver) -> None:
    await bot.say(ADA, ADA, WITHDRAW)
    cases = {
        "/faq_add 没有竖线的问题": "请在问题和答案之间加一个 |。",
        "/faq_add | 只有答案": "问题是空的。",
        "/faq_add 只有问题 |": "答案是空的。",
        "/faq_add 佣金怎么提现 | 另一个答案": "第 1 号条目已经是这个问题了",
        "/faq_edit 9 问题 | 答案": "没有第 9 号常见问题",
        "/faq_edit abc 问题 | 答案": "abc 不是条目编号。",
        "/faq_edit 1 问题没有竖线": "请在问题和答案之间加一个 |。",
        "/faq_edit": "请先写条目编号",
        "/faq_del 9": "没有第 9 号常见问题",
        "/faq_del": "请写出要删除的条目编号。",
        "/faq 99": "没有第 99 号常见问题",
    }
    for line, expected in cases.items():
        [answer] = await bot.say(ADA, ADA, line)
        assert expected in answer.text, (line, answer.text)
    [refused] = await bot.say(BOB, BOB, "/faq_add 问题 | 答案")
    assert "管理者" in refused.text
    [entry] = await bot.services.repo(Faq).entries()
    assert (entry.id, entry.answer) == (1, "佣金结算后自动打到你绑定的微信零钱。")
    assert len(await bot.services.audit.entries("faq")) == 1


async def test_import_faq_reads_csv_and_markdown(bot: Driver) -> None:
    csv = "question,answer\n佣金怎么提现？,自动到账。\n多久发货？,48 小时内。\n空答案？,\n"
    [done] = await bot.upload(ADA, ADA, csv.encode(), "faq.csv", "/import_faq")
    assert done.text.splitlines()[0] == (
        "faq.csv 的常见问题：读取 3 条，新增 2 条，更新 0 条，未变 0 条，拒绝 1 条。"
    )
    assert "第 4 行：没有答案" in done.text
    markdown = "# 常见问题\n\n## 佣金怎么提现？\n结算后\n自动到账。\n\n## 包邮吗？\n全场包邮。\n"
    [done] = await bot.upload(ADA, ADA, markdown.encode(), "faq.md", "/import_faq")
    assert done.text.splitlines()[0] == (
        "faq.md 的常见问题：读取 2 条，新增 1 条，更新 1 条，未变 0 条，拒绝 0 条。"
    )
    [found] = await bot.say(BOB, BOB, "/faq 包郵嗎")
    assert found.text == "#3 包邮吗？\n全场包邮。"
    assert (await bot.services.repo(Faq).get(1)).answer == "结算后\n自动到账。"
