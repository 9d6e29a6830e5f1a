"""The team lead's overview (served under /wijkteam/): every question of the teams they lead
that is not final, with whom it waits for. Pseudonyms only: no identity is read, so nothing is
audited here; names are on the case page."""

from __future__ import annotations

from django.shortcuts import render

from accounts.roles import Role, role_required
from config.pagination import paginate
from consultation import workflow
from consultation.forms import TeamOverviewFilterForm
from consultation.selectors import team_open_questions
from wijkteam.selectors import led_team_ids, team_members


@role_required(Role.TEAM_LEAD)
def team_overview(request):
    teams = led_team_ids(user=request.user)
    form = TeamOverviewFilterForm(request.GET or None, members=team_members(team_ids=teams))
    filters = form.cleaned_data if form.is_valid() else {}
    owner = filters.get("owner")
    waiting = filters.get("waiting")
    questions = paginate(
        request,
        team_open_questions(
            user=request.user,
            team_ids=teams,
            owner_id=owner.pk if owner else None,
            statuses=workflow.WAITING_FOR[workflow.By(waiting)] if waiting else workflow.NOT_FINAL,
        ),
    )
    for question in questions:
        question.waiting_for = workflow.waiting_for(question.status)
    return render(
        request,
        "consultation/team_overview.html",
        {"questions": questions, "filter_form": form, "filtered": bool(owner or waiting)},
    )
