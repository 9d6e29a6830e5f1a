"""The one state machine (consultation.workflow): every allowed move works and is recorded, every
other move is refused and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from consultation import workflow
from consultation.models import Question, QuestionTransition, Status
from consultation.workflow import FINAL, TRANSITIONS, TransitionNotAllowed, can_transition
from tests.consultation.factories import QuestionFactory
from tests.wijkteam.factories import CaseFactory

ALLOWED = sorted(
    (current, target) for current, targets in TRANSITIONS.items() for target in targets
)
DISALLOWED = sorted(
    (current, target)
    for current in Status.values
    for target in Status.values
    if target not in TRANSITIONS.get(current, set())
)
LONG_AGO = timezone.now() - timedelta(days=3)


@pytest.fixture
def generalist(make_user):
    return make_user(Role.GENERALIST)


@pytest.fixture
def question(org, generalist):
    case = CaseFactory(resident__team=org["team"], owner=generalist)
    return QuestionFactory(case=case, pool=org["pool"], asked_by=generalist)


def locked(question: Question) -> Question:
    """The row as a write gets it (consultation.access.question_for_update locks through this)."""
    row = workflow.lock(Question.objects.all(), pk=question.pk)
    assert row is not None
    return row


def put_in(question: Question, status: str, *, before_clarification: str = "") -> Question:
    """Bring a question into `status` as if it got there earlier (bypassing the machine), and
    return it locked, as a write would hold it."""
    fields = {
        "status": status,
        "status_before_clarification": before_clarification,
        "submitted_at": None if status == Status.DRAFT else LONG_AGO,
        "closed_at": LONG_AGO if status in FINAL else None,
        "last_activity_at": LONG_AGO,
    }
    Question.objects.filter(pk=question.pk).update(**fields)
    return locked(question)


def test_the_table_covers_every_status():
    assert set(TRANSITIONS) == set(Status.values)
    assert all(targets <= set(Status.values) for targets in TRANSITIONS.values())
    # The side exits are final: nothing leaves them (reopening is only from closed).
    assert TRANSITIONS[Status.WITHDRAWN] == set()
    assert TRANSITIONS[Status.REDIRECTED] == set()


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_works_and_is_recorded(question, generalist, current, target):
    before = Status.ANSWERED if current == Status.NEEDS_CLARIFICATION else ""
    row = put_in(question, current, before_clarification=before)
    started = timezone.now()

    step = workflow.transition(question=row, to=target, actor=generalist, reason="omdat het kan")

    stored = Question.objects.get(pk=question.pk)
    assert stored.status == target
    assert row.status == target  # the locked row is changed in place, nothing is copied back
    assert stored.last_activity_at >= started
    history = list(QuestionTransition.objects.filter(question=question))
    assert history == [step]
    entry = history[0]
    assert (entry.actor, entry.from_status, entry.to_status, entry.reason) == (
        generalist,
        current,
        target,
        "omdat het kan",
    )
    assert entry.created_at >= started


@pytest.mark.parametrize(("current", "target"), DISALLOWED)
def test_disallowed_transitions_are_refused_and_change_nothing(
    question, generalist, current, target
):
    row = put_in(question, current)
    before = Question.objects.filter(pk=question.pk).values().get()

    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition(question=row, to=target, actor=generalist, reason="mag niet")

    assert (refused.value.current, refused.value.target) == (current, target)
    assert Question.objects.filter(pk=question.pk).values().get() == before
    assert row.status == current
    assert not QuestionTransition.objects.filter(question=question).exists()


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.DRAFT, Status.OPEN),  # skipping submission
        (Status.DRAFT, Status.ANSWERED),
        (Status.OPEN, Status.DRAFT),
        (Status.CLOSED, Status.WITHDRAWN),
        (Status.WITHDRAWN, Status.OPEN),
        (Status.REDIRECTED, Status.OPEN),
        (Status.ANSWERED, Status.OPEN),
        (Status.IN_TRIAGE, Status.CLOSED),
    ],
)
def test_a_sample_of_moves_the_life_cycle_forbids(current, target):
    assert not can_transition(current, target)
    assert (current, target) in DISALLOWED


def test_the_refusal_message_names_both_states():
    message = str(TransitionNotAllowed(Status.WITHDRAWN, Status.OPEN))
    assert str(Status.WITHDRAWN.label) in message
    assert str(Status.OPEN.label) in message


def test_reason_is_cut_to_the_column_length(question, generalist):
    workflow.transition(
        question=locked(question), to=Status.SUBMITTED, actor=generalist, reason="x" * 900
    )
    assert QuestionTransition.objects.get(question=question).reason == "x" * 500


def test_actor_may_be_the_system(question):
    workflow.transition(question=locked(question), to=Status.SUBMITTED, actor=None)
    assert QuestionTransition.objects.get(question=question).actor is None


# --- Clarification -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "current", [Status.IN_TRIAGE, Status.OPEN, Status.ASSIGNED, Status.SCHEDULED, Status.ANSWERED]
)
def test_needs_clarification_remembers_where_the_question_was(question, generalist, current):
    row = put_in(question, current)

    workflow.transition(question=row, to=Status.NEEDS_CLARIFICATION, actor=generalist)

    stored = Question.objects.get(pk=question.pk)
    assert stored.status == Status.NEEDS_CLARIFICATION
    assert stored.status_before_clarification == current
    assert row.status_before_clarification == current


@pytest.mark.parametrize(
    "target", [Status.OPEN, Status.ANSWERED, Status.CLOSED, Status.WITHDRAWN, Status.IN_TRIAGE]
)
def test_leaving_needs_clarification_clears_the_memory(question, generalist, target):
    row = put_in(question, Status.NEEDS_CLARIFICATION, before_clarification=Status.OPEN)

    workflow.transition(question=row, to=target, actor=generalist)

    stored = Question.objects.get(pk=question.pk)
    assert stored.status == target
    assert stored.status_before_clarification == ""


def test_other_moves_leave_status_before_clarification_alone(question, generalist):
    row = put_in(question, Status.OPEN)
    workflow.transition(question=row, to=Status.ANSWERED, actor=generalist)
    assert Question.objects.get(pk=question.pk).status_before_clarification == ""


# --- Timestamps ----------------------------------------------------------------------------------
def test_submission_sets_submitted_at(question, generalist):
    assert question.submitted_at is None
    started = timezone.now()
    row = locked(question)

    workflow.transition(question=row, to=Status.SUBMITTED, actor=generalist)

    stored = Question.objects.get(pk=question.pk)
    assert stored.submitted_at is not None and stored.submitted_at >= started
    assert row.submitted_at == stored.submitted_at
    assert stored.closed_at is None


def test_routing_after_submission_keeps_submitted_at(question, generalist):
    row = locked(question)
    workflow.transition(question=row, to=Status.SUBMITTED, actor=generalist)
    submitted_at = Question.objects.get(pk=question.pk).submitted_at

    workflow.transition(question=row, to=Status.OPEN, actor=None)

    assert Question.objects.get(pk=question.pk).submitted_at == submitted_at


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.ANSWERED, Status.CLOSED),
        (Status.OPEN, Status.WITHDRAWN),
        (Status.DRAFT, Status.WITHDRAWN),
        (Status.NEEDS_CLARIFICATION, Status.CLOSED),
    ],
)
def test_final_states_set_closed_at(question, generalist, current, target):
    row = put_in(question, current)
    started = timezone.now()

    workflow.transition(question=row, to=target, actor=generalist)

    stored = Question.objects.get(pk=question.pk)
    assert stored.closed_at is not None and stored.closed_at >= started
    assert row.closed_at == stored.closed_at


@pytest.mark.parametrize("target", [Status.ANSWERED, Status.OPEN])
def test_reopening_clears_closed_at(question, generalist, target):
    row = put_in(question, Status.CLOSED)
    assert row.closed_at is not None

    workflow.transition(question=row, to=target, actor=generalist, reason="heropend")

    stored = Question.objects.get(pk=question.pk)
    assert stored.status == target
    assert stored.closed_at is None
    assert row.closed_at is None
    assert stored.submitted_at == LONG_AGO  # reopening is not a new submission


def test_non_final_moves_leave_closed_at_empty(question, generalist):
    row = put_in(question, Status.SUBMITTED)
    workflow.transition(question=row, to=Status.OPEN, actor=generalist)
    workflow.transition(question=row, to=Status.ANSWERED, actor=generalist)
    assert Question.objects.get(pk=question.pk).closed_at is None


def test_a_stale_instance_is_checked_against_the_database(question, generalist):
    """The check runs on the locked row, not on what the caller happens to hold."""
    stale = Question.objects.get(pk=question.pk)  # still a draft in memory
    put_in(question, Status.WITHDRAWN)

    with pytest.raises(TransitionNotAllowed):
        workflow.transition(question=locked(stale), to=Status.SUBMITTED, actor=generalist)
    assert Question.objects.get(pk=question.pk).status == Status.WITHDRAWN


def test_a_row_that_was_not_locked_is_refused(question, generalist):
    """transition() never locks on its own: it takes the row question_for_update() locked."""
    with pytest.raises(RuntimeError):
        workflow.transition(question=question, to=Status.SUBMITTED, actor=generalist)
    assert Question.objects.get(pk=question.pk).status == Status.DRAFT
    assert not QuestionTransition.objects.filter(question=question).exists()


def test_a_full_journey_is_recorded_in_order(question, generalist):
    route = [
        Status.SUBMITTED,
        Status.OPEN,
        Status.NEEDS_CLARIFICATION,
        Status.OPEN,
        Status.ANSWERED,
        Status.CLOSED,
        Status.ANSWERED,
        Status.CLOSED,
    ]
    row = locked(question)
    for target in route:
        workflow.transition(question=row, to=target, actor=generalist)

    history = list(
        QuestionTransition.objects.filter(question=question).values_list("from_status", "to_status")
    )
    assert history == list(zip([Status.DRAFT, *route[:-1]], route, strict=True))
