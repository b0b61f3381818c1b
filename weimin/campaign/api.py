"""The campaign API (征拆): projects with their figures, a project's owners for the teams' phones, and logging a
call — the same actions and reads as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from weimin.accounts.auth import BearerToken
from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, authorize
from weimin.campaign import actions, queries
from weimin.campaign.models import Owner, Project
from weimin.campaign.schemas import CallIn
from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.core.text import Text

router = Router(tags=["campaign"])
staff = BearerToken()


def _project(code: str) -> Project:
    project = queries.project_by_code(code)
    if project is None:
        raise Http404(_("No project %(code)s.") % {"code": code})
    return project


@router.get("/campaign/projects", auth=staff)
def projects(request, river: Text(40) = "") -> list[dict]:
    """Every project (or those on ``river``) with its river, target, deadline and progress (the figures of
    ``weimin campaign progress``)."""
    authorize(request.auth, Action.CAMPAIGN_PROGRESS, None)
    now = clock.now()
    found = queries.projects_on_river(river) if river else Project.objects.all()
    return [
        {
            "code": p.code,
            "name": p.name,
            "river": p.river,
            "started_on": p.started_on.isoformat(),
            "signing_threshold": float(p.signing_threshold),
            **queries.project_progress(p, now),
        }  # fmt: skip
        for p in found.order_by("code")
    ]


@router.get("/campaign/projects/{code}/owners", auth=staff)
def owners(request, code: Text(40)) -> list[dict]:
    """The project's owners for the teams' phones: the phone numbers to call, ID numbers masked (the whole
    number is on the household's page for its bound cadre and leader)."""
    authorize(request.auth, Action.CAMPAIGN_WORK, None)
    project = _project(code)
    actions.ensure_member(request.auth, project)
    rows = Owner.objects.filter(household__project=project).select_related(
        "household__cadre__staff_profile", "household__team"
    )
    return [
        {
            "owner": o.token,
            "name": o.name,
            "kind": o.kind,
            "phone": o.phone,
            "other_phone": o.other_phone,
            "id_number": o.id_masked if o.id_number else "",
            "credit_code": o.credit_code,
            "household": o.household.token,
            "number": o.household.number,
            "address": o.household.address,
            "status": o.household.status,
            "team": o.household.team.name if o.household.team else "",
            "cadre": person_name(o.household.cadre),
        }  # fmt: skip
        for o in rows.order_by("household__number", "id")
    ]


def call_out(logged) -> dict:
    contact, task = logged.contact, logged.task
    return {
        "call": {
            "id": contact.pk, "at": contact.at.isoformat(), "channel": contact.channel, "direction": contact.direction,
            "outcome": contact.outcome, "purpose": contact.purpose, "phone": contact.phone_masked,
            "owner": contact.owner.token if contact.owner else None,
            "household": contact.household.token if contact.household else None,
            "unknown_caller": contact.household_id is None, "note": contact.note,
        },
        "task": None if task is None else {
            "id": task.pk, "kind": task.kind, "due_at": task.due_at.isoformat(),
            "assignee": person_name(task.assignee), "leader": person_name(task.leader),
        },
    }  # fmt: skip


@router.post("/campaign/calls", response={201: dict}, auth=staff)
def log_call(request, payload: CallIn):
    """Log a call against an owner (or a number): a missed inbound call creates a call-back due within the
    hour, an inbound request to negotiate a visit for the bound cadre; an unknown number is kept as an
    unknown caller with its call-back. The same idempotency key logs one call and answers the same."""
    authorize(request.auth, Action.CAMPAIGN_WORK, None)  # before any lookup: an outsider learns no project or owner
    project = _project(payload.project)
    owner = None
    if payload.owner:
        owner = Owner.objects.select_related("household").filter(token=payload.owner).first()
        if owner is None:
            raise InvalidInput(_("No owner with this token."), field="owner")
    key = payload.key or request.headers.get("Idempotency-Key", "")[:64]
    logged = actions.log_contact(
        request.auth, project, clock.now(), channel=payload.channel, direction=payload.direction,
        outcome=payload.outcome, purpose=payload.purpose, owner=owner, phone=payload.phone, note=payload.note, key=key,
    )  # fmt: skip
    return Status(201, call_out(logged))
