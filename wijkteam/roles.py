"""The roles that come from wijkteam's memberships (accounts.roles combines them)."""

from django.db.models import OuterRef, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.roles import Role, role_source, roles_changed
from wijkteam.models import Municipality, Region, TeamMembership


def _generalists() -> QuerySet:
    return TeamMembership.objects.filter(user=OuterRef("pk"), role=TeamMembership.Role.GENERALIST)


def _team_leads() -> QuerySet:
    return TeamMembership.objects.filter(user=OuterRef("pk"), role=TeamMembership.Role.TEAM_LEAD)


def _municipality_admins() -> QuerySet:
    return Municipality.admins.through.objects.filter(user=OuterRef("pk"))


def _region_admins() -> QuerySet:
    return Region.admins.through.objects.filter(user=OuterRef("pk"))


def _privacy_officers() -> QuerySet:
    return Region.privacy_officers.through.objects.filter(user=OuterRef("pk"))


def register() -> None:
    role_source(Role.GENERALIST, _generalists)
    role_source(Role.TEAM_LEAD, _team_leads)
    role_source(Role.MUNICIPALITY_ADMIN, _municipality_admins)
    role_source(Role.REGION_ADMIN, _region_admins)
    role_source(Role.PRIVACY_OFFICER, _privacy_officers)
    # A membership changed: cached roles are stale (accounts.roles.cached_roles_of).
    for signal in (post_save, post_delete):
        signal.connect(roles_changed, sender=TeamMembership, dispatch_uid=f"roles-{signal}-tm")
    m2m_changed.connect(
        roles_changed, sender=Municipality.admins.through, dispatch_uid="roles-admins"
    )
    m2m_changed.connect(
        roles_changed, sender=Region.admins.through, dispatch_uid="roles-region-admins"
    )
    m2m_changed.connect(
        roles_changed, sender=Region.privacy_officers.through, dispatch_uid="roles-privacy"
    )
