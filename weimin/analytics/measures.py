"""What each measure (指标) is called on a page and what it means, by its key in ``rules.Totals.figures``.

``rules``' docstring is the technical definition; this is the same definition in one sentence for the
people reading the pages: every page lists the measures it shows under "口径说明" from here, and its
tables' columns take their labels and formats from here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weimin.analytics import queries, records
from weimin.analytics.tables import Column, Kind


class Better:
    """Which way a measure improves: a ranking puts the best first."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Measure:
    label: str  # lazy; may name the wait target: %(target)s
    definition: str  # lazy; may name the wait target and the evening hour
    kind: str = Kind.COUNT
    better: str = Better.HIGHER


MEASURES: dict[str, Measure] = {
    "visits": Measure(_("Visits"), _("Tickets served to completion (服务人次).")),
    "issued": Measure(_("Tickets issued"), _("Every ticket issued, whatever became of it.")),
    "no_show": Measure(
        _("No-shows"), _("Tickets that ended as no-shows (过号) and did not rejoin."), better=Better.LOWER
    ),
    "cancelled": Measure(_("Cancelled"), _("Tickets the visitor or the hall cancelled."), better=Better.LOWER),
    "unserved_at_close": Measure(
        _("Unserved at close"),
        _("Tickets still waiting or at a window when the day was closed (日结)."),
        better=Better.LOWER,
    ),
    "still_open": Measure(_("Still open"), _("Tickets of a day not yet closed that are not finished yet.")),
    "cases": Measure(_("Cases received"), _("Applications received at a window (办件量), counted on the day opened.")),
    "decided": Measure(_("Decisions"), _("Every decision on a case, counted on the day it was taken.")),
    "accepted": Measure(_("Accepted"), _("Decisions to accept a complete application (受理).")),
    "accepted_on_promise": Measure(
        _("Accepted on promise"),
        _("Decisions to accept with tolerated missing materials and a signed promise (容缺受理)."),
    ),
    "corrections": Measure(
        _("Correction notices"),
        _("Decisions asking for materials (补正); a case corrected and later accepted counts in both."),
        better=Better.LOWER,
    ),
    "refused": Measure(_("Not accepted"), _("Decisions not to accept an application (不予受理)."), better=Better.LOWER),
    "concluded_approved": Measure(_("Concluded: approved"), _("Cases concluded (办结) with approval that day.")),
    "concluded_refused": Measure(_("Concluded: refused"), _("Cases concluded (办结) with a refusal that day.")),
    "told_at_once_share": Measure(
        _("Told everything at once"),
        _("Share of correction notices that were the case's first and only one (一次性告知)."),
        Kind.SHARE,
    ),
    "same_day_return_share": Measure(
        _("Same-day returns"),
        _("Share of first correction notices whose applicant came back the same day through the fast lane."),
        Kind.SHARE,
    ),
    "mean_wait_minutes": Measure(
        _("Mean wait (min)"), _("From taking the ticket to the first call, averaged."), Kind.MINUTES, Better.LOWER
    ),
    "median_wait_minutes": Measure(
        _("Median wait (min)"),
        _("Half waited less than one minute more than this (whole minutes, nearest rank)."),
        Kind.COUNT,
        Better.LOWER,
    ),
    "p90_wait_minutes": Measure(
        _("P90 wait (min)"),
        _("Nine in ten waited less than one minute more than this (whole minutes, nearest rank)."),
        Kind.COUNT,
        Better.LOWER,
    ),
    "under_target_share": Measure(
        _("Called within %(target)s min"),
        _("Share of visitors called within %(target)s minutes of taking their ticket (setting)."),
        Kind.SHARE,
    ),
    "mean_service_minutes": Measure(
        _("Mean service (min)"), _("From the last call to completion, averaged."), Kind.MINUTES, Better.LOWER
    ),
    "median_service_minutes": Measure(
        _("Median service (min)"), _("The middle service time, in whole minutes."), Kind.COUNT, Better.LOWER
    ),
    "p90_service_minutes": Measure(
        _("P90 service (min)"),
        _("Nine in ten services took less than one minute more than this."),
        Kind.COUNT,
        Better.LOWER,
    ),  # fmt: skip
    "on_time_share": Measure(
        _("Finished on time"),
        _("Share of cases concluded on or before their promised date, among those whose date is known (按时办结)."),
        Kind.SHARE,
    ),
    "ratings": Measure(_("Ratings"), _("Ratings given (好差评), defaults included.")),
    "mean_rating": Measure(_("Mean rating"), _("The mean level of the ratings, from 1 to 5."), Kind.NUMBER),
    "bad_rating_share": Measure(
        _("Bad ratings"), _("Share of ratings at level 1 or 2 (差评)."), Kind.SHARE, Better.LOWER
    ),
    "utilisation": Measure(
        _("Window utilisation"), _("Time spent serving ÷ time the windows were held (signed in)."), Kind.SHARE
    ),
    "evening_share": Measure(
        _("Evening share"),
        _("Share of visits whose ticket was taken at or after %(evening)s, the former closing time."),
        Kind.SHARE,
    ),
    "saturday_share": Measure(_("Saturday share"), _("Share of visits on a Saturday."), Kind.SHARE),
    "company_share_evening": Measure(
        _("Company agents, evening"),
        _("Share of the cases opened at or after %(evening)s whose applicant is a company."),
        Kind.SHARE,
    ),
    "company_share_daytime": Measure(
        _("Company agents, daytime"),
        _("Share of the cases opened before %(evening)s whose applicant is a company."),
        Kind.SHARE,
    ),
}

# The measures the dashboards compare halls by (and a ranking may be chosen from).
KEY_MEASURES = (
    "visits",
    "cases",
    "mean_wait_minutes",
    "median_wait_minutes",
    "p90_wait_minutes",
    "under_target_share",
    "evening_share",
    "saturday_share",
    "bad_rating_share",
    "utilisation",
    "no_show",
)


def _with_settings(text) -> str:
    """The text with the wait target and the evening hour filled in, where it names them."""
    text = str(text)
    if "%(" not in text:
        return text
    return text % {"target": queries.wait_target(), "evening": records.evening_from().strftime("%H:%M")}


def label(key: str) -> str:
    return _with_settings(MEASURES[key].label)


def definition(key: str) -> str:
    return _with_settings(MEASURES[key].definition)


def column(key: str) -> Column:
    """A table column showing measure ``key``."""
    return Column(key, label(key), MEASURES[key].kind)


def definitions(keys) -> list[tuple[str, str]]:
    """(label, definition) of each measure, for a page's 口径说明."""
    return [(label(key), definition(key)) for key in dict.fromkeys(keys)]


def ranked(values: list[tuple[object, float | None]], key: str) -> list[tuple[object, float | None]]:
    """``(thing, value)`` pairs best first by measure ``key``; things without a value last."""
    lower = MEASURES[key].better == Better.LOWER

    def order(pair):
        value = pair[1]
        return (value is None, 0 if value is None else (value if lower else -value))

    return sorted(values, key=order)
