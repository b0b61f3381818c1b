from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class MaterialCheckIn(Schema):
    material: str = Field(..., description="the material's id or name on the item's checklist")
    state: Literal["present", "missing", "non_compliant"]
    note: str = ""


class CaseIn(Schema):
    kind: Literal["person", "company"] = "person"
    name: str
    id_number: str = Field(..., description="the applicant's (or, for a company, the agent's) ID number")
    credit_code: str = ""
    credit_code_override: str = Field("", description="reason to accept a legacy code that fails the check")
    agent_name: str = ""
    phone: str = ""
    materials: list[MaterialCheckIn] = []


class DecisionIn(Schema):
    decision: Literal["accept", "accept_on_promise", "correction", "refuse"]
    materials: list[MaterialCheckIn] = []
    promise_signed: bool = False
    reason: str = ""
    competent_agency: str = ""


class StatusIn(Schema):
    status: Literal["concluded", "ready"]
    result: Literal["approved", "refused", ""] = ""


class PickupIn(Schema):
    method: Literal["window", "post"] = "window"
    collector_id_number: str = ""
    tracking: str = ""


class MaterialOut(Schema):
    name: str
    state: str
    note: str
    in_notice: bool


class NoticeOut(Schema):
    number: str
    kind: str
    issued_at: datetime
    url: str


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
    paused: bool
    promise_due: date | None = Field(None, description="容缺: the promised materials are due by this day")
    missing: list[MaterialOut]
    materials: list[MaterialOut]
    notices: list[NoticeOut]
    history: list[HistoryOut]


class ValidationOut(Schema):
    valid: bool
    reason: str
    birth_date: date | None = None
    sex: str | None = None
