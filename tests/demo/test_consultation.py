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
    QuestionRevision,
    QuestionTransition,
    Status,
)
from consultation.privacy import ResidentIdentity, find_identity_leaks
from consultation.selectors import expert_inbox, team_cases, unread_notification_count
from demo import history
from demo.history import history_q
from expertise.models import ExpertPool
from tests.helpers import shared_transaction
from triage.models import RedirectTarget, TriageClaim, TriageDecision
from triage.selectors import decisions_today, late_for, queue_for
from triage.services import release_idle_claims
from wijkteam.models import AuditEvent, Case, Resident

pytestmark = pytest.mark.django_db

# Every status but `submitted`, a passing state (a submitted question is routed at once).
REACHABLE = set(Status) - {Status.SUBMITTED}
TRIAGE_POOL = "Expertisepool Eemland (triage)"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (it takes seconds) and rolled back after it; each
    test runs in its own savepoint on top of it."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo")
        yield


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
            TriageClaim,
            TriageDecision,
            QuestionRevision,
        )
    }


def test_every_reachable_status_is_present(demo):
    statuses = set(Question.objects.values_list("status", flat=True))
    assert statuses >= REACHABLE
    scripted = Case.objects.exclude(resident__last_name__in=history.SURNAMES)
    assert 24 <= scripted.count() <= 32
    assert scripted.values("team").distinct().count() >= 6
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
        # What triage wrote: the sharpened version, earlier versions, reasons, declines.
        texts.append(question.summary)
        for revision in question.revisions.all():
            texts += [revision.title, revision.summary]
        texts += list(question.triage_decisions.values_list("reason", flat=True))
        texts += list(question.experts.values_list("decline_reason", flat=True))
        for text in texts:
            assert find_identity_leaks(text, identity) == [], (question.title, text)


def test_loading_twice_changes_nothing(demo):
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
    # Every expert on a question holds the row-level grants, until they decline an assignment.
    for link in QuestionExpert.objects.select_related("expert", "question"):
        holds = link.declined_at is None
        assert link.expert.has_perm("consultation.view_question", link.question) is holds
        assert link.expert.has_perm("consultation.advise_question", link.question) is holds
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
    questions = [q for case in cases for q in case.recent_questions]
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
    inbox = expert_inbox(user=expert)[0:100]  # the first pages
    assert len(inbox) >= 4
    assert any(q.is_unread for q in inbox)
    assert any(not q.is_unread for q in inbox)
    assert any(not q.experts.all() for q in inbox), "something new nobody has picked up"
    assert any(expert in [link.expert for link in q.experts.all()] for q in inbox)
    assert unread_notification_count(user=expert) > 0
    # Read and unread notifications both, so the bell looks used.
    mine = Notification.objects.filter(recipient=expert, channel=Notification.Channel.IN_APP)
    assert mine.filter(read_at__isnull=False).exists()


def _kinds(question):
    return set(question.triage_decisions.values_list("kind", flat=True))


def test_the_triage_pool_has_questions_in_every_triage_state(demo):
    pool = ExpertPool.objects.get(name=TRIAGE_POOL)
    worker = User.objects.get(email="triage@eemland.example")
    questions = Question.objects.filter(pool=pool).exclude(history_q())  # the scripted ones
    Kind = TriageDecision.Kind

    # Waiting in the queue: unclaimed urgent and normal, one claimed by the triage worker.
    waiting = questions.filter(status=Status.IN_TRIAGE)
    unclaimed = waiting.filter(triage_claim__isnull=True)
    assert unclaimed.filter(urgency=Question.Urgency.URGENT).exists()
    assert unclaimed.filter(urgency=Question.Urgency.NORMAL).exists()
    claimed = waiting.filter(triage_claim__worker=worker)
    assert claimed.exists()
    # The claim is fresh: the beat task does not release it as idle.
    assert release_idle_claims() == 0
    assert TriageClaim.objects.filter(worker=worker).count() == claimed.count()

    # Asked for clarification by triage, not answered yet: the reply returns it to the queue.
    asked = questions.filter(
        status=Status.NEEDS_CLARIFICATION, status_before_clarification=Status.IN_TRIAGE
    )
    assert asked.exists()
    for question in asked:
        assert _kinds(question) == {Kind.CLARIFY}
        assert question.messages.get().author == worker
    # ... and one the generalist answered: back in the queue.
    returned = waiting.filter(
        transitions__from_status=Status.NEEDS_CLARIFICATION,
        transitions__to_status=Status.IN_TRIAGE,
        messages__kind=Message.Kind.REPLY,
    ).distinct()
    assert returned.exists()
    assert all(_kinds(q) == {Kind.CLARIFY} for q in returned)

    # Sharpened, then assigned to two experts: one accepted, one has not responded yet.
    sharpened = questions.filter(status=Status.ASSIGNED, revisions__isnull=False).distinct()
    assert sharpened.exists()
    question = sharpened.get()
    assert _kinds(question) == {Kind.SHARPEN, Kind.ASSIGN}
    revision = question.revisions.get()
    assert revision.title != question.title and question.summary and not revision.summary
    links = question.experts.filter(kind=QuestionExpert.Kind.ASSIGNED, declined_at__isnull=True)
    assert links.count() == 2
    assert links.filter(accepted_at__isnull=False).count() == 1
    assert not question.messages.exists()

    # Assigned, declined by the only expert: back in the queue, without grants for them.
    declined = waiting.filter(
        experts__declined_at__isnull=False,
        transitions__from_status=Status.ASSIGNED,
        transitions__to_status=Status.IN_TRIAGE,
    ).distinct()
    assert declined.exists()
    for question in declined:
        link = question.experts.get()
        assert link.decline_reason
        assert not link.expert.has_perm("consultation.view_question", question)

    # Answered directly by triage, and answered by an assigned expert who accepted first.
    answered = questions.filter(status=Status.ANSWERED)
    by_triage = answered.filter(triage_decisions__kind=Kind.ANSWER).distinct()
    assert by_triage.exists()
    assert all(q.messages.get(kind=Message.Kind.ADVICE).author == worker for q in by_triage)
    by_expert = answered.filter(triage_decisions__kind=Kind.ASSIGN).distinct()
    assert by_expert.exists()
    for question in by_expert:
        link = question.experts.get()
        assert link.kind == QuestionExpert.Kind.ASSIGNED and link.accepted_at is not None
        assert question.messages.get(kind=Message.Kind.ADVICE).author == link.expert

    # A multidisciplinary session planned.
    scheduled = questions.filter(status=Status.SCHEDULED)
    assert scheduled.exists()
    assert all(_kinds(q) == {Kind.SESSION} for q in scheduled)

    # Redirected, to the voorliggend veld and back to the GP, each with a note.
    redirected = questions.filter(status=Status.REDIRECTED)
    targets = set(
        TriageDecision.objects.filter(question__in=redirected).values_list(
            "redirect_target", flat=True
        )
    )
    assert targets == {RedirectTarget.REGULAR_CARE, RedirectTarget.GP}
    for question in redirected:
        assert question.messages.get().kind == Message.Kind.TRIAGE_NOTE
        assert question.closed_at is not None

    # Closed by the generalist after triage, with the triage worker's advice rated.
    closed = questions.filter(status=Status.CLOSED, triage_decisions__isnull=False).distinct()
    assert closed.exists()
    for question in closed:
        assert question.close_outs.get().ratings.get().message.author == worker

    assert set(questions.values_list("status", flat=True)) == {
        Status.IN_TRIAGE,
        Status.NEEDS_CLARIFICATION,
        Status.ASSIGNED,
        Status.ANSWERED,
        Status.SCHEDULED,
        Status.REDIRECTED,
        Status.CLOSED,
    }
    assert set(TriageDecision.objects.values_list("kind", flat=True)) == set(Kind)
    assert set(TriageDecision.objects.values_list("worker", flat=True)) == {worker.pk}


def test_the_triage_worker_home_is_not_empty(demo):
    worker = User.objects.get(email="triage@eemland.example")
    queue = queue_for(user=worker)
    assert len(queue) >= 5
    assert any(q.claim and q.claim.worker == worker for q in queue)
    assert any(q.claim is None for q in queue)
    # Urgent first.
    urgent = [q.urgency == Question.Urgency.URGENT for q in queue]
    assert urgent == sorted(urgent, reverse=True)

    late = late_for(user=worker)
    assert any(q.late_reason == "triage" and q.status == Status.IN_TRIAGE for q in late)
    # Only the worker's own pool.
    assert {q.pk for q in late} <= set(
        Question.objects.filter(pool__name=TRIAGE_POOL).values_list("pk", flat=True)
    )

    today = list(decisions_today(user=worker))
    assert len(today) >= 2
    assert all(timezone.localdate(d.created_at) == timezone.localdate() for d in today)


def test_triage_times_are_backdated_and_in_order(demo):
    now = timezone.now()
    questions = Question.objects.filter(pool__name=TRIAGE_POOL).exclude(status=Status.DRAFT)
    for question in questions:
        moments = [
            *question.triage_decisions.values_list("created_at", flat=True),
            *question.revisions.values_list("created_at", flat=True),
            *question.experts.values_list("created_at", flat=True),
            *question.experts.exclude(accepted_at=None).values_list("accepted_at", flat=True),
            *question.experts.exclude(declined_at=None).values_list("declined_at", flat=True),
        ]
        for moment in moments:
            assert question.submitted_at < moment <= question.last_activity_at <= now
        # Each decision is written together with its step in the history.
        steps = set(question.transitions.values_list("created_at", flat=True))
        for decision in question.triage_decisions.exclude(kind=TriageDecision.Kind.SHARPEN):
            assert decision.created_at in steps
    # Decisions are spread over the last weeks, not all made while loading.
    decided = TriageDecision.objects.values_list("created_at", flat=True)
    assert min(decided) < now - timedelta(days=7)
    for claim in TriageClaim.objects.select_related("question"):
        assert claim.question.submitted_at < claim.claimed_at <= claim.touched_at <= now


def test_the_table_holds_every_move_the_demo_journeys_make(demo):
    """The demo plays every state of the life cycle through the real services: each status
    change they recorded is a move of consultation.workflow's table (an entry that keeps the
    status, such as sharpening, is a note, not a move)."""
    from consultation.workflow import MOVES

    steps = set(
        QuestionTransition.objects.exclude(from_status="")
        .values_list("from_status", "to_status")
        .distinct()
    )
    moves = {(source, target) for source, target in steps if source != target}
    assert len(moves) >= 15  # the demo really walks the life cycle
    assert moves <= {(m.source, m.target) for m in MOVES}
