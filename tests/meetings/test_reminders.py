"""The reminder the day before: a due time on each invitation, claimed by a periodic task and
sent through the session outbox exactly once — when the task runs twice, and when two workers
run it at the same moment (real PostgreSQL row locks, the real Celery worker)."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from meetings import invitations
from meetings import tasks as meetings_tasks
from meetings.models import Invitation, SessionMail
from meetings.services.agenda import invitation_respond
from meetings.services.planning import session_move, session_plan
from meetings.tasks import send_due_reminders, send_session_mail
from tests.helpers import run_on_worker, worker_caught_up
from tests.meetings.helpers import ask_team, build_team_pool, moment
from tests.meetings.mailing import assert_no_case_content, calendar_of, every_text

Kind = SessionMail.Kind


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


def _decline(user, session):
    invitation_respond(
        user=user,
        invitation=Invitation.objects.get(session=session, user=user),
        response=Invitation.Response.DECLINED,
    )


def _make_due(session):
    Invitation.objects.filter(session=session).update(
        reminder_due_at=timezone.now() - timedelta(minutes=1)
    )


def _reminders(messages):
    return [m for m in messages if m.subject.startswith("Herinnering: ")]


@pytest.mark.django_db
class TestOnce:
    @pytest.fixture
    def queued(self, monkeypatch):
        ids: list[int] = []
        monkeypatch.setattr(meetings_tasks, "queue_session_mail", ids.extend)
        return ids

    @pytest.fixture
    def planned(self, cast, team, queued, django_capture_on_commit_callbacks):
        question = ask_team(cast, team)
        with django_capture_on_commit_callbacks(execute=True):
            session = session_plan(
                planner=team.coordinator,
                pool=team.pool,
                data=moment(days=3),
                questions=[question],
                experts=team.experts,
            )
        for pk in list(queued):
            send_session_mail(pk)
        queued.clear()
        return session, question

    def run(self, capture, queued) -> int:
        with capture(execute=True):
            count = send_due_reminders()
        for pk in list(queued):
            send_session_mail(pk)
        queued.clear()
        return count

    def test_nothing_before_it_is_due(self, planned, queued, django_capture_on_commit_callbacks):
        assert self.run(django_capture_on_commit_callbacks, queued) == 0

    def test_sent_once_when_the_task_runs_twice_and_never_to_who_declined(
        self, cast, team, planned, queued, mailoutbox, django_capture_on_commit_callbacks
    ):
        session, question = planned
        _decline(team.experts[0], session)
        _make_due(session)
        mailoutbox.clear()

        assert self.run(django_capture_on_commit_callbacks, queued) == 3
        assert self.run(django_capture_on_commit_callbacks, queued) == 0

        expected = {team.experts[1].email, team.experts[2].email, cast.generalist.email}
        assert sorted(m.to[0] for m in mailoutbox) == sorted(expected)
        for message in _reminders(mailoutbox):
            assert calendar_of(message) is None  # a reminder changes nothing in the calendar
            assert "Ter herinnering" in message.body
            assert_no_case_content(every_text(message), question)
        assert len(_reminders(mailoutbox)) == 3
        declined = Invitation.objects.get(session=session, user=team.experts[0])
        assert declined.reminded_at is None
        assert SessionMail.objects.filter(kind=Kind.REMINDER).count() == 3

    def test_a_move_brings_a_new_reminder_and_drops_an_unsent_one(
        self, team, planned, queued, mailoutbox, django_capture_on_commit_callbacks
    ):
        session, _question = planned
        _make_due(session)
        with django_capture_on_commit_callbacks(execute=True):
            send_due_reminders()
        stale = list(queued)  # claimed, not handed off yet
        queued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            session_move(planner=team.coordinator, session=session, data=moment(days=4))
        queued.clear()  # the updates: not what this test is about
        mailoutbox.clear()

        assert [send_session_mail(pk) for pk in stale] == ["skipped"] * len(stale)
        assert mailoutbox == []
        # Due again for the new date (the move moved reminder_due_at along): sent then, once.
        _make_due(session)
        assert self.run(django_capture_on_commit_callbacks, queued) == 4
        assert len(_reminders(mailoutbox)) == 4
        assert set(
            SessionMail.objects.filter(kind=Kind.REMINDER, sequence=1).values_list(
                "state", flat=True
            )
        ) == {SessionMail.State.SENT}


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_two_workers_at_once_send_each_reminder_once(cast, team, celery_worker, monkeypatch):
    """Two workers run the periodic task at the same moment, each on its own database
    connection: each holds its claimed rows locked until the other has looked too (a barrier
    inside the transaction), so the second skips the first's rows (skip_locked). The e-mails
    then go through the real worker."""
    question = ask_team(cast, team)
    session = session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(days=3),
        questions=[question],
        experts=team.experts,
    )
    _wait_for(lambda: len(mail.outbox) >= 4)  # the invitations, on commit, by the worker
    assert len(mail.outbox) == 4
    _decline(team.experts[0], session)
    _make_due(session)
    mail.outbox.clear()

    barrier = threading.Barrier(2, timeout=15)
    original = invitations.claim_due_reminders
    counts: list[int] = []
    errors: list[BaseException] = []

    def claim_then_wait(**kwargs):
        claimed = original(**kwargs)
        barrier.wait()  # both have claimed (or skipped) before either commits
        return claimed

    def worker():
        try:
            counts.append(send_due_reminders())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    with monkeypatch.context() as patch:
        patch.setattr(invitations, "claim_due_reminders", claim_then_wait)
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert errors == []
    # Disjoint claims: usually one took them all and the other none (it skipped the locked
    # rows); two scans at the very same moment may split them. Never one row twice.
    assert len(counts) == 2 and sum(counts) == 3

    _wait_for(lambda: len(mail.outbox) >= 3)
    # And the task run once more by beat, on the real worker: nothing is due any more.
    assert run_on_worker(send_due_reminders) == 0
    worker_caught_up()
    expected = {team.experts[1].email, team.experts[2].email, cast.generalist.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert len(_reminders(mail.outbox)) == 3
    rows = SessionMail.objects.filter(kind=Kind.REMINDER)
    assert rows.count() == 3
    assert set(rows.values_list("state", flat=True)) == {SessionMail.State.SENT}
