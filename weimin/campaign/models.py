"""The expropriation campaign's tables (征拆): projects, teams, households with their owners, the call log and
its tasks, negotiations, incidents and assistance. Households and owners are addressed in URLs by random
tokens, never by an ID number, a phone or a row id."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.campaign import rules
from weimin.campaign.choices import (
    AssistanceKind,
    AttachmentKind,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    ContactPurpose,
    HouseholdEventKind,
    HouseholdStatus,
    IncidentKind,
    OwnerKind,
    OwnerPosition,
    PropertyUse,
    Resettlement,
    TaskKindChoices,
)
from weimin.core.identity import mask_id_number
from weimin.core.inputs import mask_phone

USER = settings.AUTH_USER_MODEL


def new_token() -> str:
    """An opaque public id for a page's address (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


class Project(models.Model):
    """An expropriation project (征收项目) for a river's remediation, e.g. 木古河综合整治房屋征拆."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    river = models.CharField(_("river"), max_length=40, db_index=True)
    target_area_m2 = models.DecimalField(_("target area (m²)"), max_digits=12, decimal_places=2)
    started_on = models.DateField(_("started on"))
    deadline = models.DateField(_("deadline"))
    # The share of households that must sign for the project to proceed (WEIMIN_CAMPAIGN_SIGNING_THRESHOLD).
    signing_threshold = models.DecimalField(_("signing threshold"), max_digits=4, decimal_places=3)

    class Meta:
        ordering = ["code"]
        verbose_name = _("expropriation project")
        verbose_name_plural = _("expropriation projects")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team: a temporary party branch (临时党支部) with its leader and cadres."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="teams", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=40)
    leader = models.ForeignKey(USER, models.PROTECT, related_name="campaign_teams_led", verbose_name=_("leader"))
    members = models.ManyToManyField(USER, related_name="campaign_teams", blank=True, verbose_name=_("cadres"))
    formed_on = models.DateField(_("formed on"))

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="campaign_team_name")]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A property to be expropriated with its owners (a household, 户), bound (捆绑) to one cadre and one leader."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="households", verbose_name=_("project"))
    number = models.CharField(_("number"), max_length=20)
    token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    address = models.CharField(_("address"), max_length=120)
    building = models.CharField(_("building"), max_length=40, blank=True)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=10, decimal_places=2)
    use = models.CharField(_("use"), max_length=12, choices=PropertyUse.choices, default=PropertyUse.RESIDENTIAL)
    status = models.CharField(
        _("status"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.NOT_CONTACTED
    )
    team = models.ForeignKey(
        Team, models.PROTECT, null=True, blank=True, related_name="households", verbose_name=_("team")
    )
    cadre = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="campaign_households", verbose_name=_("cadre")
    )
    leader = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="campaign_households_led", verbose_name=_("leader")
    )
    # An incident was recorded: nobody visits alone (two attendees at least).
    no_solo_visits = models.BooleanField(_("no solo visits"), default=False)

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="campaign_household_number")]
        indexes = [models.Index(fields=["project", "status"], name="campaign_household_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"

    def sees_identity(self, user) -> bool:
        """The bound cadre and the leader read owners' full ID numbers; everyone else a masked one."""
        return user is not None and user.pk is not None and user.pk in (self.cadre_id, self.leader_id)


class Owner(models.Model):
    """An owner of a household's property: a person (resident ID number) or a company (credit code)."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="owners", verbose_name=_("household"))
    token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=OwnerKind.choices, default=OwnerKind.PERSON)
    name = models.CharField(_("name"), max_length=80)
    # Whole only to the household's cadre and leader (each view recorded as an IdentityView).
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    other_phone = models.CharField(_("other phone"), max_length=20, blank=True, db_index=True)

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("owner")
        verbose_name_plural = _("owners")

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class IdentityView(models.Model):
    """Audit: someone was shown an owner's whole ID number."""

    owner = models.ForeignKey(Owner, models.CASCADE, related_name="identity_views", verbose_name=_("owner"))
    viewer = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("viewer"))
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("ID number view")
        verbose_name_plural = _("ID number views")

    def __str__(self) -> str:
        return f"{self.owner} {self.at:%Y-%m-%d %H:%M}"


class HouseholdEvent(models.Model):
    """Every change of a household's status or binding: who, when, why (replayed by ``weimin integrity``)."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="events", verbose_name=_("household"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by"))
    kind = models.CharField(_("kind"), max_length=16, choices=HouseholdEventKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("household event")
        verbose_name_plural = _("household events")

    def __str__(self) -> str:
        return f"{self.household.number} {self.kind}"

    @property
    def leads_to(self) -> str | None:
        return (self.detail or {}).get("to")


class Contact(models.Model):
    """One logged contact (phone, visit, WeChat, walk-in), inbound or outbound. A phone that matched no owner
    is kept with ``household`` empty: an unknown caller."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="contacts", verbose_name=_("project"))
    household = models.ForeignKey(
        Household, models.CASCADE, null=True, blank=True, related_name="contacts", verbose_name=_("household")
    )
    owner = models.ForeignKey(
        Owner, models.SET_NULL, null=True, blank=True, related_name="contacts", verbose_name=_("owner")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=ContactChannel.choices)
    direction = models.CharField(_("direction"), max_length=4, choices=ContactDirection.choices)
    outcome = models.CharField(_("outcome"), max_length=8, choices=ContactOutcome.choices)
    purpose = models.CharField(_("purpose"), max_length=12, choices=ContactPurpose.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"))
    logged_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("logged by"))
    companion = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("second attendee")
    )
    # The form's or client's idempotency key: a double tap logs one contact.
    key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["project", "at"], name="campaign_contact_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.channel} {self.direction}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Task(models.Model):
    """A visit or a call-back owed to a household (or an unknown caller), due at a time; overdue ones
    escalate to the leader."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="tasks", verbose_name=_("project"))
    household = models.ForeignKey(
        Household, models.CASCADE, null=True, blank=True, related_name="tasks", verbose_name=_("household")
    )
    contact = models.ForeignKey(
        Contact, models.CASCADE, null=True, blank=True, related_name="tasks", verbose_name=_("contact")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=TaskKindChoices.choices)
    assignee = models.ForeignKey(USER, models.PROTECT, related_name="campaign_tasks", verbose_name=_("assigned to"))
    leader = models.ForeignKey(USER, models.PROTECT, related_name="campaign_tasks_led", verbose_name=_("leader"))
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("done by")
    )
    done_note = models.CharField(_("result"), max_length=300, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "done_at"], name="campaign_task_assignee"),
            models.Index(fields=["project", "done_at", "due_at"], name="campaign_task_open"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"

    def overdue(self, now) -> bool:
        return rules.is_overdue(self.due_at, self.done_at, now)


class Meeting(models.Model):
    """A negotiation meeting (协商): who attended, the offer, the owner's position and concerns, the next step."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="meetings", verbose_name=_("household"))
    at = models.DateTimeField(_("at"))
    attendees = models.ManyToManyField(USER, related_name="+", verbose_name=_("team attendees"))
    owner_attendees = models.CharField(_("owner's side"), max_length=120, blank=True)
    valuation = models.DecimalField(_("valuation (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    # The compensation items offered: [{"name": "搬迁费", "amount": "12000.00"}, …].
    items = models.JSONField(_("compensation items"), default=list, blank=True)
    resettlement = models.CharField(_("resettlement"), max_length=10, choices=Resettlement.choices, blank=True)
    resettlement_amount = models.DecimalField(
        _("resettlement money (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    exchange_area_m2 = models.DecimalField(
        _("exchange property (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    position = models.CharField(_("owner's position"), max_length=10, choices=OwnerPosition.choices)
    concerns = models.CharField(_("concerns"), max_length=500, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    logged_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("logged by"))
    key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("negotiation meeting")
        verbose_name_plural = _("negotiation meetings")

    def __str__(self) -> str:
        return f"{self.household.number} {self.at:%Y-%m-%d}"

    @property
    def offer_total(self) -> Decimal:
        return sum((Decimal(item["amount"]) for item in self.items), Decimal(0))


class Attachment(models.Model):
    """A file of a household's case (the valuation report, the agreement), kept in the database so that
    only those who may see the household can download it."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="attachments", verbose_name=_("household"))
    meeting = models.ForeignKey(
        Meeting, models.SET_NULL, null=True, blank=True, related_name="attachments", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=80)
    content = models.BinaryField()
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    """Staff refused entry, abused, threatened or attacked at a household: from then on nobody visits alone."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="incidents", verbose_name=_("household"))
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    at = models.DateTimeField(_("when"))
    place = models.CharField(_("place"), max_length=120)
    people = models.CharField(_("people involved"), max_length=200)
    description = models.CharField(_("what happened"), max_length=500)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    reported_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.household.number} {self.kind}"


class Assistance(models.Model):
    """An owner's difficulty the team helps with (work, schooling, elderly care, moving), tracked to closure."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="assistance", verbose_name=_("household"))
    kind = models.CharField(_("kind"), max_length=16, choices=AssistanceKind.choices)
    description = models.CharField(_("difficulty"), max_length=300)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("opened by"))
    assignee = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("assigned to"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)

    class Meta:
        ordering = ["closed_at", "-opened_at"]
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")

    def __str__(self) -> str:
        return f"{self.household.number} {self.kind}"


def new_event(household: Household, kind, at, actor=None, *, reason: str = "", **detail) -> HouseholdEvent:
    """One step of a household's life cycle, unsaved (the demo builds many in bulk)."""
    return HouseholdEvent(household=household, at=at, actor=actor, kind=kind, reason=reason, detail=detail)
