"""wijkteam's pages: registering a resident (and opening the case), a case with its identity,
correcting the resident's details, handing the case over. The team's home with its questions,
and closing a case (which waits for its questions), are consultation's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import TEAM_ROLES, role_required
from config.forms import add_service_errors
from config.pagination import paginate
from submissions.web import submission_made, submitted_once
from wijkteam.forms import HandOverForm, ResidentCaseForm, ResidentForm
from wijkteam.models import Case
from wijkteam.selectors import (
    cases_visible_to,
    leads_team,
    may_steer_case,
    residents_visible_to,
    team_members,
    teams_of,
)
from wijkteam.services import (
    audit_identity_read,
    case_hand_over,
    case_open_with_resident,
    resident_update,
)


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


def _case_with_resident(request, pseudonym: str):
    """The case of the user's team and its resident, or 404 (outside the team a case is only a
    pseudonym; the identity comes through its own chokepoint, the team group's grant)."""
    case = (
        cases_visible_to(user=request.user)
        .select_related("team", "owner")
        .filter(pseudonym=pseudonym)
        .first()
    )
    if case is None:
        raise Http404
    resident = residents_visible_to(user=request.user).filter(pk=case.resident_id).first()
    if resident is None:
        raise Http404
    return case, resident


def _hand_over_form(case: Case, data=None) -> HandOverForm:
    members = team_members(team_ids=[case.team_id]).exclude(pk=case.owner_id)
    return HandOverForm(data, members=members)


@role_required(*TEAM_ROLES)
def case_detail(request, pseudonym: str):
    case, resident = _case_with_resident(request, pseudonym)
    audit_identity_read(actor=request.user, resident=resident, case=case, request=request)
    questions = paginate(
        request, case.questions.select_related("pool").order_by("-last_activity_at", "-pk")
    )
    is_open = case.status == Case.Status.OPEN
    steers = is_open and may_steer_case(user=request.user, case=case)
    return render(
        request,
        "wijkteam/case_detail.html",
        {
            "case": case,
            "resident": resident,
            "questions": questions,
            "is_open": is_open,
            "is_mine": case.owner_id == request.user.pk,
            "hand_over_form": _hand_over_form(case) if steers else None,
            # The resident's rights (access, erasure) go through the team lead.
            "leads_team": leads_team(user=request.user, team_id=case.team_id),
        },
    )


@role_required(*TEAM_ROLES)
@require_POST
@submitted_once
def case_hand_over_view(request, pseudonym: str):
    case, _resident = _case_with_resident(request, pseudonym)
    form = _hand_over_form(case, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a member of the case's district team."))
        return redirect("wijkteam:case", pseudonym=case.pseudonym)
    try:
        case = case_hand_over(
            actor=request.user, case=case, to=form.cleaned_data["owner"], request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        submission_made(request)
        messages.success(
            request,
            _("%(name)s now holds case %(pseudonym)s.")
            % {"name": case.owner.get_full_name() or case.owner.email, "pseudonym": case},
        )
    return redirect("wijkteam:case", pseudonym=case.pseudonym)


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
@submitted_once
def resident_edit(request, pseudonym: str):
    """Correct the resident's details (any member of the resident's team). The form shows the
    identity, so showing it is an audited read like the case page; a change is audited too."""
    case, resident = _case_with_resident(request, pseudonym)
    form = ResidentForm(request.POST or None, initial=ResidentForm.initial_of(resident))
    if request.method == "POST" and form.is_valid():
        try:
            changed = resident_update(
                actor=request.user,
                resident=resident,
                case=case,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            submission_made(request)
            if changed:
                messages.success(request, _("The resident's details are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("wijkteam:case", pseudonym=case.pseudonym)
    audit_identity_read(actor=request.user, resident=resident, case=case, request=request)
    return render(
        request,
        "wijkteam/resident_edit.html",
        {"form": form, "case": case, "resident": resident},
    )
