"""The creator registry through the real bot: add, card and its buttons, list, tier, notes,
block — and every refusal leaves the registry as it was."""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from storage.creators import Creators
from storage.db import to_ts
from tests.conftest import T0
from tests.e2e.conftest import ADA, BD_CHAT, BOB, CAI, EVE, MANAGERS_CHAT, setup_chats


async def count(bot: Driver) -> int:
    return await bot.services.db.fetchval("SELECT COUNT(*) FROM creators")


async def add_sample(bot: Driver, creator_id: int, stage: str, **cols: object) -> None:
    values = {
        "creator_id": creator_id,
        "owner_id": BOB,
        "product": "面膜",
        "stage": stage,
        "shipped_at": to_ts(T0),
        "created_at": to_ts(T0),
        "updated_at": to_ts(T0),
    } | cols
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    async with bot.services.db.transaction() as conn:
        await conn.execute(
            f"INSERT INTO samples ({names}) VALUES ({marks})", tuple(values.values())
        )


async def add_order(bot: Driver, order_id: str, creator: str, valid_fen: int) -> None:
    async with bot.services.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO orders (order_id, paid_at, month, day, amount_fen, status, valid_fen,"
            " creator, imported_at) VALUES (?, ?, 202611, 20261120, ?, 'paid', ?,"
            " ?, ?)",
            (order_id, to_ts(T0), valid_fen, valid_fen, creator, to_ts(T0)),
        )


async def test_add_and_card(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [added] = await bot.say(BOB, BD_CHAT, "/creator_add @lily A douyin 1.2万 美妆")
    assert added.text == "已登记 lily（抖音），等级 A，负责商务 Bob。"
    [lily] = await bot.services.repo(Creators).by_handle("LILY")
    assert (lily.tier, lily.platform, lily.followers, lily.category, lily.owner_id) == (
        "A",
        "douyin",
        12000,
        "美妆",
        BOB,
    )
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert card.text.startswith("lily · A · 抖音\n负责商务：Bob\n粉丝：12,000 · 类目：美妆")
    assert "状态：合作中" in card.text and "寄样：0（—）" in card.text
    assert "带货销售额：¥0.00（0 单）" in card.text
    assert card.buttons[0][0] == ("寄样", f"cr:s:{lily.id}")
    [entry] = await bot.services.audit.entries("creator", lily.id)
    assert (entry.action, entry.actor_id) == ("add", BOB)


async def test_followers_forms_and_english(bot: Driver) -> None:
    await bot.say(ADA, ADA, f"/grant {EVE} bd")
    [added] = await bot.say(EVE, EVE, "/creator_add mia s 12k Home")
    assert added.text == "Registered mia (other platform), tier S, owner Eve."
    [mia] = await bot.services.repo(Creators).by_handle("mia")
    assert (mia.followers, mia.category, mia.platform) == (12000, "Home", "other")


async def test_card_figures_from_samples_chases_and_orders(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily S tiktok")
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    day = 86_400
    signed = to_ts(T0)
    await add_sample(
        bot,
        lily.id,
        "video_posted",
        signed_at=signed,
        video_at=signed + 3 * day,
        chases=2,
        chases_replied=1,
        last_chase_at=signed + day,
    )
    await add_sample(bot, lily.id, "no_show", signed_at=signed, chases=3, chases_replied=0)
    await add_sample(bot, lily.id, "shipped")
    await add_order(bot, "o1", "@Lily", 12_345)
    await add_order(bot, "o2", "lily", 655)
    await add_order(bot, "o3", "someone", 99_999)
    await bot.say(BOB, BD_CHAT, "/note lily 很配合")
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert "寄样：3（已寄出 1、已发视频 1、未履约 1）" in card.text
    assert "履约率：50.0% · 签收到发视频：3 天" in card.text
    assert "催视频：5 次，回复 1 次（20.0%）" in card.text
    assert "带货销售额：¥130.00（2 单）" in card.text
    assert "最近联系：2026年11月25日" in card.text  # the video, the latest contact
    assert card.text.endswith("备注：\n• 2026年11月22日 Bob：很配合")


async def test_duplicates_and_platform_choice(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A douyin")
    [dup] = await bot.say(CAI, BD_CHAT, "/creator_add @LILY S douyin")
    assert dup.text == "LILY 已在抖音登记过了。"
    assert await count(bot) == 1
    [other] = await bot.say(CAI, BD_CHAT, "/creator_add lily B 抖音")
    assert other.text.startswith("LILY") is False and "登记过了" in other.text
    await bot.say(CAI, BD_CHAT, "/creator_add lily B xhs")
    [which] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert which.text == "lily 在多个平台都有登记，请写其中之一：lily@douyin, lily@xiaohongshu。"
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily 小红书")
    assert card.text.startswith("lily · B · 小红书")
    [done] = await bot.say(CAI, BD_CHAT, "/tier lily@xiaohongshu A 试播不错")
    assert done.text == "lily 的等级：B → A。"


async def test_bad_input_changes_nothing(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    cases = {
        "/creator_add mia X": "等级只能是 S、A 或 B，不能是 X。",
        "/creator_add mia A douyin 12kk": "12kk 不是粉丝数（例如 12000、1.2万、12k）。",
        '/creator_add "mi a" A': "mi a 不能作为达人昵称（不能有空格，最多 64 个字符）。",
        "/creator lilly": "没有达人 lilly。你是不是要找：lily？",
        "/creator zzzqqq": "没有达人 zzzqqq：请先用 /creator_add 登记。",
        "/tier lily Z": "等级只能是 S、A 或 B，不能是 Z。",
        "/creators vip": "请选择 S、A、B、mine 或 overdue。\n用法：/creators [S|A|B|mine|overdue]",
    }
    for command, expected in cases.items():
        [answer] = await bot.say(BOB, BD_CHAT, command)
        # A reason, then the usage line where the argument itself did not parse.
        assert answer.text.partition("\n用法：")[0] == expected.partition("\n用法：")[0], command
    [usage] = await bot.say(BOB, BD_CHAT, "/creator_add lily")
    assert usage.text.endswith(
        "用法：/creator_add <handle> <S|A|B> [platform] [followers] [category]"
    )
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    assert (await count(bot), lily.tier) == (1, "A")


async def test_roles_are_checked(bot: Driver) -> None:
    [refused] = await bot.say(CAI, CAI, "/creator_add lily A")
    assert refused.text == "/creator_add 仅限：商务。"
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    [refused] = await bot.say(CAI, CAI, "/creator lily")
    assert refused.text == "/creator 仅限：商务。"
    [refused] = await bot.say(CAI, BD_CHAT, "/tier lily S")  # a BD, but not the owner
    assert refused.text == "只有 lily 的负责商务或管理者可以这样做。"
    [refused] = await bot.say(CAI, BD_CHAT, "/block lily 不回消息")
    assert refused.text == "只有 lily 的负责商务或管理者可以这样做。"
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    assert (lily.tier, lily.blocked_reason) == ("A", None)
    [done] = await bot.say(ADA, BD_CHAT, "/tier lily S")  # an admin may, as a manager
    assert done.text == "lily 的等级：A → S。"


async def test_chinese_emoji_and_html_come_back_verbatim(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [added] = await bot.say(BOB, BD_CHAT, "/creator_add 小美🎉 S 视频号 3万 <i>美妆</i>")
    assert added.text == "已登记 小美🎉（视频号），等级 S，负责商务 Bob。"
    [kept] = await bot.say(BOB, BD_CHAT, "/note 小美🎉 <b>hi</b> & 🎉")
    assert kept.text == "已记下 小美🎉 的备注：<b>hi</b> & 🎉"
    [card] = await bot.say(BOB, BD_CHAT, "/creator ＠小美🎉")
    assert "类目：<i>美妆</i>" in card.text and "Bob：<b>hi</b> & 🎉" in card.text
    [notes] = await bot.press(BOB, card, "备注")
    assert notes.text.startswith("小美🎉 的备注：\n• ") and notes.text.endswith("<b>hi</b> & 🎉")


async def test_tier_is_audited_with_reason_and_clears_review_flag(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    async with bot.services.db.transaction() as conn:
        await conn.execute("UPDATE creators SET review_flag = 'no_show'")
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert "待评级复核：no_show" in card.text
    [done] = await bot.say(BOB, BD_CHAT, '/tier lily B "两次没发视频"')
    assert done.text == "lily 的等级：A → B。"
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    assert (lily.tier, lily.review_flag) == ("B", None)
    entry = (await bot.services.audit.entries("creator", lily.id))[0]
    assert (entry.action, entry.actor_id, entry.before["tier"]) == ("tier", BOB, "A")
    assert entry.after == {"tier": "B", "review_flag": None, "reason": "两次没发视频"}


async def test_block_and_unblock(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    [blocked] = await bot.say(BOB, BD_CHAT, "/block lily 收样不发视频")
    assert blocked.text == "lily 已拉黑：收样不发视频。之后给 TA 寄样会被拒绝。"
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    assert lily.blocked_reason == "收样不发视频"
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert "⛔ 已拉黑：收样不发视频" in card.text
    [listed] = await bot.say(BOB, BD_CHAT, "/creators")
    assert listed.text.endswith("⛔")
    [done] = await bot.say(BOB, BD_CHAT, "/unblock lily")
    assert done.text == "lily 已取消拉黑。"
    [again] = await bot.say(BOB, BD_CHAT, "/unblock lily")
    assert again.text == "lily 没有被拉黑。"
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    assert lily.blocked_reason is None
    actions = [e.action for e in await bot.services.audit.entries("creator", lily.id)]
    assert actions == ["unblock", "block", "add"]


async def test_card_buttons_switch_views_and_check_who_pressed(
    bot: Driver, api: LocalBotAPI
) -> None:
    await setup_chats(bot, "managers")
    await bot.say(ADA, ADA, f"/grant {BOB} bd")
    await bot.say(BOB, MANAGERS_CHAT, "/creator_add lily A")
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    await add_sample(bot, lily.id, "signed", product="Hydra Mask <50ml>")
    [card] = await bot.say(BOB, MANAGERS_CHAT, "/creator lily")
    assert await bot.press(CAI, card, "寄样") == []
    alert = api.calls("answerCallbackQuery")[-1].params
    assert alert["text"] == "只有 lily 的负责商务、商务团队或管理者可以使用。"
    assert api.last(MANAGERS_CHAT).edits == 0
    [samples] = await bot.press(BOB, card, "寄样")
    assert samples.message_id == card.message_id
    assert samples.text == "lily 的寄样：\n#1 Hydra Mask <50ml> — 已签收"
    assert [label for label, _ in samples.buttons[0]] == ["备注", "达人卡片"]
    [back] = await bot.press(ADA, card, "达人卡片")  # a manager may too
    assert back.text.startswith("lily · A · 其他平台")


async def test_list_filters_and_cap(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [empty] = await bot.say(BOB, BD_CHAT, "/creators")
    assert empty.text == "这里还没有达人。"
    for i in range(33):
        await bot.services.repo(Creators).add(
            f"c{i:02d}", platform="tiktok", tier="B", owner_id=CAI, followers=None,
            category="", now=T0)  # fmt: skip
    await bot.say(BOB, BD_CHAT, "/creator_add lily S douyin 1.2万")
    [listed] = await bot.say(BOB, BD_CHAT, "/creators")
    lines = listed.text.splitlines()
    assert lines[0] == "共 34 位达人："
    assert lines[1] == "S lily · 抖音 · 12,000 · Bob"
    assert lines[-1] == "……还有 4 条。" and len(lines) == 32
    [s_only] = await bot.say(BOB, BD_CHAT, "/creators s")
    assert s_only.text.splitlines() == ["共 1 位达人：", "S lily · 抖音 · 12,000 · Bob"]
    [mine] = await bot.say(BOB, BD_CHAT, "/creators mine")
    assert mine.text.startswith("共 1 位达人：")
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    now = bot.services.clock.now()
    await add_sample(bot, lily.id, "signed", chase_due_at=to_ts(now + timedelta(days=1)))
    [none] = await bot.say(BOB, BD_CHAT, "/creators overdue")
    assert none.text == "没有寄样逾期的达人。"
    bot.services.clock.advance(timedelta(days=2))
    [overdue] = await bot.say(BOB, BD_CHAT, "/creators overdue")
    assert overdue.text.splitlines()[1].startswith("S lily")
