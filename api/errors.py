"""The API's one mapping of domain errors (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Services raise Django's ValidationError (often a dict; TransitionNotAllowed is one too),
PermissionDenied and PrivacyCheckRequired: bad input becomes a 400 with field errors, never a
500; an object outside the caller's scope is a 404.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from consultation.services import PrivacyCheckRequired
from wijkteam.audit import audit_api_sign_in_failed, audit_refused


def _field_errors(error: DjangoValidationError) -> dict:
    """A service's ValidationError as DRF field errors: {field: [message, …]}."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def _privacy_error(exc: PrivacyCheckRequired, *, echo_text: bool) -> dict:
    findings = {
        field: [
            {"kind": f.kind, "label": f.label} | ({"text": f.text} if echo_text else {})
            for f in items
        ]
        for field, items in exc.findings.items()
    }
    return {
        "detail": _(
            "The text may identify the resident. Edit it, or send it again with "
            "privacy_confirmed set to true."
        ),
        "privacy": findings,
    }


def handle(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, PrivacyCheckRequired):
        # The findings quote the generalist's own text: only echoed to the asking team (the view
        # says so once it knows who is asking).
        echo = getattr(context.get("view"), "privacy_may_echo_text", False)
        return Response(_privacy_error(exc, echo_text=echo), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_field_errors(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    if isinstance(exc, Http404 | exceptions.NotFound | exceptions.PermissionDenied) and (
        request := context.get("request")
    ):
        audit_refused(request, exc)  # an object outside the caller's scope (NEN 7513)
    elif isinstance(exc, exceptions.AuthenticationFailed) and (request := context.get("request")):
        audit_api_sign_in_failed(request)  # a bad, revoked or expired token
    return exception_handler(exc, context)
