"""`python -m bot copy-to` on the 5M-order data set: SQLite → PostgreSQL, and back into one
SQLite file (the backup without pg_dump), with pg_dump + pg_restore of the same PostgreSQL
database as the baseline in the same run.

    .venv/bin/python bench/bench_copy.py [--source /tmp/crewbot-5m.sqlite3] \
        [--db /tmp/crewbot-copy-5m.sqlite3] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

The database: bench/generate.py's whole data set (orders, creators and samples, FAQ, lives,
people) with the 5M orders of `--source` (never written to: generate.py copies it), migrated
by the bot; a source made before migrations 0017 and 0018 had their bodies gets them applied
first, as bench/bench_digest.py does for 0017. Built once into `--db` and reused.

The server: `--pg` (its maintenance database; databases named crewbot_bench_copy_* are made
and dropped there), else a throwaway cluster from tools/pg_server.py (durability off, as in
the test suite). Timed: the copy through the code path of the command (storage.copy, the
checks included), rows/s, and whether every count and money sum matched. The last line is
the JSON that bench/run.py reads (ratio: the baseline's time over the copy's).

A migration whose body changes after `--db` was built (issue work in progress) makes the two
schemas differ: the copy refuses, saying which table; delete `--db` to build it again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import asyncpg  # noqa: E402

from storage.copy import CopyRefused, CopyReport, copy_database  # noqa: E402
from storage.open import open_database  # noqa: E402
from tools import pg_server  # noqa: E402

MIGRATIONS = ROOT / "storage/migrations"
# Migrations whose body came after the source was built (it says version 18 without them),
# and how to tell one is missing.
LATE_BODIES = (
    ("0017_digest_rollup.sql", "SELECT count(*) FROM sqlite_master WHERE name = 'order_day'"),
    (
        "0018_outbox_claim.sql",
        "SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'delivery'",
    ),
    ("0020_data_versions.sql", "SELECT count(*) FROM sqlite_master WHERE name = 'data_versions'"),
)


def prepare(db: Path, source: Path) -> None:
    if not db.exists():
        import generate

        generate.generate(db, 5_000_000, source=source)
    conn = sqlite3.connect(db, isolation_level=None)
    for name, present in LATE_BODIES:
        if not conn.execute(present).fetchone()[0]:
            started = time.perf_counter()
            conn.executescript(f"BEGIN IMMEDIATE;\n{(MIGRATIONS / name).read_text()}\nCOMMIT;")
            print(f"{name}'s body on the source: {time.perf_counter() - started:.0f} s")
    conn.close()


def migrate(db: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=ROOT, env=env, check=True)


def _server() -> tuple[str, Path]:
    directory = Path(tempfile.mkdtemp(prefix="crewbot-bench-pg-"))
    return pg_server.start(directory), directory


def _with_db(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


async def _create(server: str) -> str:
    name = f"crewbot_bench_copy_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    return _with_db(server, name)


async def _drop(server: str, url: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
    finally:
        await conn.close()


async def copy(source_url: str, target_url: str) -> CopyReport:
    source = await open_database(source_url, pool_size=2)
    target = await open_database(target_url, pool_size=2)
    try:
        return await copy_database(source, target)
    finally:
        await source.close()
        await target.close()


def show(title: str, report: CopyReport) -> None:
    big = [c for c in report.checks if c.what == "rows" and c.source >= 100_000]
    print(f"\n{title}: {report.rows:,} rows in {report.seconds:.1f} s"
          f" ({report.rows / report.seconds:,.0f} rows/s); counts and sums"
          f" {'all match' if report.ok else 'DIFFER'} ({len(report.checks)} checks)")  # fmt: skip
    for check in big:
        print(f"  {check.table}: {check.source:,} rows")
    for check in report.checks:
        if check.table == "orders" and check.what != "rows":
            print(f"  orders.{check.what}: {check.source:,} = {check.target:,}")
    for check in report.mismatches:
        print(f"  MISMATCH {check.table} {check.what}: {check.source:,} ≠ {check.target:,}")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


async def run(args: argparse.Namespace) -> int:
    server, directory = (args.pg, None) if args.pg else _server()
    made: list[str] = []
    scratch = Path(tempfile.mkdtemp(prefix="crewbot-bench-copy-"))
    try:
        pg = await _create(server)
        made.append(pg)
        there = await copy(f"sqlite:///{args.db}", pg)
        show("SQLite → PostgreSQL", there)
        back = await copy(pg, f"sqlite:///{scratch / 'back.sqlite3'}")
        show("PostgreSQL → one SQLite file", back)
        ok = there.ok and back.ok
        both = None
        if shutil.which("pg_dump") and shutil.which("pg_restore"):
            dump = scratch / "crewbot.dump"
            restored = await _create(server)
            made.append(restored)
            dumped = timed(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", pg])
            loaded = timed(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)])
            both = dumped + loaded
            print(f"\nbaseline, same run: pg_dump {dumped:.1f} s + pg_restore {loaded:.1f} s"
                  f" = {both:.1f} s ({there.rows / both:,.0f} rows/s)")  # fmt: skip
        goal = "every count and money sum equal"
        rows = [
            {"figure": f"copy-to SQLite → PostgreSQL, {there.rows:,} rows (s)",
             "value": round(there.seconds, 1), "baseline": both and round(both, 1),
             "ratio": both and round(both / there.seconds, 2), "goal": goal},
            {"figure": "copy-to PostgreSQL → SQLite file (s)", "value": round(back.seconds, 1),
             "baseline": both and round(both, 1),
             "ratio": both and round(both / back.seconds, 2), "goal": goal},
            {"figure": "counts and sums", "value": "equal" if ok else "DIFFER",
             "baseline": "", "ratio": "", "goal": goal},
        ]  # fmt: skip
        print(json.dumps({"bench": "bench_copy", "rows": rows}, ensure_ascii=False))
        return 0 if ok else 1
    finally:
        for url in made:
            await _drop(server, url)
        shutil.rmtree(scratch, ignore_errors=True)
        if directory is not None:
            pg_server.stop(directory)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/crewbot-5m.sqlite3"))
    parser.add_argument("--db", type=Path, default=Path("/tmp/crewbot-copy-5m.sqlite3"))
    parser.add_argument("--pg", help="a PostgreSQL server's URL (default: a throwaway one)")
    args = parser.parse_args()
    prepare(args.db, args.source)
    migrate(args.db)
    try:
        return asyncio.run(run(args))
    except CopyRefused as exc:
        print(f"copy-to refused: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
