"""The transactional outbox (DESIGN §4.5, issue "Consultation"): notification rows are written in
the same transaction as the event; the e-mail task is queued on commit with the row ids."""

from __future__ import annotations

from django.db import transaction

from consultation.bell import forget_bells
from consultation.models import Notification, Question
from consultation.tasks import queue_emails


def notify(*, kind: str, question: Question, recipients, event_key: str) -> None:
    """One in-app and one e-mail row per recipient; unique per (event, recipient, channel), so
    calling this twice for the same event writes nothing new."""
    recipients = {user.pk: user for user in recipients if user.is_active}
    if not recipients:
        return
    rows = []
    for user in recipients.values():
        rows.append(
            Notification(
                recipient=user,
                question=question,
                kind=kind,
                channel=Notification.Channel.IN_APP,
                event_key=event_key,
                state=Notification.State.SENT,
            )
        )
        digest = user.notification_email_mode == user.EmailMode.DAILY
        rows.append(
            Notification(
                recipient=user,
                question=question,
                kind=kind,
                channel=Notification.Channel.EMAIL,
                event_key=event_key,
                digest=digest,
                state=Notification.State.IN_DIGEST if digest else Notification.State.PENDING,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    forget_bells(recipients)
    pending = list(
        Notification.objects.filter(
            event_key=event_key,
            channel=Notification.Channel.EMAIL,
            state=Notification.State.PENDING,
            recipient_id__in=list(recipients),
        ).values_list("pk", flat=True)
    )
    if pending:
        transaction.on_commit(lambda: queue_emails(pending))
