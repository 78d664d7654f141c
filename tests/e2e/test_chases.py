"""The pipeline's automations through the real bot: chase reminders and their buttons,
no-shows, restarts, code-expiry warnings, the S-tier check-in and the weekly tier review."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI, SentMessage
from bot.services import Services
from storage.samples import Samples
from tests.e2e.conftest import ADA, ADS_CHAT, BD_CHAT, BOB, CAI, MANAGERS_CHAT, setup_chats

REPLIED, NO_REPLY, SNOOZE = "已催，已回复", "已催，未回复", "延后 1 天"


def reminders(sent: list[SentMessage]) -> list[SentMessage]:
    return [m for m in sent if m.chat_id == BD_CHAT and m.text.startswith("⏰")]


async def _signed(bot: Driver, line: str = "/sample lily Mask", tier: str = "A") -> None:
    await setup_chats(bot, "bd", "ads")
    await bot.say(BOB, BD_CHAT, f"/creator_add lily {tier}")
    await bot.say(BOB, BD_CHAT, line)
    await bot.say(BOB, BD_CHAT, "/signed #1")


async def test_reminders_repeat_then_no_show(bot: Driver) -> None:
    await _signed(bot)
    assert reminders(await bot.wait(timedelta(days=1, hours=23))) == []
    [first] = reminders(await bot.wait(timedelta(hours=1)))
    assert "签收已 2 天；已催 0 次" in first.text
    assert await bot.tick() == []  # nothing twice
    [second] = reminders(await bot.wait(timedelta(days=2)))
    assert "签收已 4 天" in second.text
    [third] = reminders(await bot.wait(timedelta(days=2)))
    sent = await bot.wait(timedelta(days=2))
    assert reminders(sent) == []
    [no_show] = [m for m in sent if m.chat_id == BD_CHAT]
    assert no_show.text == (
        "🚫 Bob：#1 lily — Mask 提醒 3 次仍没有视频，已记为未履约。lily 已标记待评级。"
    )
    sample = await bot.services.repo(Samples).get(1)
    assert sample.stage == "no_show" and sample.chase_due_at is None
    flag = await bot.services.db.fetchval("SELECT review_flag FROM creators")
    assert flag == "no_show #1"
    assert await bot.wait(timedelta(days=10)) == []
    assert third.text != second.text


async def test_urgent_samples_are_chased_after_a_day(bot: Driver) -> None:
    await _signed(bot, "/sample lily Mask SF1 urgent")
    [reminder] = reminders(await bot.wait(timedelta(days=1)))
    assert "签收已 1 天" in reminder.text


async def test_a_video_stops_the_chase(bot: Driver) -> None:
    await _signed(bot)
    await bot.say(BOB, BD_CHAT, "/video #1 https://v.douyin.com/v1")
    assert reminders(await bot.wait(timedelta(days=5))) == []


async def test_a_chase_by_hand_pushes_the_reminder_back(bot: Driver) -> None:
    await _signed(bot)
    await bot.wait(timedelta(days=1))
    await bot.say(BOB, BD_CHAT, "/chased #1")
    assert reminders(await bot.wait(timedelta(days=1, hours=12))) == []
    [reminder] = reminders(await bot.wait(timedelta(hours=12)))
    assert "已催 1 次" in reminder.text


async def test_someone_else_pressing_gets_an_alert(bot: Driver, api: LocalBotAPI) -> None:
    await _signed(bot)
    [reminder] = reminders(await bot.wait(timedelta(days=2)))
    # Cai is in the BD chat but holds no BD role and does not own the sample.
    update = api.press(CAI, reminder, REPLIED)
    await bot.settle()
    answer = api.answer_for(update)
    assert answer["show_alert"] and answer["text"] == "只有 Bob、其他商务或管理者可以处理这条提醒。"
    assert api.last(BD_CHAT).edits == 0
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM chases") == 0
    # A BD colleague (granted the role) may answer for Bob.
    await bot.say(ADA, ADA, f"/grant {CAI} bd")
    [edited] = await bot.press(CAI, reminder, NO_REPLY)
    assert edited.text.endswith("✅ 已催，达人未回复 — 蔡小明 记录。")


async def test_a_double_press_counts_once(bot: Driver, api: LocalBotAPI) -> None:
    await _signed(bot)
    [reminder] = reminders(await bot.wait(timedelta(days=2)))
    first = api.press(BOB, reminder, NO_REPLY)
    second = api.press(BOB, reminder, REPLIED)
    await bot.settle()
    answers = sorted(api.answer_for(u)["text"] for u in (first, second))
    assert answers == ["已记录。", "这条提醒已经处理过了。"]
    row = await bot.services.db.fetchone("SELECT chases, chases_replied FROM samples")
    assert row["chases"] == 1
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM chases") == 1
    assert api.last(BD_CHAT).edits == 1


async def test_snooze_brings_the_reminder_back_a_day_later(bot: Driver, api: LocalBotAPI) -> None:
    await _signed(bot)
    [reminder] = reminders(await bot.wait(timedelta(days=2)))
    [edited] = await bot.press(BOB, reminder, SNOOZE)
    assert edited.text.endswith("😴 Bob 延后了一天。")
    assert reminders(await bot.wait(timedelta(hours=23))) == []
    [again] = reminders(await bot.wait(timedelta(hours=1)))
    assert again.message_id != reminder.message_id
    # Snoozing does not count towards the no-show: three real rounds still follow.
    assert (await bot.services.repo(Samples).get(1)).reminders_sent == 1


async def test_a_restart_before_the_due_time_gives_one_reminder(
    settings: Settings, services: Services, api: LocalBotAPI
) -> None:
    async with running_bot(settings, services, api) as first_run:
        await _signed(first_run)
    services.clock.advance(timedelta(days=3))  # the bot is down when the chase falls due
    async with running_bot(settings, services, api) as second_run:
        await second_run.tick()
        await second_run.tick()
    assert len([m for m in api.sent_to(BD_CHAT) if m.text.startswith("⏰")]) == 1


async def test_code_expiry_is_warned_three_days_before(bot: Driver) -> None:
    await _signed(bot)
    for line in ("/video 1 https://v.douyin.com/v", "/quality 1 good", "/code 1 AUTH 10"):
        await bot.say(BOB, BD_CHAT, line)
    sent = await bot.wait(timedelta(days=6, hours=23))
    assert [m for m in sent if "⚠️" in m.text] == []
    sent = await bot.wait(timedelta(hours=1))
    warned = {m.chat_id: m.text for m in sent if "⚠️" in m.text}
    assert set(warned) == {BD_CHAT, ADS_CHAT}
    assert warned[BD_CHAT].startswith("⚠️ Bob：#1 lily — Mask 的授权码将于 2026")
    assert [m for m in await bot.wait(timedelta(days=1)) if "⚠️" in m.text] == []


async def test_s_creators_get_a_weekly_check_in(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add star S")
    await bot.say(BOB, BD_CHAT, "/creator_add plain A")
    sent = await bot.wait(timedelta(days=6))
    assert [m for m in sent if "👋" in m.text] == []
    [checkin] = [m for m in await bot.wait(timedelta(days=1)) if "👋" in m.text]
    assert checkin.text.startswith("👋 Bob：自 2026年11月22日 起没有联系 star（S 级）")
    assert [m for m in await bot.wait(timedelta(days=3)) if "👋" in m.text] == []
    assert len([m for m in await bot.wait(timedelta(days=4)) if "👋" in m.text]) == 1
    await bot.say(BOB, BD_CHAT, "/sample star Mask")  # contact: the clock starts again
    assert [m for m in await bot.wait(timedelta(days=6)) if "👋" in m.text] == []


REPORTS = ("日报", "周报", "月报")


async def test_weekly_tier_review_goes_to_the_managers(bot: Driver) -> None:
    await setup_chats(bot, "bd", "managers")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    await bot.say(BOB, BD_CHAT, "/signed 1")
    # T0 is Sunday 10:00: each Monday at 09:00 a review goes out, once.
    assert [m for m in await bot.wait(timedelta(hours=22)) if m.chat_id == MANAGERS_CHAT] == []
    reviews = [m for m in await bot.wait(timedelta(hours=2)) if m.chat_id == MANAGERS_CHAT]
    for _ in range(14):  # day by day, so that every reminder round happens on time
        reviews += [m for m in await bot.wait(timedelta(days=1)) if m.chat_id == MANAGERS_CHAT]
    # The daily digest (text and chart file) and the weekly and monthly reports go there too.
    reviews = [m for m in reviews if m.method == "sendMessage" and m.text[:2] not in REPORTS]
    assert [m.text.splitlines()[0] for m in reviews] == [
        "每周达人评级 — 建议如下，用 /tier 决定："
    ] * 3
    assert reviews[0].text.endswith("没有需要调整的。")
    # lily became a no-show (three reminders, no video) in the third week: A → B.
    assert reviews[2].text.endswith("• lily：A → B（上次评级以来未履约 1 次）")
