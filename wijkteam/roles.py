"""The roles that come from wijkteam's memberships (accounts.roles combines them)."""

from django.db.models import OuterRef, QuerySet

from accounts.roles import Role, role_source
from wijkteam.models import Municipality, TeamMembership


def _generalists() -> QuerySet:
    return TeamMembership.objects.filter(user=OuterRef("pk"), role=TeamMembership.Role.GENERALIST)


def _team_leads() -> QuerySet:
    return TeamMembership.objects.filter(user=OuterRef("pk"), role=TeamMembership.Role.TEAM_LEAD)


def _municipality_admins() -> QuerySet:
    return Municipality.admins.through.objects.filter(user=OuterRef("pk"))


def register() -> None:
    role_source(Role.GENERALIST, _generalists)
    role_source(Role.TEAM_LEAD, _team_leads)
    role_source(Role.MUNICIPALITY_ADMIN, _municipality_admins)
