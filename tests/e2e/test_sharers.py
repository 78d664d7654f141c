"""Sharer identity through the real bot: /bind with managers' approval, referral links,
team leaders, hiding from boards."""

from __future__ import annotations

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from storage.sharers import Sharers
from tests.e2e.conftest import ADA, BOB, CAI, EVE, MANAGERS_CHAT, SHARERS_CHAT, setup_chats
from tests.storage.test_commission_repo import WORKED_ROSTER, add_orders, add_roster


async def _roster(bot: Driver) -> None:
    await setup_chats(bot, "managers")
    await add_roster(bot.services.db, [*WORKED_ROSTER, ("D", "Dora", "", "", "")])
    await add_orders(bot.services.db, [("x1", "X9", "2026-11-02 10:00", "S", 100, 0, "paid", "")])


def to(messages: list, chat_id: int) -> list:
    """What went to one chat (a group: bind requests only), since other features' scheduled
    posts may go out in the same tick."""
    return [
        m for m in messages if m.chat_id == chat_id and (chat_id > 0 or "bind:" in str(m.buttons))
    ]


async def bind(bot: Driver, user: int, sharer_id: str) -> None:
    """`user` asks for `sharer_id` and Ada approves (used by the other sharer tests)."""
    await bot.say(user, user, f"/bind {sharer_id}")
    await bot.tick()
    await bot.press(ADA, MANAGERS_CHAT, "批准")
    await bot.tick()


async def test_bind_is_approved_by_a_manager_and_the_person_is_told(bot: Driver) -> None:
    await _roster(bot)
    [asked] = await bot.say(EVE, EVE, "/bind A")
    assert asked.text == (
        "Your request for sharer id A is with the managers; I will tell you their answer."
    )
    [request] = to(await bot.tick(), MANAGERS_CHAT)
    assert request.chat_id == MANAGERS_CHAT
    assert request.text == "Eve申请绑定分享员 ID A。"
    assert request.buttons == [[("批准", "bind:ok:1"), ("拒绝", "bind:no:1")]]
    [edited] = await bot.press(ADA, MANAGERS_CHAT, "批准")
    assert edited.text == "Eve申请绑定分享员 ID A。\n已由Ada批准。" and edited.buttons == []
    [told] = to(await bot.tick(), EVE)
    assert told.chat_id == EVE
    assert told.text == "You are now linked to sharer id A: send /me to see your figures."
    assert (await bot.services.repo(Sharers).by_user(EVE)).sharer_id == "A"
    [entry, *_] = await bot.services.audit.entries("bind_request", 1)
    assert (entry.actor_id, entry.after) == (ADA, "approved")


async def test_only_managers_may_press_and_a_double_press_counts_once(
    bot: Driver, api: LocalBotAPI
) -> None:
    await _roster(bot)
    await bot.say(BOB, BOB, "/bind B")
    [request] = to(await bot.tick(), MANAGERS_CHAT)
    update = api.press(CAI, request, "批准")
    await bot.settle()
    assert api.answer_for(update)["text"] == "仅限：管理者。"
    assert await bot.services.repo(Sharers).by_user(BOB) is None
    [edited] = await bot.press(ADA, request, "拒绝")
    assert edited.text.endswith("已由Ada拒绝。")
    assert edited.buttons == []  # the decision replaces the buttons
    [told] = to(await bot.tick(), BOB)
    assert told.text == "管理者没有批准将你绑定到分享员 ID B。"
    assert await bot.services.repo(Sharers).by_user(BOB) is None


async def test_a_second_press_on_a_stale_message_changes_nothing(
    bot: Driver, api: LocalBotAPI
) -> None:
    await _roster(bot)
    await bot.say(BOB, BOB, "/bind B")
    [request] = to(await bot.tick(), MANAGERS_CHAT)
    first = api.press(ADA, request, "批准")
    second = api.press(ADA, request, "拒绝")  # pressed again before the edit arrived
    await bot.settle()
    assert api.answer_for(second)["text"] == "这个申请已经处理过了。"
    assert api.answer_for(first)["text"] == "完成。"
    assert (await bot.services.repo(Sharers).by_user(BOB)).sharer_id == "B"


async def test_bind_refusals_change_nothing(bot: Driver) -> None:
    await _roster(bot)
    [unknown] = await bot.say(BOB, BOB, "/bind NOPE")
    assert unknown.text == "找不到分享员 NOPE：请核对店铺分享员名单中的 ID。"
    [usage] = await bot.say(BOB, BOB, "/bind")
    assert usage.text.startswith("请提供你的分享员 ID") and "/bind <sharer_id>" in usage.text
    [in_group] = await bot.say(BOB, SHARERS_CHAT, "/bind A")
    assert in_group.text == "请在与我的私聊中使用 /bind。"
    await bot.say(BOB, BOB, "/bind X9")  # known from orders only
    [again] = await bot.say(BOB, BOB, "/bind D")
    assert again.text == "分享员 ID X9 的申请已在等待管理者处理。"
    [other] = await bot.say(CAI, CAI, "/bind X9")
    assert other.text == "分享员 ID X9 的申请已在等待管理者处理。"
    await bot.tick()
    await bot.press(ADA, MANAGERS_CHAT, "批准")
    [taken] = await bot.say(CAI, CAI, "/bind X9")
    assert taken.text == "分享员 ID X9 已绑定到另一个人。"
    [mine] = await bot.say(BOB, BOB, "/bind D")
    assert mine.text == "你已经绑定了分享员 ID X9。"
    assert (await bot.services.repo(Sharers).get("X9")).user_id == BOB


async def test_invite_link_makes_the_opener_a_recruit(bot: Driver) -> None:
    await _roster(bot)
    await bind(bot, BOB, "D")
    [link] = await bot.say(BOB, BOB, "/invite")
    code = link.text.split("start=r_")[1].split()[0]
    assert link.text.startswith("你的邀请链接：https://t.me/crewbot_bot?start=r_")
    assert "已有 0 人通过你加入。" in link.text
    [self_ref] = await bot.say(BOB, BOB, f"/start r_{code}")
    assert self_ref.text == "不能邀请自己。"
    [remembered] = await bot.say(CAI, CAI, f"/start r_{code}")  # not bound yet
    assert remembered.text.startswith("欢迎！Dora邀请了你。")
    await bind(bot, CAI, "X9")
    assert (await bot.services.repo(Sharers).get("X9")).inviter_id == "D"
    [link] = await bot.say(BOB, BOB, "/invite")
    assert "已有 1 人通过你加入。\n• X9" in link.text
    [bad] = await bot.say(CAI, CAI, "/start r_nosuchcode")
    assert bad.text == "这个邀请链接无效。"


async def test_referral_cycles_and_second_inviters_are_refused(bot: Driver) -> None:
    await _roster(bot)
    await bind(bot, BOB, "A")  # A is at the top: B and C descend from A
    await bind(bot, CAI, "C")
    [link] = await bot.say(CAI, CAI, "/invite")
    code = link.text.split("start=r_")[1].split()[0]
    [cycle] = await bot.say(BOB, BOB, f"/start r_{code}")
    assert cycle.text == "这样会形成邀请循环，已拒绝。"
    [link] = await bot.say(BOB, BOB, "/invite")
    code = link.text.split("start=r_")[1].split()[0]
    [second] = await bot.say(CAI, CAI, f"/start r_{code}")
    assert second.text == "你已经有邀请人了（B）。"
    assert (await bot.services.repo(Sharers).get("A")).inviter_id == ""


async def test_leader_takes_invitees_into_the_team(bot: Driver) -> None:
    await _roster(bot)
    await bind(bot, EVE, "D")
    [refused] = await bot.say(BOB, BOB, "/leader D")
    assert refused.text == "/leader 仅限：管理者。"
    await add_roster(bot.services.db, [("E1", "Eli", "", "D", ""), ("E2", "Eda", "", "D", "A")])
    [done] = await bot.say(ADA, MANAGERS_CHAT, "/leader D")
    assert done.text == "Dora现在是团长；其邀请的 1 人加入了团队。"
    repo = bot.services.repo(Sharers)
    assert [s.sharer_id for s in await repo.team("D")] == ["E1"]
    assert "leader" in await bot.services.users.roles(EVE)
    [unknown] = await bot.say(ADA, MANAGERS_CHAT, "/leader ZZ")
    assert unknown.text.startswith("找不到分享员 ZZ")
    [entry, *_] = await bot.services.audit.entries("sharer", "D")
    assert entry.action == "leader" and entry.actor_id == ADA


async def test_hide_me_needs_a_binding(bot: Driver) -> None:
    await _roster(bot)
    [refused] = await bot.say(BOB, BOB, "/hide_me")
    assert refused.text == "你还没有绑定分享员 ID：请发送 /bind 加上你的分享员 ID。"
    await bind(bot, BOB, "B")
    [hidden] = await bot.say(BOB, BOB, "/hide_me")
    assert hidden.text.startswith("你不会再出现在排行榜上")
    assert (await bot.services.repo(Sharers).get("B")).hidden
    await bot.say(BOB, BOB, "/show_me")
    assert not (await bot.services.repo(Sharers).get("B")).hidden
