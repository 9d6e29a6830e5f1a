"""Two writes of one question at once, without any submission token (the API without a key, two
people at two screens): each service takes the question's row lock before it checks, so the
second sees what the first did and is refused politely; never two close-outs or two triage
decisions. Each call runs in its own thread, on its own PostgreSQL connection."""

import pytest
from django.core.exceptions import ValidationError

from consultation import services
from consultation.models import CloseOut, Message
from expertise.models import LifeDomain
from tests.submissions.together import run_together
from triage import services as triage_services
from triage.models import TriageDecision

pytestmark = pytest.mark.django_db(transaction=True)


def _outcomes(records):
    errors = [r["error"] for r in records if "error" in r]
    assert all(type(e) is ValidationError for e in errors), errors
    return [r for r in records if "error" not in r], errors


def test_two_close_outs_at_once_close_once(cast):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")

    def close(actor):
        return lambda: services.question_close(
            actor=actor, question=question, direction="confirmed", escalation="avoided"
        )

    records = run_together([close(cast.generalist), close(cast.team_lead)], errors=True)

    done, refused = _outcomes(records)
    assert len(done) == 1 and len(refused) == 1
    assert CloseOut.objects.filter(question=question).count() == 1
    assert question.transitions.filter(to_status="closed").count() == 1


def test_two_triage_decisions_at_once_decide_once(cast):
    question = services.question_create(
        actor=cast.generalist,
        case=cast.case,
        pool=cast.org["pool"],
        data=services.QuestionInput(
            title="Dreigende ontruiming", situation="Huurachterstand.", tried="", question="Wat nu?"
        ),
        life_domains=LifeDomain.objects.filter(slug="financien"),
    )
    question = services.question_submit(actor=cast.generalist, question=question)
    triage_services.triage_claim(worker=cast.triage, question=question)

    records = run_together(
        [
            lambda: triage_services.triage_answer(
                worker=cast.triage, question=question, body="Meld aan bij de schuldhulp."
            ),
            lambda: triage_services.triage_redirect(
                worker=cast.triage, question=question, target="gp", note="Eerst de huisarts."
            ),
        ],
        errors=True,
    )

    done, refused = _outcomes(records)
    assert len(done) == 1 and len(refused) == 1
    assert TriageDecision.objects.filter(question=question).count() == 1
    question.refresh_from_db()
    assert question.status in {"answered", "redirected"}


def test_two_answers_to_one_clarification_request_return_the_question_once(cast):
    """The first reply answers the request (the question goes back to where it was); the
    second, a moment later on the same lock, is a follow-up: one reply, one transition."""
    question = cast.ask()
    services.question_request_clarification(
        actor=cast.expert, question=question, body="Is er al contact met de verhuurder?"
    )

    def reply(actor):
        return lambda: services.question_reply(actor=actor, question=question, body="Ja, gisteren.")

    run_together([reply(cast.generalist), reply(cast.team_lead)])

    kinds = sorted(question.messages.filter(body="Ja, gisteren.").values_list("kind", flat=True))
    assert kinds == sorted([Message.Kind.REPLY, Message.Kind.FOLLOW_UP])
    assert question.transitions.filter(from_status="needs_clarification").count() == 1
