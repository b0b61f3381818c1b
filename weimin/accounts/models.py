import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.halls.models import Hall, ServiceItem


class StaffProfile(models.Model):
    """A staff member's place in the halls: where they work, what they may handle, their contract."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff_profile")
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


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
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
