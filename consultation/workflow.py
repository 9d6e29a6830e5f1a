"""The question life cycle: one state machine, declared and enforced here only (DESIGN §3).

    draft → submitted → (in_triage) → open | assigned | scheduled → answered → closed
    with needs_clarification (back to the generalist) and withdrawn / redirected as side exits.

This module is the only code that writes `Question.status`, `status_before_clarification` or
the question's history (QuestionTransition). Every move the services make is in MOVES, with who
makes it; every status group the rest of the code asks about ("can experts still advise?") is
defined below, once.

Writes get their row from `lock()` (through consultation.access.question_for_update, which
also scopes and authorises): `transition()` takes that locked row, changes it in place and
returns it; it never locks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import Question, QuestionTransition, Reason, Status
from consultation.signals import question_moved

if TYPE_CHECKING:
    from accounts.models import User

S = Status


class By(StrEnum):
    """Who makes a move."""

    TEAM = "team"  # the asking district team
    EXPERT = "expert"
    TRIAGE = "triage"
    SYSTEM = "system"  # routing on submission
    SESSION = "session"  # a multidisciplinary session (the sessions issue)


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    by: By


MOVES: tuple[Move, ...] = (
    # The asking team sends its draft, or drops it.
    Move(S.DRAFT, S.SUBMITTED, By.TEAM),
    Move(S.DRAFT, S.WITHDRAWN, By.TEAM),
    # Routing right after submission, by the pool's collaboration model (ROUTE_BY_MODEL).
    Move(S.SUBMITTED, S.OPEN, By.SYSTEM),
    Move(S.SUBMITTED, S.IN_TRIAGE, By.SYSTEM),
    Move(S.SUBMITTED, S.SCHEDULED, By.SYSTEM),
    Move(S.SUBMITTED, S.WITHDRAWN, By.TEAM),
    # Triage decides (triage.services).
    Move(S.IN_TRIAGE, S.ANSWERED, By.TRIAGE),
    Move(S.IN_TRIAGE, S.ASSIGNED, By.TRIAGE),
    Move(S.IN_TRIAGE, S.SCHEDULED, By.TRIAGE),
    Move(S.IN_TRIAGE, S.REDIRECTED, By.TRIAGE),
    Move(S.IN_TRIAGE, S.NEEDS_CLARIFICATION, By.TRIAGE),
    Move(S.IN_TRIAGE, S.WITHDRAWN, By.TEAM),
    # Experts work on it.
    Move(S.OPEN, S.ASSIGNED, By.TRIAGE),
    Move(S.OPEN, S.ANSWERED, By.EXPERT),
    Move(S.OPEN, S.NEEDS_CLARIFICATION, By.EXPERT),
    Move(S.OPEN, S.CLOSED, By.TEAM),
    Move(S.OPEN, S.WITHDRAWN, By.TEAM),
    Move(S.ASSIGNED, S.ANSWERED, By.EXPERT),
    Move(S.ASSIGNED, S.NEEDS_CLARIFICATION, By.EXPERT),
    Move(S.ASSIGNED, S.CLOSED, By.TEAM),
    Move(S.ASSIGNED, S.WITHDRAWN, By.TEAM),
    # The last assigned expert declines: back to the triage queue.
    Move(S.ASSIGNED, S.IN_TRIAGE, By.EXPERT),
    Move(S.SCHEDULED, S.ANSWERED, By.EXPERT),
    Move(S.SCHEDULED, S.NEEDS_CLARIFICATION, By.EXPERT),
    Move(S.SCHEDULED, S.CLOSED, By.TEAM),
    Move(S.SCHEDULED, S.WITHDRAWN, By.TEAM),
    # The sessions issue: a session's outcome answers the question; a question taken off the
    # agenda of a triage pool returns to the queue.
    Move(S.SCHEDULED, S.IN_TRIAGE, By.SESSION),
    Move(S.ANSWERED, S.NEEDS_CLARIFICATION, By.EXPERT),
    Move(S.ANSWERED, S.CLOSED, By.TEAM),
    # The generalist's reply returns the question to where it was (status_before_clarification).
    Move(S.NEEDS_CLARIFICATION, S.IN_TRIAGE, By.TEAM),
    Move(S.NEEDS_CLARIFICATION, S.OPEN, By.TEAM),
    Move(S.NEEDS_CLARIFICATION, S.ASSIGNED, By.TEAM),
    Move(S.NEEDS_CLARIFICATION, S.SCHEDULED, By.TEAM),
    Move(S.NEEDS_CLARIFICATION, S.ANSWERED, By.TEAM),
    Move(S.NEEDS_CLARIFICATION, S.CLOSED, By.TEAM),
    Move(S.NEEDS_CLARIFICATION, S.WITHDRAWN, By.TEAM),
    # Reopening after close-out: answered when there was advice, else open again.
    Move(S.CLOSED, S.ANSWERED, By.TEAM),
    Move(S.CLOSED, S.OPEN, By.TEAM),
)

TRANSITIONS: dict[str, set[str]] = {status: set() for status in Status.values}
for _move in MOVES:
    TRANSITIONS[_move.source].add(_move.target)

# --- Status groups: every question the code asks about a status is answered here --------------
# Experts can still add advice.
ADVISABLE = frozenset({S.OPEN, S.ASSIGNED, S.SCHEDULED, S.ANSWERED, S.NEEDS_CLARIFICATION})
# The asking team can close with the close-out form.
CLOSABLE = ADVISABLE
# Nothing happens any more (reopening a closed question aside).
FINAL = frozenset({S.CLOSED, S.WITHDRAWN, S.REDIRECTED})
# The thread takes messages (replies, follow-ups, attachments).
OPEN_FOR_MESSAGES = frozenset(set(Status.values) - FINAL - {S.DRAFT})
# Where an expert of a network pool finds it in the inbox without being assigned.
OPEN_TO_NETWORK = frozenset({S.OPEN, S.ANSWERED, S.NEEDS_CLARIFICATION})
# The first advice is still awaited: the advice clock runs (triage pools).
AWAITING_ADVICE = frozenset({S.IN_TRIAGE, S.ASSIGNED, S.SCHEDULED, S.OPEN, S.NEEDS_CLARIFICATION})
# Counts as work in hand for the experts on it (suggesting whom to assign).
EXPERT_WORKLOAD = frozenset({S.ASSIGNED, S.OPEN, S.ANSWERED, S.NEEDS_CLARIFICATION, S.SCHEDULED})
# Advice moves the question to answered from these.
ANSWERED_BY_ADVICE = frozenset({S.OPEN, S.ASSIGNED, S.SCHEDULED})
# Not final: what the team lead's overview lists.
NOT_FINAL = frozenset(set(Status.values) - FINAL)
# Whose move it is while a question is not final ("waiting for", the team lead's overview): the
# team sends its draft, answers the clarification request, reads the advice and closes; triage
# decides; the experts (the pool, the assigned expert, the session) advise.
WAITING_FOR_TEAM = frozenset({S.DRAFT, S.NEEDS_CLARIFICATION, S.ANSWERED})
WAITING_FOR_TRIAGE = frozenset({S.IN_TRIAGE})
WAITING_FOR_EXPERTS = frozenset(NOT_FINAL - WAITING_FOR_TEAM - WAITING_FOR_TRIAGE)
WAITING_FOR = {
    By.TEAM: WAITING_FOR_TEAM,
    By.TRIAGE: WAITING_FOR_TRIAGE,
    By.EXPERT: WAITING_FOR_EXPERTS,
}


def waiting_for(status: str) -> By | None:
    """Whom a question in `status` waits for; None when it is final."""
    return next((by for by, group in WAITING_FOR.items() if status in group), None)


class TransitionNotAllowed(ValidationError):
    """A move the table does not hold. A ValidationError, so forms and the API show it as
    the clear message it is (one mapping for every domain error)."""

    def __init__(self, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(
            _("A question that is %(current)s cannot become %(target)s.")
            % {"current": Status(current).label, "target": Status(target).label}
        )


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def lock(queryset: QuerySet[Question], *, pk: int) -> Question | None:
    """The row lock every write of a question goes through (consultation.access calls it).
    Marks the instance, so transition() can tell."""
    if not connection.in_atomic_block:
        raise RuntimeError("a question is locked inside transaction.atomic only")
    question = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if question is not None:
        question._locked_for_update = True  # type: ignore[attr-defined]
    return question


def _require_locked(question: Question) -> None:
    if not getattr(question, "_locked_for_update", False):
        raise RuntimeError("workflow writes take the row from question_for_update() / lock()")


REASON_MAX_LENGTH = 500  # QuestionTransition.reason's max_length (a test keeps them equal)


def check_reason(reason: str) -> None:
    """A reason a person typed that is longer than the history keeps is refused, never cut
    short or dropped while the step happens anyway (issue 13): the caller shows it as the
    reason field's error. Services call it before anything changes."""
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to at most %(limit)d characters (it has %(count)d).")
                % {"limit": REASON_MAX_LENGTH, "count": len(reason)}
            }
        )


def _history(
    question: Question, *, actor: User | None, source: str, target: str, code: str, reason: str
) -> QuestionTransition:
    return QuestionTransition.objects.create(
        question=question,
        actor=actor,
        from_status=source,
        to_status=target,
        reason_code=code,
        # A person's own reason is checked before anything changes (check_reason, in the
        # services that take one); what is cut here is a composed text (a reason plus the
        # experts' names, triage.services.triage_assign).
        reason=reason[:REASON_MAX_LENGTH],
        created_at=question.last_activity_at,
    )


def start(*, question: Question, actor: User) -> QuestionTransition:
    """The first history entry of a new draft."""
    return _history(
        question,
        actor=actor,
        source="",
        target=S.DRAFT,
        code=Reason.DRAFT_SAVED,
        reason="",
    )


def transition(
    *, question: Question, to: str, actor: User | None, code: str = "", reason: str = ""
) -> QuestionTransition:
    """Move the locked `question` to `to` and record it in the history (who, from, to, why).

    `question` must come from lock() / question_for_update(): the check runs on that row, which
    this function changes in place. Returns the history entry."""
    _require_locked(question)
    current = question.status
    if not can_transition(current, to):
        raise TransitionNotAllowed(current, to)
    now = timezone.now()
    question.status = to
    question.last_activity_at = now
    fields = ["status", "last_activity_at"]
    if to == S.NEEDS_CLARIFICATION:
        question.status_before_clarification = current
        fields.append("status_before_clarification")
    if current == S.NEEDS_CLARIFICATION:
        question.status_before_clarification = ""
        fields.append("status_before_clarification")
    if to == S.SUBMITTED:
        question.submitted_at = now
        fields.append("submitted_at")
    if to in FINAL:
        question.closed_at = now
        fields.append("closed_at")
    elif current in FINAL:
        question.closed_at = None
        fields.append("closed_at")
    question.save(update_fields=fields)
    entry = _history(question, actor=actor, source=current, target=to, code=code, reason=reason)
    question_moved.send(sender=Question, question=question, source=current, target=to, actor=actor)
    return entry


def record(
    *, question: Question, actor: User | None, code: str, reason: str = ""
) -> QuestionTransition:
    """A history entry without a status change (a triage worker sharpened the question)."""
    _require_locked(question)
    question.last_activity_at = timezone.now()
    question.save(update_fields=["last_activity_at"])
    return _history(
        question,
        actor=actor,
        source=question.status,
        target=question.status,
        code=code,
        reason=reason,
    )


def set_return_status(*, question: Question, status: str) -> None:
    """While the team is asked for clarification, change where its reply will take the
    question (another expert advised meanwhile; the last assigned expert declined)."""
    _require_locked(question)
    if question.status != S.NEEDS_CLARIFICATION or not can_transition(question.status, status):
        raise TransitionNotAllowed(question.status, status)
    question.status_before_clarification = status
    question.last_activity_at = timezone.now()
    question.save(update_fields=["status_before_clarification", "last_activity_at"])


def touch(question: Question) -> None:
    """Activity without a status change (a follow-up, a document): lists show it as news."""
    question.last_activity_at = timezone.now()
    Question.objects.filter(pk=question.pk).update(last_activity_at=question.last_activity_at)
