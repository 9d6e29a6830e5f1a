"""The triage worker decides alone: triage_answer, triage_ask_clarification (and the queue
order after the reply) and triage_sharpen (the earlier version kept for the generalist)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consultation import services as consultation
from consultation.models import (
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionRevision,
    QuestionTransition,
    Status,
)
from tests.expertise.factories import ExpertProfileFactory
from tests.triage.factories import at, backdate
from tests.triage.services.helpers import K, claimed, history, notified, pks
from triage import services
from triage.models import TriageClaim, TriageDecision
from triage.selectors import queue_for

pytestmark = pytest.mark.django_db


# --- Answer directly -----------------------------------------------------------------------------
def test_answer_directly(tri):
    ExpertProfileFactory(user=tri.worker, job_title="gedragswetenschapper")
    question = claimed(tri)

    message = services.triage_answer(
        worker=tri.worker, question=question, body="Bel de verhuurder.", reason="eenvoudig"
    )

    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    assert (message.kind, message.author, message.body) == (
        Message.Kind.ADVICE,
        tri.worker,
        "Bel de verhuurder.",
    )
    assert message.author_discipline == "gedragswetenschapper"
    decision = TriageDecision.objects.get(question=question)
    assert (decision.kind, decision.worker, decision.reason) == (
        TriageDecision.Kind.ANSWER,
        tri.worker,
        "eenvoudig",
    )
    step = QuestionTransition.objects.filter(question=question).last()
    assert (step.from_status, step.to_status, step.actor) == (
        Status.IN_TRIAGE,
        Status.ANSWERED,
        tri.worker,
    )
    assert step.reason == "eenvoudig"
    assert not TriageClaim.objects.filter(question=question).exists()
    assert notified(question, K.NEW_ADVICE) == pks(tri.generalist)
    assert queue_for(user=tri.worker) == []

    # The generalist can go on: close with the close-out, rating the triage worker's advice.
    consultation.question_close(
        actor=tri.generalist,
        question=question,
        direction=CloseOut.Direction.CONFIRMED,
        escalation=CloseOut.Escalation.AVOIDED,
        ratings={message.pk: 5},
    )
    question.refresh_from_db()
    assert question.status == Status.CLOSED


def test_a_triage_worker_without_an_expert_profile_signs_as_triage_worker(tri):
    question = claimed(tri)
    with translation.override("en"):
        message = services.triage_answer(worker=tri.worker, question=question, body="Advies.")
    assert message.author_discipline == "triage worker"


# --- Clarification and the queue order -------------------------------------------------------
def test_clarification_returns_the_question_to_its_original_place_in_the_queue(tri):
    first = tri.ask(title="Eerste")
    second = tri.ask(title="Tweede")
    third = tri.ask(title="Derde")
    urgent = tri.ask(title="Spoed", urgency=Question.Urgency.URGENT)
    backdate(first, at_moment=at(2026, 3, 2, 9))
    backdate(second, at_moment=at(2026, 3, 3, 9))
    backdate(third, at_moment=at(2026, 3, 4, 9))
    backdate(urgent, at_moment=at(2026, 3, 5, 9))  # the newest, but urgent
    order = [urgent.pk, first.pk, second.pk, third.pk]
    assert [q.pk for q in queue_for(user=tri.worker)] == order

    services.triage_claim(worker=tri.worker, question=second)
    message = services.triage_ask_clarification(
        worker=tri.worker, question=second, body="Is er al contact met de verhuurder?"
    )

    second.refresh_from_db()
    assert second.status == Status.NEEDS_CLARIFICATION
    assert second.status_before_clarification == Status.IN_TRIAGE
    assert (message.kind, message.author) == (Message.Kind.CLARIFICATION_REQUEST, tri.worker)
    assert TriageDecision.objects.get(question=second).kind == TriageDecision.Kind.CLARIFY
    assert not TriageClaim.objects.filter(question=second).exists()
    assert notified(second, K.CLARIFICATION_REQUESTED) == pks(tri.generalist)
    assert [q.pk for q in queue_for(user=tri.worker)] == [urgent.pk, first.pk, third.pk]
    # A question the generalist must answer cannot be claimed meanwhile.
    with pytest.raises(ValidationError):
        services.triage_claim(worker=tri.second_worker, question=second)

    reply = consultation.question_reply(
        actor=tri.generalist, question=second, body="Ja, de verhuurder wacht op een plan."
    )

    second.refresh_from_db()
    assert second.status == Status.IN_TRIAGE
    assert second.status_before_clarification == ""
    assert second.submitted_at == at(2026, 3, 3, 9)
    assert reply.kind == Message.Kind.REPLY
    assert history(second)[-2:] == [
        (Status.IN_TRIAGE, Status.NEEDS_CLARIFICATION),
        (Status.NEEDS_CLARIFICATION, Status.IN_TRIAGE),
    ]
    # The triage worker who asked hears the answer.
    assert notified(second, K.REPLY) == pks(tri.worker)
    assert [q.pk for q in queue_for(user=tri.worker)] == order


# --- Sharpen -------------------------------------------------------------------------------------
def test_sharpen_keeps_the_earlier_version_for_the_generalist(tri):
    question = claimed(tri)
    original = question.title

    services.triage_sharpen(
        worker=tri.worker,
        question=question,
        title="  Ontruiming voorkomen bij huurachterstand  ",
        summary="Vier maanden achterstand; wat kan schuldhulp nu nog doen?",
        reason="voor de experts",
    )

    question.refresh_from_db()
    assert question.title == "Ontruiming voorkomen bij huurachterstand"
    assert question.summary == "Vier maanden achterstand; wat kan schuldhulp nu nog doen?"
    assert question.status == Status.IN_TRIAGE  # sharpening is not a move
    revision = QuestionRevision.objects.get(question=question)
    assert (revision.title, revision.summary, revision.revised_by) == (original, "", tri.worker)
    assert notified(question, K.SHARPENED) == pks(tri.generalist)
    assert TriageDecision.objects.get(question=question).kind == TriageDecision.Kind.SHARPEN
    # The worker still holds it, to assign next.
    assert TriageClaim.objects.get(question=question).worker == tri.worker

    services.triage_sharpen(worker=tri.worker, question=question, title="Derde", summary="Kort")
    assert list(question.revisions.values_list("title", flat=True)) == [
        "Ontruiming voorkomen bij huurachterstand",
        original,
    ]
    assert len(notified(question, K.SHARPENED)) == 1  # one recipient, two events
    assert Notification.objects.filter(question=question, kind=K.SHARPENED).count() == 4

    with pytest.raises(ValidationError):
        services.triage_sharpen(worker=tri.worker, question=question, title="  ", summary="x")
    question.refresh_from_db()
    assert question.title == "Derde"
    assert question.revisions.count() == 2
