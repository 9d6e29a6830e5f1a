"""What the hours pages share: a service call whose refusal becomes the form's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from config.forms import add_service_errors
from submissions.web import submission_made

if TYPE_CHECKING:
    from django.http import HttpRequest


def attempt(request: HttpRequest, service: Callable[..., Any], form, **kwargs) -> Any:
    """Run the service; a refusal becomes the form's errors (None), a refused person a 404 (not
    theirs to see), success spends the one-time token."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except PermissionDenied:
        raise Http404 from None
    submission_made(request)
    return result
