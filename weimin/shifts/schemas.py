from datetime import datetime

from ninja import Schema


class DutyOut(Schema):
    window: int
    number: int
    user: str
    started_at: datetime
    ended_at: datetime | None


class SignOutIn(Schema):
    successor: str | None = None


class HandoverItemOut(Schema):
    kind: str
    id: int
    label: str


class HandoverOut(Schema):
    id: int
    window: int
    from_user: str
    successor: str | None
    reason: str
    created_at: datetime
    acknowledged: bool
    items: list[HandoverItemOut]
