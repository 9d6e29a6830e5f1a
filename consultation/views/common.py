"""What the question pages share: fetching through the selectors, and the one mapping of
domain errors to what a person sees.

Out of scope is a 404 (the selector); in scope but not allowed is a 403 (PermissionDenied from
a service, left to Django's handler); a domain refusal (ValidationError, which includes
TransitionNotAllowed) becomes form errors or a message; privacy findings re-render the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest

from config.forms import add_service_errors
from consultation.models import Question
from consultation.selectors import questions_visible_to
from consultation.services import PrivacyCheckRequired
from submissions.web import submission_made
from wijkteam.selectors import is_team_member


@dataclass
class Outcome:
    ok: bool
    result: Any = None
    findings: dict | None = None  # the privacy guard's, for the form to show


def attempt(
    request: HttpRequest, service: Callable[..., Any], *, form: BaseForm | None = None, **kwargs
) -> Outcome:
    """Run one service for a view and map its domain errors, the same way on every page. When
    it succeeds, the view's submission token is spent (submissions.web.submitted_once)."""
    try:
        result = service(**kwargs)
    except PrivacyCheckRequired as check:
        return Outcome(ok=False, findings=check.findings)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return Outcome(ok=False)
    submission_made(request)
    return Outcome(ok=True, result=result)


def visible_question(request: HttpRequest, pk: int) -> Question:
    question = questions_visible_to(user=request.user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def team_question(request: HttpRequest, pk: int) -> Question:
    question = visible_question(request, pk)
    if not is_team_member(user=request.user, team_id=question.team_id):
        raise PermissionDenied
    return question
