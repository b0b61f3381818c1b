"""The campaign's pure rules: the life cycle, the tasks a contact creates and their due times, progress."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weimin.campaign import rules
from weimin.campaign.rules import Direction, EventKind, Outcome, Purpose, Status, TaskKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_life_cycle_with_a_breach_and_re_signing():
    events = [EventKind.REGISTERED, EventKind.CONTACTED, EventKind.SIGNED, EventKind.BREACHED,
              EventKind.RENEGOTIATING, EventKind.SIGNED, EventKind.MOVED_OUT, EventKind.DEMOLISHED]  # fmt: skip
    assert rules.replay(events) == Status.DEMOLISHED
    assert rules.replay(events[:4]) == Status.BREACHED


@pytest.mark.parametrize(
    ("events", "bad"),
    [
        ([EventKind.REGISTERED, EventKind.SIGNED], EventKind.SIGNED),  # never negotiated
        ([EventKind.REGISTERED, EventKind.CONTACTED, EventKind.MOVED_OUT], EventKind.MOVED_OUT),
        (
            [EventKind.REGISTERED, EventKind.CONTACTED, EventKind.SIGNED, EventKind.BREACHED, EventKind.SIGNED],
            EventKind.SIGNED,
        ),  # a breach is left only by re-negotiation
        ([EventKind.CONTACTED], EventKind.CONTACTED),
    ],
)
def test_illegal_steps_are_refused(events, bad):
    with pytest.raises(rules.IllegalTransition) as refused:
        rules.replay(events)
    assert refused.value.kind == bad


def test_the_event_for_a_wanted_status():
    assert rules.event_for(Status.BREACHED, Status.NEGOTIATING) == EventKind.RENEGOTIATING
    assert rules.event_for(Status.NOT_CONTACTED, Status.NEGOTIATING) == EventKind.CONTACTED
    assert rules.event_for(Status.SIGNED, Status.BREACHED) == EventKind.BREACHED
    with pytest.raises(rules.IllegalTransition):
        rules.event_for(Status.NEGOTIATING, Status.NOT_CONTACTED)


@pytest.mark.parametrize(
    ("direction", "outcome", "purpose", "task"),
    [
        (Direction.IN, Outcome.MISSED, Purpose.NEGOTIATION, TaskKind.CALLBACK),
        (Direction.IN, Outcome.MISSED, Purpose.OTHER, TaskKind.CALLBACK),
        (Direction.IN, Outcome.ANSWERED, Purpose.NEGOTIATION, TaskKind.VISIT),
        (Direction.IN, Outcome.ANSWERED, Purpose.ENQUIRY, None),
        (Direction.OUT, Outcome.MISSED, Purpose.NEGOTIATION, None),
        (Direction.OUT, Outcome.ANSWERED, Purpose.NEGOTIATION, None),
    ],
)
def test_what_a_contact_asks_of_the_team(direction, outcome, purpose, task):
    assert rules.task_for(direction, outcome, purpose) == task


def test_due_times():
    at = datetime(2017, 12, 8, 18, 30, tzinfo=SHANGHAI)
    assert rules.callback_due(at, 60) == datetime(2017, 12, 8, 19, 30, tzinfo=SHANGHAI)
    assert rules.visit_due(at, 0) == datetime(2017, 12, 8, 23, 59, 59, tzinfo=SHANGHAI)
    assert rules.visit_due(at, 1) == datetime(2017, 12, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert rules.is_overdue(at, None, datetime(2017, 12, 8, 18, 31, tzinfo=SHANGHAI))
    assert not rules.is_overdue(at, at, datetime(2017, 12, 9, tzinfo=SHANGHAI))


def test_progress_arithmetic():
    H = rules.Household  # noqa: N806
    households = [H(Status.DEMOLISHED, Decimal(300)), H(Status.MOVED_OUT, Decimal(200)), H(Status.SIGNED, Decimal(100)),
                  H(Status.BREACHED, Decimal(150)), H(Status.NEGOTIATING, Decimal(250))]  # fmt: skip
    figures = rules.progress(households, Decimal(1500), date(2017, 12, 8), date(2017, 12, 31))
    assert figures.cleared_area == 500
    assert figures.signing_rate_households == 0.6  # 3 of 5: the breach does not count
    assert figures.signing_rate_area == 0.6  # 600 of 1000 m²
    assert figures.days_left == 24  # 8 December to 31 December, both counted
    assert figures.required_daily == Decimal("41.67")  # 1000 m² left over 24 days
    assert figures.households == {"not_contacted": 0, "negotiating": 1, "signed": 1, "moved_out": 1,
                                  "demolished": 1, "breached": 1}  # fmt: skip
    late = rules.progress(households, Decimal(1500), date(2018, 1, 2), date(2017, 12, 31))
    assert late.days_left == 0 and late.required_daily == Decimal(1000)
    done = rules.progress([H(Status.DEMOLISHED, Decimal(2000))], Decimal(1500), date(2017, 12, 8), date(2017, 12, 31))
    assert done.required_daily == 0
    assert rules.progress([], Decimal(10), date(2017, 12, 8), date(2017, 12, 31)).signing_rate_households == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Status)), st.integers(1, 5000)), max_size=30))
def test_rates_are_shares_and_cleared_is_part_of_signed(rows):
    figures = rules.progress([rules.Household(s, Decimal(a)) for s, a in rows], Decimal(10**5), date(2017, 12, 8),
                             date(2017, 12, 31))  # fmt: skip
    assert 0 <= figures.signing_rate_households <= 1 and 0 <= figures.signing_rate_area <= 1
    assert figures.cleared_area <= figures.signed_area <= figures.total_area
    assert sum(figures.households.values()) == len(rows)


def test_burn_down_runs_from_the_target_to_zero():
    rows = rules.burn_down({date(2017, 11, 7): Decimal(100)}, Decimal(1000), date(2017, 11, 6), date(2017, 11, 8),
                           date(2017, 11, 16))  # fmt: skip
    assert rows[0] == (date(2017, 11, 6), Decimal(1000), Decimal("1000.00"))
    assert rows[1][1] == 900 and rows[2][1] == 900 and rows[3][1] is None
    assert rows[-1] == (date(2017, 11, 16), None, Decimal("0.00"))


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("13800138000", "13800138000"), ("138-0013-8000", "13800138000"), ("+86 138 0013 8000", "13800138000"),
     ("008613800138000", "13800138000"), ("0755-8888-1234", "075588881234"), ("", "")],
)  # fmt: skip
def test_a_phone_is_kept_and_matched_as_its_digits(typed, kept):
    assert rules.dialled(typed) == kept
