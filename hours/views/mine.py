"""An expert's own hours: "Mijn uren" (a month against each pool's cap, the attendance to
confirm, the month's entries), a correction of one entry, and the time of a written advice
(offered on the question page by hours.panels, posted here).

Only for experts; anyone else, and anyone else's entry, is a 404. Thin: hours.personal reads,
one service per write, render; bad input is the form's errors with a 400, and every write is a
POST with the one-time submission token (a double click confirms or corrects once)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, request_roles
from config.pagination import paginate
from consultation.models import Message
from hours.mine_forms import AdviceTimeForm, CorrectionForm, ProposalForm
from hours.models import TimeEntry
from hours.personal import (
    advice_times,
    chosen_month,
    correctable,
    corrections_of,
    month_entries,
    month_usage,
    own_entry,
)
from hours.planner_forms import month_value
from hours.review import months_offered
from hours.selectors import effective_minutes, month_of, proposals_for
from hours.services import (
    time_entry_confirm,
    time_entry_correct,
    time_entry_decline,
    time_entry_register_advice,
)
from hours.views.common import attempt
from submissions.web import submitted_once

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest

    from accounts.models import User

MONTH_PARAM = "maand"
PROPOSALS_PARAM = "voorstellen"


def _expert(request: HttpRequest) -> User:
    """The signed-in expert; anyone else gets a 404 (not their page)."""
    if Role.EXPERT not in request_roles(request):
        raise Http404
    return cast("User", request.user)


def _month_label(month: date) -> str:
    return dateformat.format(month, "F Y")


def _mine_url(month: date | None = None) -> str:
    url = reverse("hours:mine")
    if month is None or month == month_of(timezone.localdate())[0]:
        return url
    return f"{url}?{urlencode({MONTH_PARAM: month_value(month)})}"


def _requested_month(request: HttpRequest) -> date:
    """The month a POST came from (its action's ?maand=), to go back to."""
    return chosen_month(request.GET.get(MONTH_PARAM))[0]


# --- Mijn uren -------------------------------------------------------------------------------
def _mine_page(request: HttpRequest, *, bound: ProposalForm | None = None, status: int = 200):
    expert = _expert(request)
    month, understood = chosen_month(request.GET.get(MONTH_PARAM))
    offered = months_offered()
    if month not in offered:
        offered = sorted([*offered, month], reverse=True)
    proposals = paginate(request, proposals_for(expert=expert), per_page=10, param=PROPOSALS_PARAM)
    cards = [
        (
            entry,
            bound
            if bound is not None and bound.entry_pk == entry.pk
            else ProposalForm(entry_pk=entry.pk, initial={"minutes": entry.minutes}),
        )
        for entry in proposals
    ]
    page = paginate(request, month_entries(expert=expert, month=month))
    this_month = month_of(timezone.localdate())[0]
    previous = month_of(month - timedelta(days=1))[0]
    following = month_of(month_of(month)[1])[0]
    return render(
        request,
        "hours/mine.html",
        {
            "month": month,
            "month_value": month_value(month),
            "month_understood": understood,
            "months": [(month_value(m), _month_label(m).capitalize()) for m in offered],
            "previous_url": _mine_url(previous),
            "next_url": _mine_url(following) if following <= this_month else None,
            "is_this_month": month == this_month,
            "pools": month_usage(expert=expert, month=month),
            "proposals": proposals,
            "cards": cards,
            "page": page,
            "rows": [(entry, correctable(entry)) for entry in page],
            "back_query": urlencode({MONTH_PARAM: month_value(month)}),
        },
        status=status,
    )


@require_http_methods(["GET"])
def mine(request):
    return _mine_page(request)


def _session_label(entry: TimeEntry) -> str:
    if entry.session is not None:
        return dateformat.format(entry.session.starts_at, "j F Y")
    return dateformat.format(entry.date, "j F Y")


@require_POST
@submitted_once
def proposal(request, pk: int):
    """Confirm a proposed attendance with the minutes one was there, or decline it."""
    expert = _expert(request)
    try:
        entry = own_entry(expert=expert, pk=pk)
    except TimeEntry.DoesNotExist:
        raise Http404 from None
    back = _mine_url(_requested_month(request))
    form = ProposalForm(request.POST, entry_pk=pk)
    if form.is_valid():
        if entry.status != TimeEntry.Status.PROPOSED:
            messages.info(request, _("This time was confirmed or declined already."))
            return redirect(back)
        day = _session_label(entry)
        if not form.confirms:
            if attempt(request, time_entry_decline, form, expert=expert, entry=entry):
                messages.success(
                    request,
                    _("Noted: you were not at the session of %(day)s; no time is registered.")
                    % {"day": day},
                )
                return redirect(back)
        else:
            done = attempt(
                request,
                time_entry_confirm,
                form,
                expert=expert,
                entry=entry,
                minutes=form.cleaned_data["minutes"],
            )
            if done is not None:
                words = {"minutes": done.minutes, "day": day}
                if done.status == TimeEntry.Status.AWAITING_APPROVAL:
                    text = _(
                        "Registered: %(minutes)s minutes for the session of %(day)s. It goes "
                        "beyond the pool's monthly cap, so it counts once the triage worker or "
                        "coordinator approves it."
                    )
                    messages.warning(request, text % words)
                else:
                    messages.success(
                        request,
                        _("Confirmed: %(minutes)s minutes for the session of %(day)s.") % words,
                    )
                return redirect(back)
    return _mine_page(request, bound=form, status=400)


# --- A correction ----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@submitted_once
def correct(request, pk: int):
    """Set an entry's time right: a new entry with the difference, signed, with a reason. The
    entry itself never changes, not even before it is exported."""
    expert = _expert(request)
    try:
        entry = own_entry(expert=expert, pk=pk)
    except TimeEntry.DoesNotExist:
        raise Http404 from None
    counted = effective_minutes(entry)
    status = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            made = attempt(
                request,
                time_entry_correct,
                form,
                expert=expert,
                entry=entry,
                minutes=form.cleaned_data["minutes"],
                reason=form.cleaned_data["reason"],
            )
            if made is not None:
                words = {"minutes": counted + made.minutes, "difference": f"{made.minutes:+d}"}
                if made.status == TimeEntry.Status.AWAITING_APPROVAL:
                    text = _(
                        "Corrected to %(minutes)s minutes. The difference (%(difference)s) goes "
                        "beyond the pool's monthly cap, so it counts once it is approved."
                    )
                    messages.warning(request, text % words)
                else:
                    text = _(
                        "Corrected to %(minutes)s minutes: the difference (%(difference)s) is a "
                        "new entry."
                    )
                    messages.success(request, text % words)
                return redirect(_mine_url(month_of(entry.date)[0]))
        status = 400
    else:
        form = CorrectionForm(initial={"minutes": counted})
    return render(
        request,
        "hours/correct.html",
        {
            "entry": entry,
            "counted": counted,
            "correctable": correctable(entry),
            "corrections": corrections_of(entry),
            "form": form,
            "back_url": _mine_url(month_of(entry.date)[0]),
        },
        status=status,
    )


# --- The time of a written advice ------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@submitted_once
def advice_time(request, pk: int):
    """The time one's own written advice took (the question page's panel posts here). Shown as
    a page of its own only to fix a form error, or without the question page."""
    expert = _expert(request)
    message = get_object_or_404(
        Message.objects.select_related("question__case"),
        pk=pk,
        author=expert,
        kind=Message.Kind.ADVICE,
    )
    times = advice_times(expert=expert, messages=[message])
    if not times:  # advice recorded for a session: its time is the attendance
        raise Http404
    question_url = reverse("consultation:question", args=[message.question_id])
    form = AdviceTimeForm(request.POST or None, message_pk=message.pk)
    status = 200
    if request.method == "POST":
        if times[0].registered:
            messages.info(request, _("The time of this advice was registered already."))
            return redirect(question_url)
        if form.is_valid():
            entry = attempt(
                request,
                time_entry_register_advice,
                form,
                expert=expert,
                message=message,
                minutes=form.cleaned_data["minutes"],
            )
            if entry is not None:
                words = {"minutes": entry.minutes}
                if entry.status == TimeEntry.Status.AWAITING_APPROVAL:
                    text = _(
                        "Registered: %(minutes)s minutes for your advice. It goes beyond the "
                        "pool's monthly cap, so it counts once it is approved."
                    )
                    messages.warning(request, text % words)
                else:
                    messages.success(
                        request, _("Registered: %(minutes)s minutes for your advice.") % words
                    )
                return redirect(question_url)
        status = 400
    return render(
        request,
        "hours/advice_time.html",
        {"advice": times[0], "form": form, "question_url": question_url},
        status=status,
    )


urlpatterns = [
    path("", mine, name="mine"),
    path("voorstel/<int:pk>/", proposal, name="proposal"),
    path("<int:pk>/corrigeren/", correct, name="correct"),
    path("advies/<int:pk>/", advice_time, name="advice-time"),
]
