"""Issue 9, item 5: ratings only from the visitor — the pad a hall manager enrolled for the window, or
the visitor's own token."""

import pytest

from weimin.accounts.actions import issue_token, revoke_device
from weimin.accounts.devices import COOKIE
from weimin.accounts.models import Device
from weimin.core import clock
from weimin.halls.models import Window
from weimin.ratings.models import FollowUp, Rating
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db

PAD = "/halls/longgang-district/windows/5/rate/"


@pytest.fixture
def served(hall, item, window, clerk):
    issued = ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    ticket_actions.complete(clerk, ticket, clock.now())
    return issued


def test_an_anonymous_post_from_anywhere_no_longer_rates(client, served, enroll, window):
    """The attack: the pad's URL is public; a POST rated the window's last visit 1 and opened a
    follow-up, and the real visitor then got "already rated"."""
    attack = client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk)})
    assert attack.status_code == 403 and "此评价器尚未登记" in attack.content.decode()
    assert client.get(PAD).status_code == 403
    assert not Rating.objects.exists() and not FollowUp.objects.exists()
    client.cookies[COOKIE] = enroll("pad", window)  # the real pad beside window 5
    page = client.get(PAD)
    assert page.status_code == 200 and served.ticket.number in page.content.decode()
    rated = client.post(PAD, {"level": "5", "ticket": str(served.ticket.pk)})
    assert rated.status_code == 302
    assert Rating.objects.get().level == 5


def test_a_pad_rates_only_at_its_own_window(client, served, enroll, hall, item):
    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    client.cookies[COOKIE] = enroll("pad", other)
    assert client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk)}).status_code == 403
    kiosk = enroll("kiosk")  # a kiosk is no pad either
    client.cookies[COOKIE] = kiosk
    assert client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk)}).status_code == 403
    assert not Rating.objects.exists()


def test_the_pad_rates_the_visit_on_its_screen_only(client, served, enroll, window, freeze):
    client.cookies[COOKIE] = enroll("pad", window)
    stale = client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk + 1)})
    assert stale.status_code == 200 and not Rating.objects.exists()
    freeze("2017-12-08 18:46")  # more than 15 minutes after the visit: no longer offered here
    assert client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk)}).status_code == 200
    assert not Rating.objects.exists()


def test_a_revoked_pad_stops_at_once(client, served, enroll, window):
    client.cookies[COOKIE] = enroll("pad", window)
    assert client.get(PAD).status_code == 200
    device = Device.objects.get()
    revoke_device(device.enrolled_by, device, clock.now())
    assert client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk)}).status_code == 403
    assert not Rating.objects.exists()


def test_staff_tokens_cannot_rate_a_visit_through_the_api(client, served, clerk, manager):
    """Staff bearer tokens rated any ticket of their hall."""
    url = f"/api/tickets/{served.ticket.pk}/rating"
    for user in (clerk, manager):
        response = client.post(url, {"level": 1}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")  # fmt: skip
        assert response.status_code == 403 and response.json()["errors"][0]["field"] == "token"
    assert not Rating.objects.exists()
    mine = client.post(url, {"level": 4, "token": served.token}, content_type="application/json")
    assert mine.status_code == 201 and Rating.objects.get().level == 4


def test_staff_tokens_cannot_rate_a_case_through_the_api(client, clerk, at_window, approver, manager):
    """Staff tokens rated any case of their hall: the case rating takes only the applicant's own secret."""
    from weimin.cases import actions as case_actions
    from weimin.cases.tests.conftest import ADULT, checks

    case = case_actions.open_case(clerk, at_window, clock.now(), kind="person", name="张先生", id_number=ADULT,
                                  materials=checks(form="present", product="present", proxy="present"))  # fmt: skip
    case_actions.decide(clerk, case, clock.now(), "accept")
    case_actions.set_status(approver, case, clock.now(), "concluded", result="approved")
    for user in (clerk, manager, approver):
        response = client.post(f"/api/cases/{case.number}/rating", {"level": 1}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")  # fmt: skip
        assert response.status_code in (403, 404)
    assert not Rating.objects.exists()
    mine = client.post(f"/api/cases/{case.number}/rating", {"level": 5, "id_number": ADULT},
                       content_type="application/json")  # fmt: skip
    assert mine.status_code == 201 and Rating.objects.get().level == 5
