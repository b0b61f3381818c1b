"""A small project on the article's Friday: one team led by 刘庆良 (``liu``), cadre ``wang`` bound to one
household of two owners."""

from datetime import date
from decimal import Decimal

import pytest

from weimin.campaign.models import Household, Owner, Project, Team, new_event
from weimin.campaign.rules import EventKind, Status

OWNER_ID = "34052419800101001X"
OWNER_PHONE = "13800138000"


@pytest.fixture
def project(db):
    return Project.objects.create(code="mugu", name="木古河综合整治房屋征拆", river="木古河",
                                  target_area_m2=Decimal("1000"), started_on=date(2017, 11, 6),
                                  deadline=date(2017, 12, 31), signing_threshold=Decimal("0.9"))  # fmt: skip


@pytest.fixture
def people(make_staff, freeze):
    freeze("2017-12-08 18:30")
    return {name: make_staff(name, "campaign_team", halls=[]) for name in ("liu", "wang", "zhao", "qian")}


@pytest.fixture
def team(project, people):
    team = Team.objects.create(project=project, name="第二组", leader=people["liu"], formed_on=date(2017, 11, 6))
    team.members.add(people["wang"], people["zhao"])
    return team


@pytest.fixture
def household(project, team, people):
    household = Household.objects.create(project=project, number="MG-001", address="平湖街道木古河边1号",
                                         floor_area_m2=Decimal("250"), team=team, cadre=people["wang"],
                                         leader=people["liu"])  # fmt: skip
    new_event(household, EventKind.REGISTERED, household_registered(), None, to=Status.NOT_CONTACTED).save()
    Owner.objects.create(household=household, name="张伟", id_number=OWNER_ID, phone=OWNER_PHONE)
    Owner.objects.create(household=household, name="张丽", id_number="", phone="13900139000")
    return household


def household_registered():
    from weimin.conftest import local

    return local("2017-11-06 09:00")
