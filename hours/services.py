"""Writes of time entries and invoice exports. Every write that counts minutes against a cap
locks the expert's profile row first, so two entries registered at once cannot both squeeze
under the cap; an entry that counts is never changed afterwards (a correction is a new entry)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import Message
from expertise.models import ExpertPool, ExpertProfile
from hours.models import InvoiceExport, TimeEntry
from hours.selectors import effective_minutes, exportable, minutes_used, month_of
from meetings.models import AgendaItem, Invitation, Session
from meetings.selectors import may_plan

if TYPE_CHECKING:
    from accounts.models import User

LONGEST_ENTRY = 600  # minutes: ten hours is more than any advice or session takes


def _check_minutes(minutes: int, *, field: str = "minutes") -> None:
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not 1 <= minutes <= LONGEST_ENTRY
    ):
        raise ValidationError(
            {
                field: _("Enter the minutes as a whole number from 1 to %(most)s.")
                % {"most": LONGEST_ENTRY}
            }
        )


def _profile_for_update(expert: User | int) -> ExpertProfile:
    pk = expert if isinstance(expert, int) else expert.pk
    try:
        return ExpertProfile.objects.select_for_update().get(user_id=pk)
    except ExpertProfile.DoesNotExist:
        raise PermissionDenied(_("Only experts register time.")) from None


def _counted_status(*, expert_id: int, pool: ExpertPool, day: date, minutes: int) -> str:
    """Within the cap (exactly reaching it included) the entry counts; beyond it, it waits for
    approval. Called with the expert's profile locked."""
    used = minutes_used(pool.pk, [expert_id], day).get(expert_id, 0)
    if minutes <= 0 or used + minutes <= pool.monthly_cap_minutes:
        return TimeEntry.Status.CONFIRMED
    return TimeEntry.Status.AWAITING_APPROVAL


def _entry_for_update(entry: TimeEntry | int) -> TimeEntry:
    pk = entry if isinstance(entry, int) else entry.pk
    return TimeEntry.objects.select_for_update(of=("self",)).select_related("pool").get(pk=pk)


@transaction.atomic
def time_entry_register_advice(*, expert: User, message: Message, minutes: int) -> TimeEntry:
    """The time a written advice took, offered right after sending it; once per advice (a
    second submit returns the first entry)."""
    _check_minutes(minutes)
    if message.kind != Message.Kind.ADVICE or message.author_id != expert.pk:
        raise PermissionDenied(_("You register time only for your own advice."))
    profile = _profile_for_update(expert)
    existing = TimeEntry.objects.filter(message=message, activity=TimeEntry.Activity.ADVICE).first()
    if existing is not None:
        return existing
    pool = ExpertPool.objects.get(pk=message.question.pool_id)
    day = timezone.localdate(message.created_at)
    return TimeEntry.objects.create(
        expert=expert,
        pool=pool,
        organisation_id=profile.organisation_id,
        date=day,
        activity=TimeEntry.Activity.ADVICE,
        question_id=message.question_id,
        message=message,
        minutes=minutes,
        status=_counted_status(expert_id=expert.pk, pool=pool, day=day, minutes=minutes),
        created_by=expert,
    )


def attendees(session: Session) -> list[int]:
    """The experts who were there: invited and not declined, or named in an outcome."""
    invited = Invitation.objects.filter(session=session, role=Invitation.Role.EXPERT).exclude(
        response=Invitation.Response.DECLINED
    )
    ids = set(invited.values_list("user_id", flat=True))
    ids |= set(
        AgendaItem.participants.through.objects.filter(agendaitem__session=session).values_list(
            "user_id", flat=True
        )
    )
    return sorted(ids)


def time_entry_propose_attendance(*, session: Session) -> list[TimeEntry]:
    """Propose each attendee the session's length, to confirm (or correct) on "Mijn uren".
    Safe to run twice: one proposal per expert per session (a unique constraint)."""
    if session.status != Session.Status.HELD:
        return []
    minutes = min(int((session.ends_at - session.starts_at).total_seconds() // 60), LONGEST_ENTRY)
    profiles = dict(
        ExpertProfile.objects.filter(user_id__in=attendees(session)).values_list(
            "user_id", "organisation_id"
        )
    )
    day = timezone.localdate(session.starts_at)
    proposed = []
    for user_id, organisation_id in profiles.items():
        try:
            with transaction.atomic():
                entry, _created = TimeEntry.objects.get_or_create(
                    session=session,
                    expert_id=user_id,
                    activity=TimeEntry.Activity.SESSION,
                    defaults={
                        "pool_id": session.pool_id,
                        "organisation_id": organisation_id,
                        "date": day,
                        "minutes": minutes,
                        "status": TimeEntry.Status.PROPOSED,
                        "created_by_id": user_id,
                    },
                )
        except IntegrityError:  # proposed at the same moment by a concurrent run
            entry = TimeEntry.objects.get(session=session, expert_id=user_id)
        proposed.append(entry)
    return proposed


@transaction.atomic
def time_entry_confirm(*, expert: User, entry: TimeEntry, minutes: int | None = None) -> TimeEntry:
    """The expert confirms a proposed attendance, with the minutes they were there."""
    _profile_for_update(expert)
    entry = _entry_for_update(entry)
    if entry.expert_id != expert.pk:
        raise PermissionDenied(_("You confirm only your own time."))
    if entry.status != TimeEntry.Status.PROPOSED:
        return entry  # confirmed or declined already: a double submit changes nothing
    minutes = entry.minutes if minutes is None else minutes
    _check_minutes(minutes)
    entry.minutes = minutes
    entry.status = _counted_status(
        expert_id=expert.pk, pool=entry.pool, day=entry.date, minutes=minutes
    )
    entry.save(update_fields=["minutes", "status"])
    return entry


@transaction.atomic
def time_entry_decline(*, expert: User, entry: TimeEntry) -> TimeEntry:
    """The expert was not there after all: the proposal goes, nothing counts."""
    entry = _entry_for_update(entry)
    if entry.expert_id != expert.pk:
        raise PermissionDenied(_("You confirm only your own time."))
    if entry.status == TimeEntry.Status.PROPOSED:
        entry.status = TimeEntry.Status.DECLINED
        entry.save(update_fields=["status"])
    return entry


@transaction.atomic
def time_entry_decide(*, actor: User, entry: TimeEntry, approve: bool, note: str = "") -> TimeEntry:
    """The pool's triage worker or coordinator approves (or not) time beyond the cap."""
    entry = _entry_for_update(entry)
    if not may_plan(user=actor, pool=entry.pool_id) or entry.expert_id == actor.pk:
        raise PermissionDenied(_("Only the pool's triage workers and coordinators approve time."))
    if entry.status != TimeEntry.Status.AWAITING_APPROVAL:
        return entry
    note = note.strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the reason under 200 characters.")})
    if not approve and not note:
        raise ValidationError({"note": _("Say why the time is not approved.")})
    entry.status = TimeEntry.Status.APPROVED if approve else TimeEntry.Status.REJECTED
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.decision_note = note
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return entry


@transaction.atomic
def time_entry_correct(*, expert: User, entry: TimeEntry, minutes: int, reason: str) -> TimeEntry:
    """Set the entry's time to `minutes` by a new entry holding the difference, signed by the
    expert with a reason: the entry itself (perhaps invoiced already) never changes."""
    _check_minutes(minutes)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the time is corrected.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    _profile_for_update(expert)
    entry = _entry_for_update(entry)
    if entry.expert_id != expert.pk:
        raise PermissionDenied(_("You correct only your own time."))
    if entry.activity == TimeEntry.Activity.CORRECTION or entry.status not in TimeEntry.BILLABLE:
        raise ValidationError(_("Only confirmed or approved time can be corrected."))
    difference = minutes - effective_minutes(entry)
    if difference == 0:
        raise ValidationError({"minutes": _("That is the time already registered.")})
    return TimeEntry.objects.create(
        expert=expert,
        pool=entry.pool,
        organisation_id=entry.organisation_id,
        date=entry.date,
        activity=TimeEntry.Activity.CORRECTION,
        question_id=entry.question_id,
        session_id=entry.session_id,
        minutes=difference,
        status=_counted_status(
            expert_id=expert.pk, pool=entry.pool, day=entry.date, minutes=difference
        ),
        note=reason,
        corrects=entry,
        created_by=expert,
    )


@transaction.atomic
def invoice_export_create(
    *, actor: User, pool: ExpertPool, organisation_id: int, month: date
) -> InvoiceExport:
    """Export (and lock) the month's billable entries of one care provider in the pool. Run
    again, it exports only what was added since; with nothing new it returns the last export
    (a double click makes one export)."""
    if not may_plan(user=actor, pool=pool.pk):
        raise PermissionDenied(_("Only the pool's triage workers and coordinators export hours."))
    first, _after = month_of(month)
    if first > timezone.localdate():
        raise ValidationError({"month": _("A month to come cannot be exported yet.")})
    # Serialise exports of the pool: the number and the lock are decided by one at a time.
    ExpertPool.objects.select_for_update().get(pk=pool.pk)
    entries = list(
        exportable(pool=pool, organisation_id=organisation_id, month=first)
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    previous = InvoiceExport.objects.filter(pool=pool, organisation_id=organisation_id, month=first)
    if not entries:
        last = previous.order_by("-number").first()
        if last is not None:
            return last
        raise ValidationError(_("There is no confirmed time of this care provider in that month."))
    number = (previous.aggregate(n=Max("number"))["n"] or 0) + 1
    export = InvoiceExport.objects.create(
        pool=pool, organisation_id=organisation_id, month=first, number=number, created_by=actor
    )
    TimeEntry.objects.filter(pk__in=entries).update(export=export)
    return export
