from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from expertise.selectors import expert_profile_of


@role_required(Role.EXPERT)
def home(request):
    return render(request, "expertise/home.html", {"profile": expert_profile_of(user=request.user)})
