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
    assert stale.status_code == 409 and not Rating.objects.exists()
    freeze("2017-12-08 18:46")  # more than 15 minutes after the visit: no longer offered here
    assert client.post(PAD, {"level": "1", "ticket": str(served.ticket.pk)}).status_code == 409
    assert not Rating.objects.exists()


def _screen(client) -> str:
    page = client.get(PAD)
    assert page.status_code == 200
    return page.content.decode().split('data-pad-screen="', 1)[1].split('"', 1)[0]


def test_the_pad_follows_the_visit_at_its_counter(client, hall, item, window, clerk, enroll, freeze):
    """Issue 10: the pad asked "B135号…满意吗？" while B136 was at the counter. B135 completed, B136
    called: nothing about B135 while B136 is there; after B136 completes, the pad asks about B136."""
    client.cookies[COOKIE] = enroll("pad", window)
    assert _screen(client) == "idle"
    b135 = ticket_actions.issue_ticket(hall, item, clock.now()).ticket
    b136 = ticket_actions.issue_ticket(hall, item, clock.now()).ticket
    ticket_actions.call_next(clerk, window, clock.now())
    page = client.get(PAD).content.decode()
    assert 'data-pad-screen="serving"' in page and b135.number in page and "data-level" not in page
    ticket_actions.complete(clerk, b135, clock.now())
    page = client.get(PAD).content.decode()
    assert 'data-pad-screen="ask"' in page and b135.number in page and 'name="comment"' in page
    freeze("2017-12-08 18:31")
    ticket_actions.call_next(clerk, window, clock.now())  # B136 comes to the counter; B135 never rated
    page = client.get(PAD).content.decode()
    assert 'data-pad-screen="serving"' in page and b136.number in page and b135.number not in page
    refused = client.post(PAD, {"level": "5", "ticket": str(b135.pk)})
    assert refused.status_code == 409 and not Rating.objects.exists()
    ticket_actions.complete(clerk, b136, clock.now())
    page = client.get(PAD).content.decode()
    assert 'data-pad-screen="ask"' in page and b136.number in page and b135.number not in page
    assert client.post(PAD, {"level": "4", "ticket": str(b136.pk)}).status_code == 302
    assert Rating.objects.get().ticket == b136
    assert _screen(client) == "idle"  # rated: back to idle


def test_the_pad_goes_idle_after_a_few_minutes_and_after_a_no_show(client, hall, item, window, clerk, enroll, freeze):
    """Window 15's pad still asked for C132 a quarter of an hour after C132 left."""
    client.cookies[COOKIE] = enroll("pad", window)
    ticket_actions.issue_ticket(hall, item, clock.now())
    served = ticket_actions.complete(clerk, ticket_actions.call_next(clerk, window, clock.now()), clock.now())
    assert _screen(client) == "ask"
    freeze("2017-12-08 18:32")
    assert _screen(client) == "ask"
    freeze("2017-12-08 18:34")  # past the pad's minutes (3): the visitor has gone
    assert _screen(client) == "idle" and served.number not in client.get(PAD).content.decode()
    freeze("2017-12-08 18:45")  # the quarter of an hour of the issue
    assert _screen(client) == "idle"
    ticket_actions.issue_ticket(hall, item, clock.now())
    missed = ticket_actions.call_next(clerk, window, clock.now())
    assert _screen(client) == "serving"
    ticket_actions.mark_no_show(clerk, missed, clock.now())
    assert _screen(client) == "idle"


def test_the_pad_polls_without_swapping_and_reloads_only_when_the_visit_changes(client, served, enroll, window,
                                                                                 clerk, hall, item):  # fmt: skip
    """The pad's 20-second reload wiped the comment being typed: the poll swaps nothing, and asks for a
    reload only when what the pad should show differs from what it shows."""
    client.cookies[COOKIE] = enroll("pad", window)
    state = PAD + "state"
    same = client.get(state, {"shown": f"ask-{served.ticket.pk}"})
    assert same.status_code == 204 and "HX-Refresh" not in same.headers
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket_actions.call_next(clerk, window, clock.now())
    changed = client.get(state, {"shown": f"ask-{served.ticket.pk}"})
    assert changed.status_code == 204 and changed.headers["HX-Refresh"] == "true"
    client.cookies.clear()
    assert client.get(state, {"shown": "idle-0"}).status_code == 403


def test_a_bad_rating_on_the_pad_takes_an_optional_mobile_number(client, served, enroll, window):
    client.cookies[COOKIE] = enroll("pad", window)
    typed = {"level": "1", "ticket": str(served.ticket.pk), "comment": "等了太久", "phone": "1380013800"}
    wrong = client.post(PAD, typed)
    page = wrong.content.decode()
    assert wrong.status_code == 422 and "11 位手机号码" in page
    assert "等了太久" in page and 'value="1" required data-level="1" checked' in page  # nothing typed is lost
    assert client.post(PAD, {**typed, "phone": "138 0013 8000"}).status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.contact_phone == "13800138000" and follow_up.contact_phone_masked == "138****8000"


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


def test_the_pad_shows_the_case_opened_during_the_visit(client, at_window, clerk, enroll, window):
    from weimin.cases import actions as case_actions
    from weimin.cases.tests.conftest import ADULT, checks

    client.cookies[COOKIE] = enroll("pad", window)
    case = case_actions.open_case(clerk, at_window, clock.now(), kind="person", name="张先生", id_number=ADULT,
                                  materials=checks(form="present", product="present", proxy="present"))  # fmt: skip
    page = client.get(PAD).content.decode()
    assert 'data-pad-screen="serving"' in page and at_window.number in page and f"办件 {case.number}" in page
    assert "张先生" not in page and ADULT not in page  # the pad faces the counter: no personal data
