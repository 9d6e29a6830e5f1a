"""wijkteam's pages: registering a resident (and opening the case), a case with its identity.
The team's home with its questions is consultation's (consultation.views.asking)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import TEAM_ROLES, role_required
from config.forms import add_service_errors
from config.pagination import paginate
from submissions.web import submission_made, submitted_once
from wijkteam.forms import ResidentCaseForm
from wijkteam.selectors import cases_visible_to, residents_visible_to, teams_of
from wijkteam.services import audit_identity_read, case_open_with_resident


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
@submitted_once
def resident_new(request):
    form = ResidentCaseForm(request.POST or None, teams=teams_of(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            case = case_open_with_resident(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            submission_made(request)
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
    questions = paginate(
        request, case.questions.select_related("pool").order_by("-last_activity_at", "-pk")
    )
    return render(
        request,
        "wijkteam/case_detail.html",
        {"case": case, "resident": resident, "questions": questions},
    )
