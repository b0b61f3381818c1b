from collections import Counter
from operator import attrgetter

from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.analytics import rules
from weimin.analytics.choices import Dimension
from weimin.halls.models import Hall


class Rollup(models.Model):
    """The measures' totals (汇总) of one hall's business day along one dimension: the whole day
    (``hall``, key 0), each item, window, clerk, half-hour of arrival, and item × half-hour (key
    ``item_id * 48 + half_hour``). Rebuilt whole from the day's records by ``analytics.actions.refresh``;
    the counters are ``rules.Totals``' fields, added to the class below."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="+", verbose_name=_("hall"))
    business_date = models.DateField(_("business day"))
    dimension = models.CharField(_("dimension"), max_length=9, choices=Dimension.choices)
    key = models.BigIntegerField(_("key"))
    wait_histogram = models.JSONField(_("waits by whole minute"), default=dict)
    service_histogram = models.JSONField(_("service times by whole minute"), default=dict)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(fields=["hall", "business_date", "dimension", "key"], name="one_rollup_per_key")
        ]
        indexes = [models.Index(fields=["dimension", "hall", "business_date"], name="rollup_read_idx")]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.business_date} {self.dimension}:{self.key}"

    def totals(self) -> rules.Totals:
        return rules.Totals(
            **{name: getattr(self, name) for name in rules.COUNTERS},
            wait_histogram=Counter({int(m): n for m, n in self.wait_histogram.items()}),
            service_histogram=Counter({int(m): n for m, n in self.service_histogram.items()}),
        )

    # The columns ``row_values`` gives, in its order (``core.db.insert_values`` writes them).
    COLUMNS = ["hall_id", "business_date", "dimension", "key", "wait_histogram", "service_histogram", *rules.COUNTERS]

    @staticmethod
    def row_values(hall_id: int, day, dimension: str, key: int, totals: rules.Totals) -> tuple:
        """A row of the hall day's ``totals`` along ``dimension``, as the values of ``COLUMNS``."""
        return (
            hall_id,
            day,
            dimension,
            key,
            {str(m): n for m, n in sorted(totals.wait_histogram.items())},
            {str(m): n for m, n in sorted(totals.service_histogram.items())},
            *_counters_of(totals),
        )


_counters_of = attrgetter(*rules.COUNTERS)

# One column per counter of rules.Totals, so that the measures are defined in one place only.
for _name in rules.COUNTERS:
    Rollup.add_to_class(
        _name, models.FloatField(default=0) if _name.endswith("_seconds") else models.PositiveIntegerField(default=0)
    )


class RefreshMark(models.Model):
    """How far the rollups have read each record table (the newest id seen) and when they last did."""

    ticket_event_id = models.BigIntegerField(default=0)
    case_event_id = models.BigIntegerField(default=0)
    rating_id = models.BigIntegerField(default=0)
    duty_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup refresh mark")
        verbose_name_plural = _("rollup refresh marks")

    def __str__(self) -> str:
        return f"{self.refreshed_at}"
