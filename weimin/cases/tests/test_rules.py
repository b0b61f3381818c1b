from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.calendars.rules import status_from_package
from weimin.cases.rules import (
    ACCEPTED_STATUSES,
    HELD_STATUSES,
    RATABLE_STATUSES,
    CheckedMaterial,
    Decision,
    DecisionNotAllowed,
    EventKind,
    IllegalTransition,
    MaterialState,
    Status,
    after,
    allowed_decision,
    due_date,
    event_code,
    may_follow,
    replay,
)
from weimin.core.identity import CREDIT_CHARSET, InvalidCreditCode, credit_check_char, parse_credit_code

PRESENT, MISSING, BAD = MaterialState.PRESENT, MaterialState.MISSING, MaterialState.NON_COMPLIANT


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "9144030071526726XG"])
def test_published_credit_codes(code):
    assert parse_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "^check$"),
        ("91350100M000100Y4", "length=17"),
        ("91350100M0001O0Y43", "characters, chars=O"),
        ("913A0100M000100Y43", "area_code"),
    ],
)
def test_bad_credit_codes_say_why(code, reason):
    with pytest.raises(InvalidCreditCode, match=reason):
        parse_credit_code(code)


@given(st.text(alphabet=CREDIT_CHARSET, min_size=9, max_size=9), st.integers(110000, 659999), st.sampled_from("9159"))
def test_generated_credit_codes_and_single_changes(organisation, area, authority):
    first17 = f"{authority}1{area}{organisation}"
    code = first17 + credit_check_char(first17)
    assert parse_credit_code(code) == code
    wrong = next(c for c in CREDIT_CHARSET if c != code[17])
    with pytest.raises(InvalidCreditCode):
        parse_credit_code(code[:17] + wrong)


def line(state, required=True, tolerance=False):
    return CheckedMaterial(1, required, tolerance, state)


@pytest.mark.parametrize(
    ("lines", "decision", "promise", "allowed"),
    [
        ([line(PRESENT)], Decision.ACCEPT, False, True),
        ([line(PRESENT), line(MISSING, required=False)], Decision.ACCEPT, False, True),
        ([line(MISSING)], Decision.ACCEPT, False, False),
        ([line(PRESENT, required=False), line(BAD, required=False)], Decision.ACCEPT, False, False),
        ([line(MISSING, tolerance=True)], Decision.ACCEPT_ON_PROMISE, True, True),
        ([line(MISSING, tolerance=True)], Decision.ACCEPT_ON_PROMISE, False, False),  # no signed promise
        ([line(MISSING)], Decision.ACCEPT_ON_PROMISE, True, False),  # not 容缺-eligible
        ([line(BAD, tolerance=True)], Decision.ACCEPT_ON_PROMISE, True, False),  # wrong, not missing
        ([line(PRESENT)], Decision.ACCEPT_ON_PROMISE, True, False),  # nothing to promise
        ([line(MISSING)], Decision.CORRECTION, False, True),
        ([line(PRESENT)], Decision.CORRECTION, False, False),
        ([line(PRESENT)], Decision.REFUSE, False, True),
    ],
)
def test_decision_at_the_window(lines, decision, promise, allowed):
    if allowed:
        assert allowed_decision(lines, decision, promise_signed=promise) == decision
    else:
        with pytest.raises(DecisionNotAllowed):
            allowed_decision(lines, decision, promise_signed=promise)


def working(day):
    return status_from_package(day).is_working_day


def test_due_dates_across_the_national_day_week_and_a_make_up_workday():
    assert due_date(date(2026, 9, 28), 3, working) == date(2026, 10, 8)
    assert due_date(date(2026, 9, 30), 3, working) == date(2026, 10, 10)  # the make-up Saturday counts
    assert due_date(date(2026, 9, 30), 20, working) == date(2026, 11, 3)  # 行政许可法 Art. 42


def test_pauses_move_the_due_date():
    plain = due_date(date(2026, 11, 2), 5, working)
    assert plain == date(2026, 11, 9)
    assert due_date(date(2026, 11, 2), 5, working, [(date(2026, 11, 4), date(2026, 11, 5))]) == date(2026, 11, 11)


# --- the life cycle ---

S, E = Status, EventKind


@pytest.mark.parametrize(
    ("decision", "to"),
    [
        (Decision.ACCEPT, S.PROCESSING),
        (Decision.ACCEPT_ON_PROMISE, S.PROCESSING),
        (Decision.CORRECTION, S.AWAITING_SUPPLEMENT),
        (Decision.REFUSE, S.REFUSED),
    ],
)
def test_the_decision_decides_where_the_case_goes(decision, to):
    assert after(S.INTAKE, E.DECIDED, decision) == to
    assert after(S.AWAITING_SUPPLEMENT, E.DECIDED, decision) == to
    with pytest.raises(IllegalTransition):
        after(S.PROCESSING, E.DECIDED, decision)


def test_the_decided_event_and_no_other_has_a_decision():
    with pytest.raises(ValueError, match="decision"):
        after(S.INTAKE, E.DECIDED)
    with pytest.raises(ValueError, match="decision"):
        after(S.READY, E.DELIVERED, Decision.ACCEPT)


def test_events_that_keep_the_status_are_legal_from_some_statuses_only():
    assert after(S.AWAITING_SUPPLEMENT, E.RESUBMISSION_TICKET) == S.AWAITING_SUPPLEMENT
    assert after(S.READY, E.HANDED_OVER) == S.READY
    assert after(S.PROCESSING, E.PAUSED) == S.PROCESSING
    assert after(S.CONCLUDED, E.RESUMED) == S.CONCLUDED  # a pause started while processing may end later
    for status, kind in [(S.PROCESSING, E.HANDED_OVER), (S.INTAKE, E.RESUBMISSION_TICKET), (S.READY, E.EXTENDED),
                         (S.CONCLUDED, E.PAUSED), (S.DELIVERED, E.SUPPLIED), (None, E.HANDED_OVER)]:  # fmt: skip
        assert not may_follow(status, kind)
        with pytest.raises(IllegalTransition):
            after(status, kind)


def test_a_whole_life_replays_and_a_skipped_step_does_not():
    life = [(E.OPENED, None), (E.DECIDED, Decision.CORRECTION), (E.RESUBMISSION_TICKET, None),
            (E.DECIDED, Decision.ACCEPT_ON_PROMISE), (E.SUPPLIED, None), (E.EXTENDED, None), (E.PAUSED, None),
            (E.RESUMED, None), (E.CONCLUDED, None), (E.READY, None), (E.HANDED_OVER, None),
            (E.DELIVERED, None)]  # fmt: skip
    assert replay(life) == S.DELIVERED
    assert replay([(E.OPENED, None), (E.DECIDED, Decision.ACCEPT), (E.WITHDRAWN, None)]) == S.WITHDRAWN
    with pytest.raises(IllegalTransition, match="opened"):
        replay([(E.DECIDED, Decision.ACCEPT)])
    with pytest.raises(IllegalTransition, match="processing cannot be ready"):
        replay([(E.OPENED, None), (E.DECIDED, Decision.ACCEPT), (E.READY, None)])


def test_the_status_groups():
    assert {S.INTAKE, S.AWAITING_SUPPLEMENT, S.READY} == HELD_STATUSES
    assert {S.CONCLUDED, S.READY, S.DELIVERED, S.REFUSED} == RATABLE_STATUSES
    assert {S.PROCESSING, S.CONCLUDED, S.READY, S.DELIVERED} == ACCEPTED_STATUSES
    assert all(may_follow(status, E.HANDED_OVER) for status in HELD_STATUSES)


@pytest.mark.parametrize(
    ("kind", "detail", "code"),
    [
        (E.OPENED, {"ticket": "B001"}, "opened"),
        (E.DECIDED, {"decision": "accept_on_promise", "notice": "SL1-1"}, "decided:accept_on_promise"),
        (E.CONCLUDED, {"result": "approved"}, "status:concluded"),
        (E.READY, {}, "status:ready"),
        (E.DELIVERED, {"method": "window", "collector": "340524********001X"}, "delivered:window"),
        (E.HANDED_OVER, {"to": None, "reason": "sign_out"}, "handed_over"),
    ],
)
def test_the_history_codes_the_api_shows(kind, detail, code):
    assert event_code(kind, detail) == code


def test_the_migration_converts_every_action_and_back():
    from importlib import import_module

    migration = import_module("weimin.cases.migrations.0004_caseevent_kind_from_action")
    rows = [("opened", {"ticket": "B001"}), ("decided:correction", {"notice": "BZ1-1", "gaps": ["申报表"]}),
            ("status:concluded", {"result": "approved"}), ("status:ready", {"result": ""}),
            ("delivered:post", {"collector": ""}), ("handed_over", {"to": "li", "reason": "sign_out"}),
            ("withdrawn", {"reason": "promise_not_kept"})]  # fmt: skip
    for action, detail in rows:
        kind, converted = migration.kind_and_detail(action, detail)
        assert kind in set(EventKind) and event_code(EventKind(kind), converted) == action
        assert migration.action_of(kind, converted) == (action, detail)
    assert migration.kind_and_detail("decided:accept", {})[1] == {"decision": "accept"}
    with pytest.raises(ValueError):
        migration.kind_and_detail("status:nonsense", {})
