from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.calendars.rules import status_from_package
from weimin.cases.rules import CheckedMaterial, Decision, DecisionNotAllowed, MaterialState, allowed_decision, due_date
from weimin.core.identity import CREDIT_CHARSET, InvalidCreditCode, credit_check_char, parse_credit_code

PRESENT, MISSING, BAD = MaterialState.PRESENT, MaterialState.MISSING, MaterialState.NON_COMPLIANT


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "9144030071526726XG"])
def test_published_credit_codes(code):
    assert parse_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "expected 3"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M0001O0Y43", "not allowed"),
        ("913A0100M000100Y43", "area code"),
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
