"""The recurring meeting of a team pool, kept by its coordinators: how often, on which day,
at what time and where; saving it creates the sessions of the coming weeks
(meetings.services.recurring.series_save)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings.forms import SeriesForm
from meetings.selectors import coordinated_team_pools
from meetings.services.recurring import SeriesInput, series_save
from meetings.views.common import attempt
from submissions.web import submitted_once


@require_http_methods(["GET", "POST"])
@submitted_once
def edit(request, pool_pk: int):
    # Another pool's coordinator, or a pool that is no team: not theirs to see (404).
    pool = get_object_or_404(coordinated_team_pools(user=request.user), pk=pool_pk)
    series = getattr(pool, "meeting_series", None)
    initial = {} if series else {"first_date": timezone.localdate()}
    form = SeriesForm(request.POST or None, instance=series, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _saved = attempt(
            request,
            series_save,
            form=form,
            actor=request.user,
            pool=pool,
            data=SeriesInput(
                rrule=data["rule"],
                first_date=data["first_date"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_link=data["video_link"],
                capacity=data["capacity"],
                weeks_ahead=data["weeks_ahead"],
                is_active=data["is_active"],
            ),
        )
        if done:
            messages.success(
                request, _("The recurring meeting is saved; its coming sessions are planned.")
            )
            return redirect("meetings:home")
    return render(
        request,
        "meetings/series.html",
        {"pool": pool, "form": form, "series": series},
        status=400 if form.is_bound else 200,
    )
