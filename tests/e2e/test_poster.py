"""The recruiting poster (招募海报) through the real bot: /invite poster sends a PNG whose QR
code reads back as the sharer's own referral deep link."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

import handlers.sharer_identity
from bot.config import Settings
from bot.offline.driver import Driver
from tests.e2e.conftest import BOB, CAI, EVE, SHARERS_CHAT, e2e_settings, setup_chats
from tests.e2e.test_sharers import _roster, bind

BRAND = "山野好物，分享即收获"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return e2e_settings(tmp_path, poster_line=BRAND)


def decoded(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


async def test_poster_is_a_png_whose_qr_code_is_the_sharers_deep_link(
    bot: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[tuple[str, ...]] = []
    real = handlers.sharer_identity.render_poster

    def spy(*args: str) -> bytes:
        drawn.append(args)
        return real(*args)

    monkeypatch.setattr(handlers.sharer_identity, "render_poster", spy)
    await _roster(bot)
    await bind(bot, BOB, "D")
    [link] = await bot.say(BOB, BOB, "/invite")
    deep_link = link.text.split("：", 1)[1].split("\n")[0]
    assert deep_link.startswith("https://t.me/crewbot_bot?start=r_")
    [poster] = await bot.say(BOB, BOB, "/invite poster")
    assert poster.method == "sendPhoto" and poster.photo is not None
    assert poster.photo.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(poster.photo)).size == (1080, 1440)
    assert decoded(poster.photo) == [deep_link]
    assert poster.caption == (
        "你的招募海报：保存后发到微信朋友圈。扫码加入的人算作你邀请的分享员。"
    )
    # The poster names the sharer and carries the brand's configured line, in their language.
    assert drawn == [("Dora邀请你成为分享员", BRAND, deep_link, "扫码加入")]
    # The same link twice: asking again does not make a new code.
    [again] = await bot.say(BOB, BOB, "/invite POSTER")
    assert decoded(again.photo) == [deep_link]


async def test_poster_in_english_for_an_english_speaker(bot: Driver) -> None:
    await _roster(bot)
    await bind(bot, EVE, "C")
    [poster] = await bot.say(EVE, EVE, "/invite poster")
    assert poster.caption.startswith("Your recruiting poster: save it")
    [code] = decoded(poster.photo)
    assert code.startswith("https://t.me/crewbot_bot?start=r_")


async def test_poster_bad_input_is_answered(bot: Driver) -> None:
    await _roster(bot)
    [unbound] = await bot.say(CAI, CAI, "/invite poster")
    assert unbound.text == "你还没有绑定分享员 ID：请发送 /bind 加上你的分享员 ID。"
    await bind(bot, CAI, "C")
    [bad] = await bot.say(CAI, CAI, "/invite flyer")
    assert bad.text == ("加上 poster 可获取分享海报，不加则获取邀请链接。\n用法：/invite [poster]")
    [extra] = await bot.say(CAI, CAI, "/invite poster now")
    assert extra.text.startswith("加上 poster 可获取分享海报")
    await setup_chats(bot, "sharers")
    [public] = await bot.say(CAI, SHARERS_CHAT, "/invite poster")
    assert public.photo is None and "私聊" in public.text
