"""The demo's history (issue 11, point 5): closed, finished days that look like the halls' record."""

import json
from collections import Counter, defaultdict
from datetime import date, time

import pytest
from django.core.management import call_command
from django.db import transaction

from weimin.analytics import actions
from weimin.cases.models import Case, CaseEvent, Resubmission
from weimin.core.integrity import all_problems
from weimin.demo.history import build_history
from weimin.demo.seed import seed_demo
from weimin.halls.models import Hall
from weimin.ratings.models import FollowUp, Rating
from weimin.shifts.models import Duty
from weimin.tickets.models import Ticket
from weimin.tickets.rules import OPEN_STATUSES

pytestmark = pytest.mark.django_db

EXTENSION = date(2017, 10, 23)
HALLS = ("pinghu", "buji")


def visits_by_day(hall) -> dict[date, int]:
    days = Counter(
        Ticket.objects.filter(hall=hall).exclude(source="resubmission").values_list("business_date", flat=True)
    )
    return dict(days)


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """Seven weeks around National Day and the extension at two subdistrict halls, built once for the
    module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        summary = build_history(date(2017, 9, 25), date(2017, 11, 12), halls=Hall.objects.filter(code__in=HALLS))
        yield summary
        transaction.set_rollback(True)


def test_the_history_follows_the_halls_calendar_and_the_extension(history):
    assert history.tickets == Ticket.objects.count() > 2000
    tz = Hall.objects.first().tz
    for hall in Hall.objects.filter(code__in=HALLS):
        tickets = Ticket.objects.filter(hall=hall)
        assert not tickets.filter(business_date__range=(date(2017, 10, 1), date(2017, 10, 8))).exists()  # 国庆
        assert tickets.filter(business_date=date(2017, 9, 30)).exists()  # the make-up Saturday is a working day
        before = [
            t.astimezone(tz) for t in tickets.filter(business_date__lt=EXTENSION).values_list("issued_at", flat=True)
        ]
        after = [
            t.astimezone(tz) for t in tickets.filter(business_date__gte=EXTENSION).values_list("issued_at", flat=True)
        ]
        assert not any(t.time() >= time(18) or t.weekday() == 5 and t.date() != date(2017, 9, 30) for t in before)
        assert any(t.time() >= time(18) for t in after) and any(t.weekday() == 5 for t in after)
        assert not any(time(12) <= t.time() < time(14) for t in before + after if t.weekday() < 5)  # lunch closure

        days = visits_by_day(hall)
        weekdays_before = [n for d, n in days.items() if d < EXTENSION and d.weekday() < 5 and d > date(2017, 10, 10)]
        weekdays_after = [n for d, n in days.items() if d >= EXTENSION and d.weekday() < 5]
        assert sum(weekdays_after) / len(weekdays_after) > 1.1 * sum(weekdays_before) / len(weekdays_before)
        # The first working day after National Day week against the same weekday two weeks earlier.
        assert days[date(2017, 10, 9)] > 1.2 * days[date(2017, 9, 25)]
        assert not tickets.filter(status__in=OPEN_STATUSES).exists()  # every day is over


def test_the_history_holds_every_invariant(history, freeze):
    freeze("2017-11-06 08:30")  # the morning after: what `weimin integrity` sees then
    assert all_problems() == []  # what `weimin integrity --strict` checks: no problem, nothing overdue
    assert Duty.objects.exists() and not Duty.objects.open().exists()
    kinds = Counter(Ticket.objects.values_list("events__kind", flat=True))
    assert {"no_show", "rejoined", "cancelled", "transferred", "recalled"} <= set(kinds)
    follow_ups = FollowUp.objects.all()
    late = [(f, f.contacted_at, f.resolved_at) for f in follow_ups if f.late_on(date(2017, 11, 6))]
    assert follow_ups.exists() and late == []


def test_cases_decide_return_and_choose_the_evening_as_the_article_says(history):
    cases = Case.objects.all()
    first_decisions = {}
    for case_id, detail in CaseEvent.objects.filter(kind="decided").order_by("at", "id").values_list("case", "detail"):
        first_decisions.setdefault(case_id, detail["decision"])
    shares = Counter(first_decisions.values())
    total = sum(shares.values())
    assert total > 300
    assert 0.62 <= shares["accept"] / total <= 0.8
    assert 0.13 <= shares["correction"] / total <= 0.23
    assert 0.04 <= shares["accept_on_promise"] / total <= 0.12
    assert 0.01 <= shares["refuse"] / total <= 0.08
    corrections = [c for c, d in first_decisions.items() if d == "correction"]
    same_day = {
        case
        for case, taken, decided in Resubmission.objects.values_list("case", "created_at", "case__created_at")
        if taken.date() == decided.date()
    }
    assert 0.2 <= len(same_day & set(corrections)) / len(corrections) <= 0.6  # 40 %, on some 60 cases
    assert not cases.filter(
        status__in=["intake", "awaiting_supplement", "ready"]
    ).exists()  # nobody holds one overnight
    assert cases.filter(status="delivered").exists() and cases.filter(status="processing").exists()

    tz = Hall.objects.first().tz
    agents = defaultdict(list)
    for kind, agent, issued in cases.values_list("applicant_kind", "agent_name", "ticket__issued_at"):
        agents[issued.astimezone(tz).time() >= time(18)].append(kind == "company" and bool(agent))
    evening, daytime = (sum(agents[k]) / len(agents[k]) for k in (True, False))
    assert evening > 1.3 * daytime
    assert Rating.objects.filter(level__lte=2).count() < 0.05 * Rating.objects.count()


def test_the_effect_report_shows_the_rise_after_the_extension(history, freeze, capsys):
    """Issue 11: the effect report on the demo's history shows the rise after 2017-10-23 with its interval."""
    actions.refresh(freeze("2017-11-13 08:00"))
    call_command("analytics", "effect", "--hall", "pinghu", "--start", "2017-10-23", "--weeks", "4", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert printed["not_counted"]["closed_weeks"] == ["2017-10-02"]  # National Day week: no service to compare
    visits, evening = printed["change"]["visits"], printed["change"]["evening_share"]
    assert visits["verdict"] == "rise" and 0 < visits["low"] <= visits["absolute"] <= visits["high"]
    assert evening["verdict"] == "rise" and printed["before"]["evening_share"] == 0.0
    assert "升幅超出正常波动" in printed["summary"]


def test_the_forecast_beats_seasonal_naive_on_the_demo_history(history, freeze):
    """Issue 12: the planning forecast's rolling-origin backtest on the demo's halls, against seasonal naive."""
    from datetime import timedelta

    from weimin.planning import forecast, plan

    now = freeze("2017-11-13 08:00")
    actions.refresh(now)
    for code in HALLS:
        hall = Hall.objects.get(code=code)
        arrivals, days = plan.history_for(hall, date(2017, 11, 12), since=date(2017, 9, 25))
        report = forecast.backtest(arrivals, days, [date(2017, 10, 9) + timedelta(weeks=n) for n in range(5)])
        for kind, model in report.model_mean.items():
            assert model is not None and model < report.naive_mean[kind], (
                code,
                kind,
                report.model_mean,
                report.naive_mean,
            )
