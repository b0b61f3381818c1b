from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.cases.rules import Decision, MaterialState
from weimin.core.choices import labelled_choices


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Being checked at the window")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplements (补正)")
    PROCESSING = "processing", _("Being processed (办理中)")
    CONCLUDED = "concluded", _("Concluded (办结)")
    READY = "ready", _("Ready for pick-up (待领取)")
    DELIVERED = "delivered", _("Collected or posted")
    REFUSED = "refused", _("Not accepted (不予受理)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


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
