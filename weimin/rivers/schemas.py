"""What the rivers API accepts: bounded text and numbers (core/text.py). The physical ranges of the
measurements are the rule module's (``rules.PHYSICAL_RANGE``), checked by the action so that a refusal
names the field in the office's words."""

from ninja import Field, Schema

from weimin.core.text import Day, Text

# Wide enough for any typing error to reach the action, which names the field; narrow enough for a database.
Measurement = Field(ge=-100_000, le=100_000)
Count = Field(ge=0, le=1_000_000)


class SampleIn(Schema):
    point: Text(40)
    date: Day()
    depth_cm: float = Measurement
    transparency_cm: float = Measurement
    do_mg_l: float = Measurement
    orp_mv: float = Measurement
    nh3n_mg_l: float = Measurement
    sampler: Text(40, min_length=1)


class SurveyIn(Schema):
    held_from: Day()
    held_to: Day()
    responses: int = Count
    valid: int = Count
    satisfied: int = Count
    note: Text(200) = ""
