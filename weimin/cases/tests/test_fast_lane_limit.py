"""Issue 9, item 4: the fast lane gives one waiting ticket per case, not one per press."""

import pytest

from weimin.cases import actions
from weimin.cases.models import Resubmission
from weimin.cases.tests.conftest import ADULT, checks
from weimin.core import clock
from weimin.core.errors import Refused
from weimin.tickets import actions as ticket_actions
from weimin.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(clerk, at_window):
    missing = checks(form="missing", product="present", proxy="present")
    case = actions.open_case(clerk, at_window, clock.now(), kind="person", name="张先生", id_number=ADULT,
                             phone="13800138000", materials=missing)  # fmt: skip
    actions.decide(clerk, case, clock.now(), "correction")
    ticket_actions.complete(clerk, at_window, clock.now())
    return case


def test_thirty_fast_lane_check_ins_for_one_case_give_one_ticket(corrected):
    """The attack: 30 priority tickets for one case in 0.8 s, all to the front of the clerk's window."""
    first = actions.check_in_resubmission(corrected, clock.now()).ticket
    refused = 0
    for _ in range(29):
        with pytest.raises(Refused) as again:
            actions.check_in_resubmission(corrected, clock.now())
        refused += 1
    assert refused == 29 and first.number in again.value.message
    assert Resubmission.objects.filter(case=corrected).count() == 1
    assert Ticket.objects.filter(priority="resubmission").count() == 1  # nothing half-written


def test_a_new_fast_lane_ticket_once_the_last_one_is_dealt_with(corrected, clerk, window):
    first = actions.check_in_resubmission(corrected, clock.now()).ticket
    assert ticket_actions.call_next(clerk, window, clock.now()) == first
    with pytest.raises(Refused):  # called to the window: still in hand
        actions.check_in_resubmission(corrected, clock.now())
    ticket_actions.mark_no_show(clerk, first, clock.now())
    second = actions.check_in_resubmission(corrected, clock.now()).ticket  # missed the call: may come back
    assert second.pk != first.pk and Resubmission.objects.filter(case=corrected).count() == 2
