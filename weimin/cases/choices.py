from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.cases.rules import Decision, EventKind, MaterialState, Status
from weimin.core.choices import labelled_choices


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


STATUS_LABELS = {
    Status.INTAKE: _("Being checked at the window"),
    Status.AWAITING_SUPPLEMENT: _("Awaiting supplements (补正)"),
    Status.PROCESSING: _("Being processed (办理中)"),
    Status.CONCLUDED: _("Concluded (办结)"),
    Status.READY: _("Ready for pick-up (待领取)"),
    Status.DELIVERED: _("Collected or posted"),
    Status.REFUSED: _("Not accepted (不予受理)"),
    Status.WITHDRAWN: _("Withdrawn"),
}
EVENT_LABELS = {
    EventKind.OPENED: _("Case opened"),
    EventKind.DECIDED: _("Decision at the window"),
    EventKind.RESUBMISSION_TICKET: _("Fast-lane ticket for the supplements"),
    EventKind.SUPPLIED: _("Promised materials supplied"),
    EventKind.CONCLUDED: _("Concluded"),
    EventKind.READY: _("Result ready for pick-up"),
    EventKind.EXTENDED: _("Time limit extended"),
    EventKind.PAUSED: _("Time limit paused"),
    EventKind.RESUMED: _("Time limit resumed"),
    EventKind.DELIVERED: _("Result delivered"),
    EventKind.WITHDRAWN: _("Withdrawn"),
    EventKind.HANDED_OVER: _("Handed over"),
}
# The life cycle lives in rules.py (no Django); these are its database choices, one label per member.
CaseStatus = labelled_choices("CaseStatus", STATUS_LABELS)
CaseEventKind = labelled_choices("CaseEventKind", EVENT_LABELS)

MaterialStateChoices = labelled_choices(
    "MaterialStateChoices",
    {
        MaterialState.PRESENT: _("present"),
        MaterialState.MISSING: _("missing"),
        MaterialState.NON_COMPLIANT: _("non-compliant"),
    },
)
DecisionChoices = labelled_choices(
    "DecisionChoices",
    {
        Decision.ACCEPT: _("Accept (受理)"),
        Decision.ACCEPT_ON_PROMISE: _("Accept on a written promise (容缺受理)"),
        Decision.CORRECTION: _("Ask for correction (补正)"),
        Decision.REFUSE: _("Refuse (不予受理)"),
    },
)


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Notice of acceptance (受理通知书)")
    CORRECTION = "correction", _("Notice of materials to supply (补正材料通知书)")
    REFUSAL = "refusal", _("Notice of refusal (不予受理通知书)")


class ResultKind(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class PauseKind(models.TextChoices):
    TESTING = "testing", _("Testing")
    HEARING = "hearing", _("Hearing")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPERT_REVIEW = "expert_review", _("Expert review")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("Collected at the window")
    POST = "post", _("Sent by post")
