"""Issue 10, point 4, on the visitor's phone: the 5-second refresh wiped the comment being typed, the
comment sat under buttons that submitted at once, and a 不满意 asked for no contact."""

import pytest

from weimin.core import clock
from weimin.ratings.models import FollowUp, Rating
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(hall, item, window, clerk):
    return ticket_actions.issue_ticket(hall, item, clock.now())


def test_only_the_status_is_polled_and_the_rating_form_is_never_swapped(client, issued, clerk, window):
    mine, status = f"/t/{issued.token}/", f"/t/{issued.token}/status"
    waiting = client.get(mine).content.decode()
    assert 'hx-trigger="every 5s, weimin-change"' in waiting and 'data-testid="rating-form"' not in waiting
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    assert "HX-Refresh" not in client.get(status).headers
    ticket_actions.complete(clerk, ticket, clock.now())
    polled = client.get(status)
    assert polled.headers["HX-Refresh"] == "true"  # one reload: the page then offers the rating
    assert 'data-testid="rating-form"' not in polled.content.decode()  # the swapped part never holds it
    done = client.get(mine).content.decode()
    assert 'data-testid="rating-form"' in done and "hx-trigger" not in done  # no more polling
    form = done.split('data-testid="rating-form"', 1)[1]
    # Level first, then the comment, then one submit button: choosing a level submits nothing.
    assert form.index('name="level"') < form.index('name="comment"') < form.index('type="submit"')
    assert form.count('type="submit"') == 1 and 'type="radio"' in form
    for level in ("非常不满意", "不满意", "基本满意", "满意", "非常满意"):
        assert f"<span>{level}</span>" in form  # text, not colour alone


def test_a_bad_rating_offers_a_call_back_and_keeps_what_was_typed(client, issued, clerk, window):
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    ticket_actions.complete(clerk, ticket, clock.now())
    page = client.get(f"/t/{issued.token}/").content.decode()
    assert "1 个工作日内与您联系回访" in page and "回访手机号码（选填，仅用于本次回访）" in page
    rate = f"/t/{issued.token}/rate"
    typed = {"level": "2", "comment": "窗口人员态度一般", "phone": "12345"}
    wrong = client.post(rate, typed)
    assert wrong.status_code == 422
    page = wrong.content.decode()
    assert "请输入 11 位手机号码" in page and "窗口人员态度一般" in page and 'value="12345"' in page
    assert not Rating.objects.exists()
    done = client.post(rate, {**typed, "phone": "+86 139-2233-4455"}, follow=True)
    assert "感谢您的评价，大厅将在 1 个工作日内回访。" in done.content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.contact_phone == "13922334455" and follow_up.contact_phone_masked == "139****4455"
    assert follow_up.rating.comment == "窗口人员态度一般"


def test_a_good_rating_keeps_no_phone_number(client, issued, clerk, window):
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    ticket_actions.complete(clerk, ticket, clock.now())
    response = client.post(f"/t/{issued.token}/rate", {"level": "5", "comment": "", "phone": "13800138000"})
    assert response.status_code == 302
    assert Rating.objects.get().level == 5 and not FollowUp.objects.exists()


def test_the_follow_up_shows_the_number_masked_in_the_back_office(client, issued, clerk, window):
    from django.contrib.auth.models import User

    ticket = ticket_actions.call_next(clerk, window, clock.now())
    ticket_actions.complete(clerk, ticket, clock.now())
    client.post(f"/t/{issued.token}/rate", {"level": "1", "phone": "13800138000"})
    client.force_login(User.objects.create_superuser("root", password="x"))
    follow_up = FollowUp.objects.get()
    for url in ("/admin/ratings/followup/", f"/admin/ratings/followup/{follow_up.pk}/change/"):
        page = client.get(url).content.decode()
        assert "138****8000" in page and "13800138000" not in page


def test_you_are_next_instead_of_zero_minutes(client, issued, hall, item):
    """The wait estimate said "约0分钟"; nobody ahead reads 即将叫到, anyone ahead at least a service time."""
    first = client.get(f"/t/{issued.token}/").content.decode()
    assert "即将叫到您" in first and "约0分钟" not in first
    second = ticket_actions.issue_ticket(hall, item, clock.now())
    page = client.get(f"/t/{second.token}/").content.decode()
    assert "前面还有1人" in page and f"约{item.handling_minutes}分钟" in page
