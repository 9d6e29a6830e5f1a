"""The sessions a person sees (meetings.selectors.sessions_visible_to) and one session's page:
when and where, the agenda as far as they may read it, who is invited and who comes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.pagination import paginate
from meetings.models import Invitation
from meetings.selectors import (
    agenda_for,
    invitations_of,
    may_plan,
    past,
    planned_pools,
    sessions_visible_to,
    upcoming,
    with_counts,
)
from meetings.services.agenda import invitation_respond


def home(request):
    visible = with_counts(sessions_visible_to(user=request.user).select_related("pool"))
    return render(
        request,
        "meetings/home.html",
        {
            "upcoming": paginate(request, upcoming(visible), param="komend"),
            "past": paginate(request, past(visible), param="eerder"),
            "plans": planned_pools(user=request.user).exists(),
        },
    )


def detail(request, pk: int):
    session = get_object_or_404(
        sessions_visible_to(user=request.user).select_related("pool"), pk=pk
    )
    invitations = invitations_of(session=session)
    mine = next((i for i in invitations if i.user_id == request.user.pk), None)
    return render(
        request,
        "meetings/session.html",
        {
            "session": session,
            "agenda": agenda_for(session=session, user=request.user),
            "experts": [i for i in invitations if i.role == Invitation.Role.EXPERT],
            "generalists": [i for i in invitations if i.role == Invitation.Role.GENERALIST],
            "mine": mine,
            "plans": may_plan(user=request.user, pool=session.pool_id),
        },
    )


@require_POST
def respond(request, pk: int):
    invitation = Invitation.objects.filter(pk=pk, user=request.user).first()
    if invitation is None:
        raise Http404
    try:
        invitation_respond(
            user=request.user, invitation=invitation, response=request.POST.get("response", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer has been saved."))
    return redirect("meetings:session", pk=invitation.session_id)
