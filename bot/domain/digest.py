"""The managers' daily digest (SPEC §5): a day's figures against the day before and the
average of the seven days before it, the alerts they trigger, when a digest falls due, and how
its sections are packed into Telegram messages.

Definitions (docs/digest.md explains them to managers):
- GMV: the amounts of every order paid that day, whatever became of it;
- valid sales: their valid amounts (0 when refunded or cancelled, else amount − refund);
- refund rate: the share of GMV not valid, (GMV − valid sales) / GMV;
- orders / customers: orders paid that day / distinct buyers among them;
- AOV: GMV / orders;
- active sharers: sharers with at least one valid order that day;
- new sharers: active sharers whose first valid order ever was that day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.limits import MAX_TEXT, fit, visible_len

AVERAGE_DAYS = 7
FULFILMENT_DAYS = 30  # fulfilment rate: samples signed over this many days up to the digest day
TOP = 5  # sharers and SKUs listed


@dataclass(frozen=True, slots=True)
class SalesDay:
    gmv_fen: int = 0
    valid_fen: int = 0
    orders: int = 0
    customers: int = 0
    active_sharers: int = 0
    new_sharers: int = 0

    @property
    def aov_fen(self) -> int | None:
        if not self.orders:
            return None
        return int((Decimal(self.gmv_fen) / self.orders).quantize(0, ROUND_HALF_UP))

    @property
    def refund_rate(self) -> Decimal | None:
        if not self.gmv_fen:
            return None
        return Decimal(self.gmv_fen - self.valid_fen) / Decimal(self.gmv_fen)


@dataclass(frozen=True, slots=True)
class Pipeline:
    shipped: int
    signed: int
    videos: int
    to_ads: int
    no_shows: int
    fulfilment_rate: Decimal | None  # None when nothing was signed in FULFILMENT_DAYS
    overdue: Mapping[int, int]  # overdue samples by BD (user id), at the end of the day


@dataclass(frozen=True, slots=True)
class Community:
    """None: the feature has no data yet, and its line is left out."""

    live_forwards: int | None = None  # [Forwarded] presses that day
    lives: list[tuple[str, int]] | None = None  # lives that started that day: (title, forwards)
    unanswered: int | None = None


@dataclass(frozen=True)
class DigestData:
    day: date
    sales: Mapping[date, SalesDay]  # the day and the AVERAGE_DAYS before it (missing: none)
    top_sharers: list[tuple[str, int]] = field(default_factory=list)  # (sharer id, valid fen)
    top_skus: list[tuple[str, int, int]] = field(default_factory=list)  # (sku, fen, orders)
    pipeline: Pipeline | None = None  # None: no samples at all yet
    community: Community = Community()

    def on(self, day: date) -> SalesDay:
        return self.sales.get(day, SalesDay())

    @property
    def today(self) -> SalesDay:
        return self.on(self.day)

    @property
    def before(self) -> SalesDay:
        return self.on(self.day - timedelta(days=1))

    def week(self) -> list[SalesDay]:
        return [self.on(self.day - timedelta(days=n)) for n in range(1, AVERAGE_DAYS + 1)]


# --- figures ------------------------------------------------------------------------------

# (metric, kind): kind tells the renderer how to format (money in fen, a count, a rate).
METRICS: list[tuple[str, str]] = [
    ("gmv", "money"),
    ("valid_sales", "money"),
    ("refund_rate", "rate"),
    ("orders", "count"),
    ("customers", "count"),
    ("aov", "money"),
    ("active_sharers", "count"),
    ("new_sharers", "count"),
]
_GET: dict[str, Callable[[SalesDay], int | Decimal | None]] = {
    "gmv": lambda s: s.gmv_fen,
    "valid_sales": lambda s: s.valid_fen,
    "refund_rate": lambda s: s.refund_rate,
    "orders": lambda s: s.orders,
    "customers": lambda s: s.customers,
    "aov": lambda s: s.aov_fen,
    "active_sharers": lambda s: s.active_sharers,
    "new_sharers": lambda s: s.new_sharers,
}


@dataclass(frozen=True, slots=True)
class Figure:
    metric: str
    kind: str
    value: int | Decimal | None
    previous: int | Decimal | None
    average: Decimal | None  # over the days before that had a value

    def change(self, base: int | Decimal | None) -> Decimal | None:
        """Relative change against `base` (None when either is missing or the base is 0);
        rates compare in percentage points instead, as a fraction."""
        if self.value is None or base is None:
            return None
        if self.kind == "rate":
            return Decimal(self.value) - Decimal(base)
        return None if base == 0 else (Decimal(self.value) - Decimal(base)) / Decimal(base)


def average(values: list[int | Decimal | None]) -> Decimal | None:
    known = [Decimal(v) for v in values if v is not None]
    return sum(known, Decimal(0)) / len(known) if known else None


def figures(data: DigestData) -> list[Figure]:
    week = data.week()
    out = []
    for metric, kind in METRICS:
        get = _GET[metric]
        out.append(
            Figure(metric, kind, get(data.today), get(data.before), average([get(s) for s in week]))
        )
    return out


# --- alerts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alert:
    code: str  # refund_rate | sales_drop | activity_drop | overdue_pile
    params: Mapping[str, object]


def alerts(data: DigestData, thresholds: Mapping[str, Decimal | int]) -> list[Alert]:
    """What crossed its threshold (KPI_FILE's [alerts]; a key missing there is not checked)."""
    out: list[Alert] = []
    day, week = data.today, data.week()
    rate, limit = day.refund_rate, thresholds.get("refund_rate")
    enough = day.orders >= int(thresholds.get("min_orders", 0))
    if rate is not None and limit is not None and enough and rate > Decimal(limit):
        out.append(Alert("refund_rate", {"rate": rate, "limit": Decimal(limit)}))
    for code, value in (("sales_drop", day.valid_fen), ("activity_drop", day.active_sharers)):
        avg = average([_GET[_METRIC_OF[code]](s) for s in week])
        drop = thresholds.get(code)
        if avg and drop is not None and Decimal(value) < avg * (1 - Decimal(drop)):
            out.append(Alert(code, {"value": value, "average": avg, "drop": 1 - value / avg}))
    pile = thresholds.get("overdue_pile")
    if data.pipeline is not None and pile:
        for bd, n in sorted(data.pipeline.overdue.items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= int(pile):
                out.append(Alert("overdue_pile", {"bd": bd, "n": n}))
    few = thresholds.get("live_forwards_min")
    for title, n in data.community.lives or []:
        if few is not None and n < int(few):
            out.append(Alert("live_forwards", {"title": title, "n": n, "min": int(few)}))
    return out


_METRIC_OF = {"sales_drop": "valid_sales", "activity_drop": "active_sharers"}


# --- when it is due -------------------------------------------------------------------------


def due_digest_day(now: datetime, at: time, tz: tzinfo, *, sent_before: bool) -> date | None:
    """The day whose digest should be out by `now`: yesterday's from today's DIGEST_AT on,
    else the day before's (a digest missed while the bot was down, sent once on start — the
    outbox key makes it once). A bot that never sent a digest starts with today's, so a first
    start before DIGEST_AT does not send an old one."""
    local = now.astimezone(tz)
    if local.time() >= at:
        return local.date() - timedelta(days=1)
    return local.date() - timedelta(days=2) if sent_before else None


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, aware."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def ymd(day: date) -> int:
    """The yyyymmdd integer the rollups key days by."""
    return day.year * 10000 + day.month * 100 + day.day


# --- messages -------------------------------------------------------------------------------


def pack(
    sections: list[str], limit: int = MAX_TEXT, more: Callable[[int], str] | None = None
) -> list[str]:
    """Sections (HTML) joined by blank lines into as few messages as fit `limit`; a message
    breaks only between sections, and a section too long on its own is shortened."""
    messages: list[str] = []
    for section in sections:
        section = fit(section, limit, more)
        if messages and visible_len(messages[-1] + "\n\n" + section) <= limit:
            messages[-1] += "\n\n" + section
        else:
            messages.append(section)
    return messages
