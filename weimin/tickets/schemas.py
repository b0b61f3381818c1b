from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class TicketIn(Schema):
    item: str = Field(..., description="service item code")
    id_number: str | None = Field(None, description="resident ID number (GB 11643), optional")
    phone: str | None = None
    priority: Literal["elderly", "disabled", "pregnant", ""] | None = None


class TicketOut(Schema):
    id: int
    number: str
    hall: str
    item: str
    status: str
    priority: str
    ahead: int
    estimated_wait_minutes: int
    window: int | None = Field(None, description="number of the window calling or serving it")
    issued_at: datetime
    called_at: datetime | None


class TicketIssuedOut(TicketOut):
    token: str = Field(..., description="the visitor's key to this ticket; shown once")
    url: str


class TransferIn(Schema):
    item: str | None = Field(None, description="item code to transfer to")
    window: int | None = Field(None, description="window id to transfer to")


class QueueItemOut(Schema):
    item: str
    name: str
    prefix: str
    waiting: int


class QueueOut(Schema):
    date: date
    waiting: int
    items: list[QueueItemOut]


class WindowOut(Schema):
    id: int
    number: int
    label: str
    active: bool
    items: list[str]
    on_duty: str | None


class SlotOut(Schema):
    start: datetime
    end: datetime
    capacity: int
    free: int


class AppointmentIn(Schema):
    item: str
    slot_start: datetime
    name: str
    id_number: str
    phone: str


class AppointmentOut(Schema):
    reference: str
    hall: str
    item: str
    slot_start: datetime
    slot_end: datetime
    status: str
    ticket: int | None


class AppointmentBookedOut(AppointmentOut):
    token: str
