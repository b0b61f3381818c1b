import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from weimin.cases import rules
from weimin.cases.choices import (
    ApplicantKind,
    CaseEventKind,
    CaseStatus,
    DecisionChoices,
    DeliveryMethod,
    MaterialStateChoices,
    NoticeKind,
    PauseKind,
    ResultKind,
)
from weimin.core.identity import mask_id_number
from weimin.halls.models import Hall, Material, ServiceItem, Window
from weimin.tickets.models import Ticket, secret_hash

USER = settings.AUTH_USER_MODEL

# The notice each decision writes, and the code its number starts with.
DECISION_NOTICE = {
    rules.Decision.ACCEPT: NoticeKind.ACCEPTANCE,
    rules.Decision.ACCEPT_ON_PROMISE: NoticeKind.ACCEPTANCE,
    rules.Decision.CORRECTION: NoticeKind.CORRECTION,
    rules.Decision.REFUSE: NoticeKind.REFUSAL,
}
NOTICE_CODES = {NoticeKind.ACCEPTANCE: "SL", NoticeKind.CORRECTION: "BZ", NoticeKind.REFUSAL: "BY"}


class Case(models.Model):
    """An application (办件) for one service item, from intake at the window to the result's delivery."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    hall = models.ForeignKey(Hall, models.PROTECT, related_name="cases", verbose_name=_("hall"))
    item = models.ForeignKey(ServiceItem, models.PROTECT, related_name="cases", verbose_name=_("item"))
    ticket = models.ForeignKey(
        Ticket, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("ticket")
    )
    window = models.ForeignKey(
        Window, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("window")
    )
    # The clerk who owns the case; empty while it waits in the hall's pool (its clerk signed out with
    # nobody on duty to take it over).
    clerk = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("clerk handling it")
    )
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    applicant_kind = models.CharField(_("applicant"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant name"), max_length=80)
    # Shown in full only to the clerk handling the case; masked everywhere else, never logged.
    id_number = models.CharField(_("ID number"), max_length=18)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    credit_code_override = models.CharField(_("reason a failing credit code was accepted"), max_length=200, blank=True)
    agent_name = models.CharField(_("agent"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=DecisionChoices.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    promise_due = models.DateField(_("promised materials due"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    competent_agency = models.CharField(_("competent agency"), max_length=120, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_approver = models.CharField(_("extension approved by"), max_length=60, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=ResultKind.choices, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=DeliveryMethod.choices, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    collector_id_masked = models.CharField(_("collector ID"), max_length=18, blank=True)
    postal_tracking = models.CharField(_("postal tracking number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("opened at"))
    # The applicant's key to the case (the link in the notice's QR code): only its keyed hash is stored,
    # a new one with every notice (cases.actions.decide), the old one then opens nothing.
    access_hash = models.CharField(max_length=64, unique=True, verbose_name=_("access link hash"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["status", "hall"], name="case_status_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.item}"

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    def id_for(self, user) -> str:
        """The ID number as ``user`` may see it: whole for the clerk handling the case."""
        return self.id_number if user is not None and user.pk == self.clerk_id else self.id_masked

    def token_matches(self, token: str | None) -> bool:
        """The applicant's link opens the case (the random token of the latest notice's QR code)."""
        return bool(token) and hmac.compare_digest(secret_hash(token), self.access_hash)

    def id_matches(self, id_number: str) -> bool:
        """Typed lookup: the applicant's whole ID number, already normalized (core.inputs.resident_id).
        The last 4 characters — shown on every masked number — open nothing."""
        return bool(id_number) and hmac.compare_digest(id_number.encode(), self.id_number.encode())


class CaseMaterial(models.Model):
    """One line of the case's checklist: a material of the item, present, missing or non-compliant."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="materials", verbose_name=_("case"))
    material = models.ForeignKey(Material, models.PROTECT, related_name="+", verbose_name=_("material"))
    state = models.CharField(_("state"), max_length=16, choices=MaterialStateChoices.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Listed in the one-time correction notice: only these may be re-checked later.
    in_notice = models.BooleanField(default=False)

    class Meta:
        ordering = ["material__position", "id"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        constraints = [models.UniqueConstraint(fields=["case", "material"], name="one_line_per_material")]

    def __str__(self) -> str:
        return f"{self.material} {self.state}"


class CaseNotice(models.Model):
    """A dated, numbered written notice (受理 / 补正材料 / 不予受理通知书), its content fixed when issued."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="notices", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("issued by"))
    body = models.JSONField(default=dict, verbose_name=_("content"))

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.number


class CasePause(models.Model):
    """Time that does not count towards the deadlines (行政许可法 Art. 45)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="pauses", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=16, choices=PauseKind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["started_on"]
        verbose_name = _("case pause")
        verbose_name_plural = _("case pauses")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class CaseEvent(models.Model):
    """The audit trail: who did what to the case, when, from which window. ``kind`` is a step of the
    life cycle (rules.TRANSITIONS); ``detail`` says the rest (the decision, the delivery method, …)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name=_("case"))
    at = models.DateTimeField(verbose_name=_("at"))
    actor = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by"))
    window = models.ForeignKey(
        Window, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("window")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CaseEventKind.choices)
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        ordering = ["at", "id"]
        # Statistics read a hall's case events day by day (analytics).
        indexes = [models.Index(fields=["at"], name="case_event_at_idx")]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case.number} {self.kind}"

    @property
    def decision(self) -> rules.Decision | None:
        """The decision of a decided event (it decides where the case goes), else None."""
        value = (self.detail or {}).get("decision") if self.kind == rules.EventKind.DECIDED else None
        return rules.Decision(value) if value else None

    @property
    def action(self) -> str:
        """The short code the API's history shows (``decided:accept``, ``status:ready``, …)."""
        return rules.event_code(rules.EventKind(self.kind), self.detail or {})


class Resubmission(models.Model):
    """A fast-lane ticket a visitor took to bring the supplements (补正回访)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="resubmissions", verbose_name=_("case"))
    ticket = models.OneToOneField(Ticket, models.PROTECT, related_name="resubmission", verbose_name=_("ticket"))
    created_at = models.DateTimeField(verbose_name=_("taken at"))

    class Meta:
        verbose_name = _("fast-lane resubmission")
        verbose_name_plural = _("fast-lane resubmissions")

    def __str__(self) -> str:
        return f"{self.case.number} {self.ticket.number}"


class Notification(models.Model):
    """Outbox: a message to an applicant, sent by the configured sender (default: the log)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="notifications", verbose_name=_("case"))
    recipient = models.CharField(max_length=40, verbose_name=_("recipient"))
    message = models.CharField(max_length=300, verbose_name=_("message"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.case.number} → {self.recipient}"


# --- Constructors: unsaved rows, the one way each is built (``actions`` saves them one at a time; the
# demo's history builds days of them in bulk) ---


def case_number(hall: Hall, business_date, sequence: int) -> str:
    """The case number: the day, the hall and the case's sequence there that day (201712080010012)."""
    return f"{case_number_prefix(hall, business_date)}{sequence:04d}"


def case_number_prefix(hall: Hall, business_date) -> str:
    return f"{business_date:%Y%m%d}{hall.pk:03d}"


def new_case(
    ticket: Ticket,
    number: str,
    clerk,
    now,
    *,
    kind: str,
    name: str,
    id_number: str,
    access_hash: str,
    credit_code: str = "",
    credit_code_override: str = "",
    agent_name: str = "",
    phone: str = "",
) -> Case:
    """A case at intake (收件) for the ticket at its window, unsaved; its status comes from its events.
    The applicant's fields are already checked (``actions.open_case`` checks what was typed)."""
    return Case(
        number=number,
        hall=ticket.hall,
        item=ticket.item,
        ticket=ticket,
        window_id=ticket.window_id,
        clerk=clerk,
        applicant_kind=kind,
        applicant_name=name,
        id_number=id_number,
        credit_code=credit_code,
        credit_code_override=credit_code_override,
        agent_name=agent_name,
        phone=phone,
        created_at=now,
        access_hash=access_hash,
    )


def new_event(case: Case, kind, at, actor=None, /, *, window=None, decision=None, **detail) -> CaseEvent:
    """One step of the case's life cycle, unsaved; a decided event carries its ``decision`` first.
    (Positional-only: a detail may be called ``kind``, as a pause's is.)"""
    if decision is not None:
        detail = {"decision": rules.Decision(decision).value, **detail}
    return CaseEvent(case=case, at=at, actor=actor, window=window, kind=kind, detail=detail)


def new_notice(case: Case, sequence: int, decision, gaps, now, clerk, *, window_number, clerk_name) -> CaseNotice:
    """The dated, numbered written notice of a decision (the case's ``sequence``-th notice), unsaved,
    listing every gap at once: ``gaps`` are (material name, state, note)."""
    kind = DECISION_NOTICE[rules.Decision(decision)]
    return CaseNotice(
        case=case,
        kind=kind,
        issued_at=now,
        issued_by=clerk,
        number=f"{NOTICE_CODES[kind]}{case.number}-{sequence}",
        body={
            "decision": rules.Decision(decision).value,
            "materials": [{"name": name, "state": state, "note": note} for name, state, note in gaps],
            "promise_due": case.promise_due.isoformat() if case.promise_due else None,
            "reason": case.refusal_reason,
            "competent_agency": case.competent_agency,
            # Who signs it, as printed: fixed with the content.
            "window": window_number,
            "clerk": clerk_name,
        },
    )


def ready_notification(case: Case, now) -> Notification:
    """The message telling the applicant the result is ready (待领取), unsaved and not yet sent."""
    return Notification(
        case=case,
        recipient=case.phone,
        created_at=now,
        message=gettext("Case %(number)s (%(item)s): your result is ready. Collect it at %(hall)s, evenings included.")
        % {"number": case.number, "item": case.item, "hall": case.hall},
    )
