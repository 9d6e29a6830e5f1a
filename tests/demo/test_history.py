"""The demo's year of history (demo.history): enough for the municipality's dashboard to look
lived-in, spread as a region's questions are, all of it past, and private."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Question,
    QuestionTransition,
    Status,
)
from consultation.selectors import expert_inbox
from consultation.workflow import FINAL, TRANSITIONS
from demo import history
from demo.data.history import LEFT_ANSWERED
from demo.history import history_q
from hours.models import TimeEntry
from meetings.models import AgendaItem, Session
from reports.kpis import DASHBOARD_QUERIES, dashboard
from reports.periods import Period
from reports.scope import ReportFilter
from tests.helpers import shared_transaction
from triage.clock import AMSTERDAM
from triage.models import TriageDecision
from triage.selectors import queue_for
from wijkteam.models import AuditEvent, DistrictTeam, Municipality, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo")
        yield


def _history():
    return Question.objects.filter(history_q())


def _last_year() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=365), today)


def test_there_are_questions_in_each_of_the_last_twelve_months(demo):
    per_month = dict(
        _history()
        .annotate(month=TruncMonth("submitted_at", tzinfo=AMSTERDAM))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    per_month = {month.date(): n for month, n in per_month.items()}
    this_month = timezone.localdate().replace(day=1)
    months = [this_month - relativedelta(months=back) for back in range(1, 13)]
    assert all(per_month.get(month, 0) >= 20 for month in months), per_month
    assert 600 <= sum(per_month.values()) <= 1200
    # Quiet in the summer holidays and in December, busy after the summer.
    summer = [n for month, n in per_month.items() if month.month in (7, 8)]
    autumn = [n for month, n in per_month.items() if month.month in (9, 10)]
    assert max(summer) < min(autumn)


def test_teams_ask_very_differently_and_one_hardly_asks(demo):
    asked = dict(_history().values_list("team__name").annotate(n=Count("pk")))
    assert set(asked) == set(history.TEAMS)
    assert asked["Wijkteam Amersfoort-Centrum"] > 10 * asked[history.HARDLY_ASKS]
    assert asked[history.HARDLY_ASKS] <= 12
    quiet_since = timezone.now() - timedelta(days=30 * history.SILENT_MONTHS)
    assert not _history().filter(team__name=history.HARDLY_ASKS, submitted_at__gte=quiet_since)
    # Every life domain asked about, with the team's own leaning.
    domains = _history().values("life_domains__slug").annotate(n=Count("pk"))
    assert {row["life_domains__slug"] for row in domains} >= set(history.DOMAIN_SHARES)
    assert _history().filter(target_groups__isnull=False).distinct().count() > 500


def test_every_kind_of_triage_decision_and_ending(demo):
    decisions = TriageDecision.objects.filter(history_q("question__"))
    kinds = dict(decisions.values_list("kind").annotate(n=Count("pk")))
    assert set(kinds) == set(TriageDecision.Kind.values)
    assert all(n >= 5 for n in kinds.values()), kinds
    targets = set(decisions.filter(kind="redirect").values_list("redirect_target", flat=True))
    assert targets == {"regular_care", "other_pool", "gp"}
    statuses = dict(_history().values_list("status").annotate(n=Count("pk")))
    assert statuses.keys() <= FINAL | {Status.ANSWERED}
    assert statuses[Status.CLOSED] > 0.85 * sum(statuses.values())
    assert statuses[Status.WITHDRAWN] and statuses[Status.REDIRECTED]
    assert statuses.get(Status.ANSWERED, 0) <= LEFT_ANSWERED


def test_close_outs_rate_every_advice_and_sessions_were_held(demo):
    closed = _history().filter(status=Status.CLOSED)
    assert CloseOut.objects.filter(question__in=closed).count() == closed.count()
    advice = Message.objects.filter(question__in=closed, kind=Message.Kind.ADVICE)
    assert AdviceRating.objects.filter(close_out__question__in=closed).count() == advice.count()
    escalations = set(CloseOut.objects.filter(question__in=closed).values_list("escalation"))
    assert len(escalations) == len(CloseOut.Escalation.values)
    held = Session.objects.filter(status=Session.Status.HELD, agenda__isnull=False).distinct()
    assert held.count() >= 20
    assert AgendaItem.objects.filter(outcome__isnull=False, status="discussed").count() >= 40
    assert TimeEntry.objects.filter(activity="session").exists()
    assert TimeEntry.objects.filter(question__in=_history(), activity="advice").count() > 300


def test_its_history_moves_only_as_the_workflow_allows(demo):
    """The history is written in bulk, not through consultation.workflow (see
    tests/consultation/test_workflow_table.py): each question's recorded moves are still moves
    of the workflow's table, in an unbroken chain ending at the status it holds."""
    chains: dict[int, list[tuple[str, str]]] = {}
    for question_id, source, target in (
        QuestionTransition.objects.filter(history_q("question__"))
        .order_by("question_id", "created_at", "pk")
        .values_list("question_id", "from_status", "to_status")
    ):
        chains.setdefault(question_id, []).append((source, target))
    statuses = dict(Question.objects.filter(history_q()).values_list("pk", "status"))
    assert chains.keys() == statuses.keys()
    for question_id, moves in chains.items():
        # An entry that keeps the status (sharpening) is a note, not a move.
        wrong = [m for m in moves if m[0] and m[0] != m[1] and m[1] not in TRANSITIONS[m[0]]]
        assert not wrong, (question_id, wrong)
        assert all(a[1] == b[0] for a, b in zip(moves, moves[1:], strict=False)), moves
        assert moves[-1][1] == statuses[question_id]


def test_nothing_of_it_waits_in_an_inbox(demo):
    expert = User.objects.get(email="expert@eemland.example")
    triage = User.objects.get(email="triage@eemland.example")
    inbox = expert_inbox(user=expert)[0:200]
    old = set(_history().values_list("pk", flat=True))
    # Only the handful left answered (open to the network's experts until the team closes).
    from_history = [q for q in inbox if q.pk in old]
    assert inbox and len(from_history) <= LEFT_ANSWERED
    assert all(q.status == Status.ANSWERED for q in from_history)
    assert not [q for q in queue_for(user=triage) if q in set(_history())]
    # Each history question's case was registered in the audit log, as the services do.
    cases = _history().values("case")
    assert AuditEvent.objects.filter(object_type="wijkteam.Case", object_id__in=cases).count() == (
        cases.count()
    )


def test_the_dashboard_has_figures_for_the_demo_municipality_and_region(
    demo, django_assert_num_queries
):
    amersfoort = Municipality.objects.get(name="Amersfoort")
    f = ReportFilter.for_municipality(amersfoort, _last_year())
    dashboard(f)  # warm up: content types, translations
    # A year of a region's questions takes as many queries as the hand-made world's few
    # (tests/reports/test_kpis.py pins them there).
    with django_assert_num_queries(DASHBOARD_QUERIES):
        figures = dashboard(f)
    teams = set(DistrictTeam.objects.filter(municipality=amersfoort).values_list("pk", flat=True))
    assert set(figures.questions.per_team) == teams
    assert figures.questions.total > 400
    assert all(month > 0 for month in figures.questions.per_month)
    timing = figures.timing
    assert 1.0 <= timing.first_advice.median <= 5.0 < timing.first_advice.p90 <= 15.0
    # Most answered within 7 working days, some late.
    assert 0.75 <= timing.answered_within.value < 0.97
    assert figures.close_outs.total > 300 and figures.close_outs.avoided > 100
    assert 0.2 < figures.close_outs.new_direction_share.value < 0.6
    assert len(figures.usefulness) >= 8
    assert len({round(r.average, 1) for r in figures.usefulness}) > 3, "ratings differ"
    assert figures.hours and all(p.billable_minutes > 0 for p in figures.hours)

    region = dashboard(ReportFilter.for_region(Region.objects.get(), _last_year()))
    assert all(n > 0 for _, n in region.triage.counts), region.triage.counts
    assert 0.6 < region.timing.triage_on_time.value < 1.0
    assert region.sessions.held >= 20 and region.sessions.questions_discussed >= 40
    assert any(p.beyond_cap_minutes for p in region.hours) or region.hours


def test_the_history_is_bulk_written_and_loads_only_once(demo, django_assert_max_num_queries):
    before = Question.objects.count()
    assert history.load_demo_history() == 0
    assert Question.objects.count() == before
    teams = {t.name: t for t in DistrictTeam.objects.filter(name__in=history.TEAMS)}
    # Written again in a savepoint: a fixed number of queries, however many questions.
    with transaction.atomic():
        with django_assert_max_num_queries(80), history._timestamps_as_given():
            written = history._History(teams).write()
        assert written > 600
        transaction.set_rollback(True)
