"""The asking team's writes: draft, submit, reply, close, reopen, withdraw.

Ownership stays with the generalist (casusregie): only the asking team closes, reopens or
withdraws; experts advise and ask for clarification (consultation.services.advising).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultation import workflow
from consultation.access import Side, question_for_update
from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Notification,
    Question,
    Reason,
    Status,
)
from consultation.notifications import notify
from consultation.services.cases import require_open_case
from consultation.services.common import (
    QuestionInput,
    matching_experts,
    participants,
    post,
    privacy_check,
)
from expertise.models import ExpertPool
from wijkteam.models import Case
from wijkteam.selectors import is_team_member

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from expertise.models import LifeDomain, TargetGroup

ROUTE_BY_MODEL = {
    ExpertPool.CollaborationModel.NETWORK: (Status.OPEN, Reason.ROUTED_NETWORK),
    ExpertPool.CollaborationModel.TEAM: (Status.SCHEDULED, Reason.ROUTED_TEAM),
    ExpertPool.CollaborationModel.TRIAGE: (Status.IN_TRIAGE, Reason.ROUTED_TRIAGE),
}


def pools_serving(*, team_id: int):
    """The active expert pools a team may ask, by name."""
    return ExpertPool.objects.filter(teams=team_id, is_active=True).order_by("name")


def _pool_for(*, team_id: int, pool: ExpertPool | None) -> ExpertPool:
    """The pool asked: the one given, which must serve the team, or, when none is given, the
    only pool that serves it (the rule for every caller: form, API, demo)."""
    if pool is None:
        only = list(pools_serving(team_id=team_id)[:2])
        if len(only) != 1:
            raise ValidationError({"pool": _("Choose the expert pool to ask.")})
        return only[0]
    if not pool.is_active or not pool.teams.filter(pk=team_id).exists():
        raise ValidationError({"pool": _("This expert pool does not serve your team.")})
    return pool


def _texts(data: QuestionInput | Question) -> dict[str, str]:
    """The free texts of a question (or of what was typed for it), as the guard reads them."""
    return {
        "title": data.title,
        "situation": data.situation,
        "tried": data.tried,
        "question": data.question,
    }


def _create(
    *,
    actor: User,
    case: Case,
    data: QuestionInput,
    pool: ExpertPool | None,
    life_domains: Iterable[LifeDomain],
    target_groups: Iterable[TargetGroup],
    privacy_confirmed: bool,
) -> Question:
    """A new question row, once the privacy guard has passed (or was confirmed): a text it
    stopped is not stored, it stays in the form."""
    if not is_team_member(user=actor, team_id=case.team_id):
        raise PermissionDenied(_("Only the asking district team can do this."))
    require_open_case(case_id=case.pk)
    privacy_check(case=case, texts=_texts(data), confirmed=privacy_confirmed)
    question = Question.objects.create(
        case=case,
        team_id=case.team_id,
        pool=_pool_for(team_id=case.team_id, pool=pool),
        asked_by=actor,
        **{field: getattr(data, field) for field in QuestionInput.FIELDS},
    )
    question.life_domains.set(life_domains)
    question.target_groups.set(target_groups)
    return question


@transaction.atomic
def question_create(
    *,
    actor: User,
    case: Case,
    data: QuestionInput,
    pool: ExpertPool | None = None,
    life_domains: Iterable[LifeDomain] = (),
    target_groups: Iterable[TargetGroup] = (),
    privacy_confirmed: bool = False,
    send: bool = False,
) -> Question:
    """A draft question (it needs only a title); nothing leaves the team until it is sent. With
    `send`, written and sent at once: stored only when it can be sent, and its history starts
    with the sending, not with a draft."""
    question = _create(
        actor=actor,
        case=case,
        data=data,
        pool=pool,
        life_domains=life_domains,
        target_groups=target_groups,
        privacy_confirmed=privacy_confirmed,
    )
    if send:
        return question_submit(actor=actor, question=question, privacy_confirmed=privacy_confirmed)
    workflow.start(question=question, actor=actor)
    return question


@transaction.atomic
def question_update_draft(
    *,
    actor: User,
    question: Question,
    data: QuestionInput,
    pool: ExpertPool | None = None,
    life_domains: Iterable[LifeDomain] = (),
    target_groups: Iterable[TargetGroup] = (),
    privacy_confirmed: bool = False,
    send: bool = False,
) -> Question:
    """Change a draft, and with `send` send it too, in one go: when sending fails nothing of
    this change is stored either, and the form still holds it."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    if question.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be edited."))
    privacy_check(question=question, texts=_texts(data), confirmed=privacy_confirmed)
    for field in QuestionInput.FIELDS:
        setattr(question, field, getattr(data, field))
    question.pool = _pool_for(team_id=question.team_id, pool=pool or question.pool)
    question.save()
    question.life_domains.set(life_domains)
    question.target_groups.set(target_groups)
    if send:
        return question_submit(actor=actor, question=question, privacy_confirmed=privacy_confirmed)
    return question


@transaction.atomic
def question_delete_draft(*, actor: User, question: Question) -> None:
    """A draft never left the team: deleting it removes it with its history."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    if question.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be deleted. Withdraw a question that was sent."))
    question.delete()


def _complete(question: Question) -> None:
    """What a question needs before it is sent (a draft may lack it). The form asks for a life
    domain or target group too; the API leaves that to the caller, as before."""
    errors = {}
    if not question.situation.strip():
        errors["situation"] = _("Describe the situation.")
    if not question.question.strip():
        errors["question"] = _("Write your question.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def question_submit(
    *, actor: User, question: Question, privacy_confirmed: bool = False
) -> Question:
    """Send the draft to the pool; routed by the pool's collaboration model (DESIGN §3)."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    if question.status != Status.DRAFT:
        raise ValidationError(_("This question has already been submitted."))
    if not question.pool.is_active:
        raise ValidationError({"pool": _("This expert pool does not serve your team.")})
    _complete(question)
    kinds = privacy_check(
        question=question,
        texts=_texts(question),
        confirmed=privacy_confirmed,
    )
    workflow.transition(
        question=question,
        to=Status.SUBMITTED,
        actor=actor,
        code=Reason.PRIVACY_CONFIRMED if kinds else "",
        reason=kinds,
    )
    route, code = ROUTE_BY_MODEL[question.pool.collaboration_model]
    workflow.transition(question=question, to=route, actor=None, code=code)
    if route == Status.IN_TRIAGE:
        notify(
            kind=Notification.Kind.NEW_IN_QUEUE,
            question=question,
            recipients=question.pool.triage_workers.all(),
            event_key=f"question:{question.pk}:in-queue",
        )
    if route == Status.OPEN:
        notify(
            kind=Notification.Kind.NEW_QUESTION,
            question=question,
            recipients=matching_experts(question=question),
            event_key=f"question:{question.pk}:submitted",
        )
    return question


@transaction.atomic
def question_reply(
    *, actor: User, question: Question, body: str, privacy_confirmed: bool = False
) -> Message:
    """The generalist writes in the thread: an answer to a clarification request (the question
    returns to where it was) or a follow-up."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    if question.status not in workflow.OPEN_FOR_MESSAGES:
        raise ValidationError(_("This question is not open for messages."))
    kinds = privacy_check(question=question, texts={"body": body}, confirmed=privacy_confirmed)
    answering = question.status == Status.NEEDS_CLARIFICATION
    recipients = participants(question)
    if answering:
        # Whoever asked (an expert, or the triage worker) hears the answer.
        asked = question.messages.filter(kind=Message.Kind.CLARIFICATION_REQUEST).last()
        if asked is not None:
            recipients.append(asked.author)
    return post(
        question=question,
        author=actor,
        kind=Message.Kind.REPLY if answering else Message.Kind.FOLLOW_UP,
        body=body,
        move_to=(question.status_before_clarification or Status.OPEN) if answering else None,
        code=Reason.PRIVACY_CONFIRMED if kinds else Reason.CLARIFICATION_GIVEN,
        reason=kinds,
        notify_kind=Notification.Kind.REPLY if answering else Notification.Kind.FOLLOW_UP,
        recipients=recipients,
    )


def _ratings(question: Question, ratings: dict | None) -> dict[int, int]:
    try:
        ratings = {int(pk): int(score) for pk, score in (ratings or {}).items()}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"ratings": _("Usefulness is a number from 1 to 5.")}) from exc
    advice_ids = set(
        question.messages.filter(kind=Message.Kind.ADVICE).values_list("pk", flat=True)
    )
    if set(ratings) - advice_ids:
        raise ValidationError({"ratings": _("Rate only the advice given on this question.")})
    if any(not 1 <= score <= 5 for score in ratings.values()):
        raise ValidationError({"ratings": _("Usefulness is a number from 1 to 5.")})
    return ratings


@transaction.atomic
def question_close(
    *,
    actor: User,
    question: Question,
    direction: str,
    escalation: str,
    comment: str = "",
    ratings: dict[int, int] | None = None,
    privacy_confirmed: bool = False,
) -> CloseOut:
    """Close with the close-out form; only the asking team closes (casusregie). The experts
    read the comment ("Anything else?"), so the privacy guard reads it first."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    if question.status not in workflow.CLOSABLE:
        raise ValidationError(_("This question cannot be closed now."))
    privacy_check(question=question, texts={"comment": comment}, confirmed=privacy_confirmed)
    errors = {}
    if direction not in CloseOut.Direction.values:
        errors["direction"] = _("Choose what the advice did.")
    if escalation not in CloseOut.Escalation.values:
        errors["escalation"] = _("Choose what happened to escalation.")
    if errors:
        raise ValidationError(errors)
    scores = _ratings(question, ratings)
    close_out = CloseOut.objects.create(
        question=question,
        closed_by=actor,
        direction=direction,
        escalation=escalation,
        comment=comment,
    )
    AdviceRating.objects.bulk_create(
        AdviceRating(close_out=close_out, message_id=pk, usefulness=score)
        for pk, score in scores.items()
    )
    workflow.transition(question=question, to=Status.CLOSED, actor=actor, code=Reason.CLOSED)
    notify(
        kind=Notification.Kind.QUESTION_CLOSED,
        question=question,
        recipients=participants(question),
        event_key=f"closeout:{close_out.pk}",
    )
    return close_out


@transaction.atomic
def question_reopen(
    *, actor: User, question: Question, reason: str, privacy_confirmed: bool = False
) -> Question:
    """Open a closed question again. The reason is stored in the history: like every text the
    team writes, the privacy guard reads it first."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    if question.status != Status.CLOSED:
        raise ValidationError(_("Only a closed question can be reopened."))
    require_open_case(case_id=question.case_id)
    workflow.check_reason(reason)  # before the privacy guard: a reason too long is an error
    privacy_check(question=question, texts={"reason": reason}, confirmed=privacy_confirmed)
    has_advice = question.messages.filter(kind=Message.Kind.ADVICE).exists()
    step = workflow.transition(
        question=question,
        to=Status.ANSWERED if has_advice else Status.OPEN,
        actor=actor,
        code=Reason.REOPENED,
        reason=reason,
    )
    # The experts who advised hear that the question is open again.
    notify(
        kind=Notification.Kind.REOPENED,
        question=question,
        recipients=participants(question),
        event_key=f"reopen:{step.pk}",
    )
    return question


@transaction.atomic
def question_withdraw(
    *, actor: User, question: Question, reason: str = "", privacy_confirmed: bool = False
) -> Question:
    """Take a sent question back. The reason is stored in the history: the privacy guard reads
    it first."""
    question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    workflow.check_reason(reason)  # before the privacy guard: a reason too long is an error
    privacy_check(question=question, texts={"reason": reason}, confirmed=privacy_confirmed)
    workflow.transition(
        question=question, to=Status.WITHDRAWN, actor=actor, code=Reason.WITHDRAWN, reason=reason
    )
    return question
