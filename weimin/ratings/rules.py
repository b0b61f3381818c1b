"""Rating rules (no Django): what the 好差评 pad (rating pad) beside a window shows."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta


class PadScreen(enum.StrEnum):
    IDLE = "idle"  # nobody to ask: no visit at the counter, or the last one left, was rated or timed out
    SERVING = "serving"  # a visit is at the counter: the pad shows it and waits for it to finish
    ASK = "ask"  # the visit at the counter just finished: ask about exactly that one


def pad_screen(
    *, at_counter: bool, last_event: str | None, last_at: datetime | None, rated: bool, now: datetime,
    ask_minutes: float,
) -> PadScreen:  # fmt: skip
    """The pad follows its window's latest event: a visit called there is shown while it lasts; once
    completed it is asked about until rated or ``ask_minutes`` have passed. A visit that was followed by
    another call, a no-show or a transfer is never asked about (the next person is at the counter)."""
    if at_counter:
        return PadScreen.SERVING
    finished_here = last_event == "completed" and last_at is not None
    if finished_here and not rated and now - last_at <= timedelta(minutes=ask_minutes):
        return PadScreen.ASK
    return PadScreen.IDLE
