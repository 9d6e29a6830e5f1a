"""The consultation services on real PostgreSQL: who may do what, where a question goes, what is
recorded and who is told."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.core import ObjectPermissionChecker

from accounts.models import User
from accounts.roles import Role
from consultation import services
from consultation.models import (
    AdviceRating,
    Attachment,
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionTransition,
    QuestionUserObjectPermission,
    Status,
)
from consultation.notifications import notify
from consultation.selectors import questions_visible_to
from consultation.services import PrivacyCheckRequired, QuestionInput
from consultation.workflow import TransitionNotAllowed
from expertise.models import ExpertPool
from tests.accounts.factories import UserFactory
from tests.consultation.factories import life_domain, target_group
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory, OrganisationFactory
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.models import AuditEvent, ResidentGroupObjectPermission
from wijkteam.services import case_open, resident_register

NETWORK = ExpertPool.CollaborationModel.NETWORK
TEAM = ExpertPool.CollaborationModel.TEAM
TRIAGE = ExpertPool.CollaborationModel.TRIAGE
PSEUDONYM = re.compile(r"^C-[2-9A-HJ-NP-Z]{6}$")

CLEAN = QuestionInput(
    title="Huurachterstand en stress in het gezin",
    situation="Moeder met twee kinderen, drie maanden huurachterstand, slaapt slecht.",
    tried="Budgetgesprek gevoerd, aanmelding bij de voedselbank.",
    question="Welke route past bij schuldhulp als de verhuurder met ontruiming dreigt?",
)


# --- Fixtures ------------------------------------------------------------------------------------
@pytest.fixture
def team(org):
    return org["team"]


@pytest.fixture
def generalist(make_user):
    return make_user(Role.GENERALIST)


@pytest.fixture
def resident(generalist, team):
    return resident_register(
        actor=generalist,
        team=team,
        first_name="Zoë",
        last_name="van der Berg",
        date_of_birth=date(2010, 3, 7),
        postcode="3811ab",
        household="single_parent",
    )


@pytest.fixture
def case(generalist, resident):
    return case_open(actor=generalist, resident=resident)


def make_pool(org, model=NETWORK, *, serves=True) -> ExpertPool:
    pool = ExpertPoolFactory(region=org["region"], collaboration_model=model)
    if serves:
        pool.teams.add(org["team"])
    return pool


@pytest.fixture
def pool(org):
    return make_pool(org, NETWORK)


@pytest.fixture
def money():
    return life_domain("financien", "Financiën")


@pytest.fixture
def youth():
    return target_group("jeugd", "Jeugd")


def make_expert(pool, *, domains=(), groups=(), **profile):
    user = UserFactory()
    expert = ExpertProfileFactory(user=user, pools=[pool], **profile)
    expert.life_domains.set(domains)
    expert.target_groups.set(groups)
    return user


def draft(*, actor, case, pool, data=CLEAN, domains=(), groups=()) -> Question:
    return services.question_create(
        actor=actor, case=case, pool=pool, data=data, life_domains=domains, target_groups=groups
    )


@pytest.fixture
def open_question(generalist, case, pool, money):
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    return services.question_submit(actor=generalist, question=question)


@pytest.fixture
def expert(pool, money):
    return make_expert(pool, domains=[money], job_title="schuldhulpverlener")


def history(question):
    return list(
        QuestionTransition.objects.filter(question=question).values_list("from_status", "to_status")
    )


def notified(question, kind, channel=Notification.Channel.EMAIL):
    return set(
        Notification.objects.filter(question=question, kind=kind, channel=channel).values_list(
            "recipient__email", flat=True
        )
    )


# --- Residents and cases -------------------------------------------------------------------------
def test_resident_register_stores_the_identity_and_grants_the_team_group(
    generalist, team, resident
):
    assert (resident.first_name, resident.last_name) == ("Zoë", "van der Berg")
    assert resident.postcode == "3811 AB"  # normalised
    assert resident.team == team and resident.created_by == generalist
    team.refresh_from_db()
    grants = set(
        ResidentGroupObjectPermission.objects.filter(
            group=team.group, content_object=resident
        ).values_list("permission__codename", flat=True)
    )
    assert "view_resident" in grants
    assert generalist.groups.filter(pk=team.group_id).exists()
    assert ObjectPermissionChecker(generalist).has_perm("view_resident", resident)


def test_resident_register_writes_an_audit_event(generalist, resident):
    event = AuditEvent.objects.get(object_type="wijkteam.Resident", object_id=resident.pk)
    assert (event.actor, event.action) == (generalist, AuditEvent.Action.CREATE)
    # The audit log names the object, never the identity.
    assert "Berg" not in event.detail


def test_case_open_gets_a_random_pseudonym_and_an_audit_event(generalist, team, resident, case):
    assert PSEUDONYM.match(case.pseudonym)
    assert (case.team, case.resident, case.owner) == (team, resident, generalist)
    second = case_open(actor=generalist, resident=resident)
    assert PSEUDONYM.match(second.pseudonym) and second.pseudonym != case.pseudonym
    event = AuditEvent.objects.get(object_type="wijkteam.Case", object_id=case.pk)
    assert (event.actor, event.action, event.case_pseudonym) == (
        generalist,
        AuditEvent.Action.CREATE,
        case.pseudonym,
    )


def test_a_non_member_cannot_register_a_resident_or_open_a_case(org, make_user, resident):
    outsider = UserFactory()
    other_team_worker = TeamMembershipFactory(team=DistrictTeamFactory()).user
    expert = make_user(Role.EXPERT)
    for actor in (outsider, other_team_worker, expert):
        with pytest.raises(PermissionDenied):
            resident_register(
                actor=actor,
                team=org["team"],
                first_name="Piet",
                last_name="Bakker",
                date_of_birth=date(1990, 1, 1),
                postcode="3811 AB",
                household="single",
            )
        with pytest.raises(PermissionDenied):
            case_open(actor=actor, resident=resident)
    assert list(resident.team.residents.all()) == [resident]
    assert not resident.cases.exists()
    assert AuditEvent.objects.count() == 1  # only the registration of `resident`


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
    assert "network" in routed.reason
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


def test_the_team_lead_can_submit_a_colleagues_question(make_user, generalist, case, pool):
    lead = make_user(Role.TEAM_LEAD)
    question = draft(actor=generalist, case=case, pool=pool)
    assert services.question_submit(actor=lead, question=question).status == Status.OPEN


# --- question_submit: the privacy guard ----------------------------------------------------------
LEAKY = QuestionInput(
    title="Vraag over Zoë",
    situation="Moeder is bereikbaar op 06-12345678, woont op 3811 AB.",
    tried="Niets bijzonders.",
    question="Hoe helpen we haar verder?",
)


def test_the_privacy_guard_blocks_submit_and_changes_nothing(generalist, case, pool, money):
    make_expert(pool, domains=[money])
    question = draft(actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money])

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
    question = draft(actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money])

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


# --- Experts: pick up, advise, clarification -----------------------------------------------------
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


def test_clarification_goes_back_to_the_generalist_and_the_reply_returns_it(
    generalist, open_question, expert
):
    request = services.question_request_clarification(
        actor=expert, question=open_question, body="Hoe oud zijn de kinderen?"
    )

    assert request.kind == Message.Kind.CLARIFICATION_REQUEST
    assert request.author_discipline == "schuldhulpverlener"
    stored = Question.objects.get(pk=open_question.pk)
    assert stored.status == Status.NEEDS_CLARIFICATION
    assert stored.status_before_clarification == Status.OPEN
    assert notified(open_question, Notification.Kind.CLARIFICATION_REQUESTED) == {generalist.email}
    with pytest.raises(ValidationError):  # one open request at a time
        services.question_request_clarification(actor=expert, question=open_question, body="En?")

    reply = services.question_reply(
        actor=generalist, question=open_question, body="Zeven en twaalf jaar."
    )

    assert reply.kind == Message.Kind.REPLY
    stored = Question.objects.get(pk=open_question.pk)
    assert (stored.status, stored.status_before_clarification) == (Status.OPEN, "")
    assert history(open_question)[-2:] == [
        (Status.OPEN, Status.NEEDS_CLARIFICATION),
        (Status.NEEDS_CLARIFICATION, Status.OPEN),
    ]
    assert notified(open_question, Notification.Kind.REPLY) == {expert.email}


def test_clarification_after_advice_returns_to_answered(generalist, open_question, expert):
    services.question_advise(actor=expert, question=open_question, body="Advies.")
    services.question_request_clarification(actor=expert, question=open_question, body="Vraag?")
    assert Question.objects.get(pk=open_question.pk).status_before_clarification == (
        Status.ANSWERED
    )

    services.question_reply(actor=generalist, question=open_question, body="Antwoord.")

    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED


def test_advice_given_while_waiting_for_clarification_counts_after_the_reply(
    generalist, open_question, pool, money, expert
):
    services.question_request_clarification(actor=expert, question=open_question, body="Vraag?")
    other = make_expert(pool, domains=[money])
    services.question_advise(actor=other, question=open_question, body="Advies intussen.")

    services.question_reply(actor=generalist, question=open_question, body="Antwoord.")

    assert Question.objects.get(pk=open_question.pk).status == Status.ANSWERED


def test_the_reply_passes_the_privacy_guard(generalist, case, open_question, expert):
    services.question_request_clarification(actor=expert, question=open_question, body="Wie?")

    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.question_reply(
            actor=generalist, question=open_question, body="Het gaat om zoe, geb. 7-3-2010."
        )
    assert {f.kind for f in blocked.value.findings["body"]} == {"name", "date_of_birth"}
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()
    assert Question.objects.get(pk=open_question.pk).status == Status.NEEDS_CLARIFICATION

    services.question_reply(
        actor=generalist,
        question=open_question,
        body="Het gaat om zoe, geb. 7-3-2010.",
        privacy_confirmed=True,
    )
    reason = (
        QuestionTransition.objects.filter(question=open_question).order_by("-pk").first().reason
    )
    assert "name" in reason and "date_of_birth" in reason
    assert "zoe" not in reason.casefold() and "2010" not in reason


def test_a_follow_up_keeps_the_status_and_tells_the_experts_on_it(
    generalist, open_question, expert
):
    services.question_pick_up(actor=expert, question=open_question)
    before = Question.objects.get(pk=open_question.pk).last_activity_at

    message = services.question_reply(
        actor=generalist, question=open_question, body="Update: de verhuurder wacht af."
    )

    assert message.kind == Message.Kind.FOLLOW_UP
    stored = Question.objects.get(pk=open_question.pk)
    assert stored.status == Status.OPEN
    assert stored.last_activity_at > before
    assert len(history(open_question)) == 3
    assert notified(open_question, Notification.Kind.FOLLOW_UP) == {expert.email}


def test_no_messages_on_drafts_or_closed_questions_and_not_by_experts(
    generalist, case, pool, open_question, expert
):
    with pytest.raises(ValidationError):
        services.question_reply(
            actor=generalist, question=draft(actor=generalist, case=case, pool=pool), body="x"
        )
    with pytest.raises(PermissionDenied):
        services.question_reply(actor=expert, question=open_question, body="x")
    services.question_withdraw(actor=generalist, question=open_question)
    with pytest.raises(ValidationError):
        services.question_reply(actor=generalist, question=open_question, body="x")
    assert not Message.objects.exists()


# --- Close, reopen, withdraw ---------------------------------------------------------------------
@pytest.fixture
def advised(open_question, pool, money):
    """An open question with two advices and a clarification request."""
    first, second = make_expert(pool, domains=[money]), make_expert(pool, domains=[money])
    advice_1 = services.question_advise(actor=first, question=open_question, body="Eén.")
    advice_2 = services.question_advise(actor=second, question=open_question, body="Twee.")
    return open_question, advice_1, advice_2, (first, second)


def test_close_with_feedback_and_ratings(generalist, advised):
    question, advice_1, advice_2, experts = advised

    close_out = services.question_close(
        actor=generalist,
        question=question,
        direction=CloseOut.Direction.NEW_DIRECTION,
        escalation=CloseOut.Escalation.AVOIDED,
        comment="Heel bruikbaar.",
        ratings={advice_1.pk: 5, advice_2.pk: 1},
    )

    assert (close_out.closed_by, close_out.direction, close_out.escalation, close_out.comment) == (
        generalist,
        "new_direction",
        "avoided",
        "Heel bruikbaar.",
    )
    assert dict(close_out.ratings.values_list("message_id", "usefulness")) == {
        advice_1.pk: 5,
        advice_2.pk: 1,
    }
    stored = Question.objects.get(pk=question.pk)
    assert stored.status == Status.CLOSED and stored.closed_at is not None
    assert history(question)[-1] == (Status.ANSWERED, Status.CLOSED)
    assert notified(question, Notification.Kind.QUESTION_CLOSED) == {u.email for u in experts}


@pytest.mark.parametrize("score", [0, 6, -1])
def test_usefulness_is_one_to_five(generalist, advised, score):
    question, advice_1, _advice_2, _experts = advised
    with pytest.raises(ValidationError) as refused:
        services.question_close(
            actor=generalist,
            question=question,
            direction="confirmed",
            escalation="avoided",
            ratings={advice_1.pk: score},
        )
    assert "ratings" in refused.value.message_dict
    assert not CloseOut.objects.exists() and not AdviceRating.objects.exists()
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED


def test_only_advice_of_this_question_can_be_rated(generalist, advised, expert, case, pool, money):
    question, advice_1, _advice_2, _experts = advised
    services.question_request_clarification(actor=expert, question=question, body="Vraag?")
    services.question_reply(actor=generalist, question=question, body="Antwoord.")
    not_advice = question.messages.exclude(kind=Message.Kind.ADVICE)
    assert not_advice.count() == 2
    elsewhere = services.question_submit(
        actor=generalist, question=draft(actor=generalist, case=case, pool=pool, domains=[money])
    )
    foreign_advice = services.question_advise(actor=expert, question=elsewhere, body="Ander.")
    for message in [*not_advice, foreign_advice]:
        with pytest.raises(ValidationError):
            services.question_close(
                actor=generalist,
                question=question,
                direction="confirmed",
                escalation="avoided",
                ratings={advice_1.pk: 4, message.pk: 4},
            )
    assert not CloseOut.objects.exists()
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED


def test_only_the_asking_team_closes(org, advised, make_user):
    question, *_rest, experts = advised
    lead = make_user(Role.TEAM_LEAD)
    other_team = TeamMembershipFactory(team=DistrictTeamFactory()).user
    for actor in (*experts, other_team, make_user(Role.TRIAGE), make_user(Role.MUNICIPALITY_ADMIN)):
        with pytest.raises(PermissionDenied):
            services.question_close(
                actor=actor, question=question, direction="confirmed", escalation="avoided"
            )
    assert not CloseOut.objects.exists()
    services.question_close(
        actor=lead, question=question, direction="confirmed", escalation="not_considered"
    )
    assert Question.objects.get(pk=question.pk).status == Status.CLOSED


def test_a_draft_cannot_be_closed(generalist, case, pool):
    question = draft(actor=generalist, case=case, pool=pool)
    with pytest.raises(ValidationError):
        services.question_close(
            actor=generalist, question=question, direction="confirmed", escalation="avoided"
        )


def test_reopen_returns_to_answered_and_keeps_the_close_out(generalist, advised):
    question, *_rest = advised
    services.question_close(
        actor=generalist, question=question, direction="confirmed", escalation="avoided"
    )

    services.question_reopen(actor=generalist, question=question, reason="Nieuwe vraag")

    stored = Question.objects.get(pk=question.pk)
    assert (stored.status, stored.closed_at) == (Status.ANSWERED, None)
    assert history(question)[-1] == (Status.CLOSED, Status.ANSWERED)
    assert QuestionTransition.objects.filter(question=question).last().reason == "Nieuwe vraag"
    assert CloseOut.objects.filter(question=question).count() == 1


def test_reopen_without_advice_returns_to_open(generalist, open_question):
    services.question_close(
        actor=generalist, question=open_question, direction="confirmed", escalation="avoided"
    )
    services.question_reopen(actor=generalist, question=open_question, reason="")
    assert Question.objects.get(pk=open_question.pk).status == Status.OPEN


def test_reopen_only_closed_questions_and_only_by_the_team(generalist, open_question, expert):
    with pytest.raises(ValidationError):
        services.question_reopen(actor=generalist, question=open_question, reason="")
    services.question_close(
        actor=generalist, question=open_question, direction="confirmed", escalation="avoided"
    )
    with pytest.raises(PermissionDenied):
        services.question_reopen(actor=expert, question=open_question, reason="")
    assert Question.objects.get(pk=open_question.pk).status == Status.CLOSED


def test_withdraw(generalist, open_question, expert, case, pool):
    with pytest.raises(PermissionDenied):
        services.question_withdraw(actor=expert, question=open_question)

    services.question_withdraw(actor=generalist, question=open_question, reason="Opgelost")

    stored = Question.objects.get(pk=open_question.pk)
    assert stored.status == Status.WITHDRAWN and stored.closed_at is not None
    entry = QuestionTransition.objects.filter(question=open_question).last()
    assert (entry.actor, entry.from_status, entry.reason) == (generalist, Status.OPEN, "Opgelost")
    with pytest.raises(TransitionNotAllowed):
        services.question_withdraw(actor=generalist, question=open_question)
    a_draft = draft(actor=generalist, case=case, pool=pool)
    services.question_withdraw(actor=generalist, question=a_draft)
    assert Question.objects.get(pk=a_draft.pk).status == Status.WITHDRAWN


# --- Attachments ---------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name="verslag.pdf", content=b"%PDF-1.4 test", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_attachment_add_stores_under_a_random_name(media, generalist, open_question):
    attachment = services.attachment_add(
        actor=generalist, question=open_question, upload=upload("Verslag School.PDF"), note="Zie p2"
    )

    assert (attachment.name, attachment.note, attachment.uploaded_by) == (
        "Verslag School.PDF",
        "Zie p2",
        generalist,
    )
    assert (attachment.content_type, attachment.size) == ("application/pdf", 13)
    assert "Verslag" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4 test"


@pytest.mark.parametrize("name", ["script.exe", "foto.gif", "archief.zip", "geen-extensie"])
def test_attachment_types_are_limited(media, generalist, open_question, name):
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(actor=generalist, question=open_question, upload=upload(name))
    assert "file" in refused.value.message_dict
    assert not Attachment.objects.exists()


def test_attachments_are_at_most_ten_megabytes(media, generalist, open_question):
    limit = services.MAX_ATTACHMENT_BYTES
    services.attachment_add(
        actor=generalist, question=open_question, upload=upload("a.txt", b"x" * limit)
    )
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload("b.txt", b"x" * (limit + 1))
        )
    assert "file" in refused.value.message_dict
    assert Attachment.objects.count() == 1


def test_the_teams_note_and_file_name_pass_the_privacy_guard(media, generalist, open_question):
    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload(), note="Brief van Zoë"
        )
    assert set(blocked.value.findings) == {"note"}
    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload("Berg verslag.pdf")
        )
    assert set(blocked.value.findings) == {"file"}
    assert not Attachment.objects.exists()

    services.attachment_add(
        actor=generalist,
        question=open_question,
        upload=upload(),
        note="Brief van Zoë",
        privacy_confirmed=True,
    )
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("name", ["verslag_Berg.pdf", "zoe_verslag.docx"])
def test_a_name_in_a_file_name_with_underscores_is_found(media, generalist, open_question, name):
    with pytest.raises(PrivacyCheckRequired):
        services.attachment_add(actor=generalist, question=open_question, upload=upload(name))


def test_experts_attach_without_the_teams_guard_but_only_when_they_may(
    media, org, open_question, expert
):
    attachment = services.attachment_add(
        actor=expert, question=open_question, upload=upload("folder.png", b"\x89PNG")
    )
    assert attachment.content_type == "image/png"
    housing = life_domain("wonen-en-leefbaarheid", "Wonen en leefbaarheid")
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=make_expert(make_pool(org, NETWORK), domains=[housing]),
            question=open_question,
            upload=upload(),
        )
    assert Attachment.objects.count() == 1


def test_no_attachments_on_final_questions(media, generalist, open_question):
    services.question_withdraw(actor=generalist, question=open_question)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=generalist, question=open_question, upload=upload())
    assert not Attachment.objects.exists()


# --- Notifications: the outbox rows --------------------------------------------------------------
def test_notify_twice_with_the_same_event_key_writes_no_duplicates(
    open_question, make_user, django_capture_on_commit_callbacks
):
    first, second = make_user(Role.EXPERT), make_user(Role.EXPERT)
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            notify(
                kind=Notification.Kind.REPLY,
                question=open_question,
                recipients=[first, second, first],
                event_key="test:dup",
            )
    rows = Notification.objects.filter(event_key="test:dup")
    assert rows.count() == 4
    assert sorted(rows.values_list("recipient_id", "channel")) == sorted(
        (user.pk, channel) for user in (first, second) for channel in Notification.Channel.values
    )


def test_notification_states_by_channel_and_email_mode(open_question, make_user):
    immediate = make_user(Role.EXPERT)
    daily = make_user(Role.EXPERT, notification_email_mode=User.EmailMode.DAILY)
    inactive = make_user(Role.EXPERT, is_active=False)

    notify(
        kind=Notification.Kind.REPLY,
        question=open_question,
        recipients=[immediate, daily, inactive],
        event_key="test:modes",
    )

    states = dict(
        ((n.recipient_id, n.channel), n.state)
        for n in Notification.objects.filter(event_key="test:modes")
    )
    assert states == {
        (immediate.pk, "in_app"): Notification.State.SENT,
        (immediate.pk, "email"): Notification.State.PENDING,
        (daily.pk, "in_app"): Notification.State.SENT,
        (daily.pk, "email"): Notification.State.IN_DIGEST,
    }


def test_emails_are_queued_on_commit_for_pending_rows_only(
    generalist, case, pool, money, django_capture_on_commit_callbacks, monkeypatch
):
    make_expert(pool, domains=[money])
    daily = make_expert(pool, domains=[money])
    User.objects.filter(pk=daily.pk).update(notification_email_mode=User.EmailMode.DAILY)
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    queued = []
    monkeypatch.setattr("consultation.notifications.queue_emails", queued.extend)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.question_submit(actor=generalist, question=question)

    assert len(callbacks) == 1
    pending = Notification.objects.get(
        question=question, channel="email", state=Notification.State.PENDING
    )
    assert queued == [pending.pk]


def test_nothing_is_queued_when_the_submit_is_refused(
    generalist, case, pool, money, django_capture_on_commit_callbacks
):
    make_expert(pool, domains=[money])
    question = draft(actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money])
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PrivacyCheckRequired),
    ):
        services.question_submit(actor=generalist, question=question)
    assert callbacks == []
