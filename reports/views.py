from django.shortcuts import render

from accounts.roles import Role, role_required
from reports.selectors import municipalities_administered_by


@role_required(Role.MUNICIPALITY_ADMIN)
def home(request):
    municipalities = municipalities_administered_by(user=request.user)
    return render(request, "reports/home.html", {"municipalities": municipalities})
