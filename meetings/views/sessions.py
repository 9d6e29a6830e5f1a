"""The sessions a person sees (meetings.selectors.sessions_visible_to) and one session's page:
when and where, the agenda as far as they may read it, who is invited and who comes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, request_roles
from config.pagination import paginate
from meetings.forms import AgendaAddForm, InviteForm, OutcomeForm, rule_label
from meetings.models import AgendaItem, Invitation, MeetingSeries, Session
from meetings.selectors import (
    LIVE_ITEMS,
    agenda_for,
    coordinated_team_pools,
    invitable_experts,
    invitations_of,
    may_plan,
    past,
    planned_pools,
    sessions_visible_to,
    upcoming,
    waiting_questions,
    with_counts,
)
from meetings.services.agenda import invitation_respond
from meetings.views.common import visible_session


def home(request):
    visible = with_counts(sessions_visible_to(user=request.user).select_related("pool"))
    return render(
        request,
        "meetings/home.html",
        {
            "upcoming": paginate(request, upcoming(visible), param="komend"),
            "past": paginate(request, past(visible), param="eerder"),
            "plans": planned_pools(user=request.user).exists(),
            # The recurring meetings a coordinator keeps (read only for coordinators).
            "series_pools": [
                (pool, rule_label(series) if (series := _series_of(pool)) else None)
                for pool in coordinated_team_pools(user=request.user)
            ]
            if Role.COORDINATOR in request_roles(request)
            else [],
        },
    )


def _series_of(pool) -> MeetingSeries | None:
    # A reverse one-to-one that is not there raises a subclass of AttributeError.
    return getattr(pool, "meeting_series", None)


def detail(request, pk: int):
    return session_page(request, visible_session(request, pk))


def session_page(request, session: Session, *, status: int = 200, bound: dict | None = None):
    """The session's page; for its planners with the forms to keep it (a form sent with errors
    comes back in `bound`: "add", "invite", or ("outcome", item id))."""
    bound = bound or {}
    now = timezone.now()
    invitations = invitations_of(session=session)
    experts = [i for i in invitations if i.role == Invitation.Role.EXPERT]
    agenda = agenda_for(session=session, user=request.user)
    plans = may_plan(user=request.user, pool=session.pool_id)
    started = session.starts_at <= now
    context = {
        "session": session,
        "agenda": agenda,
        "experts": experts,
        "generalists": [i for i in invitations if i.role == Invitation.Role.GENERALIST],
        "mine": next((i for i in invitations if i.user_id == request.user.pk), None),
        "plans": plans,
        "started": started,
        "minutes_planned": sum(i.minutes for i in agenda if i.status in LIVE_ITEMS),
    }
    if plans:
        context.update(_planner_forms(request, session, agenda, experts, started, bound))
    return render(request, "meetings/session.html", context, status=status)


def _planner_forms(request, session, agenda, experts, started, bound) -> dict:
    """The planner's forms: add a question and invite experts while the session is planned,
    and per agenda item the outcome once it has started (the choices come from what is read
    already: no query per item)."""
    forms: dict = {"can_hold": session.is_open and started}
    on_agenda = [i for i in agenda if i.status == AgendaItem.Status.ON_AGENDA]
    if session.is_open:
        waiting = waiting_questions(user=request.user, pool=session.pool_id)
        forms["add_form"] = bound.get("add") or AgendaAddForm(questions=waiting)
        forms["room_left"] = len(on_agenda) < session.capacity
        invited = {i.user_id for i in experts}
        more = [u for u in invitable_experts(pool=session.pool) if u.pk not in invited]
        forms["invite_form"] = bound.get("invite") or InviteForm(experts=more)
    if started and session.status != Session.Status.CANCELLED:
        item_pk, form = bound.get("outcome", (None, None))
        for item in on_agenda:
            item.outcome_form = (
                form
                if item.pk == item_pk
                else OutcomeForm(invitations=experts, prefix=f"item-{item.pk}")
            )
    return forms


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
