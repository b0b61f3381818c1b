"""The guideline's rules (weimin/rivers/rules.py) tried directly: every indicator's boundaries on both sides,
the shallow-water transparency rule, the point rule (60 % of one indicator, 30 % of two), stretches and
the whole-body rule, insufficient data, layout warnings, surveys; worsening a reading never improves a class."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weimin.rivers.rules import (
    RANK,
    BodyClass,
    Indicator,
    Layout,
    Level,
    Point,
    Problem,
    Reading,
    Rule,
    SurveyRules,
    SurveyVerdict,
    Thresholds,
    classify_body,
    classify_point,
    classify_reading,
    elimination_rate,
    judge_survey,
    layout_warnings,
    parse_day,
    parse_reading,
)

T = Thresholds()
CLASS_RANK = {BodyClass.NONE: 0, BodyClass.LIGHT: 1, BodyClass.SEVERE: 2}
CLEAN = Reading(depth_cm=D("80"), transparency_cm=D("40"), do_mg_l=D("5"), orp_mv=D("150"), nh3n_mg_l=D("1"))


def level_of(**changes) -> Level:
    return classify_reading(replace(CLEAN, **{k: D(v) for k, v in changes.items()}), T).level


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        # transparency: > 25 clean, 25 … 10 light, < 10 severe
        ("transparency_cm", "25.1", Level.NONE),
        ("transparency_cm", "25", Level.LIGHT),
        ("transparency_cm", "10", Level.LIGHT),
        ("transparency_cm", "9.9", Level.SEVERE),
        # dissolved oxygen: > 2.0 clean, 2.0 … 0.2 light, < 0.2 severe
        ("do_mg_l", "2.01", Level.NONE),
        ("do_mg_l", "2.0", Level.LIGHT),
        ("do_mg_l", "0.2", Level.LIGHT),
        ("do_mg_l", "0.19", Level.SEVERE),
        # ORP: > 50 clean, 50 … −200 light, < −200 severe
        ("orp_mv", "50.1", Level.NONE),
        ("orp_mv", "50", Level.LIGHT),
        ("orp_mv", "-200", Level.LIGHT),
        ("orp_mv", "-200.1", Level.SEVERE),
        # NH3-N: < 8.0 clean, 8.0 … 15 light, > 15 severe
        ("nh3n_mg_l", "7.99", Level.NONE),
        ("nh3n_mg_l", "8.0", Level.LIGHT),
        ("nh3n_mg_l", "15", Level.LIGHT),
        ("nh3n_mg_l", "15.01", Level.SEVERE),
    ],
)
def test_each_indicator_on_both_sides_of_its_boundaries(indicator, value, expected):
    assert level_of(**{indicator: value}) is expected


def test_the_reading_is_as_bad_as_its_worst_indicator_and_says_why():
    result = classify_reading(replace(CLEAN, do_mg_l=D("1.0"), nh3n_mg_l=D("16")), T)
    assert result.level is Level.SEVERE
    assert [(r.indicator, r.level, r.value, r.threshold) for r in result.reasons] == [
        ("do_mg_l", "light", D("1.0"), D("2.0")),
        ("nh3n_mg_l", "severe", D("16"), D("15")),
    ]
    assert classify_reading(CLEAN, T).reasons == ()


def test_shallow_water_sets_the_transparency_threshold_at_40_percent_of_the_depth():
    # 20 cm deep: light at ≤ 8 cm (40 %), severe below 3.2 cm (the same scale: 10/25 of 8).
    shallow = replace(CLEAN, depth_cm=D("20"))
    assert classify_reading(replace(shallow, transparency_cm=D("8.1")), T).level is Level.NONE
    light = classify_reading(replace(shallow, transparency_cm=D("8")), T)
    assert light.level is Level.LIGHT
    assert (light.reasons[0].threshold, light.reasons[0].shallow_depth_cm) == (D("8.0"), D("20"))
    assert classify_reading(replace(shallow, transparency_cm=D("3.2")), T).level is Level.LIGHT
    assert classify_reading(replace(shallow, transparency_cm=D("3.1")), T).level is Level.SEVERE
    # 25 cm is not shallow: the 25 cm threshold holds (a 20 cm disk reading in 25 cm of water is light).
    deep_enough = replace(CLEAN, depth_cm=D("25"), transparency_cm=D("20"))
    assert classify_reading(deep_enough, T).level is Level.LIGHT
    assert classify_reading(deep_enough, T).reasons[0].shallow_depth_cm is None
    # The share is a setting.
    assert (
        classify_reading(
            replace(shallow, transparency_cm=D("9")), replace(T, shallow_transparency_share=D("0.5"))
        ).level
        is Level.LIGHT
    )


def readings(*specs) -> list[Reading]:
    """Each spec a set of indicators at the severe level in that reading (others clean)."""
    severe = {"transparency_cm": D("5"), "do_mg_l": D("0.1"), "orp_mv": D("-250"), "nh3n_mg_l": D("20")}
    return [replace(CLEAN, **{name: severe[name] for name in spec}) for spec in specs]


def test_a_point_needs_three_readings():
    result = classify_point(readings({"do_mg_l"}, {"do_mg_l"}), T)
    assert result.klass is BodyClass.INSUFFICIENT_DATA
    assert result.reasons[0].rule is Rule.TOO_FEW_READINGS and result.reasons[0].count == 2
    assert classify_point([], T).klass is BodyClass.INSUFFICIENT_DATA
    assert classify_point(readings(set(), set(), set()), T).klass is BodyClass.NONE


def test_sixty_percent_of_one_indicator_severe_makes_a_severe_point():
    do = {"do_mg_l"}
    assert classify_point(readings(do, do, do, set(), set()), T).klass is BodyClass.SEVERE  # 3/5 = 60 %
    below = classify_point(readings(do, do, set(), set(), set()), T)  # 2/5 = 40 %, one indicator
    assert below.klass is BodyClass.LIGHT
    assert below.reasons[0].rule is Rule.BLACK_ODOROUS_READINGS
    reason = classify_point(readings(do, do, do, set(), set()), T).reasons[0]
    assert (reason.rule, reason.indicator, reason.share) == (Rule.ONE_INDICATOR, "do_mg_l", D("0.600"))


def test_thirty_percent_of_two_indicators_severe_makes_a_severe_point():
    two = {"do_mg_l", "orp_mv"}
    ten = [two, two, two] + [set()] * 7  # 3/10 = 30 % of two indicators
    result = classify_point(readings(*ten), T)
    assert result.klass is BodyClass.SEVERE
    assert result.reasons[0].rule is Rule.TWO_INDICATORS and result.reasons[0].indicators == ("do_mg_l", "orp_mv")
    assert classify_point(readings(*([two, two] + [set()] * 8)), T).klass is BodyClass.LIGHT  # 20 %
    # Two indicators in different readings count alike: 3 of 10 each.
    apart = [{"do_mg_l"}] * 3 + [{"orp_mv"}] * 3 + [set()] * 4
    assert classify_point(readings(*apart), T).klass is BodyClass.SEVERE
    one_only = [{"do_mg_l"}] * 5 + [set()] * 5  # 50 % of one indicator, nothing else
    assert classify_point(readings(*one_only), T).klass is BodyClass.LIGHT


def points(*classes, spacing=400) -> list[Point]:
    from weimin.rivers.rules import Classified

    return [Point(f"P{n + 1}", n * spacing, Classified(BodyClass(c), ())) for n, c in enumerate(classes)]


def test_three_consecutive_severe_points_make_a_severe_stretch():
    body = classify_body(points("severe", "severe", "light", "severe", "severe", "severe", "none"), T)
    assert [s.as_dict() for s in body.stretches] == [{"from_m": 1200, "to_m": 2000, "points": ["P4", "P5", "P6"]}]
    assert classify_body(points("severe", "severe", "light", "severe", "severe"), T).stretches == ()
    # A point without enough readings breaks the run.
    assert classify_body(points("severe", "insufficient_data", "severe", "severe"), T).stretches == ()


def test_sixty_percent_severe_points_make_a_severe_body():
    severe = classify_body(points("severe", "severe", "severe", "light", "none"), T)
    assert severe.klass is BodyClass.SEVERE
    assert (severe.classified.reasons[0].count, severe.classified.reasons[0].total) == (3, 5)
    light = classify_body(points("severe", "severe", "light", "light", "none"), T)
    assert light.klass is BodyClass.LIGHT and light.classified.reasons[0].rule is Rule.BLACK_ODOROUS_POINTS
    assert classify_body(points("none", "none", "none"), T).klass is BodyClass.NONE


def test_a_body_is_classified_from_its_points_with_data():
    assert classify_body(points("insufficient_data", "insufficient_data"), T).klass is BodyClass.INSUFFICIENT_DATA
    assert classify_body([], T).klass is BodyClass.INSUFFICIENT_DATA
    partly = classify_body(points("severe", "severe", "insufficient_data", "light"), T)
    assert partly.klass is BodyClass.SEVERE  # 2 of the 3 classified points
    assert partly.classified.reasons[-1].rule is Rule.UNCLASSIFIED_POINTS


def test_points_every_200_to_600_m_and_at_least_three():
    warnings = layout_warnings([("A", 0), ("B", 150), ("C", 800)], T)
    assert [(w.kind, w.points, w.distance_m) for w in warnings] == [
        (Layout.TOO_CLOSE, ("A", "B"), 150),
        (Layout.TOO_FAR, ("B", "C"), 650),
    ]
    assert layout_warnings([("A", 0), ("B", 200), ("C", 800)], T) == []  # both ends allowed
    assert [w.kind for w in layout_warnings([("A", 0), ("B", 400)], T)] == [Layout.TOO_FEW]


def test_impossible_values_are_refused_naming_the_field():
    values = {"depth_cm": "50", "transparency_cm": "60", "do_mg_l": "-1", "orp_mv": "abc", "nh3n_mg_l": "600"}
    reading, problems = parse_reading(values)
    assert reading is None
    assert [(p.field, p.problem) for p in problems] == [
        ("do_mg_l", Problem.BELOW),
        ("orp_mv", Problem.NOT_A_NUMBER),
        ("nh3n_mg_l", Problem.ABOVE),
        ("transparency_cm", Problem.ABOVE_DEPTH),
    ]
    assert (
        parse_reading({**values, "do_mg_l": "nan", "orp_mv": "1", "nh3n_mg_l": "1", "transparency_cm": "1"})[1][
            0
        ].problem
        is Problem.NOT_A_NUMBER
    )
    assert parse_reading({"depth_cm": "0"})[1][0].problem is Problem.BELOW
    from datetime import date

    assert parse_day("date", "2017-12-09", date(2017, 12, 8))[1].problem is Problem.FUTURE
    assert parse_day("date", "2017-02-30")[1].problem is Problem.NOT_A_DATE


def test_surveys_need_100_valid_questionnaires_and_the_bar():
    rules = SurveyRules()
    assert judge_survey(100, 90, rules).verdict is SurveyVerdict.PASSED
    assert judge_survey(100, 89, rules).verdict is SurveyVerdict.BELOW_BAR
    assert judge_survey(99, 99, rules).verdict is SurveyVerdict.TOO_FEW_VALID
    assert judge_survey(0, 0, rules).rate is None


def test_the_district_must_eliminate_more_than_the_target():
    assert elimination_rate(9, 10, "0.9").met is False  # > 90 %, not ≥
    assert elimination_rate(10, 10, "0.9").met is True
    assert elimination_rate(0, 0, "0.9").rate is None


# Property: worsening any reading never improves a class -----------------------------------------

values = st.builds(
    Reading,
    depth_cm=st.decimals("1", "300", places=1),
    transparency_cm=st.decimals("0", "60", places=1),
    do_mg_l=st.decimals("0", "10", places=2),
    orp_mv=st.decimals("-400", "300", places=0),
    nh3n_mg_l=st.decimals("0", "30", places=2),
)


def worsened(reading: Reading, indicator: Indicator, by: D) -> Reading:
    """The reading with one indicator made worse by ``by`` (lower transparency, DO, ORP; higher NH3-N)."""
    value = reading.value(indicator)
    if indicator is Indicator.AMMONIA:
        return replace(reading, nh3n_mg_l=value + by)
    lower = value - by if indicator is Indicator.ORP else max(value - by, D(0))  # ORP may be negative
    return replace(reading, **{indicator.value: lower})


@settings(max_examples=150, deadline=None)
@given(values, st.sampled_from(list(Indicator)), st.decimals("0", "50", places=1))
def test_worsening_a_reading_never_improves_its_level(reading, indicator, by):
    before, after = classify_reading(reading, T), classify_reading(worsened(reading, indicator, by), T)
    assert RANK[after.level] >= RANK[before.level]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(values, min_size=0, max_size=6), min_size=1, max_size=6),
    st.data(),
)
def test_worsening_any_reading_never_improves_a_point_or_the_body(series, data):
    def body_of(series):
        pts = [Point(f"P{n}", n * 300, classify_point(rs, T)) for n, rs in enumerate(series)]
        return pts, classify_body(pts, T)

    before_points, before = body_of(series)
    where = data.draw(st.sampled_from([(p, r) for p, rs in enumerate(series) for r in range(len(rs))] or [None]))
    if where is None:
        return
    indicator = data.draw(st.sampled_from(list(Indicator)))
    by = data.draw(st.decimals("0", "50", places=1))
    changed = [list(rs) for rs in series]
    changed[where[0]][where[1]] = worsened(changed[where[0]][where[1]], indicator, by)
    after_points, after = body_of(changed)
    for b, a in zip(before_points, after_points, strict=True):
        assert (
            a.classified.klass is b.classified.klass or CLASS_RANK[a.classified.klass] > CLASS_RANK[b.classified.klass]
        )
    assert after.klass is before.klass or CLASS_RANK[after.klass] > CLASS_RANK[before.klass]
    assert len(after.stretches) >= len(before.stretches) or sum(len(s.points) for s in after.stretches) >= sum(
        len(s.points) for s in before.stretches
    )


@pytest.mark.parametrize(
    ("field", "typed", "kept", "level"),
    [("do_mg_l", "0.195", D("0.20"), Level.LIGHT), ("nh3n_mg_l", "7.996", D("8.00"), Level.LIGHT),
     ("orp_mv", "-200.04", D("-200.0"), Level.LIGHT), ("transparency_cm", "9.96", D("10.0"), Level.LIGHT)],
)  # fmt: skip
def test_a_reading_is_classified_as_it_is_kept(field, typed, kept, level):
    """The sample keeps 2 places of oxygen: 0.195 is recorded as 0.20, so it is light when typed as on every page."""
    values = {name: str(getattr(CLEAN, name)) for name in ("depth_cm", *(i.value for i in Indicator))}
    reading, problems = parse_reading({**values, field: typed})
    assert problems == [] and getattr(reading, field) == kept
    assert classify_reading(reading, T).level is level


def test_a_sampling_date_before_1970_is_a_mistyped_year():
    from datetime import date

    assert parse_day("date", "1969-12-31")[1].problem is Problem.TOO_EARLY
    assert parse_day("date", date(1917, 12, 8))[1].problem is Problem.TOO_EARLY
    assert parse_day("date", "1970-01-01") == (date(1970, 1, 1), None)
