"""The whole sample path through the real bot: creator → sample → signed → chase reminder →
button → video → quality → code in the ads chat → ad results back in the BD chat."""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from storage.samples import Samples
from tests.e2e.conftest import ADA, ADS_CHAT, BD_CHAT, BOB, EVE, MANAGERS_CHAT, setup_chats


async def test_the_whole_path(bot: Driver, api: LocalBotAPI) -> None:
    await setup_chats(bot, "bd", "ads")
    [added] = await bot.say(BOB, BD_CHAT, "/creator_add lily S douyin 12000 beauty")
    assert "lily" in added.text
    [logged] = await bot.say(BOB, BD_CHAT, '/sample lily "Hydra Mask 50ml" SF1001')
    assert logged.text.startswith("已登记寄样 #1：lily — Hydra Mask 50ml")
    [signed] = await bot.say(BOB, BD_CHAT, "/signed #1")
    assert "#1 lily — Hydra Mask 50ml 已签收" in signed.text

    sent = await bot.wait(timedelta(days=2))
    [reminder] = [m for m in sent if m.chat_id == BD_CHAT]
    assert reminder.text == (
        "⏰ Bob：请催 lily 发 Hydra Mask 50ml 的视频（#1）。签收已 2 天；已催 0 次。"
    )
    assert 'href="tg://user?id=2"' in reminder.raw_text  # the owner is mentioned
    assert [label for row in reminder.buttons for label, _ in row] == [
        "已催，已回复",
        "已催，未回复",
        "延后 1 天",
    ]
    [edited] = await bot.press(BOB, reminder, "已催，已回复")
    assert edited.message_id == reminder.message_id
    assert edited.text.endswith("✅ 已催，达人已回复 — Bob 记录。") and edited.buttons == []

    [video] = await bot.say(BOB, BD_CHAT, "/video #1 https://v.douyin.com/iRNBho6u/")
    assert "已登记视频 #1 lily — Hydra Mask 50ml（抖音）" in video.text
    [good] = await bot.say(BOB, BD_CHAT, "/quality #1 good")
    assert "质量合格" in good.text and "/code #1" in good.text

    answer = await bot.say(BOB, BD_CHAT, "/code #1 AUTH-7731 30")
    [posted] = [m for m in answer if m.chat_id == ADS_CHAT]
    for part in ("AUTH-7731", "https://v.douyin.com/iRNBho6u/", "lily", "Hydra Mask 50ml", "Bob"):
        assert part in posted.text
    assert "有效期至 2026年12月24日" in posted.text
    [told] = [m for m in answer if m.chat_id == BD_CHAT and m.reply_to_message_id is not None]
    assert told.text == "#1 lily — Hydra Mask 50ml 的授权码已发到投流群。"
    # lily is S-tier and this was her first completed collaboration: offer the next product.
    [prompt] = [m for m in answer if m.chat_id == BD_CHAT and "下一个产品" in m.text]
    assert "lily" in prompt.text

    answer = await bot.say(EVE, ADS_CHAT, "/adstats #1 1000 50000 1500 60 9000")
    [ack] = [m for m in answer if m.chat_id == ADS_CHAT]
    assert (
        ack.text
        == "Results recorded for #1 lily — Hydra Mask 50ml. CTR 3.00% · conversion 4.00% · ROI 9.00"
    )
    [result] = [m for m in answer if m.chat_id == BD_CHAT]
    assert "Bob" in result.text and "ROI 9.00" in result.text
    assert "点击率 3.00%" in result.text and "转化率 4.00%" in result.text
    assert "消耗 ¥1,000.00" in result.text and "GMV ¥9,000.00" in result.text

    sample = await bot.services.repo(Samples).get(1)
    assert sample.stage == "done" and sample.chases == 1
    actions = [e.action for e in await bot.services.audit.entries("sample", 1)]
    assert actions == [
        "ads_reported",
        "code+hand_to_ads",
        "rate_good",
        "video",
        "chase",
        "chase_reminder",
        "sign",
        "sample",
    ]


async def test_pipeline_view_counts_and_overdue(bot: Driver) -> None:
    await setup_chats(bot, "bd", "managers")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    await bot.say(BOB, BD_CHAT, "/creator_add mia B")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    await bot.say(BOB, BD_CHAT, "/sample mia Serum")
    await bot.say(ADA, BD_CHAT, "/creator_add ann B")
    await bot.say(ADA, BD_CHAT, "/sample ann Cream")
    await bot.say(BOB, BD_CHAT, "/signed lily")
    await bot.wait(timedelta(days=3))
    [view] = await bot.say(BOB, BD_CHAT, "/pipeline")
    assert view.text.splitlines()[:2] == ["寄样进度 — 全部商务", ""]
    assert "Bob：已寄出 1 · 已签收 1" in view.text and "Ada：已寄出 1" in view.text
    assert "逾期（1）：\n#1 lily — Mask：签收已 3 天，提醒 1 次" in view.text
    [mine] = await bot.say(ADA, BD_CHAT, "/pipeline mine")
    assert "Bob" not in mine.text and "Ada：已寄出 1" in mine.text
    [usage] = await bot.say(BOB, BD_CHAT, "/pipeline everything")
    assert usage.text.startswith("请选择 mine 或 all。")
    [refused] = await bot.say(BOB, BOB, "/pipeline")  # no BD role outside the BD chat
    assert refused.text == "/pipeline 仅限：商务。"
    assert MANAGERS_CHAT  # registered, used by the weekly review elsewhere
