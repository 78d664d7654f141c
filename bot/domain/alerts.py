"""Alerts between digests (SPEC §5, the playbook's 预警): what cannot wait for tomorrow's
digest. Thresholds come from KPI_FILE's [alerts] (bot/domain/kpi.py); a key missing there is
switched off. Each alert goes once per cause and day: its outbox key names both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from bot.domain.digest import AVERAGE_DAYS, SalesDay

CAUSES = ("refund_rate", "sales_drop", "code_expiry")


@dataclass(frozen=True, slots=True)
class ExpiringCode:
    """A sample whose ads authorization code is still waiting for an ads result."""

    sample_id: int
    owner_id: int
    handle: str
    product: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Alert:
    cause: str  # one of CAUSES
    params: Mapping[str, object] = field(default_factory=dict)
    detail: str = ""  # what makes two alerts of one cause on one day different (a sample)

    def key(self, day: date) -> str:
        """The outbox key: `alert:<cause>:<date>[:<detail>]`, so once per cause and day."""
        key = f"alert:{self.cause}:{day.isoformat()}"
        return f"{key}:{self.detail}" if self.detail else key


def refund_spike(today: SalesDay, thresholds: Mapping[str, Decimal | int]) -> Alert | None:
    """Today's refund rate so far over `refund_rate`, once the day has `min_orders` orders
    (one refund among two orders is no spike)."""
    limit, rate = thresholds.get("refund_rate"), today.refund_rate
    if limit is None or rate is None or today.orders < int(thresholds.get("min_orders", 0)):
        return None
    if rate <= Decimal(limit):
        return None
    return Alert("refund_rate", {"rate": rate, "limit": Decimal(limit), "orders": today.orders})


def day_share(local_now: datetime) -> Decimal:
    """The share of the local day gone by: the part of an average day's sales to expect."""
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    return Decimal((local_now - midnight) // timedelta(minutes=1)) / (24 * 60)


def sales_drop(
    today: SalesDay,
    week: list[SalesDay],
    local_now: datetime,
    thresholds: Mapping[str, Decimal | int],
) -> Alert | None:
    """Today's valid sales so far `sales_drop` under the 7-day average pro-rated to the time
    of day, checked from `sales_check_hour` on. Sales are taken as spread evenly over the day:
    checking mid-afternoon, not in the morning, is what keeps that rough guess fair."""
    drop = thresholds.get("sales_drop")
    if drop is None or local_now.hour < int(thresholds.get("sales_check_hour", 0)):
        return None
    days = (week + [SalesDay()] * AVERAGE_DAYS)[:AVERAGE_DAYS]  # a missing day sold nothing
    average = Decimal(sum(d.valid_fen for d in days)) / AVERAGE_DAYS
    expected = average * day_share(local_now)
    if not expected or Decimal(today.valid_fen) >= expected * (1 - Decimal(drop)):
        return None
    return Alert(
        "sales_drop",
        {
            "value": today.valid_fen,
            "expected": expected,
            "drop": 1 - today.valid_fen / expected,
            "at": local_now,
        },
    )


def expiring_codes(
    codes: list[ExpiringCode], now: datetime, thresholds: Mapping[str, Decimal | int]
) -> list[Alert]:
    """Codes expiring within `code_expiry_days` (and not yet expired) with no ads result,
    soonest first; one alert per sample and day until a result comes or the code lapses."""
    days = thresholds.get("code_expiry_days")
    if days is None:
        return []
    until = now + timedelta(days=int(days))
    due = sorted((c for c in codes if now < c.expires_at <= until), key=_soonest)
    return [
        Alert("code_expiry", {"code": c, "left": c.expires_at - now}, detail=str(c.sample_id))
        for c in due
    ]


def _soonest(code: ExpiringCode) -> tuple[datetime, int]:
    return code.expires_at, code.sample_id


def due_alerts(
    now: datetime,
    local_now: datetime,
    today: SalesDay,
    week: list[SalesDay],
    codes: list[ExpiringCode],
    thresholds: Mapping[str, Decimal | int],
) -> list[Alert]:
    """Every alert that holds now; the outbox keys drop the ones already sent today."""
    found = [refund_spike(today, thresholds), sales_drop(today, week, local_now, thresholds)]
    return [a for a in found if a is not None] + expiring_codes(codes, now, thresholds)
