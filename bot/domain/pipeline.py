"""The sample stage machine and the chase schedule (催视频).

`apply(stage, event)` is the only way a stage changes. Two commands take two steps, so the
resting stage in between stays meaningful:
- `/quality poor` = RATE_POOR then RESHOOT (rated_poor alone means "poor, no reshoot asked").
- `/code` = CODE then HAND_TO_ADS; a sample rests in code_received only when the code could
  not be posted to the ads chat yet (no ads chat registered), and is handed over later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.money import DomainError


class Stage(StrEnum):
    SHIPPED = "shipped"
    SIGNED = "signed"
    VIDEO_POSTED = "video_posted"
    RATED_GOOD = "rated_good"
    RATED_POOR = "rated_poor"
    RESHOOT_REQUESTED = "reshoot_requested"
    CODE_RECEIVED = "code_received"
    HANDED_TO_ADS = "handed_to_ads"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class Event(StrEnum):
    SIGN = "sign"
    VIDEO = "video"
    RATE_GOOD = "rate_good"
    RATE_POOR = "rate_poor"
    RESHOOT = "reshoot"
    CODE = "code"
    HAND_TO_ADS = "hand_to_ads"
    ADS_REPORTED = "ads_reported"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCEL = "cancel"


S, E = Stage, Event
CLOSED_STAGES: frozenset[Stage] = frozenset({S.DONE, S.NO_SHOW, S.CANCELLED})
OPEN_STAGES: frozenset[Stage] = frozenset(Stage) - CLOSED_STAGES
# Stages in which the sample has a (current) video.
VIDEO_STAGES: frozenset[Stage] = frozenset(
    {S.VIDEO_POSTED, S.RATED_GOOD, S.RATED_POOR, S.CODE_RECEIVED, S.HANDED_TO_ADS, S.DONE}
)
QUALITY_POOR_EVENTS: tuple[Event, ...] = (E.RATE_POOR, E.RESHOOT)
CODE_EVENTS: tuple[Event, ...] = (E.CODE, E.HAND_TO_ADS)

_AFTER_SIGNING = (S.SIGNED, *VIDEO_STAGES, S.RESHOOT_REQUESTED)

TRANSITIONS: dict[tuple[Stage, Event], Stage] = {
    (S.SHIPPED, E.SIGN): S.SIGNED,
    (S.SIGNED, E.VIDEO): S.VIDEO_POSTED,
    (S.RESHOOT_REQUESTED, E.VIDEO): S.VIDEO_POSTED,
    # A creator may reshoot unasked after a poor rating.
    (S.RATED_POOR, E.VIDEO): S.VIDEO_POSTED,
    (S.VIDEO_POSTED, E.RATE_GOOD): S.RATED_GOOD,
    (S.VIDEO_POSTED, E.RATE_POOR): S.RATED_POOR,
    # Re-rating corrects a mistaken /quality before any code exists.
    (S.RATED_GOOD, E.RATE_POOR): S.RATED_POOR,
    (S.RATED_POOR, E.RATE_GOOD): S.RATED_GOOD,
    (S.RATED_POOR, E.RESHOOT): S.RESHOOT_REQUESTED,
    (S.RATED_GOOD, E.CODE): S.CODE_RECEIVED,
    # A replacement code (the first expired) goes through the hand-over again.
    (S.CODE_RECEIVED, E.CODE): S.CODE_RECEIVED,
    (S.HANDED_TO_ADS, E.CODE): S.CODE_RECEIVED,
    (S.CODE_RECEIVED, E.HAND_TO_ADS): S.HANDED_TO_ADS,
    # The first ads report completes the collaboration; later reports update the figures.
    (S.HANDED_TO_ADS, E.ADS_REPORTED): S.DONE,
    (S.DONE, E.ADS_REPORTED): S.DONE,
    # Closing by hand needs a good video: the brand may decide not to promote it.
    (S.RATED_GOOD, E.DONE): S.DONE,
    (S.CODE_RECEIVED, E.DONE): S.DONE,
    (S.HANDED_TO_ADS, E.DONE): S.DONE,
    (S.SIGNED, E.NO_SHOW): S.NO_SHOW,
    (S.RESHOOT_REQUESTED, E.NO_SHOW): S.NO_SHOW,
    **{(stage, E.CANCEL): S.CANCELLED for stage in OPEN_STAGES},
}


class StageError(DomainError):
    """An event not allowed in a stage; params always carry `stage` and `event`.

    Codes: closed, already_signed, not_signed, no_video, video_exists, already_rated,
    code_already_received, not_rated_good, not_rated_poor, no_code, not_handed_to_ads.
    """


class SampleError(DomainError):
    """Codes: too_many_open_samples (open, max); not_chasing (stage); already_snoozed (number);
    stale_reminder (number, current); bad_valid_days (value)."""


def _refusal_code(stage: Stage, event: Event) -> str:
    if stage in CLOSED_STAGES:
        return "closed"
    if event is E.SIGN:
        return "already_signed"
    if stage is S.SHIPPED and event in (
        E.VIDEO,
        E.RATE_GOOD,
        E.RATE_POOR,
        E.CODE,
        E.DONE,
        E.NO_SHOW,
    ):
        return "not_signed"
    if event in (E.RATE_GOOD, E.RATE_POOR, E.CODE, E.DONE) and stage in (
        S.SIGNED,
        S.RESHOOT_REQUESTED,
    ):
        return "no_video"
    if event in (E.VIDEO, E.NO_SHOW):
        return "video_exists"
    if event in (E.RATE_GOOD, E.RATE_POOR):
        return "already_rated" if stage in (S.RATED_GOOD, S.RATED_POOR) else "code_already_received"
    if event in (E.CODE, E.DONE):
        return "not_rated_good"
    if event is E.RESHOOT:
        return "not_rated_poor"
    if event is E.HAND_TO_ADS:
        return "no_code"
    if event is E.ADS_REPORTED:
        return "not_handed_to_ads"
    return "not_allowed"  # pragma: no cover - every pair is covered above


def apply(stage: Stage, event: Event) -> Stage:
    try:
        return TRANSITIONS[(stage, event)]
    except KeyError:
        code = _refusal_code(stage, event)
        raise StageError(code, stage=stage.value, event=event.value) from None


def apply_all(stage: Stage, events: Iterable[Event]) -> Stage:
    for event in events:
        stage = apply(stage, event)
    return stage


def can_apply(stage: Stage, event: Event) -> bool:
    return (stage, event) in TRANSITIONS


def is_open(stage: Stage) -> bool:
    return stage in OPEN_STAGES


def open_samples_limit_reached(open_count: int, max_open: int) -> bool:
    return open_count >= max_open


def check_open_samples(open_count: int, max_open: int) -> None:
    """Refuse a new /sample when the BD already holds `max_open` unfinished ones."""
    if open_samples_limit_reached(open_count, max_open):
        raise SampleError("too_many_open_samples", open=open_count, max=max_open)


# --- chase schedule -------------------------------------------------------------------------

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ChaseSettings:
    chase_after: timedelta = 2 * DAY
    chase_every: timedelta = 2 * DAY
    max_chases: int = 3
    urgent_after: timedelta = DAY


@dataclass(frozen=True, slots=True)
class ChaseView:
    """What the chase scan reads per sample.

    `due_at` is the stored next due time (set at signing, advanced on each reminder);
    `reminders_sent` counts the bot's chase rounds, which is what MAX_CHASES limits;
    `last_chase_at` is the latest chase the BD logged (button or /chased).
    """

    stage: Stage
    due_at: datetime | None
    reminders_sent: int = 0
    last_chase_at: datetime | None = None


class ChaseAction(StrEnum):
    NONE = "none"
    REMIND = "remind"
    NO_SHOW = "no_show"


@dataclass(frozen=True, slots=True)
class ChaseDecision:
    action: ChaseAction
    number: int = 0  # 1-based number of this reminder (REMIND only)
    next_due_at: datetime | None = None  # store with reminders_sent = number (REMIND only)


NOTHING = ChaseDecision(ChaseAction.NONE)
MARK_NO_SHOW = ChaseDecision(ChaseAction.NO_SHOW)


def first_chase_due(
    signed_at: datetime, urgent: bool, chase_after: timedelta, urgent_after: timedelta = DAY
) -> datetime:
    # Urgent never waits longer than a normal sample, even if CHASE_AFTER is set below a day.
    return signed_at + (min(urgent_after, chase_after) if urgent else chase_after)


def next_chase_due(previous_due_or_last_chase: datetime, chase_every: timedelta) -> datetime:
    return previous_due_or_last_chase + chase_every


def is_overdue(chase_due_at: datetime | None, reminders_sent: int, now: datetime) -> bool:
    """A sample is overdue while it waits for a video and a chase has fallen due (or a reminder
    went out already). The one definition: storage.creators.OVERDUE_SQL is this as a query."""
    return chase_due_at is not None and (chase_due_at <= now or reminders_sent > 0)


def effective_due(view: ChaseView, chase_every: timedelta) -> datetime | None:
    """The due time, pushed back when the BD chased by hand after the last reminder."""
    due = view.due_at
    if due is None or view.last_chase_at is None:
        return due
    return max(due, next_chase_due(view.last_chase_at, chase_every))


def decide_chase(view: ChaseView, now: datetime, settings: ChaseSettings) -> ChaseDecision:
    """Remind, mark no_show, or nothing, for one sample. O(1), no allocation when idle."""
    if view.stage is not S.SIGNED or view.due_at is None:
        return NOTHING
    due = effective_due(view, settings.chase_every)
    assert due is not None
    if now < due:
        return NOTHING
    if view.reminders_sent >= settings.max_chases:
        return MARK_NO_SHOW
    # On time: keep the grid (due + every). Late (the bot was down): count from now, so a
    # backlog does not fire one reminder per scan.
    base = due if now - due < settings.chase_every else now
    return ChaseDecision(
        ChaseAction.REMIND,
        number=view.reminders_sent + 1,
        next_due_at=next_chase_due(base, settings.chase_every),
    )


@dataclass(frozen=True, slots=True)
class Snoozed:
    due_at: datetime
    reminders_sent: int


def snooze(view: ChaseView, number: int, now: datetime, by: timedelta = DAY) -> Snoozed:
    """[Snooze 1 day] on reminder `number`: it comes back `by` from now with the same number.

    The snoozed round is not counted towards MAX_CHASES, so snoozing never turns into a
    no_show by surprise. `number` comes from the button, which makes a second press harmless.
    Refusals: `not_chasing` (stage), `already_snoozed` (number), `stale_reminder`
    (number, current) for a button under an older reminder.
    """
    if view.stage is not S.SIGNED:
        raise SampleError("not_chasing", stage=view.stage.value)
    if number == view.reminders_sent + 1:
        raise SampleError("already_snoozed", number=number)
    if number != view.reminders_sent:
        raise SampleError("stale_reminder", number=number, current=view.reminders_sent)
    return Snoozed(due_at=now + by, reminders_sent=number - 1)


# --- authorization code validity -------------------------------------------------------------

CODE_WARN_BEFORE = timedelta(days=3)


def code_expires_at(received_at: datetime, valid_days: int) -> datetime:
    if valid_days <= 0:
        raise SampleError("bad_valid_days", value=valid_days)
    return received_at + timedelta(days=valid_days)


def code_expiry_warning_at(
    received_at: datetime, valid_days: int, warn_before: timedelta = CODE_WARN_BEFORE
) -> datetime:
    """When to warn the BD and the ads chat; at once if the code lives 3 days or less."""
    return max(received_at, code_expires_at(received_at, valid_days) - warn_before)


# An authorization code valid for more than ten years is a typo.
MAX_VALID_DAYS = 3650


def parse_valid_days(text: str) -> int:
    stripped = text.strip().lower().removesuffix("d").removesuffix("天")
    ok = stripped.isascii() and stripped.isdigit() and len(stripped) <= 5
    if not ok or not 0 < int(stripped) <= MAX_VALID_DAYS:
        raise SampleError("bad_valid_days", value=text)
    return int(stripped)
