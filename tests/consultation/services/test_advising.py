"""Experts pick a question up and advise: who may, what it grants, what is recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.core import ObjectPermissionChecker

from accounts.roles import Role
from consultation import services
from consultation.models import (
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionUserObjectPermission,
    Status,
)
from consultation.selectors import questions_visible_to
from tests.consultation.factories import life_domain
from tests.consultation.services.helpers import NETWORK, history, make_expert, make_pool, notified
from tests.expertise.factories import OrganisationFactory


# --- Experts: pick up and advise ----------------------------------------------------------------
def test_pick_up_links_the_expert_and_grants_view_and_advise(open_question, expert, money):
    link = services.question_pick_up(actor=expert, question=open_question)

    assert (link.expert, link.kind) == (expert, QuestionExpert.Kind.PICKED_UP)
    checker = ObjectPermissionChecker(expert)
    assert checker.has_perm("view_question", open_question)
    assert checker.has_perm("advise_question", open_question)
    assert set(
        QuestionUserObjectPermission.objects.filter(
            user=expert, content_object=open_question
        ).values_list("permission__codename", flat=True)
    ) == {"view_question", "advise_question"}
    # The question stays theirs whatever its matching.
    expert.expert_profile.life_domains.clear()
    assert questions_visible_to(user=expert).filter(pk=open_question.pk).exists()


def test_pick_up_twice_keeps_one_link(open_question, expert):
    services.question_pick_up(actor=expert, question=open_question)
    services.question_pick_up(actor=expert, question=open_question)
    assert QuestionExpert.objects.filter(question=open_question).count() == 1


def test_pick_up_is_for_matching_experts_of_the_pool_only(
    org, generalist, open_question, pool, make_user
):
    housing = life_domain("wonen-en-leefbaarheid", "Wonen en leefbaarheid")
    not_matching = make_expert(pool, domains=[housing])
    other_pool = make_expert(
        make_pool(org, NETWORK), domains=list(open_question.life_domains.all())
    )
    for actor in (not_matching, other_pool, generalist, make_user(Role.TRIAGE)):
        with pytest.raises(PermissionDenied):
            services.question_pick_up(actor=actor, question=open_question)
    assert not QuestionExpert.objects.exists()
    assert not QuestionUserObjectPermission.objects.exists()


def test_advice_answers_the_question_with_the_experts_discipline(
    generalist, open_question, pool, money
):
    expert = make_expert(
        pool,
        domains=[money],
        job_title="GZ-psycholoog",
        organisation=OrganisationFactory(name="Zorggroep Zonnestraal"),
    )

    message = services.question_advise(
        actor=expert, question=open_question, body="Schakel de schuldhulp in."
    )

    assert (message.kind, message.author, message.body) == (
        Message.Kind.ADVICE,
        expert,
        "Schakel de schuldhulp in.",
    )
    assert message.author_discipline == "GZ-psycholoog"
    assert "Zonnestraal" not in message.author_discipline
    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED
    assert history(open_question)[-1] == (Status.OPEN, Status.ANSWERED)
    # Advising picks the question up.
    assert QuestionExpert.objects.filter(question=open_question, expert=expert).exists()
    for channel in Notification.Channel.values:
        assert notified(open_question, Notification.Kind.NEW_ADVICE, channel) == {generalist.email}


def test_several_experts_advise_on_one_question(open_question, pool, money):
    first, second = make_expert(pool, domains=[money]), make_expert(pool, domains=[money])
    services.question_advise(actor=first, question=open_question, body="Eerste advies.")
    services.question_advise(actor=second, question=open_question, body="Tweede advies.")

    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED
    assert open_question.messages.filter(kind=Message.Kind.ADVICE).count() == 2
    assert len(history(open_question)) == 4  # draft, submitted, open, answered: once
    assert Notification.objects.filter(kind=Notification.Kind.NEW_ADVICE).count() == 4


def test_advice_is_for_experts_who_may_see_the_question(org, open_question, generalist):
    housing = life_domain("wonen-en-leefbaarheid", "Wonen en leefbaarheid")
    not_matching = make_expert(make_pool(org, NETWORK), domains=[housing])
    for actor in (not_matching, generalist):
        with pytest.raises(PermissionDenied):
            services.question_advise(actor=actor, question=open_question, body="Advies.")
    assert not Message.objects.exists()


def test_no_advice_on_a_closed_question(generalist, open_question, expert):
    services.question_pick_up(actor=expert, question=open_question)
    services.question_close(
        actor=generalist, question=open_question, direction="confirmed", escalation="avoided"
    )
    with pytest.raises(ValidationError):
        services.question_advise(actor=expert, question=open_question, body="Te laat.")
    assert not Message.objects.exists()
