"""The roles a person holds, derived from their memberships (a person may hold several)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    GENERALIST = "generalist"
    TEAM_LEAD = "team_lead"
    EXPERT = "expert"
    TRIAGE = "triage"
    MUNICIPALITY_ADMIN = "municipality_admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.GENERALIST: _("District team worker"),
    Role.TEAM_LEAD: _("Team lead"),
    Role.EXPERT: _("Expert"),
    Role.TRIAGE: _("Triage worker"),
    Role.MUNICIPALITY_ADMIN: _("Municipality administrator"),
}

# The URL name of each role's home page; the first role a person holds decides where they land.
ROLE_HOMES = {
    Role.GENERALIST: "wijkteam:home",
    Role.TEAM_LEAD: "wijkteam:home",
    Role.EXPERT: "expertise:home",
    Role.TRIAGE: "triage:home",
    Role.MUNICIPALITY_ADMIN: "reports:home",
}


def roles_of(user) -> list[Role]:
    """Roles in a fixed order (one query). Anonymous users hold none."""
    if not getattr(user, "is_authenticated", False):
        return []
    from django.db.models import Exists, OuterRef

    from accounts.models import User
    from expertise.models import ExpertPool, ExpertProfile
    from wijkteam.models import Municipality, TeamMembership

    memberships = TeamMembership.objects.filter(user=OuterRef("pk"))
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            is_generalist=Exists(memberships.filter(role=TeamMembership.Role.GENERALIST)),
            is_team_lead=Exists(memberships.filter(role=TeamMembership.Role.TEAM_LEAD)),
            is_expert=Exists(ExpertProfile.objects.filter(user=OuterRef("pk"), is_active=True)),
            is_triage=Exists(ExpertPool.triage_workers.through.objects.filter(user=OuterRef("pk"))),
            is_admin=Exists(Municipality.admins.through.objects.filter(user=OuterRef("pk"))),
        )
        .values("is_generalist", "is_team_lead", "is_expert", "is_triage", "is_admin")
        .first()
    )
    if row is None:
        return []
    flags = [
        (Role.TEAM_LEAD, row["is_team_lead"]),
        (Role.GENERALIST, row["is_generalist"]),
        (Role.EXPERT, row["is_expert"]),
        (Role.TRIAGE, row["is_triage"]),
        (Role.MUNICIPALITY_ADMIN, row["is_admin"]),
    ]
    return [role for role, held in flags if held]


def request_roles(request) -> list[Role]:
    """roles_of(request.user), computed once per request."""
    if not hasattr(request, "_wijkexpert_roles"):
        request._wijkexpert_roles = roles_of(request.user)
    return request._wijkexpert_roles
