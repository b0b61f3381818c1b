"""The river office's pages and the API: who may see them, the body's classes and reasons, the sample form
naming a refused field, the import's row-by-row report, the survey page."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weimin.accounts.actions import issue_token
from weimin.rivers.models import Sample, Survey
from weimin.rivers.tests.conftest import CLEAN, SEVERE, sampled, weekly

pytestmark = pytest.mark.django_db

TODAY = date(2017, 12, 8)


@pytest.fixture
def recorded(river, river_office, freeze):
    now = freeze("2017-12-08 18:30")
    sampled(river, {f"MG-{n}": SEVERE for n in (1, 2, 3)} | {"MG-4": CLEAN}, weekly(TODAY, 4), now)
    return river


def test_the_body_page_shows_classes_reasons_and_the_schematic(client, recorded, river_office):
    client.force_login(river_office)
    home = client.get("/rivers/").content.decode()
    assert "木古河" in home and "重度黑臭" in home
    page = client.get("/rivers/bodies/mugu/").content.decode()
    assert 'data-testid="point-MG-1"' in page and "class-severe" in page
    assert "MG-1、MG-2、MG-3" in page  # the severe stretch
    assert "透明度" in page and "阈值" in page  # a reason worded in Chinese
    assert "数据不足" in page  # MG-5 has no readings
    assert 'data-testid="project-progress"' in page
    assert 'style="' not in page


def test_others_may_not_see_the_rivers(client, recorded, make_staff):
    client.force_login(make_staff("wu", "hall_manager"))
    assert client.get("/rivers/").status_code == 403
    client.force_login(make_staff("office", "district_office", halls=[]))
    assert client.get("/rivers/bodies/mugu/").status_code == 200
    assert client.get("/rivers/samples/new").status_code == 403


def test_the_sample_form_names_the_refused_field(client, recorded, river_office):
    client.force_login(river_office)
    data = {"point": "MG-5", "date": "2017-12-08", **CLEAN, "do_mg_l": "35", "sampler": "张三"}
    page = client.post("/rivers/samples/new", data).content.decode()
    assert 'data-testid="error-do_mg_l"' in page and "溶解氧" in page
    assert not Sample.objects.filter(point__code="MG-5").exists()
    answer = client.post("/rivers/samples/new", {**data, "do_mg_l": "4.2"})
    assert answer.status_code == 302 and Sample.objects.filter(point__code="MG-5").count() == 1


def test_the_import_reports_every_bad_row_and_saves_nothing(client, recorded, river_office):
    client.force_login(river_office)
    text = "body,point,date,depth_cm,transparency_cm,do_mg_l,orp_mv,nh3n_mg_l,sampler\n"
    text += "mugu,MG-5,2017-12-01,60,40,5,120,2,张三\nmugu,MG-5,2017-12-02,60,40,abc,120,2,张三\n"
    upload = SimpleUploadedFile("samples.csv", text.encode("utf-8-sig"), content_type="text/csv")
    page = client.post("/rivers/samples/import", {"file": upload}).content.decode()
    assert 'data-testid="import-errors"' in page and "溶解氧" in page
    assert not Sample.objects.filter(point__code="MG-5").exists()
    good = SimpleUploadedFile("samples.csv", text.split("mugu,MG-5,2017-12-02")[0].encode(), content_type="text/csv")
    assert client.post("/rivers/samples/import", {"file": good}).status_code == 302
    assert Sample.objects.filter(point__code="MG-5").count() == 1


def test_an_excel_workbook_imports(client, recorded, river_office):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["body", "point", "date", "depth_cm", "transparency_cm", "do_mg_l", "orp_mv", "nh3n_mg_l"])
    book.active.append(["mugu", "MG-5", date(2017, 12, 1), 60, 40, 5, 120, 2])
    data = BytesIO()
    book.save(data)
    client.force_login(river_office)
    upload = SimpleUploadedFile("samples.xlsx", data.getvalue())
    assert client.post("/rivers/samples/import", {"file": upload, "sampler": "李四"}).status_code == 302
    assert Sample.objects.get(point__code="MG-5").sampler == "李四"


def test_the_survey_page_records_and_judges(client, recorded, river_office):
    client.force_login(river_office)
    data = {"held_from": "2017-12-01", "held_to": "2017-12-07", "responses": "120", "valid": "130", "satisfied": "1"}
    page = client.post("/rivers/bodies/mugu/surveys/", data).content.decode()
    assert 'data-testid="error-valid"' in page and not Survey.objects.exists()
    assert client.post("/rivers/bodies/mugu/surveys/", {**data, "valid": "110", "satisfied": "101"}).status_code == 302
    page = client.get("/rivers/bodies/mugu/surveys/").content.decode()
    assert "91.8%" in page and "达到满意度要求" in page


def test_the_api_gives_classes_and_reasons(client, recorded, river_office):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(river_office)}"}
    listing = client.get("/api/rivers/bodies", **headers).json()
    assert listing["bodies"][0]["code"] == "mugu" and listing["bodies"][0]["class"] == "severe"
    assert listing["elimination"] == {"eliminated": 0, "listed": 1, "rate": 0.0, "target": 0.9, "met": False}
    body = client.get("/api/rivers/bodies/mugu", **headers).json()
    assert [p["class"] for p in body["points"]] == ["severe", "severe", "severe", "none", "insufficient_data"]
    assert body["severe_stretches"][0]["points"] == ["MG-1", "MG-2", "MG-3"]
    assert body["points"][0]["reasons"][0]["rule"] == "one_indicator" and body["projects"] == []
    # The expropriation project clearing its banks, beside it: the campaign's figures.
    from weimin.campaign.models import Project

    clearing = {"name": "木古河综合整治房屋征拆", "river": "木古河", "target_area_m2": 1000, "signing_threshold": 0.9}
    Project.objects.create(code="mugu-river", started_on=date(2017, 11, 6), deadline=date(2017, 12, 31), **clearing)
    linked = client.get("/api/rivers/bodies/mugu", **headers).json()["projects"]
    assert [(p["project"], p["name"], p["target_area_m2"]) for p in linked] == [
        ("mugu-river", "木古河综合整治房屋征拆", 1000.0)
    ]
    assert {"cleared_area_m2", "required_daily_m2", "signing_rate_area", "households"} <= set(linked[0])
    client.force_login(river_office)
    page = client.get("/rivers/bodies/mugu/").content.decode()
    assert 'href="/campaign/projects/mugu-river/"' in page and "0 / 1000 m²" in page
    assert client.get("/api/rivers/bodies/nope", **headers).status_code == 404
    sample = {"point": "MG-5", "date": "2017-12-08", **{k: float(v) for k, v in CLEAN.items()}, "sampler": "张三"}
    answer = client.post(
        "/api/rivers/samples", json.dumps({**sample, "orp_mv": -5000}), content_type="application/json", **headers
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "orp_mv"
    answer = client.post("/api/rivers/samples", json.dumps(sample), content_type="application/json", **headers)
    assert answer.status_code == 201 and answer.json()["level"] == "none"


def test_odd_values_in_the_river_forms_never_answer_5xx(client, recorded, river_office):
    from weimin.tests.test_page_inputs import ODD

    client.force_login(river_office)
    sample = {"point": "MG-5", "date": "2017-12-08", **CLEAN, "sampler": "张三"}
    survey = {"held_from": "2017-12-01", "held_to": "2017-12-07", "responses": "1", "valid": "1", "satisfied": "1"}
    failures = []
    dates = [v for v in ODD if v[:1] in ("", "\x00", "0", "9", "2", "-")]  # the period's inputs are dates
    for url, fields, method, values in [
        ("/rivers/samples/new", sample, "post", ODD),
        ("/rivers/bodies/mugu/surveys/", {**survey, "note": ""}, "post", ODD),
        ("/rivers/bodies/mugu/", {"start": "2017-11-01", "end": "2017-11-30"}, "get", dates),
        ("/rivers/samples/import", {"sampler": ""}, "post", ODD),
    ]:
        for field in fields:
            for value in values:
                answer = getattr(client, method)(url, {**fields, field: value})
                if answer.status_code >= 500:
                    failures.append((url, field, value, answer.status_code))
    assert failures == []
    for data in (b"", b"\x00\xff\xfe", b"body,point\n\x00", b"PK\x03\x04garbage"):
        for name in ("x.csv", "x.xlsx"):
            answer = client.post("/rivers/samples/import", {"file": SimpleUploadedFile(name, data)})
            assert answer.status_code == 200, (name, data)
