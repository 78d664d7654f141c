"""Commission figures from orders, rollups, the roster and settlements: queries only.

A statement for one sharer is computed by the domain engine (`compute_month`) fed with only
what that sharer's statement depends on: their own orders, their invitees' orders (level2,
recruits) and their team members' month sales from the rollup. That keeps /me and
/commission a few indexed reads, whatever the size of the order table.

The rules in force are the rules file's plus the boosts of the sales challenges covering the
month (storage/challenges.py), merged here so that every statement, /me and settlement reads
them alike; a settlement freezes the merged rules, so a challenge made later never changes a
settled month, not even through an adjustment.

Settled months are frozen in settlement_lines with what their statement showed; the rules of
settlement (what may be settled, corrections) are bot.domain.settlement's. Each correction
booked in a later settlement is kept per corrected month (settlement_corrections), so that it
is never booked twice and the statement can say where it comes from. Settling writes the
month, its lines, its corrections and every message announcing it (outbox) in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from bot.domain.commission import OrderFact, SharerInfo, Statement, compute_month
from bot.domain.money import format_rate, parse_rate
from bot.domain.months import Month, first_day, from_ym, month_start, shift, ym
from bot.domain.rules import Rules
from bot.domain.settlement import (
    SettleError,
    check_settle,
    corrections,
    first_unsettled_month,
    with_adjustment,
)
from storage import audit
from storage.challenges import Challenges
from storage.db import Database, from_ts, to_ts
from storage.outbox import Queued, enqueue_in

__all__ = [
    "LINE_FIELDS",
    "Commission",
    "Line",
    "Month",
    "SettleError",
    "SettlePlan",
    "Settled",
    "month_start",
    "shift",
    "ym",
]

LINE_FIELDS = ("direct", "self_purchase", "level2", "team", "recruit", "adjustment", "total")
to_month = from_ym


@dataclass(frozen=True, slots=True)
class Settled:
    month: Month
    settled_at: datetime
    rules: Rules


@dataclass(frozen=True, slots=True)
class Line:
    """A settled statement as it was settled (detail fields are None on lines settled before
    they were kept)."""

    sharer_id: str
    valid_fen: int
    direct: int
    self_purchase: int
    level2: int
    team: int
    recruit: int
    adjustment: int
    total: int
    direct_rate: Decimal | None = None
    level: str | None = None
    orders: int | None = None
    customers: int | None = None
    pending: int | None = None
    team_valid_fen: int | None = None
    recruits: int | None = None

    @classmethod
    def of(cls, st: Statement) -> Line:
        return cls(
            st.sharer_id, st.month_valid_fen, *(getattr(st, f) for f in LINE_FIELDS),
            st.direct_rate, st.level, st.order_count, st.customer_count, st.pending,
            st.team_valid_fen, st.recruits,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class SettlePlan:
    """A month's settlement, computed and not yet stored (see `Commission.commit_settle`)."""

    month: Month
    gaps: list[Month]  # empty months settled along
    lines: list[Line]
    corrections: dict[tuple[str, Month], int] = field(default_factory=dict)
    settled_before: frozenset[Month] = frozenset()
    rules: Rules | None = None  # the rules in force it was computed with, frozen with it


# --- the rules in force, frozen with a settlement --------------------------------------

_FEN_KEYS = {"from", "reward", "first_month_min", "min_sales"}


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def rules_to_json(rules: Rules) -> str:
    """The rules as the manager would write them (percent strings, yuan), so they load back."""

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v, key) for v in value]
        if key in _FEN_KEYS and isinstance(value, int):
            return _yuan(value)
        if key == "self_purchase" and value is None:
            return "excluded"
        if hasattr(value, "as_tuple"):  # Decimal rate
            return format_rate(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return json.dumps(walk(rules.model_dump(by_alias=True)), ensure_ascii=False)


def rules_from_json(text: str) -> Rules:
    return Rules.model_validate(json.loads(text))


class Commission:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- inputs ------------------------------------------------------------------------

    async def _info(self, sharer_id: str) -> SharerInfo:
        row = await self.db.fetchone(
            "SELECT buyer_id, inviter_id, leader_id FROM sharers WHERE sharer_id = ?", (sharer_id,)
        )
        if row is None:
            return SharerInfo(sharer_id)
        return SharerInfo(
            sharer_id, row["buyer_id"] or "", row["inviter_id"] or "", row["leader_id"] or ""
        )

    async def _facts(
        self, info: SharerInfo, month: int, cutoff: int, *, boosted: Collection[str] = ()
    ) -> list[OrderFact]:
        """A sharer's valid orders of the month, summed in SQL into one fact per what the
        engine tells apart: self-purchase or not, pending or not, and — only for SKUs with a
        boost, whose rate depends on the SKU and the day — SKU and local day. Every other
        order of the month earns the same direct rate, so a busy sharer's thousands of orders
        become a handful of facts; MAX(paid_at) keeps each group's side of the pending cutoff."""
        marks = ", ".join("?" for _ in boosted)
        sku = f"CASE WHEN sku IN ({marks}) THEN sku ELSE '' END" if boosted else "''"
        day = f"CASE WHEN sku IN ({marks}) THEN day ELSE 0 END" if boosted else "0"
        # Constant keys left out of the GROUP BY: its sorter compares fewer columns (a third
        # of the query's time for a sharer with 15,000 orders in the month).
        keys = "key_sku, key_day, own, pending" if boosted else "own, pending"
        rows = await self.db.fetchall(
            f"SELECT {sku} AS key_sku, {day} AS key_day, buyer_id = ? AND ? <> '' AS own,"
            f" paid_at > ? AS pending, SUM(valid_fen), MAX(paid_at) FROM orders"
            f" WHERE sharer_id = ? AND month = ? AND valid_fen > 0 GROUP BY {keys}",
            (*boosted, *boosted, info.buyer_id, info.buyer_id, cutoff, info.sharer_id, month),
        )
        sid, buyer = info.sharer_id, info.buyer_id
        return [
            OrderFact(f"~{n}", sid, buyer if r[2] else "", r[0], from_ts(r[5]), r[4])  # type: ignore[arg-type]
            for n, r in enumerate(rows)
        ]

    async def month_valid(self, sharer_id: str, month: int) -> tuple[int, int]:
        row = await self.db.fetchone(
            "SELECT valid_fen, orders FROM sharer_month WHERE sharer_id = ? AND month = ?",
            (sharer_id, month),
        )
        return (row[0], row[1]) if row else (0, 0)

    async def first_month(self, sharer_id: str) -> Month | None:
        value = await self.db.fetchval(
            "SELECT MIN(month) FROM orders WHERE sharer_id = ?", (sharer_id,)
        )
        return None if value is None else to_month(value)

    async def in_force(self, rules: Rules, month: Month) -> Rules:
        """The rules file's rules with the boosts of the challenges covering the month."""
        last = first_day(shift(month, 1)) - timedelta(days=1)
        return rules.with_boosts(await Challenges(self.db).boosts(first_day(month), last))

    async def compute(
        self, rules: Rules, sharer_id: str, month: Month, tz: tzinfo, now: datetime
    ) -> Statement:
        """One sharer's statement for a month under the rules file's `rules` (challenges
        added), before any adjustment."""
        return await self._compute(await self.in_force(rules, month), sharer_id, month, tz, now)

    async def _compute(
        self, rules: Rules, sharer_id: str, month: Month, tz: tzinfo, now: datetime
    ) -> Statement:
        """The statement under exactly these rules (a settled month's frozen ones)."""
        m = ym(month)
        me = await self._info(sharer_id)
        sharers = {sharer_id: me}
        cutoff = to_ts(now - timedelta(days=rules.pending_days))
        facts = await self._facts(me, m, cutoff, boosted=sorted(rules.boosted_skus()))
        first: dict[str, Month] = {}
        invitees = await self.db.fetchall(
            "SELECT sharer_id, buyer_id, leader_id FROM sharers WHERE inviter_id = ?",
            (sharer_id,),
        )
        for sid, buyer, leader in invitees:
            if sid == sharer_id:
                continue
            sharers[sid] = SharerInfo(sid, buyer or "", sharer_id, leader or "")
            own = await self._facts(sharers[sid], m, cutoff)
            facts += own
            found = await self.first_month(sid) if own else None
            if found is not None:
                first[sid] = found
        # Team members who are not invitees count only through their month sales (the rollup),
        # entered as one summary fact each: the team component needs nothing else.
        members = await self.db.fetchall(
            "SELECT s.sharer_id, m.valid_fen FROM sharers s JOIN sharer_month m"
            " ON m.sharer_id = s.sharer_id AND m.month = ? WHERE s.leader_id = ?",
            (m, sharer_id),
        )
        start = month_start(month, tz)
        for sid, valid in members:
            if sid in sharers or sid == sharer_id:
                continue
            sharers[sid] = SharerInfo(sid, leader_id=sharer_id)
            facts.append(OrderFact(f"~{sid}", sid, "", "", start, valid))
        last, _ = await self.month_valid(sharer_id, ym(shift(month, -1)))
        out = compute_month(
            rules, month[0], month[1], tz, now, sharers, facts, {sharer_id: last}, first,
            include=[sharer_id],
        )  # fmt: skip
        # The engine counted groups; orders and customers are counted here, in SQL.
        orders, customers = await self.db.fetchone(
            "SELECT COUNT(*), COUNT(DISTINCT NULLIF(buyer_id, '')) FROM orders"
            " WHERE sharer_id = ? AND month = ? AND valid_fen > 0",
            (sharer_id, m),
        )  # type: ignore[misc]
        return replace(out[sharer_id], order_count=orders, customer_count=customers)

    # --- settlements -------------------------------------------------------------------

    async def settled(self) -> dict[Month, Settled]:
        rows = await self.db.fetchall("SELECT month, settled_at, rules FROM settlements")
        return {
            to_month(r[0]): Settled(to_month(r[0]), from_ts(r[1]), rules_from_json(r[2]))  # type: ignore[arg-type]
            for r in rows
        }

    async def line(self, sharer_id: str, month: Month) -> Line | None:
        rows = await self._lines("WHERE month = ? AND sharer_id = ?", (ym(month), sharer_id))
        return rows[0] if rows else None

    async def lines(self, month: Month) -> list[Line]:
        """Every line of a settled month, by sharer id."""
        return await self._lines("WHERE month = ? ORDER BY sharer_id", (ym(month),))

    async def _lines(self, where: str, params: tuple[Any, ...]) -> list[Line]:
        rows = await self.db.fetchall(
            f"SELECT sharer_id, valid_fen, {', '.join(LINE_FIELDS)}, direct_rate, level,"
            f" orders, customers, pending, team_valid_fen, recruits FROM settlement_lines {where}",
            params,
        )
        return [
            Line(*r[:9], parse_rate(r[9]) if r[9] else None, *r[10:])  # type: ignore[misc]
            for r in rows
        ]

    async def booked(self, sharer_id: str, month: Month) -> tuple[tuple[Month, int], ...]:
        """The corrections booked in a settled month's adjustment, by the month corrected."""
        rows = await self.db.fetchall(
            "SELECT for_month, amount FROM settlement_corrections WHERE month = ?"
            " AND sharer_id = ? ORDER BY for_month",
            (ym(month), sharer_id),
        )
        return tuple((to_month(r[0]), r[1]) for r in rows)

    async def _paid(self, sharer_id: str, months: list[Month]) -> dict[Month, int]:
        """What each settled month's own components have been paid so far (0 if nothing)."""
        paid = {m: 0 for m in months}
        for r in await self.db.fetchall(
            "SELECT month, total - adjustment FROM settlement_lines WHERE sharer_id = ?",
            (sharer_id,),
        ):
            paid[to_month(r[0])] = paid.get(to_month(r[0]), 0) + r[1]
        for r in await self.db.fetchall(
            "SELECT for_month, SUM(amount) FROM settlement_corrections WHERE sharer_id = ?"
            " GROUP BY for_month",
            (sharer_id,),
        ):
            paid[to_month(r[0])] = paid.get(to_month(r[0]), 0) + r[1]
        return paid

    async def statement(
        self, rules: Rules, sharer_id: str, month: Month, tz: tzinfo, now: datetime
    ) -> tuple[Statement, Settled | None]:
        """The month's statement: as it was settled, or computed with any adjustment."""
        settled = await self.settled()
        if month in settled:
            frozen = settled[month]
            line = await self.line(sharer_id, month) or Line(sharer_id, 0, 0, 0, 0, 0, 0, 0, 0)
            return _frozen(line, month, frozen.rules, await self.booked(sharer_id, month)), frozen
        st = await self.compute(rules, sharer_id, month, tz, now)
        if settled and month == first_unsettled_month(settled):
            paid = await self._paid(sharer_id, list(settled))
            recomputed = {}
            for m, s in settled.items():
                again = await self._compute(s.rules, sharer_id, m, tz, now)
                recomputed[m] = again.total - again.adjustment
            st = with_adjustment(st, paid, recomputed)
        return st, None

    async def check_settle(self, month: Month, now: datetime, tz: tzinfo) -> list[Month]:
        """Refuse what cannot be settled (SettleError); returns the empty months in between."""
        settled = await self.settled()
        latest = ym(max(settled)) if settled else 0
        rows = await self.db.fetchall(
            "SELECT DISTINCT month FROM sharer_month WHERE month > ? AND month < ?",
            (latest, ym(month)),
        )
        return check_settle(month, settled, now, tz, [to_month(r[0]) for r in rows])

    async def _all_month(
        self, rules: Rules, month: Month, tz: tzinfo, now: datetime, include: set[str]
    ) -> dict[str, Statement]:
        """Every sharer's statement for a month (settlement: one pass over the month)."""
        m = ym(month)
        sharers = {
            r[0]: SharerInfo(r[0], r[1] or "", r[2] or "", r[3] or "")
            for r in await self.db.fetchall(
                "SELECT sharer_id, buyer_id, inviter_id, leader_id FROM sharers"
            )
        }
        rows = await self.db.fetchall(
            "SELECT o.order_id, o.sharer_id, o.buyer_id, o.sku, o.paid_at, o.valid_fen"
            " FROM sharer_month s JOIN orders o ON o.sharer_id = s.sharer_id AND o.month = s.month"
            " WHERE s.month = ?",
            (m,),
        )
        facts = [OrderFact(r[0], r[1], r[2], r[3], from_ts(r[4]), r[5]) for r in rows]  # type: ignore[arg-type]
        last = dict(
            await self.db.fetchall(
                "SELECT sharer_id, valid_fen FROM sharer_month WHERE month = ?",
                (ym(shift(month, -1)),),
            )
        )
        first: dict[str, Month] = {}
        for sid in {f.sharer_id for f in facts}:
            if sharers.get(sid, SharerInfo(sid)).inviter_id:
                found = await self.first_month(sid)
                if found is not None:
                    first[sid] = found
        return compute_month(
            rules, month[0], month[1], tz, now, sharers, facts, last, first, include=include
        )

    async def plan_settle(
        self, rules: Rules, month: Month, tz: tzinfo, now: datetime
    ) -> SettlePlan:
        """Every sharer's frozen statement for the month, with the corrections of the months
        settled before; raises SettleError when the month cannot be settled. Stores nothing."""
        gaps = await self.check_settle(month, now, tz)
        settled = await self.settled()
        history = {r[0] for r in await self.db.fetchall("SELECT sharer_id FROM settlement_lines")}
        rules = await self.in_force(rules, month)
        statements = await self._all_month(rules, month, tz, now, history)
        fixes: dict[tuple[str, Month], int] = {}
        if settled:
            again = {
                m: await self._all_month(s.rules, m, tz, now, history) for m, s in settled.items()
            }
            for sid, st in list(statements.items()):
                paid = await self._paid(sid, list(settled))
                recomputed = {m: again[m][sid].total if sid in again[m] else 0 for m in settled}
                fixes.update(((sid, m), v) for m, v in corrections(paid, recomputed).items())
                statements[sid] = with_adjustment(st, paid, recomputed)
        lines = [
            Line.of(st)
            for sid, st in sorted(statements.items())
            if st.month_valid_fen or any(getattr(st, f) for f in LINE_FIELDS)
        ]
        return SettlePlan(month, gaps, lines, fixes, frozenset(settled), rules)

    async def settle(
        self, rules: Rules, month: Month, tz: tzinfo, now: datetime, *, actor_id: int
    ) -> list[Line]:
        """Plan and store a settlement with no messages (the CLI and tests)."""
        plan = await self.plan_settle(rules, month, tz, now)
        await self.commit_settle(plan, rules, [], now=now, actor_id=actor_id)
        return plan.lines

    async def commit_settle(
        self,
        plan: SettlePlan,
        rules: Rules,
        messages: list[Queued],
        *,
        now: datetime,
        actor_id: int,
    ) -> None:
        """Store the plan and queue its messages, all in one transaction: either the month is
        settled and every message announcing it is in the outbox, or nothing changed."""
        month = plan.month
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT month FROM settlements") as cursor:
                now_settled = {to_month(r[0]) for r in await cursor.fetchall()}
            if now_settled != plan.settled_before:  # someone settled meanwhile
                raise SettleError("already_settled" if month in now_settled else "changed")
            frozen = rules_to_json(plan.rules or rules)
            for m in [*plan.gaps, month]:
                await conn.execute(
                    "INSERT INTO settlements (month, settled_at, settled_by, rules)"
                    " VALUES (?, ?, ?, ?)",
                    (ym(m), to_ts(now), actor_id, frozen),
                )
            await conn.executemany(
                "INSERT INTO settlement_lines (month, sharer_id, valid_fen, direct, self_purchase,"
                " level2, team, recruit, adjustment, total, direct_rate, level, orders, customers,"
                " pending, team_valid_fen, recruits)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(ym(month), *_row(ln)) for ln in plan.lines],
            )
            await conn.executemany(
                "INSERT INTO settlement_corrections (month, sharer_id, for_month, amount)"
                " VALUES (?, ?, ?, ?)",
                [(ym(month), sid, ym(m), amount) for (sid, m), amount in plan.corrections.items()],
            )
            queued = await enqueue_in(conn, messages, due_at=now, now=now)
            await audit.record(
                conn, at=now, actor_id=actor_id, action="settle", entity="settlement",
                entity_id=ym(month), after={"lines": len(plan.lines), "empty_months":
                len(plan.gaps), "total": sum(ln.total for ln in plan.lines), "queued": queued},
            )  # fmt: skip


def _row(ln: Line) -> tuple[Any, ...]:
    rate = None if ln.direct_rate is None else format_rate(ln.direct_rate)
    return (
        ln.sharer_id, ln.valid_fen, *(getattr(ln, f) for f in LINE_FIELDS), rate, ln.level,
        ln.orders, ln.customers, ln.pending, ln.team_valid_fen, ln.recruits,
    )  # fmt: skip


def _frozen(
    line: Line, month: Month, rules: Rules, booked: tuple[tuple[Month, int], ...]
) -> Statement:
    """The statement as settled. Lines settled before their detail was kept show the step
    rate of the rules frozen with the month (the level bonus was not kept)."""
    rate = line.direct_rate
    if rate is None:
        rate = rules.step_rate(line.valid_fen)
    return Statement(
        sharer_id=line.sharer_id, year=month[0], month=month[1], level=line.level or "",
        month_valid_fen=line.valid_fen, order_count=line.orders or 0,
        customer_count=line.customers or 0, direct_rate=rate, direct=line.direct,
        self_purchase=line.self_purchase, level2=line.level2, team=line.team,
        recruit=line.recruit, adjustment=line.adjustment, total=line.total,
        pending=line.pending or 0, team_valid_fen=line.team_valid_fen or 0,
        recruits=line.recruits or 0, adjustments=booked,
    )  # fmt: skip
