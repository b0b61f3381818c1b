from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from weimin.core.schemas import DictOut
from weimin.core.text import Id, Instant, Text


class TicketIn(Schema):
    item: Text(40) = Field(..., description="service item code")
    id_number: Text(40) | None = Field(None, description="resident ID number (GB 11643), optional")
    phone: Text(20) | None = None
    priority: Literal["elderly", "disabled", "pregnant", ""] | None = None


class TicketOut(DictOut):
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
    item: Text(40) | None = Field(None, description="item code to transfer to")
    window: Id() | None = Field(None, description="window id to transfer to")


class QueueItemOut(DictOut):
    item: str
    name: str
    prefix: str
    waiting: int


class QueueOut(DictOut):
    date: date
    waiting: int
    items: list[QueueItemOut]


class WindowOut(Schema):
    id: int
    number: int
    label: str
    active: bool
    items: list[str]
    staffed: bool
    on_duty: str | None = Field(None, description="who holds the window: only for the hall's staff")


class SlotOut(Schema):
    start: datetime
    end: datetime
    capacity: int
    free: int


class AppointmentIn(Schema):
    item: Text(40)
    slot_start: Instant()
    name: Text(40, min_length=1)
    id_number: Text(40)
    phone: Text(20)


class RemoteTicketIn(Schema):
    """远程取号: today's number for an item, taken on the phone where the hall allows it."""

    item: Text(40)
    id_number: Text(40)
    phone: Text(20) = ""


class AppointmentOut(Schema):
    reference: str
    kind: str = Field(description="slot: a booked slot; remote: today's number taken on the phone, queued on arrival")
    hall: str
    item: str
    slot_start: datetime
    slot_end: datetime
    status: str
    ticket: int | None


class AppointmentBookedOut(AppointmentOut):
    token: str


class VisitorSecretIn(Schema):
    """A visitor's key in the body (or the token in the X-Visitor-Token header), never in the address."""

    token: Text(64) = Field("", description="the visitor's token (the ticket's or booking's link)")
    id_number: Text(40) = Field("", description="to check in: the applicant's whole ID number instead")
