"""Each measure on hand-made events with a hand-computed answer (issue 11, "Done when").

One Friday at the district hall (2017-12-08, extended to 19:30), two windows for one item:

| ticket | issued | what happens | wait | service | counted at |
|---|---|---|---|---|---|
| T1 | 09:00 | called 09:10 at 5, case C1 → 补正, completed 09:31 | 10 | 21 | 5 黄 |
| T2 | 09:05 | called 09:31 at 5, no-show 09:32, rejoins 09:40 (after T3), called 09:47 at 6, done 10:02 | 26 | 15 | 6 |
| T3 | 09:20 | called 09:45 at 6, transferred to 5, called 09:50 at 5, completed 09:55 | 25 | 5 | 5 黄 |
| T4 | 09:25 | cancelled 09:26 | – | – | – |
| T7 | 11:00 | C1's fast-lane return: called 11:05 at 5, C1 accepted, completed 11:15 | 5 | 10 | 5 黄 |
| T5 | 18:10 | called 18:12 at 5, case C2 (company agent) accepted, completed 18:20 | 2 | 8 | 5 黄 |
| T6 | 18:15 | still waiting; closed by 日结 the next day | – | – | – |

Li holds window 6 from 09:00 to 12:00 (3 h). Ratings: T1 非常满意 (5), T5 不满意 (2).
"""

from datetime import date

import pytest
from django.core.management import call_command

from weimin.analytics import actions, queries, records
from weimin.analytics.choices import Dimension
from weimin.analytics.models import Rollup
from weimin.analytics.queries import By
from weimin.cases import actions as case_actions
from weimin.cases.tests.conftest import ADULT, COMPANY, checks
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.models import Window
from weimin.ratings import actions as rating_actions
from weimin.shifts.actions import sign_out
from weimin.tickets import actions as ticket_actions

FRIDAY = date(2017, 12, 8)
MONDAY = date(2017, 12, 11)


@pytest.fixture
def friday(hall, item, window, make_clerk, make_staff, freeze):
    """Plays the day in the table above; returns (huang, li, window 6, cases)."""
    t = freeze
    t("2017-12-08 09:00")
    huang = make_clerk("huang", window)
    six = Window.objects.create(hall=hall, number=6)
    six.items.add(item)
    li = make_clerk("li", six)
    approver = make_staff("zhou", "approver")

    def issue(at):
        return ticket_actions.issue_ticket(hall, item, t(at)).ticket

    t1 = issue("2017-12-08 09:00")
    t2 = issue("2017-12-08 09:05")
    t3 = issue("2017-12-08 09:20")
    t4 = issue("2017-12-08 09:25")
    ticket_actions.cancel_ticket(t4, t("2017-12-08 09:26"))
    assert ticket_actions.call_next(huang, window, t("2017-12-08 09:10")) == t1
    ticket_actions.start_serving(huang, t1, t("2017-12-08 09:11"))
    c1 = case_actions.open_case(
        huang, t1, t("2017-12-08 09:15"), kind="person", name="张先生", id_number=ADULT, phone="13800138000",
        materials=checks(form="missing", product="present", proxy="present"),
    )  # fmt: skip
    case_actions.decide(huang, c1, clock.now(), "correction")
    t1 = ticket_actions.complete(huang, t1, t("2017-12-08 09:31"))
    rating_actions.rate_ticket(t1, t("2017-12-08 09:35"), level=5)
    assert ticket_actions.call_next(huang, window, t("2017-12-08 09:31")) == t2
    ticket_actions.mark_no_show(huang, t2, t("2017-12-08 09:32"))
    ticket_actions.rejoin(huang, t2, t("2017-12-08 09:40"))
    assert ticket_actions.call_next(li, six, t("2017-12-08 09:45")) == t3
    ticket_actions.transfer(li, t3, t("2017-12-08 09:46"), window=window)
    assert ticket_actions.call_next(li, six, t("2017-12-08 09:47")) == t2
    assert ticket_actions.call_next(huang, window, t("2017-12-08 09:50")) == t3
    ticket_actions.complete(huang, t3, t("2017-12-08 09:55"))
    ticket_actions.complete(li, t2, t("2017-12-08 10:02"))
    sign_out(li, six, t("2017-12-08 12:00"))
    t7 = case_actions.check_in_resubmission(c1, t("2017-12-08 11:00")).ticket
    assert ticket_actions.call_next(huang, window, t("2017-12-08 11:05")) == t7
    case_actions.decide(huang, c1, t("2017-12-08 11:10"), "accept", materials=checks(form="present"))
    ticket_actions.complete(huang, t7, t("2017-12-08 11:15"))
    t5 = issue("2017-12-08 18:10")
    issue("2017-12-08 18:15")  # T6: still waiting at the close
    assert ticket_actions.call_next(huang, window, t("2017-12-08 18:12")) == t5
    c2 = case_actions.open_case(
        huang, t5, t("2017-12-08 18:15"), kind="company", name="深圳市某某建设有限公司", id_number=ADULT,
        credit_code=COMPANY, agent_name="王代办", materials=checks(form="present", product="present", proxy="present"),
    )  # fmt: skip
    case_actions.decide(huang, c2, clock.now(), "accept")
    t5 = ticket_actions.complete(huang, t5, t("2017-12-08 18:20"))
    rating_actions.rate_ticket(t5, t("2017-12-08 18:25"), level=2)
    case_actions.set_status(approver, c2, t("2017-12-11 10:00"), "concluded", result="approved")
    return huang, li, six


def test_a_day_not_yet_closed(hall, friday, freeze):
    totals = queries.today_so_far(hall, freeze("2017-12-08 19:00"))
    assert (totals.issued, totals.served, totals.cancelled, totals.still_open, totals.unserved_at_close) == (
        7, 5, 1, 1, 0,
    )  # fmt: skip


def test_every_measure_of_the_day(hall, friday, freeze):
    ticket_actions.close_past_days(freeze("2017-12-09 08:00"))  # T6 closed by 日结 the next morning
    actions.refresh(clock.now())
    f = queries.figures(queries.total([hall], FRIDAY, FRIDAY))
    assert (f["issued"], f["visits"], f["no_show"], f["cancelled"], f["unserved_at_close"], f["still_open"]) == (
        7, 5, 0, 1, 1, 0,
    )  # fmt: skip
    # Waits 2, 5, 10, 25, 26 minutes (T2 from its issue to its *first* call, before the no-show).
    assert f["mean_wait_minutes"] == pytest.approx(68 / 5)
    assert (f["median_wait_minutes"], f["p90_wait_minutes"], f["under_target_share"]) == (10, 26, 0.6)
    # Service 5, 8, 10, 15, 21 minutes (T3 from its call at window 5, after the transfer).
    assert f["mean_service_minutes"] == pytest.approx(59 / 5)
    assert (f["median_service_minutes"], f["p90_service_minutes"]) == (10, 21)
    assert (f["cases"], f["accepted"], f["corrections"], f["refused"], f["accepted_on_promise"]) == (2, 2, 1, 0, 0)
    assert (f["told_at_once_share"], f["same_day_return_share"]) == (1.0, 1.0)
    assert (f["company_share_evening"], f["company_share_daytime"]) == (1.0, 0.0)
    assert (f["ratings"], f["mean_rating"], f["bad_rating_share"]) == (2, 3.5, 0.5)
    assert (f["evening_share"], f["saturday_share"]) == (0.2, 0.0)
    assert f["on_time_share"] is None  # nothing concluded that day


def test_by_window_and_staff(hall, friday, freeze):
    huang, li, six = friday
    actions.refresh(freeze("2017-12-09 08:00"))
    by_window = {g.key: g for g in queries.breakdown([hall], FRIDAY, FRIDAY, By.WINDOW)}
    assert by_window[six.pk].totals.served == 1  # T2; T3 counts at window 5, which served it
    # Li held window 6 for 3 hours and served T2 for 15 minutes.
    assert by_window[six.pk].figures["utilisation"] == pytest.approx(15 / 180)
    by_staff = {g.key: g for g in queries.breakdown([hall], FRIDAY, FRIDAY, By.STAFF)}
    assert (by_staff[huang.pk].totals.served, by_staff[li.pk].totals.served) == (4, 1)
    by_hour = {g.label: g.totals for g in queries.breakdown([hall], FRIDAY, FRIDAY, By.HOUR)}
    assert {label: totals.issued for label, totals in by_hour.items() if totals.issued} == {
        "09:00": 4, "11:00": 1, "18:00": 2,
    }  # fmt: skip
    # Open window-hours per hour: two windows from 09:00, Li's until 12:00, Huang's still held at 08:00 next day.
    assert by_hour["09:00"].held_seconds == 2 * 3600 and by_hour["12:00"].held_seconds == 3600


def test_results_count_on_the_day_of_conclusion(hall, friday, freeze):
    actions.refresh(freeze("2017-12-11 12:00"))
    f = queries.figures(queries.total([hall], MONDAY, MONDAY))
    assert (f["concluded_approved"], f["on_time_share"], f["visits"]) == (1, 1.0, 0)


def test_a_late_event_makes_its_day_recounted(hall, friday, freeze):
    actions.refresh(freeze("2017-12-08 19:00"))
    assert queries.total([hall], FRIDAY, FRIDAY).still_open == 1
    ticket_actions.close_past_days(freeze("2017-12-11 08:00"))  # yesterday's close, recorded later
    actions.refresh(clock.now())
    totals = queries.total([hall], FRIDAY, FRIDAY)
    assert (totals.still_open, totals.unserved_at_close) == (0, 1)


def test_summary_command_matches_the_queries(hall, friday, freeze, capsys):
    import json

    freeze("2017-12-09 08:00")
    call_command("analytics", "summary", "--from", "2017-12-08", "--to", "2017-12-08", "--hall", hall.code)
    printed = json.loads(capsys.readouterr().out)
    assert (printed["visits"], printed["cases"], printed["evening_share"]) == (5, 2, 0.2)
    assert printed["mean_wait_minutes"] == round(68 / 5, 4)
    assert Rollup.objects.filter(dimension=Dimension.HALL, business_date=FRIDAY).count() == 1


def test_holidays_saturdays_and_a_hall_without_evening_hours(hall, item, window, make_clerk, freeze):
    """Before 2017-10-23 the hall closed at 18:00 and on Saturdays; National Day week it was closed."""
    freeze("2017-09-29 17:00")
    huang = make_clerk("huang", window)

    def visit(issued, called, done):
        ticket = ticket_actions.issue_ticket(hall, item, freeze(issued)).ticket
        ticket_actions.call_next(huang, window, freeze(called))
        ticket_actions.complete(huang, ticket, freeze(done))

    visit("2017-09-29 17:00", "2017-09-29 17:05", "2017-09-29 17:20")
    with pytest.raises(DomainError):
        ticket_actions.issue_ticket(hall, item, freeze("2017-10-02 10:00"))
    visit("2017-12-09 09:30", "2017-12-09 09:40", "2017-12-09 09:50")  # a Saturday of the extended service
    actions.refresh(freeze("2017-12-11 08:00"))
    before = queries.figures(queries.total([hall], date(2017, 9, 29), date(2017, 10, 8)))
    assert (before["visits"], before["evening_share"], before["saturday_share"]) == (1, 0.0, 0.0)
    days = [g.key for g in queries.breakdown([hall], date(2017, 9, 29), date(2017, 10, 8), By.DAY)]
    assert days == [date(2017, 9, 29)]  # the holiday week counts no day at all
    saturday = queries.figures(queries.total([hall], date(2017, 12, 9), date(2017, 12, 9)))
    assert (saturday["visits"], saturday["saturday_share"], saturday["mean_wait_minutes"]) == (1, 1.0, 10.0)
    by_weekday = {g.label: g.totals.served for g in queries.breakdown([hall], date(2017, 9, 1), MONDAY, By.WEEKDAY)}
    assert by_weekday == {"周五": 1, "周六": 1}


def test_the_district_is_its_halls_added_up(hall, item, friday, district, freeze, capsys):
    import json

    from weimin.demo.seed import seed_schedules
    from weimin.halls.choices import HallKind
    from weimin.halls.models import Hall

    pinghu = Hall.objects.create(
        district=district, code="pinghu", name="平湖街道行政服务大厅", kind=HallKind.SUBDISTRICT
    )
    seed_schedules(pinghu)
    Window.objects.create(hall=pinghu, number=1).items.add(item)
    ticket_actions.issue_ticket(pinghu, item, freeze("2017-12-08 18:40"))
    freeze("2017-12-09 08:00")

    def summary(*hall_option):
        call_command("analytics", "summary", "--from", "2017-12-08", "--to", "2017-12-08", *hall_option)
        return json.loads(capsys.readouterr().out)

    halls, whole = [summary("--hall", hall.code), summary("--hall", "pinghu")], summary()
    assert whole["hall"] is None
    for key in ("visits", "issued", "cases", "still_open", "ratings"):
        assert whole[key] == sum(h[key] for h in halls), key
    assert (whole["issued"], whole["visits"]) == (8, 5)


def test_a_run_of_days_rebuilt_together_counts_each_day_as_alone(hall, item, window, friday, freeze):
    """A catch-up reads consecutive days at once (``records.days_totals``): a case corrected on Monday and
    again on Tuesday counts a repeat 补正 on Tuesday, as Tuesday recounted alone does."""
    huang, li, six = friday
    monday = freeze("2017-12-11 09:00")
    ticket = ticket_actions.issue_ticket(hall, item, monday).ticket
    assert ticket_actions.call_next(huang, window, freeze("2017-12-11 09:05")) == ticket
    case = case_actions.open_case(
        huang, ticket, freeze("2017-12-11 09:10"), kind="person", name="李女士", id_number=ADULT,
        phone="13800138001", materials=checks(form="missing", product="missing", proxy="present"),
    )  # fmt: skip
    case_actions.decide(huang, case, clock.now(), "correction")
    ticket_actions.complete(huang, ticket, freeze("2017-12-11 09:20"))
    back = case_actions.check_in_resubmission(case, freeze("2017-12-12 09:00")).ticket
    assert ticket_actions.call_next(huang, window, freeze("2017-12-12 09:05")) == back
    case_actions.decide(huang, case, freeze("2017-12-12 09:10"), "correction", materials=checks(form="present"))
    now = freeze("2017-12-13 08:00")
    assert (hall.pk, MONDAY, date(2017, 12, 13)) in actions.runs(
        {(hall.pk, FRIDAY), (hall.pk, MONDAY), (hall.pk, date(2017, 12, 12)), (hall.pk, date(2017, 12, 13))}
    )
    actions.refresh(now)
    tuesday = queries.total([hall], date(2017, 12, 12), date(2017, 12, 12))
    assert (tuesday.corrections, tuesday.repeat_corrections, tuesday.same_day_returns) == (1, 1, 0)
    for day in (FRIDAY, MONDAY, date(2017, 12, 12)):
        stored = {(r.dimension, r.key): r.totals() for r in Rollup.objects.filter(hall=hall, business_date=day)}
        assert stored == records.day_totals(hall, day, now), day
