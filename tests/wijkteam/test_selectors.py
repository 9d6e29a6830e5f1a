"""residents_visible_to and cases_visible_to: identity stays in the owning team (DESIGN §4.1-2)."""

from datetime import date

import pytest

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.wijkteam.factories import CaseFactory, DistrictTeamFactory, TeamMembershipFactory
from wijkteam.models import TeamMembership
from wijkteam.selectors import cases_visible_to, residents_visible_to
from wijkteam.services import case_open, resident_register


def register(actor, team, first_name="Zoë"):
    return resident_register(
        actor=actor,
        team=team,
        first_name=first_name,
        last_name="van der Berg",
        date_of_birth=date(2010, 3, 7),
        postcode="3811 AB",
        household="single_parent",
    )


@pytest.fixture
def generalist(make_user):
    return make_user(Role.GENERALIST)


@pytest.fixture
def other_team():
    return DistrictTeamFactory()


@pytest.fixture
def other_worker(other_team):
    return TeamMembershipFactory(team=other_team).user


@pytest.fixture
def resident(org, generalist):
    return register(generalist, org["team"])


@pytest.fixture
def other_resident(other_team, other_worker):
    return register(other_worker, other_team, first_name="Daan")


def test_own_team_sees_its_residents_and_not_the_other_teams(
    generalist, other_worker, resident, other_resident, make_user
):
    colleague = make_user(Role.TEAM_LEAD)
    assert list(residents_visible_to(user=generalist)) == [resident]
    assert list(residents_visible_to(user=colleague)) == [resident]
    assert list(residents_visible_to(user=other_worker)) == [other_resident]


@pytest.mark.parametrize("role", [Role.EXPERT, Role.TRIAGE, Role.MUNICIPALITY_ADMIN])
def test_no_other_role_sees_residents(make_user, resident, other_resident, role):
    assert not residents_visible_to(user=make_user(role)).exists()


def test_a_superuser_who_is_not_a_member_sees_none(resident, other_resident):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert not residents_visible_to(user=superuser).exists()
    assert not cases_visible_to(user=superuser).exists()


def test_anonymous_sees_none(resident):
    from django.contrib.auth.models import AnonymousUser

    assert not residents_visible_to(user=AnonymousUser()).exists()
    assert not cases_visible_to(user=AnonymousUser()).exists()


def test_a_resident_stored_without_the_team_grant_is_not_visible(org, generalist):
    """Visibility comes from the row-level grant, not from the team foreign key alone."""
    from tests.wijkteam.factories import ResidentFactory

    ResidentFactory(team=org["team"])
    assert not residents_visible_to(user=generalist).exists()


def test_removing_the_membership_removes_visibility(org, generalist, resident):
    case = case_open(actor=generalist, resident=resident)
    assert residents_visible_to(user=generalist).filter(pk=resident.pk).exists()
    assert cases_visible_to(user=generalist).filter(pk=case.pk).exists()

    TeamMembership.objects.get(user=generalist, team=org["team"]).delete()

    assert not residents_visible_to(user=generalist).exists()
    assert not cases_visible_to(user=generalist).exists()


def test_joining_a_team_gives_visibility_of_its_existing_residents(
    resident, other_team, other_worker
):
    newcomer = UserFactory()
    assert not residents_visible_to(user=newcomer).exists()
    TeamMembershipFactory(team=resident.team, user=newcomer)
    assert list(residents_visible_to(user=newcomer)) == [resident]


def test_cases_visible_to_own_team_only(org, generalist, other_worker, resident, other_resident):
    own = case_open(actor=generalist, resident=resident)
    theirs = case_open(actor=other_worker, resident=other_resident)
    CaseFactory(resident__team=DistrictTeamFactory())  # a third team
    assert list(cases_visible_to(user=generalist)) == [own]
    assert list(cases_visible_to(user=other_worker)) == [theirs]
