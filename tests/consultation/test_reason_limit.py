"""A reason over the limit on reopen or withdraw is an error on the reason, and the step does not
happen: not on the page, not in the API, not in the service (issue 13: it was never to be cut
short or replaced by the default while the question moved anyway)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultation import services
from consultation.models import Question, QuestionTransition
from consultation.workflow import REASON_MAX_LENGTH
from submissions.web import new_token
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

TOO_LONG = "Er is iets nieuws gebeurd. " * 19  # 513 characters
AT_THE_LIMIT = ("x" * 499) + "."


def _closed(cast):
    question = cast.ask()
    services.question_close(
        actor=cast.generalist, question=question, direction="confirmed", escalation="avoided"
    )
    return Question.objects.get(pk=question.pk)


def _history(question):
    return list(QuestionTransition.objects.filter(question=question).values_list("to_status"))


def test_the_limit_is_the_history_fields():
    assert len(TOO_LONG) > REASON_MAX_LENGTH == len(AT_THE_LIMIT)
    field = QuestionTransition._meta.get_field("reason")
    assert field.max_length == REASON_MAX_LENGTH


@pytest.mark.parametrize("step", ["reopen", "withdraw"])
def test_the_page_shows_an_error_and_does_nothing(client, cast, step):
    question = _closed(cast) if step == "reopen" else cast.ask()
    status, history = question.status, _history(question)
    verify_session(client, cast.generalist)
    response = client.post(
        reverse(f"consultation:{step}", args=[question.pk]),
        {"reason": TOO_LONG, "submission_token": new_token()},
    )
    assert response.status_code == 400
    assert "reason" in response.context["reason_form"].errors
    assert 'aria-invalid="true"' in response.text
    assert TOO_LONG.strip()[:40] in response.text  # what was typed is kept
    assert Question.objects.get(pk=question.pk).status == status
    assert _history(question) == history


@pytest.mark.parametrize("step", ["reopen", "withdraw"])
def test_the_page_takes_a_reason_at_the_limit_whole(client, cast, step):
    question = _closed(cast) if step == "reopen" else cast.ask()
    verify_session(client, cast.generalist)
    response = client.post(
        reverse(f"consultation:{step}", args=[question.pk]),
        {"reason": AT_THE_LIMIT, "privacy_confirmed": "on", "submission_token": new_token()},
    )
    assert response.status_code == 302
    last = QuestionTransition.objects.filter(question=question).latest("pk")
    assert last.reason == AT_THE_LIMIT


@pytest.mark.parametrize("step", ["reopen", "withdraw"])
def test_the_api_answers_400_and_does_nothing(api, cast, step):
    question = _closed(cast) if step == "reopen" else cast.ask()
    status, history = question.status, _history(question)
    response = api(cast.generalist).post(
        f"/api/v1/questions/{question.pk}/{step}/", {"reason": TOO_LONG}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert Question.objects.get(pk=question.pk).status == status
    assert _history(question) == history


@pytest.mark.parametrize("step", ["reopen", "withdraw"])
def test_the_service_refuses_it_too(cast, step):
    """Whoever calls the service (a page, the API, a script), the reason is never cut short."""
    question = _closed(cast) if step == "reopen" else cast.ask()
    status, history = question.status, _history(question)
    service = services.question_reopen if step == "reopen" else services.question_withdraw
    with pytest.raises(ValidationError) as refused:
        service(actor=cast.generalist, question=question, reason=TOO_LONG)
    assert "reason" in refused.value.message_dict
    assert Question.objects.get(pk=question.pk).status == status
    assert _history(question) == history
