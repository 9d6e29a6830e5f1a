from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from wijkteam.models import TeamMembership


class TeamMemberMayCreate(BasePermission):
    """Registering residents, opening cases and asking questions is district-team work.

    Reads need no check here: their querysets are scoped (out of scope is an empty list or 404).
    """

    message = _("Only members of a district team can do this.")

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        return TeamMembership.objects.filter(user=request.user).exists()
