from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from wijkteam.selectors import memberships_of


@role_required(Role.GENERALIST, Role.TEAM_LEAD)
def home(request):
    return render(request, "wijkteam/home.html", {"memberships": memberships_of(user=request.user)})
