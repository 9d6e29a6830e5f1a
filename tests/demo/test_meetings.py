"""The demo's sessions: the expertise team Soest-Baarn has a held session with an outcome and
planned sessions with an agenda; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role, roles_of
from consultation.models import Message, Status
from consultation.selectors import questions_visible_to
from demo.data.organisation import TEAM_POOL
from meetings.models import AgendaItem, Invitation, MeetingSeries, Session
from meetings.selectors import sessions_visible_to
from tests.consultation.cast import CANARY_STRINGS
from tests.helpers import shared_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo")
        yield


def test_the_team_pool_meets_every_second_tuesday(demo):
    series = MeetingSeries.objects.get(pool__name=TEAM_POOL)
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    held = Session.objects.filter(series=series, status=Session.Status.HELD)
    assert held.count() == 1
    item = AgendaItem.objects.get(session=held.get())
    assert item.status == AgendaItem.Status.DISCUSSED
    assert item.outcome.kind == Message.Kind.ADVICE
    assert item.question.status == Status.ANSWERED
    assert item.participants.count() == 3
    upcoming = Session.objects.filter(series=series, status=Session.Status.PLANNED)
    assert upcoming.count() >= 3
    first = upcoming.order_by("starts_at").first()
    assert first.starts_at.weekday() == 1
    assert first.agenda.filter(status=AgendaItem.Status.ON_AGENDA).exists()
    responses = set(first.invitations.values_list("response", flat=True))
    assert {Invitation.Response.ACCEPTED, Invitation.Response.DECLINED} <= responses


def test_the_coordinator_and_the_experts_see_the_sessions_and_their_agenda(demo):
    coordinator = User.objects.get(email="coordinator@eemland.example")
    assert Role.COORDINATOR in roles_of(coordinator)
    first = (
        Session.objects.filter(pool__name=TEAM_POOL, status=Session.Status.PLANNED)
        .order_by("starts_at")
        .first()
    )
    assert sessions_visible_to(user=coordinator).filter(pk=first.pk).exists()
    question = first.agenda.first().question
    for invitation in first.invitations.filter(role=Invitation.Role.EXPERT):
        assert questions_visible_to(user=invitation.user).filter(pk=question.pk).exists()
    # The triage worker of another pool sees neither.
    triage = User.objects.get(email="triage@eemland.example")
    assert not sessions_visible_to(user=triage).filter(pk=first.pk).exists()


def test_the_outcome_names_no_resident(demo):
    for item in AgendaItem.objects.exclude(outcome=None).select_related("outcome"):
        for canary in [*CANARY_STRINGS, item.question.case.resident.last_name]:
            assert canary not in item.outcome.body


def test_loading_twice_adds_no_session(demo):
    before = (Session.objects.count(), AgendaItem.objects.count(), Invitation.objects.count())
    call_command("load_demo")
    assert (
        Session.objects.count(),
        AgendaItem.objects.count(),
        Invitation.objects.count(),
    ) == before
