from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from reports.selectors import municipalities_administered_by


@role_required(Role.MUNICIPALITY_ADMIN)
def home(request):
    municipalities = municipalities_administered_by(user=request.user)
    return render(request, "reports/home.html", {"municipalities": municipalities})
