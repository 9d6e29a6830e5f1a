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
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from consultation import delivery
from consultation.models import Notification

logger = logging.getLogger(__name__)

# Rows the on-commit publish should have handed to a worker by now; a setting so that the fault
# tests (tests/faults) need not wait two minutes.
SWEEP_AFTER = timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)


# A live hand-off ends within the send task's hard time limit (60 s): look that long at most.
BUSY_RETRY_SECONDS = 3
BUSY_RETRIES = 25


def _question_url(question_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("consultation:question", args=[question_id])


def _hand_off(message: EmailMessage, rows) -> None:
    """Steps 3 and 4 of consultation/delivery.py: send, then mark sent; if the server did not
    take it, the rows go back (pending / in the digest) and the exception propagates."""
    try:
        message.send()
    except Exception as exc:
        logger.warning(
            "handing notification %s to the mail server failed: %s",
            rows[0].pk,
            type(exc).__name__,
        )
        delivery.give_back(rows)
        raise
    delivery.finish(rows)


# One e-mail: a render and an SMTP exchange whose socket timeout is 10 s. Past the soft limit the
# send raises and the row goes back to pending; past the hard limit the process is killed, the
# row stays `sending`, and it is resent once (delivery.py).
@shared_task(
    name="consultation.tasks.send_notification_email",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
    soft_time_limit=30,
    time_limit=60,
)
def send_notification_email(self, notification_id: int) -> str:
    """Send one notification e-mail, at most once per row (consultation/delivery.py)."""
    with delivery.row_lock(notification_id) as locked:
        if not locked:
            # Another worker is handing this row over; or one that just died, whose database
            # session PostgreSQL is still closing. Look again shortly: by then the row is sent
            # (skipped), or its lock is free and it is resumed (resent once).
            if self.request.called_directly:
                return "busy"
            raise self.retry(countdown=BUSY_RETRY_SECONDS, max_retries=BUSY_RETRIES)
        row = delivery.claim_row(notification_id)
        if row is None:
            return "skipped"  # already sent, failed, a digest row, in-app, or gone
        context = {
            "pseudonym": row.question.case.pseudonym,
            "kind": row.get_kind_display(),
            "url": _question_url(row.question_id),
            "recipient": row.recipient,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(
                "consultation/email/notification_subject.txt", context
            ).strip()
            body = render_to_string("consultation/email/notification.txt", context)
        message = EmailMessage(
            subject,
            body,
            to=[row.recipient.email],
            headers={"Message-ID": delivery.message_id("notification", row.pk)},
        )
        try:
            _hand_off(message, [row])
        except SoftTimeLimitExceeded:
            raise  # out of time: the row is pending again, the sweep picks it up
        except Exception as exc:
            raise self.retry(exc=exc) from exc
    return "sent"


def queue_emails(notification_ids: list[int]) -> None:
    """Hand the e-mails to Celery. If the broker is down the rows stay pending and the periodic
    sweep queues them later: the request that caused them still succeeds, after at most one
    bounded publish attempt (CELERY_TASK_PUBLISH_RETRY_POLICY, the broker's connect timeout).

    Only rows still to send are queued: whoever wrote them may have settled them before commit
    (the demo loader marks its history as sent), and a task per settled row is only noise."""
    to_send = Notification.objects.filter(
        pk__in=notification_ids, state__in=[Notification.State.PENDING, Notification.State.SENDING]
    ).values_list("pk", flat=True)
    _publish(send_notification_email, [(pk,) for pk in to_send.order_by("pk")], "notification")


def _publish(task, calls: list[tuple], what: str) -> None:
    for position, args in enumerate(calls):
        try:
            task.apply_async(args=args)
        except SoftTimeLimitExceeded:
            raise  # the sweep ran out of time: stop, the rest stays for the next sweep
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep retries
            # The broker is down: one bounded failure is all a request waits for; the rest
            # stays pending too, for the sweep.
            logger.warning(
                "could not queue %s %s (%s); it and %s more stay pending for the sweep",
                what,
                args[0],
                type(exc).__name__,
                len(calls) - position - 1,
            )
            return


# At most 500 + 100 publishes, each bounded by the broker's connect timeout and retry policy.
@shared_task(
    name="consultation.tasks.sweep_pending_notifications", soft_time_limit=120, time_limit=180
)
def sweep_pending_notifications() -> int:
    """Re-queue e-mails still pending after a while (e.g. Redis was down at commit), and those
    whose sender died during the hand-off (resent once, same Message-ID: delivery.py)."""
    due = Notification.objects.filter(delivery.due_for_sweep(timezone.now() - SWEEP_AFTER))
    ids = list(due.filter(digest=False).order_by("pk").values_list("pk", flat=True)[:500])
    digest_users = list(
        due.filter(digest=True).order_by("recipient_id").values_list("recipient_id", flat=True)
    )
    digest_users = sorted(set(digest_users))[:100]
    queue_emails(ids)
    _publish(send_digest, [(user_id, False) for user_id in digest_users], "digest of user")
    return len(ids) + len(digest_users)


@shared_task(name="consultation.tasks.send_digest", soft_time_limit=60, time_limit=90)
def send_digest(user_id: int, include_waiting: bool = True) -> int:
    """One digest e-mail for one user, at most once per row (delivery.py): first a digest whose
    sender died mid hand-off (resent once, as it was), then — with include_waiting, as the daily
    run does — the rows waiting for the digest. Returns the number of e-mails sent."""
    from accounts.models import User

    sent = 0
    with delivery.digest_lock(user_id) as locked:
        if not locked:
            return 0  # another worker is sending this user's digest right now
        resumed = True
        while resumed:  # a resumed digest first, then (include_waiting) the waiting rows
            rows, resumed = delivery.claim_digest(user_id, include_waiting=include_waiting)
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
            message = EmailMessage(
                subject,
                body,
                to=[user.email],
                headers={"Message-ID": delivery.message_id("digest", rows[0].pk)},
            )
            _hand_off(message, rows)
            sent += 1
    return sent


# One e-mail per user with news, each handed off on its own: a run stopped at the soft limit
# keeps what it sent and leaves the rest in the digest for the next run.
@shared_task(name="consultation.tasks.send_daily_digests", soft_time_limit=300, time_limit=360)
def send_daily_digests() -> int:
    """One e-mail per user listing the pseudonyms with news; each row is sent once."""
    user_ids = (
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL, state=Notification.State.IN_DIGEST
        )
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        try:
            sent += send_digest(user_id)
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - the rows are back in the digest; go on
            logger.warning("digest of user %s not sent: %s", user_id, type(exc).__name__)
    return sent
