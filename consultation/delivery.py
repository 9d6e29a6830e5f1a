"""Handing outbox e-mails to the mail server: at most one e-mail per row, by design.

The protocol, for one row (or one user's digest rows):

1. Take a PostgreSQL advisory lock for the row, on the worker's own database session. Only one
   sender holds it; when the sender's process dies, PostgreSQL drops its session and with it the
   lock. A row in `sending` whose lock is free therefore had a sender that died mid hand-off.
2. Claim the row and commit: pending → sending (attempts + 1, handed_off_at) — before a byte
   goes to the mail server. A row found in `sending` (its sender died) is resent once, with the
   same Message-ID, and logged; found there a second time it is marked failed and logged.
3. Hand the message to the mail server, with a Message-ID derived from the row, so that every
   hand-off of the row carries the same one and a receiving client can drop a repeat.
4. Mark the row sent and commit. If the hand-off raised (the server refused, or could not be
   reached), the row goes back to pending: retried by the task, else by the sweep.

The window that remains: the mail server accepted the message and the worker died before step 4
committed. The row is then resent once, with the same Message-ID. No mail system closes that
window (SMTP has no two-phase commit); the README says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from email.utils import parseaddr

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from consultation.models import Notification

logger = logging.getLogger(__name__)

EMAIL = Notification.Channel.EMAIL
State = Notification.State

# Advisory lock keys: a namespace in the high bits, the id below (ids stay far below 2**40).
_ROW_LOCKS = 0x5745 << 40  # "WE"
_DIGEST_LOCKS = 0x5744 << 40  # "WD"

# A row that cannot be handed over after this many tries (server refusing it) is given up.
MAX_ATTEMPTS = 10


@contextmanager
def _advisory_lock(key: int) -> Iterator[bool]:
    """Yield whether this session got the (session-level, non-blocking) lock; release it after."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def row_lock(notification_id: int):
    return _advisory_lock(_ROW_LOCKS + notification_id)


def digest_lock(user_id: int):
    return _advisory_lock(_DIGEST_LOCKS + user_id)


def message_id(kind: str, row_id: int) -> str:
    """The Message-ID of every hand-off of one row (or one digest, by its first row): derived
    from the row, not random; the HMAC keeps it from counting our rows to the world."""
    digest = salted_hmac(
        "wijkexpert.outbox.message-id", f"{kind}:{row_id}", algorithm="sha256"
    ).hexdigest()[:20]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "wijkexpert.nl"
    return f"<{kind}.{row_id}.{digest}@{domain}>"


def _stuck(row: Notification) -> bool:
    """Called with the row's advisory lock held: a row in `sending` has a dead sender. Resend it
    once; the second time it is given up (it may well have arrived: both hand-offs got far)."""
    if row.resent_after_crash:
        logger.error(
            "notification %s: its sender died twice during the hand-off; marked failed", row.pk
        )
        row.state = State.FAILED
        row.save(update_fields=["state"])
        return False
    logger.warning(
        "notification %s: its sender died during the hand-off; resending it once with the "
        "same Message-ID",
        row.pk,
    )
    row.resent_after_crash = True
    return True


def _start(rows: Sequence[Notification]) -> None:
    now = timezone.now()
    for row in rows:
        row.state = State.SENDING
        row.attempts += 1
        row.handed_off_at = now
        row.save(update_fields=["state", "attempts", "handed_off_at", "resent_after_crash"])


def claim_row(notification_id: int) -> Notification | None:
    """Step 2 for one row (call with its row_lock held): the row, now `sending` and committed,
    or None when there is nothing to send."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "question__case")
            .filter(pk=notification_id, channel=EMAIL, digest=False)
            .first()
        )
        if row is None or row.state not in (State.PENDING, State.SENDING):
            return None  # gone, sent, failed, in-app or a digest row
        if row.state == State.SENDING and not _stuck(row):
            return None
        if row.attempts >= MAX_ATTEMPTS:
            logger.error("notification %s: refused %s times; marked failed", row.pk, row.attempts)
            row.state = State.FAILED
            row.save(update_fields=["state"])
            return None
        _start([row])
    return row


def claim_digest(user_id: int, *, include_waiting: bool) -> tuple[list[Notification], bool]:
    """Step 2 for a user's digest (call with digest_lock held): the rows of a digest whose sender
    died, resent once as they were (and True); else, with include_waiting, the rows waiting for
    the digest (and False)."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("question__case")
            .filter(recipient_id=user_id, channel=EMAIL, digest=True, state=State.SENDING)
            .order_by("created_at", "pk")
        )
        if rows:
            resend = [row for row in rows if _stuck(row)]
            # A digest is resent whole or not at all, so that it keeps its Message-ID.
            if len(resend) != len(rows):
                for row in resend:
                    row.state = State.FAILED
                    row.save(update_fields=["state"])
                return [], True
            _start(rows)
            return rows, True
        if include_waiting:
            rows = list(
                Notification.objects.select_for_update(of=("self",))
                .select_related("question__case")
                .filter(recipient_id=user_id, channel=EMAIL, state=State.IN_DIGEST)
                .order_by("created_at", "pk")
            )
            _start(rows)
    return rows, False


def finish(rows: Sequence[Notification]) -> None:
    """Step 4: the mail server has the message."""
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        state=State.SENT, sent_at=timezone.now()
    )


def give_back(rows: Sequence[Notification]) -> None:
    """The hand-off failed before the server took the message: pending again, for a retry.
    (Digest rows go back to the digest.)"""
    for row in rows:
        back = State.IN_DIGEST if row.digest else State.PENDING
        # resent_after_crash stays: a hand-off after a crash was made, one more crash fails it.
        Notification.objects.filter(pk=row.pk, state=State.SENDING).update(state=back)


def due_for_sweep(cutoff) -> Q:
    """E-mail rows the sweep re-queues: pending since before `cutoff` (their task was never
    queued or got lost with the broker), or in hand-off since before it (a sender that died;
    the task checks the advisory lock, so a live sender is never disturbed)."""
    return Q(channel=EMAIL) & (
        Q(state=State.PENDING, digest=False, created_at__lte=cutoff)
        | Q(state=State.SENDING, handed_off_at__lte=cutoff)
    )
