"""Question pages for both sides. Thin: validate, fetch through a scoped selector, call one
service, render. Out of scope is a 404 (the selector), in scope but not allowed a 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from consultation import services, workflow
from consultation.forms import (
    AttachmentForm,
    CloseOutForm,
    ExpertMessageForm,
    MessageForm,
    QuestionForm,
    ReasonForm,
)
from consultation.models import Message, Question, Status
from consultation.selectors import (
    expert_questions_q,
    notifications_for,
    questions_visible_to,
)
from consultation.selectors import (
    question_detail as question_detail_selector,
)
from expertise.models import ExpertPool
from wijkteam.models import age_band_label, household_label
from wijkteam.selectors import cases_visible_to, is_team_member

TEAM_ROLES = (Role.GENERALIST, Role.TEAM_LEAD)


def _visible_question(request, pk: int) -> Question:
    question = questions_visible_to(user=request.user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def _team_question(request, pk: int) -> Question:
    question = _visible_question(request, pk)
    if not is_team_member(user=request.user, team_id=question.team_id):
        raise PermissionDenied
    return question


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Asking ----------------------------------------------------------------------------------
def _question_form_page(request, *, case, form, question=None, findings=None):
    return render(
        request,
        "consultation/question_form.html",
        {
            "case": case,
            "form": form,
            "question": question,
            "findings": findings,
        },
    )


def _save_question(request, *, case, form, question=None):
    """Save the draft; send it when asked. The privacy guard may stop the sending: the draft is
    kept, and the form comes back with what was found."""
    data = services.QuestionInput(
        **{
            f: form.cleaned_data[f]
            for f in ("title", "situation", "tried", "question", "urgency", "help_form")
        }
    )
    kwargs = {
        "data": data,
        "pool": form.cleaned_data["pool"],
        "life_domains": form.cleaned_data["life_domains"],
        "target_groups": form.cleaned_data["target_groups"],
    }
    try:
        if question is None:
            question = services.question_create(actor=request.user, case=case, **kwargs)
        else:
            question = services.question_update_draft(
                actor=request.user, question=question, **kwargs
            )
    except ValidationError as error:
        _apply_errors(form, error)
        return _question_form_page(request, case=case, form=form, question=question)
    if "send" not in request.POST:
        messages.success(request, _("Your draft is saved. Nothing has been sent yet."))
        return redirect("consultation:question", pk=question.pk)
    try:
        services.question_submit(
            actor=request.user,
            question=question,
            privacy_confirmed=form.cleaned_data["privacy_confirmed"],
        )
    except services.PrivacyCheckRequired as check:
        return _question_form_page(
            request, case=case, form=form, question=question, findings=check.findings
        )
    messages.success(request, _("Your question is sent to the expert pool."))
    return redirect("consultation:question", pk=question.pk)


def _pools_for(case):
    return ExpertPool.objects.filter(teams=case.team_id, is_active=True).order_by("name")


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
def question_new(request, pseudonym: str):
    case = cases_visible_to(user=request.user).filter(pseudonym=pseudonym).first()
    if case is None:
        raise Http404
    form = QuestionForm(request.POST or None, pools=_pools_for(case))
    if request.method == "POST" and form.is_valid():
        return _save_question(request, case=case, form=form)
    return _question_form_page(request, case=case, form=form)


@role_required(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int):
    question = _team_question(request, pk)
    if question.status != Status.DRAFT:
        return redirect("consultation:question", pk=pk)
    case = question.case
    form = QuestionForm(request.POST or None, instance=question, pools=_pools_for(case))
    if request.method == "POST" and form.is_valid():
        return _save_question(request, case=case, form=form, question=question)
    return _question_form_page(request, case=case, form=form, question=question)


# --- The question page -----------------------------------------------------------------------
def question_detail(request, pk: int):
    try:
        question = question_detail_selector(user=request.user, pk=pk)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    services.question_mark_read(user=request.user, question=question)
    return render(request, "consultation/question_detail.html", _detail_context(request, question))


def _detail_context(request, question, **forms):
    team_side = is_team_member(user=request.user, team_id=question.team_id)
    expert_side = (not team_side) and Question.objects.filter(
        expert_questions_q(user=request.user), pk=question.pk
    ).exists()
    experts = list(question.experts.all())
    status = question.status
    context = {
        "question": question,
        "team_side": team_side,
        "expert_side": expert_side,
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
        "reason_form": ReasonForm(),
        "findings": forms.get("findings"),
        "my_assignment": next(
            (
                e
                for e in experts
                if e.expert_id == request.user.pk and e.kind == "assigned" and e.declined_at is None
            ),
            None,
        ),
        "revisions": list(question.revisions.all()) if team_side else [],
    }
    return context


# --- Expert actions --------------------------------------------------------------------------
@require_POST
def question_pick_up(request, pk: int):
    question = _visible_question(request, pk)
    try:
        services.question_pick_up(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are on this question. The others in the pool see it."))
    return redirect("consultation:question", pk=pk)


def _expert_message(request, pk: int, service, success: str):
    question = _visible_question(request, pk)
    form = ExpertMessageForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, question=question, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
            return redirect("consultation:question", pk=pk)
    question = question_detail_selector(user=request.user, pk=pk)
    return render(
        request,
        "consultation/question_detail.html",
        _detail_context(request, question, advice_form=form),
        status=400,
    )


@require_POST
def question_advise(request, pk: int):
    return _expert_message(
        request, pk, services.question_advise, _("Your advice is sent to the district team.")
    )


@require_POST
def question_request_clarification(request, pk: int):
    return _expert_message(
        request,
        pk,
        services.question_request_clarification,
        _("Your question for clarification is sent to the district team."),
    )


# --- Team actions ----------------------------------------------------------------------------
@require_POST
def question_reply(request, pk: int):
    question = _team_question(request, pk)
    form = MessageForm(request.POST)
    findings = None
    if form.is_valid():
        try:
            services.question_reply(
                actor=request.user,
                question=question,
                body=form.cleaned_data["body"],
                privacy_confirmed=form.cleaned_data["privacy_confirmed"],
            )
        except services.PrivacyCheckRequired as check:
            findings = check.findings
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("consultation:question", pk=pk)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("consultation:question", pk=pk)
    question = question_detail_selector(user=request.user, pk=pk)
    return render(
        request,
        "consultation/question_detail.html",
        _detail_context(request, question, reply_form=form, findings=findings),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def question_close(request, pk: int):
    question = _team_question(request, pk)
    if question.status not in workflow.CLOSABLE:
        messages.error(request, _("This question cannot be closed now."))
        return redirect("consultation:question", pk=pk)
    advice = list(question.messages.filter(kind=Message.Kind.ADVICE).order_by("created_at"))
    form = CloseOutForm(request.POST or None, advice_messages=advice)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_close(
                actor=request.user,
                question=question,
                direction=form.cleaned_data["direction"],
                escalation=form.cleaned_data["escalation"],
                comment=form.cleaned_data["comment"],
                ratings=form.ratings(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The question is closed. Thank you for your feedback."))
            return redirect("consultation:question", pk=pk)
    return render(
        request,
        "consultation/close_form.html",
        {"question": question, "form": form, "advice": advice},
    )


@require_POST
def question_reopen(request, pk: int):
    question = _team_question(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.question_reopen(
            actor=request.user, question=question, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question is open again."))
    return redirect("consultation:question", pk=pk)


@require_POST
def question_withdraw(request, pk: int):
    question = _team_question(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.question_withdraw(
            actor=request.user, question=question, reason=form.cleaned_data.get("reason", "")
        )
    except (ValidationError, workflow.TransitionNotAllowed) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The question is withdrawn."))
    return redirect("consultation:question", pk=pk)


# --- Attachments -----------------------------------------------------------------------------
@require_POST
def attachment_add(request, pk: int):
    question = _visible_question(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    findings = None
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                question=question,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                privacy_confirmed=form.cleaned_data["privacy_confirmed"],
            )
        except services.PrivacyCheckRequired as check:
            findings = check.findings
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect("consultation:question", pk=pk)
    question = question_detail_selector(user=request.user, pk=pk)
    return render(
        request,
        "consultation/question_detail.html",
        _detail_context(request, question, attachment_form=form, findings=findings),
        status=400,
    )


def attachment_download(request, pk: int, attachment_pk: int):
    question = _visible_question(request, pk)
    attachment = question.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


# --- Notifications ---------------------------------------------------------------------------
def notification_list(request):
    items = list(notifications_for(user=request.user)[:100])
    return render(request, "consultation/notifications.html", {"notifications": items})


@require_POST
def notification_open(request, notification_pk: int):
    notification = notifications_for(user=request.user).filter(pk=notification_pk).first()
    if notification is None:
        raise Http404
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(reverse("consultation:question", args=[notification.question_id]))


@require_POST
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("consultation:notifications")
