"""Black and odorous water (黑臭水体) by the 2015 guideline (城市黑臭水体整治工作指南), no Django.

The guideline's rules, each applied by one function of this module with the thresholds passed in
(``Thresholds``, a frozen dataclass the app builds from the ``WEIMIN_RIVERS_*`` settings):

- **A reading** (one sample at one point) → ``Level``: not black-odorous, light (轻度) or severe (重度).
  Each indicator has a light range and a severe range (DOMAIN.md §7): transparency 25–10 cm light,
  < 10 cm severe; dissolved oxygen 0.2–2.0 mg/L light, < 0.2 severe; ORP −200–50 mV light, < −200
  severe; NH3-N 8.0–15 mg/L light, > 15 severe. A light range includes both its ends (the guideline
  writes "25~10", "0.2~2.0"). The reading is black-odorous when any indicator is.
- **Shallow water**: where the water is shallower than 25 cm the transparency threshold is 40 % of the
  depth. The guideline scales the whole indicator, so both transparency thresholds are scaled by the
  same factor (40 % of the depth / 25 cm): the light band keeps its shape (UNVERIFIED reading of the
  guideline's footnote; documented in docs/rivers.md).
- **A point over a period** → ``PointClass``: fewer than 3 readings is insufficient data; severe when
  ≥ 60 % of the readings of one indicator, or ≥ 30 % of the readings of two or more indicators, reach
  the severe level; otherwise light when any reading is black-odorous; otherwise not black-odorous.
- **A water body** → its points in chainage order: ≥ 3 consecutive severe points make the stretch
  between them severe; ≥ 60 % severe points (of those with enough readings) make the body severe; a
  body with any black-odorous point is light; with no point classified, insufficient data.

Every class comes with its ``Reason`` records (structured: the rule, the indicator, the value and the
threshold), which the pages word in Chinese and the API and command print as they are.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


class Level(enum.StrEnum):
    """A reading's level, in order of badness."""

    NONE = "none"  # 不黑臭
    LIGHT = "light"  # 轻度黑臭
    SEVERE = "severe"  # 重度黑臭


class BodyClass(enum.StrEnum):
    """A point's or a body's class over a period: a level, or not enough readings to say."""

    NONE = "none"
    LIGHT = "light"
    SEVERE = "severe"
    INSUFFICIENT_DATA = "insufficient_data"


class Indicator(enum.StrEnum):
    TRANSPARENCY = "transparency_cm"  # 透明度
    DISSOLVED_OXYGEN = "do_mg_l"  # 溶解氧
    ORP = "orp_mv"  # 氧化还原电位
    AMMONIA = "nh3n_mg_l"  # 氨氮


class Rule(enum.StrEnum):
    """Which rule of the guideline made a class: the ``rule`` of a ``Reason``."""

    INDICATOR = "indicator"  # a reading's indicator in a black-odorous range
    TOO_FEW_READINGS = "too_few_readings"  # a point with fewer readings than the guideline asks
    ONE_INDICATOR = "one_indicator"  # ≥ 60 % of one indicator's readings severe
    TWO_INDICATORS = "two_indicators"  # ≥ 30 % of two or more indicators' readings severe
    BLACK_ODOROUS_READINGS = "black_odorous_readings"  # some readings black-odorous, not severe by the shares
    CLEAN_READINGS = "clean_readings"  # every reading outside the black-odorous ranges
    SEVERE_POINTS = "severe_points"  # the share of a body's severe points
    BLACK_ODOROUS_POINTS = "black_odorous_points"  # some points black-odorous, too few severe
    CLEAN_POINTS = "clean_points"  # no point black-odorous
    NO_POINT_CLASSIFIED = "no_point_classified"  # no point of the body has enough readings
    UNCLASSIFIED_POINTS = "unclassified_points"  # some points lack readings: the body's class is of the others


RANK = {Level.NONE: 0, Level.LIGHT: 1, Level.SEVERE: 2}


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Thresholds:
    """Every number of the guideline the rules use, with the guideline's value as default
    (``WEIMIN_RIVERS_*`` settings; DOMAIN.md §7)."""

    transparency_light_cm: Decimal = Decimal("25")  # ≤ 25 light
    transparency_severe_cm: Decimal = Decimal("10")  # < 10 severe
    shallow_depth_cm: Decimal = Decimal("25")  # water shallower than this: the shallow rule
    shallow_transparency_share: Decimal = Decimal("0.4")  # … threshold 40 % of the depth
    do_light_mg_l: Decimal = Decimal("2.0")  # ≤ 2.0 light
    do_severe_mg_l: Decimal = Decimal("0.2")  # < 0.2 severe
    orp_light_mv: Decimal = Decimal("50")  # ≤ 50 light
    orp_severe_mv: Decimal = Decimal("-200")  # < −200 severe
    nh3n_light_mg_l: Decimal = Decimal("8.0")  # ≥ 8.0 light
    nh3n_severe_mg_l: Decimal = Decimal("15")  # > 15 severe
    min_readings: int = 3  # a point needs this many readings in the period
    one_indicator_share: Decimal = Decimal("0.6")  # ≥ 60 % of one indicator severe → severe point
    two_indicators_share: Decimal = Decimal("0.3")  # ≥ 30 % of two indicators severe → severe point
    stretch_min_points: int = 3  # ≥ 3 consecutive severe points → a severe stretch
    body_severe_share: Decimal = Decimal("0.6")  # ≥ 60 % severe points → severe body
    spacing_min_m: int = 200  # points every 200–600 m
    spacing_max_m: int = 600
    min_points: int = 3  # at least 3 points per body

    def __post_init__(self):
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not isinstance(value, int | Decimal) or isinstance(value, bool):
                object.__setattr__(self, name, _d(value))


@dataclass(frozen=True)
class Reading:
    """One sample's measurements (采样): water depth and the four indicators."""

    depth_cm: Decimal
    transparency_cm: Decimal
    do_mg_l: Decimal
    orp_mv: Decimal
    nh3n_mg_l: Decimal

    def value(self, indicator: Indicator) -> Decimal:
        return _d(getattr(self, indicator.value))


@dataclass(frozen=True)
class Reason:
    """Why a class is what it is. ``rule`` says which rule; the other fields are those the rule uses
    (an indicator's value against its threshold, or shares of readings or points)."""

    rule: Rule
    level: str = ""
    indicator: str = ""
    value: Decimal | None = None
    threshold: Decimal | None = None
    shallow_depth_cm: Decimal | None = None  # the shallow rule set the threshold from this depth
    count: int | None = None
    total: int | None = None
    share: Decimal | None = None
    indicators: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Only the fields the rule uses, numbers as JSON numbers."""
        found = {"rule": self.rule.value}
        for name in ("level", "indicator", "value", "threshold", "shallow_depth_cm", "count", "total", "share"):
            value = getattr(self, name)
            if value not in (None, ""):
                found[name] = float(value) if isinstance(value, Decimal) else value
        if self.indicators:
            found["indicators"] = list(self.indicators)
        return found


@dataclass(frozen=True)
class ReadingLevel:
    level: Level
    indicators: dict[Indicator, Level]
    reasons: tuple[Reason, ...]


def transparency_thresholds(depth_cm, t: Thresholds) -> tuple[Decimal, Decimal, bool]:
    """(light, severe, shallow): the transparency thresholds at this depth. Shallower than
    ``shallow_depth_cm`` (25 cm), the light threshold is 40 % of the depth and the severe one scaled alike."""
    depth = _d(depth_cm)
    if depth < t.shallow_depth_cm:
        light = t.shallow_transparency_share * depth
        return light, t.transparency_severe_cm * light / t.transparency_light_cm, True
    return t.transparency_light_cm, t.transparency_severe_cm, False


def indicator_level(reading: Reading, indicator: Indicator, t: Thresholds) -> tuple[Level, Reason | None]:
    """One indicator's level in a reading, with the reason when it is black-odorous."""
    value = reading.value(indicator)
    shallow_depth = None
    if indicator is Indicator.TRANSPARENCY:
        light, severe, shallow = transparency_thresholds(reading.depth_cm, t)
        shallow_depth = _d(reading.depth_cm) if shallow else None
        level = Level.SEVERE if value < severe else Level.LIGHT if value <= light else Level.NONE
    elif indicator is Indicator.DISSOLVED_OXYGEN:
        light, severe = t.do_light_mg_l, t.do_severe_mg_l
        level = Level.SEVERE if value < severe else Level.LIGHT if value <= light else Level.NONE
    elif indicator is Indicator.ORP:
        light, severe = t.orp_light_mv, t.orp_severe_mv
        level = Level.SEVERE if value < severe else Level.LIGHT if value <= light else Level.NONE
    else:  # ammonia nitrogen: higher is worse
        light, severe = t.nh3n_light_mg_l, t.nh3n_severe_mg_l
        level = Level.SEVERE if value > severe else Level.LIGHT if value >= light else Level.NONE
    if level is Level.NONE:
        return level, None
    threshold = severe if level is Level.SEVERE else light
    return level, Reason(Rule.INDICATOR, level.value, indicator.value, value, threshold, shallow_depth)


def classify_reading(reading: Reading, t: Thresholds) -> ReadingLevel:
    """A reading is as black-odorous as its worst indicator (any indicator in a range makes it so)."""
    levels, reasons = {}, []
    for indicator in Indicator:
        level, reason = indicator_level(reading, indicator, t)
        levels[indicator] = level
        if reason is not None:
            reasons.append(reason)
    worst = max(levels.values(), key=RANK.__getitem__)
    return ReadingLevel(worst, levels, tuple(reasons))


@dataclass(frozen=True)
class Classified:
    """A point's or a body's class over a period with the reasons for it."""

    klass: BodyClass
    reasons: tuple[Reason, ...]

    @property
    def black_odorous(self) -> bool:
        return self.klass in (BodyClass.LIGHT, BodyClass.SEVERE)


def _share(count: int, total: int) -> Decimal:
    return (Decimal(count) / Decimal(total)).quantize(Decimal("0.001"))


def classify_point(readings: Sequence[Reading], t: Thresholds) -> Classified:
    """A point over a period by the 60 % / 30 % rule, given at least ``min_readings`` readings."""
    total = len(readings)
    if total < t.min_readings:
        return Classified(
            BodyClass.INSUFFICIENT_DATA, (Reason(Rule.TOO_FEW_READINGS, count=total, total=t.min_readings),)
        )
    levels = [classify_reading(reading, t) for reading in readings]
    severe_counts = {i: sum(1 for r in levels if r.indicators[i] is Level.SEVERE) for i in Indicator}
    # Shares compared as counts (count ≥ share × total), so that 3 of 5 is exactly 60 %.
    one = [i for i, n in severe_counts.items() if n and n >= t.one_indicator_share * total]
    if one:
        reasons = tuple(
            Reason(Rule.ONE_INDICATOR, Level.SEVERE.value, i.value, count=severe_counts[i], total=total,
                   share=_share(severe_counts[i], total), threshold=t.one_indicator_share)
            for i in one
        )  # fmt: skip
        return Classified(BodyClass.SEVERE, reasons)
    two = [i for i, n in severe_counts.items() if n and n >= t.two_indicators_share * total]
    if len(two) >= 2:
        reason = Reason(Rule.TWO_INDICATORS, Level.SEVERE.value, threshold=t.two_indicators_share, total=total,
                        indicators=tuple(i.value for i in two), count=min(severe_counts[i] for i in two))  # fmt: skip
        return Classified(BodyClass.SEVERE, (reason,))
    black = [r for r in levels if r.level is not Level.NONE]
    if black:
        indicators = tuple(i.value for i in Indicator if any(r.indicators[i] is not Level.NONE for r in black))
        reason = Reason(Rule.BLACK_ODOROUS_READINGS, Level.LIGHT.value, count=len(black), total=total,
                        share=_share(len(black), total), indicators=indicators)  # fmt: skip
        return Classified(BodyClass.LIGHT, (reason,))
    return Classified(BodyClass.NONE, (Reason(Rule.CLEAN_READINGS, Level.NONE.value, count=total, total=total),))


@dataclass(frozen=True)
class Point:
    """A monitoring point of a body (监测点) and its class over the period."""

    code: str
    chainage_m: int
    classified: Classified


@dataclass(frozen=True)
class Stretch:
    """A severe stretch (重度黑臭河段): ≥ ``stretch_min_points`` consecutive severe points."""

    from_m: int
    to_m: int
    points: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"from_m": self.from_m, "to_m": self.to_m, "points": list(self.points)}


@dataclass(frozen=True)
class BodyResult:
    classified: Classified
    stretches: tuple[Stretch, ...]

    @property
    def klass(self) -> BodyClass:
        return self.classified.klass


def severe_stretches(points: Sequence[Point], t: Thresholds) -> tuple[Stretch, ...]:
    """Runs of ≥ ``stretch_min_points`` consecutive severe points, in chainage order."""
    found, run = [], []
    for point in [*sorted(points, key=lambda p: p.chainage_m), None]:
        if point is not None and point.classified.klass is BodyClass.SEVERE:
            run.append(point)
            continue
        if len(run) >= t.stretch_min_points:
            found.append(Stretch(run[0].chainage_m, run[-1].chainage_m, tuple(p.code for p in run)))
        run = []
    return tuple(found)


def classify_body(points: Sequence[Point], t: Thresholds) -> BodyResult:
    """The body's class from its points' classes, and its severe stretches."""
    stretches = severe_stretches(points, t)
    classified = [p for p in points if p.classified.klass is not BodyClass.INSUFFICIENT_DATA]
    unclassified = len(points) - len(classified)
    extra = (Reason(Rule.UNCLASSIFIED_POINTS, count=unclassified, total=len(points)),) if unclassified else ()
    if not classified:
        return BodyResult(
            Classified(BodyClass.INSUFFICIENT_DATA, (Reason(Rule.NO_POINT_CLASSIFIED, total=len(points)),)), stretches
        )
    total = len(classified)
    severe = sum(1 for p in classified if p.classified.klass is BodyClass.SEVERE)
    black = sum(1 for p in classified if p.classified.black_odorous)
    if severe >= t.body_severe_share * total:
        reason = Reason(Rule.SEVERE_POINTS, Level.SEVERE.value, count=severe, total=total,
                        share=_share(severe, total), threshold=t.body_severe_share)  # fmt: skip
        return BodyResult(Classified(BodyClass.SEVERE, (reason, *extra)), stretches)
    if black:
        reason = Reason(Rule.BLACK_ODOROUS_POINTS, Level.LIGHT.value, count=black, total=total,
                        share=_share(severe, total), threshold=t.body_severe_share)  # fmt: skip
        return BodyResult(Classified(BodyClass.LIGHT, (reason, *extra)), stretches)
    return BodyResult(
        Classified(BodyClass.NONE, (Reason(Rule.CLEAN_POINTS, Level.NONE.value, total=total), *extra)), stretches
    )


# Monitoring points along a body -------------------------------------------------------------------


class Layout(enum.StrEnum):
    """What is wrong with a body's points (布点): the guideline asks for one every 200–600 m, ≥ 3 a body."""

    TOO_CLOSE = "too_close"
    TOO_FAR = "too_far"
    TOO_FEW = "too_few"


@dataclass(frozen=True)
class LayoutWarning:
    kind: Layout
    points: tuple[str, ...] = ()
    distance_m: int | None = None
    limit: int | None = None


def layout_warnings(points: Iterable[tuple[str, int]], t: Thresholds) -> list[LayoutWarning]:
    """Warnings about (code, chainage) points: consecutive points closer than 200 m or further apart than
    600 m, fewer than 3 points."""
    ordered = sorted(points, key=lambda p: p[1])
    found = []
    if len(ordered) < t.min_points:
        found.append(LayoutWarning(Layout.TOO_FEW, tuple(code for code, _ in ordered), len(ordered), t.min_points))
    for (a, at_a), (b, at_b) in zip(ordered, ordered[1:], strict=False):
        distance = at_b - at_a
        if distance < t.spacing_min_m:
            found.append(LayoutWarning(Layout.TOO_CLOSE, (a, b), distance, t.spacing_min_m))
        elif distance > t.spacing_max_m:
            found.append(LayoutWarning(Layout.TOO_FAR, (a, b), distance, t.spacing_max_m))
    return found


# What a sample may physically be ------------------------------------------------------------------


class Problem(enum.StrEnum):
    """Why a measurement is refused; the app words it with the field's name."""

    MISSING = "missing"
    NOT_A_NUMBER = "not_a_number"
    BELOW = "below"  # under the physical minimum
    ABOVE = "above"  # over the physical maximum
    ABOVE_DEPTH = "above_depth"  # transparency deeper than the water
    NOT_A_DATE = "not_a_date"
    FUTURE = "future"
    TOO_LONG = "too_long"
    CONFLICT = "conflict"  # a point's chainage differs from its earlier rows
    DUPLICATE = "duplicate"  # a second sample of a point on one date
    UNKNOWN = "unknown"  # no such body or point
    UNSTORABLE = "unstorable"  # a NUL or a lone surrogate, which no database stores
    TOO_EARLY = "too_early"  # a sampling date before FIRST_SAMPLE_DAY: a mistyped year
    TOO_MANY_ROWS = "too_many_rows"  # an import's table beyond its limit
    NO_ROWS = "no_rows"  # an import's table with a header and nothing below


# Physically possible ranges, not thresholds (no setting): a value outside is a typing error. Water in the
# district's rivers is under 10 m deep; dissolved oxygen cannot much exceed saturation (≈ 14.6 mg/L at 0 °C;
# 20 allows supersaturation); natural waters' ORP lies within ±1000 mV; NH3-N beyond 500 mg/L is sewage
# concentrate, not a river.
PHYSICAL_RANGE: dict[str, tuple[Decimal, Decimal]] = {
    "depth_cm": (Decimal("0.1"), Decimal("1000")),
    Indicator.TRANSPARENCY.value: (Decimal("0"), Decimal("1000")),
    Indicator.DISSOLVED_OXYGEN.value: (Decimal("0"), Decimal("20")),
    Indicator.ORP.value: (Decimal("-1000"), Decimal("1000")),
    Indicator.AMMONIA.value: (Decimal("0"), Decimal("500")),
}
MEASUREMENTS = tuple(PHYSICAL_RANGE)  # depth_cm, then the indicators in Indicator's order
# The places each measurement is kept to (the Sample model's decimal_places): a reading is classified as
# it is kept, so 0.195 mg/L of oxygen is 0.20 — light — on entry and on every page after.
PLACES: dict[str, Decimal] = {
    "depth_cm": Decimal("0.1"),
    Indicator.TRANSPARENCY.value: Decimal("0.1"),
    Indicator.DISSOLVED_OXYGEN.value: Decimal("0.01"),
    Indicator.ORP.value: Decimal("0.1"),
    Indicator.AMMONIA.value: Decimal("0.01"),
}


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: Problem
    limit: Decimal | None = None
    text: str = ""  # what was given, for the message


def parse_measurement(name: str, text) -> tuple[Decimal | None, FieldProblem | None]:
    """A measurement from typed or imported text (a number, or a cell's number), within its physical range."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, FieldProblem(name, Problem.MISSING)
    try:
        value = _d(text.strip() if isinstance(text, str) else text)
    except ArithmeticError:
        return None, FieldProblem(name, Problem.NOT_A_NUMBER, text=str(text)[:20])
    if not value.is_finite():
        return None, FieldProblem(name, Problem.NOT_A_NUMBER, text=str(text)[:20])
    low, high = PHYSICAL_RANGE[name]
    if abs(value) <= high:  # beyond, refused below; quantizing a huge number would overflow
        value = value.quantize(PLACES[name], rounding=ROUND_HALF_UP)
    if value < low:
        return None, FieldProblem(name, Problem.BELOW, low, str(text)[:20])
    if value > high:
        return None, FieldProblem(name, Problem.ABOVE, high, str(text)[:20])
    return value, None


def parse_reading(values: dict) -> tuple[Reading | None, list[FieldProblem]]:
    """A ``Reading`` from the five measurements by name, or every problem with them."""
    parsed, problems = {}, []
    for name in MEASUREMENTS:
        value, problem = parse_measurement(name, values.get(name))
        if problem:
            problems.append(problem)
        parsed[name] = value
    transparency, depth = parsed[Indicator.TRANSPARENCY.value], parsed["depth_cm"]
    if transparency is not None and depth is not None and transparency > depth:
        problems.append(FieldProblem(Indicator.TRANSPARENCY.value, Problem.ABOVE_DEPTH, depth, str(transparency)))
    return (None, problems) if problems else (Reading(**parsed), [])


# No river was sampled for these indicators before this day: an earlier date is a mistyped year (17 → 1917).
FIRST_SAMPLE_DAY = date(1970, 1, 1)


def parse_day(name: str, text, today: date | None = None) -> tuple[date | None, FieldProblem | None]:
    """A sampling date (ISO text or a date), from FIRST_SAMPLE_DAY and not after ``today``."""
    if isinstance(text, date):
        day = text
    else:
        try:
            day = date.fromisoformat(str(text or "").strip()[:10])
        except ValueError:
            return None, FieldProblem(name, Problem.NOT_A_DATE, text=str(text or "")[:20])
    if day < FIRST_SAMPLE_DAY:
        return None, FieldProblem(name, Problem.TOO_EARLY, text=day.isoformat())
    if today is not None and day > today:
        return None, FieldProblem(name, Problem.FUTURE, text=day.isoformat())
    return day, None


# Satisfaction surveys and elimination --------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRules:
    min_valid: int = 100  # ≥ 100 valid questionnaires from residents nearby
    bar: Decimal = Decimal("0.9")  # satisfaction bar (common practice, UNVERIFIED as a national rule)


class SurveyVerdict(enum.StrEnum):
    PASSED = "passed"
    BELOW_BAR = "below_bar"
    TOO_FEW_VALID = "too_few_valid"


@dataclass(frozen=True)
class SurveyResult:
    rate: Decimal | None  # satisfied / valid
    verdict: SurveyVerdict


def judge_survey(valid: int, satisfied: int, rules: SurveyRules) -> SurveyResult:
    """A survey passes with ≥ ``min_valid`` valid questionnaires and a satisfaction rate ≥ the bar."""
    rate = _share(satisfied, valid) if valid else None
    if valid < rules.min_valid:
        return SurveyResult(rate, SurveyVerdict.TOO_FEW_VALID)
    return SurveyResult(rate, SurveyVerdict.PASSED if rate >= rules.bar else SurveyVerdict.BELOW_BAR)


@dataclass(frozen=True)
class EliminationRate:
    eliminated: int
    listed: int
    rate: Decimal | None
    target: Decimal
    met: bool


def elimination_rate(eliminated: int, listed: int, target) -> EliminationRate:
    """The district's share of listed black-odorous bodies eliminated, against a target it must exceed
    (key cities: > 90 %)."""
    rate = _share(eliminated, listed) if listed else None
    target = _d(target)
    return EliminationRate(eliminated, listed, rate, target, rate is not None and rate > target)
