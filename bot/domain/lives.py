"""Live-stream forwarding (SPEC §4): when a live happens and which message each date is owed.

A live is one date (`/live 2026-11-22 20:00 …`) or a weekly series (`/live every mon,wed,fri
20:00 …`). Each date goes through three posts in the sharers' group — the announcement, the
reminder `remind_before` ahead, the start message with the [Forwarded] button — and a date
remembers the last one it got (`Step`), so a tick after a restart sends what is due and no more.

Choices where the spec is silent:
- A date created inside the reminder window is announced only: the reminder would repeat it.
- A post that comes due while the bot is down is skipped once a later one is due: a reminder
  after the start, or a "we are live" an hour into the live, helps nobody.
- The later dates of a series are announced on the day at 10:00, or at 20:00 the evening
  before for a live that starts before noon (`announce_at`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.domain.money import DomainError

# A start message sent later than this after the start is not sent at all.
LATE_AFTER = timedelta(hours=1)
# How far ahead a series is shown by /lives and may be cancelled date by date.
HORIZON_DAYS = 366
MAX_TITLE = 100
MAX_LINK = 512

_DAYS = [
    ("mon", "monday", "一"),
    ("tue", "tuesday", "二"),
    ("wed", "wednesday", "三"),
    ("thu", "thursday", "四"),
    ("fri", "friday", "五"),
    ("sat", "saturday", "六"),
    ("sun", "sunday", "日"),
]
WEEKDAYS: dict[str, int] = {}
for _number, (_short, _long, _zh) in enumerate(_DAYS):
    WEEKDAYS[_short] = WEEKDAYS[_long] = _number
    for _prefix in ("周", "週", "星期", "礼拜", "禮拜"):
        WEEKDAYS[_prefix + _zh] = _number
for _prefix in ("周", "週", "星期", "礼拜", "禮拜"):
    WEEKDAYS[_prefix + "天"] = 6
WEEKDAYS |= {"tues": 1, "thur": 3, "thurs": 3}
# Every day of the week, for `/live every daily 20:00 …`.
ALL_DAYS = ("daily", "everyday", "每天", "每日")
_SEPARATORS = re.compile(r"[,，、/]+")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")
_SPAN = re.compile(r"(\d{1,5})([dhm])")
RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "今天": 0, "明天": 1, "后天": 2, "後天": 2}


class LiveError(DomainError):
    """Codes: bad_live_time, bad_live_date, live_in_past, too_far, bad_weekdays, bad_link,
    no_title, long_title."""


class Step(IntEnum):
    """The last post a date got; the next one follows in this order."""

    NONE = 0
    ANNOUNCED = 1
    REMINDED = 2
    STARTED = 3


@dataclass(frozen=True, slots=True)
class Schedule:
    """One date (`once`, aware) or a weekly series (`weekdays` 0=Monday, local `at`)."""

    once: datetime | None = None
    weekdays: tuple[int, ...] = ()
    at: time | None = None

    @property
    def recurring(self) -> bool:
        return self.once is None


@dataclass(frozen=True, slots=True)
class LiveRequest:
    schedule: Schedule
    link: str
    title: str


def parse_date(text: str) -> date:
    match = _DATE.match(text.strip())
    if not match:
        raise LiveError("bad_live_date", value=text)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise LiveError("bad_live_date", value=text) from None


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise LiveError("bad_live_time", value=text)
    return time(int(match[1]), int(match[2]))


def parse_weekdays(text: str) -> tuple[int, ...]:
    """`mon,wed,fri`, `周一、周三`, `星期五`, `daily` → sorted weekday numbers (0=Monday)."""
    words = [w for w in _SEPARATORS.split(text.strip().lower()) if w]
    if len(words) == 1 and words[0] in ALL_DAYS:
        return tuple(range(7))
    unknown = [w for w in words if w not in WEEKDAYS]
    if not words or unknown:
        raise LiveError("bad_weekdays", value=", ".join(unknown) or text)
    return tuple(sorted({WEEKDAYS[w] for w in words}))


def parse_link(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(text) > MAX_LINK:
        raise LiveError("bad_link", value=text)
    return text


def parse_live(args: list[str], now: datetime, tz: ZoneInfo) -> LiveRequest:
    """`<YYYY-MM-DD> <HH:MM> <link> <title…>` (also `today 20:00`, `in 40m`) or
    `every <days> <HH:MM> <link> <title…>`."""
    if args and args[0].lower() in ("every", "每周", "每週"):
        if len(args) < 3:
            raise LiveError("bad_weekdays" if len(args) < 2 else "bad_live_time", value="")
        schedule = Schedule(weekdays=parse_weekdays(args[1]), at=parse_time(args[2]))
        rest = args[3:]
    else:
        if len(args) < 2:
            raise LiveError("bad_live_time", value=" ".join(args))
        start = parse_in(args[1], now) if args[0].lower() == "in" else None
        schedule = Schedule(once=start or parse_start(args[0], args[1], now, tz))
        rest = args[2:]
    if not rest:
        raise LiveError("bad_link", value="")
    link = parse_link(rest[0])
    title = " ".join(rest[1:]).strip()
    if not title:
        raise LiveError("no_title")
    if len(title) > MAX_TITLE:
        raise LiveError("long_title", max=MAX_TITLE)
    return LiveRequest(schedule, link, title)


def parse_start(day_text: str, time_text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """A one-off start (local date — or today, tomorrow — and time) as an aware UTC moment,
    in the future."""
    when = f"{day_text} {time_text}"
    today = now.astimezone(tz).date()
    relative = RELATIVE_DAYS.get(day_text.strip().lower())
    try:
        day = today + timedelta(days=relative) if relative is not None else parse_date(day_text)
        start = datetime.combine(day, parse_time(time_text), tzinfo=tz)
    except LiveError:
        raise LiveError("bad_live_time", value=when) from None
    return _ahead(start.astimezone(UTC), now, when)


def parse_in(text: str, now: datetime) -> datetime:
    """`in 40m`, `in 1h30m`: a start that close ahead."""
    parts = _SPAN.findall(text.lower())
    if not parts or _SPAN.sub("", text.lower()):
        raise LiveError("bad_live_time", value=f"in {text}")
    minutes = sum(int(n) * {"d": 1440, "h": 60, "m": 1}[unit] for n, unit in parts)
    return _ahead(now + timedelta(minutes=minutes), now, f"in {text}")


def _ahead(start: datetime, now: datetime, when: str) -> datetime:
    if start <= now:
        raise LiveError("live_in_past", value=when)
    if start - now > timedelta(days=HORIZON_DAYS):
        raise LiveError("too_far", value=when, days=HORIZON_DAYS)
    return start


def local_start(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_start(schedule: Schedule, after: datetime, tz: ZoneInfo) -> datetime | None:
    """The series' first start strictly after `after` (a one-off: its start, if later)."""
    if schedule.once is not None:
        return schedule.once if schedule.once > after else None
    assert schedule.at is not None
    first = after.astimezone(tz).date()
    for offset in range(8):
        day = first + timedelta(days=offset)
        if day.weekday() in schedule.weekdays:
            start = local_start(day, schedule.at, tz)
            if start > after:
                return start
    return None


def starts_between(
    schedule: Schedule, after: datetime, until: datetime, tz: ZoneInfo
) -> list[datetime]:
    found = []
    moment = next_start(schedule, after, tz)
    while moment is not None and moment <= until:
        found.append(moment)
        moment = next_start(schedule, moment, tz)
    return found


def start_on(schedule: Schedule, day: date, tz: ZoneInfo) -> datetime | None:
    """The start on this local day, if the live has one then."""
    if schedule.once is not None:
        return schedule.once if schedule.once.astimezone(tz).date() == day else None
    assert schedule.at is not None
    return local_start(day, schedule.at, tz) if day.weekday() in schedule.weekdays else None


def announce_at(start: datetime, tz: ZoneInfo) -> datetime:
    """When a later date of a series is announced: on the day at 10:00, or the evening before
    at 20:00 for a live that starts before noon."""
    local = start.astimezone(tz)
    if local.time() >= time(12, 0):
        return local_start(local.date(), time(10, 0), tz)
    return local_start(local.date() - timedelta(days=1), time(20, 0), tz)


def first_step(start: datetime, now: datetime, remind_before: timedelta) -> Step:
    """The step a date reaches with its announcement at creation: inside the reminder window
    the announcement stands for the reminder too."""
    return Step.REMINDED if start - now <= remind_before else Step.ANNOUNCED


@dataclass(frozen=True, slots=True)
class Due:
    send: Step | None  # the post to send now (None: nothing, or only a skip)
    reached: Step  # the step the date is at afterwards


def due(
    done: Step, start: datetime, now: datetime, remind_before: timedelta, announce: datetime
) -> Due:
    """What a date is owed at `now`: the latest post that is due, skipping stale earlier ones."""
    if done >= Step.STARTED:
        return Due(None, done)
    if now >= start + LATE_AFTER:
        return Due(None, Step.STARTED)
    if now >= start:
        return Due(Step.STARTED, Step.STARTED)
    if now >= start - remind_before:
        return Due(Step.REMINDED, Step.REMINDED) if done < Step.REMINDED else Due(None, done)
    if now >= announce and done < Step.ANNOUNCED:
        return Due(Step.ANNOUNCED, Step.ANNOUNCED)
    return Due(None, done)


def next_due(
    done: Step, start: datetime, remind_before: timedelta, announce: datetime
) -> datetime | None:
    """When the date is owed its next post (None: it has had them all)."""
    if done >= Step.STARTED:
        return None
    if done >= Step.REMINDED:
        return start
    if done >= Step.ANNOUNCED:
        return start - remind_before
    return min(announce, start - remind_before)


# Outbox keys: derived from the live and its date, so a post is queued once whatever reruns.
_KIND = {Step.ANNOUNCED: "announce", Step.REMINDED: "remind", Step.STARTED: "start"}


def live_prefix(live_id: int) -> str:
    return f"live:{live_id}:"


def date_prefix(live_id: int, start: datetime) -> str:
    return f"{live_prefix(live_id)}{start.astimezone(UTC):%Y%m%dT%H%M}:"


def message_key(live_id: int, start: datetime, step: Step) -> str:
    return date_prefix(live_id, start) + _KIND[step]


def cancel_key(live_id: int, start: datetime | None = None) -> str:
    """The notice that a live (or one date of it) is off; outside the live's own prefix, so
    that cancelling the live's queued posts does not withdraw it."""
    return (
        f"livecancel:{live_id}:{start.astimezone(UTC):%Y%m%dT%H%M}"
        if start
        else f"livecancel:{live_id}"
    )


@dataclass(frozen=True, slots=True)
class Owed:
    send: Step | None  # the post to queue now
    reached: Step  # the step the date is at afterwards
    next_at: datetime | None  # when it is owed the next one


def owed(done: Step, start: datetime, now: datetime, remind: timedelta, tz: ZoneInfo) -> Owed:
    """`due` and `next_due` together, with the series' announcement time."""
    announce = announce_at(start, tz)
    plan = due(done, start, now, remind, announce)
    return Owed(plan.send, plan.reached, next_due(plan.reached, start, remind, announce))


def opening(start: datetime, now: datetime, remind: timedelta, tz: ZoneInfo) -> Owed:
    """The first date of a new live: announced at once (`first_step`)."""
    step = first_step(start, now, remind)
    return Owed(Step.ANNOUNCED, step, next_due(step, start, remind, announce_at(start, tz)))


def next_date(
    schedule: Schedule, now: datetime, skipped: set[datetime], tz: ZoneInfo
) -> datetime | None:
    """A series' next start after `now` that was not cancelled."""
    start = next_start(schedule, now, tz)
    for _ in range(HORIZON_DAYS):
        if start is None or start not in skipped:
            return start
        start = next_start(schedule, start, tz)
    return None


class EditThrottle:
    """At most one edit of a message per `gap` seconds; presses in between share one later edit.

    `press` answers: 0 (edit now), a positive wait (schedule one edit that far ahead, then call
    `edited`) or None (an edit is scheduled already and will show the latest count).
    """

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self._last: dict[object, float] = {}
        self._pending: set[object] = set()

    def press(self, key: object, now: float) -> float | None:
        if key in self._pending:
            return None
        wait = self._last.get(key, float("-inf")) + self.gap - now
        if wait > 0:
            self._pending.add(key)
            return wait
        self._last[key] = now
        if len(self._last) > 1000:  # forget messages long quiet
            self._last = {k: v for k, v in self._last.items() if now - v < self.gap}
        return 0.0

    def edited(self, key: object, now: float) -> None:
        self._pending.discard(key)
        self._last[key] = now
