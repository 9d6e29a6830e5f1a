"""The asking team's pages: its home (cases with their questions), and the question form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import TEAM_ROLES, role_required
from config.pagination import paginate
from consultation import services
from consultation.forms import QuestionForm
from consultation.models import Status
from consultation.selectors import questions_visible_to, team_cases
from consultation.views.common import attempt, team_question
from submissions.web import submitted_once
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


def _carried_over(request, case) -> dict | None:
    """ "Ask again" on a redirected question: its text (the team's own) fills the new form, with
    the pool triage chose; nothing is stored until the generalist saves or sends."""
    source_pk = request.GET.get("van", "")
    if request.method != "GET" or not source_pk.isdigit():
        return None
    source = (
        questions_visible_to(user=request.user)
        .filter(pk=int(source_pk), case=case, status=Status.REDIRECTED)
        .first()
    )
    if source is None:
        return None
    return {
        **{field: getattr(source, field) for field in services.QuestionInput.FIELDS},
        "life_domains": list(source.life_domains.all()),
        "target_groups": list(source.target_groups.all()),
        "pool": source.redirect_pool_id,
    }


def _question_form(request, *, case, question=None, initial=None) -> QuestionForm:
    """The form; "Save draft" asks only for a title, "Send question" for everything."""
    return QuestionForm(
        request.POST or None,
        instance=question,
        initial=initial,
        pools=services.pools_serving(team_id=case.team_id),
        drafting=request.method == "POST" and "send" not in request.POST,
    )


def _save_question(request, *, case, form, question=None):
    """Save the draft, or send it. The privacy guard runs before anything is stored: what it
    stops stays in the form, shown with what was found, until it is edited or confirmed."""
    sending = "send" in request.POST
    fields = {
        "actor": request.user,
        "data": services.QuestionInput.of(form.cleaned_data),
        "pool": form.cleaned_data["pool"],
        "life_domains": form.cleaned_data["life_domains"],
        "target_groups": form.cleaned_data["target_groups"],
        "privacy_confirmed": form.cleaned_data["privacy_confirmed"],
        "send": sending,
    }
    if question is None:
        saved = attempt(request, services.question_create, form=form, case=case, **fields)
    else:
        saved = attempt(
            request, services.question_update_draft, form=form, question=question, **fields
        )
    if not saved.ok:
        return _question_form_page(
            request, case=case, form=form, question=question, findings=saved.findings
        )
    if sending:
        messages.success(request, _("Your question is sent to the expert pool."))
    else:
        messages.success(request, _("Your draft is saved. Nothing has been sent yet."))
    return redirect("consultation:question", pk=saved.result.pk)


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
@submitted_once
def question_new(request, pseudonym: str):
    case = cases_visible_to(user=request.user).filter(pseudonym=pseudonym).first()
    if case is None:
        raise Http404
    form = _question_form(request, case=case, initial=_carried_over(request, case))
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
    form = _question_form(request, case=case, question=question)
    if request.method == "POST" and form.is_valid():
        return _save_question(request, case=case, form=form, question=question)
    return _question_form_page(request, case=case, form=form, question=question)


@role_required(*TEAM_ROLES)
@require_POST
@submitted_once
def question_delete(request, pk: int):
    """Delete a draft (it never left the team)."""
    question = team_question(request, pk)
    pseudonym = question.case.pseudonym
    if attempt(request, services.question_delete_draft, actor=request.user, question=question).ok:
        messages.success(request, _("The draft is deleted."))
        return redirect("wijkteam:case", pseudonym=pseudonym)
    return redirect("consultation:question", pk=pk)
