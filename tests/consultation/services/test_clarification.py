"""Clarification requests, the team's replies and follow-ups (question_request_clarification,
question_reply)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultation import services
from consultation.models import Message, Notification, Question, QuestionTransition, Status
from consultation.services import PrivacyCheckRequired
from tests.consultation.services.helpers import draft, history, make_expert, notified


def test_clarification_goes_back_to_the_generalist_and_the_reply_returns_it(
    generalist, open_question, expert
):
    request = services.question_request_clarification(
        actor=expert, question=open_question, body="Hoe oud zijn de kinderen?"
    )

    assert request.kind == Message.Kind.CLARIFICATION_REQUEST
    assert request.author_discipline == "schuldhulpverlener"
    stored = Question.objects.get(pk=open_question.pk)
    assert stored.status == Status.NEEDS_CLARIFICATION
    assert stored.status_before_clarification == Status.OPEN
    assert notified(open_question, Notification.Kind.CLARIFICATION_REQUESTED) == {generalist.email}
    with pytest.raises(ValidationError):  # one open request at a time
        services.question_request_clarification(actor=expert, question=open_question, body="En?")

    reply = services.question_reply(
        actor=generalist, question=open_question, body="Zeven en twaalf jaar."
    )

    assert reply.kind == Message.Kind.REPLY
    stored = Question.objects.get(pk=open_question.pk)
    assert (stored.status, stored.status_before_clarification) == (Status.OPEN, "")
    assert history(open_question)[-2:] == [
        (Status.OPEN, Status.NEEDS_CLARIFICATION),
        (Status.NEEDS_CLARIFICATION, Status.OPEN),
    ]
    assert notified(open_question, Notification.Kind.REPLY) == {expert.email}


def test_clarification_after_advice_returns_to_answered(generalist, open_question, expert):
    services.question_advise(actor=expert, question=open_question, body="Advies.")
    services.question_request_clarification(actor=expert, question=open_question, body="Vraag?")
    assert Question.objects.get(pk=open_question.pk).status_before_clarification == (
        Status.ANSWERED
    )

    services.question_reply(actor=generalist, question=open_question, body="Antwoord.")

    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED


def test_advice_given_while_waiting_for_clarification_counts_after_the_reply(
    generalist, open_question, pool, money, expert
):
    services.question_request_clarification(actor=expert, question=open_question, body="Vraag?")
    other = make_expert(pool, domains=[money])
    services.question_advise(actor=other, question=open_question, body="Advies intussen.")

    services.question_reply(actor=generalist, question=open_question, body="Antwoord.")

    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED


def test_the_reply_passes_the_privacy_guard(generalist, case, open_question, expert):
    services.question_request_clarification(actor=expert, question=open_question, body="Wie?")

    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.question_reply(
            actor=generalist, question=open_question, body="Het gaat om zoe, geb. 7-3-2010."
        )
    assert {f.kind for f in blocked.value.findings["body"]} == {"name", "date_of_birth"}
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()
    assert Question.objects.get(pk=open_question.pk).status == Status.NEEDS_CLARIFICATION

    services.question_reply(
        actor=generalist,
        question=open_question,
        body="Het gaat om zoe, geb. 7-3-2010.",
        privacy_confirmed=True,
    )
    reason = (
        QuestionTransition.objects.filter(question=open_question).order_by("-pk").first().reason
    )
    assert "name" in reason and "date_of_birth" in reason
    assert "zoe" not in reason.casefold() and "2010" not in reason


def test_a_follow_up_keeps_the_status_and_tells_the_experts_on_it(
    generalist, open_question, expert
):
    services.question_pick_up(actor=expert, question=open_question)
    before = Question.objects.get(pk=open_question.pk).last_activity_at

    message = services.question_reply(
        actor=generalist, question=open_question, body="Update: de verhuurder wacht af."
    )

    assert message.kind == Message.Kind.FOLLOW_UP
    stored = Question.objects.get(pk=open_question.pk)
    assert stored.status == Status.OPEN
    assert stored.last_activity_at > before
    assert len(history(open_question)) == 3
    assert notified(open_question, Notification.Kind.FOLLOW_UP) == {expert.email}


def test_no_messages_on_drafts_or_closed_questions_and_not_by_experts(
    generalist, case, pool, open_question, expert
):
    with pytest.raises(ValidationError):
        services.question_reply(
            actor=generalist, question=draft(actor=generalist, case=case, pool=pool), body="x"
        )
    with pytest.raises(PermissionDenied):
        services.question_reply(actor=expert, question=open_question, body="x")
    services.question_withdraw(actor=generalist, question=open_question)
    with pytest.raises(ValidationError):
        services.question_reply(actor=generalist, question=open_question, body="x")
    assert not Message.objects.exists()
