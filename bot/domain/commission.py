"""The commission engine: every sharer's statement for one month, in one pass (SPEC §3).

Rounding: each component is summed exactly (Decimal rate × integer fen, grouped by rate so
the per-order work is integer addition) and rounded half-up to the fen once. Pending is the
part of direct, self_purchase and level2 from orders still in their refund window, rounded
the same way per component from its own exact sum; confirmed is always the total less the
pending part (`Statement.confirmed`), so pending + confirmed == total on every statement,
team, recruit and adjustment included. An order is pending while paid_at + pending_days > now
(at exactly that moment it is confirmed).

Where SPEC §3 is silent:
- a boost's rate replaces the whole direct rate, level bonus included ("else the direct rate");
  where several boosts cover an order (a challenge over a file boost, or two challenges), the
  highest rate applies;
- a recruit also needs valid sales > 0 in that first month, so a cancelled-only first order
  never pays a reward even when first_month_min is 0;
- order_count / customer_count count only orders with a valid amount > 0 (self-purchases too);
- self-referral (inviter_id or leader_id equal to one's own id) is ignored
  (bot.domain.referrals decides who counts as whose inviter and leader).

Adjustments (corrections of settled months) are bot.domain.settlement's; names on boards are
masked by `mask_names`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from bot.domain.money import round_half_up
from bot.domain.months import Month, month_bounds
from bot.domain.orders import OrderRow
from bot.domain.referrals import inviter_of, leader_of
from bot.domain.rules import Rules, strongest

__all__ = [
    "OrderFact",
    "SharerInfo",
    "Statement",
    "compute_month",
    "mask_name",
    "mask_names",
    "rank",
]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class SharerInfo:
    sharer_id: str
    buyer_id: str = ""  # the sharer's own customer id: their orders are self-purchases
    inviter_id: str = ""
    leader_id: str = ""


@dataclass(frozen=True, slots=True)
class OrderFact:
    order_id: str
    sharer_id: str
    buyer_id: str
    sku: str
    paid_at: datetime  # aware
    valid_fen: int

    @classmethod
    def from_row(cls, row: OrderRow) -> OrderFact:
        return cls(row.order_id, row.sharer_id, row.buyer_id, row.sku, row.paid_at, row.valid_fen)


@dataclass(frozen=True, slots=True)
class Statement:
    sharer_id: str
    year: int
    month: int
    level: str
    month_valid_fen: int
    order_count: int  # attributed orders with a valid amount > 0
    customer_count: int  # distinct buyer ids among those orders
    direct_rate: Decimal  # step (or base) rate + level bonus
    direct: int
    self_purchase: int
    level2: int
    team: int
    recruit: int
    adjustment: int
    total: int
    pending: int  # the part of direct, self_purchase and level2 still in the refund window
    team_valid_fen: int = 0
    recruits: int = 0  # qualifying recruits this month
    # Where the adjustment comes from: (settled month, recomputed − paid), one per month.
    adjustments: tuple[tuple[Month, int], ...] = ()

    @property
    def confirmed(self) -> int:
        return self.total - self.pending


class _Acc:
    """Per-sharer running sums; pending parts ("_p") are included in their totals."""

    __slots__ = ("boosted", "buyers", "normal", "normal_p", "orders", "own", "own_p", "valid")

    def __init__(self) -> None:
        self.valid = self.orders = self.normal = self.normal_p = self.own = self.own_p = 0
        self.buyers: set[str] = set()
        self.boosted: dict[Decimal, list[int]] = {}  # rate → [total, pending]

    def non_self(self) -> tuple[int, int]:
        total, pending = self.normal, self.normal_p
        for t, p in self.boosted.values():
            total += t
            pending += p
        return total, pending


def compute_month(
    rules: Rules,
    year: int,
    month: int,
    tz: tzinfo,
    now: datetime,
    sharers: Mapping[str, SharerInfo],
    orders: Iterable[OrderFact],
    last_month_valid: Mapping[str, int],
    first_order_month: Mapping[str, Month],
    include: Iterable[str] = (),
) -> dict[str, Statement]:
    """Statements (adjustment 0) for the roster, every sharer id with orders this month, and
    the ids in `include` (e.g. anyone with settled history, who may be owed an adjustment).

    `orders` may span other months (they are skipped) but must hold each order once.
    `first_order_month` gives, per sharer id, the local (year, month) of their first attributed
    order ever (any status); a recruit counts only when it equals this month.
    """
    start, end = month_bounds((year, month), tz)
    cutoff = now - timedelta(days=rules.pending_days)  # paid after cutoff → still pending
    boosted = {sku: strongest(boosts) for sku, boosts in rules.boosted_skus().items()}
    accs: dict[str, _Acc] = {}
    own_buyer = {sid: s.buyer_id for sid, s in sharers.items() if s.buyer_id}

    for o in orders:
        paid = o.paid_at
        sid = o.sharer_id
        if not sid or not start <= paid < end:
            continue
        acc = accs.get(sid)
        if acc is None:
            acc = accs[sid] = _Acc()
        v = o.valid_fen
        if v <= 0:
            continue
        pending = paid > cutoff
        acc.valid += v
        acc.orders += 1
        if o.buyer_id:
            acc.buyers.add(o.buyer_id)
        if o.buyer_id and o.buyer_id == own_buyer.get(sid):
            acc.own += v
            acc.own_p += v if pending else 0
            continue
        boost = boosted.get(o.sku)
        if boost:
            rate = boost(paid.astimezone(tz).date())
            if rate is not None:
                slot = acc.boosted.setdefault(rate, [0, 0])
                slot[0] += v
                slot[1] += v if pending else 0
                continue
        acc.normal += v
        acc.normal_p += v if pending else 0

    # Relations from the roster: invitee sales for level2 and recruits, member sales for teams.
    level2_base: dict[str, list[int]] = {}
    recruits: dict[str, int] = {}
    team_valid: dict[str, int] = {}
    this_month = (year, month)
    for sid, info in sharers.items():
        acc = accs.get(sid)
        inviter = inviter_of(info)
        if inviter and acc is not None:
            t, p = acc.non_self()
            slot = level2_base.setdefault(inviter, [0, 0])
            slot[0] += t
            slot[1] += p
            if (
                first_order_month.get(sid) == this_month
                and acc.valid > 0
                and acc.valid >= rules.recruit.first_month_min
            ):
                recruits[inviter] = recruits.get(inviter, 0) + 1
        leader = leader_of(info)
        if leader:
            team_valid[leader] = team_valid.get(leader, 0) + (acc.valid if acc else 0)

    ids = set(sharers) | set(accs) | set(level2_base) | set(recruits) | set(team_valid)
    ids.update(include)
    empty = _Acc()
    out: dict[str, Statement] = {}
    for sid in ids:
        out[sid] = _statement(
            rules,
            this_month,
            sid,
            accs.get(sid, empty),
            last_month_valid.get(sid, 0),
            level2_base.get(sid, [0, 0]),
            recruits.get(sid, 0),
            team_valid.get(sid, 0),
        )
    return out


def _statement(
    rules: Rules,
    ym: Month,
    sid: str,
    acc: _Acc,
    last_valid: int,
    l2: list[int],
    recruits: int,
    team_valid: int,
) -> Statement:
    level = rules.level_for(last_valid)
    rate = rules.step_rate(acc.valid) + level.bonus
    direct_x = rate * acc.normal
    direct_px = rate * acc.normal_p
    for r, (t, p) in acc.boosted.items():
        direct_x += r * t
        direct_px += r * p
    sp_rate = rules.self_purchase or _ZERO
    parts = [
        (round_half_up(direct_x), round_half_up(direct_px)),
        (round_half_up(sp_rate * acc.own), round_half_up(sp_rate * acc.own_p)),
        (round_half_up(rules.level2_rate * l2[0]), round_half_up(rules.level2_rate * l2[1])),
    ]
    (direct, _), (own, _), (level2, _) = parts
    pending = sum(p for _, p in parts)
    team = round_half_up(rules.team_rate(team_valid) * team_valid)
    recruit = rules.recruit.reward * recruits
    total = direct + own + level2 + team + recruit
    return Statement(
        sharer_id=sid,
        year=ym[0],
        month=ym[1],
        level=level.key,
        month_valid_fen=acc.valid,
        order_count=acc.orders,
        customer_count=len(acc.buyers),
        direct_rate=rate,
        direct=direct,
        self_purchase=own,
        level2=level2,
        team=team,
        recruit=recruit,
        adjustment=0,
        total=total,
        pending=pending,
        team_valid_fen=team_valid,
        recruits=recruits,
    )


# --- leaderboards ------------------------------------------------------------------


def mask_name(name: str) -> str:
    """First and last character kept: 张小明 → 张*明, 阿甲 → 阿*甲, Lily → L**y, 李 → 李*.

    Two-character names keep both ends too: masking 阿甲, 阿乙 and 阿丙 all to 阿* told
    nobody apart."""
    s = name.strip()
    if len(s) <= 1:
        return s + "*" if s else ""
    return s[0] + "*" * max(1, len(s) - 2) + s[-1]


def mask_names(names: Mapping[str, str]) -> dict[str, str]:
    """Masked names by id; names that still collide get the end of their id (张*明·07),
    so that two people on one board never read the same."""
    masked = {key: mask_name(name) for key, name in names.items()}
    seen: dict[str, int] = {}
    for value in masked.values():
        seen[value] = seen.get(value, 0) + 1
    return {
        key: f"{value}·{key[-2:]}" if seen[value] > 1 else value for key, value in masked.items()
    }


def rank(values: Mapping[str, int]) -> list[tuple[int, str, int]]:
    """(rank, id, value), highest first; ties share a rank (1, 1, 3) and are ordered by id
    so the board reads the same on every run."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    out: list[tuple[int, str, int]] = []
    for i, (key, value) in enumerate(ordered):
        r = out[-1][0] if out and out[-1][2] == value else i + 1
        out.append((r, key, value))
    return out
