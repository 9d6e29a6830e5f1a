"""The demo's sessions: the expertise team Soest-Baarn meets every second Tuesday, 13:00-15:00.
One session was held (a question discussed, its advice posted from the session), the next ones
are planned with the waiting questions on their agenda and the team's experts invited; some
have answered. Idempotent: a second load changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from consultation.models import Message, Notification, Question, QuestionTransition, Status
from demo.data.organisation import TEAM_POOL
from expertise.models import ExpertPool, ExpertProfile
from meetings.invitations import mark_told
from meetings.models import AgendaItem, Invitation, MeetingSeries, Session
from meetings.services.agenda import place
from meetings.services.outcomes import outcome_record
from meetings.services.planning import session_hold
from meetings.services.recurring import create_recurring_sessions

RULE = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
START = time(13, 0)
DISCUSSED_TITLE = "Meisje van 15 verzuimt school, moeder vermoedt middelengebruik"
OUTCOME = (
    "Besproken met de jeugdarts, de verslavingsarts en de GGZ-verpleegkundige. Eerst een "
    "gesprek met het meisje alleen, bij de jongerenwerker die ze al kent; het middelengebruik "
    "en het slapen hangen samen en gaan vóór het rooster. Leerplicht houdt het gesprek aan tot "
    "na dat gesprek (afgestemd). Jeugdhulp biedt een traject van zes weken thuis; de "
    "verslavingszorg sluit aan als het meisje dat wil. Over drie weken terug op de agenda als "
    "het schoolbezoek niet verbetert."
)


def load_demo_meetings(
    *, coordinator: User, report: Callable[[str], None] = lambda line: None
) -> None:
    pool = ExpertPool.objects.get(name=TEAM_POOL)
    pool.coordinators.add(coordinator)
    today = timezone.localdate()
    discussed = Question.objects.filter(pool=pool, title=DISCUSSED_TITLE).first()
    # The series' first meeting is the first Tuesday after the discussed question came in (it
    # lies in the past); without that question, a Tuesday two weeks ago.
    after = (
        timezone.localdate(discussed.submitted_at) + timedelta(days=1)
        if discussed is not None and discussed.submitted_at
        else today - timedelta(days=14)
    )
    first = after + timedelta(days=(1 - after.weekday()) % 7)
    series, _ = MeetingSeries.objects.get_or_create(
        pool=pool,
        defaults={
            "rrule": RULE,
            "first_date": first,
            "start_time": START,
            "duration_minutes": 120,
            "place": "Gemeentehuis Soest, zaal De Eem",
            "capacity": 4,
            "weeks_ahead": 6,
        },
    )
    if first < today and not Session.objects.filter(series=series, status=Session.Status.HELD):
        _held_session(series, coordinator)
    create_recurring_sessions(today=today)
    _answers(series)
    # The invitations are history, not news: every invitee counts as told (the demo sends no
    # mail on loading; meetings.invitations writes nothing new for them on commit).
    for session in Session.objects.filter(series=series, status=Session.Status.PLANNED):
        mark_told(session=session)
    report("Sessions of the expertise team… done")


def _held_session(series: MeetingSeries, coordinator: User) -> None:
    question = Question.objects.filter(pool=series.pool, title=DISCUSSED_TITLE).first()
    if question is None or question.status != Status.SCHEDULED:
        return
    day = series.first_date
    starts = timezone.make_aware(datetime.combine(day, series.start_time))
    session = Session.objects.create(
        pool=series.pool,
        series=series,
        occurrence=day,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=series.duration_minutes),
        place=series.place,
        capacity=series.capacity,
        planned_by=coordinator,
    )
    experts = list(
        User.objects.filter(expert_profile__in=ExpertProfile.objects.filter(pools=series.pool))
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                session=session,
                user=expert,
                role=Invitation.Role.EXPERT,
                response=Invitation.Response.ACCEPTED,
                responded_at=starts - timedelta(days=2),
                reminder_due_at=starts - timedelta(days=1),
                reminded_at=starts - timedelta(days=1),
            )
            for expert in experts
        ]
    )
    from django.db import transaction

    with transaction.atomic():
        from consultation import workflow

        locked = workflow.lock(Question.objects.all(), pk=question.pk)
        assert locked is not None
        item = place(session=session, question=locked, actor=coordinator, minutes=30)
    item = outcome_record(
        actor=coordinator,
        item=AgendaItem.objects.get(pk=item.pk),
        advice=OUTCOME,
        participants=experts[:3],
    )
    # The advice was agreed at the session: its message, history entry and notifications are
    # of that moment, and the e-mail counts as sent then (the demo sends no mail on loading).
    discussed = session.ends_at - timedelta(minutes=20)
    Message.objects.filter(agenda_item=item).update(created_at=discussed)
    QuestionTransition.objects.filter(question=question, created_at__gt=discussed).update(
        created_at=discussed
    )
    Notification.objects.filter(question=question, created_at__gt=discussed).update(
        created_at=discussed
    )
    Notification.objects.filter(
        question=question, channel=Notification.Channel.EMAIL, state=Notification.State.PENDING
    ).update(state=Notification.State.SENT, sent_at=discussed)
    Question.objects.filter(pk=question.pk).update(last_activity_at=discussed)
    session_hold(planner=coordinator, session=session)
    Session.objects.filter(pk=session.pk).update(held_at=session.ends_at)


def _answers(series: MeetingSeries) -> None:
    """The next session: two experts come, one cannot."""
    upcoming = (
        Session.objects.filter(series=series, status=Session.Status.PLANNED)
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return
    invitations = list(
        upcoming.invitations.filter(role=Invitation.Role.EXPERT).order_by("user__email")[:3]
    )
    responses = [Invitation.Response.ACCEPTED, Invitation.Response.ACCEPTED]
    responses.append(Invitation.Response.DECLINED)
    for invitation, response in zip(invitations, responses, strict=False):
        if invitation.response == Invitation.Response.PENDING:
            invitation.response = response
            invitation.responded_at = timezone.now() - timedelta(days=1)
            invitation.save(update_fields=["response", "responded_at"])
