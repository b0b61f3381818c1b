from datetime import datetime

from ninja import Schema


class DutyOut(Schema):
    window: int
    number: int
    user: str
    started_at: datetime
    ended_at: datetime | None
