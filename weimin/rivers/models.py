"""Water bodies, their reaches and monitoring points, samples and satisfaction surveys (河道水质).

A point's chainage (里程桩号) is measured in metres along its body from the body's upstream end, so the
points of all its reaches are in one order; ``rules.layout_warnings`` checks their spacing."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.rivers.rules import Reading


class WaterBody(models.Model):
    """A river or other water body (水体) the office monitors."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    subdistrict = models.CharField(_("subdistrict"), max_length=40, blank=True)
    length_m = models.PositiveIntegerField(_("length (m)"), null=True, blank=True)
    listed = models.BooleanField(
        _("on the black-odorous list"), default=True, help_text=_("Counted in the district's elimination rate.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("water body")
        verbose_name_plural = _("water bodies")

    def __str__(self):
        return self.name


class Reach(models.Model):
    """A reach (河段) of a body, from one chainage to another."""

    body = models.ForeignKey(WaterBody, models.CASCADE, related_name="reaches", verbose_name=_("water body"))
    name = models.CharField(_("name"), max_length=60)
    start_m = models.PositiveIntegerField(_("from (m)"))
    end_m = models.PositiveIntegerField(_("to (m)"))

    class Meta:
        ordering = ["body", "start_m"]
        verbose_name = _("reach")
        verbose_name_plural = _("reaches")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_m__gt=models.F("start_m")), name="reach_ends_after_start")
        ]

    def __str__(self):
        return f"{self.body} · {self.name}"


class MonitoringPoint(models.Model):
    """A monitoring point (监测点) on a reach, at its chainage along the body."""

    reach = models.ForeignKey(Reach, models.CASCADE, related_name="points", verbose_name=_("reach"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, blank=True)
    chainage_m = models.PositiveIntegerField(_("chainage (m)"))

    class Meta:
        ordering = ["reach__body", "chainage_m"]
        verbose_name = _("monitoring point")
        verbose_name_plural = _("monitoring points")

    def __str__(self):
        return f"{self.reach.body} {self.code}"


class Sample(models.Model):
    """One sample at a point on a day (采样): water depth and the four indicators of the guideline."""

    point = models.ForeignKey(MonitoringPoint, models.CASCADE, related_name="samples", verbose_name=_("point"))
    taken_on = models.DateField(_("date"))
    depth_cm = models.DecimalField(_("water depth (cm)"), max_digits=6, decimal_places=1)
    transparency_cm = models.DecimalField(_("transparency (cm)"), max_digits=6, decimal_places=1)
    do_mg_l = models.DecimalField(_("dissolved oxygen (mg/L)"), max_digits=5, decimal_places=2)
    orp_mv = models.DecimalField(_("ORP (mV)"), max_digits=6, decimal_places=1)
    nh3n_mg_l = models.DecimalField(_("ammonia nitrogen NH3-N (mg/L)"), max_digits=6, decimal_places=2)
    sampler = models.CharField(_("sampler"), max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["taken_on", "point"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        constraints = [models.UniqueConstraint(fields=["point", "taken_on"], name="one_sample_a_point_a_day")]
        indexes = [models.Index(fields=["taken_on"])]

    def __str__(self):
        return f"{self.point} {self.taken_on}"

    def reading(self) -> Reading:
        return Reading(Decimal(self.depth_cm), Decimal(self.transparency_cm), Decimal(self.do_mg_l),
                       Decimal(self.orp_mv), Decimal(self.nh3n_mg_l))  # fmt: skip


class Survey(models.Model):
    """A public satisfaction survey (公众满意度调查) of residents near a body, as tallied."""

    body = models.ForeignKey(WaterBody, models.CASCADE, related_name="surveys", verbose_name=_("water body"))
    held_from = models.DateField(_("from"))
    held_to = models.DateField(_("to"))
    responses = models.PositiveIntegerField(_("questionnaires returned"))
    valid = models.PositiveIntegerField(_("valid questionnaires"))
    satisfied = models.PositiveIntegerField(_("satisfied"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["body", "-held_to"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid__lte=models.F("responses")), name="valid_within_responses"),
            models.CheckConstraint(condition=models.Q(satisfied__lte=models.F("valid")), name="satisfied_within_valid"),
            models.CheckConstraint(
                condition=models.Q(held_to__gte=models.F("held_from")), name="survey_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.body} {self.held_from}–{self.held_to}"
