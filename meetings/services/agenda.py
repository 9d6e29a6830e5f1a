"""The agenda of a session and who is invited to it.

Invited experts, and every active expert of a `team` pool, read the questions on the agenda
through row-level grants (consultation's view/advise grants, the same an assigned expert
gets): the question stays behind its one visibility chokepoint, and they can prepare written
advice before the session."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation import workflow
from consultation.models import Question, Reason, Status
from consultation.services.common import grant_expert
from expertise.models import ExpertPool, ExpertProfile
from meetings.models import AgendaItem, Invitation, Session
from meetings.services.common import announce, require_planner, session_for_update

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User

REMINDER_BEFORE = timedelta(days=1)
DEFAULT_SLOT_MINUTES = 20
LIVE = (AgendaItem.Status.ON_AGENDA, AgendaItem.Status.DISCUSSED)


def _agenda_readers(session: Session) -> list[User]:
    """Who reads the agenda's questions: the invited experts, and a team pool's experts."""
    from accounts.models import User

    invited = Q(
        session_invitations__session=session,
        session_invitations__role=Invitation.Role.EXPERT,
    )
    readers = User.objects.filter(invited, is_active=True)
    if session.pool.collaboration_model == ExpertPool.CollaborationModel.TEAM:
        members = ExpertProfile.objects.filter(pools=session.pool, is_active=True)
        readers = User.objects.filter(
            Q(pk__in=readers.values("pk")) | Q(expert_profile__in=members), is_active=True
        )
    return list(readers.distinct())


def _grant(*, questions: Iterable[Question], experts: Iterable[User]) -> None:
    for question in questions:
        for expert in experts:
            grant_expert(question=question, expert=expert)


def _invite(*, session: Session, user: User, role: str) -> Invitation:
    invitation, _created = Invitation.objects.get_or_create(
        session=session,
        user=user,
        defaults={"role": role, "reminder_due_at": session.starts_at - REMINDER_BEFORE},
    )
    return invitation


def _live_count(session: Session) -> int:
    return session.agenda.filter(status=AgendaItem.Status.ON_AGENDA).count()


def place(*, session: Session, question: Question, actor: User | None, minutes: int) -> AgendaItem:
    """Put the question on the locked session's agenda (no checks of the actor: callers do)."""
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("This session is no longer planned."))
    if question.pool_id != session.pool_id:
        raise ValidationError(_("This question was not sent to this session's pool."))
    if question.status != Status.SCHEDULED:
        raise ValidationError(_("Only a question waiting for a session can go on its agenda."))
    item = AgendaItem.objects.filter(session=session, question=question).first()
    if item is not None and item.status == AgendaItem.Status.ON_AGENDA:
        return item  # already there: a second click changes nothing
    if _live_count(session) >= session.capacity:
        raise ValidationError(_("The agenda of this session is full."))
    position = (session.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    if item is None:
        item = AgendaItem.objects.create(
            session=session, question=question, position=position, minutes=minutes, added_by=actor
        )
    else:  # taken off earlier, put back
        item.status, item.position, item.minutes = AgendaItem.Status.ON_AGENDA, position, minutes
        item.save(update_fields=["status", "position", "minutes"])
    _invite(session=session, user=question.asked_by, role=Invitation.Role.GENERALIST)
    _grant(questions=[question], experts=_agenda_readers(session))
    return item


@transaction.atomic
def agenda_add(
    *, actor: User, session: Session, question: Question, minutes: int = DEFAULT_SLOT_MINUTES
) -> AgendaItem:
    session = session_for_update(session=session)
    require_planner(user=actor, pool=session.pool_id)
    locked = workflow.lock(Question.objects.all(), pk=question.pk)
    if locked is None:
        raise ValidationError(_("This question does not exist."))
    item = place(session=session, question=locked, actor=actor, minutes=minutes)
    announce(session)  # the asking generalist may be new to it: their invitation
    return item


@transaction.atomic
def agenda_remove(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Take a question off the agenda before it is discussed. A question of a triage pool goes
    back to the triage queue; one of a team pool waits for the next session with room."""
    session = session_for_update(session=item.session_id)
    require_planner(user=actor, pool=session.pool_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status != AgendaItem.Status.ON_AGENDA:
        return item
    item.status = AgendaItem.Status.REMOVED
    item.save(update_fields=["status"])
    question = workflow.lock(Question.objects.all(), pk=item.question_id)
    if (
        question is not None
        and question.status == Status.SCHEDULED
        and session.pool.collaboration_model == ExpertPool.CollaborationModel.TRIAGE
    ):
        workflow.transition(
            question=question, to=Status.IN_TRIAGE, actor=actor, code=Reason.ROUTED_TRIAGE
        )
    return item


@transaction.atomic
def invite_experts(*, actor: User, session: Session, experts: Iterable[User]) -> list[Invitation]:
    """Invite active experts; each reads the agenda's questions from now on."""
    session = session_for_update(session=session)
    require_planner(user=actor, pool=session.pool_id)
    experts = list(experts)
    active = set(
        ExpertProfile.objects.filter(user__in=experts, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if any(expert.pk not in active for expert in experts):
        raise ValidationError({"experts": _("Only active experts can be invited.")})
    invitations = [
        _invite(session=session, user=expert, role=Invitation.Role.EXPERT) for expert in experts
    ]
    questions = [
        item.question for item in session.agenda.filter(status__in=LIVE).select_related("question")
    ]
    _grant(questions=questions, experts=experts)
    announce(session)
    return invitations


@transaction.atomic
def invitation_respond(*, user: User, invitation: Invitation, response: str) -> Invitation:
    """The invitee accepts or declines (their own invitation only; a second answer replaces
    the first)."""
    invitation = (
        Invitation.objects.select_for_update().select_related("session").get(pk=invitation.pk)
    )
    if invitation.user_id != user.pk:
        raise ValidationError(_("This invitation is not yours."))
    if response not in (Invitation.Response.ACCEPTED, Invitation.Response.DECLINED):
        raise ValidationError({"response": _("Choose whether you come.")})
    if invitation.session.status != Session.Status.PLANNED:
        raise ValidationError(_("This session is no longer planned."))
    if invitation.response != response:
        invitation.response = response
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["response", "responded_at"])
    return invitation


def fill(*, pool: ExpertPool | int, now=None) -> list[AgendaItem]:
    """Put the pool's questions that wait for a session on the next sessions with room, urgent
    ones first, then the oldest (inside a transaction; the sessions are locked, so two fills
    never overfill one). A team pool's routing and its recurring sessions call this."""
    from meetings.selectors import next_sessions_with_room

    pool_id = pool if isinstance(pool, int) else pool.pk
    now = now or timezone.now()
    sessions = list(
        Session.objects.select_for_update(of=("self",))
        .select_related("pool")
        .filter(pk__in=next_sessions_with_room(pool=pool_id, now=now).values("pk"))
        .order_by("starts_at", "pk")
    )
    if not sessions:
        return []
    waiting_on_agenda = AgendaItem.objects.filter(
        status=AgendaItem.Status.ON_AGENDA,
        session__status=Session.Status.PLANNED,
        session__ends_at__gte=now,
    ).values("question_id")
    waiting = (
        Question.objects.filter(pool_id=pool_id, status=Status.SCHEDULED)
        .exclude(pk__in=waiting_on_agenda)
        .order_by("-urgency", "submitted_at", "pk")
    )
    placed: list[AgendaItem] = []
    queue = list(waiting.values_list("pk", flat=True)[:200])
    for session in sessions:
        room = session.capacity - _live_count(session)
        while room > 0 and queue:
            question = workflow.lock(Question.objects.all(), pk=queue.pop(0))
            if question is None or question.status != Status.SCHEDULED:
                continue
            placed.append(
                place(session=session, question=question, actor=None, minutes=DEFAULT_SLOT_MINUTES)
            )
            room -= 1
        if any(item.session_id == session.pk for item in placed):
            announce(session)  # the asking generalists may be new to it: their invitations
        if not queue:
            break
    return placed
