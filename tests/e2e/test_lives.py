"""Live-stream forwarding through the real bot: /live, its three posts in the sharers' group,
the [Forwarded] button, /lives, /live_cancel and a weekly series.

The test clock starts on Sunday 2026-11-22 10:00 in Shanghai; reminders come 5 minutes ahead.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.config import Settings
from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from handlers import lives as live_handlers
from storage.lives import Lives
from tests.e2e.conftest import (
    ADA,
    BOB,
    CAI,
    EVE,
    MANAGERS_CHAT,
    SHARERS_CHAT,
    e2e_settings,
    setup_chats,
)
from tests.e2e.test_sharers import bind
from tests.storage.test_commission_repo import WORKED_ROSTER, add_roster

LINK = "https://live.example.com/room/88"
MARKS = ("📣", "⏰", "🔴", "❌")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return e2e_settings(tmp_path, live_remind_before="5m")


def group(messages: list) -> list:
    """What lives posted in the sharers' group (other features post there on their days too)."""
    return [m for m in messages if m.chat_id == SHARERS_CHAT and m.text.startswith(MARKS)]


async def _ready(bot: Driver, *sharers: tuple[int, str]) -> None:
    await setup_chats(bot, "sharers", "managers")
    await add_roster(bot.services.db, WORKED_ROSTER)
    for user, sharer_id in sharers:
        await bind(bot, user, sharer_id)


async def test_announcement_reminder_and_start_in_order_and_presses_count_once(
    bot: Driver, api: LocalBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_handlers, "EDIT_GAP", 0.3)
    await _ready(bot, (BOB, "B"), (CAI, "C"))
    answers = await bot.say(ADA, MANAGERS_CHAT, f'/live 2026-11-22 10:15 {LINK} "Winter sale"')
    [confirm] = [m for m in answers if m.chat_id == MANAGERS_CHAT]
    assert confirm.text == (
        "直播 #1 已安排：Winter sale，2026年11月22日 10:15。\n已在分享员群发布预告。"
    )
    [announced] = group(answers)
    assert announced.text.splitlines() == [
        "📣 直播预告：Winter sale",
        "🗓 2026年11月22日 10:15",
        f"🔗 {LINK}",
        "开播前 5 分钟我会提醒大家；开播后请转发直播间。",
    ]
    assert group(await bot.wait(timedelta(minutes=5))) == []  # 10:05: not yet
    [reminded] = group(await bot.wait(timedelta(minutes=5, seconds=30)))  # 10:10:30
    assert reminded.text.splitlines()[0] == "⏰ 直播还有 5 分钟开始：Winter sale"
    assert group(await bot.wait(timedelta(minutes=1))) == []  # reminded once only
    [started] = group(await bot.wait(timedelta(minutes=4)))  # 10:15:30
    assert started.text.splitlines()[0] == "🔴 开播啦，快转发直播间！"
    assert started.buttons == [[("✅ 已转发", "live:f:1")], [("进入直播间", LINK)]]
    assert [m.seq for m in (announced, reminded, started)] == sorted(
        m.seq for m in (announced, reminded, started)
    )

    first = api.press(BOB, started, "✅ 已转发")
    await bot.settle()
    assert api.answer_for(first)["text"] == "谢谢，你的转发已记录！"
    assert started.text.splitlines()[-1] == "✅ 已有 1 位分享员转发"
    again = api.press(BOB, started, "✅ 已转发")
    third = api.press(CAI, started, "✅ 已转发")
    stranger = api.press(EVE, started, "✅ 已转发")
    await bot.settle()
    assert api.answer_for(again)["text"] == "你的转发已经记录过了，谢谢！"
    assert api.answer_for(third)["text"] == "谢谢，你的转发已记录！"
    assert api.answer_for(stranger)["show_alert"] is True
    assert api.answer_for(stranger)["text"].startswith("Thank you! Only linked sharers are counted")
    # Cai's press came inside the gap: one later edit shows both.
    assert started.edits == 1
    await asyncio.sleep(0.5)
    await bot.settle()
    assert started.text.splitlines()[-1] == "✅ 已有 2 位分享员转发"
    assert started.edits == 2
    assert await bot.services.repo(Lives).forward_count(1) == 2
    assert (
        await bot.services.repo(Lives).forwards_of(
            "B",
            bot.services.clock.now() - timedelta(days=1),
            bot.services.clock.now() + timedelta(1),
        )
        == 1
    )
    [me] = await bot.say(BOB, BOB, "/me")
    assert "本月转发直播间：1 次" in me.text.splitlines()
    [listed] = await bot.say(BOB, SHARERS_CHAT, "/lives")
    assert listed.text.splitlines() == [
        "目前没有安排直播。",
        "",
        "最近 7 天",
        "#1 2026年11月22日 10:15 — Winter sale：2 位分享员已转发",
    ]


async def test_cancel_stops_the_queued_posts(bot: Driver) -> None:
    await _ready(bot)
    await bot.say(ADA, MANAGERS_CHAT, f"/live 2026-11-22 11:00 {LINK} Spring")
    [listed] = await bot.say(EVE, EVE, "/lives")
    assert listed.text.splitlines() == ["Upcoming lives", "#1 22 Nov 2026, 11:00 — Spring"]
    answers = await bot.say(ADA, MANAGERS_CHAT, "/live_cancel 1")
    assert [m.text for m in answers if m.chat_id == MANAGERS_CHAT] == [
        "直播 #1（Spring）已取消，不会再发布相关消息。"
    ]
    assert [m.text for m in group(answers)] == ["❌ 2026年11月22日 11:00 的直播“Spring”取消了。"]
    assert group(await bot.wait(timedelta(hours=2))) == []
    assert await bot.services.outbox.counts("live:1:") == {"sent": 1}
    [again] = await bot.say(ADA, MANAGERS_CHAT, "/live_cancel 1")
    assert again.text == "直播 #1 已经取消了。"
    [listed] = await bot.say(EVE, EVE, "/lives")
    assert listed.text == "No lives are scheduled."


async def test_a_post_queued_but_not_sent_is_withdrawn(bot: Driver) -> None:
    await _ready(bot)
    await bot.say(ADA, MANAGERS_CHAT, f"/live 2026-11-22 10:30 {LINK} Spring")
    bot.services.clock.advance(timedelta(minutes=26))
    await live_handlers.live_tick(bot.app, bot.services.clock.now())  # queued, not yet sent
    assert await bot.services.outbox.counts("live:1:") == {"sent": 1, "pending": 1}
    answers = await bot.say(ADA, MANAGERS_CHAT, "/live_cancel 1")
    assert [m.text for m in group(answers)] == ["❌ 2026年11月22日 10:30 的直播“Spring”取消了。"]
    assert await bot.services.outbox.counts("live:1:") == {"sent": 1, "cancelled": 1}
    assert group(await bot.wait(timedelta(minutes=10))) == []


async def test_a_weekly_series_makes_its_next_date_and_one_date_can_be_cancelled(
    bot: Driver,
) -> None:
    await _ready(bot)
    answers = await bot.say(ADA, MANAGERS_CHAT, f"/live every 周一,wed 20:00 {LINK} 新品")
    [confirm] = [m for m in answers if m.text.startswith("直播 #")]
    assert confirm.text.splitlines() == [
        "直播 #1 已安排：新品，2026年11月23日 20:00。",
        "重复：每周一、周三 20:00。",
        "已在分享员群发布预告。",
    ]
    [announced] = group(answers)
    assert announced.text.splitlines()[1] == "🗓 每周一、周三 20:00；下一场：2026年11月23日 20:00"
    # Monday 20:00 starts; Wednesday's date is made and announced on the day at 10:00.
    sent = group(await bot.wait(timedelta(days=1, hours=10, minutes=1)))  # Mon 20:01
    assert [m.text.splitlines()[0] for m in sent] == ["🔴 开播啦，快转发直播间！"]
    [listed] = await bot.say(ADA, MANAGERS_CHAT, "/lives")
    assert "#1 2026年11月25日 20:00 — 新品（每周一、周三 20:00）" in listed.text
    sent = group(await bot.wait(timedelta(hours=14)))  # Tue 10:01
    assert sent == []
    [answer] = await bot.say(ADA, MANAGERS_CHAT, "/live_cancel 1 2026-11-25")
    assert answer.text == "直播 #1（新品）2026年11月25日 20:00 的场次已取消，其他场次照常。"
    sent = group(await bot.wait(timedelta(days=2)))  # Thu 10:01: Wednesday was skipped
    assert sent == []
    [listed] = await bot.say(ADA, MANAGERS_CHAT, "/lives")
    assert "#1 2026年11月30日 20:00 — 新品（每周一、周三 20:00）" in listed.text
    sent = group(await bot.wait(timedelta(days=4)))  # Mon 30th 10:01
    assert [m.text.splitlines()[0] for m in sent] == ["📣 直播预告：新品"]


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (f"2026-11-22 09:00 {LINK} Past", "2026-11-22 09:00 已经过去了：请给出未来的时间。"),
        (f"2026-11-31 20:00 {LINK} Bad", "2026-11-31 20:00 不是有效的开播时间"),
        (f"someday 20:00 {LINK} Bad", "someday 20:00 不是有效的开播时间"),
        ("2026-11-23 20:00 ftp://x.example Bad", "ftp://x.example 不是直播间链接"),
        ("2026-11-23 20:00 live.example.com Bad", "live.example.com 不是直播间链接"),
        (f"2026-11-23 20:00 {LINK}", "请在链接后面写上直播标题。"),
        (f"every mon,funday 20:00 {LINK} Bad", "无法识别的星期：funday。"),
        (f"every mon 25:00 {LINK} Bad", "25:00 不是有效的开播时间"),
        ("", "不是有效的开播时间"),
    ],
)
async def test_bad_input_is_answered_and_nothing_changes(
    bot: Driver, args: str, answer: str
) -> None:
    await _ready(bot)
    [reply] = await bot.say(ADA, MANAGERS_CHAT, f"/live {args}")
    assert answer in reply.text
    assert "用法：/live" in reply.text
    assert await bot.services.repo(Lives).get(1) is None
    assert group(await bot.tick()) == []


async def test_who_may_schedule_and_what_cannot_be_cancelled(bot: Driver) -> None:
    [refused] = await bot.say(BOB, BOB, f"/live 2026-11-23 20:00 {LINK} Mine")
    assert refused.text == "/live 仅限：管理者。"
    [no_group] = await bot.say(ADA, ADA, f"/live 2026-11-23 20:00 {LINK} Mine")
    assert no_group.text == "请先登记分享员群：在该群发送 /setup sharers。"
    await _ready(bot)
    await bot.say(ADA, ADA, f"/live every fri 20:00 {LINK} Fri")
    for args, answer in [
        ("7", "没有直播 #7：发送 /lives 查看列表。"),
        ("x", "没有直播 #x：发送 /lives 查看列表。"),
        ("1 2026-11-26", "直播 #1 在 2026-11-26 没有场次。"),
        ("1 2026-13-01", "2026-13-01 不是日期"),
        ("", "请写出直播编号"),
    ]:
        [reply] = await bot.say(ADA, ADA, f"/live_cancel {args}")
        assert answer in reply.text, args
    [refused] = await bot.say(BOB, BOB, "/live_cancel 1")
    assert refused.text == "/live_cancel 仅限：管理者。"
