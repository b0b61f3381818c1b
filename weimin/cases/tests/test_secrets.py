"""Issue 9, item 3: the citizen's case lookup is a real secret.

The attack: the secret was the last 4 characters of the ID number (11,000 values, shown at the end of
every masked number), case numbers are sequential, 404 vs 403 told whether a case existed and nothing
limited guesses — the secret fell after 11,207 tries in 150 s. Now: a random token in the notice's QR
code (only its hash stored), or the case number with the whole ID number in a body; one answer for
"no such case" and "wrong secret"; failures limited per case and per address, in the shared cache."""

import logging
import re

import pytest

from weimin.accounts.actions import issue_token
from weimin.cases import actions
from weimin.cases.models import Case
from weimin.cases.tests.conftest import ADULT, checks
from weimin.core import clock
from weimin.tickets import actions as ticket_actions
from weimin.tickets.models import secret_hash

pytestmark = pytest.mark.django_db

OTHER = "11010519491231002X"  # a valid number, not the applicant's
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


@pytest.fixture
def corrected(clerk, at_window):
    materials = checks(form="missing", product="present", proxy="present")
    case = actions.open_case(clerk, at_window, clock.now(), kind="person", name="张先生", id_number=ADULT,
                             phone="13800138000", materials=materials)  # fmt: skip
    notice = actions.decide(clerk, case, clock.now(), "correction")
    ticket_actions.complete(clerk, at_window, clock.now())
    return Case.objects.get(pk=case.pk), notice


def lookup(client, number, id_number, **extra):
    return client.post(f"/api/cases/{number}/lookup", {"id_number": id_number}, content_type="application/json",
                       **extra)  # fmt: skip


def test_the_last_four_characters_open_nothing(client, corrected):
    case, _notice = corrected
    assert client.get(f"/api/cases/{case.number}", {"id_last4": "001X"}).status_code == 422  # never in the address
    assert lookup(client, case.number, "001X").status_code == 422  # not an ID number
    assert client.get(f"/api/cases/{case.number}", HTTP_X_VISITOR_TOKEN="001X").status_code == 404
    page = client.post("/cases/status/", {"number": case.number, "id_number": case.id_masked[-4:]}).content.decode()
    assert "data-status" not in page
    # The masked number on the notice (and the consoles) ends with what used to open the case.
    assert case.id_masked.endswith(ADULT[-4:])


def test_only_a_hash_of_the_token_is_kept_and_each_notice_brings_a_new_one(client, corrected, clerk, window):
    case, notice = corrected
    token = notice.access_token
    assert case.access_hash == secret_hash(token) and token not in str(Case.objects.filter(pk=case.pk).values())
    assert client.get(f"/api/cases/{case.number}", HTTP_X_VISITOR_TOKEN=token).status_code == 200
    actions.check_in_resubmission(case, clock.now())
    ticket_actions.call_next(clerk, window, clock.now())
    accepted = actions.decide(clerk, case, clock.now(), "accept", materials=checks(form="present"))
    assert accepted.access_token != token
    assert client.get(f"/api/cases/{case.number}", HTTP_X_VISITOR_TOKEN=token).status_code == 404  # old paper
    assert client.get(f"/cases/s/{token}/").status_code == 404
    assert client.get(f"/cases/s/{accepted.access_token}/").status_code == 200


def test_no_such_case_and_wrong_secret_get_the_same_answer(client, corrected):
    case, _notice = corrected
    unknown_number = str(int(case.number) + 1)
    answers = [
        lookup(client, case.number, OTHER),
        lookup(client, unknown_number, ADULT),
        client.get(f"/api/cases/{case.number}", HTTP_X_VISITOR_TOKEN="wrong"),
        client.get(f"/api/cases/{unknown_number}", HTTP_X_VISITOR_TOKEN="wrong"),
        client.get(f"/api/cases/{case.number}"),
        client.get(f"/api/cases/{unknown_number}"),
    ]
    assert {(a.status_code, a.content) for a in answers} == {(404, answers[0].content)}
    pages = [client.post("/cases/status/", {"number": n, "id_number": i}) for n, i in
             [(case.number, OTHER), (unknown_number, ADULT)]]  # fmt: skip
    assert pages[0].status_code == pages[1].status_code == 200
    said = [re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', p.content.decode()).group(1) for p in pages]
    assert said[0] == said[1] and "不匹配" in said[0]
    assert not any("data-status" in p.content.decode() for p in pages)


def test_guessing_is_limited_per_case_and_says_when_to_try_again(client, corrected, settings, freeze):
    case, _notice = corrected
    settings.WEIMIN_LOOKUP_FAILURES_PER_CASE = 5
    for _ in range(5):
        assert lookup(client, case.number, OTHER).status_code == 404
    blocked = lookup(client, case.number, ADULT)  # right, but the door is closed for now
    assert blocked.status_code == 429
    assert blocked.json()["detail"] == "尝试失败次数过多，请于18:45之后再试。"
    assert blocked.json()["retry_at"].startswith("2017-12-08T10:45")  # UTC
    # Another address gets no further: the count is the case's.
    assert lookup(client, case.number, ADULT, REMOTE_ADDR="10.0.0.9").status_code == 429
    page = client.post("/cases/status/", {"number": case.number, "id_number": ADULT})
    assert page.status_code == 429 and "18:45" in page.content.decode() and "data-status" not in page.content.decode()
    # The notice's QR code still opens it: a guesser cannot lock the applicant out of their own link.
    assert client.get(f"/cases/s/{_notice.access_token}/").status_code == 200
    freeze("2017-12-08 18:46")
    assert lookup(client, case.number, ADULT).status_code == 200


def test_guessing_is_limited_per_address_across_cases(client, corrected, settings):
    """Sequential case numbers: one guess each at many cases from one address."""
    case, _notice = corrected
    settings.WEIMIN_LOOKUP_FAILURES_PER_ADDRESS = 20
    first = int(case.number) - 30
    for n in range(20):
        assert lookup(client, str(first + n), ADULT).status_code == 404
    assert lookup(client, case.number, ADULT).status_code == 429
    assert lookup(client, case.number, ADULT, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_are_all_counted():
    """A script guessing from many connections at once: every failure is counted (one locked
    read-and-write of the shared cache's row per counter), so the limit holds under parallel guessing."""
    import threading
    import uuid

    from django.core.cache import cache
    from django.db import connection

    from weimin.core import attempts

    counter = attempts.Counter("test", uuid.uuid4().hex, 1000, 900)
    now = clock.now()
    errors = []

    def guess():
        try:
            for _ in range(5):
                attempts.fail([counter], now)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and cache.get(counter.cache_key)["count"] == 40
    cache.delete(counter.cache_key)


def test_full_width_digits_find_the_case(client, corrected):
    """Issue 9, item 7: an ID number typed with a Chinese input method's full-width digits."""
    case, _notice = corrected
    assert lookup(client, case.number, ADULT.translate(FULL_WIDTH)).status_code == 200
    page = client.post("/cases/status/", {"number": case.number, "id_number": ADULT.translate(FULL_WIDTH)})
    assert 'data-status="awaiting_supplement"' in page.content.decode()
    bad = lookup(client, case.number, "٣٤٠٥٢٤١٩٨٠٠١٠١٠٠١X")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "id_number"


def test_citizens_still_do_everything_with_the_new_secrets(client, corrected, clerk, window, approver, freeze):
    case, notice = corrected
    token = notice.access_token
    # The fast lane by the notice's link, in a header.
    fast = client.post(f"/api/cases/{case.number}/resubmit", content_type="application/json",
                       HTTP_X_VISITOR_TOKEN=token)  # fmt: skip
    assert fast.status_code == 201 and fast.json()["priority"] == "resubmission"
    ticket_actions.call_next(clerk, window, clock.now())
    accepted = actions.decide(clerk, case, clock.now(), "accept", materials=checks(form="present"))
    case.refresh_from_db()
    actions.set_status(approver, case, clock.now(), "concluded", result="approved")
    # The notice page and the citizen's page by the new link.
    page = client.get(f"/cases/s/{accepted.access_token}/notices/{accepted.pk}/").content.decode()
    assert "受理通知书" in page and "340524********001X" in page
    # Rating the case: the link's token in the body, or the whole ID number.
    rated = client.post(f"/api/cases/{case.number}/rating", {"level": 5, "token": accepted.access_token},
                        content_type="application/json")  # fmt: skip
    assert rated.status_code == 201


def test_rating_by_the_whole_id_number_and_never_by_last_four(client, corrected, clerk, window, approver):
    case, _notice = corrected
    actions.check_in_resubmission(case, clock.now())
    ticket_actions.call_next(clerk, window, clock.now())
    actions.decide(clerk, case, clock.now(), "accept", materials=checks(form="present"))
    actions.set_status(approver, Case.objects.get(pk=case.pk), clock.now(), "concluded", result="approved")
    url = f"/api/cases/{case.number}/rating"
    last4 = client.post(f"{url}?id_last4=001X", {"level": 1}, content_type="application/json")
    assert last4.status_code == 422 and last4.json()["errors"][0]["field"] == "id_last4"
    rated = client.post(url, {"level": 4, "id_number": ADULT}, content_type="application/json")
    assert rated.status_code == 201


def test_staff_of_the_hall_keep_their_access(client, corrected, clerk, make_staff, hall):
    case, notice = corrected
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}
    seen = client.get(f"/api/cases/{case.number}", **headers)
    assert seen.status_code == 200 and seen.json()["id_number"] == ADULT  # the clerk handling it
    client.force_login(clerk)
    reprint = client.get(f"/cases/{case.number}/notices/{notice.pk}/").content.decode()
    assert "补正材料通知书" in reprint and notice.access_token not in reprint
    from weimin.halls.models import Hall

    elsewhere = Hall.objects.create(district=hall.district, code="pinghu", name="平湖街道便民服务中心")
    outsider = make_staff("pinghu-clerk", "window_staff", halls=[elsewhere])
    other = client.get(f"/api/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {issue_token(outsider)}")
    assert other.status_code == 404


def test_the_kiosk_fast_lane_is_limited_per_case_too(client, corrected, settings, freeze):
    case, notice = corrected
    freeze("2017-12-08 19:10")
    settings.WEIMIN_LOOKUP_FAILURES_PER_CASE = 2
    kiosk = "/halls/longgang-district/kiosk/resubmit/"
    for _ in range(2):
        client.post(kiosk, {"number": case.number, "id_number": OTHER})
    refused = client.post(kiosk, {"number": case.number, "id_number": ADULT}, follow=True)
    assert "尝试失败次数过多" in refused.content.decode() and "19:25" in refused.content.decode()
    scanned = client.post(kiosk, {"link": f"/cases/s/{notice.access_token}/"})
    assert "/slip/" in scanned["Location"]  # the notice's QR code is not locked by the guesser


def test_the_link_never_reaches_the_log(client, corrected, caplog):
    """A path with the token, as the development server and django.request log it (core/logs.py)."""
    _case, notice = corrected
    token = notice.access_token
    with caplog.at_level(logging.INFO):
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /cases/s/{token}/ HTTP/1.1", "200", "512")
        client.get(f"/cases/s/{token}/notices/999999/")  # a 404: "Not Found: <path>"
        logging.getLogger("granian.access").info("%s", f"GET /api/tickets/7?token={token} {ADULT}")
    assert caplog.records and token not in caplog.text and ADULT not in caplog.text
    assert "/cases/s/…/" in caplog.text and "340524********001X" in caplog.text


def test_the_notification_log_masks_the_phone(db, caplog):
    """Issue 9, item 9: the log sender printed whole phone numbers beside case numbers."""
    from weimin.cases.models import Notification
    from weimin.cases.notify import log_sender

    notification = Notification(pk=41, recipient="13800138000", message="办件 201712080010001 已可领取")
    with caplog.at_level("INFO", logger="weimin.notifications"):
        log_sender(notification)
    assert "13800138000" not in caplog.text and "138****8000" in caplog.text and "41" in caplog.text


def test_the_back_office_neither_shows_nor_edits_the_key(client, corrected):
    from django.contrib.auth.models import User

    case, _notice = corrected
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert case.access_hash not in page and 'name="access_hash"' not in page
