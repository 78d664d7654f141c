"""The outbox through the real stack: due messages go out once, failures are handled."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services
from tests.conftest import T0
from tests.e2e.conftest import BD_CHAT, BOB, CAI


async def test_due_messages_go_out_once(bot: Driver, api: LocalBotAPI) -> None:
    outbox = bot.services.outbox
    await outbox.enqueue("hello:1", BD_CHAT, "<b>hi</b>", due_at=T0, now=T0)
    later = T0 + timedelta(hours=1)
    await outbox.enqueue("hello:2", BD_CHAT, "later", due_at=later, now=T0)
    assert not await outbox.enqueue("hello:1", BD_CHAT, "again", due_at=T0, now=T0)
    sent = await bot.tick()
    assert [(m.chat_id, m.text) for m in sent] == [(BD_CHAT, "hi")]
    assert await bot.tick() == []  # nothing twice
    sent = await bot.wait(timedelta(hours=1))
    assert [m.text for m in sent] == ["later"]
    state = await outbox.state("hello:1")
    assert state.status == "sent" and state.message_id == sent[0].message_id - 1


async def test_buttons_and_documents(bot: Driver) -> None:
    outbox = bot.services.outbox
    await outbox.enqueue(
        "b", BD_CHAT, "press", due_at=T0, now=T0, buttons=[[("OK", "x:1"), ("Web", "https://a.b")]]
    )
    await outbox.enqueue("d", BD_CHAT, "file", due_at=T0, now=T0, document=("a.csv", b"x,y\n"))
    button_msg, doc_msg = await bot.tick()
    assert button_msg.buttons == [[("OK", "x:1"), ("Web", "https://a.b")]]
    assert doc_msg.document == ("a.csv", b"x,y\n") and doc_msg.text == "file"


async def test_forbidden_marks_the_person_unreachable(bot: Driver, api: LocalBotAPI) -> None:
    await bot.say(BOB, BOB, "/start")
    api.block(BOB)
    await bot.services.outbox.enqueue("dm:bob", BOB, "psst", due_at=T0, now=T0)
    assert await bot.tick() == []
    state = await bot.services.outbox.state("dm:bob")
    assert state.status == "unreachable" and "blocked" in state.last_error
    assert (await bot.services.users.get(BOB)).unreachable
    assert await bot.tick() == []  # no retries


async def test_never_started_is_unreachable_too(bot: Driver) -> None:
    await bot.services.outbox.enqueue("dm:cai", CAI, "psst", due_at=T0, now=T0)
    await bot.tick()
    assert (await bot.services.outbox.state("dm:cai")).status == "unreachable"


async def test_retry_after_is_waited_out(bot: Driver, api: LocalBotAPI) -> None:
    # The rate limiter retries twice by itself; a longer flood wait goes back to the outbox.
    api.retry_after("sendMessage", 1, times=3)
    await bot.services.outbox.enqueue("flood", BD_CHAT, "eventually", due_at=T0, now=T0)
    assert await bot.tick() == []
    state = await bot.services.outbox.state("flood")
    assert state.status == "pending" and "Flood" in state.last_error
    [sent] = await bot.wait(timedelta(seconds=1))
    assert sent.text == "eventually"


async def test_server_errors_are_retried_with_backoff(bot: Driver, api: LocalBotAPI) -> None:
    api.fail("sendMessage", status=500, times=1)
    await bot.services.outbox.enqueue("flaky", BD_CHAT, "made it", due_at=T0, now=T0)
    assert await bot.tick() == []
    assert await bot.tick() == []  # not due again before the backoff
    [sent] = await bot.wait(timedelta(seconds=30))
    assert sent.text == "made it"


async def test_bad_request_is_not_retried(bot: Driver) -> None:
    await bot.services.outbox.enqueue("bad", BD_CHAT, "<b>broken", due_at=T0, now=T0)
    await bot.tick()
    assert (await bot.services.outbox.state("bad")).status == "failed"


async def test_a_restart_resumes_without_resending(
    settings: Settings, services: Services, api: LocalBotAPI
) -> None:
    outbox = services.outbox
    await outbox.enqueue("r:1", BD_CHAT, "first", due_at=T0, now=T0)
    await outbox.enqueue("r:2", BD_CHAT, "second", due_at=T0 + timedelta(days=1), now=T0)
    async with running_bot(settings, services, api) as first_run:
        assert [m.text for m in await first_run.tick()] == ["first"]
    # The bot is down while the second message falls due; it goes out once after the restart.
    services.clock.advance(timedelta(days=2))
    async with running_bot(settings, services, api) as second_run:
        assert [m.text for m in await second_run.tick()] == ["second"]
        assert await second_run.tick() == []
    assert [m.text for m in api.sent_to(BD_CHAT)] == ["first", "second"]


async def test_a_server_that_refuses_menus_does_not_stop_the_bot(
    settings: Settings, services: Services, api: LocalBotAPI
) -> None:
    api.fail("setMyCommands", status=500)
    async with running_bot(settings, services, api) as bot:
        [hello] = await bot.say(BOB, BOB, "/start")
        assert "你好" in hello.text
    assert any(call.error for call in api.calls("setMyCommands"))


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


async def test_a_photo_goes_with_its_caption(bot: Driver) -> None:
    await bot.services.outbox.enqueue("p", BD_CHAT, "<b>chart</b>", due_at=T0, now=T0, photo=PNG)
    [sent] = await bot.tick()
    assert sent.method == "sendPhoto" and sent.photo == PNG and sent.text == "chart"
    state = await bot.services.outbox.state("p")
    assert state.status == "sent" and state.last_error is None


async def test_a_refused_photo_leaves_its_text_to_go_alone(bot: Driver, api: LocalBotAPI) -> None:
    api.fail("sendPhoto", 400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    outbox = bot.services.outbox
    await outbox.enqueue("p:text", BD_CHAT, "<b>words</b>", due_at=T0, now=T0, photo=PNG)
    await outbox.enqueue("p:bare", BD_CHAT, "", due_at=T0, now=T0, photo=PNG)
    sent = await bot.tick()
    assert [(m.method, m.text) for m in sent] == [("sendMessage", "words")]
    text, bare = await outbox.state("p:text"), await outbox.state("p:bare")
    assert text.status == "sent" and "Photo_invalid_dimensions" in text.last_error
    assert bare.status == "failed"  # nothing left to say without the photo
    assert await bot.tick() == []
