"""What the sessions' pages share: a planner's session (out of scope 404, in scope but not a
planner 403), one mapping of a service's refusal to form errors or a message, and the
proposal panel's input (which experts, which moment)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from config.forms import add_service_errors
from meetings.forms import SERVICE_FIELDS
from meetings.models import Session
from meetings.selectors import may_plan, sessions_visible_to
from submissions.web import submission_made

if TYPE_CHECKING:
    from accounts.models import User

# The buttons of a planning form that only show the form again: "check who can come" and
# "use this moment" (a proposal's value: date|start|end).
CHECK, USE = "check", "use"


def user_of(request: HttpRequest) -> User:
    """The signed-in user (every page here is behind the sign-in and the second factor)."""
    return cast("User", request.user)


def visible_session(request: HttpRequest, pk: int) -> Session:
    visible = sessions_visible_to(user=user_of(request)).select_related("pool")
    return get_object_or_404(visible, pk=pk)


def planned_session(request: HttpRequest, pk: int) -> Session:
    """A session the user plans: out of their sight a 404, seen but not planned by them 403."""
    session = visible_session(request, pk)
    if not may_plan(user=user_of(request), pool=session.pool_id):
        raise PermissionDenied
    return session


def attempt(
    request: HttpRequest, service: Callable[..., Any], *, form: BaseForm | None = None, **kwargs
) -> tuple[bool, Any]:
    """Run one service: a refusal becomes the form's errors (the moment's keys on the date and
    time fields) or a message; success spends the submission token."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, _on_fields(error))
        else:
            messages.error(request, " ".join(error.messages))
        return False, None
    submission_made(request)
    return True, result


def _on_fields(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {SERVICE_FIELDS.get(field, field): errors for field, errors in error.error_dict.items()}
    )


def redisplay(request: HttpRequest) -> bool:
    """Whether this POST only asks to show the form again (check, or use a proposal)."""
    return request.method == "POST" and (CHECK in request.POST or USE in request.POST)


def initial_from_post(request: HttpRequest, multiple: tuple[str, ...] = ()) -> dict:
    """The posted values as a form's initial data (shown again, not validated), with a chosen
    proposal's date and times in place of the typed ones."""
    initial: dict[str, Any] = {}
    for name in request.POST:
        if name in ("csrfmiddlewaretoken", "submission_token", CHECK, USE):
            continue
        initial[name] = request.POST.getlist(name) if name in multiple else request.POST[name]
    for name in multiple:
        initial.setdefault(name, [])
    parts = request.POST.get(USE, "").split("|")
    if len(parts) == 3:
        initial["date"], initial["start"], initial["end"] = parts
    return initial


def moment_of(initial: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """The moment a form's (initial or posted) values name, if they name one."""
    day, start, end = (str(initial.get(name) or "") for name in ("date", "start", "end"))
    try:
        starts = datetime.fromisoformat(f"{day}T{start[:5]}")
        ends = datetime.fromisoformat(f"{day}T{end[:5]}")
    except ValueError:
        return None
    if ends <= starts:
        return None
    return timezone.make_aware(starts), timezone.make_aware(ends)
