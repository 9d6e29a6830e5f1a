"""A team pool (expertise team) serving the cast's team: a coordinator, three experts, and an
expert of the network pool who is not in it."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from expertise.models import ExpertPool
from meetings.services.planning import SessionInput
from tests.accounts.factories import UserFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory


@dataclass
class TeamPool:
    pool: ExpertPool
    coordinator: object
    experts: list


def build_team_pool(cast) -> TeamPool:
    pool: ExpertPool = ExpertPoolFactory(  # type: ignore[assignment]
        region=cast.org["region"], collaboration_model=ExpertPool.CollaborationModel.TEAM
    )
    pool.teams.add(cast.org["team"])
    coordinator: User = UserFactory()  # type: ignore[assignment]
    pool.coordinators.add(coordinator)
    experts = [
        ExpertProfileFactory(user=UserFactory(), job_title=job, pools=[pool]).user
        for job in ("jeugdarts", "GGZ-verpleegkundige", "schuldhulpverlener")
    ]
    return TeamPool(pool=pool, coordinator=coordinator, experts=experts)


def moment(days: int = 7, hour: int = 13, minutes: int = 120) -> SessionInput:
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return SessionInput(
        starts_at=starts, ends_at=starts + timedelta(minutes=minutes), place="Stadhuis, zaal 2"
    )


def ask_team(cast, team, **fields):
    """A question sent to the team pool (routed to `scheduled`)."""
    return ask_in(cast, team.pool, **fields)


def ask_in(cast, pool, **fields):
    original, cast.pool = cast.pool, pool
    try:
        return cast.ask(**fields)
    finally:
        cast.pool = original
