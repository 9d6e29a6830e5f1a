from django.shortcuts import redirect, render

from accounts.roles import request_roles
from navigation.homes import ROLE_HOMES


def home(request):
    """Each role lands on its own home page; the first role held decides."""
    roles = request_roles(request)
    if roles:
        return redirect(ROLE_HOMES[roles[0]])
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html")
