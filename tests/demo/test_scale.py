"""`manage.py generate_scale_data`: a small data set is valid as the services would write it,
the demo accounts see the most, a second run does nothing, and the seed decides the data."""

import hashlib
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from consultation.models import (
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    QuestionTransition,
    QuestionUserObjectPermission,
    Reason,
    Status,
)
from consultation.privacy import ResidentIdentity, check_texts
from consultation.selectors import questions_visible_to
from consultation.services import ROUTE_BY_MODEL
from consultation.workflow import FINAL, TRANSITIONS
from demo.data.people import DEMO_PASSWORD, ROLE_ACCOUNTS
from demo.scale.generate import read_marker
from expertise.models import ExpertPool, ExpertProfile
from reports.selectors import municipalities_administered_by
from tests.helpers import shared_transaction, verify_session
from triage.models import TriageClaim, TriageDecision
from triage.selectors import queue_query
from wijkteam.models import (
    AuditEvent,
    Case,
    DistrictTeam,
    Region,
    Resident,
    ResidentGroupObjectPermission,
    TeamMembership,
)
from wijkteam.selectors import cases_visible_to

pytestmark = pytest.mark.django_db

N = 600
DEMO = dict(ROLE_ACCOUNTS)


def _generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", "--questions", str(N), *args, stdout=out, no_color=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    """N questions, built once for the module and rolled back after it. What the build does on
    commit runs at its end (the shared transaction never commits): it reuses user ids, and so
    makes the caches forget the roles of the users an earlier test module had under those ids."""
    from django.test import TestCase

    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock(), TestCase.captureOnCommitCallbacks(execute=True):
            output = _generate()
        yield output


def _digest() -> str:
    """A fingerprint of the data: a few tables, row by row."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for sql in (
            "SELECT id, email, password, first_name, last_name FROM accounts_user ORDER BY id",
            "SELECT id, pseudonym, status, created_at, closed_at, owner_id, team_id "
            "FROM wijkteam_case ORDER BY id",
            "SELECT id, first_name, last_name, date_of_birth, postcode FROM wijkteam_resident "
            "ORDER BY id",
            "SELECT * FROM consultation_question ORDER BY id",
            "SELECT * FROM consultation_questiontransition ORDER BY id",
            "SELECT * FROM consultation_notification ORDER BY id",
            "SELECT * FROM wijkteam_auditevent ORDER BY id",
        ):
            cursor.execute(sql)
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def _demo_user(role: str) -> User:
    return User.objects.get(email=DEMO[role])


# --- Where it refuses (before the module's data set exists) ----------------------------------
def test_refuses_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="never"):
        _generate()
    assert not Question.objects.exists()


def test_refuses_a_database_with_other_data(make_user):
    from accounts.roles import Role

    make_user(Role.GENERALIST)
    with pytest.raises(CommandError, match="--reset"):
        _generate()


# --- What it prints ----------------------------------------------------------------------------
def test_it_reports_each_step_with_its_time_and_the_rows(scale):
    assert "Cases and questions, lived through… done (" in scale
    assert f"{N:,}/{N:,} questions" in scale
    assert "consultation_question " in scale and "The scale data set is built." in scale
    for name in Resident.objects.values_list("last_name", flat=True)[:50]:
        assert name not in scale  # never personal data in the output


def test_a_second_run_with_the_same_arguments_does_nothing(scale):
    before = {model: model.objects.count() for model in (Question, Notification, User)}
    output = _generate()
    assert "already holds this data set" in output and "nothing to do" in output
    assert {model: model.objects.count() for model in before} == before


def test_other_arguments_on_this_data_need_reset(scale):
    with pytest.raises(CommandError, match="--reset"):
        _generate("--seed", "2")
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_scale_data", "--questions", str(N + 1), stdout=io.StringIO())


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(scale):
    first = _digest()
    _generate("--reset")
    assert _digest() == first
    _generate("--reset", "--seed", "7")
    assert _digest() != first
    assert read_marker(connection.cursor())["seed"] == 7


# --- Valid as the services write it -------------------------------------------------------------
def test_every_state_a_question_can_rest_in_occurs(scale):
    statuses = set(Question.objects.values_list("status", flat=True))
    # `submitted` is a passing state: question_submit routes the question at once.
    assert statuses == set(Status.values) - {Status.SUBMITTED}
    submitted = Question.objects.exclude(submitted_at=None)
    assert QuestionTransition.objects.filter(to_status=Status.SUBMITTED).count() == (
        submitted.count()
    )


def test_counts_follow_the_number_of_questions(scale):
    assert Question.objects.count() == N
    assert DistrictTeam.objects.count() == 24  # at least 24 teams, one per 2,000 questions
    cases = Case.objects.count()
    assert N / 4 <= cases < N
    assert Resident.objects.count() == cases
    assert not Case.objects.annotate(n=Count("questions")).filter(n=0).exists()
    assert ResidentGroupObjectPermission.objects.count() == cases
    links = QuestionExpert.objects.filter(declined_at=None).count()
    assert QuestionUserObjectPermission.objects.count() == 2 * links
    # Every collaboration model, in several regions.
    models = set(ExpertPool.objects.values_list("collaboration_model", flat=True))
    assert models == set(ExpertPool.CollaborationModel.values)
    assert (
        Region.objects.filter(municipalities__district_teams__isnull=False).distinct().count() >= 3
    )
    # The rows it says it wrote are there.
    table_counts = {
        line.split()[0]: int(line.split()[1].replace(",", ""))
        for line in scale.splitlines()
        if line.startswith("  consultation_") or line.startswith("  wijkteam_")
    }
    assert table_counts["consultation_question"] == N
    assert table_counts["consultation_notification"] == Notification.objects.count()
    assert table_counts["wijkteam_auditevent"] == AuditEvent.objects.count()


def test_each_history_starts_as_the_workflow_says_and_ends_in_the_status(scale):
    routes = {model: route for model, (route, _code) in ROUTE_BY_MODEL.items()}
    histories: dict[int, list] = {}
    for step in QuestionTransition.objects.order_by("question_id", "created_at", "pk"):
        histories.setdefault(step.question_id, []).append(step)
    questions = Question.objects.select_related("pool")
    for question in questions:
        steps = histories[question.pk]
        assert (steps[0].from_status, steps[0].to_status) == ("", Status.DRAFT)
        assert steps[0].reason_code == Reason.DRAFT_SAVED
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status, question.pk
            same = after.from_status == after.to_status == Status.IN_TRIAGE
            assert same or after.to_status in TRANSITIONS[after.from_status], question.pk
            assert after.created_at >= before.created_at
        assert steps[-1].to_status == question.status, question.pk
        if question.submitted_at is not None:
            assert steps[1].to_status == Status.SUBMITTED
            assert steps[2].to_status == routes[question.pool.collaboration_model]
            assert steps[2].actor_id is None
        assert (question.closed_at is not None) == (question.status in FINAL)
        assert bool(question.status_before_clarification) == (
            question.status == Status.NEEDS_CLARIFICATION
        )
        assert question.last_activity_at >= steps[-1].created_at
        assert question.created_at == steps[0].created_at


def test_triage_claims_decisions_and_experts_are_consistent(scale):
    for claim in TriageClaim.objects.select_related("question__pool"):
        assert claim.question.status == Status.IN_TRIAGE
        assert claim.question.pool.triage_workers.filter(pk=claim.worker_id).exists()
    triage_pools = ExpertPool.objects.filter(collaboration_model="triage")
    decided = TriageDecision.objects.values_list("question__pool", flat=True).distinct()
    assert set(decided) <= set(triage_pools.values_list("pk", flat=True))
    for link in QuestionExpert.objects.select_related("question"):
        in_pool = ExpertProfile.objects.filter(user=link.expert_id, pools=link.question.pool_id)
        assert in_pool.exists()
        granted = QuestionUserObjectPermission.objects.filter(
            user=link.expert_id, content_object=link.question_id
        ).count()
        assert granted == (0 if link.declined_at else 2)
    # Advice comes from experts on the question or the pool's triage worker.
    for message in Message.objects.filter(kind=Message.Kind.ADVICE).select_related("question"):
        on_it = QuestionExpert.objects.filter(question=message.question, expert=message.author)
        triage = message.question.pool.triage_workers.filter(pk=message.author_id)
        assert on_it.exists() or triage.exists()


def test_the_outbox_holds_history_not_work(scale):
    emails = Notification.objects.filter(channel=Notification.Channel.EMAIL)
    states = set(emails.values_list("state", flat=True))
    assert states <= {"sent", "in_digest", "failed"}, "nothing for a worker to send at once"
    assert not emails.filter(state="in_digest", digest=False).exists()
    in_app = Notification.objects.filter(channel=Notification.Channel.IN_APP)
    assert in_app.filter(read_at__isnull=False).count() > 0.7 * in_app.count()
    assert (
        not QuestionRead.objects.values("question", "user").annotate(n=Count("pk")).filter(n__gt=1)
    )


def test_team_groups_hold_exactly_the_members(scale):
    for team in DistrictTeam.objects.select_related("group"):
        members = set(TeamMembership.objects.filter(team=team).values_list("user", flat=True))
        assert set(team.group.user_set.values_list("pk", flat=True)) == members
        assert team.group.name == f"wijkteam:{team.pk}"


def test_the_texts_pass_the_privacy_guard(scale):
    for question in Question.objects.select_related("case__resident")[:200]:
        identity = ResidentIdentity.of(question.case.resident)
        texts = {
            "title": question.title,
            "situation": question.situation,
            "tried": question.tried,
            "question": question.question,
        }
        for message in question.messages.filter(kind__in=["reply", "follow_up"]):
            texts[f"message {message.pk}"] = message.body
        assert check_texts(texts, identity) == {}


# --- The demo accounts ---------------------------------------------------------------------------
def test_the_demo_accounts_exist_and_sign_in_with_the_demo_password(scale):
    for _role, email in ROLE_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.is_demo_account
        assert check_password(DEMO_PASSWORD, user.password)
    assert not User.objects.filter(is_demo_account=False, password__startswith="md5").exists()


def _most(users, count, demo: User) -> None:
    counts = {user.email: count(user) for user in users}
    assert counts[demo.email] > 0
    assert counts[demo.email] == max(counts.values()), sorted(counts.items(), key=lambda i: -i[1])[
        :3
    ]


def test_the_demo_accounts_see_the_most_of_their_role(scale):
    generalists = User.objects.filter(team_memberships__role="generalist").distinct()
    leads = User.objects.filter(team_memberships__role="team_lead").distinct()
    experts = User.objects.filter(expert_profile__isnull=False)
    triage_workers = User.objects.filter(triage_pools__isnull=False).distinct()
    admins = User.objects.filter(administered_municipalities__isnull=False).distinct()
    assert generalists.count() > 100 and experts.count() > 20 and triage_workers.count() >= 2

    def visible(user):
        return questions_visible_to(user=user).count()

    def cases(user):
        return cases_visible_to(user=user).count()

    _most(generalists, visible, _demo_user("generalist"))
    _most(generalists, cases, _demo_user("generalist"))
    _most(leads, visible, _demo_user("team_lead"))
    _most(experts, visible, _demo_user("expert"))
    _most(triage_workers, lambda user: queue_query(user=user).count(), _demo_user("triage"))

    def teams(user):
        return sum(m.team_count for m in municipalities_administered_by(user=user))

    _most(admins, teams, _demo_user("municipality_admin"))


def test_the_demo_accounts_pages_render(scale, client):
    expert = _demo_user("expert")
    verify_session(client, expert)
    assert client.get(reverse("expertise:home")).status_code == 200
    seen = questions_visible_to(user=expert).exclude(status=Status.DRAFT).first()
    assert client.get(reverse("consultation:question", args=[seen.pk])).status_code == 200

    generalist = _demo_user("generalist")
    verify_session(client, generalist)
    assert client.get(reverse("wijkteam:home")).status_code == 200
    own = questions_visible_to(user=generalist).first()
    assert client.get(reverse("consultation:question", args=[own.pk])).status_code == 200
    case = cases_visible_to(user=generalist).first()
    assert client.get(reverse("wijkteam:case", args=[case.pseudonym])).status_code == 200

    triage = _demo_user("triage")
    verify_session(client, triage)
    assert client.get(reverse("triage:home")).status_code == 200
    waiting = queue_query(user=triage).first()
    assert client.get(reverse("triage:question", args=[waiting.pk])).status_code == 200


def test_what_pages_cache_per_user_is_forgotten_when_the_data_set_is_replaced(
    scale, client, django_capture_on_commit_callbacks
):
    """--reset gives the ids to new rows: the bell's cached count (and the cached roles) of a
    user id must not survive it. (What forgets them runs on commit; the test runs it.)"""
    expert = _demo_user("expert")
    verify_session(client, expert)
    home = reverse("expertise:home")
    assert client.get(home).context["unread_notifications"] > 0  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        _generate("--reset")
    Notification.objects.filter(recipient=expert).update(read_at=timezone.now())
    again = Client()  # the old session went with the reset
    verify_session(again, _demo_user("expert"))
    assert again.get(home).context["unread_notifications"] == 0


def test_load_demo_afterwards_adds_its_cases_and_changes_no_structure(scale):
    def structure():
        return {
            "pool_teams": sorted(
                ExpertPool.teams.through.objects.values_list("expertpool_id", "districtteam_id")
            ),
            "pool_experts": sorted(
                ExpertProfile.pools.through.objects.values_list("expertprofile_id", "expertpool_id")
            ),
            "domains": sorted(
                ExpertProfile.life_domains.through.objects.values_list(
                    "expertprofile_id", "lifedomain_id"
                )
            ),
            "members": sorted(TeamMembership.objects.values_list("team_id", "user_id", "role")),
            "triage": sorted(
                ExpertPool.triage_workers.through.objects.values_list("expertpool_id", "user_id")
            ),
            "users": sorted(User.objects.values_list("pk", "email", "password")),
        }

    before, questions = structure(), Question.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert structure() == before
    assert Question.objects.count() > questions
