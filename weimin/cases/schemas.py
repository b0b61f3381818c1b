from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from weimin.core.text import Text

# A checklist is a few dozen materials at most.
MAX_MATERIALS = 100


class MaterialCheckIn(Schema):
    material: Text(120) = Field(..., description="the material's id or name on the item's checklist")
    state: Literal["present", "missing", "non_compliant"]
    note: Text(200) = ""


class CaseIn(Schema):
    kind: Literal["person", "company"] = "person"
    name: Text(80, min_length=1)
    id_number: Text(40) = Field(..., description="the applicant's (or, for a company, the agent's) ID number")
    credit_code: Text(18) = ""
    credit_code_override: Text(200) = Field("", description="reason to accept a legacy code that fails the check")
    agent_name: Text(40) = ""
    phone: Text(20) = ""
    materials: list[MaterialCheckIn] = Field([], max_length=MAX_MATERIALS)


class DecisionIn(Schema):
    decision: Literal["accept", "accept_on_promise", "correction", "refuse"]
    materials: list[MaterialCheckIn] = Field([], max_length=MAX_MATERIALS)
    promise_signed: bool = False
    reason: Text(300) = ""
    competent_agency: Text(120) = ""


class StatusIn(Schema):
    status: Literal["concluded", "ready"]
    result: Literal["approved", "refused", ""] = ""


class PickupIn(Schema):
    method: Literal["window", "post"] = "window"
    collector_id_number: Text(40) = ""
    tracking: Text(40) = ""


class CaseSecretIn(Schema):
    """A citizen's key to their case, in the body (or the token in the X-Visitor-Token header), never
    in the address."""

    token: Text(64) = Field("", description="the link token of the notice's QR code")
    id_number: Text(40) = Field("", description="the applicant's whole ID number (not its last 4)")


class CaseLookupIn(Schema):
    id_number: Text(40) = Field(..., description="the applicant's whole ID number (not its last 4)")


class ValidateIn(Schema):
    value: Text(64) = Field(...)


class MaterialOut(Schema):
    name: str
    state: str
    note: str
    in_notice: bool


class NoticeOut(Schema):
    number: str
    kind: str
    issued_at: datetime
    url: str | None = Field(None, description="the printable notice: for staff, or under the applicant's link")


class HistoryOut(Schema):
    at: datetime
    action: str


class CaseOut(Schema):
    number: str
    hall: str
    item: str
    status: str
    decision: str
    applicant: str
    id_number: str = Field(..., description="masked except for the clerk handling the case")
    accepted_on: date | None
    promised_due: date | None
    statutory_due: date | None
    due_pending_year: int | None = Field(
        None, description="a due date is null because this year's national holidays are not entered yet"
    )
    paused: bool
    promise_due: date | None = Field(None, description="容缺: the promised materials are due by this day")
    missing: list[MaterialOut]
    materials: list[MaterialOut]
    notices: list[NoticeOut]
    history: list[HistoryOut]
    access_token: str | None = Field(
        None, description="after a decision only: the applicant's new key (the notice's QR code), shown once"
    )
    access_url: str | None = Field(None, description="after a decision only: the applicant's page, /cases/s/<token>/")


class ValidationOut(Schema):
    valid: bool
    reason: str
    birth_date: date | None = None
    sex: str | None = None
