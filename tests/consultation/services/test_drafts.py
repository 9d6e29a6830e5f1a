"""Drafts and the privacy guard (issue 10): text the guard stops is stored only once it is
edited or confirmed; a draft needs only a title; a question sent at once has no draft in its
history; drafts can be deleted; the close-out comment and the reasons for reopening and
withdrawing go through the guard too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultation import services
from consultation.models import CloseOut, Question, QuestionTransition, Reason, Status
from consultation.services import PrivacyCheckRequired, QuestionInput
from tests.consultation.services.helpers import CLEAN, LEAKY, draft, history, make_expert
from tests.wijkteam.factories import TeamMembershipFactory

TITLE_ONLY = QuestionInput(title="Nog uitzoeken", situation="", tried="", question="")


# --- Stored only after an edit or a confirmation ----------------------------------------------
def test_a_draft_the_guard_stops_is_not_stored(generalist, case, pool, money):
    with pytest.raises(PrivacyCheckRequired) as stopped:
        draft(actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money])
    assert set(stopped.value.findings) == {"title", "situation"}
    assert not Question.objects.exists()

    confirmed = draft(
        actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money], confirmed=True
    )
    assert Question.objects.get().title == confirmed.title == LEAKY.title


def test_an_edit_the_guard_stops_leaves_the_stored_draft_as_it_was(generalist, case, pool, money):
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    with pytest.raises(PrivacyCheckRequired):
        services.question_update_draft(
            actor=generalist, question=question, data=LEAKY, life_domains=[money]
        )
    assert Question.objects.get(pk=question.pk).situation == CLEAN.situation


def test_sending_at_once_stores_nothing_the_guard_stops(generalist, case, pool, money):
    make_expert(pool, domains=[money])
    with pytest.raises(PrivacyCheckRequired):
        services.question_create(
            actor=generalist, case=case, pool=pool, data=LEAKY, life_domains=[money], send=True
        )
    assert not Question.objects.exists()

    question = services.question_create(
        actor=generalist,
        case=case,
        pool=pool,
        data=LEAKY,
        life_domains=[money],
        send=True,
        privacy_confirmed=True,
    )
    assert question.status == Status.OPEN
    sent = QuestionTransition.objects.get(question=question, to_status=Status.SUBMITTED)
    assert sent.reason_code == Reason.PRIVACY_CONFIRMED


# --- A draft needs only a title; sending needs the rest ----------------------------------------
def test_a_draft_needs_only_a_title_and_sending_it_asks_for_the_rest(generalist, case, pool):
    question = draft(actor=generalist, case=case, pool=pool, data=TITLE_ONLY)
    assert question.status == Status.DRAFT
    with pytest.raises(ValidationError) as refused:
        services.question_submit(actor=generalist, question=question)
    assert set(refused.value.message_dict) == {"situation", "question"}
    assert Question.objects.get(pk=question.pk).status == Status.DRAFT


def test_sending_at_once_with_something_missing_stores_nothing(generalist, case, pool):
    with pytest.raises(ValidationError):
        services.question_create(actor=generalist, case=case, pool=pool, data=TITLE_ONLY, send=True)
    assert not Question.objects.exists()


def test_a_question_sent_at_once_has_no_draft_in_its_history(generalist, case, pool, money):
    question = services.question_create(
        actor=generalist, case=case, pool=pool, data=CLEAN, life_domains=[money], send=True
    )
    assert history(question) == [(Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, Status.OPEN)]
    codes = QuestionTransition.objects.filter(question=question).values_list("reason_code", flat=1)
    assert Reason.DRAFT_SAVED not in codes


def test_a_draft_sent_later_keeps_its_draft_entry(generalist, case, pool, money):
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    question = services.question_update_draft(
        actor=generalist, question=question, data=CLEAN, life_domains=[money], send=True
    )
    assert question.status == Status.OPEN
    assert history(question)[0] == ("", Status.DRAFT)


# --- Deleting a draft --------------------------------------------------------------------------
def test_a_draft_can_be_deleted_by_its_team_only(generalist, case, pool, make_user):
    from accounts.roles import Role

    question = draft(actor=generalist, case=case, pool=pool)
    for outsider in (make_user(Role.EXPERT), TeamMembershipFactory().user):
        with pytest.raises(PermissionDenied):
            services.question_delete_draft(actor=outsider, question=question)
    services.question_delete_draft(actor=make_user(Role.TEAM_LEAD), question=question)
    assert not Question.objects.exists()
    assert not QuestionTransition.objects.exists()


def test_a_sent_question_cannot_be_deleted(generalist, open_question):
    with pytest.raises(ValidationError):
        services.question_delete_draft(actor=generalist, question=open_question)
    assert Question.objects.filter(pk=open_question.pk).exists()


# --- The close-out comment and the typed reasons ----------------------------------------------
def test_the_close_out_comment_goes_through_the_guard(generalist, open_question, pool, money):
    expert = make_expert(pool, domains=[money])
    services.question_advise(actor=expert, question=open_question, body="Bel de schuldhulp.")
    close = {
        "actor": generalist,
        "question": open_question,
        "direction": CloseOut.Direction.values[0],
        "escalation": CloseOut.Escalation.values[0],
        "comment": "Zoë is geholpen, bel haar op 06-12345678.",
    }
    with pytest.raises(PrivacyCheckRequired) as stopped:
        services.question_close(**close)
    assert {f.kind for f in stopped.value.findings["comment"]} >= {"name", "phone"}
    assert not CloseOut.objects.exists()
    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED

    services.question_close(**close, privacy_confirmed=True)
    assert Question.objects.get(pk=open_question.pk).status == Status.CLOSED


@pytest.mark.parametrize("service", ["question_withdraw", "question_reopen"])
def test_the_reasons_for_withdrawing_and_reopening_go_through_the_guard(
    generalist, open_question, service
):
    if service == "question_reopen":
        services.question_close(
            actor=generalist,
            question=open_question,
            direction=CloseOut.Direction.values[0],
            escalation=CloseOut.Escalation.values[0],
        )
    before = Question.objects.get(pk=open_question.pk).status
    act = getattr(services, service)
    leaky = "Zoë woont op 3811 AB."
    with pytest.raises(PrivacyCheckRequired):
        act(actor=generalist, question=open_question, reason=leaky)
    assert Question.objects.get(pk=open_question.pk).status == before
    assert not QuestionTransition.objects.filter(reason__contains="3811").exists()

    act(actor=generalist, question=open_question, reason=leaky, privacy_confirmed=True)
    assert Question.objects.get(pk=open_question.pk).status != before
