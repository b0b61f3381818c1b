"""Issue 9, items 7 and 9 on the queue's side: one normalization of typed ID numbers, and visitors'
secrets and ID numbers out of addresses (and so out of every access log).

Attacks reproduced: 7 tickets for one person past the limit of 3 and a second booking past one per ID
with full-width or Arabic-Indic digits; a superscript ² answering 500; ``?token=`` and ID numbers in
URLs; an appointment reference alone (24 random bits, 403/404 telling existence) checking someone in."""

import pytest

from weimin.conftest import local
from weimin.core import clock
from weimin.core.errors import Refused
from weimin.tickets import actions
from weimin.tickets.models import Appointment, Ticket

pytestmark = pytest.mark.django_db

ADULT = "34052419800101001X"
OTHER = "11010519491231002X"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
KIOSK = "/halls/longgang-district/kiosk/"


def take(client, **body):
    return client.post(
        "/api/halls/longgang-district/tickets", {"item": "fire-acceptance", **body}, content_type="application/json"
    )


def test_full_width_digits_are_the_same_person_for_the_ticket_limit(hall, item, clerk):
    """The attack: 7 tickets for one person past the limit of 3, typed in other digits."""
    for typed in (ADULT, ADULT.translate(FULL_WIDTH), ADULT.lower()):
        actions.issue_ticket(hall, item, clock.now(), id_number=typed)
    with pytest.raises(Refused, match="3"):
        actions.issue_ticket(hall, item, clock.now(), id_number="３４０５ ２４１９ ８００１ ０１００ １Ｘ")
    assert len({t.id_hash for t in Ticket.objects.all()}) == 1


@pytest.mark.parametrize("table", [ARABIC_INDIC, DEVANAGARI], ids=["arabic-indic", "devanagari"])
def test_other_digits_are_refused_naming_the_field(client, clerk, table):
    refused = take(client, id_number=ADULT.translate(table))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "id_number"
    assert not Ticket.objects.exists()


def test_a_superscript_two_is_a_422_and_a_form_error_not_a_500(client, clerk):
    refused = take(client, id_number="3405241980010100²X")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "id_number"
    page = client.post(f"{KIOSK}items/fire-acceptance/", {"id_number": "3405241980010100²X"})
    assert page.status_code == 200 and "U+00B2" in page.content.decode()
    assert not Ticket.objects.exists()


def test_full_width_digits_do_not_book_twice(hall, window, item, freeze):
    """The attack: a second booking past one per ID and item, with the same number in full width."""
    freeze("2017-12-08 10:00")
    fields = {"name": "黄女士", "phone": "13800138000"}
    actions.book_appointment(hall, item, local("2017-12-08 16:30"), clock.now(), id_number=ADULT, **fields)
    with pytest.raises(Refused) as refused:
        actions.book_appointment(
            hall, item, local("2017-12-08 18:30"), clock.now(), id_number=ADULT.translate(FULL_WIDTH), **fields
        )
    assert refused.value.field == "id_number" and Appointment.objects.count() == 1


def test_id_numbers_are_validated_in_a_body_never_in_the_address(client):
    assert client.get(f"/api/validate/id-number/{ADULT}").status_code == 404  # the old address is gone

    def validate(kind, value):
        return client.post(f"/api/validate/{kind}", {"value": value}, content_type="application/json")

    body = validate("id-number", ADULT.translate(FULL_WIDTH))
    assert body.status_code == 200 and body.json()["valid"] is True
    bad = validate("id-number", "3405241980010100²X")
    assert bad.status_code == 200 and bad.json()["valid"] is False and "U+00B2" in bad.json()["reason"]
    assert validate("credit-code", "91440300MA5F3X1231").json()["valid"] is True


def test_tokens_in_query_strings_are_refused(client, clerk):
    issued = take(client).json()
    for answer in (
        client.get(f"/api/tickets/{issued['id']}", {"token": issued["token"]}),
        client.post(f"/api/tickets/{issued['id']}/cancel?token={issued['token']}", content_type="application/json"),
        client.get("/api/appointments/Y1208ABCDEF", {"token": "x"}),
    ):
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "token"
    assert Ticket.objects.get().status == "waiting"
    cancelled = client.post(f"/api/tickets/{issued['id']}/cancel", {"token": issued["token"]},
                            content_type="application/json")  # fmt: skip
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


@pytest.fixture
def booked(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    booking = actions.book_appointment(hall, item, local("2017-12-08 18:30"), clock.now(), name="黄女士",
                                       id_number=ADULT, phone="13800138000")  # fmt: skip
    freeze("2017-12-08 18:20")
    return booking


def test_a_reference_alone_checks_nobody_in_at_the_kiosk(client, booked):
    reference = booked.appointment.reference
    alone = client.post(f"{KIOSK}check-in/", {"reference": reference}, follow=True)
    assert "请扫描预约二维码" in alone.content.decode()
    wrong = client.post(f"{KIOSK}check-in/", {"reference": reference, "id_number": OTHER}, follow=True)
    unknown = client.post(f"{KIOSK}check-in/", {"reference": "Y1208000000", "id_number": ADULT}, follow=True)
    said = "预约号与二维码或证件号码不匹配。"
    assert said in wrong.content.decode() and said in unknown.content.decode()
    assert Appointment.objects.get().status == "booked"
    typed = client.post(f"{KIOSK}check-in/", {"reference": reference.lower(), "id_number": ADULT.translate(FULL_WIDTH)})
    assert "/slip/" in typed["Location"] and Appointment.objects.get().status == "checked_in"


def test_the_booking_pages_qr_code_checks_in(client, booked):
    page = client.get(f"/a/{booked.token}/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    scanned = client.post(f"{KIOSK}check-in/", {"reference": booked.appointment.reference,
                                                "link": f"http://hall.example/a/{booked.token}/"})  # fmt: skip
    assert "/slip/" in scanned["Location"]


def test_the_api_check_in_needs_the_token_or_the_id_number(client, booked):
    url = f"/api/appointments/{booked.appointment.reference}/check-in"
    alone = client.post(url, content_type="application/json")
    unknown = client.post("/api/appointments/Y1208000000/check-in", content_type="application/json")
    assert alone.status_code == unknown.status_code == 404 and alone.json() == unknown.json()
    wrong = client.post(url, {"id_number": OTHER}, content_type="application/json")
    assert wrong.status_code == 404 and wrong.json() == alone.json()
    checked = client.post(url, {"id_number": ADULT}, content_type="application/json")
    assert checked.status_code == 201 and checked.json()["priority"] == "appointment"


def test_reference_guesses_are_limited(client, booked, settings):
    settings.WEIMIN_LOOKUP_FAILURES_PER_CASE = 3
    url = f"/api/appointments/{booked.appointment.reference}/check-in"
    for _ in range(3):
        assert client.post(url, {"id_number": OTHER}, content_type="application/json").status_code == 404
    blocked = client.post(url, {"id_number": ADULT}, content_type="application/json")
    assert blocked.status_code == 429 and "尝试失败次数过多" in blocked.json()["detail"]
    by_token = client.post(url, content_type="application/json", HTTP_X_VISITOR_TOKEN=booked.token)
    assert by_token.status_code == 201  # the booking's own link is not locked by a guesser
