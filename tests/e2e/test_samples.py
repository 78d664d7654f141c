"""Samples through the real bot: logging, refs, stages, and every bad input answered clearly
with nothing changed."""

from __future__ import annotations

from bot.offline.driver import Driver
from storage.samples import Samples
from tests.e2e.conftest import ADS_CHAT, BD_CHAT, BOB, CAI, EVE, setup_chats


async def _stage(bot: Driver, number: int) -> str:
    return (await bot.services.repo(Samples).get(number)).stage.value


async def _ready(bot: Driver, *creators: str) -> None:
    await setup_chats(bot, "bd", "ads")
    for handle in creators:
        await bot.say(BOB, BD_CHAT, f"/creator_add {handle} A douyin")


async def test_sample_refused_for_unknown_blocked_and_too_many(bot: Driver) -> None:
    await _ready(bot, "lily", "mia")
    [unknown] = await bot.say(BOB, BD_CHAT, "/sample lilly Mask")
    assert unknown.text == "没有达人 lilly。你是不是要找：lily？"
    await bot.say(BOB, BD_CHAT, "/block mia no video twice")
    [blocked] = await bot.say(BOB, BD_CHAT, "/sample mia Mask")
    assert blocked.text == "mia 已被拉黑：no video twice"
    for n in (1, 2, 3):
        [ok] = await bot.say(BOB, BD_CHAT, f"/sample lily Mask{n}")
        assert f"#{n}" in ok.text
    [limit] = await bot.say(BOB, BD_CHAT, "/sample lily Mask4")
    assert limit.text == "你和这位达人已有 3 个未完成的寄样（上限 3 个）：请先完成或取消一个。"
    # The limit is per BD: Cai may still send lily a sample.
    [cai] = await bot.say(CAI, BD_CHAT, "/sample @Lily Serum urgent")
    assert cai.text.startswith("已登记寄样 #4") and "加急" in cai.text
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM samples") == 4
    [usage] = await bot.say(BOB, BD_CHAT, "/sample lily")
    assert (
        usage.text
        == "请写出达人账号和产品。\n用法：/sample <handle> <product> [shipping_order_id] [urgent]"
    )


async def test_refs_by_number_and_handle(bot: Driver) -> None:
    await _ready(bot, "lily", "mia")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    [signed] = await bot.say(BOB, BD_CHAT, "/signed lily")  # one open sample: the handle will do
    assert "#1 lily — Mask 已签收" in signed.text
    await bot.say(BOB, BD_CHAT, '/sample lily "Night Cream"')
    [ambiguous] = await bot.say(BOB, BD_CHAT, "/chased lily")
    assert ambiguous.text == (
        "lily 有多个进行中的寄样，请用编号指明：\n"
        "#1 lily — Mask (已签收)\n#2 lily — Night Cream (已寄出)"
    )
    [missing] = await bot.say(BOB, BD_CHAT, "/signed #99")
    assert missing.text == "没有寄样 #99。"
    [none] = await bot.say(BOB, BD_CHAT, "/signed mia")
    assert none.text == "mia 没有进行中的寄样：请写寄样编号，例如 #12。"
    [nobody] = await bot.say(BOB, BD_CHAT, "/signed zoe")
    assert nobody.text == "没有寄样或达人 zoe：请写寄样编号，例如 #12。"
    [twice] = await bot.say(BOB, BD_CHAT, "/signed 1")
    assert twice.text == "这个寄样已经签收过了（已签收）。"


async def test_video_bad_input_changes_nothing(bot: Driver) -> None:
    await _ready(bot, "lily")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    await bot.say(BOB, BD_CHAT, "/sample lily Serum")
    [early] = await bot.say(BOB, BD_CHAT, "/video #1 https://v.douyin.com/abc")
    assert early.text == "这个寄样还没签收：请先发送 /signed。"
    await bot.say(BOB, BD_CHAT, "/signed #1")
    await bot.say(BOB, BD_CHAT, "/signed #2")
    [scheme] = await bot.say(BOB, BD_CHAT, "/video #1 ftp://v.douyin.com/abc")
    assert scheme.text == (
        "ftp://v.douyin.com/abc 不是视频链接：必须以 http:// 或 https:// 开头。"
        "\n用法：/video <#N|handle> <url>"
    )
    [malformed] = await bot.say(BOB, BD_CHAT, "/video #1 https://nohost")
    assert "不是视频链接" in malformed.text
    assert await _stage(bot, 1) == "signed"
    [ok] = await bot.say(BOB, BD_CHAT, "/video #1 https://www.xiaohongshu.com/explore/6650a")
    assert "（小红书）" in ok.text
    [dup] = await bot.say(BOB, BD_CHAT, "/video #2 HTTPS://WWW.xiaohongshu.com/explore/6650a/")
    assert dup.text == "这个视频已经登记过了，在寄样 #1。"
    assert await _stage(bot, 2) == "signed"
    [again] = await bot.say(BOB, BD_CHAT, "/video #1 https://v.douyin.com/other")
    assert again.text == "这个寄样已经有视频了（已发视频）。"
    await bot.say(BOB, BD_CHAT, "/sample_cancel #2")
    [cancelled] = await bot.say(BOB, BD_CHAT, "/video #2 https://v.douyin.com/zzz")
    assert cancelled.text == "这个寄样已结束（已取消）。"


async def test_quality_poor_asks_for_a_reshoot_and_keeps_the_note(bot: Driver) -> None:
    await _ready(bot, "lily")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    await bot.say(BOB, BD_CHAT, "/signed #1")
    [code_early] = await bot.say(BOB, BD_CHAT, "/code #1 AUTH")
    assert code_early.text == "还没有视频：请先发送 /video。"
    await bot.say(BOB, BD_CHAT, "/video #1 https://v.douyin.com/a1")
    [poor] = await bot.say(BOB, BD_CHAT, '/quality #1 poor "show the texture <close up>"')
    assert poor.text == (
        "#1 lily — Mask 质量不佳：已要求重拍。请转告 lily：show the texture <close up>"
    )
    note = await bot.services.db.fetchval("SELECT quality_note FROM samples WHERE id = 1")
    assert note == "show the texture <close up>"
    assert await _stage(bot, 1) == "reshoot_requested"
    [no_code] = await bot.say(BOB, BD_CHAT, "/code #1 AUTH")
    assert no_code.text == "还没有视频：请先发送 /video。"
    [reshot] = await bot.say(BOB, BD_CHAT, "/video #1 https://v.douyin.com/a2")
    assert "已登记视频" in reshot.text
    [usage] = await bot.say(BOB, BD_CHAT, "/quality #1 great")
    assert usage.text.startswith("请写出寄样和 good 或 poor")


async def test_code_without_an_ads_chat_is_kept_for_later(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    for line in (
        "/sample lily Mask",
        "/signed 1",
        "/video 1 https://v.douyin.com/x",
        "/quality 1 good",
    ):
        await bot.say(BOB, BD_CHAT, line)
    [kept] = await bot.say(BOB, BD_CHAT, "/code #1 AUTH-1 zero")
    assert kept.text.startswith("zero 不是天数，例如 30。\n用法：/code")
    [kept] = await bot.say(BOB, BD_CHAT, "/code #1 AUTH-1")
    assert kept.text.startswith("已保存 #1 的授权码，但还没有登记投流群")
    assert await _stage(bot, 1) == "code_received"
    await setup_chats(bot, "ads")
    answer = await bot.say(BOB, BD_CHAT, "/code #1 AUTH-2")
    assert [m.chat_id for m in answer if "AUTH-2" in m.text] == [ADS_CHAT]
    assert await _stage(bot, 1) == "handed_to_ads"


async def test_adstats_refusals(bot: Driver) -> None:
    await _ready(bot, "lily")
    for line in ("/sample lily Mask", "/signed 1", "/video 1 https://v.douyin.com/x"):
        await bot.say(BOB, BD_CHAT, line)
    [early] = await bot.say(EVE, ADS_CHAT, "/adstats #1 100 1000 10 1")
    assert early.text == "This sample is not with the ads team yet (video posted)."
    await bot.say(BOB, BD_CHAT, "/quality 1 good")
    await bot.say(BOB, BD_CHAT, "/code 1 AUTH")
    [role] = await bot.say(BOB, BD_CHAT, "/adstats #1 100 1000 10 1")
    assert role.text == "/adstats 仅限：投流团队。"
    [nan] = await bot.say(EVE, ADS_CHAT, "/adstats #1 100 lots 10 1")
    assert nan.text == "lots is not a number (impressions)."
    [clicks] = await bot.say(EVE, ADS_CHAT, "/adstats #1 100 1000 2000 1")
    assert clicks.text == "Clicks (2000) cannot exceed impressions (1000)."
    [count] = await bot.say(EVE, ADS_CHAT, "/adstats #1 100 1000")
    assert count.text.startswith("Give the sample, spend, impressions, clicks, orders")
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM ad_reports") == 0
    assert await _stage(bot, 1) == "handed_to_ads"


async def test_commands_need_the_bd_role(bot: Driver) -> None:
    await _ready(bot, "lily")
    [refused] = await bot.say(BOB, BOB, "/sample lily Mask")
    assert refused.text == "/sample 仅限：商务。"
    [refused] = await bot.say(EVE, ADS_CHAT, "/signed #1")
    assert refused.text == "/signed is for: BD."
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM samples") == 0


async def test_chased_by_command(bot: Driver) -> None:
    await _ready(bot, "lily")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    [first] = await bot.say(BOB, BD_CHAT, "/chased #1")
    assert first.text == "已记录催视频 #1 lily — Mask：达人还没回复。 目前共催了 1 次。"
    [second] = await bot.say(EVE, BD_CHAT, "/chased #1 replied")
    assert second.text == "Chase logged for #1 lily — Mask: the creator replied. 2 chases so far."
    [usage] = await bot.say(BOB, BD_CHAT, "/chased #1 maybe")
    assert usage.text.startswith("请写出寄样；如果达人回复了")
    row = await bot.services.db.fetchone("SELECT chases, chases_replied FROM samples")
    assert tuple(row) == (2, 1)
