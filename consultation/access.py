"""The one way a write gets its question: scoped, authorised and locked in one query (as
Zulip's `access_message(..., lock_message=True)`).

Views fetch through the selectors first (out of scope is a 404 there); the services then call
`question_for_update` and work on the row it returns, which consultation.workflow accepts.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from consultation import workflow
from consultation.models import Question
from consultation.selectors import (
    coordinator_questions_q,
    expert_advice_q,
    expert_questions_q,
    team_questions_q,
    triage_questions_q,
)

if TYPE_CHECKING:
    from accounts.models import User


class Side(StrEnum):
    """On whose behalf a write is made."""

    TEAM = "team"  # a member of the asking team
    EXPERT = "expert"  # an expert who may see the question
    # An expert who may advise on it (open to them, or granted), or a coordinator of its pool
    # (a team pool's coordinator also answers an urgent question in writing, issue 11).
    ADVISER = "adviser"
    TRIAGE = "triage"  # a triage worker of the question's pool


def _scope(*, actor: User, side: Side) -> Q:
    if side == Side.TEAM:
        return team_questions_q(user=actor)
    if side == Side.EXPERT:
        return expert_questions_q(user=actor)
    if side == Side.ADVISER:
        return expert_advice_q(user=actor) | coordinator_questions_q(user=actor)
    return triage_questions_q(user=actor)


REFUSALS = {
    Side.TEAM: _("Only the asking district team can do this."),
    Side.EXPERT: _("Only experts of the pool can do this."),
    Side.ADVISER: _("Only experts of the pool can do this."),
    Side.TRIAGE: _("Only the triage workers of the pool can do this."),
}


def question_for_update(*, actor: User, question: Question | int, side: Side) -> Question:
    """The question, locked for this transaction, if `actor` may write to it as `side`;
    PermissionDenied otherwise (also when it does not exist: a service never tells apart what
    the caller may not know). Must run inside transaction.atomic."""
    pk = question if isinstance(question, int) else question.pk
    allowed = ExpressionWrapper(_scope(actor=actor, side=side), output_field=BooleanField())
    row = workflow.lock(Question.objects.annotate(allowed=allowed), pk=pk)
    if row is None or not row.allowed:  # type: ignore[attr-defined]
        raise PermissionDenied(str(REFUSALS[side]))
    return row
