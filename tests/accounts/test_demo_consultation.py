"""The demo cases and questions: every reachable state, believable, private and idempotent."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    QuestionTransition,
    Status,
)
from consultation.privacy import ResidentIdentity, find_identity_leaks
from consultation.selectors import expert_inbox, team_cases, unread_notification_count
from wijkteam.models import AuditEvent, Case, Resident

pytestmark = pytest.mark.django_db

# `assigned` and `redirected` need the triage decisions of a later issue; `submitted` is a
# passing state (a submitted question is routed at once).
REACHABLE = {
    Status.DRAFT,
    Status.OPEN,
    Status.IN_TRIAGE,
    Status.SCHEDULED,
    Status.ANSWERED,
    Status.NEEDS_CLARIFICATION,
    Status.CLOSED,
    Status.WITHDRAWN,
}


@pytest.fixture
def demo():
    call_command("load_demo")


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Resident,
            Case,
            Question,
            Message,
            QuestionTransition,
            QuestionExpert,
            Notification,
            QuestionRead,
            CloseOut,
            AdviceRating,
            AuditEvent,
        )
    }


def test_every_reachable_status_is_present(demo):
    statuses = set(Question.objects.values_list("status", flat=True))
    assert statuses >= REACHABLE
    assert 12 <= Case.objects.count() <= 16
    assert Case.objects.values("team").distinct().count() >= 6
    pools = set(Question.objects.values_list("pool__collaboration_model", flat=True))
    assert pools == {"network", "team", "triage"}
    assert set(Question.objects.values_list("urgency", flat=True)) == {"normal", "urgent"}

    open_questions = Question.objects.filter(status=Status.OPEN).annotate(n=Count("experts"))
    assert open_questions.filter(n=0).exists(), "an open question nobody has picked up"
    assert open_questions.filter(n__gt=0).exists(), "an open question an expert picked up"

    # Advice from several angles: two experts advised on one answered question.
    assert (
        Question.objects.filter(status=Status.ANSWERED, messages__kind=Message.Kind.ADVICE)
        .annotate(n=Count("messages__author", distinct=True))
        .filter(n__gte=2)
        .exists()
    )
    # Answered again after the generalist replied to a clarification request.
    assert Question.objects.filter(
        status=Status.ANSWERED,
        transitions__from_status=Status.NEEDS_CLARIFICATION,
        transitions__to_status=Status.ANSWERED,
    ).exists()
    # Reopened after a close-out: the earlier close-out is kept.
    reopened = Question.objects.filter(transitions__from_status=Status.CLOSED).distinct()
    assert reopened.exists()
    assert all(q.close_outs.exists() and q.closed_at is None for q in reopened)
    # Closed with the close-out form: direction, escalation, ratings of every advice.
    for question in Question.objects.filter(status=Status.CLOSED):
        close_out = question.close_outs.get()
        assert close_out.direction and close_out.escalation
        advice = question.messages.filter(kind=Message.Kind.ADVICE).count()
        assert close_out.ratings.count() == advice >= 1
        assert question.closed_at is not None
    assert Message.objects.filter(kind=Message.Kind.REPLY).exists()
    assert Message.objects.filter(kind=Message.Kind.FOLLOW_UP).exists()
    assert Message.objects.filter(kind=Message.Kind.CLARIFICATION_REQUEST).exists()


def test_every_text_passes_the_privacy_guard(demo):
    for question in Question.objects.select_related("case__resident"):
        identity = ResidentIdentity.of(question.case.resident)
        texts = [question.title, question.situation, question.tried, question.question]
        texts += list(question.messages.values_list("body", flat=True))
        texts += list(question.transitions.values_list("reason", flat=True))
        texts += list(question.close_outs.values_list("comment", flat=True))
        for text in texts:
            assert find_identity_leaks(text, identity) == [], (question.title, text)


def test_loading_twice_changes_nothing():
    call_command("load_demo")
    before = _counts()
    assert before["Question"] >= 12
    call_command("load_demo")
    assert _counts() == before


def test_histories_grants_and_audit_are_real(demo):
    for question in Question.objects.all():
        history = list(question.transitions.values_list("from_status", "to_status"))
        assert history[0] == ("", Status.DRAFT)
        assert history[-1][1] == question.status
        for (_, previous), (start, _) in zip(history, history[1:], strict=False):
            assert start == previous
    # Every expert on a question holds the row-level grants.
    for link in QuestionExpert.objects.select_related("expert", "question"):
        assert link.expert.has_perm("consultation.view_question", link.question)
        assert link.expert.has_perm("consultation.advise_question", link.question)
    # Registering a resident and opening a case were written to the audit log.
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE)
    assert created.filter(object_type="wijkteam.Resident").count() == Resident.objects.count()
    assert created.filter(object_type="wijkteam.Case").count() == Case.objects.count()


def test_times_are_spread_over_the_last_weeks(demo):
    now = timezone.now()
    created = sorted(Question.objects.values_list("created_at", flat=True))
    assert created[0] < now - timedelta(days=28)
    assert created[-1] > now - timedelta(days=4)
    for question in Question.objects.all():
        assert question.created_at <= question.last_activity_at <= now
        if question.status != Status.DRAFT:
            assert question.created_at <= question.submitted_at <= question.last_activity_at
        moments = list(question.transitions.values_list("created_at", flat=True))
        assert moments == sorted(moments)
        assert moments[-1] <= question.last_activity_at
        for moment in question.messages.values_list("created_at", flat=True):
            assert question.created_at <= moment <= question.last_activity_at
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert Case.objects.filter(created_at__lt=now - timedelta(days=28)).exists()


def test_generalist_sees_the_team_cases_with_unread_news(demo):
    generalist = User.objects.get(email="generalist@eemland.example")
    cases = list(team_cases(user=generalist))
    questions = [q for case in cases for q in case.questions.all()]
    assert len(cases) >= 5
    assert {q.status for q in questions} >= {
        Status.DRAFT,
        Status.OPEN,
        Status.ANSWERED,
        Status.NEEDS_CLARIFICATION,
        Status.CLOSED,
    }
    assert any(q.is_unread for q in questions)
    assert any(not q.is_unread for q in questions)
    assert unread_notification_count(user=generalist) > 0


def test_expert_has_an_inbox_with_unread_questions(demo):
    expert = User.objects.get(email="expert@eemland.example")
    inbox = list(expert_inbox(user=expert))
    assert len(inbox) >= 4
    assert any(q.is_unread for q in inbox)
    assert any(not q.is_unread for q in inbox)
    assert any(not q.experts.all() for q in inbox), "something new nobody has picked up"
    assert any(expert in [link.expert for link in q.experts.all()] for q in inbox)
    assert unread_notification_count(user=expert) > 0
    # Read and unread notifications both, so the bell looks used.
    mine = Notification.objects.filter(recipient=expert, channel=Notification.Channel.IN_APP)
    assert mine.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("weekday", range(7))
def test_demo_clock_uses_working_days_in_the_past(weekday):
    from datetime import datetime

    from accounts.demo_consultation import CASES, _Clock

    monday = timezone.make_aware(datetime(2026, 11, 16, 7, 30))
    now = monday + timedelta(days=weekday)
    clock = _Clock(now)
    for spec in CASES:
        clock.start_case()
        moments = [clock.at(*spec.opened)]
        moments += [clock.at(step.days_ago, step.at) for step in spec.question.steps]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)
        for moment in moments:
            assert moment < now
            assert timezone.localtime(moment).weekday() < 5
