from datetime import date

from ninja import Field, Schema

Figure = int | float | None


class SummaryOut(Schema):
    hall: str | None = Field(description="the hall's code; null: the whole district")
    first: date = Field(alias="from")
    last: date = Field(alias="to")
    figures: dict[str, Figure] = Field(description="every measure by its key (docs: the pages' 口径说明)")


class GroupOut(Schema):
    key: str
    label: str
    figures: dict[str, Figure]


class BreakdownOut(SummaryOut):
    by: str
    groups: list[GroupOut]
