"""Every change in the expropriation campaign (征拆): one transactional function each, used by pages, API,
commands and the demo alike.

A household's status changes only through ``_record``, which applies the life cycle (rules.TRANSITIONS: an
illegal step is a 409 naming it) and writes the HouseholdEvent with who, when and why. A contact logged
twice with the same idempotency key (a double tap, a client's retry) is one contact."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from weimin.accounts.permissions import Action, authorize
from weimin.campaign import queries, rules
from weimin.campaign.choices import STATUS_LABELS, AssistanceKind, AttachmentKind, IncidentKind, OwnerKind
from weimin.campaign.models import (
    Assistance,
    Attachment,
    Contact,
    Household,
    IdentityView,
    Incident,
    Meeting,
    Owner,
    Project,
    Task,
    Team,
    new_event,
)
from weimin.campaign.rules import Channel, Direction, EventKind, Outcome, Purpose, Status, TaskKind
from weimin.core.db import serialize_on
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.core.identity import InvalidCreditCode, parse_credit_code
from weimin.core.inputs import number_problem, phone_number, resident_id
from weimin.core.text import instant_in_range

ZONE = ZoneInfo(settings.TIME_ZONE)  # the project's wall clock: a visit is due by the end of the local day


# --- Who may act on what: the matrix first, then the project's own teams ---


def ensure_member(user, project: Project) -> None:
    """A team member or leader of the project (field work): the matrix's campaign standing, then the teams."""
    authorize(user, Action.CAMPAIGN_WORK, None)
    if not (user.is_superuser or queries.is_member(user, project)):
        raise NotPermitted(_("You are not on a team of %(project)s.") % {"project": project.name})


def ensure_leader(user, project: Project, team: Team | None = None) -> None:
    """A leader of one of the project's teams (of ``team`` when given)."""
    authorize(user, Action.CAMPAIGN_LEAD, None)
    if user.is_superuser:
        return
    leads = queries.teams_led_by(user, project)
    if not leads.exists() or (team is not None and not leads.filter(pk=team.pk).exists()):
        raise NotPermitted(_("Only the team's leader may do this."))


# --- The life cycle ---


def _record(household: Household, kind: EventKind, now: datetime, actor, *, reason: str = "", **detail):
    before = Status(household.status)
    try:
        status = rules.after(before, kind)
    except rules.IllegalTransition:
        raise Refused(
            _("Household %(number)s is “%(status)s”: this step is not possible.")
            % {"number": household.number, "status": STATUS_LABELS[before]},
            field="status",
        ) from None
    if kind in rules.REASON_REQUIRED and not reason.strip():
        raise InvalidInput(_("Say why (the reason is kept with the household's history)."), field="reason")
    household.status = status
    household.save(update_fields=["status", "cadre", "leader", "team", "no_solo_visits"])
    event = new_event(household, kind, now, actor, reason=reason.strip(), **{"from": before, "to": status, **detail})
    event.save()
    return event


@transaction.atomic
def change_status(actor, household: Household, now: datetime, wanted: str, *, reason: str = "", agreement: str = ""):
    """Move a household to ``wanted`` (negotiating, signed, moved_out, demolished, breached): the bound cadre or
    the leader. A breach needs its reason; re-negotiation after a breach needs one too."""
    household = _locked(household)
    _ensure_bound(actor, household)
    try:
        wanted_status = Status(wanted)
    except ValueError:
        raise InvalidInput(_("Choose a status."), field="status") from None
    try:
        kind = rules.event_for(Status(household.status), wanted_status)
    except rules.IllegalTransition:
        raise Refused(_("A household cannot be set back to “not contacted”."), field="status") from None
    detail = {"agreement": agreement.strip()[:60]} if agreement.strip() else {}
    _record(household, kind, now, actor, reason=reason, **detail)
    return household


def _locked(household: Household) -> Household:
    return Household.objects.select_for_update(of=("self",)).select_related("project", "team").get(pk=household.pk)


def _ensure_bound(actor, household: Household) -> None:
    """The household's bound cadre, its leader, or a leader of its team."""
    ensure_member(actor, household.project)
    if not queries.is_bound(actor, household):
        raise NotPermitted(_("Only the household's bound cadre and its leader may do this."))


@transaction.atomic
def reassign(actor, household: Household, now: datetime, cadre, *, reason: str) -> Household:
    """The leader binds (捆绑) the household to ``cadre`` of the team; the open tasks go with it."""
    household = _locked(household)
    team = household.team
    if team is None:
        raise Refused(_("The household has no team: give it one in the back office first."), field="team")
    ensure_leader(actor, household.project, team)
    if cadre is None or not (team.members.filter(pk=cadre.pk).exists() or cadre.pk == team.leader_id):
        raise InvalidInput(_("Choose a cadre of the household's team."), field="cadre")
    if cadre.pk == household.cadre_id:
        raise Refused(_("The household is already bound to this cadre."), field="cadre")
    household.cadre, household.leader = cadre, team.leader
    _record(household, EventKind.REASSIGNED, now, actor, reason=reason, cadre=cadre.get_username())
    household.tasks.filter(done_at__isnull=True).update(assignee=cadre, leader=team.leader)
    return household


# --- Households and owners from Excel ---


@dataclass
class OwnerRow:
    kind: str
    name: str
    number: str  # a resident ID number or a credit code, checked
    phone: str
    other_phone: str


@dataclass
class HouseholdRow:
    number: str
    address: str
    building: str
    area: Decimal
    use: str
    team: Team | None
    cadre: object | None
    owners: list[OwnerRow] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number
    field: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError]
    households: int = 0
    owners: int = 0


USES = {"住宅": "residential", "商铺": "commercial", "厂房": "industrial", "其他": "other"}
KINDS = {"个人": OwnerKind.PERSON, "企业": OwnerKind.COMPANY, "单位": OwnerKind.COMPANY}


def _owner_number(kind: str, value: str, today) -> str:
    if kind == OwnerKind.PERSON:
        return resident_id(value, today, field="id_number").number
    try:
        return parse_credit_code(value)
    except InvalidCreditCode as exc:
        raise InvalidInput(
            _("Invalid credit code: %(reason)s.") % {"reason": number_problem(exc)}, field="credit_code"
        ) from None


def check_rows(project: Project, rows: list[tuple[int, dict]], today) -> tuple[list[HouseholdRow], list[RowError]]:
    """Each spreadsheet row checked on its own (its row number and the field at fault for every problem);
    rows with the same household number are that household's owners."""
    teams = {team.name: team for team in project.teams.prefetch_related("members")}
    existing = set(project.households.values_list("number", flat=True))
    households: dict[str, HouseholdRow] = {}
    errors: list[RowError] = []
    for line, row in rows:

        def fail(name: str, message: str, line=line) -> None:
            errors.append(RowError(line, name, message))

        number = (row.get("number") or "").strip()
        if not number or len(number) > 20:
            fail("number", _("The household number is missing or longer than 20 characters."))
            continue
        if number in existing:
            fail("number", _("Household %(number)s is already in the project.") % {"number": number})
            continue
        household = households.get(number)
        if household is None:
            household = _household_row(number, row, teams, fail)
            if household is None:
                continue
            households[number] = household
        kind = KINDS.get((row.get("kind") or "个人").strip())
        name = (row.get("owner") or "").strip()
        if kind is None:
            fail("kind", _("The owner's kind is 个人 or 企业."))
            continue
        if not name or len(name) > 80:
            fail("owner", _("The owner's name is missing or longer than 80 characters."))
            continue
        try:
            owner_number = _owner_number(kind, row.get("id_number") or "", today)
            phone = rules.dialled(phone_number(row.get("phone") or ""))
            other = rules.dialled(phone_number(row.get("other_phone") or ""))
        except InvalidInput as problem:
            fail(problem.field, problem.message)
            continue
        if any(owner.number == owner_number for owner in household.owners):
            repeated = _("This owner is already on an earlier row of household %(number)s.") % {"number": number}
            fail("id_number", repeated)
            continue
        household.owners.append(OwnerRow(kind, name, owner_number, phone, other))
    return list(households.values()), errors


def _household_row(number, row, teams, fail) -> HouseholdRow | None:
    address = (row.get("address") or "").strip()
    if not address or len(address) > 120:
        fail("address", _("The address is missing or longer than 120 characters."))
        return None
    try:
        area = Decimal(str(row.get("area") or "").strip())
    except InvalidOperation:
        area = Decimal(-1)
    if not area.is_finite():  # NaN cannot even be compared
        area = Decimal(-1)
    if not (Decimal(0) < area < Decimal(10**8)):
        fail("area", _("The floor area must be a number of square metres above 0."))
        return None
    if len((row.get("building") or "").strip()) > 40:
        fail("building", _("The building is longer than 40 characters."))
        return None
    use = USES.get((row.get("use") or "住宅").strip())
    if use is None:
        fail("use", _("The use is one of 住宅, 商铺, 厂房, 其他."))
        return None
    team = None
    cadre = None
    if row.get("team"):
        team = teams.get(row["team"].strip())
        if team is None:
            fail("team", _("No team of the project is called %(name)s.") % {"name": row["team"].strip()[:40]})
            return None
    if row.get("cadre"):
        wanted = row["cadre"].strip()
        people = [*(team.members.all() if team else []), *([team.leader] if team else [])]
        cadre = next((p for p in people if p.get_username() == wanted), None)
        if cadre is None:
            fail("cadre", _("%(name)s is not a cadre of the household's team.") % {"name": wanted[:40]})
            return None
    return HouseholdRow(number, address, (row.get("building") or "").strip(), area.quantize(Decimal("0.01")),
                        use, team, cadre)  # fmt: skip


@transaction.atomic
def import_households(actor, project: Project, now: datetime, rows: list[tuple[int, dict]]) -> ImportReport:
    """Households and their owners from a spreadsheet's rows: all or nothing — with one bad row nothing
    is imported and the report names every bad row and field."""
    ensure_leader(actor, project)
    serialize_on(f"campaign-import:{project.pk}")
    households, errors = check_rows(project, rows, now.astimezone(ZONE).date())
    if not rows:
        errors.append(RowError(1, "file", _("The sheet has no rows below its header.")))
    if errors:
        return ImportReport(errors)
    report = ImportReport([])
    for row in households:
        household = Household.objects.create(
            project=project, number=row.number, address=row.address, building=row.building,
            floor_area_m2=row.area, use=row.use, team=row.team, cadre=row.cadre,
            leader=row.team.leader if row.team else None,
        )  # fmt: skip
        new_event(household, EventKind.REGISTERED, now, actor, **{"from": None, "to": Status.NOT_CONTACTED}).save()
        for owner in row.owners:
            Owner.objects.create(
                household=household, kind=owner.kind, name=owner.name, phone=owner.phone, other_phone=owner.other_phone,
                **({"id_number": owner.number} if owner.kind == OwnerKind.PERSON else {"credit_code": owner.number}),
            )  # fmt: skip
            report.owners += 1
        report.households += 1
    return report


# --- The call log and its tasks ---


@dataclass(frozen=True)
class Logged:
    contact: Contact
    task: Task | None
    created: bool  # False: the same key was logged before (a double tap), nothing new


def _leader_for(actor, project: Project):
    team = queries.team_of(actor, project)
    return team.leader if team else actor


@transaction.atomic
def log_contact(
    actor,
    project: Project,
    now: datetime,
    *,
    channel: str,
    direction: str,
    outcome: str,
    purpose: str,
    household: Household | None = None,
    owner: Owner | None = None,
    phone: str = "",
    note: str = "",
    companion=None,
    key: str = "",
    key_scope: str = "",
    at: datetime | None = None,
    shared_number_unknown: bool = False,
) -> Logged:
    """Log a contact against an owner (found by ``owner``, ``household`` or the phone number). A missed
    inbound call creates a call-back due within WEIMIN_CAMPAIGN_CALLBACK_MINUTES; an inbound request to
    negotiate a visit for the bound cadre due by WEIMIN_CAMPAIGN_VISIT_DUE_DAYS (0: the same day). A number
    matching no owner is kept as an unknown caller with its own call-back; one shared by owners of several
    households is refused naming them (a phone system's call, ``shared_number_unknown``: an unknown caller,
    whom the call-back identifies). An outbound contact that reaches
    the owner closes the household's open call-backs (a visit also its visits)."""
    ensure_member(actor, project)
    try:
        channel, direction = Channel(channel), Direction(direction)
        outcome, purpose = Outcome(outcome), Purpose(purpose)
    except ValueError as exc:
        raise InvalidInput(_("Choose the contact's channel, direction, outcome and purpose."), field="channel") from exc
    # A key is the actor's (their double tap), or ``key_scope``'s: the project's phone system, whoever imports.
    stored_key = f"{key_scope or actor.pk}:{key.strip()}"[:64] if key.strip() else None
    if stored_key:
        serialize_on(f"campaign-contact:{stored_key}")
        earlier = Contact.objects.filter(key=stored_key).first()
        if earlier is not None:
            return Logged(earlier, earlier.tasks.first(), created=False)
    phone = rules.dialled(phone_number(phone))
    if owner is not None:
        household = owner.household
    elif household is None and phone:
        owners = queries.owners_by_phone(project, phone)
        numbers = sorted({o.household.number for o in owners})
        if len(numbers) > 1 and not shared_number_unknown:
            raise InvalidInput(
                _("The number belongs to owners of households %(numbers)s: log the call on the household's page.")
                % {"numbers": "、".join(numbers)},
                field="phone",
            )
        owner = owners[0] if len(numbers) == 1 else None
        household = owner.household if owner else None
    if household is not None and household.project_id != project.pk:
        raise InvalidInput(_("The household is not in this project."), field="owner")
    if household is None and not phone:
        raise InvalidInput(_("Give the owner or the phone number."), field="phone")
    if household is not None and owner is None:
        owner = household.owners.first()
    alone = companion is None or companion.pk == actor.pk
    if channel == Channel.VISIT and household is not None and household.no_solo_visits and alone:
        raise Refused(
            _("Nobody visits this household alone since an incident: name the second attendee."), field="companion"
        )
    when = at or now
    contact = Contact.objects.create(
        project=project, household=household, owner=owner, phone=phone or (owner.phone if owner else ""),
        channel=channel, direction=direction, outcome=outcome, purpose=purpose, note=note.strip()[:300], at=when,
        logged_by=actor, companion=companion, key=stored_key,
    )  # fmt: skip
    if household is not None and outcome == Outcome.ANSWERED and direction == Direction.OUT:
        kinds = [TaskKind.CALLBACK, *([TaskKind.VISIT] if channel == Channel.VISIT else [])]
        household.tasks.filter(done_at__isnull=True, kind__in=kinds).update(
            done_at=now, done_by=actor, done_note=_("Reached the owner")
        )
    elif household is None and direction == Direction.OUT and outcome == Outcome.ANSWERED:
        project.tasks.filter(household=None, contact__phone=contact.phone, done_at__isnull=True).update(
            done_at=now, done_by=actor, done_note=_("Reached the caller")
        )
    if household is not None and outcome == Outcome.ANSWERED and purpose == Purpose.NEGOTIATION:
        household = _locked(household)  # read again: the caller's copy may predate an earlier contact
        if household.status == Status.NOT_CONTACTED:
            _record(household, EventKind.CONTACTED, now, actor)
    kind = rules.task_for(direction, outcome, purpose)
    task = None
    if kind is not None:
        task = _open_task(project, household, contact, kind, when, now, actor)
    return Logged(contact, task, created=True)


def _open_task(project, household, contact, kind: TaskKind, when: datetime, now: datetime, actor) -> Task:
    if kind == TaskKind.CALLBACK:
        due = rules.callback_due(when, settings.WEIMIN_CAMPAIGN_CALLBACK_MINUTES)
    else:
        due = rules.visit_due(when.astimezone(ZONE), settings.WEIMIN_CAMPAIGN_VISIT_DUE_DAYS)
    if household is not None and household.cadre_id:
        assignee, leader = household.cadre, household.leader or household.cadre
    else:  # an unknown caller, or a household nobody is bound to yet: whoever logged it, under their leader
        assignee, leader = actor, (household.leader if household and household.leader_id else None)
        leader = leader or _leader_for(actor, project)
    return Task.objects.create(project=project, household=household, contact=contact, kind=kind, assignee=assignee,
                               leader=leader, created_at=now, due_at=due)  # fmt: skip


@transaction.atomic
def complete_task(actor, task: Task, now: datetime, *, note: str = "") -> Task:
    """The assignee (or the leader) marks the task done with what came of it."""
    ensure_member(actor, task.project)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not actor.is_superuser and actor.pk not in (task.assignee_id, task.leader_id):
        raise NotPermitted(_("Only the task's cadre and leader may close it."))
    if task.done_at is not None:
        raise Refused(_("The task is already done."), field="task")
    task.done_at, task.done_by, task.done_note = now, actor, note.strip()[:300]
    task.save(update_fields=["done_at", "done_by", "done_note"])
    return task


def escalate_overdue(now: datetime) -> int:
    """Mark every open task past its due time as escalated to its leader (``weimin campaign escalate``, run
    every few minutes; the leader's page also counts overdue tasks on read). Returns how many were new."""
    return Task.objects.filter(done_at__isnull=True, due_at__lt=now, escalated_at__isnull=True).update(escalated_at=now)


@dataclass
class MissedCallsReport:
    errors: list[RowError]
    logged: int = 0
    repeated: int = 0


@transaction.atomic
def import_missed_calls(actor, project: Project, now: datetime, rows: list[tuple[int, str, str]]) -> MissedCallsReport:
    """A phone system's missed calls ((row, number, time) from its CSV): each becomes a missed inbound call with
    its call-back, once — the same number and time imported again is the same call. All or nothing."""
    ensure_leader(actor, project)
    checked, errors = [], []
    for line, number, when in rows:
        try:
            phone = rules.dialled(phone_number(number))
            if not phone:
                raise InvalidInput(_("The phone number is missing."), field="phone")
        except InvalidInput as problem:
            errors.append(RowError(line, "phone", problem.message))
            continue
        try:
            at = datetime.fromisoformat(when.strip())
        except ValueError:
            errors.append(RowError(line, "time", _("Give the time as 2017-12-08 18:30.")))
            continue
        if at.date() < project.started_on:  # a mistyped year, or year 1 that would overflow a time zone shift
            errors.append(RowError(line, "time", _("The time is before the project started on %(day)s.") % {
                "day": project.started_on.isoformat()}))  # fmt: skip
            continue
        if not instant_in_range(at):
            errors.append(RowError(line, "time", _("The time is in the future.")))
            continue
        at = at if at.tzinfo else at.replace(tzinfo=ZONE)
        if at > now:
            errors.append(RowError(line, "time", _("The time is in the future.")))
            continue
        checked.append((phone, at))
    if errors or not rows:
        return MissedCallsReport(errors or [RowError(1, "file", _("The file has no calls."))])
    report = MissedCallsReport([])
    for phone, at in checked:
        logged = log_contact(
            actor, project, now, channel=Channel.PHONE, direction=Direction.IN, outcome=Outcome.MISSED,
            purpose=Purpose.OTHER, phone=phone, at=at, note=_("Missed call from the phone system"),
            key=f"csv:{phone}:{at.isoformat()}", key_scope=f"project{project.pk}", shared_number_unknown=True,
        )  # fmt: skip
        if logged.created:
            report.logged += 1
        else:
            report.repeated += 1
    return report


# --- Negotiation ---


@dataclass(frozen=True)
class Upload:
    kind: str
    name: str
    content_type: str
    content: bytes


def compensation_items(text: str) -> list[dict]:
    """Lines of "name amount" (搬迁费 12000) as [{"name", "amount"}]; an error names the line."""
    items = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, amount = line.replace("：", " ").replace(":", " ").rpartition(" ")
        try:
            value = Decimal(amount.replace(",", "").replace("，", ""))
        except InvalidOperation:
            value = None
        if value is not None and not value.is_finite():  # NaN cannot even be compared with 0
            value = None
        if not name.strip() or value is None or value < 0 or value >= 10**12:
            raise InvalidInput(
                _("Line %(n)s: write an item and its amount in yuan, e.g. 搬迁费 12000.") % {"n": n}, field="items"
            )
        items.append({"name": name.strip()[:40], "amount": str(value.quantize(Decimal("0.01")))})
    return items


@transaction.atomic
def record_meeting(
    actor,
    household: Household,
    now: datetime,
    *,
    attendees: list,
    position: str,
    owner_attendees: str = "",
    valuation: Decimal | None = None,
    items: list[dict] | None = None,
    resettlement: str = "",
    resettlement_amount: Decimal | None = None,
    exchange_area_m2: Decimal | None = None,
    concerns: str = "",
    next_step: str = "",
    files: list[Upload] = (),
    key: str = "",
    at: datetime | None = None,
) -> Meeting:
    """A negotiation meeting with its offer and files. A household not yet contacted is in negotiation from
    its first meeting. A household flagged by an incident needs two of the team there."""
    household = _locked(household)
    _ensure_bound(actor, household)
    stored_key = f"{actor.pk}:{key.strip()}"[:64] if key.strip() else None
    if stored_key and (earlier := Meeting.objects.filter(key=stored_key).first()):
        return earlier
    people = {person.pk: person for person in [actor, *attendees]}
    if household.no_solo_visits and len(people) < 2:
        raise Refused(
            _("Nobody visits this household alone since an incident: name the second attendee."), field="attendees"
        )
    meeting = Meeting.objects.create(
        household=household, at=at or now, owner_attendees=owner_attendees.strip()[:120], valuation=valuation,
        items=items or [], resettlement=resettlement, resettlement_amount=resettlement_amount,
        exchange_area_m2=exchange_area_m2, position=position, concerns=concerns.strip()[:500],
        next_step=next_step.strip()[:300], logged_by=actor, key=stored_key,
    )  # fmt: skip
    meeting.attendees.set(people.values())
    for upload in files:
        _attach(actor, household, now, upload, meeting)
    if household.status == Status.NOT_CONTACTED:
        _record(household, EventKind.CONTACTED, now, actor)
    household.tasks.filter(done_at__isnull=True, kind=TaskKind.VISIT).update(
        done_at=now, done_by=actor, done_note=_("Met the owner")
    )
    return meeting


def _attach(actor, household: Household, now: datetime, upload: Upload, meeting=None) -> Attachment:
    if upload.kind not in AttachmentKind.values:
        raise InvalidInput(_("Choose what the file is."), field="kind")
    if not upload.content or len(upload.content) > settings.WEIMIN_CAMPAIGN_ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            _("A file must hold something and be at most %(mb)s MB.")
            % {"mb": settings.WEIMIN_CAMPAIGN_ATTACHMENT_MAX_BYTES // 2**20},
            field="file",
        )
    return Attachment.objects.create(
        household=household, meeting=meeting, kind=upload.kind, name=upload.name[-120:] or "file",
        content_type=upload.content_type[:80] or "application/octet-stream", content=upload.content,
        size=len(upload.content), uploaded_at=now, uploaded_by=actor,
    )  # fmt: skip


@transaction.atomic
def attach(actor, household: Household, now: datetime, upload: Upload) -> Attachment:
    """A file for the household's case (the valuation report, the signed agreement)."""
    _ensure_bound(actor, household)
    return _attach(actor, household, now, upload)


# --- Incidents and assistance ---


@transaction.atomic
def report_incident(actor, household: Household, now: datetime, *, kind: str, at: datetime, place: str, people: str,
                    description: str, follow_up: str = "") -> Incident:  # fmt: skip
    """An incident at a household; from now on nobody visits it alone."""
    ensure_member(actor, household.project)
    if kind not in IncidentKind.values:
        raise InvalidInput(_("Choose what happened."), field="kind")
    if at > now:
        raise InvalidInput(_("The time is in the future."), field="at")
    for name, value in (("place", place), ("people", people), ("description", description)):
        if not value.strip():
            raise InvalidInput(_("This is required."), field=name)
    incident = Incident.objects.create(
        household=household, kind=kind, at=at, place=place.strip()[:120], people=people.strip()[:200],
        description=description.strip()[:500], follow_up=follow_up.strip()[:300], reported_by=actor, reported_at=now,
    )  # fmt: skip
    Household.objects.filter(pk=household.pk).update(no_solo_visits=True)
    household.no_solo_visits = True
    return incident


@transaction.atomic
def open_assistance(actor, household: Household, now: datetime, *, kind: str, description: str) -> Assistance:
    """An owner's difficulty the team takes on ("help them solve their difficulties"), assigned to the bound cadre."""
    ensure_member(actor, household.project)
    if kind not in AssistanceKind.values:
        raise InvalidInput(_("Choose the kind of help."), field="kind")
    if not description.strip():
        raise InvalidInput(_("Describe the difficulty."), field="description")
    return Assistance.objects.create(household=household, kind=kind, description=description.strip()[:300],
                                     opened_at=now, opened_by=actor, assignee=household.cadre or actor)  # fmt: skip


@transaction.atomic
def close_assistance(actor, assistance: Assistance, now: datetime, *, resolution: str) -> Assistance:
    ensure_member(actor, assistance.household.project)
    assistance = Assistance.objects.select_for_update().get(pk=assistance.pk)
    if assistance.closed_at is not None:
        raise Refused(_("The request is already closed."), field="assistance")
    if not resolution.strip():
        raise InvalidInput(_("Say how it was resolved."), field="resolution")
    assistance.closed_at, assistance.resolution = now, resolution.strip()[:300]
    assistance.save(update_fields=["closed_at", "resolution"])
    return assistance


# --- Personal data ---


def reveal_identity(viewer, owner: Owner, now: datetime) -> str:
    """The owner's whole ID number for the household's bound cadre and leader, the view recorded; masked for
    everyone else."""
    if not owner.id_number or not owner.household.sees_identity(viewer):
        return owner.id_masked
    IdentityView.objects.create(owner=owner, viewer=viewer, at=now)
    return owner.id_number
