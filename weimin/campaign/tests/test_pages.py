"""The campaign's pages as their users see them: who may open what, whole ID numbers only for the bound
cadre and leader, the import's row-by-row report, the A4 case file."""

import io

import pytest
from openpyxl import Workbook

from weimin.campaign import spreadsheet
from weimin.campaign.models import Contact, IdentityView, Task
from weimin.campaign.tests.conftest import OWNER_ID

pytestmark = pytest.mark.django_db


def test_the_cadre_logs_a_missed_call_and_sees_the_call_back(client, household, people):
    client.force_login(people["wang"])
    page = client.get("/campaign/projects/mugu/mine/")
    assert page.status_code == 200 and "MG-001" in page.content.decode()
    form = {"phone": "13800138000", "channel": "phone", "direction": "in", "outcome": "missed", "purpose": "other",
            "key": "abc", "back": "mine"}  # fmt: skip
    client.post("/campaign/projects/mugu/calls", form)
    client.post("/campaign/projects/mugu/calls", form)  # a double tap
    assert Contact.objects.count() == 1 and Task.objects.get().kind == "callback"
    body = client.get("/campaign/projects/mugu/mine/").content.decode()
    assert 'data-testid="task-callback"' in body and "138****8000" in body and "13800138000" not in body.split(
        'data-testid="my-households"')[1]  # fmt: skip


def test_whole_id_numbers_only_for_the_bound_cadre_and_audited(client, household, people):
    client.force_login(people["zhao"])
    body = client.get(f"/campaign/households/{household.token}/").content.decode()
    assert OWNER_ID not in body and "340524********001X" in body and "138****8000" in body
    client.force_login(people["wang"])
    assert OWNER_ID in client.get(f"/campaign/households/{household.token}/").content.decode()
    assert OWNER_ID in client.get(f"/campaign/households/{household.token}/file").content.decode()
    assert IdentityView.objects.filter(viewer=people["wang"]).count() == 2
    assert not IdentityView.objects.filter(viewer=people["zhao"]).exists()


def test_pages_refuse_those_off_the_project(client, household, people, make_staff):
    client.force_login(make_staff("he", "river_office", halls=[]))
    assert client.get("/campaign/projects/mugu/").status_code == 200  # the progress, nothing personal
    assert client.get(f"/campaign/households/{household.token}/").status_code == 403
    assert client.get("/campaign/projects/mugu/mine/").status_code == 403
    client.force_login(people["wang"])
    assert client.get("/campaign/projects/mugu/lead/").status_code == 403
    client.force_login(people["liu"])
    assert client.get("/campaign/").url == "/campaign/projects/mugu/lead/"
    page = client.get("/campaign/projects/mugu/lead/").content.decode()
    assert 'data-testid="unreturned-count">0<' in page


def test_a_bad_row_is_reported_by_row_and_column(client, team, people):
    book = Workbook()
    book.active.append(list(spreadsheet.COLUMNS))
    book.active.append(["MG-9", "木古河边9号", "", "很大", "住宅", "", "", "李四", "个人", OWNER_ID, "", ""])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "households.xlsx"
    client.force_login(people["liu"])
    answer = client.post("/campaign/projects/mugu/import", {"file": data})
    assert answer.status_code == 422
    body = answer.content.decode()
    assert "面积" in body and "<td>2</td>" in body


def test_status_change_and_history_on_the_page(client, household, people):
    client.force_login(people["wang"])
    client.post(f"/campaign/households/{household.token}/status", {"status": "negotiating"})
    client.post(f"/campaign/households/{household.token}/status", {"status": "signed", "agreement": "A-1"})
    body = client.get(f"/campaign/households/{household.token}/").content.decode()
    assert "已签约" in body and body.count("<li>2017-12-08") >= 2


def test_a_meeting_with_its_valuation_report_once_and_the_file_for_the_project_only(
    client, household, people, make_staff
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weimin.campaign.models import Attachment, Meeting

    client.force_login(people["wang"])
    form = {
        "attendees": [str(people["zhao"].pk)],
        "position": "hesitates",
        "valuation": "4500000",
        "items": "搬迁费 12000\n临时安置费 30000",
        "resettlement": "money",
        "concerns": "孩子上学",
        "key": "m-1",
    }
    for _ in range(2):  # a double tap
        report = SimpleUploadedFile("评估报告.pdf", b"%PDF-1.4 valuation", content_type="application/pdf")
        client.post(f"/campaign/households/{household.token}/meetings", {**form, "valuation_report": report})
    meeting = Meeting.objects.get()
    assert meeting.offer_total == 42000 and set(meeting.attendees.all()) == {people["wang"], people["zhao"]}
    attachment = Attachment.objects.get()
    assert attachment.kind == "valuation" and attachment.meeting == meeting
    household.refresh_from_db()
    assert household.status == "negotiating"
    assert client.get(f"/campaign/attachments/{attachment.pk}").content == b"%PDF-1.4 valuation"
    client.force_login(make_staff("he", "river_office", halls=[]))
    assert client.get(f"/campaign/attachments/{attachment.pk}").status_code == 403


def test_the_files_only_for_the_bound_cadre_and_leader(client, household, people):
    """A valuation report or an agreement carries whole ID numbers: another cadre of the team sees it listed, not
    its content."""
    from weimin.campaign.models import Attachment

    attachment = Attachment.objects.create(
        household=household, kind="agreement", name="协议.pdf", content_type="application/pdf",
        content=b"%PDF agreement", size=14, uploaded_at=household.events.get().at, uploaded_by=people["wang"],
    )  # fmt: skip
    client.force_login(people["zhao"])
    assert client.get(f"/campaign/attachments/{attachment.pk}").status_code == 403
    body = client.get(f"/campaign/households/{household.token}/").content.decode()
    assert "协议.pdf" in body and f"/campaign/attachments/{attachment.pk}" not in body
    for bound in ("wang", "liu"):
        client.force_login(people[bound])
        assert client.get(f"/campaign/attachments/{attachment.pk}").content == b"%PDF agreement"


def test_another_cadre_sees_the_other_phone_masked_as_itself(client, household, people):
    owner = household.owners.get(name="张伟")
    owner.other_phone = "13712345678"
    owner.save()
    client.force_login(people["zhao"])
    body = client.get(f"/campaign/households/{household.token}/").content.decode()
    assert "137****5678" in body and "13712345678" not in body


def test_the_strip_links_only_the_pages_its_reader_may_open(client, household, people, make_staff):
    """The offices follow the progress only; a cadre has no leader's page: no link to a 403."""
    mine, lead = 'href="/campaign/projects/mugu/mine/"', 'href="/campaign/projects/mugu/lead/"'
    client.force_login(make_staff("he", "district_office", halls=[]))
    body = client.get("/campaign/projects/mugu/").content.decode()
    assert mine not in body and lead not in body
    client.force_login(people["wang"])
    body = client.get("/campaign/projects/mugu/mine/").content.decode()
    assert mine in body and lead not in body
    client.force_login(people["liu"])
    body = client.get("/campaign/projects/mugu/lead/").content.decode()
    assert mine in body and lead in body


def test_the_dashboards_tables_head_their_first_column_team_and_cadre(client, household, people):
    client.force_login(people["liu"])
    body = client.get("/campaign/projects/mugu/").content.decode()
    team, cadre = body.split('data-testid="by-team"')[1], body.split('data-testid="by-cadre"')[1]
    assert '<th class="text">小组</th>' in team and '<th class="text">干部</th>' in cadre and "姓名" not in team
