"""The asking team's pages: its home (cases with their questions), and the question form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import TEAM_ROLES, role_required
from config.pagination import paginate
from consultation import services
from consultation.forms import QuestionForm
from consultation.models import Status
from consultation.selectors import team_cases
from consultation.views.common import attempt, team_question
from submissions.web import submission_made, submitted_once
from wijkteam.selectors import case_list, cases_visible_to


@role_required(*TEAM_ROLES)
def team_home(request):
    """The team's cases with their questions and statuses (pseudonyms; names on the case page)."""
    cases = paginate(request, case_list(user=request.user, rows=team_cases(user=request.user)))
    return render(request, "consultation/team_home.html", {"cases": cases})


def _question_form_page(request, *, case, form, question=None, findings=None):
    return render(
        request,
        "consultation/question_form.html",
        {"case": case, "form": form, "question": question, "findings": findings},
    )


def _save_question(request, *, case, form, question=None):
    """Save the draft; send it when asked. The privacy guard may stop the sending: the draft is
    kept, and the form comes back with what was found."""
    fields = {
        "data": services.QuestionInput.of(form.cleaned_data),
        "pool": form.cleaned_data["pool"],
        "life_domains": form.cleaned_data["life_domains"],
        "target_groups": form.cleaned_data["target_groups"],
    }
    if question is None:
        saved = attempt(
            request, services.question_create, form=form, actor=request.user, case=case, **fields
        )
    else:
        saved = attempt(
            request,
            services.question_update_draft,
            form=form,
            actor=request.user,
            question=question,
            **fields,
        )
    if not saved.ok:
        return _question_form_page(request, case=case, form=form, question=question)
    question = saved.result
    if "send" not in request.POST:
        messages.success(request, _("Your draft is saved. Nothing has been sent yet."))
        return redirect("consultation:question", pk=question.pk)
    sent = attempt(
        request,
        services.question_submit,
        form=form,
        actor=request.user,
        question=question,
        privacy_confirmed=form.cleaned_data["privacy_confirmed"],
    )
    if not sent.ok:
        # The draft is kept (and the token spent on it): a repeat of this submit goes to it.
        submission_made(request, then=reverse("consultation:question", args=[question.pk]))
        return _question_form_page(
            request, case=case, form=form, question=question, findings=sent.findings
        )
    messages.success(request, _("Your question is sent to the expert pool."))
    return redirect("consultation:question", pk=question.pk)


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
@submitted_once
def question_new(request, pseudonym: str):
    case = cases_visible_to(user=request.user).filter(pseudonym=pseudonym).first()
    if case is None:
        raise Http404
    form = QuestionForm(request.POST or None, pools=services.pools_serving(team_id=case.team_id))
    if request.method == "POST" and form.is_valid():
        return _save_question(request, case=case, form=form)
    return _question_form_page(request, case=case, form=form)


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
@submitted_once
def question_edit(request, pk: int):
    question = team_question(request, pk)
    if question.status != Status.DRAFT:
        return redirect("consultation:question", pk=pk)
    case = question.case
    form = QuestionForm(
        request.POST or None,
        instance=question,
        pools=services.pools_serving(team_id=case.team_id),
    )
    if request.method == "POST" and form.is_valid():
        return _save_question(request, case=case, form=form, question=question)
    return _question_form_page(request, case=case, form=form, question=question)
