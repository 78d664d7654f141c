"""The broadcasts store: a /dm_all is queued for everyone or no one, once; stopping touches
only its own pending rows; the report is queued once."""

from __future__ import annotations

from bot.domain.broadcasts import dm_key
from bot.services import Services
from storage.broadcasts import Broadcasts
from storage.outbox import Queued
from tests.conftest import T0


async def _people(services: Services, blocked: set[int] = frozenset()) -> None:
    async with services.db.transaction() as conn:
        for user_id in (11, 12, 13):
            await conn.execute(
                "INSERT INTO users (id, first_name, lang, unreachable, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, 0, 0)",
                (user_id, f"u{user_id}", "en" if user_id == 12 else None, user_id in blocked),
            )
            await conn.execute(
                "INSERT INTO sharers (sharer_id, user_id, created_at, updated_at)"
                " VALUES (?, ?, 0, 0)",
                (f"S{user_id}", user_id),
            )
        # A sharer bound to an account the bot has never seen is still tried.
        await conn.execute(
            "INSERT INTO sharers (sharer_id, user_id, created_at, updated_at)"
            " VALUES ('S14', 14, 0, 0)"
        )
        await conn.execute(
            "INSERT INTO sharers (sharer_id, created_at, updated_at) VALUES ('UNBOUND', 0, 0)"
        )


def _dms(broadcast_id: int, people: list[int]) -> list[Queued]:
    return [Queued(dm_key(broadcast_id, p), p, "hi") for p in people]


async def test_recipients_leave_out_who_blocked_the_bot(services: Services) -> None:
    await _people(services, blocked={13})
    recipients, skipped = await services.repo(Broadcasts).recipients()
    assert [(r.user_id, r.lang) for r in recipients] == [(11, None), (12, "en"), (14, None)]
    assert skipped == 1


async def test_start_queues_everyone_once(services: Services) -> None:
    repo = services.repo(Broadcasts)
    draft = await repo.draft("hi", created_by=1, chat_id=1, now=T0)
    assert draft.status == "draft" and draft.kind == "dm"
    assert await repo.start(draft.id, _dms(draft.id, [11, 12]), skipped=1, actor_id=1, now=T0)
    assert not await repo.start(draft.id, _dms(draft.id, [11, 12, 13]), skipped=0, actor_id=1,
                                now=T0)  # fmt: skip
    started = await repo.get(draft.id)
    assert (started.status, started.queued, started.skipped) == ("sending", 2, 1)
    assert await services.outbox.statuses("dm_all:") == {"dm_all:1:11": "pending",
                                                          "dm_all:1:12": "pending"}  # fmt: skip
    assert [b.id for b in await repo.sending()] == [draft.id]
    assert not await repo.cancel(draft.id, actor_id=1, now=T0)  # too late to cancel


async def test_a_cancelled_draft_is_never_started(services: Services) -> None:
    repo = services.repo(Broadcasts)
    draft = await repo.draft("hi", created_by=1, chat_id=1, now=T0)
    assert await repo.cancel(draft.id, actor_id=1, now=T0)
    assert not await repo.start(draft.id, _dms(draft.id, [11]), skipped=0, actor_id=1, now=T0)
    assert (await repo.get(draft.id)).status == "cancelled"
    assert await services.outbox.statuses("dm_all:") == {}


async def test_stop_cancels_only_its_own_pending_messages(services: Services) -> None:
    repo = services.repo(Broadcasts)
    first = await repo.draft("a", created_by=1, chat_id=1, now=T0)
    second = await repo.draft("b", created_by=1, chat_id=1, now=T0)
    await repo.start(first.id, _dms(first.id, [11, 12, 13]), skipped=0, actor_id=1, now=T0)
    await repo.start(second.id, _dms(second.id, [11]), skipped=0, actor_id=1, now=T0)
    [row, *_] = await services.outbox.due(T0)
    await services.outbox.mark_sent(99, row.id, now=T0)
    assert await repo.stop(first.id, actor_id=2, now=T0) == 2
    assert await repo.stop(first.id, actor_id=2, now=T0) is None  # once
    tally = await repo.tally(await repo.get(first.id))
    assert (tally.sent, tally.stopped, tally.done) == (1, 2, True)
    assert (await repo.get(first.id)).stopped_by == 2
    other = await repo.tally(await repo.get(second.id))
    assert other.pending == 1
    [entry, *_] = await services.audit.entries("broadcast", first.id)
    assert entry.action == "dm_all_stop" and entry.after == {"cancelled": 2}


async def test_finish_queues_the_report_once(services: Services) -> None:
    repo = services.repo(Broadcasts)
    draft = await repo.draft("a", created_by=1, chat_id=-5, now=T0)
    await repo.start(draft.id, [], skipped=0, actor_id=1, now=T0)
    tally = await repo.tally(await repo.get(draft.id))
    assert tally.done
    assert await repo.finish(draft.id, -5, "done", tally, now=T0)
    assert not await repo.finish(draft.id, -5, "done", tally, now=T0)
    assert (await services.outbox.state("dm_all_report:1")).chat_id == -5
    assert (await repo.get(draft.id)).status == "done"
    assert await repo.sending() == []


async def test_post_stores_and_queues_one_group_message(services: Services) -> None:
    repo = services.repo(Broadcasts)
    posted = await repo.post("hi", -100, "📢 hi", created_by=1, chat_id=1, now=T0)
    assert (posted.kind, posted.status, posted.queued) == ("group", "done", 1)
    state = await services.outbox.state(f"broadcast:{posted.id}")
    assert (state.chat_id, state.status) == (-100, "pending")
