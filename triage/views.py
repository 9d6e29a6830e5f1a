from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from expertise.selectors import triage_pools_of


@role_required(Role.TRIAGE)
def home(request):
    return render(request, "triage/home.html", {"pools": triage_pools_of(user=request.user)})
