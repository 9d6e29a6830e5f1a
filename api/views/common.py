"""What every API view shares: the token challenge, small input helpers, the identity audit.

Visibility: every queryset starts from the selectors (questions_visible_to, residents_visible_to,
cases_visible_to, notifications_for), so an object outside the caller's scope is a 404, never a
403. A 403 means "you may see this, but not do that" (e.g. an expert closing a question).
Domain errors become 4xx answers in one place: api.errors.
"""

from __future__ import annotations

from rest_framework.authentication import get_authorization_header

from accounts.tokens import KEYWORD
from wijkteam.services import audit_identity_reads

AUDIT_CHANNEL = "api"


class ApiViewMixin:
    """A 401 with a `WWW-Authenticate: Token` challenge when a token was offered and refused."""

    # Set by the actions that run the privacy guard, once they know the caller belongs to the
    # asking team: only then may the findings (the generalist's own text) be echoed back.
    privacy_may_echo_text = False

    def get_authenticate_header(self, request):
        offered = get_authorization_header(request).split()
        if offered and offered[0].lower() == KEYWORD.lower().encode():
            return KEYWORD
        # Session clients keep getting 403 (an unverified session is no credential to retry).
        return super().get_authenticate_header(request)


def valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def valid_query(serializer_class, request) -> dict:
    """The query parameters, validated: a 400 naming the parameter otherwise."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def audit_identity(request, residents_with_case) -> None:
    """One audit event per resident (and case) whose identity is in the response (DESIGN §4.6),
    all of a page in one INSERT."""
    audit_identity_reads(
        actor=request.user, reads=residents_with_case, request=request, channel=AUDIT_CHANNEL
    )
