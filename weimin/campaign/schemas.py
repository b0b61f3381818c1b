from typing import Literal

from ninja import Field, Schema

from weimin.core.text import Text


class CallIn(Schema):
    """A call (or other contact) to log: against an owner (their opaque ``owner`` token) or a phone number."""

    project: Text(40, min_length=1)
    phone: Text(20) = Field("", description="the caller's or called number; matched against the owners' phones")
    owner: Text(24) = Field("", description="the owner's token (from /api/campaign/projects/{code}/owners)")
    direction: Literal["in", "out"]
    outcome: Literal["answered", "missed"]
    purpose: Literal["negotiation", "enquiry", "complaint", "other"]
    channel: Literal["phone", "visit", "wechat", "walk_in"] = "phone"
    note: Text(300) = ""
    key: Text(64) = Field("", description="idempotency key: the same key logs one call (or the Idempotency-Key header)")
