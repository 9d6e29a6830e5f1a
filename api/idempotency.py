"""The `Idempotency-Key` request header (IETF draft-ietf-httpapi-idempotency-key-header) on the
POST endpoints that make or change something.

A client that may send a request twice (a timeout, a retry after a dropped connection) sends
the same key with both: the first is carried out, and a repeat — also one that arrives while
the first is still running — gets the first's answer again (same status, the body built afresh
from the object as the caller may see it now, and `Idempotent-Replayed: true`), without doing
it twice. The same key with another request (another path or body) is a 422; a malformed key a
400. A request that failed (4xx) leaves its key unused, so a fixed request may reuse it. Keys
are per user and remembered for 24 hours (submissions.services.KEEP_FOR).

    @extend_schema(...)
    @idempotent(respond=answer_with_message)   # respond(view, pk) -> Response
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        ...
        return message                          # the handler returns what it made
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from submissions.models import Submission
from submissions.services import submission_claim, submission_record

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional; 1 to 255 printable characters, e.g. a UUID, new for every request you mean "
        "to make. Sending the same request again with the same key does not do it twice: the "
        "answer is the first one's (same status, the object as it is now, and the header "
        "`Idempotent-Replayed: true`), also while the first is still running. The same key "
        "with another path or body: 422. A malformed key: 400. Keys are per user and kept "
        "24 hours; a request that failed leaves its key unused."
    ),
)


KEY_REUSED = OpenApiResponse(
    description="The Idempotency-Key was used for another request (another path or body)."
)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy(
        "This Idempotency-Key was used for another request. Use a new key for a new request."
    )
    default_code = "idempotency_key_reused"


def key_of(request: Request) -> str | None:
    """The header's key, or None when there is none; a 400 when it is malformed. The draft
    sends it as a structured-field string ("…"); a bare token is accepted too."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in key):
        raise exceptions.ValidationError(
            {HEADER: [_("Give a key of 1 to 255 printable characters, or leave the header out.")]}
        )
    return key


def fingerprint_of(request: Request) -> str:
    """What the request asks, independent of how its JSON was spelled."""
    data: Any = request.data
    if hasattr(data, "lists"):  # a QueryDict (form-encoded, multipart)
        data = {name: values for name, values in data.lists()}
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


Respond = Callable[[Any, int], Response]


def idempotent(*, respond: Respond):
    """Honour Idempotency-Key on a POST handler that returns the object it made or changed;
    `respond(view, pk)` answers from that object, loaded through the view's scoped queryset,
    for the first request and for every repeat alike."""

    def decorate(handler: Callable[..., Model]) -> Callable[..., Response]:
        @wraps(handler)
        def once(view, request: Request, *args, **kwargs) -> Response:
            key = key_of(request)
            user = request.user
            if key is None or not isinstance(user, User):
                return respond(view, handler(view, request, *args, **kwargs).pk)
            scope = f"{request.method} {request.path}"
            fingerprint = fingerprint_of(request)
            # The claim and the work commit together: a repeat that waited on the claim's
            # unique index finds the first's result, never half of it.
            with transaction.atomic():
                claim = submission_claim(
                    user=user,
                    channel=Submission.Channel.API,
                    key=key,
                    scope=scope,
                    fingerprint=fingerprint,
                )
                first = claim.submission
                if not claim.first:
                    if (first.scope, first.fingerprint) != (scope, fingerprint):
                        raise IdempotencyKeyReused()
                    response = respond(view, first.result_id or 0)  # no id: a 404
                    response.status_code = first.status_code or response.status_code
                    response[REPLAYED_HEADER] = "true"
                    return response
                made = handler(view, request, *args, **kwargs)
                response = respond(view, made.pk)
                submission_record(submission=first, result=made, status_code=response.status_code)
            return response

        return extend_schema(parameters=[IDEMPOTENCY_KEY])(once)

    return decorate
