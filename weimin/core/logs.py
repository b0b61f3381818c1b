"""Keeping visitors' secrets and ID numbers out of the logs.

Paths under ``/t/`` (a ticket), ``/a/`` (a booking) and ``/cases/s/`` (a case) carry the secret that
opens the record, and a query string may still carry a ``token`` from an old link. ``install()`` (run
when the project starts, before any request) redacts every log record when it is made, whichever
logger makes it: Django's development server, ``django.request``'s "Not Found: <path>", granian's
access log (``weimin serve -v 2``) and weimin's own. An ID number that slips into a message is masked.

A proxy in front of weimin keeps its own access log: it must not keep these paths either
(docs/security.md).
"""

from __future__ import annotations

import logging
import re

from weimin.core.identity import mask_id_number

SECRET_PATH = re.compile(r"(/(?:t|a|cases/s)/)[^/\s?#\"']+")
SECRET_QUERY = re.compile(r"([?&](?:token|id_number|id_last4)=)[^&\s#\"']*", re.IGNORECASE)
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
REDACTED = "…"


def redact(text: str) -> str:
    text = SECRET_PATH.sub(rf"\1{REDACTED}", text)
    text = SECRET_QUERY.sub(rf"\1{REDACTED}", text)
    return ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)


def redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format is the logging module's to report, not ours
        return
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, ()


def install() -> None:
    """Redact every record from now on, in this process and the processes it forks."""
    make = logging.getLogRecordFactory()
    if getattr(make, "redacts_secrets", False):
        return

    def redacting_factory(*args, **kwargs):
        record = make(*args, **kwargs)
        redact_record(record)
        return record

    redacting_factory.redacts_secrets = True
    logging.setLogRecordFactory(redacting_factory)
