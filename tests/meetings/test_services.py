"""The sessions' writes: planning, the agenda and who reads it, outcomes, carry-over, the team
pool's routing onto the next session, and the recurring meetings."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultation.models import Message, Notification, Status
from consultation.selectors import questions_visible_to
from meetings.models import AgendaItem, Invitation, MeetingSeries, Session
from meetings.selectors import discussion_of, sessions_visible_to
from meetings.services.agenda import agenda_add, agenda_remove, invitation_respond, invite_experts
from meetings.services.outcomes import item_carry_over, outcome_record
from meetings.services.planning import session_cancel, session_hold, session_move, session_plan
from meetings.services.recurring import create_recurring_sessions, occurrences
from tests.meetings.helpers import ask_in, ask_team, build_team_pool, moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


def _started(session):
    """Move a planned session into the past, as if its time had come."""
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def test_a_question_to_a_team_pool_goes_on_the_next_session_with_room(cast, team):
    full = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=3))
    Session.objects.filter(pk=full.pk).update(capacity=1)
    ask_team(cast, team, title="Eerste")
    later = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=10))
    # The first session filled up when `later` did not exist; a new question goes to `later`.
    question = ask_team(cast, team, title="Tweede")
    assert question.status == Status.SCHEDULED
    item = discussion_of(question=question)
    assert item.session == later
    # Readable by every expert of the team pool, and by nobody outside it.
    for expert in team.experts:
        assert questions_visible_to(user=expert).filter(pk=question.pk).exists()
    assert not questions_visible_to(user=cast.unmatched_expert).filter(pk=question.pk).exists()
    # The asking generalist is invited and sees the session; another team's generalist does not.
    assert Invitation.objects.filter(session=later, user=cast.generalist).exists()
    assert sessions_visible_to(user=cast.generalist).filter(pk=later.pk).exists()
    assert not sessions_visible_to(user=cast.other_generalist).exists()


def test_a_question_waits_until_a_session_has_room_urgent_first(cast, team):
    normal = ask_team(cast, team, title="Gewoon", urgency="normal")
    urgent = ask_team(cast, team, title="Spoed", urgency="urgent")
    assert discussion_of(question=normal) is None
    session = session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(days=5),
    )
    Session.objects.filter(pk=session.pk).update(capacity=1)
    from django.db import transaction

    from meetings.services.agenda import fill

    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(capacity=1)
        fill(pool=team.pool.pk)
    assert discussion_of(question=urgent).session == session
    assert discussion_of(question=normal) is None


def test_only_planners_plan_and_bad_moments_are_refused(cast, team):
    with pytest.raises(PermissionDenied):
        session_plan(planner=team.experts[0], pool=team.pool, data=moment())
    past = moment(days=-1)
    with pytest.raises(ValidationError) as error:
        session_plan(planner=team.coordinator, pool=team.pool, data=past)
    assert "starts_at" in error.value.message_dict
    backwards = moment()
    backwards = type(backwards)(
        starts_at=backwards.starts_at, ends_at=backwards.starts_at, place="x"
    )
    with pytest.raises(ValidationError) as error:
        session_plan(planner=team.coordinator, pool=team.pool, data=backwards)
    assert "ends_at" in error.value.message_dict
    assert not Session.objects.exists()


def test_a_triage_session_invitees_read_its_agenda_and_nobody_else(cast):
    question = ask_in(cast, cast.org["pool"])
    from triage.services import triage_claim, triage_plan_session

    triage_claim(worker=cast.triage, question=question)
    triage_plan_session(worker=cast.triage, question=question, reason="Drie disciplines nodig")
    pool = cast.org["pool"]
    session = session_plan(
        planner=cast.triage,
        pool=pool,
        data=moment(),
        questions=[question],
        experts=[cast.expert, cast.unmatched_expert],
    )
    assert questions_visible_to(user=cast.unmatched_expert).filter(pk=question.pk).exists()
    assert sessions_visible_to(user=cast.unmatched_expert).filter(pk=session.pk).exists()
    assert not questions_visible_to(user=cast.foreign_expert).filter(pk=question.pk).exists()
    assert not sessions_visible_to(user=cast.foreign_expert).filter(pk=session.pk).exists()
    # Taken off the agenda: back to the triage queue.
    item = AgendaItem.objects.get(session=session, question=question)
    agenda_remove(actor=cast.triage, item=item)
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE


def test_an_outcome_answers_the_question_once_and_tells_the_generalist(cast, team):
    question = ask_team(cast, team)
    session = discussion_of(question=question)
    if session is None:
        session = session_plan(
            planner=team.coordinator, pool=team.pool, data=moment(), questions=[question]
        )
    else:
        session = session.session
    item = AgendaItem.objects.get(session=session, question=question)
    with pytest.raises(ValidationError):  # not started yet
        outcome_record(actor=team.coordinator, item=item, advice="x", participants=team.experts)
    _started(session)
    with pytest.raises(ValidationError) as error:
        outcome_record(actor=team.coordinator, item=item, advice=" ", participants=[])
    assert set(error.value.message_dict) == {"advice", "participants"}
    advice = "Huisbezoek met de jeugdarts; schuldhulp vraagt uitstel bij de verhuurder."
    for _ in range(2):  # a double submit records once
        outcome_record(
            actor=team.coordinator, item=item, advice=advice, participants=team.experts[:2]
        )
    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    assert Message.objects.filter(question=question, kind=Message.Kind.ADVICE).count() == 1
    assert Notification.objects.filter(
        recipient=cast.generalist, question=question, kind=Notification.Kind.NEW_ADVICE
    ).exists()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DISCUSSED
    assert set(item.participants.all()) == set(team.experts[:2])
    session_hold(planner=team.coordinator, session=session)
    assert Session.objects.get(pk=session.pk).status == Session.Status.HELD


def test_carry_over_moves_the_question_to_the_next_session(cast, team):
    first = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=2))
    question = ask_team(cast, team)
    item = AgendaItem.objects.get(session=first, question=question)
    with pytest.raises(ValidationError):
        item_carry_over(actor=team.coordinator, item=item)  # no later session yet
    second = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=16))
    item_carry_over(actor=team.coordinator, item=item)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CARRIED_OVER
    assert item.carried_to.session == second
    assert discussion_of(question=question).session == second


def test_moving_raises_the_sequence_and_cancelling_sends_the_agenda_on(cast, team):
    session = session_plan(
        planner=team.coordinator, pool=team.pool, data=moment(days=2), experts=team.experts
    )
    question = ask_team(cast, team)
    mine = Invitation.objects.get(session=session, user=team.experts[0])
    invitation_respond(user=team.experts[0], invitation=mine, response="declined")
    with pytest.raises(ValidationError):
        invitation_respond(user=team.experts[1], invitation=mine, response="accepted")
    moved = session_move(planner=team.coordinator, session=session, data=moment(days=3, hour=9))
    assert moved.sequence == 1
    mine.refresh_from_db()
    assert mine.response == Invitation.Response.PENDING  # another day: asked again
    assert mine.reminder_due_at == moved.starts_at - timedelta(days=1)
    later = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=20))
    cancelled = session_cancel(planner=team.coordinator, session=session)
    assert cancelled.status == Session.Status.CANCELLED
    assert cancelled.sequence == 2
    assert discussion_of(question=question).session == later


def test_the_same_question_twice_on_an_agenda_is_one_item(cast, team):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    question = ask_team(cast, team)
    agenda_add(actor=team.coordinator, session=session, question=question)
    agenda_add(actor=team.coordinator, session=session, question=question)
    assert AgendaItem.objects.filter(question=question).count() == 1


def test_invited_experts_must_be_active_experts(cast, team):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    with pytest.raises(ValidationError):
        invite_experts(actor=team.coordinator, session=session, experts=[cast.generalist])


def _series(team, **fields):
    return MeetingSeries.objects.create(
        pool=team.pool,
        rrule=fields.pop("rrule", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        first_date=fields.pop("first_date", date(2026, 1, 6)),
        start_time=time(13, 0),
        duration_minutes=120,
        place="Wijkcentrum De Kruisweg",
        weeks_ahead=6,
        **fields,
    )


def test_every_second_tuesday():
    series = MeetingSeries(
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", first_date=date(2026, 1, 6), start_time=time(13)
    )
    days = occurrences(series, start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert days == [date(2026, 12, 8), date(2026, 12, 22)]
    assert all(day.weekday() == 1 for day in days)


def test_recurring_sessions_are_created_once_however_often_beat_runs(cast, team):
    _series(team)
    waiting = ask_team(cast, team)
    today = timezone.localdate()
    first = create_recurring_sessions(today=today)
    assert len(first) == 3  # every second Tuesday, six weeks ahead
    assert create_recurring_sessions(today=today) == []
    assert Session.objects.filter(pool=team.pool).count() == 3
    session = Session.objects.filter(pool=team.pool).order_by("starts_at").first()
    assert timezone.localtime(session.starts_at).time() == time(13, 0)
    # The pool's experts are invited, and the waiting question went on the first agenda.
    assert set(session.invitations.filter(role="expert").values_list("user", flat=True)) == {
        expert.pk for expert in team.experts
    }
    assert discussion_of(question=waiting).session == session
