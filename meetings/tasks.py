"""Periodic work of the sessions (Celery beat, config/settings/base.py) and their e-mails.

The e-mails go through an outbox of their own (meetings.SessionMail, meetings.invitations)
and consultation's hand-off protocol (consultation/delivery.py): at most one e-mail per row,
the same Message-ID on every hand-off, resent at most once after a crash."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consultation.tasks import BUSY_RETRIES, BUSY_RETRY_SECONDS, hand_off, publish
from meetings import invitations, mail
from meetings.models import SessionMail
from meetings.services.recurring import create_recurring_sessions as _create

logger = logging.getLogger(__name__)

# Rows the on-commit publish should have handed to a worker by now (as consultation's sweep).
SWEEP_AFTER = timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)


@shared_task(
    name="meetings.tasks.create_recurring_sessions",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=360,
)
def create_recurring_sessions() -> int:
    """Idempotent: each occurrence of a series is created once, however often this runs."""
    return len(_create())


# One e-mail: as consultation.tasks.send_notification_email (same limits, same reasons).
@shared_task(name="meetings.tasks.send_session_mail", bind=True, soft_time_limit=30, time_limit=60)
def send_session_mail(self, mail_id: int) -> str:
    """Send one session e-mail, at most once per row."""
    with invitations.row_lock(mail_id) as locked:
        if not locked:
            # Another worker is handing it over, or one that just died: look again shortly.
            if self.request.called_directly:
                return "busy"
            raise self.retry(countdown=BUSY_RETRY_SECONDS, max_retries=BUSY_RETRIES)
        row = invitations.claim(mail_id)
        if row is None:
            return "skipped"  # sent, failed, superseded by a later change, or gone
        return hand_off(mail.message(row), [row])


def queue_session_mail(mail_ids: list[int]) -> None:
    """Hand the rows still to send to Celery, with the bounded publish of the notifications:
    with the broker down they stay pending, and the sweep queues them later."""
    to_send = SessionMail.objects.filter(
        pk__in=mail_ids, state__in=[SessionMail.State.PENDING, SessionMail.State.SENDING]
    ).values_list("pk", flat=True)
    publish(send_session_mail, [(pk,) for pk in to_send.order_by("pk")], "session mail")


def on_announce(session_id: int) -> None:
    """The announce hook (meetings.services.common.ANNOUNCE_HOOKS), after a session's change
    has committed: its invitees' rows for the new SEQUENCE, then their e-mails queued. A
    failure here must not fail the request that changed the session (it has committed): the
    sweep writes and queues what is missing."""
    try:
        ids = invitations.write_rows(session_id)
    except Exception:  # noqa: BLE001 - logged; the sweep makes up for it
        logger.exception("session %s: its e-mails were not written; the sweep will", session_id)
        return
    queue_session_mail(ids)


# At most 200 claims and their publishes, each publish bounded.
@shared_task(name="meetings.tasks.send_due_reminders", soft_time_limit=120, time_limit=180)
def send_due_reminders() -> int:
    """The reminders the day before: stored as due on each invitation, claimed here once
    (meetings.invitations.claim_due_reminders) and sent through the outbox. Safe to run twice
    and on two workers at once."""
    with transaction.atomic():
        ids = invitations.claim_due_reminders()
        transaction.on_commit(lambda: queue_session_mail(ids))
    return len(ids)


@shared_task(name="meetings.tasks.sweep_session_mail", soft_time_limit=120, time_limit=180)
def sweep_session_mail() -> int:
    """Write the rows an announce hook never wrote (its process died right after the commit),
    and queue again the rows left pending (the broker was down) or in an unconfirmed hand-off
    (resent once, same Message-ID)."""
    before = timezone.now() - SWEEP_AFTER
    ids: list[int] = []
    for session_id in invitations.sessions_missing_mail(before=before):
        logger.warning(
            "session %s: e-mails missing after its last change; writing them", session_id
        )
        ids += invitations.write_rows(session_id)
    ids = sorted(set(ids) | set(invitations.unsent(before=before)))
    queue_session_mail(ids)
    return len(ids)
