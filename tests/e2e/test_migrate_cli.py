"""`python -m bot migrate` on the configured store: applies what is pending, says the version,
leaves an existing SQLite database working with no manual step, and never prints a password."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import storage.db as sqlite_module
import storage.pg.db as pg_module
from bot.__main__ import main
from bot.config import load_settings
from storage.open import open_database


def _migrate(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["migrate"])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def _latest(url: str) -> int:
    module = sqlite_module if url.startswith("sqlite") else pg_module
    return len(module.available_migrations())


def test_migrate_brings_the_configured_store_up_to_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The store of this run: SQLite's default file, or this test's PostgreSQL database.
    url = load_settings().database()
    latest = _latest(url)
    code, out, _ = _migrate(capsys)
    assert code == 0
    assert out.endswith(f"database at version {latest}")
    code, out, _ = _migrate(capsys)
    assert (code, out.split(": ", 1)[1]) == (0, f"up to date; database at version {latest}")


def test_an_older_sqlite_database_is_upgraded_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    every = sqlite_module.available_migrations()

    async def made_at_16() -> None:
        with monkeypatch.context() as old:
            old.setattr(sqlite_module, "available_migrations", lambda: every[:16])
            db = await sqlite_module.Database.open(path)
            await db.migrate()
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO settings VALUES ('kept', 'yes', 0)")
            await db.close()

    asyncio.run(made_at_16())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    code, out, _ = _migrate(capsys)
    applied = ", ".join(f"{n:04d}" for n, _, _ in every[16:])
    assert (code, out) == (
        0,
        f"sqlite:///{path}: applied {applied}; database at version {len(every)}",
    )

    async def kept() -> str:
        db = await open_database(f"sqlite:///{path}")
        try:
            return await db.fetchval("SELECT value FROM settings WHERE key = 'kept'")
        finally:
            await db.close()

    assert asyncio.run(kept()) == "yes"


def test_an_empty_postgresql_database_gets_every_migration(
    pg_empty_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    user, host = pg_empty_url.split("://", 1)[1].split("@", 1)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://{user}:not-needed-pw@{host}")
    code, out, _ = _migrate(capsys)
    latest = len(pg_module.available_migrations())
    assert code == 0
    assert out.startswith(f"postgresql://{user}:[redacted]@{host}: applied 0001, ")
    assert out.endswith(f"database at version {latest}")
    assert "not-needed-pw" not in out


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://crewbot:hunter2-pw@127.0.0.1:1/crewbot", "cannot open postgresql://"),
        ("mysql://crewbot:hunter2-pw@db/crewbot", "is not sqlite:///PATH or postgresql://"),
    ],
)
def test_a_store_that_cannot_be_opened_is_one_line_and_exit_2(
    url: str, says: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = _migrate(capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("DATABASE_URL: ")
    assert says in err
    assert "\n" not in err
    assert "hunter2" not in err


async def test_the_console_never_opens_the_configured_database(tmp_path: Path) -> None:
    # An offline console beside a production DATABASE_URL works on its own SQLite file.
    from bot.offline.console import main as console_main

    script = tmp_path / "empty.txt"
    script.write_text("# nothing\n")
    production = load_settings(database_url="postgresql://crewbot:pw-123456@127.0.0.1:1/crewbot")
    assert await console_main(production, demo=False, script=script) == 0
