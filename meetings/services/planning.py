"""Plan, move, cancel and hold a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation import workflow
from consultation.models import Question, Reason, Status
from expertise.models import ExpertPool
from meetings.models import AgendaItem, Invitation, Session
from meetings.services.agenda import (
    DEFAULT_SLOT_MINUTES,
    REMINDER_BEFORE,
    fill,
    invite_experts,
    place,
)
from meetings.services.common import announce, require_planner, session_for_update
from meetings.signals import session_held

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from accounts.models import User

LONGEST_SESSION = timedelta(hours=8)


@dataclass(frozen=True)
class SessionInput:
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    video_link: str = ""
    capacity: int = 4


def _check(data: SessionInput) -> None:
    errors = {}
    if data.starts_at <= timezone.now():
        errors["starts_at"] = _("Choose a moment in the future.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The session ends after it starts.")
    elif data.ends_at - data.starts_at > LONGEST_SESSION:
        errors["ends_at"] = _("A session lasts at most eight hours.")
    if not data.place.strip() and not data.video_link.strip():
        errors["place"] = _("Give a place or a video link.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_plan(
    *,
    planner: User,
    pool: ExpertPool,
    data: SessionInput,
    questions: Iterable[Question] = (),
    experts: Iterable[User] = (),
    minutes: int = DEFAULT_SLOT_MINUTES,
    slots: Mapping[int, int] | None = None,
) -> Session:
    """A new session with its agenda and invited experts; the asking generalists of the
    questions are invited too (they see when their question is discussed and who comes).
    `slots` gives a question (by id) a time slot of its own; the others get `minutes`."""
    require_planner(user=planner, pool=pool)
    _check(data)
    session = Session.objects.create(
        pool=pool,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place.strip(),
        video_link=data.video_link.strip(),
        capacity=data.capacity,
        planned_by=planner,
    )
    session = session_for_update(session=session)
    for question in questions:
        locked = workflow.lock(Question.objects.all(), pk=question.pk)
        if locked is None:
            raise ValidationError({"questions": _("This question does not exist.")})
        slot = (slots or {}).get(locked.pk, minutes)
        place(session=session, question=locked, actor=planner, minutes=slot)
    experts = list(experts)
    if experts:
        invite_experts(actor=planner, session=session, experts=experts)
    else:
        announce(session)
    return session


@transaction.atomic
def session_move(*, planner: User, session: Session, data: SessionInput) -> Session:
    """A new time or place: everybody gets an update (a higher SEQUENCE), answers are asked
    again only when the day changes, and the reminder moves along."""
    session = session_for_update(session=session)
    require_planner(user=planner, pool=session.pool_id)
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("This session is no longer planned."))
    _check(data)
    day_changed = timezone.localdate(data.starts_at) != timezone.localdate(session.starts_at)
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.place, session.video_link = data.place.strip(), data.video_link.strip()
    session.capacity = max(data.capacity, 1)
    session.sequence += 1
    session.save()
    invitations = Invitation.objects.filter(session=session)
    invitations.update(reminder_due_at=session.starts_at - REMINDER_BEFORE, reminded_at=None)
    if day_changed:
        invitations.exclude(user=planner).update(
            response=Invitation.Response.PENDING, responded_at=None
        )
    announce(session)
    return session


@transaction.atomic
def session_cancel(*, planner: User, session: Session) -> Session:
    """Cancelled: invitees get a cancellation; the agenda's questions go to the next session
    with room (team pool) or back to the triage queue (triage pool)."""
    session = session_for_update(session=session)
    require_planner(user=planner, pool=session.pool_id)
    if session.status == Session.Status.CANCELLED:
        return session
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("A session that was held cannot be cancelled."))
    session.status = Session.Status.CANCELLED
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save()
    items = list(session.agenda.filter(status=AgendaItem.Status.ON_AGENDA))
    session.agenda.filter(status=AgendaItem.Status.ON_AGENDA).update(
        status=AgendaItem.Status.REMOVED
    )
    if session.pool.collaboration_model == ExpertPool.CollaborationModel.TEAM:
        fill(pool=session.pool_id)
    else:
        for item in items:
            question = workflow.lock(Question.objects.all(), pk=item.question_id)
            if question is not None and question.status == Status.SCHEDULED:
                workflow.transition(
                    question=question, to=Status.IN_TRIAGE, actor=planner, code=Reason.ROUTED_TRIAGE
                )
    announce(session)
    return session


@transaction.atomic
def session_hold(*, planner: User, session: Session) -> Session:
    """The session took place (it may be marked so from its start on)."""
    session = session_for_update(session=session)
    require_planner(user=planner, pool=session.pool_id)
    if session.status == Session.Status.HELD:
        return session
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("A cancelled session cannot be held."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("The session has not started yet."))
    session.status = Session.Status.HELD
    session.held_at = timezone.now()
    session.save(update_fields=["status", "held_at", "updated_at"])
    session_held.send(sender=Session, session=session, actor=planner)
    return session
