"""A held session of the team pool with three invited experts (one declined), and advice sent
by an expert: the material time entries are made of."""

from datetime import timedelta

from django.utils import timezone

from consultation.services.advising import question_advise
from meetings.models import Session
from meetings.services.agenda import invitation_respond, invite_experts
from meetings.services.planning import session_hold, session_plan
from tests.meetings.helpers import moment


def planned_session(cast, team, *, minutes: int = 120, declined: int = 1):
    """A session of `minutes` in two days, with the team's experts invited; the first
    `declined` of them said they would not come."""
    data = moment(days=2, minutes=minutes)
    session = session_plan(planner=team.coordinator, pool=team.pool, data=data)
    invite_experts(actor=team.coordinator, session=session, experts=team.experts)
    for invitation in session.invitations.filter(user__in=team.experts[:declined]):
        invitation_respond(user=invitation.user, invitation=invitation, response="declined")
    return session


def started(session, *, minutes: int = 120):
    """As if the session's time had come: it started an hour ago."""
    start = timezone.now() - timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=minutes)
    )
    session.refresh_from_db()
    return session


def held_session(cast, team, *, minutes: int = 120, declined: int = 1):
    """planned_session, started and marked held."""
    session = started(
        planned_session(cast, team, minutes=minutes, declined=declined), minutes=minutes
    )
    return session_hold(planner=team.coordinator, session=session)


def advice_by(cast, expert=None, *, title: str = "Schulden en huur"):
    """Written advice on a new question to the cast's network pool (by its matching expert)."""
    question = cast.ask(title=title)
    body = "Neem contact op met de schuldhulp van de gemeente."
    return question_advise(actor=expert or cast.expert, question=question, body=body)
