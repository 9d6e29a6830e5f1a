"""The question life cycle: one state machine, enforced in one place (DESIGN §3).

    draft → submitted → (in_triage) → open | assigned | scheduled → answered → closed
    with needs_clarification (back to the generalist) and withdrawn / redirected as side exits.

Every change goes through `transition()`, which locks the row, checks the move against
TRANSITIONS and writes a QuestionTransition (who, when, from, to, why). Other issues (triage,
sessions) add moves to TRANSITIONS; they do not write `question.status` themselves.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import Question, QuestionTransition, Status

S = Status

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    # Routing right after submission, by the pool's collaboration model.
    S.SUBMITTED: {S.OPEN, S.IN_TRIAGE, S.SCHEDULED, S.WITHDRAWN},
    S.IN_TRIAGE: {S.NEEDS_CLARIFICATION, S.WITHDRAWN},
    S.OPEN: {S.ASSIGNED, S.ANSWERED, S.NEEDS_CLARIFICATION, S.CLOSED, S.WITHDRAWN},
    S.ASSIGNED: {S.ANSWERED, S.NEEDS_CLARIFICATION, S.CLOSED, S.WITHDRAWN},
    S.SCHEDULED: {S.ANSWERED, S.NEEDS_CLARIFICATION, S.CLOSED, S.WITHDRAWN},
    S.ANSWERED: {S.NEEDS_CLARIFICATION, S.CLOSED},
    # The generalist's reply returns the question to where it was (status_before_clarification).
    S.NEEDS_CLARIFICATION: {
        S.IN_TRIAGE,
        S.OPEN,
        S.ASSIGNED,
        S.SCHEDULED,
        S.ANSWERED,
        S.CLOSED,
        S.WITHDRAWN,
    },
    # Reopening after close-out.
    S.CLOSED: {S.ANSWERED, S.OPEN},
    S.WITHDRAWN: set(),
    S.REDIRECTED: set(),
}

# States in which experts can still add advice.
ADVISABLE = {S.OPEN, S.ASSIGNED, S.SCHEDULED, S.ANSWERED, S.NEEDS_CLARIFICATION}
# States the asking team can close from.
CLOSABLE = {S.OPEN, S.ASSIGNED, S.SCHEDULED, S.ANSWERED, S.NEEDS_CLARIFICATION}
FINAL = {S.CLOSED, S.WITHDRAWN, S.REDIRECTED}


class TransitionNotAllowed(Exception):
    def __init__(self, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(
            _("A question that is %(current)s cannot become %(target)s.")
            % {"current": Status(current).label, "target": Status(target).label}
        )


def allow(current: str, *targets: str) -> None:
    """Add moves to the state machine (the triage and session apps call this at start-up)."""
    TRANSITIONS.setdefault(current, set()).update(targets)


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def lock(question: Question) -> Question:
    """Reload the question with a row lock; callers must be inside transaction.atomic."""
    return Question.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def transition(*, question: Question, to: str, actor, reason: str = "") -> Question:
    """Move the question to `to`, record it in the history, and return the locked row."""
    locked = lock(question)
    current = locked.status
    if not can_transition(current, to):
        raise TransitionNotAllowed(current, to)
    now = timezone.now()
    locked.status = to
    locked.last_activity_at = now
    fields = ["status", "last_activity_at"]
    if to == S.NEEDS_CLARIFICATION:
        locked.status_before_clarification = current
        fields.append("status_before_clarification")
    if current == S.NEEDS_CLARIFICATION:
        locked.status_before_clarification = ""
        fields.append("status_before_clarification")
    if to == S.SUBMITTED:
        locked.submitted_at = now
        fields.append("submitted_at")
    if to in FINAL:
        locked.closed_at = now
        fields.append("closed_at")
    elif current in FINAL:
        locked.closed_at = None
        fields.append("closed_at")
    locked.save(update_fields=fields)
    step = QuestionTransition.objects.create(
        question=locked,
        actor=actor,
        from_status=current,
        to_status=to,
        reason=reason[:500],
        created_at=now,
    )
    # Keep the caller's instance current too.
    question.status, question.last_activity_at = locked.status, locked.last_activity_at
    question.submitted_at, question.closed_at = locked.submitted_at, locked.closed_at
    question.status_before_clarification = locked.status_before_clarification
    locked.last_step = step
    return locked
