"""question_close with feedback and ratings, question_reopen and question_withdraw."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from consultation import services
from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionTransition,
    Status,
)
from consultation.workflow import TransitionNotAllowed
from tests.consultation.services.helpers import draft, history, make_expert, notified
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory


# --- Close, reopen, withdraw ---------------------------------------------------------------------
@pytest.fixture
def advised(open_question, pool, money):
    """An open question with two advices and a clarification request."""
    first, second = make_expert(pool, domains=[money]), make_expert(pool, domains=[money])
    advice_1 = services.question_advise(actor=first, question=open_question, body="Eén.")
    advice_2 = services.question_advise(actor=second, question=open_question, body="Twee.")
    return open_question, advice_1, advice_2, (first, second)


def test_close_with_feedback_and_ratings(generalist, advised):
    question, advice_1, advice_2, experts = advised

    close_out = services.question_close(
        actor=generalist,
        question=question,
        direction=CloseOut.Direction.NEW_DIRECTION,
        escalation=CloseOut.Escalation.AVOIDED,
        comment="Heel bruikbaar.",
        ratings={advice_1.pk: 5, advice_2.pk: 1},
    )

    assert (close_out.closed_by, close_out.direction, close_out.escalation, close_out.comment) == (
        generalist,
        "new_direction",
        "avoided",
        "Heel bruikbaar.",
    )
    assert dict(close_out.ratings.values_list("message_id", "usefulness")) == {
        advice_1.pk: 5,
        advice_2.pk: 1,
    }
    stored = Question.objects.get(pk=question.pk)
    assert stored.status == Status.CLOSED and stored.closed_at is not None
    assert history(question)[-1] == (Status.ANSWERED, Status.CLOSED)
    assert notified(question, Notification.Kind.QUESTION_CLOSED) == {u.email for u in experts}


@pytest.mark.parametrize("score", [0, 6, -1])
def test_usefulness_is_one_to_five(generalist, advised, score):
    question, advice_1, _advice_2, _experts = advised
    with pytest.raises(ValidationError) as refused:
        services.question_close(
            actor=generalist,
            question=question,
            direction="confirmed",
            escalation="avoided",
            ratings={advice_1.pk: score},
        )
    assert "ratings" in refused.value.message_dict
    assert not CloseOut.objects.exists() and not AdviceRating.objects.exists()
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED


def test_only_advice_of_this_question_can_be_rated(generalist, advised, expert, case, pool, money):
    question, advice_1, _advice_2, _experts = advised
    services.question_request_clarification(actor=expert, question=question, body="Vraag?")
    services.question_reply(actor=generalist, question=question, body="Antwoord.")
    not_advice = question.messages.exclude(kind=Message.Kind.ADVICE)
    assert not_advice.count() == 2
    elsewhere = services.question_submit(
        actor=generalist, question=draft(actor=generalist, case=case, pool=pool, domains=[money])
    )
    foreign_advice = services.question_advise(actor=expert, question=elsewhere, body="Ander.")
    for message in [*not_advice, foreign_advice]:
        with pytest.raises(ValidationError):
            services.question_close(
                actor=generalist,
                question=question,
                direction="confirmed",
                escalation="avoided",
                ratings={advice_1.pk: 4, message.pk: 4},
            )
    assert not CloseOut.objects.exists()
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED


def test_only_the_asking_team_closes(org, advised, make_user):
    question, *_rest, experts = advised
    lead = make_user(Role.TEAM_LEAD)
    other_team = TeamMembershipFactory(team=DistrictTeamFactory()).user
    for actor in (*experts, other_team, make_user(Role.TRIAGE), make_user(Role.MUNICIPALITY_ADMIN)):
        with pytest.raises(PermissionDenied):
            services.question_close(
                actor=actor, question=question, direction="confirmed", escalation="avoided"
            )
    assert not CloseOut.objects.exists()
    services.question_close(
        actor=lead, question=question, direction="confirmed", escalation="not_considered"
    )
    assert Question.objects.get(pk=question.pk).status == Status.CLOSED


def test_a_draft_cannot_be_closed(generalist, case, pool):
    question = draft(actor=generalist, case=case, pool=pool)
    with pytest.raises(ValidationError):
        services.question_close(
            actor=generalist, question=question, direction="confirmed", escalation="avoided"
        )


def test_reopen_returns_to_answered_and_keeps_the_close_out(generalist, advised):
    question, *_rest = advised
    services.question_close(
        actor=generalist, question=question, direction="confirmed", escalation="avoided"
    )

    services.question_reopen(actor=generalist, question=question, reason="Nieuwe vraag")

    stored = Question.objects.get(pk=question.pk)
    assert (stored.status, stored.closed_at) == (Status.ANSWERED, None)
    assert history(question)[-1] == (Status.CLOSED, Status.ANSWERED)
    assert QuestionTransition.objects.filter(question=question).last().reason == "Nieuwe vraag"
    assert CloseOut.objects.filter(question=question).count() == 1


def test_reopen_without_advice_returns_to_open(generalist, open_question):
    services.question_close(
        actor=generalist, question=open_question, direction="confirmed", escalation="avoided"
    )
    services.question_reopen(actor=generalist, question=open_question, reason="")
    assert Question.objects.get(pk=open_question.pk).status == Status.OPEN


def test_reopen_only_closed_questions_and_only_by_the_team(generalist, open_question, expert):
    with pytest.raises(ValidationError):
        services.question_reopen(actor=generalist, question=open_question, reason="")
    services.question_close(
        actor=generalist, question=open_question, direction="confirmed", escalation="avoided"
    )
    with pytest.raises(PermissionDenied):
        services.question_reopen(actor=expert, question=open_question, reason="")
    assert Question.objects.get(pk=open_question.pk).status == Status.CLOSED


def test_withdraw(generalist, open_question, expert, case, pool):
    with pytest.raises(PermissionDenied):
        services.question_withdraw(actor=expert, question=open_question)

    services.question_withdraw(actor=generalist, question=open_question, reason="Opgelost")

    stored = Question.objects.get(pk=open_question.pk)
    assert stored.status == Status.WITHDRAWN and stored.closed_at is not None
    entry = QuestionTransition.objects.filter(question=open_question).last()
    assert (entry.actor, entry.from_status, entry.reason) == (generalist, Status.OPEN, "Opgelost")
    with pytest.raises(TransitionNotAllowed):
        services.question_withdraw(actor=generalist, question=open_question)
    a_draft = draft(actor=generalist, case=case, pool=pool)
    services.question_withdraw(actor=generalist, question=a_draft)
    assert Question.objects.get(pk=a_draft.pk).status == Status.WITHDRAWN
