"""Celery tasks: take ids, reload, start with guard clauses, safe to run twice.

Each task is named by its import path and has a soft time limit (the task can still roll back
and leave its rows pending) below a hard one (the worker process is killed). queue_emails, the
outbox's hand-over to Celery, lives here too: consultation.notifications imports this module,
never the other way round.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from datetime import timedelta

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from consultation import delivery
from consultation.models import Notification
from consultation.resident_rights import resident_anonymise_expired, residents_past_retention

logger = logging.getLogger(__name__)

# Rows the on-commit publish should have handed to a worker by now; a setting so that the fault
# tests (tests/faults) need not wait two minutes.
SWEEP_AFTER = timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)


# A live hand-off ends within the send task's hard time limit (60 s): look that long at most.
BUSY_RETRY_SECONDS = 3
BUSY_RETRIES = 25


def _question_url(question_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("consultation:question", args=[question_id])


# SMTP replies that say "no": the server did not take the message (smtplib raises these for an
# error reply to MAIL, RCPT or DATA, or to the end of the data).
REFUSED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


def hand_off(message: EmailMessage, rows) -> str:
    """Steps 3 and 4 of consultation/delivery.py, for rows of any outbox (meetings' too).
    Returns "sent", or how it failed: "unreachable" (nothing handed over), "refused" (the
    server said no) — the rows go back — or "unconfirmed" (the data went out but no "250 OK"
    came back): the rows stay `sending`, as after a crash, and the sweep resends them once.
    Only the exception's class is logged: an SMTP error can carry the recipient's address."""
    mailer = mailers.default
    try:
        mailer.open()
    except BaseException as exc:
        delivery.give_back(rows, reached_server=False)
        _log_failure(rows, "could not reach the mail server", exc)
        if isinstance(exc, SoftTimeLimitExceeded):
            raise
        return "unreachable"
    try:
        mailer.send_messages([message])
    except REFUSED as exc:
        delivery.give_back(rows, reached_server=True)
        _log_failure(rows, "the mail server refused it", exc)
        return "refused"
    except BaseException as exc:
        _log_failure(rows, "the hand-off was not confirmed; the sweep resends it once", exc)
        if isinstance(exc, SoftTimeLimitExceeded):
            raise
        return "unconfirmed"
    finally:
        with contextlib.suppress(Exception):
            mailer.close()
    delivery.finish(rows)
    return "sent"


def _log_failure(rows, what: str, exc: BaseException) -> None:
    logger.warning(
        "%s %s: %s (%s)",
        rows[0]._meta.model_name if rows else "notification",
        ", ".join(str(row.pk) for row in rows),
        what,
        type(exc).__name__,
    )


# One e-mail: a render and an SMTP exchange whose socket timeout is EMAIL_TIMEOUT (10 s). Past
# the soft limit or the hard one (the process is killed) the row's hand-off is unconfirmed and
# the sweep resends it once. A failed hand-off is not retried here: the sweep picks the row up
# again (one retry loop per row, never one per delivery of the task).
@shared_task(
    name="consultation.tasks.send_notification_email",
    bind=True,
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
        return hand_off(message, [row])


def queue_emails(notification_ids: list[int]) -> None:
    """Hand the e-mails to Celery. If the broker is down the rows stay pending and the periodic
    sweep queues them later: the request that caused them still succeeds, after at most one
    bounded publish attempt (CELERY_TASK_PUBLISH_RETRY_POLICY, the broker's connect timeout).

    Only rows still to send are queued: whoever wrote them may have settled them before commit
    (the demo loader marks its history as sent), and a task per settled row is only noise."""
    to_send = Notification.objects.filter(
        pk__in=notification_ids, state__in=[Notification.State.PENDING, Notification.State.SENDING]
    ).values_list("pk", flat=True)
    publish(send_notification_email, [(pk,) for pk in to_send.order_by("pk")], "notification")


# A publish from a request must not wait on a Redis that hangs (accepts the connection, never
# answers): the connection for it reads and writes with a short timeout too, unlike the
# workers' long-lived ones (whose BRPOP blocks for a second at a time).
# 0.8 s: a local Redis answers in well under a millisecond, but a busy machine can stall a
# process for a few hundred; one failed publish only means the sweep sends the e-mail later.
PUBLISH_TRANSPORT_OPTIONS = {"socket_timeout": 0.8, "socket_connect_timeout": 0.3}
# No retry from a request: the sweep is the retry.
PUBLISH_RETRY_POLICY = {"max_retries": 0}


def publish(task, calls: list[tuple], what: str) -> None:
    """Queue `task` once per argument tuple, bounded: at most one failed publish (the rest
    stays for the caller's sweep). For every outbox (meetings' session mail too)."""
    if not calls:
        return
    with current_app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as conn:
        _publish_on(conn, task, calls, what)


def _publish_on(conn, task, calls: list[tuple], what: str) -> None:
    for position, args in enumerate(calls):
        try:
            task.apply_async(args=args, connection=conn, retry_policy=PUBLISH_RETRY_POLICY)
        except SoftTimeLimitExceeded:
            raise  # the sweep ran out of time: stop, the rest stays for the next sweep
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep retries
            # The broker is down: one bounded failure is all a request waits for; the rest
            # stays pending too, for the sweep.
            logger.warning(
                "could not queue %s %s (%s: %s); it and %s more stay pending for the sweep",
                what,
                args[0],
                type(exc).__name__,
                str(exc)[:200],  # a broker error names a host and a reason, never a person
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
    # A digest cut off in hand-off is resent as it was; a missed morning's digest is sent whole.
    digests: dict[int, bool] = {}
    for user_id, state in (
        due.filter(digest=True).order_by("recipient_id").values_list("recipient_id", "state")
    ).distinct()[:200]:
        digests[user_id] = digests.get(user_id, False) or state == Notification.State.IN_DIGEST
    queue_emails(ids)
    publish(send_digest, list(digests.items())[:100], "digest of user")
    return len(ids) + min(len(digests), 100)


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
            if hand_off(message, rows) != "sent":
                break  # the rows are back in the digest, or await their one resend
            sent += 1
    return sent


# One e-mail per user with news, each handed off on its own: a run stopped at the soft limit
# keeps what it sent and leaves the rest in the digest for the next run.
@shared_task(name="consultation.tasks.send_daily_digests", soft_time_limit=300, time_limit=360)
def send_daily_digests() -> int:
    """One e-mail per user listing the pseudonyms with news; each row is sent once."""
    # Those who have waited longest first: a run cut short never starves the same readers.
    user_ids = (
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL, state=Notification.State.IN_DIGEST
        )
        .values("recipient_id")
        .annotate(oldest=Min("created_at"))
        .order_by("oldest", "recipient_id")
        .values_list("recipient_id", flat=True)
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


# Daily (beat, 03:30): the retention period of DESIGN §4.7. Each resident in a transaction of
# its own, locked and checked again (consultation.resident_rights): a run cut short keeps
# what it did, the next run does the rest, and a second run finds nothing.
@shared_task(
    name="consultation.tasks.anonymise_expired_residents", soft_time_limit=300, time_limit=360
)
def anonymise_expired_residents() -> int:
    """Anonymise every resident past the retention period; returns how many."""
    done = 0
    for resident_id in list(residents_past_retention().order_by("pk").values_list("pk", flat=True)):
        if resident_anonymise_expired(resident_id=resident_id) is not None:
            done += 1
    if done:
        logger.info("anonymised %s residents past the retention period", done)
    return done
