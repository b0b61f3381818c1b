"""Who may do what (权限): the matrix of docs/permissions.md, enforced by every action through ``authorize``.

A person's *standing* towards an action depends on their role groups, the halls they work at, and —
for work at a window — whether they hold the window (or the case) concerned, which the calling
action knows and passes as ``at_window``. The matrix is a table of data (``MATRIX``); the test suite
checks it row by row against docs/permissions.md and runs every action with a person of every
standing, so an action without a row fails the suite.
"""

from __future__ import annotations

import enum
import functools

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.accounts.choices import Role
from weimin.core.errors import NotPermitted
from weimin.core.prepared import PreparedQuery


class Standing(enum.StrEnum):
    CLERK_AT_WINDOW = "clerk_at_window"  # holds the window (or the case) the action is about
    HALL_CLERK = "hall_clerk"  # window staff of the hall, not at that window
    HALL_MANAGER = "hall_manager"  # 大厅负责人 of the hall
    DISTRICT_OFFICE = "district_office"  # 区政务服务管理办公室: every hall
    APPROVER = "approver"  # 后台审批: concludes cases (办结) for the hall
    CAMPAIGN = "campaign"  # 征拆工作队
    RIVER = "river"  # 河长办


class Action(enum.StrEnum):
    TICKET_CALL = "ticket.call"
    TICKET_SERVE = "ticket.serve"
    TICKET_TRANSFER_WAITING = "ticket.transfer_waiting"
    TICKET_REJOIN = "ticket.rejoin"
    TICKET_CANCEL_FOR_VISITOR = "ticket.cancel_for_visitor"
    TICKET_READ = "ticket.read"
    APPOINTMENT_FOR_VISITOR = "appointment.for_visitor"
    CASE_OPEN = "case.open"
    CASE_DECIDE = "case.decide"
    CASE_SUPPLY = "case.supply"
    CASE_CONCLUDE = "case.conclude"
    CASE_READY = "case.ready"
    CASE_EXTEND = "case.extend"
    CASE_PAUSE = "case.pause"
    CASE_DELIVER = "case.deliver"
    CASE_HAND_OVER = "case.hand_over"
    CASE_READ = "case.read"
    CASES_DUE = "cases.due"
    DUTY_SIGN_IN = "duty.sign_in"
    CONSOLE_VIEW = "console.view"
    HALL_EVENING = "hall.evening"
    LOGISTICS_ASSIGN = "logistics.assign"
    LOGISTICS_TICK = "logistics.tick"
    COMP_TIME_TAKE_OFF = "comp_time.take_off"
    FOLLOW_UP_HANDLE = "follow_up.handle"
    FOLLOW_UPS_READ = "follow_ups.read"
    STAFF_EDIT = "staff.edit"
    DEVICE_ENROLL = "device.enroll"
    CALENDAR_ENTER = "calendar.enter"
    CASE_TAKE = "case.take"
    ANALYTICS_VIEW = "analytics.view"
    PLANNING_PLAN = "planning.plan"
    PLANNING_APPROVE = "planning.approve"
    PLANNING_READ = "planning.read"
    RIVERS_READ = "rivers.read"
    RIVERS_SAMPLE = "rivers.sample"
    RIVERS_SURVEY = "rivers.survey"
    CAMPAIGN_WORK = "campaign.work"
    CAMPAIGN_LEAD = "campaign.lead"
    CAMPAIGN_PROGRESS = "campaign.progress"


S = Standing
AT, CLERK, MANAGER, OFFICE, APPROVER = (
    S.CLERK_AT_WINDOW,
    S.HALL_CLERK,
    S.HALL_MANAGER,
    S.DISTRICT_OFFICE,
    S.APPROVER,
)
HALL_STAFF = frozenset({AT, CLERK, MANAGER})

# Action → the standings that may take it. docs/permissions.md shows the same table.
MATRIX: dict[Action, frozenset[Standing]] = {
    Action.TICKET_CALL: frozenset({AT}),
    Action.TICKET_SERVE: frozenset({AT}),
    Action.TICKET_TRANSFER_WAITING: frozenset({AT, MANAGER}),
    Action.TICKET_REJOIN: HALL_STAFF,
    Action.TICKET_CANCEL_FOR_VISITOR: frozenset({MANAGER}),
    Action.TICKET_READ: frozenset({AT, CLERK, MANAGER, OFFICE}),
    Action.APPOINTMENT_FOR_VISITOR: frozenset({MANAGER}),
    Action.CASE_OPEN: frozenset({AT}),
    Action.CASE_DECIDE: frozenset({AT}),
    Action.CASE_SUPPLY: frozenset({AT}),
    Action.CASE_CONCLUDE: frozenset({APPROVER}),
    Action.CASE_READY: frozenset({MANAGER, APPROVER}),
    Action.CASE_EXTEND: frozenset({MANAGER, APPROVER}),
    Action.CASE_PAUSE: frozenset({MANAGER, APPROVER}),
    Action.CASE_DELIVER: frozenset({AT}),
    Action.CASE_HAND_OVER: frozenset({AT, MANAGER}),
    Action.CASE_READ: frozenset({AT, CLERK, MANAGER, OFFICE, APPROVER}),
    Action.CASES_DUE: frozenset({MANAGER, OFFICE, APPROVER}),
    Action.DUTY_SIGN_IN: frozenset({AT, CLERK, MANAGER}),
    Action.CONSOLE_VIEW: frozenset({AT, MANAGER}),
    Action.HALL_EVENING: frozenset({MANAGER, OFFICE}),
    Action.LOGISTICS_ASSIGN: frozenset({MANAGER}),
    Action.LOGISTICS_TICK: HALL_STAFF,
    Action.COMP_TIME_TAKE_OFF: frozenset({MANAGER}),
    Action.FOLLOW_UP_HANDLE: frozenset({MANAGER}),
    Action.FOLLOW_UPS_READ: frozenset({MANAGER, OFFICE}),
    Action.STAFF_EDIT: frozenset({MANAGER, OFFICE}),
    Action.DEVICE_ENROLL: frozenset({MANAGER, OFFICE}),
    Action.CALENDAR_ENTER: frozenset({OFFICE}),
    Action.CASE_TAKE: frozenset({AT, MANAGER}),
    Action.ANALYTICS_VIEW: frozenset({MANAGER, OFFICE}),
    Action.PLANNING_PLAN: frozenset({MANAGER}),
    Action.PLANNING_APPROVE: frozenset({MANAGER}),
    Action.PLANNING_READ: frozenset({MANAGER, OFFICE}),
    Action.RIVERS_READ: frozenset({S.RIVER, OFFICE, S.CAMPAIGN}),
    Action.RIVERS_SAMPLE: frozenset({S.RIVER}),
    Action.RIVERS_SURVEY: frozenset({S.RIVER}),
    Action.CAMPAIGN_WORK: frozenset({S.CAMPAIGN}),
    Action.CAMPAIGN_LEAD: frozenset({S.CAMPAIGN}),
    Action.CAMPAIGN_PROGRESS: frozenset({S.CAMPAIGN, S.RIVER, OFFICE}),
}


# A user's role groups and halls, as (group name, hall id) rows: read with the user where it is loaded
# (``carry_memberships``), or on their own the first time a request asks.
MEMBERSHIPS = ("groups__name", "staff_profile__halls__id")


@functools.cache
def _memberships() -> PreparedQuery:
    users = get_user_model()
    return PreparedQuery(
        lambda user_id: users.objects.filter(pk=user_id).values_list(*MEMBERSHIPS), user_id=users._meta.pk
    )


_ROLE_STANDING = {
    Role.DISTRICT_OFFICE: S.DISTRICT_OFFICE,
    Role.CAMPAIGN_TEAM: S.CAMPAIGN,
    Role.RIVER_OFFICE: S.RIVER,
}
_HALL_ROLE_STANDING = {Role.WINDOW_STAFF: S.HALL_CLERK, Role.HALL_MANAGER: S.HALL_MANAGER, Role.APPROVER: S.APPROVER}


def carry_memberships(user, rows) -> None:
    """The user object carries its role groups and halls for the request, from ``MEMBERSHIPS`` rows read
    with it (a token's or a session's user: no query of their own)."""
    user._weimin_roles = frozenset(role for role, _ in rows if role is not None)
    user._weimin_hall_ids = frozenset(hall for _, hall in rows if hall is not None)


def _read_memberships(user) -> None:
    carry_memberships(user, _memberships().rows(user_id=user.pk))


def roles_of(user) -> frozenset[str]:
    """The user's role groups, read once per request (the user object carries them)."""
    if not hasattr(user, "_weimin_roles"):
        _read_memberships(user)
    return user._weimin_roles


def hall_ids_of(user) -> frozenset[int]:
    if not hasattr(user, "_weimin_hall_ids"):
        _read_memberships(user)
    return user._weimin_hall_ids


def standings(user, hall, *, at_window: bool = False) -> frozenset[Standing]:
    """What ``user`` is towards work at ``hall`` (a Hall or its id; None: no hall in particular)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Standing)
    roles = roles_of(user)
    found = {standing for role, standing in _ROLE_STANDING.items() if role in roles}
    if hall is not None and getattr(hall, "pk", hall) in hall_ids_of(user):
        found |= {standing for role, standing in _HALL_ROLE_STANDING.items() if role in roles}
        if at_window:
            found.add(S.CLERK_AT_WINDOW)
    return frozenset(found)


def may(user, action: Action, hall, *, at_window: bool = False) -> bool:
    return bool(MATRIX[action] & standings(user, hall, at_window=at_window))


def authorize(user, action: Action, hall, *, at_window: bool = False) -> None:
    """Raise NotPermitted unless ``user`` may take ``action`` at ``hall`` (docs/permissions.md)."""
    if not may(user, action, hall, at_window=at_window):
        label = ACTION_LABELS[action]
        if hall is None:  # an act of no hall (the rivers, the campaign)
            raise NotPermitted(_("You may not %(action)s.") % {"action": label})
        raise NotPermitted(_("You may not %(action)s at %(hall)s.") % {"action": label, "hall": hall})


def halls_where(user, action: Action):
    """The halls where ``user`` may take ``action`` (not counting work at a window), as a queryset."""
    from weimin.halls.models import Hall

    if user.is_superuser or MATRIX[action] & standings(user, None):
        return Hall.objects.all()
    return Hall.objects.filter(pk__in=[pk for pk in hall_ids_of(user) if may(user, action, pk)])


ACTION_LABELS = {
    Action.TICKET_CALL: gettext_lazy("call the next visitor"),
    Action.TICKET_SERVE: gettext_lazy("serve the ticket at this window"),
    Action.TICKET_TRANSFER_WAITING: gettext_lazy("move a waiting ticket"),
    Action.TICKET_REJOIN: gettext_lazy("let a no-show rejoin"),
    Action.TICKET_CANCEL_FOR_VISITOR: gettext_lazy("cancel a visitor's ticket"),
    Action.TICKET_READ: gettext_lazy("read this ticket"),
    Action.APPOINTMENT_FOR_VISITOR: gettext_lazy("change a visitor's appointment"),
    Action.CASE_OPEN: gettext_lazy("open a case"),
    Action.CASE_DECIDE: gettext_lazy("decide this case"),
    Action.CASE_SUPPLY: gettext_lazy("receive promised materials"),
    Action.CASE_CONCLUDE: gettext_lazy("conclude a case"),
    Action.CASE_READY: gettext_lazy("mark a result ready"),
    Action.CASE_EXTEND: gettext_lazy("extend a case's time limit"),
    Action.CASE_PAUSE: gettext_lazy("pause a case"),
    Action.CASE_DELIVER: gettext_lazy("hand a result over"),
    Action.CASE_HAND_OVER: gettext_lazy("hand this case over"),
    Action.CASE_READ: gettext_lazy("read this case"),
    Action.CASES_DUE: gettext_lazy("see the cases due"),
    Action.DUTY_SIGN_IN: gettext_lazy("sign in at a window"),
    Action.CONSOLE_VIEW: gettext_lazy("see this window's console"),
    Action.HALL_EVENING: gettext_lazy("see the hall's evening page"),
    Action.LOGISTICS_ASSIGN: gettext_lazy("assign logistics tasks"),
    Action.LOGISTICS_TICK: gettext_lazy("tick logistics tasks"),
    Action.COMP_TIME_TAKE_OFF: gettext_lazy("record time off"),
    Action.FOLLOW_UP_HANDLE: gettext_lazy("handle a rating's follow-up"),
    Action.FOLLOW_UPS_READ: gettext_lazy("read the follow-ups"),
    Action.STAFF_EDIT: gettext_lazy("edit staff profiles"),
    Action.DEVICE_ENROLL: gettext_lazy("enroll or revoke the hall's kiosks and rating pads"),
    Action.CALENDAR_ENTER: gettext_lazy("enter a year's national holidays"),
    Action.CASE_TAKE: gettext_lazy("take a case from the hall's pool"),
    Action.ANALYTICS_VIEW: gettext_lazy("see the hall's figures"),
    Action.PLANNING_PLAN: gettext_lazy("plan the hall's week"),
    Action.PLANNING_APPROVE: gettext_lazy("approve the hall's roster"),
    Action.PLANNING_READ: gettext_lazy("see the hall's rosters"),
    Action.RIVERS_READ: gettext_lazy("see the rivers' water quality"),
    Action.RIVERS_SAMPLE: gettext_lazy("record water samples"),
    Action.RIVERS_SURVEY: gettext_lazy("record satisfaction surveys"),
    Action.CAMPAIGN_WORK: gettext_lazy("work on the expropriation campaign's households"),
    Action.CAMPAIGN_LEAD: gettext_lazy("lead an expropriation team"),
    Action.CAMPAIGN_PROGRESS: gettext_lazy("see the expropriation campaign's progress"),
}
