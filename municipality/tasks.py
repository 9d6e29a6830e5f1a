"""The invitation e-mails: through consultation's hand-off protocol (consultation/delivery.py),
as meetings' session mail: at most one e-mail per row, the same Message-ID on every hand-off,
resent at most once after a crash. Tasks take ids, reload, and start with guard clauses."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from consultation import delivery
from consultation.tasks import BUSY_RETRIES, BUSY_RETRY_SECONDS, hand_off, publish
from municipality import mail
from municipality.models import TeamInvitation

logger = logging.getLogger(__name__)

State = TeamInvitation.State
LOCKS = 0x5749 << 40  # "WI": invitation rows' own advisory-lock namespace
SWEEP_AFTER = timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)


def claim(invitation_id: int) -> TeamInvitation | None:
    """Step 2 of the protocol for one row (with its advisory lock held): the row, now `sending`
    and committed, or None when there is nothing to send. Unlike a notification, the recipient
    of a new account is inactive until they accept: that is the point of the mail."""
    with transaction.atomic():
        row = (
            TeamInvitation.objects.select_for_update(of=("self",))
            .select_related("user", "team__municipality", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if row is None or row.state not in (State.PENDING, State.SENDING):
            return None  # gone, sent, failed or superseded
        if row.withdrawn_at is not None:
            TeamInvitation.objects.filter(pk=row.pk).update(state=State.SUPERSEDED)
            return None
        if row.state == State.SENDING and not delivery.resume(row):
            return None
        if row.attempts >= delivery.MAX_ATTEMPTS:
            delivery.fail([row], f"refused {row.attempts} times")
            return None
        delivery.start([row])
    return row


@shared_task(
    name="municipality.tasks.send_invitation_mail", bind=True, soft_time_limit=30, time_limit=60
)
def send_invitation_mail(self, invitation_id: int) -> str:
    """Send one invitation e-mail, at most once per row (safe to run twice, or on two workers)."""
    with delivery.outbox_lock(LOCKS, invitation_id) as locked:
        if not locked:
            if self.request.called_directly:
                return "busy"
            raise self.retry(countdown=BUSY_RETRY_SECONDS, max_retries=BUSY_RETRIES)
        row = claim(invitation_id)
        if row is None:
            return "skipped"
        return hand_off(mail.message(row), [row])


def queue_invitation_mail(invitation_ids: list[int]) -> None:
    """Hand the rows still to send to Celery (bounded: with the broker down they stay pending,
    and the sweep queues them later)."""
    to_send = TeamInvitation.objects.filter(
        pk__in=invitation_ids, state__in=[State.PENDING, State.SENDING]
    ).values_list("pk", flat=True)
    publish(send_invitation_mail, [(pk,) for pk in to_send.order_by("pk")], "team invitation")


@shared_task(name="municipality.tasks.sweep_invitation_mail", soft_time_limit=120, time_limit=180)
def sweep_invitation_mail() -> int:
    """Queue again the rows left pending (the broker was down at commit) or in an unconfirmed
    hand-off (resent once, same Message-ID)."""
    before = timezone.now() - SWEEP_AFTER
    due = Q(state=State.PENDING, created_at__lte=before) & (
        Q(handed_off_at__isnull=True) | Q(handed_off_at__lte=before)
    ) | Q(state=State.SENDING, handed_off_at__lte=before)
    ids = list(TeamInvitation.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:500])
    queue_invitation_mail(ids)
    return len(ids)
