"""Every measure the rules compute has its label and definition for the pages, and periods are checked
with errors naming the field."""

from datetime import date

import pytest

from weimin.analytics import measures, periods, rules
from weimin.core.errors import InvalidInput


def test_every_figure_has_its_label_and_definition():
    assert set(measures.MEASURES) == set(rules.Totals().figures(15))
    assert set(measures.KEY_MEASURES) <= set(measures.MEASURES)


def test_labels_and_definitions_name_the_settings(settings):
    settings.WEIMIN_ANALYTICS_WAIT_TARGET_MINUTES = 20
    assert measures.label("under_target_share") == "20 分钟内叫号率"
    assert measures.definition("evening_share").startswith("18:00（原下班时间）及以后")
    assert measures.column("mean_wait_minutes").kind == "minutes"


def test_a_ranking_puts_the_best_first_and_the_unknown_last():
    values = [("a", 12.0), ("b", None), ("c", 5.0)]
    assert [name for name, _ in measures.ranked(values, "mean_wait_minutes")] == ["c", "a", "b"]
    assert [name for name, _ in measures.ranked(values, "visits")] == ["a", "c", "b"]


def test_periods():
    friday = date(2017, 12, 8)
    assert periods.from_query({}, friday) == periods.Period(date(2017, 11, 9), friday, "30d")
    assert periods.from_query({"period": "week"}, friday).first == date(2017, 12, 4)
    assert periods.from_query({"from": "2017-12-01"}, friday) == periods.Period(date(2017, 12, 1), friday)
    with pytest.raises(InvalidInput) as error:
        periods.from_query({"from": "12/01/2017"}, friday)
    assert error.value.field == "from"
    with pytest.raises(InvalidInput) as error:
        periods.from_query({"period": "decade"}, friday)
    assert error.value.field == "period"
    assert periods.checked(date(2015, 1, 1), date(2017, 12, 31)).days == 1096
    with pytest.raises(InvalidInput):
        periods.checked(date(2014, 12, 1), date(2017, 12, 31))
