import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.accounts.choices import DeviceKind
from weimin.halls.models import Hall, ServiceItem, Window


class StaffProfile(models.Model):
    """A staff member's place in the halls: where they work, what they may handle, their contract."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff_profile", verbose_name=_("account")
    )
    display_name = models.CharField(_("display name"), max_length=40, blank=True)
    halls = models.ManyToManyField(Hall, related_name="staff", blank=True, verbose_name=_("halls"))
    skills = models.ManyToManyField(
        ServiceItem, related_name="skilled_staff", blank=True, verbose_name=_("skills (items they may handle)")
    )
    contracted_hours_per_week = models.DecimalField(
        _("contracted hours per week"),
        max_digits=4,
        decimal_places=1,
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(44)],  # 劳动法 Art. 36: ≤ 44 h a week
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


def person_name(user) -> str:
    """How pages and messages name a staff member: the display name (黄小燕), else the username."""
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile else "") or user.get_username()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("account")
    )
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("First characters, to tell tokens apart."))
    label = models.CharField(_("label"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class Device(models.Model):
    """A hall's kiosk or 好差评 pad, enrolled by a hall manager (docs/security.md).

    The manager adds it in the back office and opens the one-time enrollment link on the device; the
    device then carries a random secret in a long-lived HttpOnly cookie. Only SHA-256 hashes of the
    link and of the secret are stored. Revoking takes effect at the device's next request.
    """

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="devices", verbose_name=_("hall"))
    kind = models.CharField(_("kind"), max_length=8, choices=DeviceKind.choices)
    window = models.ForeignKey(
        Window, models.CASCADE, null=True, blank=True, related_name="devices", verbose_name=_("window"),
        help_text=_("A rating pad rates the visits completed at this window."),
    )  # fmt: skip
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("e.g. 一楼入口取号机"))
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    link_hash = models.CharField(max_length=64, blank=True, editable=False)
    link_expires_at = models.DateTimeField(_("enrollment link valid until"), null=True, blank=True, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("enrolled by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), editable=False)
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False, editable=False)

    class Meta:
        ordering = ["hall", "kind", "window__number", "pk"]
        verbose_name = _("kiosk or rating pad")
        verbose_name_plural = _("kiosks and rating pads")
        constraints = [
            models.UniqueConstraint(fields=["secret_hash"], condition=~models.Q(secret_hash=""),
                                    name="device_secret_unique"),
            models.UniqueConstraint(fields=["link_hash"], condition=~models.Q(link_hash=""), name="device_link_unique"),
            models.CheckConstraint(
                condition=models.Q(kind=DeviceKind.PAD, window__isnull=False)
                | models.Q(kind=DeviceKind.KIOSK, window__isnull=True),
                name="device_pad_has_a_window",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        where = f" {self.window.number}" if self.window_id else ""
        return f"{self.hall} {self.get_kind_display()}{where} {self.label}".strip()

    def clean(self) -> None:
        if self.kind == DeviceKind.PAD and self.window_id is None:
            raise ValidationError({"window": _("A rating pad belongs to a window: choose it.")})
        if self.kind == DeviceKind.KIOSK and self.window_id is not None:
            raise ValidationError({"window": _("A kiosk serves the whole hall: leave the window empty.")})
        if self.window_id is not None and self.hall_id is not None and self.window.hall_id != self.hall_id:
            raise ValidationError({"window": _("Window %(n)s is not at this hall.") % {"n": self.window.number}})
