from datetime import date

from ninja import Field, Schema

from weimin.core.schemas import DictOut


class HallOut(Schema):
    code: str
    name: str
    kind: str
    address: str
    phone: str


class HallDetailOut(HallOut):
    windows: int
    ticket_cutoff_minutes: int


class MaterialOut(Schema):
    name: str
    description: str
    required: bool
    tolerance_eligible: bool
    copies: int


class ItemOut(Schema):
    code: str
    name: str
    department: str
    category: str
    ticket_prefix: str
    handling_minutes: int
    promised_days: int
    statutory_days: int
    appointment_allowed: bool


class ItemDetailOut(ItemOut):
    description: str
    materials: list[MaterialOut]


class SessionOut(DictOut):
    start: str
    end: str
    last_ticket: str


class HoursOut(DictOut):
    date: date
    open: bool
    sessions: list[SessionOut]
    reason: str
    note: str
    provisional: bool = Field(False, description="临时安排: the year's national holidays are not entered yet")


class WorkingDaysOut(Schema):
    date: date
    from_date: date
    days: int
