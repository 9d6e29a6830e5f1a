"""Handing outbox e-mails to the mail server: at most one e-mail per row, by design.

The protocol, for one row (or one user's digest rows):

1. Take a PostgreSQL advisory lock for the row, on the worker's own database session. Only one
   sender holds it; when the sender's process dies, PostgreSQL drops its session and with it the
   lock. A row in `sending` whose lock is free therefore had a hand-off that was not confirmed.
   (This needs a session of its own per worker: a direct connection or PgBouncer in session
   mode, never transaction pooling.)
2. Claim the row and commit: pending → sending (handed_off_at) — before a byte goes to the mail
   server. A row found in `sending` is resent once, with the same Message-ID, and logged; found
   there a second time it is marked failed and logged.
3. Hand the message to the mail server, with a Message-ID derived from the row, so that every
   hand-off of the row carries the same one and a receiving client can drop a repeat.
4. Mark the row sent and commit. What a failure means depends on how far it got (tasks._hand_off):
   - the server could not be reached (connect, TLS, login): nothing was handed over; the row is
     pending again and not counted, so a mail outage of any length fails no e-mail;
   - the server refused it (an SMTP error reply): pending again, counted; after MAX_ATTEMPTS
     refusals it is failed;
   - anything after the data went out (a timeout, a dropped connection, the soft time limit):
     the server may have it. The row stays `sending`, exactly as after a crash, and the sweep
     resends it once.

The window that remains: the server took the message but the sender never learnt it (died, or
lost the connection before "250 OK" arrived). The row is then resent once, with the same
Message-ID. No mail system closes that window (SMTP has no two-phase commit); the README says so.

The steps are shared by every outbox (meetings.SessionMail too): `resume`, `start`, `fail`,
`finish` and `give_back` work on rows of any model with the fields state, attempts,
resent_once, handed_off_at and sent_at (states as Notification.State), and `outbox_lock` takes
an advisory lock in an outbox's own key namespace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from consultation.models import Notification

logger = logging.getLogger(__name__)

EMAIL = Notification.Channel.EMAIL
State = Notification.State

# Advisory lock keys: a namespace in the high bits, the id below (ids stay far below 2**40).
_ROW_LOCKS = 0x5745 << 40  # "WE"
_DIGEST_LOCKS = 0x5744 << 40  # "WD"

# A row the mail server refused this many times is given up (and logged as an error).
MAX_ATTEMPTS = 10
# A daily digest older than this was missed (Redis down at 07:00, a run cut short): the sweep
# sends it.
DIGEST_MISSED_AFTER = timedelta(hours=25)


@contextmanager
def _advisory_lock(key: int) -> Iterator[bool]:
    """Yield whether this session got the (session-level, non-blocking) lock; release it after.
    If the release itself fails (say, the soft time limit strikes inside it) the connection is
    closed: that releases the lock too, instead of leaving it on a kept-alive connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except BaseException:
                connection.close()
                raise


def outbox_lock(namespace: int, row_id: int):
    """Step 1 for a row of another outbox: `namespace` is that outbox's own high bits (e.g.
    0x574D << 40), so its ids never meet a notification's."""
    return _advisory_lock(namespace + row_id)


def row_lock(notification_id: int):
    return _advisory_lock(_ROW_LOCKS + notification_id)


def digest_lock(user_id: int):
    return _advisory_lock(_DIGEST_LOCKS + user_id)


def message_id(kind: str, row_id: int) -> str:
    """The Message-ID of every hand-off of one row (or one digest, by its first row): derived
    from the row, not random, and opaque (no ids to count from outside). It changes only if
    SECRET_KEY or DEFAULT_FROM_EMAIL change between a hand-off and its resend."""
    digest = salted_hmac(
        "wijkexpert.outbox.message-id", f"{kind}:{row_id}", algorithm="sha256"
    ).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "wijkexpert.nl"
    return f"<{kind}.{digest}@{domain}>"


def _manager(row):
    return type(row)._default_manager


def _name(row) -> str:
    return row._meta.model_name


def resume(row) -> bool:
    """Called with the row's advisory lock held, for a row in `sending`: its last hand-off was
    not confirmed. Resend it once; the second time it is given up (it may well have arrived)."""
    if row.resent_once:
        logger.error(
            "%s %s: a second hand-off was not confirmed either; marked failed", _name(row), row.pk
        )
        row.state = State.FAILED
        row.save(update_fields=["state"])
        return False
    logger.warning(
        "%s %s: its last hand-off was not confirmed (the sender died or lost the "
        "mail server); resending it once with the same Message-ID",
        _name(row),
        row.pk,
    )
    row.resent_once = True
    return True


def start(rows: Sequence) -> None:
    now = timezone.now()
    for row in rows:
        row.state = State.SENDING
        row.attempts += 1
        row.handed_off_at = now
        row.save(update_fields=["state", "attempts", "handed_off_at", "resent_once"])


def fail(rows: Sequence, why: str) -> None:
    if not rows:
        return
    logger.error("%ss %s: %s; marked failed", _name(rows[0]), [row.pk for row in rows], why)
    _manager(rows[0]).filter(pk__in=[row.pk for row in rows]).update(state=State.FAILED)


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
        if row.state == State.SENDING and not resume(row):
            return None
        if not row.recipient.is_active:
            fail([row], "the recipient's account was deactivated")
            return None
        if row.attempts >= MAX_ATTEMPTS:
            fail([row], f"refused {row.attempts} times")
            return None
        start([row])
    return row


def claim_digest(user_id: int, *, include_waiting: bool) -> tuple[list[Notification], bool]:
    """Step 2 for a user's digest (call with digest_lock held): the rows of a digest whose
    hand-off was not confirmed, resent once as they were (and True); else, with include_waiting,
    the rows waiting for the digest (and False). One digest is in hand-off per user at a time
    (the lock), so the rows in `sending` are one digest."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("question__case", "recipient")
            .filter(recipient_id=user_id, channel=EMAIL, digest=True, state=State.SENDING)
            .order_by("created_at", "pk")
        )
        if rows:
            if not all([resume(row) for row in rows]):
                # Resent whole or not at all, so that it keeps its Message-ID.
                fail(rows, "a digest whose second hand-off was not confirmed either")
                return [], True
            start(rows)
            return rows, True
        if include_waiting:
            rows = list(
                Notification.objects.select_for_update(of=("self",))
                .select_related("question__case", "recipient")
                .filter(recipient_id=user_id, channel=EMAIL, state=State.IN_DIGEST)
                .order_by("created_at", "pk")
            )
            if rows and not rows[0].recipient.is_active:
                fail(rows, "the recipient's account was deactivated")
                return [], False
            start(rows)
    return rows, False


def finish(rows: Sequence) -> None:
    """Step 4: the mail server has the message."""
    if rows:
        _manager(rows[0]).filter(pk__in=[row.pk for row in rows]).update(
            state=State.SENT, sent_at=timezone.now()
        )


def give_back(rows: Sequence, *, reached_server: bool) -> None:
    """The server did not take the message: pending again (digest rows: back in the digest), for
    the sweep. A server that could not be reached does not count as an attempt."""
    for row in rows:
        back = State.IN_DIGEST if getattr(row, "digest", False) else State.PENDING
        # resent_once stays: a resend was made; one more unconfirmed hand-off fails it.
        update: dict = {"state": back}
        if not reached_server:
            update["attempts"] = F("attempts") - 1
        _manager(row).filter(pk=row.pk, state=State.SENDING).update(**update)


def due_for_sweep(cutoff: datetime) -> Q:
    """E-mail rows the sweep re-queues: pending since before `cutoff` and not tried since (their
    task was never queued, got lost with the broker, or the server refused it); in hand-off
    since before it (not confirmed: the task checks the advisory lock, so a live sender is never
    disturbed); and digests that missed their morning."""
    return Q(channel=EMAIL) & (
        Q(state=State.PENDING, digest=False, created_at__lte=cutoff)
        & (Q(handed_off_at__isnull=True) | Q(handed_off_at__lte=cutoff))
        | Q(state=State.SENDING, handed_off_at__lte=cutoff)
        | Q(state=State.IN_DIGEST, created_at__lte=timezone.now() - DIGEST_MISSED_AFTER)
    )
