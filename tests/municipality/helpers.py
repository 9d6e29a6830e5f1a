"""Plain helpers of the team-management tests (the fixtures are in conftest.py)."""

from urllib.parse import urlparse

from django.urls import reverse

from municipality import links
from wijkteam.models import AuditEvent, TeamMembership

TEAMS = reverse("municipality:teams")
POOLS = reverse("municipality:pools")
NEW_PASSWORD = "a-long-and-fresh-passphrase-42"


def team_url(team):
    return reverse("municipality:team", args=[team.pk])


def invite_url(team):
    return reverse("municipality:invite", args=[team.pk])


def role_url(membership):
    return reverse("municipality:role", args=[membership.team_id, membership.pk])


def deactivate_url(membership):
    return reverse("municipality:deactivate", args=[membership.team_id, membership.pk])


def membership_of(user, team):
    return TeamMembership.objects.get(user=user, team=team)


def audit_rows(action, object_type):
    return list(AuditEvent.objects.filter(action=action, object_type=object_type).order_by("pk"))


def link_path(invitation):
    return urlparse(links.invitation_url(invitation)).path
