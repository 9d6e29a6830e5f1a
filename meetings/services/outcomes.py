"""What a session agreed per agenda item: the advice, posted on the question as advice from the
session (the generalist is notified, the question follows the usual path to close-out), or the
item carried over to the next session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation import workflow
from consultation.models import Message, Notification, Question, Reason, Status
from consultation.services.common import join, post
from expertise.models import ExpertProfile
from meetings.models import AgendaItem, Session
from meetings.selectors import next_sessions_with_room
from meetings.services.agenda import place
from meetings.services.common import require_planner, session_for_update
from meetings.signals import session_held

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User


def _item_for_update(item: AgendaItem | int) -> AgendaItem:
    pk = item if isinstance(item, int) else item.pk
    return AgendaItem.objects.select_for_update(of=("self",)).get(pk=pk)


@transaction.atomic
def outcome_record(
    *, actor: User, item: AgendaItem, advice: str, participants: Iterable[User]
) -> AgendaItem:
    """Record the advice agreed and who took part; once (a second submit returns the first)."""
    session = session_for_update(session=item.session_id)
    require_planner(user=actor, pool=session.pool_id)
    item = _item_for_update(item)
    if item.outcome_id is not None:
        return item
    if item.status != AgendaItem.Status.ON_AGENDA:
        raise ValidationError(_("This question is no longer on the agenda."))
    if session.status == Session.Status.CANCELLED or session.starts_at > timezone.now():
        raise ValidationError(_("Outcomes are recorded once the session has started."))
    participants = list(participants)
    experts = set(
        ExpertProfile.objects.filter(user__in=participants).values_list("user_id", flat=True)
    )
    errors = {}
    if not advice.strip():
        errors["advice"] = _("Write down the advice agreed.")
    if not participants or any(user.pk not in experts for user in participants):
        errors["participants"] = _("Choose the experts who took part.")
    if errors:
        raise ValidationError(errors)
    question = workflow.lock(Question.objects.all(), pk=item.question_id)
    assert question is not None
    if question.status not in workflow.ADVISABLE:
        raise ValidationError(_("This question is no longer open for advice."))
    for expert in participants:
        join(question=question, expert=expert)
    message = post(
        question=question,
        author=actor,
        kind=Message.Kind.ADVICE,
        body=advice.strip(),
        discipline=str(_("expertise session")),
        move_to=Status.ANSWERED if question.status in workflow.ANSWERED_BY_ADVICE else None,
        code=Reason.ADVICE_GIVEN,
        notify_kind=Notification.Kind.NEW_ADVICE,
        recipients=[question.asked_by],
    )
    item.outcome = message
    item.status = AgendaItem.Status.DISCUSSED
    item.save(update_fields=["outcome", "status"])
    item.participants.set(participants)
    if session.status == Session.Status.HELD:
        session_held.send(sender=Session, session=session, actor=actor)  # who took part
    return item


@transaction.atomic
def item_carry_over(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Not finished: the question goes on the next session of the pool that has room."""
    session = session_for_update(session=item.session_id)
    require_planner(user=actor, pool=session.pool_id)
    item = _item_for_update(item)
    if item.status == AgendaItem.Status.CARRIED_OVER:
        return item
    if item.status != AgendaItem.Status.ON_AGENDA:
        raise ValidationError(_("This question is no longer on the agenda."))
    target = (
        next_sessions_with_room(pool=session.pool_id)
        .filter(starts_at__gt=session.starts_at)
        .exclude(pk=session.pk)
        .first()
    )
    if target is None:
        raise ValidationError(_("No later session of this pool has room: plan one first."))
    target = session_for_update(session=target)
    question = workflow.lock(Question.objects.all(), pk=item.question_id)
    assert question is not None
    item.status = AgendaItem.Status.CARRIED_OVER
    item.save(update_fields=["status"])
    new_item = place(session=target, question=question, actor=actor, minutes=item.minutes)
    item.carried_to = new_item
    item.save(update_fields=["carried_to"])
    workflow.touch(question)
    return item
