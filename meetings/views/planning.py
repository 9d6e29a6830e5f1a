"""Planning a session, moving it, cancelling it and marking it held: a triage worker of the
pool or its coordinator. Thin: a scoped selector, one service (meetings.services.planning),
render; bad input is a 400 with the form's errors."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consultation.selectors import questions_visible_to
from expertise.models import ExpertPool
from meetings.forms import MomentForm, PlanForm, moment_initial
from meetings.models import Invitation
from meetings.selectors import (
    AVAILABILITY_KNOWN,
    cannot_come,
    invitable_experts,
    invitations_of,
    planned_pools,
    proposals,
    waiting_questions,
)
from meetings.services.planning import session_cancel, session_hold, session_move, session_plan
from meetings.views.common import (
    attempt,
    initial_from_post,
    moment_of,
    planned_session,
    redisplay,
)
from submissions.web import submitted_once

PROPOSALS_SHOWN = 3


def _number(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def plan_start(request):
    """Which pool: straight to its form when the user plans for one pool, or for the pool of
    the question they came from ("Overleg plannen" on a question's page)."""
    pools = list(planned_pools(user=request.user).order_by("name"))
    if not pools:
        raise Http404  # the planners' page: for anyone else it does not exist (DESIGN §4.2)
    question_pk = _number(request.GET.get("vraag"))
    if question_pk is not None:
        question = (
            questions_visible_to(user=request.user)
            .filter(pk=question_pk, pool__in=[p.pk for p in pools])
            .only("pk", "pool_id")
            .first()
        )
        if question is not None:
            return redirect(f"{_plan_url(question.pool_id)}?vraag={question.pk}")
    if len(pools) == 1:
        return redirect("meetings:plan", pool_pk=pools[0].pk)
    return render(request, "meetings/plan_start.html", {"pools": pools})


def _plan_url(pool_pk: int) -> str:
    return reverse("meetings:plan", kwargs={"pool_pk": pool_pk})


def _panel(experts, moment, *, now=None) -> dict:
    """The proposal panel: the next moments for the chosen experts, and who cannot come at the
    moment in the form (meetings.selectors.proposals / cannot_come)."""
    now = now or timezone.now()
    return {
        "proposals": proposals(experts=experts, after=now, count=PROPOSALS_SHOWN),
        "cannot_come": cannot_come(experts=experts, moment=moment) if moment else [],
        "moment": moment,
        "availability_known": AVAILABILITY_KNOWN,
        "chosen_count": len(experts),
    }


def _plan_initial(pool: ExpertPool, experts, include: int | None) -> dict:
    is_team = pool.collaboration_model == ExpertPool.CollaborationModel.TEAM
    """A team pool's session invites its own experts; the first proposal's moment; the place
    of the pool's recurring meeting, if it has one."""
    own = [str(u.pk) for u in experts if u.in_pool] if is_team else []
    first = proposals(experts=[u for u in experts if str(u.pk) in own], after=timezone.now())[0]
    start, end = timezone.localtime(first.starts_at), timezone.localtime(first.ends_at)
    series = getattr(pool, "meeting_series", None)
    return {
        "experts": own,
        "questions": [str(include)] if include else [],
        "date": start.date(),
        "start": start.time(),
        "end": end.time(),
        "place": series.place if series else "",
        "video_link": series.video_link if series else "",
        "capacity": series.capacity if series else 4,
    }


@require_http_methods(["GET", "POST"])
@submitted_once
def plan(request, pool_pk: int):
    pool = get_object_or_404(
        planned_pools(user=request.user).select_related("meeting_series"), pk=pool_pk
    )
    include = _number(request.GET.get("vraag"))
    experts = list(invitable_experts(pool=pool))
    questions = waiting_questions(user=request.user, pool=pool, include=include)
    choices = {"experts": experts, "questions": questions}
    status = 200
    if redisplay(request):
        form = PlanForm(initial=initial_from_post(request, ("experts", "questions")), **choices)
    elif request.method == "POST":
        form = PlanForm(request.POST, **choices)
        if form.is_valid():
            done, session = attempt(
                request,
                session_plan,
                form=form,
                planner=request.user,
                pool=pool,
                data=form.session_input(),
                questions=form.chosen_questions(),
                experts=form.chosen_experts(),
                slots=form.cleaned_data["slots"],
            )
            if done:
                messages.success(request, _("The session is planned; the invitations go out."))
                return redirect("meetings:session", pk=session.pk)
        status = 400
    else:
        form = PlanForm(initial=_plan_initial(pool, experts, include), **choices)
    values = form.data if form.is_bound else form.initial
    chosen_ids = set(
        request.POST.getlist("experts") if form.is_bound else values.get("experts", [])
    )
    chosen = [u for u in experts if str(u.pk) in chosen_ids]
    return render(
        request,
        "meetings/plan.html",
        {
            "pool": pool,
            "form": form,
            "rows": form.question_rows(),
            "panel": _panel(chosen, moment_of(values)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def move(request, pk: int):
    session = planned_session(request, pk)
    if not session.is_open:
        messages.error(request, _("This session is no longer planned."))
        return redirect("meetings:session", pk=pk)
    status = 200
    if redisplay(request):
        form = MomentForm(initial=initial_from_post(request))
    elif request.method == "POST":
        form = MomentForm(request.POST)
        if form.is_valid():
            done, _moved = attempt(
                request,
                session_move,
                form=form,
                planner=request.user,
                session=session,
                data=form.session_input(),
            )
            if done:
                messages.success(request, _("The session is moved; everyone invited is told."))
                return redirect("meetings:session", pk=pk)
        status = 400
    else:
        form = MomentForm(initial=moment_initial(session))
    values = form.data if form.is_bound else form.initial
    experts = [i.user for i in invitations_of(session=session) if i.role == Invitation.Role.EXPERT]
    return render(
        request,
        "meetings/move.html",
        {"session": session, "form": form, "panel": _panel(experts, moment_of(values))},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def cancel(request, pk: int):
    session = planned_session(request, pk)
    if request.method == "POST":
        done, _cancelled = attempt(request, session_cancel, planner=request.user, session=session)
        if done:
            messages.success(request, _("The session is cancelled; everyone invited is told."))
        return redirect("meetings:session", pk=pk)
    if not session.is_open:
        messages.error(request, _("This session is no longer planned."))
        return redirect("meetings:session", pk=pk)
    return render(request, "meetings/cancel.html", {"session": session})


@require_POST
@submitted_once
def hold(request, pk: int):
    session = planned_session(request, pk)
    done, _held = attempt(request, session_hold, planner=request.user, session=session)
    if done:
        messages.success(request, _("The session is marked as held."))
    return redirect("meetings:session", pk=pk)
