"""Reads that the campaign's pages, API, command and other apps share. The rivers app reads a project's
progress beside its river through ``projects_on_river`` and ``project_progress``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum

from weimin.campaign import rules
from weimin.campaign.models import Contact, Household, HouseholdEvent, Owner, Project, Task, Team
from weimin.campaign.rules import Direction, EventKind, Outcome, TaskKind
from weimin.core import clock
from weimin.core.inputs import phone_number

ZONE = ZoneInfo(settings.TIME_ZONE)


def project_by_code(code: str) -> Project | None:
    return Project.objects.filter(code=code[:40]).first()


def projects_on_river(river: str):
    """The projects clearing the banks of ``river`` (by its name, as the river office writes it)."""
    return Project.objects.filter(river=river.strip()[:40])


def is_member(user, project: Project) -> bool:
    return Team.objects.filter(Q(members=user) | Q(leader=user), project=project).exists()


def teams_led_by(user, project: Project):
    return Team.objects.filter(project=project, leader=user)


def team_of(user, project: Project) -> Team | None:
    """The team ``user`` leads, else the first they belong to."""
    return teams_led_by(user, project).first() or project.teams.filter(members=user).first()


def projects_of(user):
    """The projects whose teams ``user`` is on, first by code."""
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(Q(teams__members=user) | Q(teams__leader=user)).distinct()


def leads_team_of(user, household: Household) -> bool:
    return user.is_superuser or (household.team_id is not None and household.team.leader_id == user.pk)


def is_bound(user, household: Household) -> bool:
    """The household's bound cadre, its leader, or the leader of its team: who changes its status, records its
    meetings and reads its phones whole."""
    return user.pk in (household.cadre_id, household.leader_id) or leads_team_of(user, household)


def household_by_token(token: str) -> Household | None:
    return Household.objects.select_related("project", "team", "cadre", "leader").filter(token=token[:24]).first()


def owners_by_phone(project: Project, phone: str) -> list[Owner]:
    """The owners with this phone (or other phone) in the project, the phone typed any way: more than one
    household's when one person owns two properties, or a family shares a number."""
    try:
        digits = rules.dialled(phone_number(phone))
    except Exception:  # noqa: BLE001 — a bad number simply matches nobody
        return []
    if not digits:
        return []
    return list(
        Owner.objects.select_related("household")
        .filter(Q(phone=digits) | Q(other_phone=digits), household__project=project)
        .order_by("id")
    )


def local_today(now: datetime):
    return now.astimezone(ZONE).date()


def project_progress(project: Project, now: datetime | None = None) -> dict:
    """The project's figures, as ``weimin campaign progress --format json`` prints them (at ``now``, by
    default the clock's)."""
    now = now or clock.now()
    figures = progress_figures(project, now)
    open_tasks = project.tasks.filter(done_at__isnull=True)
    return {
        "project": project.code,
        "target_area_m2": float(figures.target_area),
        "cleared_area_m2": float(figures.cleared_area),
        "deadline": project.deadline.isoformat(),
        "required_daily_m2": float(figures.required_daily),
        "households": figures.households,
        "signing_rate_households": figures.signing_rate_households,
        "signing_rate_area": figures.signing_rate_area,
        "open_callbacks": open_tasks.filter(kind=TaskKind.CALLBACK).count(),
        "overdue_tasks": open_tasks.filter(due_at__lt=now).count(),
    }


def progress_figures(project: Project, now: datetime) -> rules.Progress:
    households = [
        rules.Household(rules.Status(status), area)
        for status, area in project.households.values_list("status", "floor_area_m2")
    ]
    return rules.progress(households, project.target_area_m2, local_today(now), project.deadline)


def cleared_by_day(project: Project) -> dict:
    """Floor area cleared (moved out) per local day, from the events."""
    by_day: dict = defaultdict(Decimal)
    rows = HouseholdEvent.objects.filter(household__project=project, kind=EventKind.MOVED_OUT).values_list(
        "at", "household__floor_area_m2"
    )
    for at, area in rows:
        by_day[at.astimezone(ZONE).date()] += area
    return by_day


def by_status(project: Project, group: str, order: str = "") -> list[dict]:
    """Households by status per team (``team__name``, in the teams' order ``team__id``) or per cadre
    (``cadre__staff_profile__display_name``), with the signing rate and the area signed."""
    signed = Q(status__in=rules.SIGNED_STATUSES)
    rows = (
        project.households.values(group)
        .annotate(
            total=Count("id"),
            signed_count=Count("id", filter=signed),
            area=Sum("floor_area_m2"),
            signed_area=Sum("floor_area_m2", filter=signed),
            **{f"n_{status.value}": Count("id", filter=Q(status=status)) for status in rules.Status},
        )
        .order_by(order or group)
    )
    return [
        {
            **row,
            "name": row[group] or "—",
            "rate": rules.rate(row["signed_count"], row["total"]),
            "statuses": [row[f"n_{status.value}"] for status in rules.Status],
        }  # fmt: skip
        for row in rows
    ]


def households_of(cadre, project: Project):
    return project.households.filter(cadre=cadre).prefetch_related("owners").order_by("status", "number")


def open_tasks_of(user, project: Project):
    return (
        project.tasks.filter(assignee=user, done_at__isnull=True)
        .select_related("household", "contact")
        .order_by("due_at")
    )


def leader_view(leader, project: Project, now: datetime) -> dict:
    """What the leader's page shows: today's calls, missed calls not yet returned (target zero), visits due,
    overdue tasks (escalated), for the households and tasks the leader is over."""
    start = datetime.combine(local_today(now), datetime.min.time(), tzinfo=ZONE)
    tasks = Task.objects.filter(project=project, leader=leader, done_at__isnull=True).select_related(
        "household", "assignee__staff_profile", "contact"
    )
    calls = Contact.objects.filter(project=project, at__gte=start, at__lt=start + timedelta(days=1)).filter(
        Q(household__leader=leader) | Q(household=None, logged_by__in=team_people(leader, project))
    )
    return {
        "calls_today": calls.count(),
        "calls_in": calls.filter(direction=Direction.IN).count(),
        "missed_today": calls.filter(outcome=Outcome.MISSED).count(),
        "unreturned": list(tasks.filter(kind=TaskKind.CALLBACK).order_by("due_at")),
        "visits_due": list(tasks.filter(kind=TaskKind.VISIT).order_by("due_at")),
        "overdue": [task for task in tasks.order_by("due_at") if task.overdue(now)],
    }


def team_people(leader, project: Project) -> list[int]:
    ids = {leader.pk}
    for team in teams_led_by(leader, project).prefetch_related("members"):
        ids |= {member.pk for member in team.members.all()}
    return sorted(ids)


def team_cadres(household: Household) -> list:
    """Those a household may be bound to: its team's cadres and leader."""
    if household.team is None:
        return []
    team = household.team
    return [team.leader, *team.members.exclude(pk=team.leader_id).select_related("staff_profile")]


def history(household: Household):
    return household.events.select_related("actor__staff_profile").order_by("at", "id")
