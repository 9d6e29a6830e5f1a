from django.db.models import Count

from wijkteam.models import Municipality


def municipalities_administered_by(*, user):
    """The municipalities a user administers, with their team counts (one query)."""
    return Municipality.objects.filter(admins=user).annotate(team_count=Count("district_teams"))
