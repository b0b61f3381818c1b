"""The demo's expropriation campaign (征拆, issue 13): Pinghu's 木古河 project with its four teams, a few hundred
households and their owners, and a believable month of work up to the demo clock (Friday 2017-12-08 18:30):
negotiations, signings and a few retracted agreements, households moved out and demolished, the calls and
visits of the last days with today's call-backs and visits, incidents and assistance. Built once (a project
already there is left as it is), deterministic from its seed, inserted in bulk."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from weimin.accounts.choices import Role
from weimin.accounts.models import StaffProfile
from weimin.campaign import rules
from weimin.campaign.models import (
    Assistance,
    Contact,
    Household,
    Incident,
    Meeting,
    Owner,
    Project,
    Task,
    Team,
    new_event,
)
from weimin.campaign.rules import EventKind, Status, TaskKind
from weimin.core.db import insert_rows
from weimin.core.identity import CREDIT_CHARSET, credit_check_char, id_check_char
from weimin.demo import data

ZONE = ZoneInfo(settings.TIME_ZONE)
UNTIL = datetime(2017, 12, 8, 18, 30, tzinfo=ZONE)  # the demo clock (demo command's DEFAULT_DEMO_CLOCK)
SEED = 20171106
# How far each household has come by the demo clock (shares of households).
FINAL_SHARES = {
    Status.NOT_CONTACTED: 0.04,
    Status.NEGOTIATING: 0.30,
    Status.SIGNED: 0.22,
    Status.MOVED_OUT: 0.24,
    Status.DEMOLISHED: 0.16,
    Status.BREACHED: 0.04,
}
BREACH_REASONS = [
    "家人对补偿金额有异议，要求重新评估",
    "听信传言认为后期补偿更高",
    "子女不同意产权调换地点",
    "认为装修部分评估过低",
]
# Owners' concerns; 厂房设备搬迁 only for factories.
CONCERNS = ["装修补偿", "过渡期租房", "孩子上学", "老人看病", "厂房设备搬迁", "安置房位置", "评估价偏低"]
# Compensation items offered (name, lowest, highest yuan); 停产停业损失 only for shops and factories.
ITEMS = [
    ("搬迁费", 8_000, 30_000),
    ("临时安置费", 12_000, 60_000),
    ("装修补偿", 20_000, 150_000),
    ("停产停业损失", 50_000, 400_000),
    ("按期签约奖励", 10_000, 50_000),
]


@dataclass(frozen=True)
class CampaignSummary:
    households: int
    owners: int
    events: int
    contacts: int
    tasks: int


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def seed_campaign(password_hash: str) -> CampaignSummary | None:
    """The project, its teams and history; None when the demo database has it already."""
    spec = data.CAMPAIGN_PROJECT
    if Project.objects.filter(code=spec["code"]).exists():
        return None
    rng = random.Random(SEED)
    started = date.fromisoformat(spec["started_on"])
    project = Project.objects.create(
        code=spec["code"],
        name=spec["name"],
        river=spec["river"],
        target_area_m2=Decimal(spec["target_area_m2"]),
        started_on=started,
        deadline=date.fromisoformat(spec["deadline"]),
        signing_threshold=Decimal(str(settings.WEIMIN_CAMPAIGN_SIGNING_THRESHOLD)),
    )
    teams = _teams(project, started, password_hash)
    households = _households(project, teams, rng)
    owners = _owners(households, rng)
    events = _history(households, started, rng)
    contacts, tasks = _calls(project, households, rng)
    _meetings_incidents_assistance(households, rng)
    return CampaignSummary(len(households), owners, events, contacts, tasks)


def _teams(project: Project, started: date, password_hash: str) -> list[tuple[Team, list]]:
    User = get_user_model()  # noqa: N806
    role = Group.objects.get(name=Role.CAMPAIGN_TEAM)

    def account(username: str, name: str):
        user, created = User.objects.get_or_create(username=username, defaults={"password": password_hash})
        if created:
            user.groups.add(role)
            StaffProfile.objects.create(user=user, display_name=name)
        return user

    teams = []
    for name, (leader_username, leader_name), cadres in data.CAMPAIGN_TEAMS:
        leader = account(leader_username, leader_name)
        members = [account(username, person) for username, person in cadres]
        team = Team.objects.create(project=project, name=name, leader=leader, formed_on=started)
        team.members.set(members)
        teams.append((team, members))
    return teams


def _households(project: Project, teams, rng: random.Random) -> list[Household]:
    """Houses of 80–400 m², shops, and a few factories of 600–3,000 m², scaled to the target area."""
    uses = rng.choices(["residential", "commercial", "industrial"], weights=[74, 16, 10], k=data.CAMPAIGN_HOUSEHOLDS)
    raw = [rng.uniform(600, 3000) if use == "industrial" else rng.uniform(80, 400) for use in uses]
    scale = data.CAMPAIGN_PROJECT["target_area_m2"] / sum(raw)
    statuses = rng.choices(list(FINAL_SHARES), weights=list(FINAL_SHARES.values()), k=len(uses))
    rows = []
    for n, (use, area, status) in enumerate(zip(uses, raw, statuses, strict=True), start=1):
        team, cadres = teams[(n - 1) * len(teams) // len(uses)]
        street = data.CAMPAIGN_STREETS[n % len(data.CAMPAIGN_STREETS)]
        rows.append(
            Household(
                project=project,
                number=f"MG-{n:04d}",
                address=f"平湖街道{street}{n // 5 + 1}号",
                building=f"{n % 5 + 1}栋",
                floor_area_m2=Decimal(area * scale).quantize(Decimal("0.01")),
                use=use,
                status=status,
                team=team,
                cadre=cadres[n % len(cadres)],
                leader=team.leader,
            )
        )
    Household.objects.bulk_create(rows)
    return list(project.households.select_related("team").order_by("number"))


def _person_id(rng: random.Random) -> str:
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 52))
    first17 = f"440307{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_char(first17)


def _credit_code(rng: random.Random) -> str:
    first17 = "91440300" + "".join(rng.choice(CREDIT_CHARSET) for _ in range(9))
    return first17 + credit_check_char(first17)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _owners(households: list[Household], rng: random.Random) -> int:
    rows = []
    for household in households:
        if household.use == "industrial" and rng.random() < 0.7:
            name = f"深圳市{rng.choice(data.SURNAMES)}氏{rng.choice(['五金', '塑胶', '电子', '印刷'])}有限公司"
            rows.append(
                Owner(household=household, kind="company", name=name, credit_code=_credit_code(rng), phone=_mobile(rng))
            )
            continue
        surname = rng.choice(data.SURNAMES)
        for k in range(rng.choice([1, 1, 2, 2, 3])):
            given = rng.choice(data.GIVEN) + (rng.choice(data.GIVEN) if rng.random() < 0.6 else "")
            rows.append(
                Owner(
                    household=household,
                    name=(surname if k == 0 else rng.choice(data.SURNAMES)) + given,
                    id_number=_person_id(rng),
                    phone=_mobile(rng),
                    other_phone=_mobile(rng) if rng.random() < 0.2 else "",
                )
            )
    Owner.objects.bulk_create(rows)
    return len(rows)


def _day_at(rng: random.Random, day: date) -> datetime:
    return local(day, rng.randrange(9, 20), rng.randrange(60))


def _history(households: list[Household], started: date, rng: random.Random) -> int:
    """Each household's steps to the status it was given, at plausible days; a step that would fall after
    the demo clock is not taken (the household stays where it got to)."""
    rows = []
    last_day = UNTIL.date()
    for household in households:
        target = Status(household.status)
        cadre = household.cadre
        steps = [(EventKind.REGISTERED, local(started, 9), None, "")]
        plan = {
            Status.NOT_CONTACTED: [],
            Status.NEGOTIATING: [EventKind.CONTACTED],
            Status.SIGNED: [EventKind.CONTACTED, EventKind.SIGNED],
            Status.MOVED_OUT: [EventKind.CONTACTED, EventKind.SIGNED, EventKind.MOVED_OUT],
            Status.DEMOLISHED: [EventKind.CONTACTED, EventKind.SIGNED, EventKind.MOVED_OUT, EventKind.DEMOLISHED],
            Status.BREACHED: [EventKind.CONTACTED, EventKind.SIGNED, EventKind.BREACHED],
        }[target]
        if target == Status.NEGOTIATING and rng.random() < 0.08:  # retracted, then back at the table
            plan = [EventKind.CONTACTED, EventKind.SIGNED, EventKind.BREACHED, EventKind.RENEGOTIATING]
        gaps = {
            EventKind.CONTACTED: (1, 12),
            EventKind.SIGNED: (3, 14),
            EventKind.MOVED_OUT: (2, 8),
            EventKind.DEMOLISHED: (2, 6),
            EventKind.BREACHED: (1, 5),
            EventKind.RENEGOTIATING: (1, 3),
        }
        day = started
        for kind in plan:
            day = day + timedelta(days=rng.randint(*gaps[kind]))
            if day > last_day:
                break
            at = min(_day_at(rng, day), UNTIL - timedelta(minutes=30))
            reason = (
                rng.choice(BREACH_REASONS)
                if kind == EventKind.BREACHED
                else ("重新评估装修部分后再谈" if kind == EventKind.RENEGOTIATING else "")
            )
            steps.append((kind, at, household.leader if kind == EventKind.RENEGOTIATING else cadre, reason))
        status = None
        for kind, at, actor, reason in steps:
            before, status = status, rules.after(status, kind)
            detail = {"from": before, "to": status}
            if kind == EventKind.SIGNED:
                detail["agreement"] = f"MGH-2017-{household.number[3:]}"
            rows.append(new_event(household, kind, at, actor, reason=reason, **detail))
        household.status = status
    insert_rows(rows)
    Household.objects.bulk_update(households, ["status"])
    return len(rows)


def _calls(project: Project, households: list[Household], rng: random.Random) -> tuple[int, int]:
    """The last three days' calls and visits, and today's work: every missed call returned within the hour but
    two (one overdue, escalated to its leader), visits asked for today still due tonight."""
    contacts, tasks = [], []
    first_owner = {o.household_id: o for o in Owner.objects.filter(household__project=project).order_by("-id")}
    open_ones = [h for h in households if h.status in (Status.NEGOTIATING, Status.BREACHED, Status.NOT_CONTACTED)]
    for days_ago in (2, 1, 0):
        day = UNTIL.date() - timedelta(days=days_ago)
        for _ in range(rng.randint(70, 95)):
            household = rng.choice(households)
            owner = first_owner.get(household.pk)
            at = _day_at(rng, day)
            if at >= UNTIL - timedelta(minutes=5):
                continue
            inbound = rng.random() < 0.55
            missed = inbound and rng.random() < 0.15
            purpose = rng.choices(["negotiation", "enquiry", "complaint", "other"], weights=[45, 35, 8, 12])[0]
            contacts.append(
                Contact(
                    project=project,
                    household=household,
                    owner=owner,
                    phone=owner.phone if owner else "",
                    channel=rng.choices(["phone", "visit", "wechat", "walk_in"], weights=[60, 20, 15, 5])[0],
                    direction="in" if inbound else "out",
                    outcome="missed" if missed else "answered",
                    purpose=purpose,
                    at=at,
                    logged_by=household.cadre,
                )
            )
    Contact.objects.bulk_create(contacts)
    by_pk = {h.pk: h for h in households}
    for contact in contacts:
        household = by_pk[contact.household_id]
        kind = (
            TaskKind.CALLBACK
            if contact.outcome == "missed"
            else (TaskKind.VISIT if contact.direction == "in" and contact.purpose == "negotiation" else None)
        )
        if kind is None:
            continue
        due = (
            contact.at + timedelta(hours=1)
            if kind == TaskKind.CALLBACK
            else local(contact.at.astimezone(ZONE).date(), 23, 59)
        )
        done = contact.at + timedelta(minutes=rng.randint(5, 50) if kind == TaskKind.CALLBACK else rng.randint(40, 300))
        # Visits asked for this afternoon are still ahead tonight; everything earlier has been done.
        visit_tonight = kind == TaskKind.VISIT and contact.at.astimezone(ZONE) >= local(UNTIL.date(), 14)
        done = None if visit_tonight or done >= UNTIL - timedelta(minutes=20) else done
        tasks.append(
            Task(
                project=project,
                household=household,
                contact=contact,
                kind=kind,
                assignee=household.cadre,
                leader=household.leader,
                created_at=contact.at,
                due_at=due,
                done_at=done,
                done_by=household.cadre if done else None,
            )
        )
    # Today's two unreturned missed calls on the second team (刘庆良's): one overdue since 18:10, one due at 19:20.
    second = [h for h in open_ones if h.team.leader.get_username() == "campaign"]
    for household, minutes_ago in zip(rng.sample(second, 2), (80, 10), strict=True):
        owner = first_owner.get(household.pk)
        at = UNTIL - timedelta(minutes=minutes_ago)
        contact = Contact.objects.create(
            project=project,
            household=household,
            owner=owner,
            phone=owner.phone,
            channel="phone",
            direction="in",
            outcome="missed",
            purpose="other",
            at=at,
            logged_by=household.leader,
            note="值班电话未接",
        )
        contacts.append(contact)
        overdue = at + timedelta(hours=1) < UNTIL
        tasks.append(
            Task(
                project=project,
                household=household,
                contact=contact,
                kind=TaskKind.CALLBACK,
                assignee=household.cadre,
                leader=household.leader,
                created_at=at,
                due_at=at + timedelta(hours=1),
                escalated_at=UNTIL - timedelta(minutes=5) if overdue else None,
            )
        )
    Task.objects.bulk_create(tasks)
    return len(contacts), len(tasks)


def _meetings_incidents_assistance(households: list[Household], rng: random.Random) -> None:
    meetings = []
    talked = [h for h in households if h.status != Status.NOT_CONTACTED]
    for household in talked:
        for _ in range(rng.randint(1, 3)):
            day = date(2017, 11, 8) + timedelta(days=rng.randrange(30))
            items = [
                {"name": n, "amount": f"{rng.randrange(lo, hi, 500)}.00"}
                for n, lo, hi in rng.sample(ITEMS if household.use != "residential" else ITEMS[:3] + ITEMS[4:], 3)
            ]
            exchange = rng.random() < 0.35
            meetings.append(
                Meeting(
                    household=household,
                    at=_day_at(rng, day),
                    owner_attendees="户主及家属",
                    valuation=Decimal(float(household.floor_area_m2) * rng.uniform(18_000, 26_000)).quantize(
                        Decimal("1")
                    ),
                    items=items,
                    resettlement="exchange" if exchange else "money",
                    resettlement_amount=None if exchange else Decimal(rng.randrange(800_000, 6_000_000, 1000)),
                    exchange_area_m2=household.floor_area_m2 if exchange else None,
                    position=rng.choices(["agrees", "hesitates", "refuses"], weights=[5, 4, 1])[0],
                    concerns="、".join(
                        rng.sample(CONCERNS if household.use == "industrial" else CONCERNS[:4] + CONCERNS[5:], 2)
                    ),
                    next_step="约定下次面谈，补充评估材料",
                    logged_by=household.cadre,
                )
            )
    Meeting.objects.bulk_create(meetings)
    through = Meeting.attendees.through
    through.objects.bulk_create([through(meeting_id=m.pk, user_id=m.logged_by_id) for m in meetings])
    flagged = rng.sample([h for h in households if h.status in (Status.NEGOTIATING, Status.BREACHED)], 8)
    kinds = [
        "refused_entry",
        "verbal_abuse",
        "refused_entry",
        "threat",
        "verbal_abuse",
        "violence",
        "refused_entry",
        "verbal_abuse",
    ]
    Incident.objects.bulk_create(
        Incident(
            household=h,
            kind=kind,
            at=_day_at(rng, date(2017, 11, 20) + timedelta(days=rng.randrange(18))),
            place=h.address,
            people="户主及亲属",
            description="工作人员上门时发生冲突，未造成人员受伤",
            follow_up="报社区民警备案，此后两人以上同行",
            reported_by=h.cadre,
            reported_at=UNTIL - timedelta(days=1),
        )
        for h, kind in zip(flagged, kinds, strict=True)
    )
    Household.objects.filter(pk__in=[h.pk for h in flagged]).update(no_solo_visits=True)
    needs = [
        ("work", "户主搬迁后需重新找工作"),
        ("schooling", "孩子需转学到平湖中心小学"),
        ("elderly_care", "家中老人需养老院床位"),
        ("moving", "独居老人需帮忙搬家"),
    ]
    Assistance.objects.bulk_create(
        Assistance(
            household=h,
            kind=kind,
            description=text,
            opened_at=local(date(2017, 11, 15) + timedelta(days=n), 10),
            opened_by=h.cadre,
            assignee=h.cadre,
            closed_at=local(date(2017, 11, 20) + timedelta(days=n), 16) if n % 3 else None,
            resolution="已协调解决" if n % 3 else "",
        )
        for n, (h, (kind, text)) in enumerate(zip(rng.sample(talked, 16), needs * 4, strict=True))
    )
