"""question_create and question_submit: a draft with its history, routing by the pool's
collaboration model to the matching experts, and the privacy guard on submit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from accounts.roles import Role
from consultation import services
from consultation.models import Notification, Question, QuestionTransition, Reason, Status
from consultation.selectors import questions_visible_to
from consultation.services import PrivacyCheckRequired
from expertise.models import ExpertPool
from tests.consultation.factories import life_domain, target_group
from tests.consultation.services.helpers import (
    LEAKY,
    NETWORK,
    TEAM,
    TRIAGE,
    draft,
    history,
    make_expert,
    make_pool,
    notified,
)
from tests.wijkteam.factories import TeamMembershipFactory


# --- question_create -----------------------------------------------------------------------------
def test_question_create_saves_a_draft_with_its_history(generalist, case, pool, money, youth):
    question = draft(actor=generalist, case=case, pool=pool, domains=[money], groups=[youth])
    assert question.status == Status.DRAFT
    assert (question.team_id, question.asked_by, question.pool) == (case.team_id, generalist, pool)
    assert list(question.life_domains.all()) == [money]
    assert list(question.target_groups.all()) == [youth]
    assert question.submitted_at is None
    assert history(question) == [("", Status.DRAFT)]
    assert not Notification.objects.exists()


def test_question_create_refuses_a_pool_that_does_not_serve_the_team(org, generalist, case):
    elsewhere = make_pool(org, NETWORK, serves=False)
    with pytest.raises(ValidationError) as refused:
        draft(actor=generalist, case=case, pool=elsewhere)
    assert "pool" in refused.value.message_dict
    assert not Question.objects.exists()


def test_question_create_is_for_the_team_only(make_user, case, pool):
    for actor in (make_user(Role.EXPERT), TeamMembershipFactory().user):
        with pytest.raises(PermissionDenied):
            draft(actor=actor, case=case, pool=pool)
    assert not Question.objects.exists()


# --- question_submit: routing --------------------------------------------------------------------
def test_network_submit_opens_the_question_for_matching_experts_only(
    org, generalist, case, pool, money, youth
):
    housing = life_domain("wonen-en-leefbaarheid", "Wonen en leefbaarheid")
    elderly = target_group("ouderen", "Ouderen")
    by_domain = make_expert(pool, domains=[money])
    by_group = make_expert(pool, groups=[youth])
    by_both = make_expert(pool, domains=[money], groups=[youth])
    not_matching = make_expert(pool, domains=[housing], groups=[elderly])
    other_pool = make_expert(make_pool(org, NETWORK), domains=[money], groups=[youth])
    inactive_profile = make_expert(pool, domains=[money], is_active=False)
    inactive_user = make_expert(pool, domains=[money])
    User.objects.filter(pk=inactive_user.pk).update(is_active=False)
    question = draft(actor=generalist, case=case, pool=pool, domains=[money], groups=[youth])

    question = services.question_submit(actor=generalist, question=question)

    assert question.status == Status.OPEN
    assert question.submitted_at is not None
    assert history(question) == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.OPEN),
    ]
    submitted, routed = QuestionTransition.objects.filter(question=question).order_by("pk")[1:]
    assert submitted.actor == generalist and routed.actor is None
    assert routed.reason_code == Reason.ROUTED_NETWORK
    expected = {by_domain.email, by_group.email, by_both.email}
    for channel in Notification.Channel.values:
        assert notified(question, Notification.Kind.NEW_QUESTION, channel) == expected
    assert not Notification.objects.filter(
        recipient__in=[not_matching, other_pool, inactive_profile, inactive_user]
    ).exists()
    # Exactly one row per recipient and channel.
    assert Notification.objects.filter(question=question).count() == 2 * len(expected)


def test_every_expert_notified_of_a_new_question_can_open_it(generalist, case, pool, money):
    experts = [make_expert(pool, domains=[money]) for _ in range(3)]
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    services.question_submit(actor=generalist, question=question)
    for user in experts:
        assert Notification.objects.filter(recipient=user, question=question).exists()
        assert questions_visible_to(user=user).filter(pk=question.pk).exists()


def test_an_inactive_pool_notifies_no_expert_who_cannot_open_the_question(
    generalist, case, pool, money
):
    expert = make_expert(pool, domains=[money])
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    ExpertPool.objects.filter(pk=pool.pk).update(is_active=False)  # deactivated meanwhile
    try:
        services.question_submit(actor=generalist, question=question)
    except ValidationError:
        return  # refusing the inactive pool is a fine answer too
    notified_ = Notification.objects.filter(recipient=expert, question=question).exists()
    visible = questions_visible_to(user=expert).filter(pk=question.pk).exists()
    assert notified_ == visible


@pytest.mark.parametrize(
    ("model", "status"), [(TEAM, Status.SCHEDULED), (TRIAGE, Status.IN_TRIAGE)]
)
def test_team_and_triage_pools_route_without_expert_notifications(
    org, generalist, case, money, model, status
):
    pool = make_pool(org, model)
    make_expert(pool, domains=[money])
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])

    question = services.question_submit(actor=generalist, question=question)

    assert question.status == status
    assert history(question)[-2:] == [(Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, status)]
    assert not Notification.objects.exists()


def test_submit_twice_is_refused(generalist, open_question):
    with pytest.raises(ValidationError):
        services.question_submit(actor=generalist, question=open_question)
    assert len(history(open_question)) == 3


def test_only_the_team_submits(make_user, case, pool, generalist):
    question = draft(actor=generalist, case=case, pool=pool)
    for actor in (make_user(Role.EXPERT), TeamMembershipFactory().user):
        with pytest.raises(PermissionDenied):
            services.question_submit(actor=actor, question=question)
    assert Question.objects.get(pk=question.pk).status == Status.DRAFT


def test_the_team_lead_can_submit_a_colleagues_question(make_user, generalist, case, pool, money):
    lead = make_user(Role.TEAM_LEAD)
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    assert services.question_submit(actor=lead, question=question).status == Status.OPEN


# --- question_submit: the privacy guard ----------------------------------------------------------
def test_the_privacy_guard_blocks_submit_and_changes_nothing(generalist, case, pool, money):
    make_expert(pool, domains=[money])
    question = draft(
        actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money], confirmed=True
    )

    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.question_submit(actor=generalist, question=question)

    findings = blocked.value.findings
    assert set(findings) == {"title", "situation"}
    assert [(f.kind, f.text) for f in findings["title"]] == [("name", "Zoë")]
    assert {f.kind for f in findings["situation"]} == {"phone", "postcode"}
    stored = Question.objects.get(pk=question.pk)
    assert (stored.status, stored.submitted_at) == (Status.DRAFT, None)
    assert history(question) == [("", Status.DRAFT)]
    assert not Notification.objects.exists()


def test_a_confirmed_privacy_check_submits_and_records_only_the_kinds(
    generalist, case, pool, money
):
    expert = make_expert(pool, domains=[money])
    question = draft(
        actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money], confirmed=True
    )

    question = services.question_submit(actor=generalist, question=question, privacy_confirmed=True)

    assert question.status == Status.OPEN
    reason = QuestionTransition.objects.get(question=question, to_status=Status.SUBMITTED).reason
    assert "name" in reason and "phone" in reason and "postcode" in reason
    for found_text in ("Zoë", "Zoe", "06-12345678", "12345678", "3811"):
        assert found_text not in reason
    all_reasons = " ".join(
        QuestionTransition.objects.filter(question=question).values_list("reason", flat=True)
    )
    assert "Zoë" not in all_reasons and "3811" not in all_reasons
    assert notified(question, Notification.Kind.NEW_QUESTION) == {expert.email}
