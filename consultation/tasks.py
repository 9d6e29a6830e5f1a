"""Celery tasks: take ids, reload, start with guard clauses, safe to run twice.

Each task is named by its import path and has a soft time limit (the task can still roll back
and leave its rows pending) below a hard one (the worker process is killed). queue_emails, the
outbox's hand-over to Celery, lives here too: consultation.notifications imports this module,
never the other way round.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from consultation.models import Notification

logger = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(minutes=2)


def _question_url(question_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("consultation:question", args=[question_id])


# One e-mail: a render and an SMTP exchange whose socket timeout is 10 s. Past the soft limit
# send_mail raises, the transaction rolls back and the task retries (or the sweep re-queues it).
@shared_task(
    name="consultation.tasks.send_notification_email",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
    soft_time_limit=30,
    time_limit=60,
)
def send_notification_email(self, notification_id: int) -> str:
    """Send one notification e-mail exactly once: the row is locked (skip_locked, so a second
    delivery of the same message does not wait) and marked sent in the same transaction."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "question__case")
            .filter(
                pk=notification_id,
                channel=Notification.Channel.EMAIL,
                state=Notification.State.PENDING,
            )
            .first()
        )
        if notification is None:
            return "skipped"  # already sent, being sent, digest, or gone
        recipient = notification.recipient
        context = {
            "pseudonym": notification.question.case.pseudonym,
            "kind": notification.get_kind_display(),
            "url": _question_url(notification.question_id),
            "recipient": recipient,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(
                "consultation/email/notification_subject.txt", context
            ).strip()
            body = render_to_string("consultation/email/notification.txt", context)
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception as exc:
            # The row stays pending (the transaction rolls back): retried here, or by the sweep.
            logger.warning(
                "sending notification %s failed: %s", notification_id, type(exc).__name__
            )
            raise self.retry(exc=exc) from exc
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["state", "sent_at", "attempts"])
    return "sent"


def queue_emails(notification_ids: list[int]) -> None:
    """Hand the e-mails to Celery. If the broker is down the rows stay pending and the periodic
    sweep queues them later: the request that caused them still succeeds.

    Only rows still pending are queued: whoever wrote them may have settled them before commit
    (the demo loader marks its history as sent), and a task per settled row is only noise."""
    still_pending = Notification.objects.filter(
        pk__in=notification_ids, state=Notification.State.PENDING
    ).values_list("pk", flat=True)
    for notification_id in list(still_pending):
        try:
            send_notification_email.apply_async(args=(notification_id,))
        except SoftTimeLimitExceeded:
            raise  # the sweep ran out of time: stop, the rest stays pending for the next sweep
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep retries
            logger.warning(
                "could not queue notification %s (%s); the sweep will retry",
                notification_id,
                type(exc).__name__,
            )


# At most 500 publishes, each bounded by the broker's connect timeout and retry policy.
@shared_task(
    name="consultation.tasks.sweep_pending_notifications", soft_time_limit=120, time_limit=180
)
def sweep_pending_notifications() -> int:
    """Re-queue e-mails still pending after a few minutes (e.g. Redis was down at commit)."""
    cutoff = timezone.now() - SWEEP_AFTER
    ids = list(
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL,
            state=Notification.State.PENDING,
            created_at__lte=cutoff,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    queue_emails(ids)
    return len(ids)


# One e-mail per user with news, each in its own transaction: a run stopped at the soft limit
# keeps what it sent and leaves the rest in the digest for the next run.
@shared_task(name="consultation.tasks.send_daily_digests", soft_time_limit=300, time_limit=360)
def send_daily_digests() -> int:
    """One e-mail per user listing the pseudonyms with news; each row is sent once."""
    from accounts.models import User

    sent = 0
    user_ids = (
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL, state=Notification.State.IN_DIGEST
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(user_ids):
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("question__case")
                .filter(
                    recipient_id=user_id,
                    channel=Notification.Channel.EMAIL,
                    state=Notification.State.IN_DIGEST,
                )
                .order_by("created_at")
            )
            if not rows:
                continue
            user = User.objects.get(pk=user_id)
            items: dict[int, dict] = {}
            for row in rows:
                items.setdefault(
                    row.question_id,
                    {
                        "pseudonym": row.question.case.pseudonym,
                        "url": _question_url(row.question_id),
                        "kinds": [],
                    },
                )["kinds"].append(row.get_kind_display())
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    "consultation/email/digest.txt",
                    {"items": list(items.values()), "recipient": user},
                )
                subject = render_to_string("consultation/email/digest_subject.txt", {}).strip()
            send_mail(subject, body, None, [user.email])
            now = timezone.now()
            Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
                state=Notification.State.SENT, sent_at=now
            )
            sent += 1
    return sent
