"""The FAQ store: the command line's import-faq, the cached index after changes, and
unanswered questions resolved by the entry made from them."""

from __future__ import annotations

from bot.imports import import_file
from bot.services import Services
from storage.faq import Faq
from tests.conftest import T0


async def test_import_faq_from_markdown_then_csv_updates_by_question(services: Services) -> None:
    markdown = "## 佣金怎么提现？\n自动到账。\n\n## 包邮吗？\n包邮。\n".encode()
    report = await import_file(services, "faq", markdown, "faq.md", actor_id=None)
    assert report.startswith("faq.md 的常见问题：读取 2 条，新增 2 条")
    csv = "问题,答案\n傭金怎麼提現,结算后自动到账。\n包邮吗？,包邮。\n".encode()
    report = await import_file(services, "faq", csv, "faq.csv", actor_id=None)
    assert report.startswith("faq.csv 的常见问题：读取 2 条，新增 0 条，更新 1 条，未变 1 条")
    assert [e.answer for e in await services.repo(Faq).entries()] == ["结算后自动到账。", "包邮。"]


async def test_the_index_follows_every_change(services: Services) -> None:
    repo = services.repo(Faq)
    assert (await repo.index()).search("佣金怎么提现") == []
    entry = await repo.add("佣金怎么提现？", "a", actor_id=1, now=T0)
    assert (await repo.index()).answer("傭金怎麼提現") is not None
    await repo.edit(entry.id, "多久发货？", "b", actor_id=1, now=T0)
    assert (await repo.index()).search("佣金怎么提现") == []
    await repo.delete(entry.id, actor_id=1, now=T0)
    assert len(await repo.index()) == 0


async def test_an_entry_made_from_questions_resolves_them(services: Services) -> None:
    repo = services.repo(Faq)
    for text in ("样品怎么申请", "直播几点"):
        await repo.keep_unanswered(-1003, 2, text, now=T0)
    first, second = await repo.unanswered()
    await repo.add(first.text, "答", actor_id=1, now=T0, resolves=[first.id])
    assert [a.id for a in await repo.unanswered()] == [second.id]
    assert await repo.count_unanswered(T0, T0.replace(year=T0.year + 1)) == 2
