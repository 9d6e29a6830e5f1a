"""Triage writes (issue 4, DESIGN §3): routing to the queue, claims, and every decision with its
reason in the history; assigned experts accept, decline or advise."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from guardian.shortcuts import get_perms

from consultation import services as consultation
from consultation.models import (
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionTransition,
    Status,
)
from consultation.selectors import questions_visible_to
from consultation.workflow import TransitionNotAllowed
from tests.consultation.factories import QuestionExpertFactory, QuestionFactory
from tests.expertise.factories import ExpertProfileFactory
from tests.triage.factories import at, backdate, expert_in
from tests.wijkteam.factories import CaseFactory, ResidentFactory
from triage import services
from triage.models import QuestionRevision, TriageClaim, TriageDecision
from triage.selectors import queue_for, suggest_experts

pytestmark = pytest.mark.django_db

IN_APP = Notification.Channel.IN_APP
K = Notification.Kind


def notified(question, kind, channel=IN_APP) -> set[int]:
    return set(
        Notification.objects.filter(question=question, kind=kind, channel=channel).values_list(
            "recipient_id", flat=True
        )
    )


def pks(*users) -> set[int]:
    return {u.pk for u in users}


def history(question) -> list[tuple[str, str]]:
    return list(
        QuestionTransition.objects.filter(question=question).values_list("from_status", "to_status")
    )


def visible(user, question) -> bool:
    return questions_visible_to(user=user).filter(pk=question.pk).exists()


def claimed(tri, question=None, worker=None):
    question = question or tri.ask()
    services.triage_claim(worker=worker or tri.worker, question=question)
    return question


# --- Into the queue ------------------------------------------------------------------------------
def test_a_submitted_question_lands_in_the_triage_queue_and_only_its_workers_hear(tri):
    draft = tri.ask(submit=False)
    assert draft.status == Status.DRAFT
    assert not Notification.objects.filter(question=draft).exists()

    question = consultation.question_submit(actor=tri.generalist, question=draft)

    assert question.status == Status.IN_TRIAGE
    assert history(question) == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_TRIAGE),
    ]
    expected = pks(tri.worker, tri.second_worker)
    assert notified(question, K.NEW_IN_QUEUE) == expected
    assert notified(question, K.NEW_IN_QUEUE, Notification.Channel.EMAIL) == expected
    # Nobody else: not the other pool's triage worker, not the pool's experts (the question
    # is not open to them before triage), not the generalist.
    everyone = Notification.objects.filter(question=question).values_list("recipient_id", flat=True)
    assert set(everyone) == expected
    assert [q.pk for q in queue_for(user=tri.worker)] == [question.pk]
    assert queue_for(user=tri.other_worker) == []


def test_a_triage_pool_question_is_not_open_to_its_experts_before_assignment(tri):
    question = tri.ask()
    for expert in (tri.expert, tri.second_expert, tri.unassigned_expert, tri.foreign_expert):
        assert not visible(expert, question)
    with pytest.raises(PermissionDenied):
        consultation.question_advise(actor=tri.expert, question=question, body="Mijn advies.")
    with pytest.raises(PermissionDenied):
        consultation.question_pick_up(actor=tri.expert, question=question)


# --- Claims --------------------------------------------------------------------------------------
def test_claim_and_someone_elses_live_claim_names_the_holder(tri):
    question = tri.ask()
    claim = services.triage_claim(worker=tri.worker, question=question)
    assert (claim.question_id, claim.worker_id) == (question.pk, tri.worker.pk)
    # Claiming again is harmless.
    assert services.triage_claim(worker=tri.worker, question=question).pk == claim.pk

    with pytest.raises(ValidationError) as error:
        services.triage_claim(worker=tri.second_worker, question=question)
    assert tri.worker.get_full_name() in " ".join(error.value.messages)
    assert TriageClaim.objects.get(question=question).worker == tri.worker


def test_an_idle_claim_can_be_taken_over_and_a_nearly_idle_one_cannot(tri):
    question = tri.ask()
    idle = tri.pool.claim_idle_minutes
    services.triage_claim(worker=tri.worker, question=question)

    TriageClaim.objects.filter(question=question).update(
        touched_at=timezone.now() - timedelta(minutes=idle - 1)
    )
    with pytest.raises(ValidationError):
        services.triage_claim(worker=tri.second_worker, question=question)

    TriageClaim.objects.filter(question=question).update(
        touched_at=timezone.now() - timedelta(minutes=idle + 1)
    )
    claim = services.triage_claim(worker=tri.second_worker, question=question)
    assert claim.worker == tri.second_worker
    assert TriageClaim.objects.filter(question=question).count() == 1
    # The former holder can no longer decide.
    with pytest.raises(ValidationError):
        services.triage_plan_session(worker=tri.worker, question=question, reason="MDO")


def test_the_idle_time_is_the_pools_setting(tri):
    tri.pool.claim_idle_minutes = 5
    tri.pool.save()
    question = tri.ask()
    services.triage_claim(worker=tri.worker, question=question)
    TriageClaim.objects.filter(question=question).update(
        touched_at=timezone.now() - timedelta(minutes=6)
    )
    assert services.triage_claim(worker=tri.second_worker, question=question).worker == (
        tri.second_worker
    )


def test_acting_on_a_question_keeps_the_claim_alive(tri):
    question = claimed(tri)
    long_ago = timezone.now() - timedelta(minutes=tri.pool.claim_idle_minutes - 1)
    TriageClaim.objects.filter(question=question).update(touched_at=long_ago)
    services.triage_sharpen(worker=tri.worker, question=question, title="Scherper", summary="")
    assert TriageClaim.objects.get(question=question).touched_at > long_ago + timedelta(seconds=30)


def test_release_returns_the_question_to_the_queue(tri):
    question = claimed(tri)
    # Someone else's release does not touch my claim.
    services.triage_release(worker=tri.second_worker, question=question)
    assert TriageClaim.objects.get(question=question).worker == tri.worker

    services.triage_release(worker=tri.worker, question=question)
    assert not TriageClaim.objects.filter(question=question).exists()
    assert services.triage_claim(worker=tri.second_worker, question=question).worker == (
        tri.second_worker
    )


def test_claiming_needs_the_pool_and_a_question_waiting_for_triage(tri):
    question = tri.ask()
    with pytest.raises(PermissionDenied):
        services.triage_claim(worker=tri.other_worker, question=question)
    for outsider in (tri.generalist, tri.expert, tri.team_lead):
        with pytest.raises(PermissionDenied):
            services.triage_claim(worker=outsider, question=question)
    with pytest.raises(PermissionDenied):
        services.triage_release(worker=tri.other_worker, question=question)

    consultation.question_withdraw(actor=tri.generalist, question=question)
    with pytest.raises(ValidationError):
        services.triage_claim(worker=tri.worker, question=question)
    assert not TriageClaim.objects.exists()


def test_claim_next_gives_the_most_urgent_then_the_longest_waiting(tri):
    normal_old = tri.ask(title="Oud")
    normal_new = tri.ask(title="Nieuw")
    urgent = tri.ask(title="Spoed", urgency=Question.Urgency.URGENT)
    backdate(normal_old, at_moment=at(2026, 3, 2, 9))
    backdate(normal_new, at_moment=at(2026, 3, 3, 9))
    backdate(urgent, at_moment=at(2026, 3, 4, 9))
    other = tri.ask(pool=tri.other_pool)

    got = [services.triage_claim_next(worker=tri.worker) for _ in range(4)]
    assert [q and q.pk for q in got] == [urgent.pk, normal_old.pk, normal_new.pk, None]
    assert set(TriageClaim.objects.values_list("question_id", "worker_id")) == {
        (urgent.pk, tri.worker.pk),
        (normal_old.pk, tri.worker.pk),
        (normal_new.pk, tri.worker.pk),
    }
    # The other pool's question is only for the other pool's worker.
    assert services.triage_claim_next(worker=tri.other_worker).pk == other.pk
    assert services.triage_claim_next(worker=tri.expert) is None


# --- Decisions need the claim ------------------------------------------------------------------
DECISIONS = {
    "answer": lambda tri, w, q: services.triage_answer(worker=w, question=q, body="Advies."),
    "clarify": lambda tri, w, q: services.triage_ask_clarification(
        worker=w, question=q, body="Wat is al geprobeerd?"
    ),
    "sharpen": lambda tri, w, q: services.triage_sharpen(
        worker=w, question=q, title="Scherpere titel", summary="Samenvatting"
    ),
    "assign": lambda tri, w, q: services.triage_assign(
        worker=w, question=q, experts=[tri.expert], reason="past"
    ),
    "session": lambda tri, w, q: services.triage_plan_session(worker=w, question=q, reason="MDO"),
    "redirect": lambda tri, w, q: services.triage_redirect(
        worker=w, question=q, target="gp", note="Terug naar de huisarts."
    ),
}


@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_a_decision_requires_holding_the_claim(tri, decision):
    question = tri.ask()
    title = question.title
    act = DECISIONS[decision]

    with pytest.raises(ValidationError):  # nobody holds it
        act(tri, tri.worker, question)
    services.triage_claim(worker=tri.second_worker, question=question)
    with pytest.raises(ValidationError):  # a colleague holds it
        act(tri, tri.worker, question)
    with pytest.raises(PermissionDenied):  # a triage worker of another pool
        act(tri, tri.other_worker, question)
    for outsider in (tri.generalist, tri.expert):
        with pytest.raises(PermissionDenied):
            act(tri, outsider, question)

    question.refresh_from_db()
    assert (question.status, question.title) == (Status.IN_TRIAGE, title)
    assert not TriageDecision.objects.exists()
    assert not QuestionExpert.objects.exists()
    assert not Message.objects.exists()
    # The holder can.
    act(tri, tri.second_worker, question)
    assert TriageDecision.objects.filter(
        question=question, worker=tri.second_worker, kind=decision
    ).exists()


def test_another_pools_worker_is_refused_even_with_a_claim_row(tri):
    question = tri.ask()
    TriageClaim.objects.create(question=question, worker=tri.other_worker)
    with pytest.raises(PermissionDenied):
        services.triage_answer(worker=tri.other_worker, question=question, body="Advies.")
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE


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


def test_decisions_on_a_question_withdrawn_while_claimed_are_refused_politely(tri):
    question = claimed(tri)
    title = question.title
    consultation.question_withdraw(actor=tri.generalist, question=question, reason="opgelost")

    outcomes = {}
    for name in sorted(DECISIONS):
        try:
            DECISIONS[name](tri, tri.worker, question)
        except ValidationError:
            outcomes[name] = "refused"
        except Exception as exc:  # noqa: BLE001 - anything else is the bug being shown
            outcomes[name] = type(exc).__name__
        else:
            outcomes[name] = "done"

    question.refresh_from_db()
    assert outcomes == dict.fromkeys(DECISIONS, "refused")
    assert (question.status, question.title) == (Status.WITHDRAWN, title)
    assert not Notification.objects.filter(question=question, kind=K.SHARPENED).exists()


# --- Plan a session, redirect --------------------------------------------------------------------
def test_plan_a_multidisciplinary_session(tri):
    question = claimed(tri)
    services.triage_plan_session(
        worker=tri.worker, question=question, reason="schulden, GGZ en jeugd samen"
    )
    question.refresh_from_db()
    assert question.status == Status.SCHEDULED
    decision = TriageDecision.objects.get(question=question)
    assert (decision.kind, decision.reason) == (
        TriageDecision.Kind.SESSION,
        "schulden, GGZ en jeugd samen",
    )
    step = QuestionTransition.objects.filter(question=question).last()
    assert (step.to_status, step.reason) == (Status.SCHEDULED, "schulden, GGZ en jeugd samen")
    assert not TriageClaim.objects.filter(question=question).exists()
    assert queue_for(user=tri.worker) == []


def test_redirect_needs_a_target_and_a_note_and_ends_the_question(tri):
    question = claimed(tri)
    for target, note in [("", "Een notitie."), ("elders", "Een notitie."), ("gp", "   ")]:
        with pytest.raises(ValidationError):
            services.triage_redirect(worker=tri.worker, question=question, target=target, note=note)
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE
    assert not Message.objects.filter(question=question).exists()

    services.triage_redirect(
        worker=tri.worker,
        question=question,
        target="regular_care",
        note="Dit kan het voorliggend veld oppakken.",
    )

    question.refresh_from_db()
    assert question.status == Status.REDIRECTED
    assert question.closed_at is not None
    note = Message.objects.get(question=question)
    assert (note.kind, note.author, note.body) == (
        Message.Kind.TRIAGE_NOTE,
        tri.worker,
        "Dit kan het voorliggend veld oppakken.",
    )
    decision = TriageDecision.objects.get(question=question)
    assert decision.kind == TriageDecision.Kind.REDIRECT
    assert "voorliggend veld" in decision.reason
    assert "voorliggend veld" in QuestionTransition.objects.filter(question=question).last().reason
    assert notified(question, K.REDIRECTED) == pks(tri.generalist)
    assert not TriageClaim.objects.filter(question=question).exists()
    # Final: out of the queue, no claims, no replies, no way back.
    assert queue_for(user=tri.worker) == []
    with pytest.raises(ValidationError):
        services.triage_claim(worker=tri.worker, question=question)
    with pytest.raises(ValidationError):
        consultation.question_reply(actor=tri.generalist, question=question, body="En nu?")
    with pytest.raises(ValidationError):
        consultation.question_reopen(actor=tri.generalist, question=question, reason="x")
    with pytest.raises(TransitionNotAllowed):
        consultation.question_withdraw(actor=tri.generalist, question=question)
    with pytest.raises(ValidationError):
        consultation.question_close(
            actor=tri.generalist,
            question=question,
            direction=CloseOut.Direction.CONFIRMED,
            escalation=CloseOut.Escalation.AVOIDED,
        )


# --- Suggestions ---------------------------------------------------------------------------------
def _busy(expert, pool, team, n):
    """Give `expert` n open assigned questions elsewhere in the pool."""
    for _ in range(n):
        other = QuestionFactory(
            case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=Status.ASSIGNED
        )
        QuestionExpertFactory(question=other, expert=expert, kind=QuestionExpert.Kind.ASSIGNED)


def test_suggest_experts_ranks_by_match_load_and_availability_and_says_why(tri):
    today = timezone.localdate()
    pool, team = tri.pool, tri.org["team"]
    free = expert_in([pool], job="schuldhulpverlener", domains=["financien"], groups=["schulden"])
    busy = expert_in([pool], job="schuldhulpverlener", domains=["financien"], groups=["schulden"])
    _busy(busy, pool, team, 2)
    # Declined and closed work does not count as open.
    for status in (Status.CLOSED,):
        other = QuestionFactory(
            case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=status
        )
        QuestionExpertFactory(question=other, expert=free, kind=QuestionExpert.Kind.ASSIGNED)
    declined = QuestionFactory(
        case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=Status.ASSIGNED
    )
    QuestionExpertFactory(
        question=declined,
        expert=free,
        kind=QuestionExpert.Kind.ASSIGNED,
        declined_at=timezone.now(),
    )
    away = expert_in([pool], domains=["financien"], groups=["schulden"], unavailable_until=today)
    back = expert_in(
        [pool],
        domains=["financien"],
        groups=["schulden"],
        unavailable_until=today - timedelta(days=1),
    )
    retired = expert_in([pool], domains=["financien"], groups=["schulden"], is_active=False)
    question = tri.ask(domains=["financien"], groups=["schulden"])

    with translation.override("en"):
        suggestions = suggest_experts(question=question, limit=20)

    users = [s.profile.user for s in suggestions]
    by_user = {s.profile.user: s for s in suggestions}
    # Everyone active in the pool, nobody from outside, nobody inactive.
    assert set(users) == {
        tri.expert,
        tri.second_expert,
        tri.unassigned_expert,
        free,
        busy,
        away,
        back,
    }
    assert tri.foreign_expert not in users
    assert retired not in users
    # Full matches first; of those the one with fewer open questions before the busy one.
    full = {tri.expert, free, back}
    assert set(users[:3]) == full
    assert users.index(free) < users.index(busy)
    assert users.index(busy) < users.index(tri.second_expert)  # two matches beat one
    assert users.index(tri.second_expert) < users.index(tri.unassigned_expert)
    # The unavailable one (until today, inclusive) is last despite a full match.
    assert users[-1] == away
    assert not by_user[away].available
    assert by_user[back].available
    # The why.
    assert any("Financiën" in r and "Schulden" in r for r in by_user[free].reasons)
    assert "0 open questions" in by_user[free].reasons
    assert "2 open questions" in by_user[busy].reasons
    assert "no match on life domain or target group" in by_user[tri.unassigned_expert].reasons
    assert any("hours left this month" in r for r in by_user[free].reasons)
    assert any(
        r == f"unavailable until {today.strftime('%d-%m-%Y')}" for r in by_user[away].reasons
    )
    assert not any("unavailable" in r for r in by_user[back].reasons)
    # The limit.
    assert len(suggest_experts(question=question, limit=3)) == 3
