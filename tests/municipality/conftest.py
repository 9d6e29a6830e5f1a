"""Fixtures of the team-management tests: the municipality admin, another municipality, an
invitation."""

import pytest

from accounts.roles import Role
from municipality.services import member_invite
from tests.expertise.factories import ExpertPoolFactory
from tests.helpers import verify_session
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory


@pytest.fixture
def admin(make_user):
    return make_user(Role.MUNICIPALITY_ADMIN, first_name="Gea", last_name="Gemeente")


@pytest.fixture
def as_admin(client, admin):
    verify_session(client, admin)
    return client


@pytest.fixture
def elsewhere(org):
    """Another municipality's team, member and pool (same region)."""
    team = DistrictTeamFactory()
    member = TeamMembershipFactory(team=team)
    pool = ExpertPoolFactory(region=org["region"])
    pool.teams.add(team)
    return {"team": team, "member": member, "pool": pool}


@pytest.fixture
def invitation(team, admin):
    return member_invite(
        actor=admin, team=team, email="nina@example.nl", first_name="Nina", role="generalist"
    )
