from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.money import DomainError
from bot.domain.pipeline import (
    CLOSED_STAGES,
    CODE_EVENTS,
    OPEN_STAGES,
    QUALITY_POOR_EVENTS,
    ChaseAction,
    ChaseSettings,
    ChaseView,
    Event,
    SampleError,
    Stage,
    StageError,
    apply,
    apply_all,
    can_apply,
    check_open_samples,
    code_expires_at,
    code_expiry_warning_at,
    decide_chase,
    first_chase_due,
    is_open,
    next_chase_due,
    open_samples_limit_reached,
    parse_valid_days,
    snooze,
)

S, E = Stage, Event
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)

ALLOWED: dict[tuple[Stage, Event], Stage] = {
    (S.SHIPPED, E.SIGN): S.SIGNED,
    (S.SIGNED, E.VIDEO): S.VIDEO_POSTED,
    (S.RESHOOT_REQUESTED, E.VIDEO): S.VIDEO_POSTED,
    (S.RATED_POOR, E.VIDEO): S.VIDEO_POSTED,
    (S.VIDEO_POSTED, E.RATE_GOOD): S.RATED_GOOD,
    (S.VIDEO_POSTED, E.RATE_POOR): S.RATED_POOR,
    (S.RATED_GOOD, E.RATE_POOR): S.RATED_POOR,
    (S.RATED_POOR, E.RATE_GOOD): S.RATED_GOOD,
    (S.RATED_POOR, E.RESHOOT): S.RESHOOT_REQUESTED,
    (S.RATED_GOOD, E.CODE): S.CODE_RECEIVED,
    (S.CODE_RECEIVED, E.CODE): S.CODE_RECEIVED,
    (S.HANDED_TO_ADS, E.CODE): S.CODE_RECEIVED,
    (S.CODE_RECEIVED, E.HAND_TO_ADS): S.HANDED_TO_ADS,
    (S.HANDED_TO_ADS, E.ADS_REPORTED): S.DONE,
    (S.DONE, E.ADS_REPORTED): S.DONE,
    (S.RATED_GOOD, E.DONE): S.DONE,
    (S.CODE_RECEIVED, E.DONE): S.DONE,
    (S.HANDED_TO_ADS, E.DONE): S.DONE,
    (S.SIGNED, E.NO_SHOW): S.NO_SHOW,
    (S.RESHOOT_REQUESTED, E.NO_SHOW): S.NO_SHOW,
    **{(stage, E.CANCEL): S.CANCELLED for stage in OPEN_STAGES},
}

# The refusal code for every pair not allowed, stage by stage.
REFUSED: dict[Stage, dict[Event, str]] = {
    S.SHIPPED: {
        E.VIDEO: "not_signed",
        E.RATE_GOOD: "not_signed",
        E.RATE_POOR: "not_signed",
        E.RESHOOT: "not_rated_poor",
        E.CODE: "not_signed",
        E.HAND_TO_ADS: "no_code",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.DONE: "not_signed",
        E.NO_SHOW: "not_signed",
    },
    S.SIGNED: {
        E.SIGN: "already_signed",
        E.RATE_GOOD: "no_video",
        E.RATE_POOR: "no_video",
        E.RESHOOT: "not_rated_poor",
        E.CODE: "no_video",
        E.HAND_TO_ADS: "no_code",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.DONE: "no_video",
    },
    S.VIDEO_POSTED: {
        E.SIGN: "already_signed",
        E.VIDEO: "video_exists",
        E.RESHOOT: "not_rated_poor",
        E.CODE: "not_rated_good",
        E.HAND_TO_ADS: "no_code",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.DONE: "not_rated_good",
        E.NO_SHOW: "video_exists",
    },
    S.RATED_GOOD: {
        E.SIGN: "already_signed",
        E.VIDEO: "video_exists",
        E.RATE_GOOD: "already_rated",
        E.RESHOOT: "not_rated_poor",
        E.HAND_TO_ADS: "no_code",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.NO_SHOW: "video_exists",
    },
    S.RATED_POOR: {
        E.SIGN: "already_signed",
        E.RATE_POOR: "already_rated",
        E.CODE: "not_rated_good",
        E.HAND_TO_ADS: "no_code",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.DONE: "not_rated_good",
        E.NO_SHOW: "video_exists",
    },
    S.RESHOOT_REQUESTED: {
        E.SIGN: "already_signed",
        E.RATE_GOOD: "no_video",
        E.RATE_POOR: "no_video",
        E.RESHOOT: "not_rated_poor",
        E.CODE: "no_video",
        E.HAND_TO_ADS: "no_code",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.DONE: "no_video",
    },
    S.CODE_RECEIVED: {
        E.SIGN: "already_signed",
        E.VIDEO: "video_exists",
        E.RATE_GOOD: "code_already_received",
        E.RATE_POOR: "code_already_received",
        E.RESHOOT: "not_rated_poor",
        E.ADS_REPORTED: "not_handed_to_ads",
        E.NO_SHOW: "video_exists",
    },
    S.HANDED_TO_ADS: {
        E.SIGN: "already_signed",
        E.VIDEO: "video_exists",
        E.RATE_GOOD: "code_already_received",
        E.RATE_POOR: "code_already_received",
        E.RESHOOT: "not_rated_poor",
        E.HAND_TO_ADS: "no_code",
        E.NO_SHOW: "video_exists",
    },
    S.DONE: {e: "closed" for e in Event if e is not E.ADS_REPORTED},
    S.NO_SHOW: {e: "closed" for e in Event},
    S.CANCELLED: {e: "closed" for e in Event},
}


def test_tables_cover_every_pair_exactly_once() -> None:
    for stage in Stage:
        for event in Event:
            in_allowed = (stage, event) in ALLOWED
            in_refused = event in REFUSED[stage]
            assert in_allowed != in_refused, (stage, event)


@pytest.mark.parametrize(("pair", "target"), list(ALLOWED.items()), ids=str)
def test_allowed_transition(pair: tuple[Stage, Event], target: Stage) -> None:
    stage, event = pair
    assert apply(stage, event) is target
    assert can_apply(stage, event)


@pytest.mark.parametrize(
    ("stage", "event", "code"),
    [(s, e, code) for s, row in REFUSED.items() for e, code in row.items()],
    ids=str,
)
def test_refused_transition(stage: Stage, event: Event, code: str) -> None:
    assert not can_apply(stage, event)
    with pytest.raises(StageError) as exc:
        apply(stage, event)
    assert exc.value.code == code
    assert exc.value.params == {"stage": stage.value, "event": event.value}
    assert isinstance(exc.value, DomainError)


def test_happy_path() -> None:
    path = [E.SIGN, E.VIDEO, E.RATE_GOOD, *CODE_EVENTS, E.ADS_REPORTED]
    assert apply_all(S.SHIPPED, path) is S.DONE


def test_reshoot_path() -> None:
    stage = apply_all(S.SHIPPED, [E.SIGN, E.VIDEO, *QUALITY_POOR_EVENTS])
    assert stage is S.RESHOOT_REQUESTED
    assert apply_all(stage, [E.VIDEO, E.RATE_GOOD]) is S.RATED_GOOD


def test_apply_all_stops_at_first_refusal() -> None:
    with pytest.raises(StageError) as exc:
        apply_all(S.SHIPPED, [E.SIGN, E.CODE])
    assert exc.value.code == "no_video"


def test_open_and_closed_stages() -> None:
    assert {S.DONE, S.NO_SHOW, S.CANCELLED} == CLOSED_STAGES
    assert set(Stage) == OPEN_STAGES | CLOSED_STAGES
    assert not OPEN_STAGES & CLOSED_STAGES
    assert is_open(S.HANDED_TO_ADS)
    assert not is_open(S.NO_SHOW)


@given(st.sampled_from(sorted(CLOSED_STAGES)), st.lists(st.sampled_from(list(Event))))
def test_a_closed_stage_is_never_left(stage: Stage, events: list[Event]) -> None:
    for event in events:
        try:
            stage = apply(stage, event)
        except StageError as exc:
            assert exc.code == "closed"
        assert stage in CLOSED_STAGES


@given(st.lists(st.sampled_from(list(Event)), max_size=30))
def test_random_walks_only_reach_known_states(events: list[Event]) -> None:
    stage, had_video = S.SHIPPED, False
    for event in events:
        try:
            stage = apply(stage, event)
        except StageError:
            continue
        had_video = had_video or event is E.VIDEO
        if stage in (S.RATED_GOOD, S.CODE_RECEIVED, S.HANDED_TO_ADS):
            assert had_video  # nothing reaches the ads without a video


def test_open_samples_limit() -> None:
    assert not open_samples_limit_reached(2, 3)
    assert open_samples_limit_reached(3, 3)
    check_open_samples(2, 3)
    with pytest.raises(SampleError) as exc:
        check_open_samples(3, 3)
    assert exc.value.code == "too_many_open_samples"
    assert exc.value.params == {"open": 3, "max": 3}


# --- chase schedule ---------------------------------------------------------------------------

SETTINGS = ChaseSettings()  # after 2d, every 2d, 3 chases, urgent 1d


def test_first_chase_due() -> None:
    assert first_chase_due(T0, False, 2 * DAY) == T0 + 2 * DAY
    assert first_chase_due(T0, True, 2 * DAY) == T0 + DAY
    # Urgent is never later than normal, even with a short CHASE_AFTER.
    assert first_chase_due(T0, True, timedelta(hours=6)) == T0 + timedelta(hours=6)
    assert first_chase_due(T0, True, 3 * DAY, urgent_after=timedelta(hours=12)) == T0 + (
        timedelta(hours=12)
    )


def test_next_chase_due() -> None:
    assert next_chase_due(T0, 2 * DAY) == T0 + 2 * DAY


def _view(
    due: datetime | None,
    sent: int = 0,
    *,
    stage: Stage = S.SIGNED,
    last_chase_at: datetime | None = None,
) -> ChaseView:
    return ChaseView(stage, due, sent, last_chase_at)


def test_nothing_before_due() -> None:
    due = first_chase_due(T0, False, SETTINGS.chase_after)
    decision = decide_chase(_view(due), due - timedelta(seconds=1), SETTINGS)
    assert decision.action is ChaseAction.NONE


@pytest.mark.parametrize("stage", [s for s in Stage if s is not S.SIGNED])
def test_nothing_unless_signed(stage: Stage) -> None:
    assert decide_chase(_view(T0, stage=stage), T0 + 9 * DAY, SETTINGS).action is ChaseAction.NONE


def test_nothing_without_due() -> None:
    assert decide_chase(_view(None), T0, SETTINGS).action is ChaseAction.NONE


def test_full_chase_sequence_then_no_show() -> None:
    """Signed at T0: reminders at +2d, +4d, +6d; at +8d the sample is a no-show."""
    view = _view(first_chase_due(T0, False, SETTINGS.chase_after))
    seen = []
    for day in range(1, 12):
        now = T0 + day * DAY
        decision = decide_chase(view, now, SETTINGS)
        if decision.action is ChaseAction.REMIND:
            seen.append((day, decision.number))
            assert decision.next_due_at == now + SETTINGS.chase_every
            view = _view(decision.next_due_at, decision.number)
        elif decision.action is ChaseAction.NO_SHOW:
            seen.append((day, "no_show"))
            break
    assert seen == [(2, 1), (4, 2), (6, 3), (8, "no_show")]


def test_urgent_first_reminder_after_one_day() -> None:
    view = _view(first_chase_due(T0, True, SETTINGS.chase_after))
    assert decide_chase(view, T0 + DAY - timedelta(minutes=1), SETTINGS).action is ChaseAction.NONE
    decision = decide_chase(view, T0 + DAY, SETTINGS)
    assert (decision.action, decision.number) == (ChaseAction.REMIND, 1)


def test_on_time_scan_keeps_the_grid() -> None:
    due = T0 + 2 * DAY
    decision = decide_chase(_view(due), due + timedelta(minutes=5), SETTINGS)
    assert decision.next_due_at == due + 2 * DAY


def test_late_scan_counts_from_now() -> None:
    due = T0 + 2 * DAY
    late = due + 5 * DAY  # the bot was down
    decision = decide_chase(_view(due), late, SETTINGS)
    assert decision.number == 1
    assert decision.next_due_at == late + 2 * DAY


def test_manual_chase_pushes_the_next_reminder() -> None:
    due = T0 + 2 * DAY
    view = _view(due, last_chase_at=T0 + 1 * DAY + timedelta(hours=12))
    assert decide_chase(view, due, SETTINGS).action is ChaseAction.NONE
    decision = decide_chase(view, T0 + 3 * DAY + timedelta(hours=12), SETTINGS)
    assert decision.action is ChaseAction.REMIND


def test_old_manual_chase_does_not_delay() -> None:
    view = _view(T0 + 4 * DAY, 1, last_chase_at=T0 + DAY)
    assert decide_chase(view, T0 + 4 * DAY, SETTINGS).number == 2


def test_custom_max_chases() -> None:
    settings = ChaseSettings(max_chases=1)
    assert decide_chase(_view(T0, 0), T0, settings).number == 1
    assert decide_chase(_view(T0, 1), T0, settings).action is ChaseAction.NO_SHOW


def test_snooze_repeats_the_same_reminder_tomorrow() -> None:
    view = _view(T0 + 4 * DAY, 1)  # reminder 1 went out at T0+2d
    now = T0 + 2 * DAY + timedelta(hours=1)
    snoozed = snooze(view, 1, now)
    assert snoozed.due_at == now + DAY
    assert snoozed.reminders_sent == 0
    after = _view(snoozed.due_at, snoozed.reminders_sent)
    assert decide_chase(after, now + timedelta(hours=23), SETTINGS).action is ChaseAction.NONE
    assert decide_chase(after, now + DAY, SETTINGS).number == 1


def test_snooze_never_leads_to_no_show_by_itself() -> None:
    view = _view(T0, 3)  # the last reminder went out
    snoozed = snooze(view, 3, T0)
    decision = decide_chase(_view(snoozed.due_at, snoozed.reminders_sent), T0 + DAY, SETTINGS)
    assert (decision.action, decision.number) == (ChaseAction.REMIND, 3)


def test_snooze_refusals() -> None:
    with pytest.raises(SampleError) as exc:
        snooze(_view(T0, 1, stage=S.VIDEO_POSTED), 1, T0)
    assert (exc.value.code, exc.value.params) == ("not_chasing", {"stage": "video_posted"})
    with pytest.raises(SampleError) as exc:
        snooze(_view(T0, 0), 1, T0)  # pressed twice
    assert (exc.value.code, exc.value.params) == ("already_snoozed", {"number": 1})
    with pytest.raises(SampleError) as exc:
        snooze(_view(T0, 3), 1, T0)
    assert (exc.value.code, exc.value.params) == ("stale_reminder", {"number": 1, "current": 3})


def test_decide_chase_is_cheap_over_many_rows() -> None:
    views = [_view(T0 + (i % 7) * DAY, i % 4) for i in range(20_000)]
    now = T0 + 3 * DAY
    actions = [decide_chase(v, now, SETTINGS).action for v in views]
    assert actions.count(ChaseAction.NO_SHOW) > 0
    assert actions.count(ChaseAction.REMIND) > 0


# --- authorization code ------------------------------------------------------------------------


def test_code_expiry() -> None:
    assert code_expires_at(T0, 30) == T0 + 30 * DAY
    assert code_expiry_warning_at(T0, 30) == T0 + 27 * DAY
    assert code_expiry_warning_at(T0, 4) == T0 + DAY
    assert code_expiry_warning_at(T0, 3) == T0  # warn at once
    assert code_expiry_warning_at(T0, 1) == T0


@pytest.mark.parametrize("days", [0, -1])
def test_code_expiry_refuses_non_positive(days: int) -> None:
    with pytest.raises(SampleError) as exc:
        code_expiry_warning_at(T0, days)
    assert exc.value.code == "bad_valid_days"


@pytest.mark.parametrize(("text", "days"), [("30", 30), ("30d", 30), ("7天", 7), (" 5 ", 5)])
def test_parse_valid_days(text: str, days: int) -> None:
    assert parse_valid_days(text) == days


@pytest.mark.parametrize("text", ["0", "-3", "abc", "1.5", "", "٣"])
def test_parse_valid_days_refuses(text: str) -> None:
    with pytest.raises(SampleError) as exc:
        parse_valid_days(text)
    assert exc.value.params == {"value": text}
