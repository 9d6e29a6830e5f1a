"""The generalist's side: the team's cases, registering a resident, a case with its identity."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.roles import Role
from consultation.selectors import team_cases
from wijkteam.forms import ResidentCaseForm
from wijkteam.selectors import cases_visible_to, residents_visible_to, teams_of
from wijkteam.services import audit_identity_read, case_open, resident_register

TEAM_ROLES = (Role.GENERALIST, Role.TEAM_LEAD)


@role_required(*TEAM_ROLES)
def home(request):
    """The team's cases with their questions and statuses (pseudonyms; names on the case page)."""
    return render(request, "wijkteam/home.html", {"cases": team_cases(user=request.user)})


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
def resident_new(request):
    form = ResidentCaseForm(request.POST or None, teams=teams_of(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = resident_register(
            actor=request.user,
            team=data["team"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            household=data["household"],
            request=request,
        )
        case = case_open(actor=request.user, resident=resident, request=request)
        messages.success(request, _("Case %(pseudonym)s is opened.") % {"pseudonym": case})
        return redirect("wijkteam:case", pseudonym=case.pseudonym)
    return render(request, "wijkteam/resident_form.html", {"form": form})


@role_required(*TEAM_ROLES)
def case_detail(request, pseudonym: str):
    case = (
        cases_visible_to(user=request.user)
        .select_related("team", "owner")
        .filter(pseudonym=pseudonym)
        .first()
    )
    if case is None:
        raise Http404
    # Identity through its own chokepoint (the team group's guardian grant), and audited.
    resident = residents_visible_to(user=request.user).filter(pk=case.resident_id).first()
    if resident is None:
        raise Http404
    audit_identity_read(actor=request.user, resident=resident, case=case, request=request)
    questions = case.questions.select_related("pool").order_by("-last_activity_at")
    return render(
        request,
        "wijkteam/case_detail.html",
        {"case": case, "resident": resident, "questions": questions},
    )
