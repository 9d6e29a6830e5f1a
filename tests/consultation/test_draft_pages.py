"""The question pages of the team (issue 10): "Save draft" with only a title; a stopped text
comes back in the form and is not stored; a draft has a delete button; a sent question has a
withdraw button; the guard on the withdraw reason and the close-out comment shows its findings
with the text kept."""

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import CloseOut, Question, Status
from tests.consultation.cast import CANARY_FIRST, CANARY_LAST
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def _ask_url(cast):
    return reverse("wijkteam:question-new", args=[cast.case.pseudonym])


def _form(cast, **fields):
    return {
        "title": "Energieafsluiting dreigt",
        "situation": "Afsluiting aangekondigd, betalingsregeling loopt niet.",
        "question": "Wat kunnen we nu nog doen?",
        "life_domains": [cast.expert.expert_profile.life_domains.first().pk],
        "urgency": "normal",
        "help_form": "written",
        "pool": cast.pool.pk,
        **fields,
    }


def test_save_draft_needs_only_a_title(client, cast):
    verify_session(client, cast.generalist)
    response = client.post(
        _ask_url(cast), {"title": "Nog uitzoeken", "pool": cast.pool.pk, "draft": "1"}
    )
    assert response.status_code == 302
    question = Question.objects.get(title="Nog uitzoeken")
    assert question.status == Status.DRAFT
    # Sending it still asks for the rest.
    sent = client.post(
        reverse("consultation:question-edit", args=[question.pk]),
        {"title": "Nog uitzoeken", "pool": cast.pool.pk, "send": "1"},
    )
    assert sent.status_code == 200
    assert "Dit veld is vereist." in sent.content.decode()
    assert Question.objects.get(pk=question.pk).status == Status.DRAFT


@pytest.mark.parametrize("button", ["send", "draft"])
def test_a_text_the_guard_stops_stays_in_the_form_and_is_not_stored(client, cast, button):
    verify_session(client, cast.generalist)
    leaky = f"Mevrouw {CANARY_LAST} kan de rekening niet betalen."
    page = client.post(_ask_url(cast), _form(cast, situation=leaky, **{button: "1"}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "privacy-findings" in html and leaky in html
    assert 'name="privacy_confirmed"' in html
    assert not Question.objects.filter(case=cast.case).exists()


def test_an_edit_of_a_draft_the_guard_stops_is_not_stored(client, cast):
    question = cast.ask(submit=False)
    verify_session(client, cast.generalist)
    url = reverse("consultation:question-edit", args=[question.pk])
    leaky = f"{CANARY_FIRST} woont alleen."
    page = client.post(url, _form(cast, situation=leaky, draft="1"))
    assert page.status_code == 200 and leaky in page.content.decode()
    assert Question.objects.get(pk=question.pk).situation != leaky


def test_a_draft_can_be_deleted_from_its_page(client, cast):
    question = cast.ask(submit=False)
    verify_session(client, cast.generalist)
    page = client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    delete_url = reverse("consultation:question-delete", args=[question.pk])
    assert f'action="{delete_url}"' in page
    response = client.post(delete_url)
    assert response.status_code == 302
    assert response.url == reverse("wijkteam:case", args=[cast.case.pseudonym])
    assert not Question.objects.filter(pk=question.pk).exists()


def test_a_sent_question_cannot_be_deleted_and_others_cannot_delete(client, cast):
    question = cast.ask()
    verify_session(client, cast.generalist)
    client.post(reverse("consultation:question-delete", args=[question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()
    draft = cast.ask(submit=False)
    verify_session(client, cast.other_generalist)
    response = client.post(reverse("consultation:question-delete", args=[draft.pk]))
    assert response.status_code == 404
    assert Question.objects.filter(pk=draft.pk).exists()


def test_a_sent_question_has_a_withdraw_button_and_the_reason_is_guarded(client, cast):
    question = cast.ask()
    verify_session(client, cast.generalist)
    page_url = reverse("consultation:question", args=[question.pk])
    withdraw_url = reverse("consultation:withdraw", args=[question.pk])
    assert f'action="{withdraw_url}#withdraw"' in client.get(page_url).content.decode()

    leaky = f"{CANARY_LAST} is verhuisd."
    stopped = client.post(withdraw_url, {"reason": leaky})
    assert stopped.status_code == 400
    html = stopped.content.decode()
    assert "privacy-findings" in html and leaky in html
    assert '<details class="wx-card" id="withdraw" open>' in html
    assert Question.objects.get(pk=question.pk).status == Status.OPEN

    done = client.post(withdraw_url, {"reason": leaky, "privacy_confirmed": "on"})
    assert done.status_code == 302
    assert Question.objects.get(pk=question.pk).status == Status.WITHDRAWN
    assert 'id="withdraw"' not in client.get(page_url).content.decode()


def test_the_close_out_comment_is_guarded_and_kept(client, cast):
    question = cast.ask()
    advice = services.question_advise(actor=cast.expert, question=question, body="Bel.")
    verify_session(client, cast.generalist)
    url = reverse("consultation:close", args=[question.pk])
    leaky = f"Dank namens {CANARY_FIRST}."
    data = {
        f"rating_{advice.pk}": "4",
        "direction": CloseOut.Direction.values[0],
        "escalation": CloseOut.Escalation.values[0],
        "comment": leaky,
    }
    stopped = client.post(url, data)
    assert stopped.status_code == 400
    html = stopped.content.decode()
    assert "privacy-findings" in html and leaky in html and 'name="privacy_confirmed"' in html
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED
    assert client.post(url, {**data, "privacy_confirmed": "on"}).status_code == 302
    assert Question.objects.get(pk=question.pk).status == Status.CLOSED
