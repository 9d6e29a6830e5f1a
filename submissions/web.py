"""A form that makes something is sent once: its one-time token (`{% submission_token form %}`,
a hidden field) is claimed in the transaction of what the view makes, so a double click, a
resend after a timeout, or two requests at once make one record, and the second submit is taken
where the first went ("This was already sent.").

    @role_required(...)
    @require_POST
    @submitted_once
    def question_reply(request, pk): ...   # calls its service through attempt()

The view says it made something with `submission_made(request)` (consultation's `attempt()`
does that for every service it runs). A submit that made nothing — the form had errors, the
service refused — leaves the token usable: the person fixes the form and sends it again. A
POST without a token works as before (older pages, tests, scripts).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

from django.contrib import messages
from django.db import transaction
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from submissions.models import Submission
from submissions.services import submission_claim, submission_record, submission_release

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

FIELD = "submission_token"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,86}")
# Left out of what identifies a submit: the CSRF token is masked afresh on every page.
NOT_CONTENT = {FIELD, "csrfmiddlewaretoken"}
_STATE = "_submission_state"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def valid_token(value: object) -> str | None:
    return value if isinstance(value, str) and TOKEN.fullmatch(value) else None


def form_key(request: HttpRequest, token: str) -> str:
    """The token with where it was sent and what was sent. A double click sends the same form
    twice, byte for byte; a page restored by the back button may carry a spent token with new
    text, and that is a new submission, not a repeat to swallow."""
    digest = hashlib.sha256()
    for part in (token, request.path):
        digest.update(part.encode() + b"\0")
    for name in sorted(set(request.POST) - NOT_CONTENT):
        for value in request.POST.getlist(name):
            digest.update(f"{name}={value}".encode() + b"\0")
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}".encode() + b"\0")
    return digest.hexdigest()


@dataclass
class _State:
    made: bool = False
    then: str = ""


def submission_made(request: HttpRequest, *, then: str = "") -> None:
    """The view made something: its token is spent. A repeat goes where this answer redirects,
    or to `then` when the answer is a page (a draft kept, but the sending stopped)."""
    state = getattr(request, _STATE, None)
    if state is not None:
        state.made = True
        state.then = then or state.then


def submitted_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a POST with a submission token once per token (see the module docstring)."""

    @wraps(view)
    def once(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = valid_token(request.POST.get(FIELD)) if request.method == "POST" else None
        if token is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            # Before anything is read or checked: a second submit must not see the first's
            # result half-made (a question already closed, gone from the triage queue).
            claim = submission_claim(
                user=request.user,
                channel=Submission.Channel.FORM,
                key=form_key(request, token),
                scope=request.path,
            )
            if not claim.first:
                messages.info(request, _("This was already sent."))
                return redirect(claim.submission.result_url or request.path)
            state = _State()
            setattr(request, _STATE, state)
            response = view(request, *args, **kwargs)
            if state.made:
                went = response.url if isinstance(response, HttpResponseRedirectBase) else ""
                submission_record(
                    submission=claim.submission, url=state.then or went or request.path
                )
            else:
                submission_release(submission=claim.submission)
        return response

    return once
