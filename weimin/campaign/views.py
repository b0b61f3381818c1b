"""The campaign's pages (征拆), mounted at /campaign/: the cadre's phone page (their households, open tasks, a call
logged in seconds), the leader's page (calls today, missed calls not returned, visits due, overdue tasks, imports),
the project's dashboard (area cleared against the deadline, households by status per team and cadre), a
household's page and its printable case file (征收补偿档案). Households are addressed by their random token."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, may
from weimin.campaign import actions, queries, rules, spreadsheet
from weimin.campaign.choices import STATUS_LABELS
from weimin.campaign.forms import (
    AssistanceForm,
    AttachmentForm,
    ContactForm,
    IncidentForm,
    MeetingForm,
    ReassignForm,
    ResolutionForm,
    StatusForm,
    TaskDoneForm,
    UploadForm,
)
from weimin.campaign.models import Assistance, Attachment, Household, Project, Task
from weimin.core import clock
from weimin.core.errors import DomainError, InvalidInput
from weimin.core.forms import all_errors
from weimin.core.inputs import mask_phone

ZONE = actions.ZONE
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(request, code: str, action: Action = Action.CAMPAIGN_WORK) -> Project:
    project = queries.project_by_code(code)
    if project is None:
        raise Http404(code[:40])
    if not may(request.user, action, None):
        raise PermissionDenied(_("The campaign's pages are for its teams."))
    if action == Action.CAMPAIGN_WORK and not (request.user.is_superuser or queries.is_member(request.user, project)):
        raise PermissionDenied(_("You are not on a team of %(project)s.") % {"project": project.name})
    return project


def _household(request, token: str) -> Household:
    household = queries.household_by_token(token)
    if household is None:
        raise Http404(_("No such household."))
    _project(request, household.project.code)
    return household


def _people(users) -> list[tuple]:
    return [(user, person_name(user)) for user in users]


def _strip(project: Project, now: datetime, user) -> dict:
    """The figures every campaign page shows: signing rates by households and by area; links to the pages
    ``user`` may open (the district and river offices see the progress only, a cadre no leader's page)."""
    member = user.is_superuser or queries.is_member(user, project)
    leads = user.is_superuser or queries.teams_led_by(user, project).exists()
    return {"project": project, "figures": queries.progress_figures(project, now), "status_labels": STATUS_LABELS,
            "strip_mine": member, "strip_lead": leads}  # fmt: skip


def _failed(request, error: DomainError | None = None, form=None) -> None:
    for message in [error.message] if error else all_errors(form):
        messages.error(request, message)


@login_required
def home(request):
    """Where a person of the campaign starts: the leader's page, the cadre's page, or the dashboard."""
    project = queries.projects_of(request.user).first()
    if project is None:
        if not may(request.user, Action.CAMPAIGN_PROGRESS, None):
            raise PermissionDenied(_("The campaign's pages are for its teams."))
        project = Project.objects.order_by("code").first()
        if project is None:
            raise Http404(_("No project yet."))
        return redirect("campaign:dashboard", code=project.code)
    if queries.teams_led_by(request.user, project).exists():
        return redirect("campaign:lead", code=project.code)
    return redirect("campaign:mine", code=project.code)


@login_required
def dashboard(request, code: str):
    project = _project(request, code, Action.CAMPAIGN_PROGRESS)
    now = clock.now()
    today = queries.local_today(now)
    burn = rules.burn_down(queries.cleared_by_day(project), project.target_area_m2, project.started_on, today,
                           project.deadline)  # fmt: skip
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Area still to clear (m²)"), _("Even pace to the deadline")]},
        "grid": {"left": 70, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [day.strftime("%m-%d") for day, _a, _i in burn]},
        "yAxis": {"type": "value", "name": "m²"},
        "series": [
            {"name": _("Area still to clear (m²)"), "type": "line", "data": [None if a is None else float(a)
                                                                               for _d, a, _i in burn]},
            {"name": _("Even pace to the deadline"), "type": "line", "lineStyle": {"type": "dashed"},
             "data": [float(i) for _d, _a, i in burn]},
        ],
    }  # fmt: skip
    context = _strip(project, now, request.user) | {
        "progress": queries.project_progress(project, now),
        "chart": chart,
        "statuses": [STATUS_LABELS[status] for status in rules.Status],
        "by_team": queries.by_status(project, "team__name", "team__id"),
        "by_cadre": queries.by_status(project, "cadre__staff_profile__display_name"),
        "threshold": float(project.signing_threshold),
        "may_work": may(request.user, Action.CAMPAIGN_WORK, None) and queries.is_member(request.user, project),
    }
    return render(request, "campaign/dashboard.html", context)


@login_required
def mine(request, code: str):
    """The cadre's phone page: open tasks first (overdue marked), a call logged in seconds, their households."""
    project = _project(request, code)
    now = clock.now()
    tasks = list(queries.open_tasks_of(request.user, project))
    context = _strip(project, now, request.user) | {
        "tasks": [(task, task.overdue(now)) for task in tasks],
        "households": queries.households_of(request.user, project),
        "contact_form": ContactForm(people=_people(_companions(request.user, project))),
        "now": now,
    }
    return render(request, "campaign/mine.html", context)


def _companions(user, project: Project) -> list:
    team = queries.team_of(user, project)
    if team is None:
        return []
    return [p for p in [team.leader, *team.members.select_related("staff_profile")] if p.pk != user.pk]


@login_required
def lead(request, code: str):
    """The leader's page: calls today, missed calls not yet returned (target zero), visits due, overdue tasks."""
    project = _project(request, code, Action.CAMPAIGN_LEAD)
    if not (request.user.is_superuser or queries.teams_led_by(request.user, project).exists()):
        raise PermissionDenied(_("Only the team's leader may do this."))
    now = clock.now()
    view = queries.leader_view(request.user, project, now)
    context = (
        _strip(project, now, request.user)
        | view
        | {
            "now": now,
            "contact_form": ContactForm(people=_people(_companions(request.user, project))),
            "upload_form": UploadForm(),
            "teams": queries.teams_led_by(request.user, project),
        }
    )
    return render(request, "campaign/lead.html", context)


def _back(request, project: Project):
    """Back to the page the form was on: the leader's or the cadre's."""
    return redirect("campaign:lead" if request.POST.get("back") == "lead" else "campaign:mine", code=project.code)


@login_required
@require_POST
def log_call(request, code: str):
    project = _project(request, code)
    form = ContactForm(request.POST, people=_people(_companions(request.user, project)))
    if not form.is_valid():
        _failed(request, form=form)
        return _back(request, project)
    data = form.cleaned_data
    household = queries.household_by_token(data["household"]) if data["household"] else None
    companion = get_user_model().objects.filter(pk=data["companion"]).first() if data["companion"] else None
    try:
        logged = actions.log_contact(
            request.user, project, clock.now(), channel=data["channel"], direction=data["direction"],
            outcome=data["outcome"], purpose=data["purpose"], household=household, phone=data["phone"],
            note=data["note"], companion=companion, key=data["key"],
        )  # fmt: skip
    except DomainError as error:
        _failed(request, error)
    else:
        if logged.task is not None:
            messages.success(request, _("Logged; %(task)s due %(due)s for %(who)s.") % {
                "task": logged.task.get_kind_display(), "due": logged.task.due_at.astimezone(ZONE).strftime("%H:%M"),
                "who": person_name(logged.task.assignee)})  # fmt: skip
        elif logged.contact.household_id is None:
            messages.success(request, _("Logged as an unknown caller."))
        else:
            messages.success(request, _("Logged."))
    if household is not None and request.POST.get("back") == "household":
        return redirect("campaign:household", token=household.token)
    return _back(request, project)


@login_required
@require_POST
def task_done(request, task_id: int):
    task = Task.objects.select_related("project").filter(pk=task_id).first()
    if task is None:
        raise Http404(task_id)
    _project(request, task.project.code)
    form = TaskDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(all_errors(form)[0], field="note")
        actions.complete_task(request.user, task, clock.now(), note=form.cleaned_data["note"])
    except DomainError as error:
        _failed(request, error)
    else:
        messages.success(request, _("Task done."))
    return _back(request, task.project)


@login_required
def household(request, token: str):
    found = _household(request, token)
    now = clock.now()
    user = request.user
    bound = queries.is_bound(user, found)
    owners = [
        {
            "owner": owner,
            "id_shown": actions.reveal_identity(user, owner, now) if owner.id_number else "",
            "phone": owner.phone if bound else owner.phone_masked,
            "other_phone": owner.other_phone if bound else mask_phone(owner.other_phone),
        }  # fmt: skip
        for owner in found.owners.all()
    ]
    team_people = _people(queries.team_cadres(found))
    context = _strip(found.project, now, user) | {
        "household": found,
        "owners": owners,
        "bound": bound,
        "leads": queries.leads_team_of(user, found),
        "status_form": StatusForm(),
        "meeting_form": MeetingForm(people=_people(_companions(user, found.project))),
        "attachment_form": AttachmentForm(),
        "incident_form": IncidentForm(initial={"at": now.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")}),
        "assistance_form": AssistanceForm(),
        "reassign_form": ReassignForm(people=team_people),
        "contact_form": ContactForm(people=_people(_companions(user, found.project))),
        "meetings": found.meetings.prefetch_related("attendees__staff_profile", "attachments"),
        "attachments": found.attachments.defer("content"),
        "contacts": found.contacts.select_related("logged_by__staff_profile")[:30],
        "tasks": found.tasks.select_related("assignee__staff_profile").order_by("-created_at")[:20],
        "incidents": found.incidents.select_related("reported_by__staff_profile"),
        "assistance": found.assistance.select_related("assignee__staff_profile"),
        "events": queries.history(found),
        "now": now,
    }
    return render(request, "campaign/household.html", context)


@login_required
def case_file(request, token: str):
    """The household's case file (征收补偿档案) on A4: property, owners, meetings, agreement, history."""
    found = _household(request, token)
    now = clock.now()
    owners = [(owner, actions.reveal_identity(request.user, owner, now) if owner.id_number else "")
              for owner in found.owners.all()]  # fmt: skip
    context = {
        "household": found,
        "owners": owners,
        "meetings": found.meetings.prefetch_related("attendees__staff_profile").order_by("at"),
        "attachments": found.attachments.defer("content"),
        "incidents": found.incidents.order_by("at"),
        "assistance": found.assistance.order_by("opened_at"),
        "events": queries.history(found),
        "now": now,
    }
    return render(request, "campaign/case_file.html", context)


def _household_action(request, token: str, form_class, do, done: str, **form_kwargs):
    found = _household(request, token)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if not form.is_valid():
        _failed(request, form=form)
    else:
        try:
            do(found, form.cleaned_data, clock.now())
        except DomainError as error:
            _failed(request, error)
        else:
            messages.success(request, done)
    return redirect("campaign:household", token=found.token)


@login_required
@require_POST
def change_status(request, token: str):
    def do(found, data, now):
        actions.change_status(request.user, found, now, data["status"], reason=data["reason"],
                              agreement=data["agreement"])  # fmt: skip

    return _household_action(request, token, StatusForm, do, _("Status changed; the history keeps who, when and why."))


def _upload(kind: str, file) -> actions.Upload:
    # Read one byte past the limit, not the whole of an oversized file: the action refuses it by its size.
    content = file.read(settings.WEIMIN_CAMPAIGN_ATTACHMENT_MAX_BYTES + 1)
    return actions.Upload(kind, file.name, file.content_type or "", content)


@login_required
@require_POST
def meeting(request, token: str):
    found = queries.household_by_token(token)
    people = _people(_companions(request.user, found.project)) if found else []
    users = get_user_model().objects

    def do(found, data, now):
        named = (("valuation_report", "valuation"), ("agreement", "agreement"))
        files = [_upload(kind, data[name]) for name, kind in named if data.get(name)]
        actions.record_meeting(
            request.user, found, now, attendees=list(users.filter(pk__in=data["attendees"])),
            owner_attendees=data["owner_attendees"], valuation=data["valuation"],
            items=actions.compensation_items(data["items"]), resettlement=data["resettlement"],
            resettlement_amount=data["resettlement_amount"], exchange_area_m2=data["exchange_area_m2"],
            position=data["position"], concerns=data["concerns"], next_step=data["next_step"], files=files,
            key=data["key"],
        )  # fmt: skip

    return _household_action(request, token, MeetingForm, do, _("Meeting recorded."), people=people)


@login_required
@require_POST
def attach(request, token: str):
    def do(found, data, now):
        actions.attach(request.user, found, now, _upload(data["kind"], data["file"]))

    return _household_action(request, token, AttachmentForm, do, _("File attached."))


@login_required
def attachment(request, attachment_id: int):
    found = Attachment.objects.select_related("household__project").filter(pk=attachment_id).first()
    if found is None:
        raise Http404(attachment_id)
    _project(request, found.household.project.code)
    if not queries.is_bound(request.user, found.household):
        # A valuation report or an agreement carries the owners' whole ID numbers: the same few as read them.
        raise PermissionDenied(_("Only the household's bound cadre and its leader may do this."))
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
    return response


@login_required
@require_POST
def incident(request, token: str):
    def do(found, data, now):
        actions.report_incident(request.user, found, now, kind=data["kind"], at=data["at"], place=data["place"],
                                people=data["people"], description=data["description"],
                                follow_up=data["follow_up"])  # fmt: skip

    return _household_action(request, token, IncidentForm, do, _("Incident recorded: nobody visits alone from now on."))


@login_required
@require_POST
def assistance(request, token: str):
    def do(found, data, now):
        actions.open_assistance(request.user, found, now, kind=data["kind"], description=data["description"])

    return _household_action(request, token, AssistanceForm, do, _("Assistance request opened."))


@login_required
@require_POST
def close_assistance(request, assistance_id: int):
    found = Assistance.objects.select_related("household__project").filter(pk=assistance_id).first()
    if found is None:
        raise Http404(assistance_id)

    def do(household, data, now):
        actions.close_assistance(request.user, found, now, resolution=data["resolution"])

    return _household_action(request, found.household.token, ResolutionForm, do, _("Assistance request closed."))


@login_required
@require_POST
def reassign(request, token: str):
    found = queries.household_by_token(token)
    people = _people(queries.team_cadres(found)) if found else []

    def do(household, data, now):
        cadre = get_user_model().objects.filter(pk=data["cadre"]).first()
        actions.reassign(request.user, household, now, cadre, reason=data["reason"])

    return _household_action(request, token, ReassignForm, do, _("Household reassigned."), people=people)


@login_required
@require_POST
def import_households(request, code: str):
    return _import(request, code, spreadsheet.read_households, actions.import_households,
                   lambda report: _("Imported %(h)s households with %(o)s owners.") % {
                       "h": report.households, "o": report.owners},
                   _("Nothing was imported: correct these rows and import again."))  # fmt: skip


def _import(request, code: str, read, act, imported, refused):
    """The leader's upload: ``read`` the file's rows, ``act`` on them (all or nothing), say what was ``imported``
    — or list the rows to correct under ``refused``."""
    project = _project(request, code, Action.CAMPAIGN_LEAD)
    form = UploadForm(request.POST, request.FILES)
    errors = []
    if not form.is_valid():
        _failed(request, form=form)
    else:
        try:
            report = act(request.user, project, clock.now(), read(form.cleaned_data["file"].read()))
        except DomainError as error:
            _failed(request, error)
        else:
            errors = report.errors
            if not errors:
                messages.success(request, imported(report))
    if not errors:
        return redirect("campaign:lead", code=project.code)
    rows = [(error.row, spreadsheet.COLUMN_OF.get(error.field, error.field), error.message) for error in errors]
    return render(request, "campaign/import_errors.html", {"project": project, "rows": rows, "title": refused},
                  status=422)  # fmt: skip


@login_required
def households_template(request, code: str):
    _project(request, code, Action.CAMPAIGN_LEAD)
    response = HttpResponse(spreadsheet.households_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="households.xlsx"'
    return response


@login_required
@require_POST
def import_missed_calls(request, code: str):
    return _import(request, code, spreadsheet.read_missed_calls, actions.import_missed_calls,
                   lambda report: _("%(n)s missed calls imported, each with its call-back; %(r)s were in already.")
                   % {"n": report.logged, "r": report.repeated},
                   _("No call was imported: correct these rows and import again."))  # fmt: skip
