from wijkteam.models import DistrictTeam, TeamMembership


def teams_of(*, user):
    """The district teams a user works in, with their municipality (one query)."""
    return DistrictTeam.objects.filter(memberships__user=user).select_related("municipality")


def memberships_of(*, user):
    return TeamMembership.objects.filter(user=user).select_related("team__municipality")
