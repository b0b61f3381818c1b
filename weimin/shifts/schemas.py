from datetime import datetime

from ninja import Field, Schema

from weimin.core.text import Text


class DutyOut(Schema):
    window: int
    number: int
    user: str
    started_at: datetime
    ended_at: datetime | None


class SignOutIn(Schema):
    successor: Text(150) | None = Field(None, description="the colleague's username")
    to_hall: bool = Field(False, description="hand everything to the hall (the manager follows each item)")


class HandoverItemOut(Schema):
    kind: str
    id: int
    label: str
    to_hall: bool


class HandoverOut(Schema):
    id: int
    window: int
    from_user: str
    successor: str | None
    reason: str
    created_at: datetime
    acknowledged: bool
    items: list[HandoverItemOut]
