"""The expert's inbox and their answered questions (served under /expert/)."""

from __future__ import annotations

from django.shortcuts import render

from accounts.roles import Role, role_required
from config.pagination import paginate
from consultation.answered import expert_answered, expert_feedback_summary
from consultation.forms import InboxFilterForm
from consultation.selectors import expert_inbox, expert_profile_of, keys_read
from wijkteam.models import age_band_label


@role_required(Role.EXPERT)
def inbox(request):
    """Questions open to the expert (network pools, matching expertise) and questions assigned
    to or picked up by them; filters by domain, target group, urgency and status."""
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = paginate(
        request,
        expert_inbox(
            user=request.user,
            life_domain=getattr(filters.get("life_domain"), "pk", None),
            target_group=getattr(filters.get("target_group"), "pk", None),
            urgency=filters.get("urgency") or None,
            status=filters.get("status") or None,
        ),
    )
    for question in questions:
        question.age_band = age_band_label(question.resident_age)
    return render(
        request,
        "consultation/inbox.html",
        {
            "profile": expert_profile_of(user=request.user),
            "questions": questions,
            "filter_form": form,
        },
    )


@role_required(Role.EXPERT)
def answered(request):
    """ "My answered questions": the questions the expert advised on, their newest advice first,
    with the rating the team gave their advice and whether the close-out has a comment."""
    keys = keys_read(user=request.user)
    rows = paginate(request, expert_answered(user=request.user, keys=keys))
    for advice in rows:
        advice.age_band = age_band_label(advice.resident_age)
    return render(
        request,
        "consultation/answered.html",
        {"rows": rows, "summary": expert_feedback_summary(user=request.user, keys=keys)},
    )
