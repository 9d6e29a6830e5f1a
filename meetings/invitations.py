"""Who is told what about a session, exactly once: the outbox rows (meetings.SessionMail) of
invitations, updates, cancellations and reminders, and claiming one for its hand-off.

- After every change of a session (meetings.services.common.announce) each invitee gets one
  row for the session's current SEQUENCE: a REQUEST while it is planned, a CANCEL once it is
  cancelled (for those who were sent a request). Unique per (invitation, sequence, kind): a
  second announce of the same sequence writes nothing and sends nothing.
- Reminders: a periodic task claims the invitations whose reminder is due
  (select_for_update(skip_locked=True), then a conditional update of reminded_at), so two
  workers, or the task run twice, write one reminder row; declined invitees get none.
- A row is sent by consultation's protocol (consultation/delivery.py); `claim` adds one rule
  of its own: a row the session has outgrown (a newer SEQUENCE, a cancellation, a reminder
  for a session no longer planned) is `superseded`, not sent.

The rows are written after the change's commit (the announce hook); if the process dies in
between, the sweep (meetings.tasks.sweep_session_mail) writes them: `sessions_missing_mail`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from consultation import delivery
from meetings.models import Invitation, Session, SessionMail

logger = logging.getLogger(__name__)

Kind = SessionMail.Kind
State = SessionMail.State

# Advisory lock keys of this outbox: its own namespace ("WM"), apart from consultation's.
LOCKS = 0x574D << 40
# A reminder still unsent this long after it was due is no longer a reminder "the day before".
REMINDER_STALE_AFTER = timedelta(hours=20)


def row_lock(mail_id: int):
    return delivery.outbox_lock(LOCKS, mail_id)


def _wanted(session: Session) -> tuple[str, Q] | None:
    """The kind of row this session's invitees are owed now, and which invitees."""
    if session.starts_at <= timezone.now():
        return None  # begun or over: no invitation, update or cancellation any more
    if session.status == Session.Status.PLANNED:
        return Kind.REQUEST, Q()
    if session.status == Session.Status.CANCELLED:
        told = SessionMail.objects.filter(invitation=OuterRef("pk"), kind=Kind.REQUEST)
        return Kind.CANCEL, Q(Exists(told))
    return None


@transaction.atomic
def write_rows(session_id: int) -> list[int]:
    """The rows for the session's current SEQUENCE, written once; returns the ids of those still
    to send (pending or in an unconfirmed hand-off)."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return []
    wanted = _wanted(session)
    if wanted is None:
        return []
    kind, who = wanted
    invitations = Invitation.objects.filter(who, session=session)
    SessionMail.objects.bulk_create(
        [
            SessionMail(invitation_id=pk, sequence=session.sequence, kind=kind)
            for pk in invitations.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,  # written before (a second announce, the sweep): once only
    )
    return list(
        SessionMail.objects.filter(
            invitation__session=session,
            sequence=session.sequence,
            kind=kind,
            state__in=(State.PENDING, State.SENDING),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def mark_told(*, session: Session) -> int:
    """Record every invitee as already told about the session as it is now (rows `sent`), in
    the caller's transaction: for data that is history, not news (the demo). Returns how many."""
    wanted = _wanted(session)
    if wanted is None:
        return 0
    kind, who = wanted
    now = timezone.now()
    made = SessionMail.objects.bulk_create(
        [
            SessionMail(
                invitation_id=pk,
                sequence=session.sequence,
                kind=kind,
                state=State.SENT,
                sent_at=now,
            )
            for pk in Invitation.objects.filter(who, session=session).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    return len(made)


def sessions_missing_mail(*, before: datetime, limit: int = 100) -> list[int]:
    """Sessions still to come whose invitees lack the row of the current SEQUENCE, for changes
    older than `before` (the on-commit hook should have written it by then)."""
    now = timezone.now()
    current = SessionMail.objects.filter(
        invitation=OuterRef("pk"), sequence=OuterRef("session__sequence")
    )
    told = SessionMail.objects.filter(invitation=OuterRef("pk"), kind=Kind.REQUEST)
    missing = (
        Invitation.objects.filter(
            session__starts_at__gt=now,
            session__updated_at__lte=before,
            created_at__lte=before,
        )
        .filter(
            Q(session__status=Session.Status.PLANNED) & ~Exists(current.filter(kind=Kind.REQUEST))
            | Q(session__status=Session.Status.CANCELLED)
            & Exists(told)
            & ~Exists(current.filter(kind=Kind.CANCEL))
        )
        .order_by("session_id")
        .values_list("session_id", flat=True)
        .distinct()
    )
    return list(missing[:limit])


def unsent(*, before: datetime, limit: int = 500) -> list[int]:
    """Rows the sweep queues again: pending since before `before` and not tried since (their
    task was lost, the broker was down, the server refused), or in a hand-off begun before it
    and never confirmed (the send task checks the advisory lock: a live sender is left alone)."""
    due = Q(state=State.PENDING, created_at__lte=before) & (
        Q(handed_off_at__isnull=True) | Q(handed_off_at__lte=before)
    ) | Q(state=State.SENDING, handed_off_at__lte=before)
    return list(SessionMail.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:limit])


def _outgrown(row: SessionMail) -> str | None:
    """Why the session no longer wants this row sent, if it does not."""
    session = row.invitation.session
    if row.sequence != session.sequence:
        return "the session changed since (a newer sequence)"
    if session.starts_at <= timezone.now():
        return "the session has begun"
    if row.kind == Kind.REQUEST and session.status != Session.Status.PLANNED:
        return "the session is no longer planned"
    if row.kind == Kind.REMINDER:
        if session.status != Session.Status.PLANNED:
            return "the session is no longer planned"
        if row.invitation.response == Invitation.Response.DECLINED:
            return "the invitee declined"
    return None


def claim(mail_id: int) -> SessionMail | None:
    """Step 2 of consultation/delivery.py for one row (call with its row_lock held): the row,
    now `sending` and committed, or None when there is nothing to send. The session row is
    locked as well, so a move or cancellation either comes before (and this row is
    superseded) or waits until this row is marked `sending` (and the cancellation then goes
    to this invitee too)."""
    with transaction.atomic():
        row = (
            SessionMail.objects.select_for_update(of=("self",))
            .select_related("invitation__user")
            .filter(pk=mail_id)
            .first()
        )
        if row is None or row.state not in (State.PENDING, State.SENDING):
            return None  # gone, sent, failed or superseded
        row.invitation.session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("pool")
            .get(pk=row.invitation.session_id)
        )
        why = _outgrown(row)
        if why is not None:
            logger.info("session mail %s not sent: %s", row.pk, why)
            SessionMail.objects.filter(pk=row.pk).update(state=State.SUPERSEDED)
            return None
        if row.state == State.SENDING and not delivery.resume(row):
            return None
        if not row.recipient.is_active:
            delivery.fail([row], "the recipient's account was deactivated")
            return None
        if row.attempts >= delivery.MAX_ATTEMPTS:
            delivery.fail([row], f"refused {row.attempts} times")
            return None
        delivery.start([row])
        if row.kind != Kind.REMINDER:
            Invitation.objects.filter(pk=row.invitation_id, sent_sequence__lt=row.sequence).update(
                sent_sequence=row.sequence
            )
    return row


def claim_due_reminders(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """One reminder row per due invitation, once (inside the caller's transaction): rows locked
    by another worker are skipped, and reminded_at is set by a conditional update, so a
    second run or a second worker finds nothing. Returns the new rows' ids."""
    now = now or timezone.now()
    due = list(
        Invitation.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(
            reminded_at__isnull=True,
            reminder_due_at__lte=now,
            # Bounded below, so the partial index is scanned over one day, not all history.
            reminder_due_at__gt=now - REMINDER_STALE_AFTER,
            session__status=Session.Status.PLANNED,
            session__starts_at__gt=now,
        )
        .exclude(response=Invitation.Response.DECLINED)
        .select_related("session")
        .order_by("reminder_due_at", "pk")[:limit]
    )
    made: list[int] = []
    for invitation in due:
        if not Invitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue  # reminded meanwhile
        row, created = SessionMail.objects.get_or_create(
            invitation=invitation, sequence=invitation.session.sequence, kind=Kind.REMINDER
        )
        if created:
            made.append(row.pk)
    return made
