"""The resident's rights, from the case page: the team lead downloads everything stored about
the resident (PDF, JSON) and erases the resident's details on request.

Anyone but a team lead of the resident's own team gets a 404, not a 403 (DESIGN §4.2): a
generalist of the team, another team's lead, experts, triage, a municipality admin learn
nothing, not even that the page exists for this case. No role_required here for that reason:
the scope check is the one gate.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.forms import add_service_errors
from consultation import dossier
from consultation.forms import ResidentEraseForm
from consultation.resident_rights import resident_erase
from submissions.web import submission_made, submitted_once
from wijkteam.models import AuditEvent
from wijkteam.selectors import cases_visible_to, leads_team, residents_visible_to
from wijkteam.services import audit_record


def _led_case_with_resident(request, pseudonym: str):
    """The case and its resident, for a team lead of the case's team; otherwise 404."""
    case = (
        cases_visible_to(user=request.user)
        .select_related("team__municipality")
        .filter(pseudonym=pseudonym)
        .first()
    )
    if case is None or not leads_team(user=request.user, team_id=case.team_id):
        raise Http404
    resident = (
        residents_visible_to(user=request.user)
        .select_related("team__municipality", "created_by")
        .filter(pk=case.resident_id)
        .first()
    )
    if resident is None:
        raise Http404
    return case, resident


def _download(content: bytes, content_type: str, case, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    name = f"inzage-{case.pseudonym}-{stamp}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _export(request, pseudonym: str, kind: str) -> HttpResponse:
    case, resident = _led_case_with_resident(request, pseudonym)
    data = dossier.resident_dossier(resident=resident)
    # The export shows the identity (and more): an audited read, saying it was the export.
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW_IDENTITY,
        obj=resident,
        case=case,
        detail=f"right of access: {kind}",
        request=request,
    )
    if kind == "pdf":
        return _download(dossier.as_pdf(data), "application/pdf", case, "pdf")
    return _download(dossier.as_json(data), "application/json; charset=utf-8", case, "json")


@require_GET
def resident_access_pdf(request, pseudonym: str):
    return _export(request, pseudonym, "pdf")


@require_GET
def resident_access_json(request, pseudonym: str):
    return _export(request, pseudonym, "json")


@require_http_methods(["GET", "POST"])
@submitted_once
def resident_erase_view(request, pseudonym: str):
    """The confirmation page (what goes, what stays, a reason) and the erasure itself."""
    case, resident = _led_case_with_resident(request, pseudonym)
    if resident.anonymised_at is not None:
        messages.info(request, _("This resident's details have already been erased."))
        return redirect("wijkteam:case", pseudonym=case.pseudonym)
    form = ResidentEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident_erase(
                actor=request.user,
                resident=resident,
                case=case,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            submission_made(request)
            messages.success(request, _("The resident's details are erased."))
            return redirect("wijkteam:case", pseudonym=case.pseudonym)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "consultation/resident_erase.html",
        {"form": form, "case": case, "resident": resident},
        status=status,
    )
