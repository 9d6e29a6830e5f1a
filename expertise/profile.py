"""The expert's availability on their profile page (accounts.profile): the dagdelen they keep
free each week, and their absences. A section of that page (`register`, from ready()); its forms
post here, and on errors these views show the profile page again with the form in error."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.profile import profile_section, render_profile
from config.forms import add_service_errors
from config.pagination import paginate
from expertise import services
from expertise.availability import absences_current_and_coming, weekly_slots_of
from expertise.forms import AbsenceForm, WeeklyAvailabilityForm
from expertise.models import Absence, ExpertProfile
from submissions.web import submission_made, submitted_once

SECTION = "availability"
ANCHOR = "#beschikbaarheid"
ABSENCES_PER_PAGE = 10
ABSENCES_PAGE_PARAM = "afwezigheden"


def _own_profile(request) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=request.user, is_active=True).first()


def section_context(request, *, week_form=None, absence_form=None) -> dict | None:
    """The section's context; None for someone who is not an (active) expert."""
    expert = _own_profile(request)
    if expert is None:
        return None
    return {
        "week_form": week_form or WeeklyAvailabilityForm(slots=weekly_slots_of(expert=expert)),
        "absence_form": absence_form or AbsenceForm(),
        "absences": paginate(
            request,
            absences_current_and_coming(expert=expert),
            per_page=ABSENCES_PER_PAGE,
            param=ABSENCES_PAGE_PARAM,
        ),
    }


def register() -> None:
    profile_section(
        SECTION,
        template="expertise/profile_availability.html",
        context=section_context,
        order=50,
    )


def _expert_or_404(request) -> ExpertProfile:
    expert = _own_profile(request)
    if expert is None:
        raise Http404  # not an expert: there is no availability to change
    return expert


def _back() -> str:
    return reverse("accounts:profile") + ANCHOR


@never_cache
@require_POST
@submitted_once
def week_save(request):
    expert = _expert_or_404(request)
    form = WeeklyAvailabilityForm(request.POST)
    if not form.is_valid():
        return render_profile(request, sections={SECTION: {"week_form": form}})
    services.weekly_availability_set(expert=expert, slots=form.cleaned_data["slots"])
    submission_made(request)
    messages.success(request, _("Your weekly availability has been saved."))
    return redirect(_back())


@never_cache
@require_POST
@submitted_once
def absence_add(request):
    expert = _expert_or_404(request)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.absence_add(
                expert=expert,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            submission_made(request)
            messages.success(request, _("Your absence has been added."))
            return redirect(_back())
    return render_profile(request, sections={SECTION: {"absence_form": form}})


@never_cache
@require_POST
@submitted_once
def absence_remove(request, pk: int):
    expert = _expert_or_404(request)
    # Someone else's absence is a 404, like anything outside one's scope. A double click
    # carries the same token: the second is taken where the first went.
    absence = get_object_or_404(Absence, pk=pk, expert=expert)
    services.absence_remove(expert=expert, absence=absence)
    submission_made(request)
    messages.success(request, _("The absence has been removed."))
    return redirect(_back())
