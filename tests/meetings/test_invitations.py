"""Session e-mails (meetings.invitations, meetings.mail, meetings.ics): one per invitee per
SEQUENCE, an .ics that a calendar reads back (REQUEST, the same UID after a move with a higher
SEQUENCE, CANCEL after a cancellation), Dutch texts, and no case content anywhere."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from meetings import tasks as meetings_tasks
from meetings.invitations import write_rows
from meetings.models import Invitation, Session, SessionMail
from meetings.services.agenda import agenda_add, invitation_respond
from meetings.services.planning import session_cancel, session_move, session_plan
from meetings.tasks import on_announce, send_session_mail
from tests.meetings.helpers import ask_team, build_team_pool, moment
from tests.meetings.mailing import assert_no_case_content, calendar_of, event_of, every_text

pytestmark = pytest.mark.django_db

Kind = SessionMail.Kind


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def queued(monkeypatch):
    """What the on-commit hook would hand to Celery, kept here; `deliver` runs it."""
    ids: list[int] = []
    monkeypatch.setattr(meetings_tasks, "queue_session_mail", ids.extend)
    return ids


def deliver(queued) -> list[str]:
    results = [send_session_mail(pk) for pk in list(queued)]
    queued.clear()
    return results


@pytest.fixture
def planned(cast, team, queued, django_capture_on_commit_callbacks):
    question = ask_team(cast, team)
    with django_capture_on_commit_callbacks(execute=True):
        session = session_plan(
            planner=team.coordinator,
            pool=team.pool,
            data=moment(days=7),
            questions=[question],
            experts=team.experts,
        )
    return session, question


def by_recipient(messages):
    return {message.to[0]: message for message in messages}


def test_an_invitation_per_invitee_with_a_calendar_it_can_read(
    cast, team, planned, queued, mailoutbox
):
    session, question = planned
    invitees = [*team.experts, cast.generalist]

    assert deliver(queued) == ["sent"] * len(invitees)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in invitees)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    for user, message in ((u, by_recipient(mailoutbox)[u.email]) for u in invitees):
        calendar, event = event_of(message)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == f"{session.uid}@wijkexpert"
        assert event["SEQUENCE"] == 0
        assert event["STATUS"] == "CONFIRMED"
        assert event["SUMMARY"] == "Expertiseoverleg, 1 casus"
        assert event["LOCATION"] == "Stadhuis, zaal 2"
        assert event["URL"] == settings.SITE_URL.rstrip("/") + f"/overleg/{session.pk}/"
        assert event["DTSTART"].dt == session.starts_at
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert event["DTEND"].dt == session.ends_at
        assert str(event["ATTENDEE"]) == f"mailto:{user.email}"
        assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
        assert str(event["ORGANIZER"]).startswith("mailto:")
        assert calendar.walk("VTIMEZONE")  # the zone's rules travel with it
        # Dutch, and nothing of the case: not the title, the pseudonym, nor the resident.
        assert message.subject.startswith("Uitnodiging: Expertiseoverleg, 1 casus op ")
        assert "Je bent uitgenodigd" in message.body
        assert "Op de agenda: 1 casus" in message.body
        assert_no_case_content(every_text(message), question)
        assert message.extra_headers["Message-ID"].startswith("<sessionmail.")
    assert set(Invitation.objects.values_list("sent_sequence", flat=True)) == {0}


def test_a_second_announce_of_the_same_sequence_sends_nothing_more(planned, queued, mailoutbox):
    session, _question = planned
    deliver(queued)
    sent = len(mailoutbox)

    on_announce(session.pk)  # as after another save that changed nothing for the invitees
    assert queued == []
    assert write_rows(session.pk) == []
    # A duplicate delivery of a send task: the row is sent already.
    assert send_session_mail(SessionMail.objects.first().pk) == "skipped"
    assert len(mailoutbox) == sent
    assert SessionMail.objects.count() == sent  # one row per invitee and sequence


def test_a_move_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    cast, team, planned, queued, mailoutbox, django_capture_on_commit_callbacks
):
    session, question = planned
    deliver(queued)
    declined = team.experts[0]
    invitation_respond(
        user=declined,
        invitation=Invitation.objects.get(session=session, user=declined),
        response=Invitation.Response.DECLINED,
    )
    mailoutbox.clear()
    same_day_later = moment(days=7, hour=15)

    with django_capture_on_commit_callbacks(execute=True):
        moved = session_move(planner=team.coordinator, session=session, data=same_day_later)
    deliver(queued)

    assert len(mailoutbox) == 4  # one update each
    for message in mailoutbox:
        calendar, event = event_of(message)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == f"{session.uid}@wijkexpert"  # stable across the move
        assert event["SEQUENCE"] == moved.sequence == 1
        assert event["DTSTART"].dt == moved.starts_at
        assert message.subject.startswith("Gewijzigd: ")
        assert "is gewijzigd" in message.body
        assert_no_case_content(every_text(message), question)
    # The recipient's own answer travels with their copy (same day: answers are kept).
    _calendar, event = event_of(by_recipient(mailoutbox)[declined.email])
    assert event["ATTENDEE"].params["PARTSTAT"] == "DECLINED"


def test_a_cancelled_session_sends_method_cancel(
    cast, team, planned, queued, mailoutbox, django_capture_on_commit_callbacks
):
    session, question = planned
    deliver(queued)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(planner=team.coordinator, session=session)
    deliver(queued)

    assert len(mailoutbox) == 4
    for message in mailoutbox:
        calendar, event = event_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert str(event["UID"]) == f"{session.uid}@wijkexpert"
        assert event["SEQUENCE"] == 1
        assert message.subject.startswith("Afgelast: ")
        assert_no_case_content(every_text(message), question)
    # Cancelled once: another announce sends nothing more.
    on_announce(session.pk)
    assert queued == []


def test_a_request_overtaken_by_a_move_is_not_sent_only_the_newer_one(
    team, planned, queued, mailoutbox, django_capture_on_commit_callbacks
):
    session, _question = planned
    first = list(queued)  # not sent yet (the broker was slow, say)
    with django_capture_on_commit_callbacks(execute=True):
        session_move(planner=team.coordinator, session=session, data=moment(days=9))

    assert [send_session_mail(pk) for pk in first] == ["skipped"] * len(first)
    queued[:] = [pk for pk in queued if pk not in first]
    assert deliver(queued) == ["sent"] * 4
    assert {event_of(m)[1]["SEQUENCE"] for m in mailoutbox} == {1}
    # Their first word of the session: an invitation, not a change.
    assert all(m.subject.startswith("Uitnodiging: ") for m in mailoutbox)
    states = SessionMail.objects.filter(pk__in=first).values_list("state", flat=True)
    assert set(states) == {SessionMail.State.SUPERSEDED}


def test_an_invitee_added_later_gets_their_own_invitation_only(
    cast, team, planned, queued, mailoutbox, django_capture_on_commit_callbacks
):
    session, first_question = planned
    deliver(queued)
    mailoutbox.clear()
    second = ask_team(cast, team, title="Tweede vraag", actor=cast.team_lead)
    if not session.agenda.filter(question=second).exists():
        with django_capture_on_commit_callbacks(execute=True):
            agenda_add(actor=team.coordinator, session=session, question=second)
    else:  # the routing put it on the session already; its hook runs on commit
        on_announce(session.pk)
    deliver(queued)

    assert [m.to[0] for m in mailoutbox] == [cast.team_lead.email]
    _calendar, event = event_of(mailoutbox[0])
    assert event["SUMMARY"] == "Expertiseoverleg, 2 casussen"
    assert_no_case_content(every_text(mailoutbox[0]), first_question)
    assert_no_case_content(every_text(mailoutbox[0]), second)


def test_a_session_that_has_begun_sends_no_invitation(planned, queued):
    session, _question = planned
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )
    assert deliver(queued) == ["skipped"] * 4


def test_a_deactivated_invitee_gets_nothing(team, planned, queued, mailoutbox):
    gone = team.experts[1]
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    deliver(queued)
    assert gone.email not in [m.to[0] for m in mailoutbox]
    assert SessionMail.objects.get(invitation__user=gone).state == SessionMail.State.FAILED


def test_the_attachment_is_a_calendar_part_with_its_method(planned, queued, mailoutbox):
    deliver(queued)
    raw = mailoutbox[0].message().as_string()
    assert 'Content-Type: text/calendar; method="REQUEST"' in raw
    assert calendar_of(mailoutbox[0]) is not None
