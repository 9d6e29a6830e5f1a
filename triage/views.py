"""The triage worker's pages: home with claims, queue, late questions and today's decisions;
a question page with the decisions. Thin: scoped selector, one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import Role, role_required
from config.pagination import paginate
from consultation.models import Question, Status
from consultation.selectors import (
    question_history,
    questions_visible_to,
    triage_questions_q,
    with_case_profile,
)
from consultation.views.common import attempt
from submissions.web import submission_made, submitted_once
from triage import services
from triage.forms import (
    AnswerForm,
    AssignForm,
    ClarifyForm,
    DeclineForm,
    RedirectForm,
    SessionForm,
    SharpenForm,
)
from triage.models import TriageClaim

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
from triage.selectors import (
    assigned_by,
    claimed_by,
    decisions_today,
    decorate,
    late_query,
    lateness,
    listed,
    prefetch_pages,
    queue_query,
    redirect_pools,
    suggest_experts,
    with_experts,
    with_has_advice,
)
from wijkteam.models import age_band_label, household_label


@role_required(Role.TRIAGE)
def home(request):
    """Four lists, each paged on its own (config.pagination; a parameter per list)."""
    user, now = request.user, timezone.now()
    mine = paginate(request, listed(claimed_by(user=user), user=user), param="mijn")
    queue = paginate(request, listed(queue_query(user=user), user=user))
    late = paginate(request, listed(late_query(user=user, now=now), user=user), param="laat")
    prefetch_pages(mine, queue, late)
    mine.items = decorate(mine, now=now, prefetch=False)
    queue.items = decorate(queue, now=now, prefetch=False)
    late.items = decorate(late, late=True, now=now, prefetch=False)
    return render(
        request,
        "triage/home.html",
        {
            "mine": mine,
            "queue": queue,
            "late": late,
            "decisions": paginate(request, decisions_today(user=user), param="besluiten"),
        },
    )


@role_required(Role.TRIAGE)
def assigned(request):
    """The questions I assigned, with their state and the experts' answers."""
    page = paginate(request, assigned_by(user=request.user))
    page.items = with_experts(page)
    return render(request, "triage/assigned.html", {"questions": page})


@role_required(Role.TRIAGE)
@require_POST
@submitted_once
def claim_next(request):
    question = services.triage_claim_next(worker=request.user)
    if question is None:
        messages.info(request, _("The queue is empty: nothing to claim."))
        return redirect("triage:home")
    # A double click on "next" must not claim a second question: the repeat goes to this one.
    submission_made(request)
    return redirect("triage:question", pk=question.pk)


def _triage_question(request, pk: int) -> Question:
    question = (
        with_has_advice(
            with_case_profile(Question.objects.filter(triage_questions_q(user=request.user)))
        )
        .select_related("pool", "case")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


FORMS = {
    "answer": AnswerForm,
    "clarify": ClarifyForm,
    "sharpen": SharpenForm,
    "assign": AssignForm,
    "session": SessionForm,
    "redirect": RedirectForm,
}


def _forms(question, suggestions, bound=None, bound_name=None):
    forms = {}
    for name, form_class in FORMS.items():
        data = bound if name == bound_name else None
        kwargs: dict[str, Any] = {}
        if name == "assign":
            kwargs["suggestions"] = suggestions
        if name == "redirect":
            kwargs["pools"] = redirect_pools(question=question)
        initial = {"title": question.title, "summary": question.summary or question.question}
        # One prefix per decision: field ids stay unique on the page (id_clarify-body, ...).
        forms[name] = form_class(
            data, prefix=name, initial=initial if name == "sharpen" else None, **kwargs
        )
    return forms


@role_required(Role.TRIAGE)
@submitted_once
def question_page(request, pk: int):
    question = _triage_question(request, pk)
    claim = TriageClaim.objects.select_related("worker").filter(question=question).first()
    suggestions = suggest_experts(question=question)
    forms = _forms(question, suggestions)
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in FORMS:
            raise Http404
        forms = _forms(question, suggestions, bound=request.POST, bound_name=decision)
        form = forms[decision]
        if form.is_valid() and _decide(request, question, decision, form):
            return redirect(
                "triage:home" if decision != "sharpen" else "triage:question",
                **({} if decision != "sharpen" else {"pk": pk}),
            )
        status = 400
    return render(
        request,
        "triage/question.html",
        {
            "question": question,
            "claim": claim,
            "mine": claim is not None and claim.worker_id == request.user.pk,
            "suggestions": suggestions,
            "forms": forms,
            "age_band": age_band_label(question.resident_age),
            "household": household_label(question.resident_household),
            "thread": question.messages.select_related("author").order_by("created_at"),
            "revisions": question.revisions.all(),
            # Who is on it, and who declined and why (the "an expert declined" notice leads here).
            "assignments": question.experts.select_related("expert__expert_profile").order_by(
                "created_at", "pk"
            ),
            "can_decide": question.status == Status.IN_TRIAGE,
            "lateness": lateness(question, timezone.now()),
            "history": paginate(
                request, question_history(question=question), per_page=50, param="geschiedenis"
            ),
        },
        status=status,
    )


# decision -> (service, how the form's data becomes its arguments, what the worker is told)
DECISIONS: dict[str, tuple[Callable[..., Any], Callable[[dict], dict], StrOrPromise]] = {
    "answer": (
        services.triage_answer,
        lambda data: {"body": data["body"]},
        gettext_lazy("Your answer is sent to the district team."),
    ),
    "clarify": (
        services.triage_ask_clarification,
        lambda data: {"body": data["body"]},
        gettext_lazy("Your question is sent to the district team."),
    ),
    "sharpen": (
        services.triage_sharpen,
        lambda data: {"title": data["title"], "summary": data["summary"], "reason": data["reason"]},
        gettext_lazy("The question is sharpened."),
    ),
    "assign": (
        services.triage_assign,
        lambda data: {
            "experts": User.objects.filter(pk__in=[int(pk) for pk in data["experts"]]),
            "reason": data["reason"],
        },
        gettext_lazy("The question is assigned; the experts are notified."),
    ),
    "session": (
        services.triage_plan_session,
        lambda data: {"reason": data["reason"]},
        gettext_lazy("A multidisciplinary session is wanted for this question."),
    ),
    "redirect": (
        services.triage_redirect,
        lambda data: {"target": data["target"], "note": data["note"], "pool": data["pool"]},
        gettext_lazy("The question is redirected."),
    ),
}


def _decide(request, question, decision: str, form) -> bool:
    service, arguments, success = DECISIONS[decision]
    done = attempt(
        request,
        service,
        form=form,
        worker=request.user,
        question=question,
        **arguments(form.cleaned_data),
    ).ok
    if done:
        messages.success(request, success)
    return done


@role_required(Role.TRIAGE)
@require_POST
def claim(request, pk: int):
    question = _triage_question(request, pk)
    attempt(request, services.triage_claim, worker=request.user, question=question)
    return redirect("triage:question", pk=pk)


@role_required(Role.TRIAGE)
@require_POST
def release(request, pk: int):
    question = _triage_question(request, pk)
    services.triage_release(worker=request.user, question=question)
    messages.success(request, _("The question is back in the queue."))
    return redirect("triage:home")


# --- The assigned expert accepts or declines (on the question page) ---------------------------
def _assigned_question(request, pk: int) -> Question:
    question = questions_visible_to(user=request.user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


@require_POST
@submitted_once
def accept(request, pk: int):
    question = _assigned_question(request, pk)
    services.assignment_accept(expert=request.user, question=question)
    submission_made(request)
    messages.success(request, _("You accepted the question."))
    return redirect("consultation:question", pk=pk)


@require_POST
@submitted_once
def decline(request, pk: int):
    question = _assigned_question(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell the triage worker why you decline."))
        return redirect("consultation:question", pk=pk)
    services.assignment_decline(
        expert=request.user, question=question, reason=form.cleaned_data["reason"]
    )
    submission_made(request)
    messages.success(request, _("You declined; the triage worker will find someone else."))
    return redirect("expertise:home")
