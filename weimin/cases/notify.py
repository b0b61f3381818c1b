"""Sending the outbox. The default sender writes to the log; a deployment plugs in its SMS gateway."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from weimin.cases.models import Notification
from weimin.core.inputs import mask_phone

log = logging.getLogger("weimin.notifications")


def log_sender(notification: Notification) -> None:
    # The log keeps who (masked phone) and which notification, never a whole phone number beside a
    # case number; the message itself names the case and never the ID number.
    log.info("notification %s to %s: %s", notification.pk, mask_phone(notification.recipient), notification.message)


def send_pending(now) -> int:
    sender = import_string(settings.WEIMIN_NOTIFICATION_SENDER)
    sent = 0
    for notification in Notification.objects.filter(sent_at__isnull=True).order_by("id"):
        sender(notification)
        Notification.objects.filter(pk=notification.pk).update(sent_at=now)
        sent += 1
    return sent
