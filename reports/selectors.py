"""What a municipality or region admin may report on: the one chokepoint of the dashboard. A
report's filter is built from these and nothing else (reports.forms), so a team or municipality
outside them is a form error, and reports.scope ANDs the teams with the area once more."""

from django.db.models import Count, Q

from wijkteam.models import DistrictTeam, Municipality, Region


def municipalities_administered_by(*, user):
    """The municipalities a user administers, with their team counts (one query)."""
    return Municipality.objects.filter(admins=user).annotate(team_count=Count("district_teams"))


def regions_reportable_by(*, user):
    """The regions whose figures the user reads: those they administer."""
    return Region.objects.filter(admins=user).order_by("name", "pk")


def _area(user, prefix: str = "") -> Q:
    return Q(**{f"{prefix}admins": user}) | Q(**{f"{prefix}region__admins": user})


def municipalities_reportable_by(*, user):
    """Their own municipalities, and every municipality of a region they administer."""
    ids = Municipality.objects.filter(_area(user)).values("pk")
    return Municipality.objects.filter(pk__in=ids).order_by("name", "pk")


def teams_reportable_by(*, user):
    """The district teams of those municipalities (inactive ones too: they still have a past)."""
    ids = Municipality.objects.filter(_area(user)).values("pk")
    return (
        DistrictTeam.objects.filter(municipality__in=ids)
        .select_related("municipality")
        .order_by("municipality__name", "name", "pk")
    )
