"""The sweep of the session e-mails: what the on-commit hook never did (its process died right
after the commit, or the broker was down) is done later, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import tasks as meetings_tasks
from meetings.invitations import mark_told
from meetings.models import Invitation, Session, SessionMail
from meetings.services.planning import session_cancel, session_plan
from meetings.tasks import on_announce, send_session_mail, sweep_session_mail
from tests.meetings.helpers import ask_team, build_team_pool, moment
from tests.meetings.mailing import event_of

pytestmark = pytest.mark.django_db

Kind = SessionMail.Kind


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def queued(monkeypatch):
    ids: list[int] = []
    monkeypatch.setattr(meetings_tasks, "queue_session_mail", ids.extend)
    return ids


def deliver(queued) -> list[str]:
    results = [send_session_mail(pk) for pk in list(queued)]
    queued.clear()
    return results


def _age(session, minutes=10):
    """As if the change was made `minutes` ago."""
    past = timezone.now() - timedelta(minutes=minutes)
    Session.objects.filter(pk=session.pk).update(updated_at=past)
    Invitation.objects.filter(session=session).update(created_at=past)
    SessionMail.objects.filter(invitation__session=session).update(created_at=past)


@pytest.fixture
def unannounced(cast, team):
    """A session planned whose on-commit hook never ran (no on-commit callbacks run here)."""
    question = ask_team(cast, team)
    return session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(days=7),
        questions=[question],
        experts=team.experts,
    )


def test_the_sweep_writes_and_sends_what_the_hook_never_did(unannounced, queued, mailoutbox):
    assert not SessionMail.objects.exists()
    assert sweep_session_mail() == 0  # too fresh: the hook may still be on its way
    _age(unannounced)

    assert sweep_session_mail() == 4
    assert deliver(queued) == ["sent"] * 4
    assert len(mailoutbox) == 4
    assert sweep_session_mail() == 0  # once
    assert queued == []


def test_the_sweep_queues_rows_left_pending_when_the_broker_was_down(
    unannounced, queued, mailoutbox
):
    on_announce(unannounced.pk)  # the rows written; their publish "failed"
    queued.clear()
    assert sweep_session_mail() == 0
    _age(unannounced)

    assert sweep_session_mail() == 4
    deliver(queued)
    assert len(mailoutbox) == 4
    assert sweep_session_mail() == 0


def test_a_cancellation_the_hook_missed_is_written_by_the_sweep(
    team, unannounced, queued, mailoutbox
):
    on_announce(unannounced.pk)
    deliver(queued)
    mailoutbox.clear()
    session_cancel(planner=team.coordinator, session=unannounced)  # its hook never runs
    _age(unannounced)

    assert sweep_session_mail() == 4
    deliver(queued)
    assert {event_of(m)[0]["METHOD"] for m in mailoutbox} == {"CANCEL"}
    assert sweep_session_mail() == 0


def test_history_marked_as_told_sends_nothing(unannounced, queued, mailoutbox):
    """For data that is history, not news (the demo): every invitee counts as told."""
    assert mark_told(session=unannounced) == 4
    on_announce(unannounced.pk)
    _age(unannounced)
    assert sweep_session_mail() == 0
    assert queued == []
    assert mailoutbox == []
    assert set(SessionMail.objects.values_list("state", flat=True)) == {SessionMail.State.SENT}
