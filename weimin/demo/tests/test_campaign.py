"""The demo's expropriation campaign: Pinghu's 木古河 project at the demo clock, seeded once."""

import time
from datetime import date

import pytest
from django.contrib.auth.hashers import make_password

from weimin.campaign import queries
from weimin.campaign.integrity import event_sequences
from weimin.campaign.models import Household, Owner, Project
from weimin.demo.campaign import UNTIL, seed_campaign

pytestmark = pytest.mark.django_db


def test_the_mugu_river_project_at_the_demo_clock(freeze):
    freeze("2017-12-08 18:30")
    started = time.monotonic()
    summary = seed_campaign(make_password("x"))
    assert time.monotonic() - started < 10
    project = Project.objects.get(code="mugu-river")
    assert (project.name, project.river, project.target_area_m2, project.deadline) == (
        "木古河综合整治房屋征拆", "木古河", 110_000, date(2017, 12, 31))  # fmt: skip
    teams = list(project.teams.all())
    assert len(teams) == 4 and {t.formed_on for t in teams} == {date(2017, 11, 6)}
    assert project.teams.get(leader__username="campaign").name == "第二临时党支部"
    assert summary.households == Household.objects.count() == 320 and Owner.objects.count() > 320
    assert all(o.id_number or o.credit_code for o in Owner.objects.all())
    figures = queries.project_progress(project, UNTIL)
    assert 0.4 < figures["signing_rate_households"] < 0.8 and 25_000 < figures["cleared_area_m2"] < 70_000
    assert sum(figures["households"].values()) == 320 and figures["households"]["breached"] > 0
    assert abs(figures["required_daily_m2"] - (110_000 - figures["cleared_area_m2"]) / 24) < 0.01
    leader = project.teams.get(leader__username="campaign").leader
    view = queries.leader_view(leader, project, UNTIL)
    assert len(view["unreturned"]) == 2 and len(view["overdue"]) == 1 and view["calls_today"] > 10
    assert view["visits_due"] and all(task.due_at > UNTIL for task in view["visits_due"])  # due tonight
    assert list(event_sequences()) == []
    assert Household.objects.filter(no_solo_visits=True).count() == 8
    assert seed_campaign(make_password("x")) is None  # once: a project already there is left as it is
