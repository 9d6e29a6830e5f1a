"""The demo loader: a believable Regio Eemland, and running it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, roles_of
from demo.data.people import DEMO_PASSWORD, ROLE_ACCOUNTS
from expertise.models import Absence, ExpertPool, ExpertProfile, Organisation, WeeklyAvailability
from tests.helpers import shared_transaction
from wijkteam.models import DistrictTeam, Municipality, TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back after it; each test runs in its own
    savepoint on top of it."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo")
        yield


def _snapshot():
    return {
        "users": sorted(User.objects.values_list("email", "password", "first_name", "is_staff")),
        "teams": sorted(DistrictTeam.objects.values_list("name", "municipality__name")),
        "memberships": sorted(
            TeamMembership.objects.values_list("team__name", "user__email", "role")
        ),
        "profiles": sorted(
            ExpertProfile.objects.values_list("user__email", "job_title", "organisation__name")
        ),
        "pool_teams": sorted(
            ExpertPool.teams.through.objects.values_list("expertpool__name", "districtteam__name")
        ),
        "pool_experts": sorted(
            ExpertProfile.pools.through.objects.values_list(
                "expertprofile__user__email", "expertpool__name"
            )
        ),
        "municipalities": sorted(Municipality.objects.values_list("code", "name")),
        "weekly_availability": sorted(
            WeeklyAvailability.objects.values_list("expert__user__email", "weekday", "dagdeel")
        ),
        "absences": sorted(
            Absence.objects.values_list("expert__user__email", "starts_on", "ends_on", "kind")
        ),
    }


def test_load_demo_is_idempotent(demo):
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_region_is_believable(demo):
    assert Municipality.objects.filter(region__name="Regio Eemland").count() == 7
    assert 10 <= DistrictTeam.objects.count() <= 12
    assert ExpertProfile.objects.count() == 13
    assert Organisation.objects.filter(experts__isnull=False).distinct().count() >= 6
    job_titles = set(ExpertProfile.objects.values_list("job_title", flat=True))
    assert {"schuldhulpverlener", "casemanager dementie", "gedragsdeskundige LVB"} <= job_titles
    for team in DistrictTeam.objects.all():
        roles = set(team.memberships.values_list("role", flat=True))
        assert roles == {"generalist", "team_lead"}, team
    models = sorted(ExpertPool.objects.values_list("collaboration_model", flat=True))
    assert models == ["network", "team", "triage"]
    triage_pool = ExpertPool.objects.get(collaboration_model="triage")
    assert triage_pool.triage_workers.count() == 1
    assert triage_pool.experts.count() == 13
    assert Municipality.admins.through.objects.count() == 1
    # Apart from django-guardian's anonymous-user row, every demo person is a demo account.
    from guardian.utils import get_anonymous_user

    others = User.objects.filter(is_demo_account=False).exclude(pk=get_anonymous_user().pk)
    assert not others.exists()


def test_demo_experts_keep_a_week_and_some_are_away(demo):
    from django.utils import timezone

    from expertise.availability import available_moments

    experts = list(ExpertProfile.objects.select_related("user"))
    with_week = set(WeeklyAvailability.objects.values_list("expert", flat=True))
    assert with_week == {e.pk for e in experts}
    today = timezone.localdate()
    demo_expert = ExpertProfile.objects.get(user__email="expert@eemland.example")
    assert demo_expert.absences.filter(starts_on__gt=today).exists()  # a holiday coming
    assert Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).count() == 1
    # The team pool's experts can meet: Tuesday afternoons suit most of them.
    team = ExpertPool.objects.get(collaboration_model="team")
    moments = available_moments(experts=team.experts.all(), start=today, days=14, limit=3)
    assert (moments[0].date.weekday(), moments[0].dagdeel) == (1, "afternoon")


@pytest.mark.parametrize(("role", "email"), ROLE_ACCOUNTS)
def test_each_demo_account_holds_its_role_and_can_sign_in(demo, client, role, email):
    user = User.objects.get(email=email)
    assert user.check_password(DEMO_PASSWORD)
    if role == "superuser":
        assert user.is_superuser
    else:
        assert roles_of(user)[0] == Role(role)


def test_demo_generalist_reaches_home_without_factor_in_demo_mode(demo, client, settings):
    settings.DEMO_MODE = True
    response = client.post(
        reverse("accounts:login"),
        {"username": "generalist@eemland.example", "password": DEMO_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("wijkteam:home")
    assert response.status_code == 200
