"""Into the triage queue, and claims (triage_claim, triage_claim_next, triage_release):
every decision needs the claim, and none is taken on a withdrawn question."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultation import services as consultation
from consultation.models import Message, Notification, Question, QuestionExpert, Status
from tests.triage.factories import at, backdate
from tests.triage.services.helpers import K, claimed, history, notified, pks, visible
from triage import services
from triage.models import TriageClaim, TriageDecision
from triage.selectors import queue_for

pytestmark = pytest.mark.django_db


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
