"""The question page, for both sides, and what is done on it. Thin: fetch through a scoped
selector, call one service (consultation.views.common.attempt maps its errors), render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.pagination import paginate
from consultation import services, workflow
from consultation.forms import (
    AttachmentForm,
    CloseOutForm,
    ExpertMessageForm,
    MessageForm,
    ReasonForm,
)
from consultation.models import Message, Question, QuestionExpert, Reason, Status
from consultation.panels import panels_for
from consultation.selectors import (
    coordinator_questions_q,
    expert_questions_q,
    question_history,
    redirection,
)
from consultation.selectors import question_detail as question_detail_selector
from consultation.views.common import attempt, team_question, visible_question
from submissions.web import submitted_once
from wijkteam.models import age_band_label, household_label
from wijkteam.selectors import is_team_member


def question_detail(request, pk: int):
    try:
        question = question_detail_selector(user=request.user, pk=pk)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    services.question_mark_read(user=request.user, question=question)
    return render(request, "consultation/question_detail.html", _detail_context(request, question))


def _detail_page_again(request, pk: int, **forms):
    """The question page with a form in error (status 400): what was typed is kept."""
    question = question_detail_selector(user=request.user, pk=pk)
    return render(
        request,
        "consultation/question_detail.html",
        _detail_context(request, question, **forms),
        status=400,
    )


# Where triage sent a redirected question, and what the team can do next, by where it went.
WHERE: dict[str, Any] = {
    Reason.REDIRECTED_OTHER_POOL: gettext_lazy(
        "Triage sent this question on to the expert pool %(pool)s."
    ),
    Reason.REDIRECTED_REGULAR_CARE: gettext_lazy(
        "Triage sent this question on to regular care (the voorliggend veld)."
    ),
    Reason.REDIRECTED_GP: gettext_lazy("Triage sent this question back to the GP."),
}
NEXT_STEP: dict[str, Any] = {
    Reason.REDIRECTED_OTHER_POOL: gettext_lazy(
        "Ask the pool triage chose. Your text is carried over: you can change it before you "
        "send it."
    ),
    Reason.REDIRECTED_REGULAR_CARE: gettext_lazy(
        "This fits regular care (the voorliggend veld). Triage's note says who can help. If you "
        "still need an expert's advice, ask again and say what regular care could not do."
    ),
    Reason.REDIRECTED_GP: gettext_lazy(
        "Discuss this with the resident's GP; triage's note says why. If you still need an "
        "expert's advice afterwards, ask again."
    ),
}


def _redirected(question, team_side: bool) -> dict | None:
    """For the team: where triage sent the question, its note, and the next step."""
    step = redirection(question=question) if team_side else None
    if step is None:
        return None
    notes = [m for m in question.messages.all() if m.kind == Message.Kind.TRIAGE_NOTE]
    to_a_pool = step.reason_code == Reason.REDIRECTED_OTHER_POOL
    return {
        "where": WHERE.get(step.reason_code, step.reason_display)
        % {"pool": question.redirect_pool.name if question.redirect_pool else step.reason},
        "note": notes[-1] if notes else None,
        "next_step": NEXT_STEP.get(step.reason_code, ""),
        "pool": question.redirect_pool if to_a_pool else None,
    }


def _sides(request, question) -> tuple[bool, bool, bool]:
    """(team side, expert side, adviser side): an expert advises on what they see as an expert;
    a coordinator of the question's pool may advise in writing too, without being an expert
    (consultation.access.Side.ADVISER). One query outside the team, as before."""
    if is_team_member(user=request.user, team_id=question.team_id):
        return True, False, False
    as_expert = expert_questions_q(user=request.user)
    row = (
        Question.objects.filter(as_expert | coordinator_questions_q(user=request.user))
        .filter(pk=question.pk)
        .annotate(as_expert=ExpressionWrapper(as_expert, output_field=BooleanField()))
        .values_list("as_expert", flat=True)
        .first()
    )
    return False, bool(row), row is not None


def _detail_context(request, question, **forms):
    team_side, expert_side, adviser_side = _sides(request, question)
    experts = question.shown_experts
    status = question.status
    return {
        "question": question,
        "team_side": team_side,
        "expert_side": expert_side,
        "adviser_side": adviser_side,
        # What apps above consultation add (meetings: when the question is discussed).
        "panels": panels_for(request, question),
        "age_band": age_band_label(question.resident_age),
        "household": household_label(question.resident_household),
        "experts_on_it": experts,
        "i_am_on_it": any(e.expert_id == request.user.pk for e in experts),
        "advisable": status in workflow.ADVISABLE,
        "closable": status in workflow.CLOSABLE,
        "needs_clarification": status == Status.NEEDS_CLARIFICATION,
        "is_draft": status == Status.DRAFT,
        "is_closed": status == Status.CLOSED,
        "is_final": status in workflow.FINAL,
        "close_out": question.close_outs.first() if status == Status.CLOSED else None,
        "advice_form": forms.get("advice_form") or ExpertMessageForm(),
        "reply_form": forms.get("reply_form") or MessageForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "redirected": _redirected(question, team_side),
        "findings": forms.get("findings"),
        "my_assignment": next(
            (
                e
                for e in experts
                if e.expert_id == request.user.pk
                and e.kind == QuestionExpert.Kind.ASSIGNED
                and e.declined_at is None
            ),
            None,
        ),
        "revisions": list(question.revisions.all()) if team_side else [],
        "history": paginate(
            request, question_history(question=question), per_page=50, param="geschiedenis"
        ),
    }


# --- Expert actions --------------------------------------------------------------------------
@require_POST
def question_pick_up(request, pk: int):
    question = visible_question(request, pk)
    if attempt(request, services.question_pick_up, actor=request.user, question=question).ok:
        messages.success(request, _("You are on this question. The others in the pool see it."))
    return redirect("consultation:question", pk=pk)


def _expert_message(request, pk: int, service, success: str):
    question = visible_question(request, pk)
    form = ExpertMessageForm(request.POST)
    if form.is_valid():
        body = form.cleaned_data["body"]
        if attempt(request, service, actor=request.user, question=question, body=body).ok:
            messages.success(request, success)
            return redirect("consultation:question", pk=pk)
    return _detail_page_again(request, pk, advice_form=form)


@require_POST
@submitted_once
def question_advise(request, pk: int):
    return _expert_message(
        request, pk, services.question_advise, _("Your advice is sent to the district team.")
    )


@require_POST
@submitted_once
def question_request_clarification(request, pk: int):
    return _expert_message(
        request,
        pk,
        services.question_request_clarification,
        _("Your question for clarification is sent to the district team."),
    )


# --- Team actions ----------------------------------------------------------------------------
@require_POST
@submitted_once
def question_reply(request, pk: int):
    question = team_question(request, pk)
    form = MessageForm(request.POST)
    findings = None
    if form.is_valid():
        sent = attempt(
            request,
            services.question_reply,
            actor=request.user,
            question=question,
            body=form.cleaned_data["body"],
            privacy_confirmed=form.cleaned_data["privacy_confirmed"],
        )
        if sent.ok:
            messages.success(request, _("Your message is sent."))
            return redirect("consultation:question", pk=pk)
        if sent.findings is None:  # refused (closed meanwhile): the message says why
            return redirect("consultation:question", pk=pk)
        findings = sent.findings
    return _detail_page_again(request, pk, reply_form=form, findings=findings)


@require_http_methods(["GET", "POST"])
@submitted_once
def question_close(request, pk: int):
    question = team_question(request, pk)
    if question.status not in workflow.CLOSABLE:
        messages.error(request, _("This question cannot be closed now."))
        return redirect("consultation:question", pk=pk)
    advice = list(question.messages.filter(kind=Message.Kind.ADVICE).order_by("created_at"))
    form = CloseOutForm(request.POST or None, advice_messages=advice)
    findings = None
    if request.method == "POST" and form.is_valid():
        closed = attempt(
            request,
            services.question_close,
            form=form,
            actor=request.user,
            question=question,
            direction=form.cleaned_data["direction"],
            escalation=form.cleaned_data["escalation"],
            comment=form.cleaned_data["comment"],
            ratings=form.ratings(),
            privacy_confirmed=form.cleaned_data["privacy_confirmed"],
        )
        if closed.ok:
            messages.success(request, _("The question is closed. Thank you for your feedback."))
            return redirect("consultation:question", pk=pk)
        findings = closed.findings
    return render(
        request,
        "consultation/close_form.html",
        {"question": question, "form": form, "advice": advice, "findings": findings},
        status=400 if form.is_bound else 200,
    )


def _with_reason(request, pk: int, service, success: str):
    """Reopen or withdraw. The privacy guard reads the reason first: a stopped reason comes back
    in its form, with what was found, and is stored only once edited or confirmed."""
    question = team_question(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail_page_again(request, pk, reason_form=form)
    done = attempt(
        request,
        service,
        form=form,
        actor=request.user,
        question=question,
        reason=form.cleaned_data["reason"],
        privacy_confirmed=form.cleaned_data["privacy_confirmed"],
    )
    if done.ok:
        messages.success(request, success)
        return redirect("consultation:question", pk=pk)
    if done.findings is None:  # refused (the question moved meanwhile): the message says why
        return redirect("consultation:question", pk=pk)
    return _detail_page_again(request, pk, reason_form=form, findings=done.findings)


@require_POST
@submitted_once
def question_reopen(request, pk: int):
    return _with_reason(request, pk, services.question_reopen, _("The question is open again."))


@require_POST
@submitted_once
def question_withdraw(request, pk: int):
    return _with_reason(request, pk, services.question_withdraw, _("The question is withdrawn."))


# --- Attachments -----------------------------------------------------------------------------
@require_POST
@submitted_once
def attachment_add(request, pk: int):
    question = visible_question(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    findings = None
    if form.is_valid():
        added = attempt(
            request,
            services.attachment_add,
            form=form,
            actor=request.user,
            question=question,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
            privacy_confirmed=form.cleaned_data["privacy_confirmed"],
        )
        if added.ok:
            messages.success(request, _("The document is added."))
            return redirect("consultation:question", pk=pk)
        findings = added.findings
    form.focus_first_error()
    return _detail_page_again(request, pk, attachment_form=form, findings=findings)


def attachment_download(request, pk: int, attachment_pk: int):
    question = visible_question(request, pk)
    attachment = question.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
