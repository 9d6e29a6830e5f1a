"""What a planner does on a session's page: put a question on the agenda or take it off,
invite more experts, record an agenda item's outcome or carry it over. Each a POST calling one
service (meetings.services.agenda / outcomes); a form with errors shows the page again (400)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.forms import AgendaAddForm, InviteForm, OutcomeForm
from meetings.models import AgendaItem, Invitation, Session
from meetings.selectors import invitable_experts, invitations_of, waiting_questions
from meetings.services.agenda import agenda_add, agenda_remove, invite_experts
from meetings.services.outcomes import item_carry_over, outcome_record
from meetings.views.common import attempt, planned_session
from meetings.views.sessions import session_page
from submissions.web import submitted_once


def _item(session: Session, item_pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(session=session, pk=item_pk).first()
    if item is None:
        raise Http404
    return item


@require_POST
@submitted_once
def add(request, pk: int):
    session = planned_session(request, pk)
    form = AgendaAddForm(
        request.POST, questions=waiting_questions(user=request.user, pool=session.pool_id)
    )
    if form.is_valid():
        done, _item_added = attempt(
            request,
            agenda_add,
            form=form,
            actor=request.user,
            session=session,
            question=form.chosen(),
            minutes=form.cleaned_data["minutes"],
        )
        if done:
            messages.success(request, _("The question is on the agenda."))
            return redirect("meetings:session", pk=pk)
    return session_page(request, session, status=400, bound={"add": form})


@require_POST
@submitted_once
def remove(request, pk: int, item_pk: int):
    session = planned_session(request, pk)
    done, _removed = attempt(
        request, agenda_remove, actor=request.user, item=_item(session, item_pk)
    )
    if done:
        messages.success(request, _("The question is taken off the agenda."))
    return redirect("meetings:session", pk=pk)


@require_POST
@submitted_once
def invite(request, pk: int):
    session = planned_session(request, pk)
    invited = set(session.invitations.values_list("user_id", flat=True))
    more = [u for u in invitable_experts(pool=session.pool) if u.pk not in invited]
    form = InviteForm(request.POST, experts=more)
    if form.is_valid():
        done, _invitations = attempt(
            request,
            invite_experts,
            form=form,
            actor=request.user,
            session=session,
            experts=form.chosen(),
        )
        if done:
            messages.success(request, _("The experts are invited."))
            return redirect("meetings:session", pk=pk)
    return session_page(request, session, status=400, bound={"invite": form})


@require_POST
@submitted_once
def outcome(request, pk: int, item_pk: int):
    session = planned_session(request, pk)
    item = _item(session, item_pk)
    experts = [i for i in invitations_of(session=session) if i.role == Invitation.Role.EXPERT]
    form = OutcomeForm(request.POST, invitations=experts, prefix=f"item-{item.pk}")
    if form.is_valid():
        done, _recorded = attempt(
            request,
            outcome_record,
            form=form,
            actor=request.user,
            item=item,
            advice=form.cleaned_data["advice"],
            participants=form.chosen(),
        )
        if done:
            messages.success(request, _("The outcome is recorded; the district team is told."))
            return redirect(f"{session_url(pk)}#item-{item.pk}")
    return session_page(request, session, status=400, bound={"outcome": (item.pk, form)})


@require_POST
@submitted_once
def carry_over(request, pk: int, item_pk: int):
    session = planned_session(request, pk)
    done, _carried = attempt(
        request, item_carry_over, actor=request.user, item=_item(session, item_pk)
    )
    if done:
        messages.success(request, _("The question is carried over to the next session."))
    return redirect("meetings:session", pk=pk)


def session_url(pk: int) -> str:
    return reverse("meetings:session", kwargs={"pk": pk})
