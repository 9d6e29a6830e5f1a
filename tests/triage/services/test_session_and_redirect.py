"""triage_plan_session and triage_redirect: the question leaves the queue, with its reason."""

import pytest
from django.core.exceptions import ValidationError

from consultation import services as consultation
from consultation.models import CloseOut, Message, QuestionTransition, Reason, Status
from consultation.workflow import TransitionNotAllowed
from tests.triage.services.helpers import K, claimed, notified, pks
from triage import services
from triage.models import RedirectTarget, TriageClaim, TriageDecision
from triage.selectors import queue_for

pytestmark = pytest.mark.django_db


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
    assert decision.redirect_target == RedirectTarget.REGULAR_CARE
    assert "voorliggend veld" in decision.get_redirect_target_display()
    step = QuestionTransition.objects.filter(question=question).last()
    assert step.reason_code == Reason.REDIRECTED_REGULAR_CARE
    assert "voorliggend veld" in step.reason_display
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
