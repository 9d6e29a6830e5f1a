"""meetings listens to consultation: a question sent to a `team` pool goes on the agenda of the
pool's next session with room, in the transaction of its routing. And to its own changes: after
each one the invitees are e-mailed (meetings.tasks.on_announce). And to accounts: the calendar
feed ends with a person's other credentials."""

from __future__ import annotations

from accounts.signals import credentials_ended
from consultation.models import Question, Status
from consultation.signals import question_moved
from expertise.models import ExpertPool


def _on_question_moved(*, question: Question, target: str, **_kwargs) -> None:
    if target != Status.SCHEDULED:
        return
    pool = ExpertPool.objects.only("collaboration_model").get(pk=question.pool_id)
    if pool.collaboration_model != ExpertPool.CollaborationModel.TEAM:
        return  # a triage pool's session is planned by its triage worker
    from meetings.services.agenda import fill

    fill(pool=pool.pk)


def _on_credentials_ended(*, user, **_kwargs) -> None:
    """A password reset or change, or a deactivation: the calendar feed's secret link stops
    working with the sessions and API tokens (accounts.services.credentials_end)."""
    from meetings.feeds import feed_revoke

    feed_revoke(user=user)


def connect() -> None:
    question_moved.connect(_on_question_moved, sender=Question, dispatch_uid="meetings-agenda")
    credentials_ended.connect(_on_credentials_ended, dispatch_uid="meetings-calendar-feed")
    from meetings.services.common import ANNOUNCE_HOOKS
    from meetings.tasks import on_announce

    if on_announce not in ANNOUNCE_HOOKS:
        ANNOUNCE_HOOKS.append(on_announce)
    from meetings.views import calendar

    calendar.register()  # the calendar link's section of the profile page
