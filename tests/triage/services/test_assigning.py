"""triage_assign to experts of the pool; the assignees accept, decline (assignment_accept,
assignment_decline) or advise, and the last decline returns the question to the queue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.shortcuts import get_perms

from consultation import services as consultation
from consultation.models import CloseOut, Notification, QuestionExpert, QuestionTransition, Status
from tests.triage.factories import expert_in
from tests.triage.services.helpers import IN_APP, K, claimed, notified, pks, visible
from triage import services
from triage.models import TriageClaim, TriageDecision
from triage.selectors import queue_for

pytestmark = pytest.mark.django_db


# --- Assign, accept, decline, advise -------------------------------------------------------------
def test_assign_to_two_experts_of_the_pool(tri):
    question = claimed(tri)
    assert not visible(tri.expert, question)

    links = services.triage_assign(
        worker=tri.worker,
        question=question,
        experts=[tri.expert, tri.second_expert],
        reason="financiële expertise nodig",
    )

    question.refresh_from_db()
    assert question.status == Status.ASSIGNED
    assert {(link.expert_id, link.kind) for link in links} == {
        (tri.expert.pk, QuestionExpert.Kind.ASSIGNED),
        (tri.second_expert.pk, QuestionExpert.Kind.ASSIGNED),
    }
    for expert in (tri.expert, tri.second_expert):
        assert set(get_perms(expert, question)) >= {"view_question", "advise_question"}
        assert visible(expert, question)
    assert get_perms(tri.unassigned_expert, question) == []
    assert not visible(tri.unassigned_expert, question)
    assert not visible(tri.foreign_expert, question)
    assert notified(question, K.ASSIGNED) == pks(tri.expert, tri.second_expert)
    decision = TriageDecision.objects.get(question=question)
    assert (decision.kind, decision.reason) == (
        TriageDecision.Kind.ASSIGN,
        "financiële expertise nodig",
    )
    step = QuestionTransition.objects.filter(question=question).last()
    assert (step.from_status, step.to_status) == (Status.IN_TRIAGE, Status.ASSIGNED)
    assert tri.expert.get_full_name() in step.reason
    assert tri.second_expert.get_full_name() in step.reason
    assert not TriageClaim.objects.filter(question=question).exists()
    assert queue_for(user=tri.worker) == []


def test_only_experts_of_the_pool_can_be_assigned(tri):
    question = claimed(tri)
    with pytest.raises(ValidationError):
        services.triage_assign(
            worker=tri.worker, question=question, experts=[tri.expert, tri.foreign_expert]
        )
    with pytest.raises(ValidationError):
        services.triage_assign(worker=tri.worker, question=question, experts=[tri.generalist])
    with pytest.raises(ValidationError):
        services.triage_assign(worker=tri.worker, question=question, experts=[])
    inactive = expert_in([tri.pool], domains=["financien"], is_active=False)
    with pytest.raises(ValidationError):
        services.triage_assign(worker=tri.worker, question=question, experts=[inactive])

    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE
    assert not QuestionExpert.objects.exists()
    assert get_perms(tri.expert, question) == []
    assert get_perms(tri.foreign_expert, question) == []
    assert not Notification.objects.filter(kind=K.ASSIGNED).exists()
    assert TriageClaim.objects.get(question=question).worker == tri.worker


@pytest.fixture
def assigned(tri):
    question = claimed(tri)
    services.triage_assign(
        worker=tri.worker, question=question, experts=[tri.expert, tri.second_expert]
    )
    question.refresh_from_db()
    return question


def test_accept(tri, assigned):
    link = services.assignment_accept(expert=tri.expert, question=assigned)
    assert link.accepted_at is not None
    first = link.accepted_at
    assert services.assignment_accept(expert=tri.expert, question=assigned).accepted_at == first
    for stranger in (tri.unassigned_expert, tri.foreign_expert, tri.worker):
        with pytest.raises(PermissionDenied):
            services.assignment_accept(expert=stranger, question=assigned)


def test_decline_needs_a_reason(tri, assigned):
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            services.assignment_decline(expert=tri.expert, question=assigned, reason=reason)
    assert QuestionExpert.objects.get(question=assigned, expert=tri.expert).declined_at is None
    assert visible(tri.expert, assigned)
    with pytest.raises(PermissionDenied):
        services.assignment_decline(
            expert=tri.unassigned_expert, question=assigned, reason="niet de mijne"
        )


def test_one_declines_the_other_advises(tri, assigned):
    link = services.assignment_decline(
        expert=tri.expert, question=assigned, reason="Geen tijd deze maand."
    )

    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED  # the other is still on it
    assert link.declined_at is not None
    assert link.decline_reason == "Geen tijd deze maand."
    assert get_perms(tri.expert, assigned) == []
    assert not visible(tri.expert, assigned)
    assert visible(tri.second_expert, assigned)
    assert notified(assigned, K.DECLINED) == pks(tri.worker, tri.second_worker)
    assert queue_for(user=tri.worker) == []
    with pytest.raises(PermissionDenied):
        consultation.question_advise(actor=tri.expert, question=assigned, body="Toch advies.")
    with pytest.raises(PermissionDenied):  # declining twice
        services.assignment_decline(expert=tri.expert, question=assigned, reason="nogmaals")

    services.assignment_accept(expert=tri.second_expert, question=assigned)
    advice = consultation.question_advise(
        actor=tri.second_expert, question=assigned, body="Vraag een betalingsregeling aan."
    )

    assigned.refresh_from_db()
    assert assigned.status == Status.ANSWERED
    assert advice.author_discipline == "budgetcoach"
    assert notified(assigned, K.NEW_ADVICE) == pks(tri.generalist)
    consultation.question_close(
        actor=tri.generalist,
        question=assigned,
        direction=CloseOut.Direction.NEW_DIRECTION,
        escalation=CloseOut.Escalation.AVOIDED,
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.CLOSED


def test_when_the_last_assignee_declines_the_question_returns_to_the_queue(tri, assigned):
    services.assignment_decline(expert=tri.expert, question=assigned, reason="Geen tijd.")
    services.assignment_decline(
        expert=tri.second_expert, question=assigned, reason="Buiten mijn vakgebied."
    )

    assigned.refresh_from_db()
    assert assigned.status == Status.IN_TRIAGE
    step = QuestionTransition.objects.filter(question=assigned).last()
    assert (step.from_status, step.to_status, step.actor) == (
        Status.ASSIGNED,
        Status.IN_TRIAGE,
        tri.second_expert,
    )
    assert "Buiten mijn vakgebied." in step.reason
    assert not visible(tri.expert, assigned)
    assert not visible(tri.second_expert, assigned)
    assert notified(assigned, K.DECLINED) == pks(tri.worker, tri.second_worker)
    # Two declines, two notices each.
    assert (
        Notification.objects.filter(question=assigned, kind=K.DECLINED, channel=IN_APP).count() == 4
    )
    assert [q.pk for q in queue_for(user=tri.worker)] == [assigned.pk]

    # Back in the queue, it can be claimed and assigned again (also to a decliner).
    services.triage_claim(worker=tri.second_worker, question=assigned)
    services.triage_assign(worker=tri.second_worker, question=assigned, experts=[tri.expert])
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED
    link = QuestionExpert.objects.get(question=assigned, expert=tri.expert)
    assert (link.declined_at, link.decline_reason) == (None, "")
    assert visible(tri.expert, assigned)


def test_the_last_decline_during_clarification_still_returns_the_question_to_triage(tri, assigned):
    services.assignment_decline(expert=tri.expert, question=assigned, reason="Geen tijd.")
    consultation.question_request_clarification(
        actor=tri.second_expert, question=assigned, body="Hoe oud zijn de kinderen?"
    )
    services.assignment_decline(expert=tri.second_expert, question=assigned, reason="Toch niet.")
    consultation.question_reply(actor=tri.generalist, question=assigned, body="Vier en zes.")

    assigned.refresh_from_db()
    assert not QuestionExpert.objects.filter(question=assigned, declined_at__isnull=True).exists()
    assert assigned.status == Status.IN_TRIAGE
    assert [q.pk for q in queue_for(user=tri.worker)] == [assigned.pk]


def test_after_declines_the_reply_to_triage_clarification_goes_to_the_triage_worker(tri, assigned):
    services.assignment_decline(expert=tri.expert, question=assigned, reason="Geen tijd.")
    services.assignment_decline(expert=tri.second_expert, question=assigned, reason="Nee.")
    services.triage_claim(worker=tri.worker, question=assigned)
    services.triage_ask_clarification(worker=tri.worker, question=assigned, body="Leeftijden?")

    consultation.question_reply(actor=tri.generalist, question=assigned, body="Vier en zes.")

    assert notified(assigned, K.REPLY) == pks(tri.worker)
