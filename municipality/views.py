"""The municipality admin's pages under /gemeente/teams/: their district teams and members,
inviting, changing a role, deactivating, and the pools serving their teams. And the invitee's
two pages: the link from the mail, and choosing a password (then accounts' second-factor set-up).

Everything is scoped to the municipalities the user administers; anything else, and everyone
else (generalists, experts, triage), gets a 404 (DESIGN §4.2), not a 403."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, request_roles
from config.forms import add_service_errors
from config.pagination import paginate
from municipality import links
from municipality.forms import (
    InvitationPasswordForm,
    InviteForm,
    PoolSettingsForm,
    RoleForm,
    cap_hours,
)
from municipality.models import TeamInvitation
from municipality.selectors import (
    members_of,
    membership_administered_by,
    open_cases_of,
    pool_editable_by,
    pools_serving,
    team_administered_by,
    team_lead_for_handover,
    teams_administered_by,
)
from municipality.services import (
    InvitationUnusable,
    invitation_accept,
    invitation_check,
    member_invite,
    membership_deactivate,
    membership_role_change,
    pool_settings_update,
)
from submissions.web import submission_made, submitted_once
from wijkteam.models import TeamMembership


def municipality_admin_only(view_func):
    """The page is the municipality admin's; for anyone else it does not exist (404)."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if Role.MUNICIPALITY_ADMIN not in request_roles(request):
            raise Http404
        return view_func(request, *args, **kwargs)

    return wrapper


def _posted(request):
    """The form's data on a POST, even an empty one (an empty POST is bad input, not a GET)."""
    return request.POST if request.method == "POST" else None


def _team_or_404(request, team_id: int):
    team = team_administered_by(user=request.user, team_id=team_id)
    if team is None:
        raise Http404
    return team


def _membership_or_404(request, team_id: int, membership_id: int) -> TeamMembership:
    membership = membership_administered_by(
        user=request.user, team_id=team_id, membership_id=membership_id
    )
    if membership is None:
        raise Http404
    return membership


@municipality_admin_only
def teams(request):
    page = paginate(request, teams_administered_by(user=request.user))
    return render(request, "municipality/teams.html", {"teams": page})


def _team_page(request, team, *, status: int = 200, error: str = ""):
    members = paginate(request, members_of(team=team))
    for membership in members:
        membership.role_form = RoleForm(
            initial={"role": membership.role}, prefix=f"m{membership.pk}"
        )
    return render(
        request,
        "municipality/team.html",
        {"team": team, "members": members, "error": error},
        status=status,
    )


@municipality_admin_only
def team_detail(request, team_id: int):
    return _team_page(request, _team_or_404(request, team_id))


@municipality_admin_only
@require_http_methods(["GET", "POST"])
@submitted_once
def member_invite_view(request, team_id: int):
    team = _team_or_404(request, team_id)
    form = InviteForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = member_invite(
                    actor=request.user, team=team, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                submission_made(request)
                if invitation.needs_setup:
                    text = _("The invitation to %(email)s is on its way.")
                else:
                    text = _("%(email)s already works in Wijkexpert: added to the team, and told.")
                messages.success(request, text % {"email": invitation.user.email})
                return redirect("municipality:team", team_id=team.pk)
        status = 400
    return render(request, "municipality/invite.html", {"team": team, "form": form}, status=status)


@municipality_admin_only
@require_POST
def member_role_view(request, team_id: int, membership_id: int):
    team = _team_or_404(request, team_id)
    membership = _membership_or_404(request, team_id, membership_id)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        return _team_page(request, team, status=400, error=_("Choose generalist or team lead."))
    changed = membership_role_change(
        actor=request.user, membership=membership, role=form.cleaned_data["role"], request=request
    )
    name = membership.user.get_full_name() or membership.user.email
    if changed:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": name, "role": TeamMembership.Role(form.cleaned_data["role"]).label},
        )
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect("municipality:team", team_id=team.pk)


@municipality_admin_only
@require_http_methods(["GET", "POST"])
def member_deactivate_view(request, team_id: int, membership_id: int):
    team = _team_or_404(request, team_id)
    membership = _membership_or_404(request, team_id, membership_id)
    error, status = "", 200
    if request.method == "POST":
        try:
            outcome = membership_deactivate(
                actor=request.user, membership=membership, request=request
            )
        except ValidationError as refusal:
            error, status = " ".join(refusal.messages), 400
        else:
            name = membership.user.get_full_name() or membership.user.email
            text = _("%(name)s no longer works in %(team)s; their sessions and API tokens ended.")
            if outcome.cases_handed and outcome.handed_to is not None:
                text += " " + _("%(count)s open case(s) went to %(lead)s.") % {
                    "count": outcome.cases_handed,
                    "lead": outcome.handed_to.get_full_name() or outcome.handed_to.email,
                }
            if outcome.account_deactivated:
                text += " " + _("Their account is deactivated: they had no other role.")
            messages.success(request, text % {"name": name, "team": team.name})
            return redirect("municipality:team", team_id=team.pk)
    lead = team_lead_for_handover(membership=membership)
    return render(
        request,
        "municipality/deactivate.html",
        {
            "team": team,
            "membership": membership,
            "open_cases": open_cases_of(membership=membership).count(),
            "lead": lead,
            "is_self": membership.user_id == request.user.pk,
            "error": error,
        },
        status=status,
    )


@municipality_admin_only
def pools(request):
    page = paginate(request, pools_serving(user=request.user))
    for pool in page:
        pool.cap_hours = cap_hours(pool.monthly_cap_minutes)
    return render(request, "municipality/pools.html", {"pools": page})


@municipality_admin_only
@require_http_methods(["GET", "POST"])
def pool_edit(request, pool_id: int):
    pool = pool_editable_by(user=request.user, pool_id=pool_id)
    if pool is None:
        raise Http404
    form = PoolSettingsForm(_posted(request), initial=PoolSettingsForm.initial_of(pool))
    if request.method == "POST":
        if form.is_valid():
            changed = pool_settings_update(
                actor=request.user, pool=pool, request=request, **form.settings()
            )
            if changed:
                messages.success(request, _("The settings of %(pool)s are saved.") % {"pool": pool})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("municipality:pools")
        return render(
            request, "municipality/pool_edit.html", {"pool": pool, "form": form}, status=400
        )
    return render(request, "municipality/pool_edit.html", {"pool": pool, "form": form})


# --- The invitee's pages ------------------------------------------------------------------------
SESSION_KEY = "_team_invitation"


def _invitation_from(key: str, token: str) -> TeamInvitation | None:
    pk = links.invitation_pk(key)
    invitation = (
        TeamInvitation.objects.select_related("user", "team").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if invitation is None or not links.check_token(invitation, token):
        return None
    return invitation


def _unusable(request, reason: str, status: int = 200):
    return render(
        request, "municipality/invitation_unusable.html", {"reason": reason}, status=status
    )


@login_not_required
@never_cache
def invitation_open(request, key: str, token: str):
    """The link from the mail. Like Django's password reset, the token goes into the session
    and out of the address at once (it must not leak through the Referer of the next page)."""
    invitation = _invitation_from(key, token)
    if invitation is None or not invitation.needs_setup:
        return _unusable(request, "invalid", status=404)
    try:
        invitation_check(invitation)
    except InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    request.session[SESSION_KEY] = {"key": key, "token": token}
    return redirect("invitation:welcome")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_welcome(request):
    held = request.session.get(SESSION_KEY) or {}
    invitation = _invitation_from(held.get("key", ""), held.get("token", ""))
    if invitation is None:
        return _unusable(request, "invalid", status=404)
    try:
        invitation_check(invitation)
    except InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    form = InvitationPasswordForm(invitation.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"], request=request
            )
        except InvitationUnusable as unusable:
            return _unusable(request, unusable.reason)
        # Signed in with the password just set; the second factor comes next (accounts'
        # enrolment page, which the middleware would send them to anyway).
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(SESSION_KEY, None)
        query = urlencode({"next": reverse("home")})
        return redirect(f"{reverse('accounts:otp-enrol')}?{query}")
    return render(
        request,
        "municipality/invitation_welcome.html",
        {"invitation": invitation, "form": form},
        status=400 if form.is_bound else 200,
    )
