"""Closing a case (its owner or the team lead): refused while a question about it is still
open, with the open questions named; audited once however often it is sent; and nothing new
starts on a closed case (no new question, no reopened one)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from consultation import services
from consultation.models import Status
from submissions.web import new_token
from tests.helpers import verify_session
from wijkteam.models import AuditEvent, Case

pytestmark = pytest.mark.django_db


def _closes(case):
    return AuditEvent.objects.filter(
        object_type="wijkteam.Case", object_id=case.pk, action="update", detail="closed"
    )


def _close_out(cast, question):
    services.question_close(
        actor=cast.generalist, question=question, direction="confirmed", escalation="avoided"
    )


def test_closing_is_refused_while_questions_are_open_and_names_them(cast):
    waiting = cast.ask(title="Schulden en huur")
    draft = cast.ask(title="Nog een concept", submit=False)
    with pytest.raises(ValidationError) as refused:
        services.case_close(actor=cast.generalist, case=cast.case)
    message = refused.value.messages[0]
    assert "“Schulden en huur” (open)" in message and "“Nog een concept” (concept)" in message
    cast.case.refresh_from_db()
    assert cast.case.status == Case.Status.OPEN and not _closes(cast.case).exists()
    # Done with them (a closed and a withdrawn question): now it closes, audited.
    services.question_advise(actor=cast.expert, question=waiting, body="Bel de verhuurder.")
    _close_out(cast, waiting)
    services.question_withdraw(actor=cast.generalist, question=draft)
    services.case_close(actor=cast.team_lead, case=cast.case)
    cast.case.refresh_from_db()
    assert cast.case.status == Case.Status.CLOSED and cast.case.closed_at is not None
    (event,) = _closes(cast.case)
    assert (event.actor, event.case_pseudonym) == (cast.team_lead, cast.case.pseudonym)


def test_a_long_list_of_open_questions_is_cut_short(cast):
    for i in range(7):
        cast.ask(title=f"Vraag {i}", submit=False)
    with pytest.raises(ValidationError) as refused:
        services.case_close(actor=cast.generalist, case=cast.case)
    message = refused.value.messages[0]
    assert "“Vraag 4”" in message and "“Vraag 5”" not in message
    assert "en nog 2 vragen" in message


def test_closing_twice_closes_once(cast):
    services.case_close(actor=cast.generalist, case=cast.case)
    with pytest.raises(ValidationError):
        services.case_close(actor=cast.generalist, case=cast.case)
    assert _closes(cast.case).count() == 1


def test_only_the_owner_and_the_team_lead_close(cast, make_user):
    for person in (make_user(Role.GENERALIST), cast.other_generalist, cast.expert):
        with pytest.raises(PermissionDenied):
            services.case_close(actor=person, case=cast.case)
    assert not _closes(cast.case).exists()


def test_nothing_new_starts_on_a_closed_case(cast):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Advies")
    _close_out(cast, question)
    services.case_close(actor=cast.generalist, case=cast.case)
    with pytest.raises(ValidationError):
        cast.ask(submit=False)
    with pytest.raises(ValidationError):
        services.question_reopen(actor=cast.generalist, question=question, reason="Nieuwe brief")
    question.refresh_from_db()
    assert question.status == Status.CLOSED


# --- The page ----------------------------------------------------------------------------------
def _post_close(client, cast, token):
    url = reverse("wijkteam:case-close", args=[cast.case.pseudonym])
    return client.post(url, {"submission_token": token}, follow=True)


def test_the_case_page_closes_the_case_once_on_a_double_submit(client, cast):
    verify_session(client, cast.generalist)
    token = new_token()
    first = _post_close(client, cast, token)
    second = _post_close(client, cast, token)
    assert first.redirect_chain[-1][0] == reverse("wijkteam:case", args=[cast.case.pseudonym])
    assert "is afgesloten" in first.text
    assert second.status_code == 200
    assert _closes(cast.case).count() == 1


def test_the_refusal_is_a_message_on_the_case_page(client, cast):
    cast.ask(title="Schulden en huur")
    verify_session(client, cast.team_lead)
    response = _post_close(client, cast, new_token())
    assert response.status_code == 200
    assert "De casus heeft nog open vragen" in response.text
    assert "Schulden en huur" in response.text
    cast.case.refresh_from_db()
    assert cast.case.status == Case.Status.OPEN


@pytest.mark.parametrize(
    "who,status",
    # Another team's generalist: not their case; the others hold no team role (DESIGN §4.2).
    [("other_generalist", 404), ("expert", 404), ("triage", 404), ("municipality_admin", 404)],
)
def test_outsiders_cannot_close_the_case(client, cast, who, status):
    verify_session(client, getattr(cast, who))
    url = reverse("wijkteam:case-close", args=[cast.case.pseudonym])
    assert client.post(url, {"submission_token": new_token()}).status_code == status
    cast.case.refresh_from_db()
    assert cast.case.status == Case.Status.OPEN


def test_a_colleague_who_does_not_own_the_case_gets_a_403(client, cast, make_user):
    verify_session(client, make_user(Role.GENERALIST))
    url = reverse("wijkteam:case-close", args=[cast.case.pseudonym])
    assert client.post(url, {"submission_token": new_token()}).status_code == 403
